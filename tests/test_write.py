"""The write stage swaps the generated folder in one step and never touches a hand-written folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from handbook.model import BuildError, GeneratedFile
from handbook.write import MARKER, sync_generated, write_generated


def test_replaces_the_whole_folder(tmp_path: Path) -> None:
    target = tmp_path / "docs" / "handbook"
    write_generated(target, [GeneratedFile("a.md", "one\n"), GeneratedFile("x/b.md", "two\n")])
    write_generated(target, [GeneratedFile("c.md", "three\n")], [GeneratedFile("report.json", "{}\n")])
    assert sorted(p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file()) == [MARKER, "c.md"]
    assert (tmp_path / "docs" / "report.json").read_text(encoding="utf-8") == "{}\n"
    assert [p.name for p in (tmp_path / "docs").iterdir() if p.name.startswith(".")] == []


def test_a_failure_leaves_the_previous_output(tmp_path: Path) -> None:
    target = tmp_path / "handbook"
    write_generated(target, [GeneratedFile("a.md", "old\n")])
    with pytest.raises(BuildError):
        write_generated(target, [GeneratedFile("a.md", "new\n"), GeneratedFile("../escape.md", "x")])
    assert (target / "a.md").read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["handbook"]


def test_refuses_to_replace_a_folder_it_did_not_write(tmp_path: Path) -> None:
    target = tmp_path / "handbook"
    target.mkdir()
    (target / "precious.md").write_text("hand-written\n", encoding="utf-8")
    with pytest.raises(BuildError, match="refusing to replace a folder that was not generated"):
        write_generated(target, [GeneratedFile("a.md", "x\n")])
    assert (target / "precious.md").exists()


def test_the_same_path_twice_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(BuildError, match="two generators wrote the same file"):
        write_generated(tmp_path / "h", [GeneratedFile("a.md", "1"), GeneratedFile("a.md", "2")])


def test_in_place_update_touches_only_changed_files(tmp_path: Path) -> None:
    target = tmp_path / "handbook"
    write_generated(target, [GeneratedFile("a.md", "same\n"), GeneratedFile("b.md", "old\n"), GeneratedFile("c.md", "gone\n")])
    before = (target / "a.md").stat().st_mtime_ns
    changed = sync_generated(target, [GeneratedFile("a.md", "same\n"), GeneratedFile("b.md", "new\n")])
    assert changed == 2  # b.md rewritten, c.md removed
    assert (target / "a.md").stat().st_mtime_ns == before
    assert (target / "b.md").read_text(encoding="utf-8") == "new\n"
    assert not (target / "c.md").exists()
