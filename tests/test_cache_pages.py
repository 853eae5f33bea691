"""The page cache of the MkDocs run: a page's Markdown is converted once while nothing its conversion reads
changes, and a site built from reused pages is the site a build without the cache makes."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest

from handbook import mkdocs_run
from tests.conftest import DATA, copy_project, run_build

CONFIG = """site_name: Small
strict: true
validation:
  anchors: warn
  unrecognized_links: warn
nav:
  - a.md
  - b.md
"""


def small_project(folder: Path) -> Path:
    """Two pages, the first linking to a section of the second."""
    (folder / "docs").mkdir(parents=True)
    (folder / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")
    (folder / "docs" / "a.md").write_text("# A\n\nSee [the part](b.md#part).\n", encoding="utf-8")
    (folder / "docs" / "b.md").write_text("# B\n\n## Part\n\nText.\n", encoding="utf-8")
    return folder


def build(project: Path, cache: Path | None, site: str = "site") -> Path:
    docs = project / "docs"
    mkdocs_run.build(str(project / "mkdocs.yml"), docs, docs, project / site,
                     None if cache is None else (cache, "v1"))
    return project / site


def files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def test_reused_pages_build_the_same_site_and_a_link_to_a_section_that_went_is_still_caught(tmp_path: Path) -> None:
    project, cache = small_project(tmp_path / "small"), tmp_path / "cache"
    build(project, cache)
    reused = files(build(project, cache))  # every page's Markdown from the cache
    assert reused == files(build(project, None, "clean"))
    (project / "docs" / "b.md").write_text("# B\n\n## Another part\n\nText.\n", encoding="utf-8")
    with pytest.raises(Exception):  # MkDocs' strict abort: a.md, reused, still links to b.md#part
        build(project, cache)


def test_a_damaged_page_pack_is_ignored(tmp_path: Path) -> None:
    project, cache = small_project(tmp_path / "small"), tmp_path / "cache"
    build(project, cache)
    (cache / mkdocs_run.PAGES_PACK).write_bytes(b"\x00" * 40)
    assert files(build(project, cache)) == files(build(project, None, "clean"))


def test_a_local_build_with_one_note_changed_makes_the_site_a_build_without_the_cache_makes(tmp_path: Path) -> None:
    root, notes = copy_project(tmp_path / "root"), tmp_path / "notes"
    shutil.copytree(DATA / "notes", notes)
    local = {"CI": ""}
    assert run_build(root, notes=notes, env=local) == 0
    assert (root / ".cache" / "handbook" / "pages" / mkdocs_run.PAGES_PACK).exists()
    note = sorted(notes.glob("*.md"))[0]
    note.write_text(note.read_text(encoding="utf-8") + "\nA line of its own about key rotation.\n", encoding="utf-8")
    assert run_build(root, notes=notes, env=local) == 0
    with_cache = files(root / "site")
    assert run_build(root, "--no-cache", notes=notes, env=local) == 0
    assert files(root / "site") == with_cache


def test_ci_builds_every_page_from_scratch(tmp_path: Path) -> None:
    root, notes = copy_project(tmp_path / "root"), tmp_path / "notes"
    shutil.copytree(DATA / "notes", notes)
    assert run_build(root, notes=notes, env={"CI": "true"}) == 0
    assert not (root / ".cache" / "handbook" / "pages").exists()


def test_a_new_page_leaves_the_others_reused_and_a_link_whose_target_went_is_converted_again(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    project, cache = small_project(tmp_path / "small"), tmp_path / "cache"
    (project / "mkdocs.yml").write_text(CONFIG.split("nav:")[0], encoding="utf-8")  # every page, in file order
    (project / "docs" / "a.md").write_text("# A\n\nSee [B](b.md).\n", encoding="utf-8")
    build(project, cache)
    (project / "docs" / "c.md").write_text("# C\n\nNew.\n", encoding="utf-8")
    caplog.set_level(logging.INFO, logger="mkdocs")
    build(project, cache)
    assert "page cache: 2 of 3 pages' Markdown reused" in caplog.messages
    (project / "docs" / "b.md").rename(project / "docs" / "e.md")
    with pytest.raises(Exception):  # a.md's link to b.md is converted again, and fails the strict build
        build(project, cache)
