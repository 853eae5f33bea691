"""Load stage: find every note under the notes folder and decode it strictly as UTF-8.

Only regular files inside the notes folder are read. A symbolic link is followed only when its target
is a regular file inside the folder and outside its hidden folders; pipes, sockets and devices are
skipped without being opened, so a planted link or FIFO can neither publish another file nor hang
the build.
"""

from __future__ import annotations

import codecs
import math
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from .ignore import IGNORE_FILE, OBSIDIAN_SETTINGS, IgnoreRules, ignore_rules
from .model import BuildError, RawNote
from .paths import note_addresses, reading_order

NOTE_SUFFIXES = (".md", ".markdown")

MB = 1_000_000
NOTE_SIZE_VARIABLE = "HANDBOOK_MAX_NOTE_SIZE"
DATA_SIZE_VARIABLE = "HANDBOOK_MAX_DATA_SIZE"


@dataclass(frozen=True)
class Limits:
    """The most the build reads of one file: notes and data files, in bytes."""

    note_bytes: int = 5 * MB
    data_bytes: int = 1 * MB


DEFAULT_LIMITS = Limits()


HIDDEN_REASON = "hidden folder or file"


@dataclass(frozen=True)
class HiddenNotes:
    """A folder or file holding notes that the build does not publish: hidden (.trash/, .draft.md) or kept out by
    the vault's ignore rules (see ignore.py), as `reason` says."""

    path: str  # relative POSIX path, e.g. ".trash"
    notes: int
    reason: str = HIDDEN_REASON
    # The notes' own paths, so that a link from a published note to one of them can say why it is not there.
    note_paths: tuple[str, ...] = field(default=(), compare=False, repr=False)


@dataclass(frozen=True)
class Skipped:
    """A file or folder in the notes folder that the build did not read, and why."""

    path: str  # relative POSIX path
    reason: str
    warning: bool = True  # False for a harmless skip (a link to a folder whose notes are read where they are)


@dataclass(frozen=True)
class NotesFolder:
    """Everything the later stages need from the notes folder."""

    root: Path
    notes: tuple[RawNote, ...]
    other_files: frozenset[str]  # non-note files (images, attachments), relative POSIX paths
    hidden: tuple[HiddenNotes, ...] = ()
    skipped: tuple[Skipped, ...] = ()
    address_clashes: tuple[tuple[str, ...], ...] = ()  # notes whose names make one address (see note_addresses)


def display_path(path: Path) -> str:
    """A path as a person should see it in messages: relative to the working folder when possible."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(b|bytes?|kb?|mb?|gb?)?\s*$", re.IGNORECASE)
_UNITS = {"": 1, "b": 1, "byte": 1, "bytes": 1, "k": 1000, "kb": 1000, "m": MB, "mb": MB, "g": 1000 * MB,
          "gb": 1000 * MB}


def parse_size(text: str) -> int:
    """A size such as '5MB', '800KB' or '1048576' (bytes) as a number of bytes; ValueError otherwise."""
    found = _SIZE.match(text)
    size = int(float(found[1]) * _UNITS[(found[2] or "").lower()]) if found else 0
    if size < 1:
        raise ValueError(f"expected a size such as 5MB, 800KB or 1000000 (bytes); received {text!r}")
    return size


def format_size(size: int) -> str:
    """A size as a person writes it: '5 MB', '800 KB', or the exact number of bytes."""
    if size % MB == 0:
        return f"{size // MB} MB"
    if size % 1000 == 0:
        return f"{size // 1000} KB"
    return f"{size:,} bytes"


def too_large(what: str, size: int, limit: int, option: str, variable: str) -> str:
    """The message for a file over its size limit, with the option that raises the limit enough for it."""
    enough = f"{math.ceil(size / MB)}MB"
    received = f"{size / MB:.1f} MB ({size:,} bytes)" if size >= MB else f"{size:,} bytes"
    return (f"expected {what} of at most {format_size(limit)}; received {received}; "
            f"raise the limit with {option} {enough} or {variable}={enough}")


class NotRegularFile(Exception):
    """The path is a folder, pipe, socket or device: something the build never reads."""

    def __init__(self, kind: str):
        self.kind = kind
        super().__init__(kind)


class FileTooLarge(Exception):
    """The file holds more bytes than the limit allows."""

    def __init__(self, size: int):
        self.size = size
        super().__init__(size)


def file_kind(mode: int) -> str:
    """What a file of this mode is, in words ('a folder', 'a named pipe (FIFO)')."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    return "a regular file" if stat.S_ISREG(mode) else "a special file"


# Opening a FIFO for reading waits for a writer: O_NONBLOCK returns at once, and fstat then refuses it.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


def read_regular_file(path: str | os.PathLike, limit: int, follow_links: bool = True) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; anything else is never read.

    Raises NotRegularFile (checked before opening, and again on the open file in case it changed),
    FileTooLarge, or OSError. With `follow_links=False` a symbolic link is refused, not followed.
    """
    mode = os.stat(path, follow_symlinks=follow_links).st_mode
    if not stat.S_ISREG(mode):
        raise NotRegularFile(file_kind(mode))  # devices are not even opened: opening one can have effects
    flags = _OPEN_FLAGS if follow_links else _OPEN_FLAGS | getattr(os, "O_NOFOLLOW", 0)
    descriptor = os.open(path, flags)
    with open(descriptor, "rb", buffering=0) as file:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise NotRegularFile(file_kind(status.st_mode))
        if status.st_size > limit:
            raise FileTooLarge(status.st_size)
        # One read of the size fstat gave (a read of `limit` bytes would set aside megabytes for every note),
        # then on to the limit in case the file grew meanwhile.
        parts = [file.read(status.st_size + 1)]
        read = len(parts[0])
        while parts[-1] and read <= limit:
            parts.append(file.read(min(limit + 1 - read, 1 << 20)))
            read += len(parts[-1])
    if read > limit:
        raise FileTooLarge(read)
    return b"".join(parts)


# UTF-32 before UTF-16: a UTF-32 little-endian mark starts with the UTF-16 one.
_MARKS = ((codecs.BOM_UTF32_LE, "UTF-32", "little-endian"), (codecs.BOM_UTF32_BE, "UTF-32", "big-endian"),
          (codecs.BOM_UTF16_LE, "UTF-16", "little-endian"), (codecs.BOM_UTF16_BE, "UTF-16", "big-endian"))
_WIDE_CODECS = (("utf-32-le", "UTF-32", "little-endian", 4), ("utf-32-be", "UTF-32", "big-endian", 4),
                ("utf-16-le", "UTF-16", "little-endian", 2), ("utf-16-be", "UTF-16", "big-endian", 2))


def wide_encoding(data: bytes) -> str | None:
    """'UTF-16 (little-endian, with a byte-order mark)' and the like when the bytes are UTF-16 or UTF-32 text."""
    for mark, name, order in _MARKS:
        if data.startswith(mark):
            return f"{name} ({order}, with a byte-order mark)"
    sample = data[:4096]
    for codec, name, order, width in _WIDE_CODECS:
        try:
            text = sample[: len(sample) - len(sample) % width].decode(codec)
        except UnicodeDecodeError:
            continue
        # Markdown is mostly ASCII whatever its language; binary data read as UTF-16 almost never is.
        if text and "\x00" not in text and sum(ch < "\x80" for ch in text) >= len(text) / 2:
            return f"{name} ({order}, without a byte-order mark)"
    return None


def _line_and_column(data: bytes, position: int) -> tuple[int, int]:
    """The 1-based line and character column of a byte, counting line ends as the normaliser does."""
    before = data[:position]
    line = before.count(b"\n") + before.count(b"\r") - before.count(b"\r\n") + 1
    start = max(before.rfind(b"\n"), before.rfind(b"\r")) + 1
    return line, len(before[start:].decode("utf-8", errors="replace")) + 1


def decode_note(name: str, data: bytes, kind: str = "note") -> str:
    """Decode a note's bytes (or a data file's: `kind`) as UTF-8; UTF-16, binary or invalid UTF-8 is an error."""
    nul = data.find(b"\x00")
    wide = wide_encoding(data) if nul != -1 or data.startswith((b"\xff\xfe", b"\xfe\xff")) else None
    if wide:
        raise BuildError(name, f"expected UTF-8 text; received {wide}: save the {kind} as UTF-8")
    if nul != -1:
        line, column = _line_and_column(data, nul) if _valid_utf8_before(data, nul) else (None, None)
        raise BuildError(name, f"expected a UTF-8 text {kind}; received a binary file (NUL byte)",
                         line=line, offset=nul, column=column)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = _line_and_column(data, exc.start)
        raise BuildError(name, f"expected UTF-8 text; received the invalid byte 0x{data[exc.start]:02x}",
                         line=line, offset=exc.start, column=column) from None


def _valid_utf8_before(data: bytes, position: int) -> bool:
    try:
        data[:position].decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _is_note(filename: str) -> bool:
    return filename.lower().endswith(NOTE_SUFFIXES)


def _notes_under(folder: str, relative: str) -> tuple[str, ...]:
    """The paths (under the notes folder, `relative` being the folder's) of the notes in a hidden folder (never a
    link itself), without following the links in it."""
    found: list[str] = []
    folders = [(folder, relative)]
    while folders:  # a stack, not recursion: a deep tree cannot exhaust the call stack
        real, prefix = folders.pop()
        try:
            with os.scandir(real) as listing:
                for entry in listing:
                    if entry.is_dir(follow_symlinks=False):
                        folders.append((entry.path, f"{prefix}/{entry.name}"))
                    elif _is_note(entry.name):
                        found.append(f"{prefix}/{entry.name}")
        except OSError:
            continue  # an unreadable folder among the hidden ones holds nothing to count
    return tuple(sorted(found))


def _hidden(relative: str, note_paths: tuple[str, ...], reason: str = HIDDEN_REASON) -> HiddenNotes:
    """The record of a hidden or ignored folder or file and the notes in it."""
    return HiddenNotes(relative, len(note_paths), reason, note_paths)


@dataclass(frozen=True)
class _Found:
    """What the walk found: note and other paths, the real file behind each followed link, and what it left."""

    notes: list[str]
    others: list[str]
    targets: dict[str, str]  # relative path of a followed link -> the real path of the file it names
    hidden: list[HiddenNotes]
    skipped: list[Skipped]


def _link_target(path: str, real_root: str) -> str | Skipped:
    """The real path behind a symbolic link when the build may read it, else why it is skipped (path left blank)."""
    target = os.path.realpath(path)
    try:
        mode: int | None = os.stat(target).st_mode
    except OSError:
        mode = None
    if target != real_root and not target.startswith(real_root.rstrip(os.sep) + os.sep):
        where = "folder" if mode is not None and stat.S_ISDIR(mode) else "file"
        return Skipped("", f"a symbolic link to a {where} outside the notes folder")
    if any(part.startswith(".") for part in Path(os.path.relpath(target, real_root)).parts):
        return Skipped("", "a symbolic link to a hidden file or folder, which is not published")
    if mode is None:
        return Skipped("", "a symbolic link to a file that does not exist")
    if stat.S_ISDIR(mode):
        return Skipped("", "a symbolic link to a folder inside the notes folder, whose notes are read where they are",
                       warning=False)
    if not stat.S_ISREG(mode):
        return Skipped("", f"a symbolic link to {file_kind(mode)}, not a regular file")
    return target


def _ignored(entry: os.DirEntry, relative: str, rules: IgnoreRules, found: _Found) -> bool:
    """Whether the vault's ignore rules keep the entry out; the notes it holds are counted with the reason."""
    folder = entry.is_dir(follow_symlinks=False)
    reason = rules.reason(relative, folder)
    if reason is None:
        return False
    notes = _notes_under(entry.path, relative) if folder else (relative,) if _is_note(entry.name) else ()
    if notes:
        found.hidden.append(_hidden(relative, notes, reason))
    return True


def _walk(root: Path, rules: IgnoreRules = IgnoreRules()) -> _Found:
    found = _Found([], [], {}, [], [])
    real_root = os.path.realpath(root)
    folders = [("", os.fspath(root))]  # a stack, not recursion: a deep tree cannot exhaust the call stack
    while folders:
        prefix, folder = folders.pop()
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)  # in any order: what was found is sorted at the end
        except OSError as exc:
            if not prefix:
                raise  # the notes folder itself
            found.skipped.append(Skipped(prefix.rstrip("/"), f"cannot read the folder: {exc.strerror or exc}"))
            continue
        for entry in entries:
            relative = prefix + entry.name
            if entry.name.startswith("."):
                # Obsidian and git keep their own data in dot-folders (deleted notes in .trash); they are not
                # published. Links among them are not even counted: one could point anywhere.
                if entry.is_symlink():
                    continue
                if entry.is_dir(follow_symlinks=False):
                    notes = _notes_under(entry.path, relative)
                    if notes:
                        found.hidden.append(_hidden(relative, notes))
                elif _is_note(entry.name):
                    found.hidden.append(_hidden(relative, (relative,)))
                continue
            if _ignored(entry, relative, rules, found):
                continue
            if entry.is_symlink():
                target = _link_target(entry.path, real_root)
                if isinstance(target, Skipped):
                    found.skipped.append(Skipped(relative, target.reason, target.warning))
                    continue
                found.targets[relative] = target
            elif entry.is_dir(follow_symlinks=False):
                folders.append((relative + "/", entry.path))
                continue
            elif not entry.is_file(follow_symlinks=False):
                kind = file_kind(entry.stat(follow_symlinks=False).st_mode)
                found.skipped.append(Skipped(relative, f"{kind}, not a regular file"))
                continue
            (found.notes if _is_note(entry.name) else found.others).append(relative)
    found.notes.sort(key=reading_order)
    found.others.sort()
    found.hidden.sort(key=lambda h: h.path)
    found.skipped.sort(key=lambda s: s.path)
    return found


def read_small_text(path: Path, name: str, limits: Limits, what: str, expected: str, kind: str,
                    follow_links: bool = True) -> str:
    """The text of a data or settings file (a regular file of at most limits.data_bytes), with errors named for
    `name`: `what` it is ("a data file"), what a file of another kind should have been, and its `kind` for
    encoding errors."""
    try:
        data = read_regular_file(path, limits.data_bytes, follow_links=follow_links)
    except FileNotFoundError:
        raise BuildError(name, "file not found") from None
    except NotRegularFile as exc:
        raise BuildError(name, f"expected {expected}; received {exc.kind}") from None
    except FileTooLarge as exc:
        raise BuildError(name, too_large(what, exc.size, limits.data_bytes, "--max-data-size",
                                         DATA_SIZE_VARIABLE)) from None
    except OSError as exc:
        raise BuildError(name, f"cannot read the file: {exc.strerror or exc}") from None
    return decode_note(name, data, kind=kind)


def _settings_text(notes_dir: Path, relative: str, limits: Limits, shown: str) -> str | None:
    """The text of a settings file inside the notes folder (a regular file, never a link), or None without one."""
    path = notes_dir / relative
    if not os.path.lexists(path):
        return None
    return read_small_text(path, f"{shown}/{relative}", limits, "a settings file", "a regular file",
                           kind="settings file", follow_links=False)


def read_ignore_rules(notes_dir: Path, limits: Limits = DEFAULT_LIMITS) -> IgnoreRules:
    """The vault's own rules for what is not published: its ignore file and Obsidian's excluded files."""
    shown = display_path(notes_dir)
    ignore_file = _settings_text(notes_dir, IGNORE_FILE, limits, shown)
    obsidian_settings = _settings_text(notes_dir, OBSIDIAN_SETTINGS, limits, shown)
    try:
        return ignore_rules(ignore_file, obsidian_settings)
    except BuildError as error:  # named by its path inside the notes folder
        raise error.inside(shown) from None


def load_notes(notes_dir: Path, limits: Limits = DEFAULT_LIMITS) -> NotesFolder:
    """Read every note below `notes_dir` in path order; stop on the first unreadable or over-size one."""
    shown = display_path(notes_dir)
    if not notes_dir.is_dir():
        raise BuildError(shown, "notes folder not found: expected a folder of Markdown notes")
    rules = read_ignore_rules(notes_dir, limits)
    try:
        found = _walk(notes_dir, rules)
    except OSError as exc:
        raise BuildError(shown, f"cannot read the notes folder: {exc.strerror or exc}") from None
    skipped = list(found.skipped)
    notes = []
    for relative in found.notes:
        name = f"{shown}/{relative}"  # as display_path(file) shows it, without resolving every file
        try:
            # A followed link is opened at its checked target, and nothing else is opened through a link.
            data = read_regular_file(found.targets.get(relative) or os.path.join(notes_dir, relative),
                                     limits.note_bytes, follow_links=False)
        except NotRegularFile as exc:  # it changed since the walk
            skipped.append(Skipped(relative, f"{exc.kind}, not a regular file"))
            continue
        except FileTooLarge as exc:
            raise BuildError(name, too_large("a note", exc.size, limits.note_bytes, "--max-note-size",
                                             NOTE_SIZE_VARIABLE)) from None
        except OSError as exc:
            raise BuildError(name, f"cannot read the note: {exc.strerror or exc}") from None
        notes.append(RawNote(path=relative, text=decode_note(name, data), size=len(data)))
    if not notes:
        raise BuildError(shown, "no notes found: expected at least one .md file in this folder")
    return NotesFolder(root=notes_dir, notes=tuple(notes), other_files=frozenset(found.others),
                       hidden=tuple(found.hidden), skipped=tuple(sorted(skipped, key=lambda s: s.path)),
                       address_clashes=note_addresses(note.path for note in notes).clashes)
