"""The load stage: which files are notes, and clear errors for unreadable ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from handbook.load import HiddenNotes, decode_note, load_notes
from handbook.model import BuildError


def test_reads_notes_in_a_file_explorers_order_and_lists_other_files(tmp_path: Path) -> None:
    (tmp_path / "b.md").write_text("# B\n", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.markdown").write_text("# A\n", encoding="utf-8")
    (tmp_path / "sub" / "picture.png").write_bytes(b"\x89PNG")
    (tmp_path / ".obsidian").mkdir()
    (tmp_path / ".obsidian" / "workspace.md").write_text("not a note", encoding="utf-8")
    for name in ("10. Other/x.md", "2. Compute/x.md", "Note 10.md", "note 9.md"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("# N\n", encoding="utf-8")
    folder = load_notes(tmp_path)
    # Subfolders before files, numbers by value, letters whatever their case.
    assert [n.path for n in folder.notes] == [
        "2. Compute/x.md", "10. Other/x.md", "sub/a.markdown", "b.md", "note 9.md", "Note 10.md",
    ]
    assert folder.other_files == frozenset({"sub/picture.png"})
    assert folder.notes[3].size == 4
    assert folder.hidden == (HiddenNotes(".obsidian", 1),)


def test_hidden_notes_are_counted_not_published(tmp_path: Path) -> None:
    (tmp_path / "kept.md").write_text("# Kept\n", encoding="utf-8")
    (tmp_path / ".trash" / "old").mkdir(parents=True)
    for name in ("a.md", "old/b.md"):
        (tmp_path / ".trash" / name).write_text("# Deleted\n", encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD").write_text("ref\n", encoding="utf-8")  # no notes: not listed
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / ".draft.md").write_text("# Draft\n", encoding="utf-8")
    folder = load_notes(tmp_path)
    assert [n.path for n in folder.notes] == ["kept.md"]
    assert folder.hidden == (HiddenNotes(".trash", 2), HiddenNotes("sub/.draft.md", 1))


def test_missing_folder_is_named(tmp_path: Path) -> None:
    with pytest.raises(BuildError) as caught:
        load_notes(tmp_path / "nowhere")
    assert caught.value.message == "notes folder not found: expected a folder of Markdown notes"
    assert caught.value.path.endswith("nowhere")


def test_empty_folder_is_named(tmp_path: Path) -> None:
    (tmp_path / "readme.txt").write_text("not markdown", encoding="utf-8")
    with pytest.raises(BuildError) as caught:
        load_notes(tmp_path)
    assert caught.value.message == "no notes found: expected at least one .md file in this folder"


def test_invalid_utf8_names_file_and_byte_offset() -> None:
    with pytest.raises(BuildError) as caught:
        decode_note("notes/bad.md", "# Café\n".encode("utf-8") + b"caf\xe9\n")
    assert caught.value.describe() == "notes/bad.md (byte 11): expected UTF-8 text; received the invalid byte 0xe9"


def test_binary_file_is_rejected_with_offset() -> None:
    with pytest.raises(BuildError) as caught:
        decode_note("notes/image.md", b"\x89PNG\r\n\x1a\n\x00\x00")
    assert caught.value.describe() == (
        "notes/image.md (byte 8): expected a UTF-8 text note; received a binary file (NUL byte)"
    )


def test_bom_and_line_ends_are_left_for_the_normaliser() -> None:
    assert decode_note("n.md", b"\xef\xbb\xbf# T\r\n") == "\ufeff# T\r\n"


def test_two_notes_with_the_same_page_address_are_named(tmp_path: Path) -> None:
    (tmp_path / "a b.md").write_text("# First\n", encoding="utf-8")
    (tmp_path / "A-B.md").write_text("# Second\n", encoding="utf-8")
    with pytest.raises(BuildError) as caught:
        load_notes(tmp_path)
    assert caught.value.path.endswith("A-B.md")  # the later one in reading order
    assert caught.value.message == (
        "expected a page address of its own; received 'a-b', already taken by the note 'a b.md' (rename one of the two)"
    )


def test_two_notes_whose_names_differ_only_in_accent_encoding_are_told_apart(tmp_path: Path) -> None:
    import unicodedata

    composed, decomposed = unicodedata.normalize("NFC", "Café.md"), unicodedata.normalize("NFD", "Café.md")
    (tmp_path / composed).write_text("# One\n", encoding="utf-8")
    (tmp_path / decomposed).write_text("# Two\n", encoding="utf-8")
    with pytest.raises(BuildError) as caught:
        load_notes(tmp_path)
    assert caught.value.path.endswith(composed)
    assert caught.value.message == (
        f"expected a page address of its own; received 'cafe', already taken by the note '{decomposed}' (rename one of "
        "the two; the names look the same but encode their accents differently, one as single characters (NFC) "
        "and one as letters plus accents (NFD))"
    )


def test_notes_named_in_other_scripts_keep_their_own_pages(tmp_path: Path) -> None:
    for name in ("日本.md", "中文.md", "заметка.md"):
        (tmp_path / name).write_text("# Note\n", encoding="utf-8")
    assert len(load_notes(tmp_path).notes) == 3
