"""The build's one commit point: pages, exports and site appear together or not at all; one build at a time."""

from __future__ import annotations

import json
import multiprocessing
from pathlib import Path

import pytest

from handbook.commit import JOURNAL, LOCK_FILE, Staging, build_lock, commit, recover, stage
from handbook.model import BuildError, GeneratedFile
from handbook.write import MARKER, sync_generated


def files_below(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def project(tmp_path: Path) -> Path:
    """A project with a hand-written page, a previous build's pages, export and site."""
    root = tmp_path / "project"
    (root / "docs" / "handbook").mkdir(parents=True)
    (root / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (root / "docs" / "handbook" / MARKER).write_text("", encoding="utf-8")
    (root / "docs" / "handbook" / "old.md").write_text("old\n", encoding="utf-8")
    (root / "docs" / "report.json").write_text("old\n", encoding="utf-8")
    (root / "site").mkdir()
    (root / "site" / "404.html").write_text("old site\n", encoding="utf-8")
    return root


def staged(root: Path) -> Staging:
    built = stage(root, [GeneratedFile("a.md", "one\n"), GeneratedFile("x/b.md", "two\n")],
                  [GeneratedFile("report.json", "new\n")])
    built.site.mkdir()
    (built.site / "index.html").write_text("new site\n", encoding="utf-8")
    return built


def test_staging_changes_nothing_visible_and_holds_the_hand_written_pages(tmp_path: Path) -> None:
    root = project(tmp_path)
    built = staged(root)
    assert files_below(root / "docs" / "handbook") == [MARKER, "old.md"]
    assert (root / "docs" / "report.json").read_text(encoding="utf-8") == "old\n"
    assert files_below(built.docs) == ["handbook/.generated", "handbook/a.md", "handbook/x/b.md", "index.md",
                                       "report.json"]


def test_commit_swaps_pages_exports_and_site_together(tmp_path: Path) -> None:
    root = project(tmp_path)
    commit(staged(root), with_site=True)
    assert files_below(root / "docs" / "handbook") == [MARKER, "a.md", "x/b.md"]
    assert (root / "docs" / "report.json").read_text(encoding="utf-8") == "new\n"
    assert files_below(root / "site") == [MARKER, "index.html"]
    assert sorted(p.name for p in root.iterdir()) == ["docs", "site"]


def test_a_commit_cut_short_is_finished_by_the_next_build(tmp_path: Path) -> None:
    root = project(tmp_path)
    built = staged(root)
    relative = built.folder.relative_to(root).as_posix()
    # As a build killed right after deciding its commit leaves it: the journal written, nothing moved.
    (root / JOURNAL).write_text(json.dumps({"staging": relative, "items": [
        [f"{relative}/docs/handbook", "docs/handbook"], [f"{relative}/docs/report.json", "docs/report.json"],
        [f"{relative}/site", "site"]]}), encoding="utf-8")
    done = recover(root)
    assert done[0].startswith("finished the commit of an interrupted build")
    assert files_below(root / "docs" / "handbook") == [MARKER, "a.md", "x/b.md"]
    assert (root / "docs" / "report.json").read_text(encoding="utf-8") == "new\n"
    assert (root / "site" / "index.html").exists()
    assert sorted(p.name for p in root.iterdir()) == ["docs", "site"]


def test_leftovers_of_a_killed_build_without_a_journal_are_removed(tmp_path: Path) -> None:
    root = project(tmp_path)
    staged(root)
    (root / ".site-new-abc").mkdir()
    recover(root)
    assert sorted(p.name for p in root.iterdir()) == ["docs", "site"]
    assert files_below(root / "docs" / "handbook") == [MARKER, "old.md"]


def test_refuses_to_replace_a_folder_it_did_not_write(tmp_path: Path) -> None:
    root = tmp_path / "project"
    (root / "docs" / "handbook").mkdir(parents=True)
    (root / "docs" / "handbook" / "precious.md").write_text("hand-written\n", encoding="utf-8")
    with pytest.raises(BuildError, match="refusing to replace a folder that was not generated"):
        stage(root, [GeneratedFile("a.md", "x\n")], [])
    assert (root / "docs" / "handbook" / "precious.md").exists()
    assert sorted(p.name for p in root.iterdir()) == ["docs"]


def test_a_path_outside_the_folder_stops_staging_and_leaves_nothing(tmp_path: Path) -> None:
    root = project(tmp_path)
    with pytest.raises(BuildError, match="must be relative and stay inside"):
        stage(root, [GeneratedFile("a.md", "new\n"), GeneratedFile("../escape.md", "x")], [])
    assert sorted(p.name for p in root.iterdir()) == ["docs", "site"]


def test_the_same_path_twice_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(BuildError, match="two generators wrote the same file"):
        stage(project(tmp_path), [GeneratedFile("a.md", "1"), GeneratedFile("a.md", "2")], [])


def _hold_lock(root: str, ready, release) -> None:
    with build_lock(Path(root)):
        ready.set()
        release.wait(30)


def test_a_second_build_in_the_same_project_is_refused(tmp_path: Path) -> None:
    context = multiprocessing.get_context("fork")
    ready, release = context.Event(), context.Event()
    holder = context.Process(target=_hold_lock, args=(str(tmp_path), ready, release))
    holder.start()
    try:
        assert ready.wait(30)
        with pytest.raises(BuildError) as refused, build_lock(tmp_path):
            pass
        assert refused.value.describe() == (
            f"{LOCK_FILE}: expected no other build running in this project; received a build running as "
            f"process {holder.pid}: wait for it to finish")
    finally:
        release.set()
        holder.join(30)
    with build_lock(tmp_path):  # released once the first build ends
        pass


def test_in_place_update_touches_only_changed_files(tmp_path: Path) -> None:
    target = tmp_path / "handbook"
    sync_generated(target, [GeneratedFile("a.md", "same\n"), GeneratedFile("b.md", "old\n"), GeneratedFile("c.md", "gone\n")])
    before = (target / "a.md").stat().st_mtime_ns
    changed = sync_generated(target, [GeneratedFile("a.md", "same\n"), GeneratedFile("b.md", "new\n")])
    assert changed == 2  # b.md rewritten, c.md removed
    assert (target / "a.md").stat().st_mtime_ns == before
    assert (target / "b.md").read_text(encoding="utf-8") == "new\n"
    assert not (target / "c.md").exists()
