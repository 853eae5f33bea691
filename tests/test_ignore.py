"""The vault's own settings decide what is published: Obsidian's excluded files, the ignore file, plugin data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from handbook.ignore import DEFAULT_REASON, IGNORE_FILE, OBSIDIAN_SETTINGS, ignore_rules
from handbook.load import HiddenNotes, load_notes
from handbook.model import BuildError
from workbench import build_in_memory


def _vault(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in {"kept.md": "# Kept\n", **files}.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def _settings(filters: list) -> str:
    return json.dumps({"alwaysUpdateLinks": True, "userIgnoreFilters": filters}, indent=2)


def _published(vault: Path) -> list[str]:
    return sorted(note.path for note in load_notes(vault).notes)


def test_obsidian_s_excluded_files_are_not_published_and_are_counted_with_the_reason(tmp_path: Path) -> None:
    vault = _vault(tmp_path, {
        "Templates/daily.md": "# Daily\n", "Templates/weekly.md": "# Weekly\n", "Archive.md": "# Old\n",
        "notes/plan.excalidraw.md": "# Drawing\n", "notes/plan.md": "# Plan\n",
        OBSIDIAN_SETTINGS: _settings(["Templates/", "Archive", "/\\.excalidraw\\.md$/"]),
    })
    folder = load_notes(vault)
    assert sorted(note.path for note in folder.notes) == ["kept.md", "notes/plan.md"]
    why = "excluded in Obsidian's settings (.obsidian/app.json, userIgnoreFilters: `{}`)"
    assert folder.hidden == (
        HiddenNotes("Archive.md", 1, why.format("Archive")),
        HiddenNotes("Templates", 2, why.format("Templates/")),
        HiddenNotes("notes/plan.excalidraw.md", 1, why.format("/\\.excalidraw\\.md$/")),
    )


def test_without_settings_or_ignore_file_everything_not_hidden_is_published(tmp_path: Path) -> None:
    vault = _vault(tmp_path, {"Templates/daily.md": "# Daily\n", ".obsidian/workspace.json": "{}"})
    assert _published(vault) == ["Templates/daily.md", "kept.md"]
    assert _published(_vault(tmp_path, {OBSIDIAN_SETTINGS: "{}"})) == ["Templates/daily.md", "kept.md"]


def test_the_ignore_file_keeps_out_what_its_gitignore_patterns_match(tmp_path: Path) -> None:
    vault = _vault(tmp_path, {
        "drafts/a.md": "# A\n", "team/drafts/b.md": "# B\n", "team/c.md": "# C\n", "team/scratch.md": "# S\n",
        "private/keep-this.md": "# K\n", "images/secret.png": "png",
        IGNORE_FILE: "# not for the site\ndrafts/\n/team/scratch.md\n*.png\n",
    })
    folder = load_notes(vault)
    assert sorted(note.path for note in folder.notes) == ["kept.md", "private/keep-this.md", "team/c.md"]
    assert "images/secret.png" not in folder.other_files  # an ignored attachment is not copied either
    assert [(h.path, h.reason) for h in folder.hidden] == [
        ("drafts", "listed in .handbookignore (line 2: `drafts/`)"),
        ("team/drafts", "listed in .handbookignore (line 2: `drafts/`)"),
        ("team/scratch.md", "listed in .handbookignore (line 3: `/team/scratch.md`)"),
    ]


def test_plugin_data_folders_are_left_out_unless_the_ignore_file_publishes_them(tmp_path: Path) -> None:
    vault = _vault(tmp_path, {"copilot-custom-prompts/summarise.md": "# Summarise {}\n",
                              "textgenerator/templates/t.md": "# Prompt\n", "notes/textgenerator/x.md": "# X\n"})
    folder = load_notes(vault)
    # Only at the vault's root: a folder of the same name among the notes is the notes' own.
    assert sorted(note.path for note in folder.notes) == ["kept.md", "notes/textgenerator/x.md"]
    assert [(h.path, h.notes, h.reason) for h in folder.hidden] == [
        ("copilot-custom-prompts", 1, DEFAULT_REASON), ("textgenerator", 1, DEFAULT_REASON)]
    (vault / IGNORE_FILE).write_text("!/textgenerator/\n", encoding="utf-8")
    assert "textgenerator/templates/t.md" in _published(vault)


def test_ignored_notes_are_listed_in_the_report_and_the_block_account(tmp_path: Path) -> None:
    vault = _vault(tmp_path, {"kept.md": "# Kept\n\nAWS secures the hardware.\n", "drafts/a.md": "# A\n",
                              IGNORE_FILE: "drafts/\n", ".trash/gone.md": "# Gone\n"})
    build = build_in_memory(vault)
    report = json.loads(build.exports["report.json"])
    why = "listed in .handbookignore (line 1: `drafts/`)"
    assert report["hidden_notes"] == [{"path": ".trash", "notes": 1, "reason": "hidden folder or file"},
                                      {"path": "drafts", "notes": 1, "reason": why}]
    assert report["account"]["hidden"][1] == {"path": "drafts", "notes": 1, "reason": f"{why}: not read"}
    page = build.pages["report/index.md"]
    assert f"| `drafts`{{ .handbook-path }} | 1 | {why} |" in page
    assert f"| {why} (1 note) |" in page
    assert "drafts/a.md" not in build.pages


@pytest.mark.parametrize("settings, line, message", [
    ('{\n  "userIgnoreFilters": [\n    "a/",\n  ]\n}\n', 4, "expected JSON; received text that is not JSON (expecting value)"),
    ('{\n  "userIgnoreFilters": "Templates/"\n}\n', 2,
     "userIgnoreFilters: expected a list of paths or /regular expressions/; received str"),
    ('{\n  "userIgnoreFilters": [\n    "a/",\n    3\n  ]\n}\n', 4,
     "userIgnoreFilters[1]: expected a path or a /regular expression/; received 3"),
    ('{\n  "userIgnoreFilters": [\n    "a/",\n    "/(unclosed/"\n  ]\n}\n', 4,
     "userIgnoreFilters[1]: expected a regular expression; received '/(unclosed/'"),
])
def test_a_bad_obsidian_setting_names_the_file_and_line(tmp_path: Path, settings: str, line: int,
                                                        message: str) -> None:
    vault = _vault(tmp_path, {OBSIDIAN_SETTINGS: settings})
    with pytest.raises(BuildError) as caught:
        load_notes(vault)
    assert caught.value.path.endswith(f"/{OBSIDIAN_SETTINGS}")
    assert caught.value.line == line
    assert caught.value.message.startswith(message)


def test_a_bad_ignore_pattern_names_the_file_and_line(tmp_path: Path) -> None:
    vault = _vault(tmp_path, {IGNORE_FILE: "# comment\ndrafts/\n!\n"})
    with pytest.raises(BuildError) as caught:
        load_notes(vault)
    assert caught.value.path.endswith(f"/{IGNORE_FILE}")
    assert caught.value.line == 3
    assert caught.value.message.startswith("expected a gitignore pattern; received '!'")


def test_an_ignore_file_that_is_not_utf8_is_named(tmp_path: Path) -> None:
    vault = _vault(tmp_path, {})
    (vault / IGNORE_FILE).write_bytes(b"drafts/\n\xff\n")
    with pytest.raises(BuildError, match=r"\.handbookignore:2:1: expected UTF-8 text"):
        load_notes(vault)


def test_a_reason_with_a_bar_keeps_the_report_table_whole(tmp_path: Path) -> None:
    vault = _vault(tmp_path, {"a.md": "# A\n", OBSIDIAN_SETTINGS: _settings(["/^(a|b)\\.md$/"])})
    page = build_in_memory(vault).pages["report/index.md"]
    assert "userIgnoreFilters: `/^(a\\|b)\\.md$/`) |" in page


def test_rules_are_pure_and_say_why_or_nothing() -> None:
    rules = ignore_rules("drafts/\n!drafts/keep.md\n", _settings(["Inbox"]))
    assert rules.reason("drafts/x.md", folder=False) == "listed in .handbookignore (line 1: `drafts/`)"
    assert rules.reason("drafts/keep.md", folder=False) is None
    assert rules.reason("Inbox", folder=True).startswith("excluded in Obsidian's settings")
    assert rules.reason("notes/inbox.md", folder=False) is None  # a prefix of the path, from the vault's root
    assert ignore_rules(None, None).reason("notes/a.md", folder=False) is None
