"""The load stage: which files are notes, and clear errors for unreadable ones."""

from __future__ import annotations

import os
import shutil
import signal
import socket
from pathlib import Path

import pytest

from handbook.load import (
    DEFAULT_LIMITS, MB, FileTooLarge, HiddenNotes, Limits, NotRegularFile, Skipped, decode_note, display_path,
    format_size, load_notes, parse_size, read_regular_file,
)
from handbook.model import BuildError

from tests.conftest import copy_project, run_build

NOTES = Path(__file__).resolve().parents[1] / "data" / "notes"


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


def test_invalid_utf8_names_file_line_and_column() -> None:
    with pytest.raises(BuildError) as caught:
        decode_note("notes/bad.md", "# Café\n".encode("utf-8") + b"caf\xe9\n")
    assert caught.value.describe() == "notes/bad.md:2:4: expected UTF-8 text; received the invalid byte 0xe9"
    assert (caught.value.line, caught.value.column, caught.value.offset) == (2, 4, 11)


@pytest.mark.parametrize(
    ("data", "where"),
    [
        pytest.param(b"\xe9", "1:1", id="first-byte"),
        pytest.param("é€\n".encode("utf-8") + b"\xff", "2:1", id="after-wide-characters"),
        pytest.param("line\r\nnext\rthird é".encode("utf-8") + b"\xc3(", "3:8", id="crlf-and-cr-line-ends"),
        pytest.param("日本語 ".encode("utf-8") + b"\xe6\x97", "1:5", id="cut-off-character"),
    ],
)
def test_the_column_of_an_invalid_byte_counts_characters_and_every_line_end(data: bytes, where: str) -> None:
    with pytest.raises(BuildError) as caught:
        decode_note("n.md", data)
    assert caught.value.describe().startswith(f"n.md:{where}: expected UTF-8 text; received the invalid byte 0x")


@pytest.mark.parametrize(
    ("data", "received"),
    [
        pytest.param("# Note\n".encode("utf-16"), "UTF-16 (little-endian, with a byte-order mark)", id="utf16-le-bom"),
        pytest.param(b"\xfe\xff" + "# Note\n".encode("utf-16-be"), "UTF-16 (big-endian, with a byte-order mark)",
                     id="utf16-be-bom"),
        pytest.param("# Note\n".encode("utf-16-le"), "UTF-16 (little-endian, without a byte-order mark)",
                     id="utf16-le"),
        pytest.param("# Nöte über Ünïcode\n".encode("utf-16-be"), "UTF-16 (big-endian, without a byte-order mark)",
                     id="utf16-be"),
        pytest.param("# Note\n".encode("utf-32"), "UTF-32 (little-endian, with a byte-order mark)", id="utf32-bom"),
        pytest.param("# Note\n".encode("utf-32-be"), "UTF-32 (big-endian, without a byte-order mark)", id="utf32-be"),
    ],
)
def test_a_utf16_or_utf32_note_is_named_as_such(data: bytes, received: str) -> None:
    with pytest.raises(BuildError) as caught:
        decode_note("notes/note.md", data)
    assert caught.value.describe() == f"notes/note.md: expected UTF-8 text; received {received}: save the note as UTF-8"


def test_binary_file_is_rejected_with_offset() -> None:
    with pytest.raises(BuildError) as caught:
        decode_note("notes/image.md", b"\x89PNG\r\n\x1a\n\x00\x00")
    assert caught.value.describe() == (
        "notes/image.md (byte 8): expected a UTF-8 text note; received a binary file (NUL byte)"
    )


def test_bom_and_line_ends_are_left_for_the_normaliser() -> None:
    assert decode_note("n.md", b"\xef\xbb\xbf# T\r\n") == "\ufeff# T\r\n"


def test_two_notes_with_the_same_page_address_are_named_and_both_read(tmp_path: Path) -> None:
    (tmp_path / "a b.md").write_text("# First\n", encoding="utf-8")
    (tmp_path / "A-B.md").write_text("# Second\n", encoding="utf-8")
    folder = load_notes(tmp_path)
    assert sorted(note.path for note in folder.notes) == ["A-B.md", "a b.md"]
    assert folder.address_clashes == (("A-B.md", "a b.md"),)


def test_notes_whose_names_make_different_addresses_clash_with_none(tmp_path: Path) -> None:
    (tmp_path / "privacy_policy.md").write_text("# One\n", encoding="utf-8")
    (tmp_path / "privacy-policy.md").write_text("# Two\n", encoding="utf-8")
    assert load_notes(tmp_path).address_clashes == ()


def test_notes_named_in_other_scripts_keep_their_own_pages(tmp_path: Path) -> None:
    for name in ("日本.md", "中文.md", "заметка.md"):
        (tmp_path / name).write_text("# Note\n", encoding="utf-8")
    assert len(load_notes(tmp_path).notes) == 3


def test_a_binary_file_with_a_nul_after_text_names_the_line() -> None:
    with pytest.raises(BuildError) as caught:
        decode_note("notes/x.md", b"# Title\ntext\x00more")
    assert caught.value.describe() == "notes/x.md:2:5: expected a UTF-8 text note; received a binary file (NUL byte)"


# ---- size limits --------------------------------------------------------------------------------------


def test_a_note_over_the_size_limit_stops_the_build_and_says_how_to_raise_it(tmp_path: Path) -> None:
    (tmp_path / "small.md").write_text("# Small\n", encoding="utf-8")
    (tmp_path / "big.md").write_bytes(b"x" * 2_500_000)
    with pytest.raises(BuildError) as caught:
        load_notes(tmp_path, Limits(note_bytes=2 * MB))
    assert caught.value.path.endswith("/big.md")
    assert caught.value.message == (
        "expected a note of at most 2 MB; received 2.5 MB (2,500,000 bytes); raise the limit with "
        "--max-note-size 3MB or HANDBOOK_MAX_NOTE_SIZE=3MB"
    )
    assert [n.path for n in load_notes(tmp_path, Limits(note_bytes=2_500_000)).notes] == ["big.md", "small.md"]


def test_a_note_of_the_default_limit_is_read(tmp_path: Path) -> None:
    (tmp_path / "big.md").write_bytes(b"x" * DEFAULT_LIMITS.note_bytes)
    assert load_notes(tmp_path).notes[0].size == 5_000_000
    (tmp_path / "big.md").write_bytes(b"x" * (DEFAULT_LIMITS.note_bytes + 1))
    with pytest.raises(BuildError) as caught:
        load_notes(tmp_path)
    assert caught.value.message == (
        "expected a note of at most 5 MB; received 5.0 MB (5,000,001 bytes); raise the limit with "
        "--max-note-size 6MB or HANDBOOK_MAX_NOTE_SIZE=6MB"
    )


@pytest.mark.parametrize(
    ("text", "size"),
    [("5MB", 5_000_000), ("5 mb", 5_000_000), ("800KB", 800_000), ("1.5M", 1_500_000), ("1048576", 1_048_576),
     ("2GB", 2_000_000_000), ("12 bytes", 12)],
)
def test_sizes_are_read_as_people_write_them(text: str, size: int) -> None:
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["", "five", "0", "-1MB", "5TB", "MB"])
def test_a_size_that_is_not_one_is_refused(text: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_size(text)
    assert str(caught.value) == f"expected a size such as 5MB, 800KB or 1000000 (bytes); received {text!r}"


def test_sizes_are_written_as_people_write_them() -> None:
    assert [format_size(n) for n in (5_000_000, 800_000, 1234)] == ["5 MB", "800 KB", "1,234 bytes"]


def test_the_size_limits_come_from_options_or_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from build import parse_args

    assert parse_args([]).limits == Limits(note_bytes=5_000_000, data_bytes=1_000_000)
    assert parse_args(["--max-note-size", "20MB", "--max-data-size", "2MB"]).limits == Limits(20_000_000, 2_000_000)
    monkeypatch.setenv("HANDBOOK_MAX_NOTE_SIZE", "12MB")
    assert parse_args([]).limits.note_bytes == 12_000_000
    assert parse_args(["--max-note-size", "1MB"]).limits.note_bytes == 1_000_000  # the option wins


def test_a_size_option_that_is_not_a_size_is_an_error_not_a_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    from build import parse_args

    with pytest.raises(SystemExit):
        parse_args(["--max-note-size", "big"])
    assert ("argument --max-note-size: expected a size such as 5MB, 800KB or 1000000 (bytes); received 'big'"
            in capsys.readouterr().err)


# ---- what is read: regular files inside the notes folder only --------------------------------------------


def planted(tmp_path: Path) -> tuple[Path, Path]:
    """A repository whose notes folder holds links out of it; returns (notes folder, a secret file outside it)."""
    repo = tmp_path / "repo"
    notes = repo / "data" / "notes"
    notes.mkdir(parents=True)
    (repo / ".git").mkdir()
    secret = repo / ".git" / "config"
    secret.write_text("[remote]\n\turl = https://token-SECRET-7f3a@example.com/repo\n", encoding="utf-8")
    (notes / "kept.md").write_text("# Kept\n", encoding="utf-8")
    return notes, secret


def skipped_of(folder) -> dict[str, str]:
    return {s.path: s.reason for s in folder.skipped}


def test_a_link_to_a_file_outside_the_notes_folder_is_skipped_with_its_name(tmp_path: Path) -> None:
    notes, _ = planted(tmp_path)
    (notes / "leak.md").symlink_to("../../.git/config")
    (notes / "passwd.md").symlink_to("/etc/passwd")
    folder = load_notes(notes)
    assert [n.path for n in folder.notes] == ["kept.md"]
    assert folder.skipped == (
        Skipped("leak.md", "a symbolic link to a file outside the notes folder"),
        Skipped("passwd.md", "a symbolic link to a file outside the notes folder"),
    )


def test_a_link_to_a_device_is_skipped_without_being_opened(tmp_path: Path) -> None:
    notes, _ = planted(tmp_path)
    (notes / "zero.md").symlink_to("/dev/zero")
    (notes / "picture.png").symlink_to("/dev/random")
    folder = load_notes(notes)
    assert skipped_of(folder) == {"zero.md": "a symbolic link to a file outside the notes folder",
                                  "picture.png": "a symbolic link to a file outside the notes folder"}
    assert folder.other_files == frozenset()


def _fail_after(seconds: int):
    """Fail the test instead of hanging it when something opens a FIFO and waits for a writer."""
    def hung(*_):
        raise AssertionError(f"hung for {seconds} s")
    signal.signal(signal.SIGALRM, hung)
    signal.alarm(seconds)


@pytest.mark.skipif(not hasattr(os, "mkfifo") or not hasattr(socket, "AF_UNIX"), reason="needs pipes and sockets")
def test_a_fifo_or_socket_is_skipped_without_being_opened(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    notes, _ = planted(tmp_path)
    os.mkfifo(notes / "x.md")
    os.mkfifo(notes / "pipe.png")
    (notes / "sub").mkdir()
    (notes / "sub" / "to-pipe.md").symlink_to("../x.md")
    monkeypatch.chdir(notes)  # a socket's path must be short
    with socket.socket(socket.AF_UNIX) as server:
        server.bind("socket.md")
        _fail_after(20)
        try:
            folder = load_notes(notes)
        finally:
            signal.alarm(0)
    assert [n.path for n in folder.notes] == ["kept.md"]
    assert skipped_of(folder) == {
        "pipe.png": "a named pipe (FIFO), not a regular file",
        "socket.md": "a socket, not a regular file",
        "sub/to-pipe.md": "a symbolic link to a named pipe (FIFO), not a regular file",
        "x.md": "a named pipe (FIFO), not a regular file",
    }
    assert folder.other_files == frozenset()


def test_a_linked_folder_outside_the_notes_folder_is_not_walked(tmp_path: Path) -> None:
    notes, _ = planted(tmp_path)
    (notes / "repo").symlink_to("../..", target_is_directory=True)
    (notes / "etc").symlink_to("/etc", target_is_directory=True)
    folder = load_notes(notes)
    assert [n.path for n in folder.notes] == ["kept.md"]
    assert folder.skipped == (Skipped("etc", "a symbolic link to a folder outside the notes folder"),
                              Skipped("repo", "a symbolic link to a folder outside the notes folder"))


def test_a_link_inside_the_notes_folder_is_read_as_the_file_it_names(tmp_path: Path) -> None:
    notes, _ = planted(tmp_path)
    (notes / "real").mkdir()
    (notes / "real" / "target.md").write_text("# Target\n", encoding="utf-8")
    (notes / "real" / "image.png").write_bytes(b"\x89PNG")
    (notes / "alias.md").symlink_to("real/target.md")
    (notes / "picture.png").symlink_to("real/image.png")
    (notes / "again").symlink_to("real", target_is_directory=True)  # its notes are read where they are
    folder = load_notes(notes)
    assert [(n.path, n.text) for n in folder.notes] == [("real/target.md", "# Target\n"), ("alias.md", "# Target\n"),
                                                        ("kept.md", "# Kept\n")]
    assert folder.other_files == frozenset({"picture.png", "real/image.png"})
    assert folder.skipped == (Skipped("again", "a symbolic link to a folder inside the notes folder, whose notes are "
                                               "read where they are", warning=False),)


def test_a_link_to_a_hidden_file_inside_the_notes_folder_is_skipped(tmp_path: Path) -> None:
    # A vault that is its own git repository keeps .git/config inside the notes folder.
    notes, _ = planted(tmp_path)
    (notes / ".git").mkdir()
    (notes / ".git" / "config").write_text("[remote]\n", encoding="utf-8")
    (notes / "leak.md").symlink_to(".git/config")
    (notes / "dangling.md").symlink_to("nowhere.md")
    folder = load_notes(notes)
    assert [n.path for n in folder.notes] == ["kept.md"]
    assert skipped_of(folder) == {"dangling.md": "a symbolic link to a file that does not exist",
                                  "leak.md": "a symbolic link to a hidden file or folder, which is not published"}


def test_a_hidden_link_is_neither_followed_nor_counted(tmp_path: Path) -> None:
    notes, _ = planted(tmp_path)
    (notes / ".everything").symlink_to("/", target_is_directory=True)
    (notes / ".trash").mkdir()
    (notes / ".trash" / "old.md").write_text("# Old\n", encoding="utf-8")
    (notes / ".trash" / "root").symlink_to("/", target_is_directory=True)
    folder = load_notes(notes)
    assert folder.hidden == (HiddenNotes(".trash", 1),)
    assert folder.skipped == ()


def test_a_notes_folder_reached_through_a_link_is_read(tmp_path: Path) -> None:
    notes, _ = planted(tmp_path)
    (notes / "sub").mkdir()
    (notes / "sub" / "a.md").write_text("# A\n", encoding="utf-8")
    (notes / "up.md").symlink_to("sub/a.md")
    (tmp_path / "vault").symlink_to(notes, target_is_directory=True)
    folder = load_notes(tmp_path / "vault")
    assert [n.path for n in folder.notes] == ["sub/a.md", "kept.md", "up.md"]
    assert folder.skipped == ()


def test_read_regular_file_refuses_what_is_not_a_regular_file(tmp_path: Path) -> None:
    with pytest.raises(NotRegularFile) as caught:
        read_regular_file("/dev/zero", 10)
    assert caught.value.kind == "a device"
    with pytest.raises(NotRegularFile) as caught:
        read_regular_file(tmp_path, 10)
    assert caught.value.kind == "a folder"
    (tmp_path / "f").write_bytes(b"12345")
    assert read_regular_file(tmp_path / "f", 5) == b"12345"
    with pytest.raises(FileTooLarge) as too_big:
        read_regular_file(tmp_path / "f", 4)
    assert too_big.value.size == 5
    (tmp_path / "link").symlink_to(tmp_path / "f")
    with pytest.raises(NotRegularFile) as caught:
        read_regular_file(tmp_path / "link", 10, follow_links=False)
    assert caught.value.kind == "a symbolic link"


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_planted_links_and_pipes_publish_nothing_outside_the_notes_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = copy_project(tmp_path / "project")
    marker = "Zanzibar-7f3a-SECRET"
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text(f"# Secret\n\n{marker}\n", encoding="utf-8")
    (outside / "secret.png").write_bytes(b"\x89PNG\r\n\x1a\n" + marker.encode())
    (outside / "folder").mkdir()
    (outside / "folder" / "inner.md").write_text(f"# Inner\n\n{marker}\n", encoding="utf-8")
    notes = tmp_path / "notes"
    shutil.copytree(NOTES, notes)
    (notes / "embeds.md").write_text("# Embeds\n\n![[secret.png]]\n\n[[secret]] and [[inner]]\n", encoding="utf-8")
    (notes / "secret.md").symlink_to(outside / "secret.md")
    (notes / "secret.png").symlink_to(outside / "secret.png")
    (notes / "linked").symlink_to(outside / "folder", target_is_directory=True)
    (notes / "passwd.md").symlink_to("/etc/passwd")
    (notes / "zero.md").symlink_to("/dev/zero")
    os.mkfifo(notes / "x.md")
    capsys.readouterr()
    _fail_after(300)
    try:
        assert run_build(root, notes=notes) == 0
    finally:
        signal.alarm(0)
    shown = display_path(notes)
    warnings = [line for line in capsys.readouterr().err.splitlines() if "skipped" in line]
    assert warnings == [
        f"WARNING -  {shown}/linked: skipped: a symbolic link to a folder outside the notes folder; not read",
        f"WARNING -  {shown}/passwd.md: skipped: a symbolic link to a file outside the notes folder; not read",
        f"WARNING -  {shown}/secret.md: skipped: a symbolic link to a file outside the notes folder; not read",
        f"WARNING -  {shown}/secret.png: skipped: a symbolic link to a file outside the notes folder; not read",
        f"WARNING -  {shown}/x.md: skipped: a named pipe (FIFO), not a regular file; not read",
        f"WARNING -  {shown}/zero.md: skipped: a symbolic link to a file outside the notes folder; not read",
    ]
    published = [path for folder in (root / "site", root / "docs") for path in folder.rglob("*") if path.is_file()]
    assert any(path.name == "search_index.json" for path in published)
    assert (root / "docs" / "handbook" / "notes" / "embeds.md").exists()
    for path in published:
        data = path.read_bytes()
        assert marker.encode() not in data, path
        assert b"root:x:0:0" not in data, path
