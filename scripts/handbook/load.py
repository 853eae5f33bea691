"""Load stage: find every note under the notes folder and decode it strictly as UTF-8."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .model import BuildError, RawNote
from .paths import note_slug, reading_order, same_looking_names

NOTE_SUFFIXES = (".md", ".markdown")


@dataclass(frozen=True)
class HiddenNotes:
    """A hidden folder or file (.trash/, .draft.md) holding notes that the build does not publish."""

    path: str  # relative POSIX path, e.g. ".trash"
    notes: int


@dataclass(frozen=True)
class NotesFolder:
    """Everything the later stages need from the notes folder."""

    root: Path
    notes: tuple[RawNote, ...]
    other_files: frozenset[str]  # non-note files (images, attachments), relative POSIX paths
    hidden: tuple[HiddenNotes, ...] = ()


def display_path(path: Path) -> str:
    """A path as a person should see it in messages: relative to the working folder when possible."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def decode_note(name: str, data: bytes) -> str:
    """Decode note bytes as UTF-8; binary content or invalid UTF-8 is an error naming the byte offset."""
    nul = data.find(b"\x00")
    if nul != -1:
        raise BuildError(name, "expected a UTF-8 text note; received a binary file (NUL byte)", offset=nul)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BuildError(
            name, f"expected UTF-8 text; received the invalid byte 0x{data[exc.start]:02x}", offset=exc.start
        ) from None


def _is_note(filename: str) -> bool:
    return filename.lower().endswith(NOTE_SUFFIXES)


def _count_notes(folder: Path) -> int:
    return sum(1 for _, _, filenames in os.walk(folder) for name in filenames if _is_note(name))


def _walk(root: Path) -> tuple[list[str], list[str], list[HiddenNotes]]:
    notes: list[str] = []
    others: list[str] = []
    hidden: list[HiddenNotes] = []
    for folder, dirnames, filenames in os.walk(root):
        # Obsidian and git keep their own data in dot-folders (deleted notes in .trash); they are not published.
        for name in sorted(d for d in dirnames if d.startswith(".")):
            count = _count_notes(Path(folder) / name)
            if count:
                hidden.append(HiddenNotes((Path(folder) / name).relative_to(root).as_posix(), count))
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        place = Path(folder).relative_to(root).as_posix()  # once per folder: a folder can hold thousands of notes
        prefix = "" if place == "." else f"{place}/"
        for filename in sorted(filenames):
            if filename.startswith("."):
                if _is_note(filename):
                    hidden.append(HiddenNotes(prefix + filename, 1))
                continue
            (notes if _is_note(filename) else others).append(prefix + filename)
    return sorted(notes, key=reading_order), sorted(others), sorted(hidden, key=lambda h: h.path)


def _check_page_names(notes: list[RawNote], shown: str) -> None:
    """Two notes whose names give the same page address ('a b.md', 'a-b.md') would overwrite each other."""
    owners: dict[str, str] = {}
    for note in notes:
        slug = note_slug(note.path)
        if slug in owners:
            raise BuildError(
                f"{shown}/{note.path}",
                f"expected a page address of its own; received '{slug}', already taken by the note "
                f"'{owners[slug]}' ({same_looking_names(note.path, owners[slug])})",
            )
        owners[slug] = note.path


def load_notes(notes_dir: Path) -> NotesFolder:
    """Read every note below `notes_dir` in path order; stop on the first unreadable one."""
    shown = display_path(notes_dir)
    if not notes_dir.is_dir():
        raise BuildError(shown, "notes folder not found: expected a folder of Markdown notes")
    note_paths, other_paths, hidden = _walk(notes_dir)
    if not note_paths:
        raise BuildError(shown, "no notes found: expected at least one .md file in this folder")
    notes = []
    for relative in note_paths:
        name = f"{shown}/{relative}"  # as display_path(file) shows it, without resolving every file
        try:
            with open(os.path.join(notes_dir, relative), "rb") as file:
                data = file.read()
        except OSError as exc:
            raise BuildError(name, f"cannot read the note: {exc.strerror or exc}") from None
        notes.append(RawNote(path=relative, text=decode_note(name, data), size=len(data)))
    _check_page_names(notes, shown)
    return NotesFolder(root=notes_dir, notes=tuple(notes), other_files=frozenset(other_paths), hidden=tuple(hidden))
