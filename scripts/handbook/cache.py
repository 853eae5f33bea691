"""What one build keeps for the next: each note's normalised result, in a folder of its own (.cache/handbook/).

A result is kept under a key made of the note's path and text, the data files normalising reads, the vault's
other files (which embeds find), and the code's version (every source file of this package, the pinned
requirements and the Python that runs them). The vault's vocabulary, counted over all notes, is checked per
result: a result stands only while the vocabulary makes the same spelling choices for its words.

It also holds the record of a root's last build (LastBuildRecord: when nothing the build reads changed and its
outputs are as it left them, there is nothing to do) and, in PAGES_DIR, MkDocs' page conversions (see
mkdocs_run.PageCache).

The stages are handed a cache object (NoteCache, or NoCache for `--no-cache`), never a global.
Each notes folder gets one pack file holding the results of its latest build, written whole to a temporary
file and renamed into place; at most MAX_PACKS packs stay, the most recently written. A pack that is not the
cache's own, or damaged, is ignored and its notes are normalised again.
"""

from __future__ import annotations

import json
import logging
import marshal
import os
import re
import stat
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .model import Note, RawNote
from .normalise import Finding, NormaliseContext
from .normalise.context import DATA_FILES
from .normalise.parallel import unpack_note
from .packs import digest, drop_oldest, read_pack, write_atomically, write_pack

log = logging.getLogger("handbook")

PACKAGE = Path(__file__).resolve().parent
PROJECT = PACKAGE.parents[1]
CACHE_DIR = Path(".cache") / "handbook"  # under the build's root
PAGES_DIR = "pages"  # in CACHE_DIR: what MkDocs made of each page (see mkdocs_run.PageCache)
# The first line of every pack: a file without it is not this cache's, or from a format this code cannot read.
MAGIC = b"handbook-note-cache 1\n"
PACK_SUFFIX = ".notes"
MAX_PACKS = 8  # notes folders remembered at once

ChoiceSet = tuple[tuple[str, str, bool], ...]


def code_version(package: Path = PACKAGE, project: Path = PROJECT) -> str:
    """The version of the code that makes a result: its source files, the pinned requirements and the Python."""
    parts: list[bytes | str] = [sys.version, str(marshal.version)]
    for source in sorted(package.rglob("*.py")):
        parts += [source.relative_to(package).as_posix(), source.read_bytes()]
    for requirements in sorted(project.glob("requirements*.txt")):
        parts += [requirements.name, requirements.read_bytes()]
    return digest(*parts)


def normalise_key(data_dir: Path, other_files: Iterable[str], version: str) -> str:
    """What every note's result rests on besides the note and the vocabulary."""
    parts: list[bytes | str] = [version]
    for name in DATA_FILES:
        path = data_dir / name
        parts += [name, path.read_bytes() if path.is_file() else b"(none)"]
    parts += sorted(other_files)
    return digest(*parts)


@dataclass(frozen=True)
class CacheUse:
    """How the normalise stage used the cache: notes taken from it and notes normalised."""

    reused: int
    normalised: int


class NoCache:
    """No cache: every note is normalised (`--no-cache`)."""

    enabled = False

    def open(self, notes_dir: Path, key: str) -> None:
        """Nothing to open."""

    def lookup(self, raw: RawNote, context: NormaliseContext) -> tuple[Note, tuple[Finding, ...]] | None:
        """Never a result."""
        return None

    def keep(self, raw: RawNote, packed_note: tuple, findings: tuple[Finding, ...], choices: ChoiceSet) -> None:
        """Nothing is kept."""

    def save(self) -> None:
        """Nothing to save."""


@dataclass
class NoteCache:
    """Normalised results kept in `folder` between builds; see the module's docstring."""

    folder: Path
    enabled = True
    _pack: Path | None = None
    _key: str = ""
    _stored: dict[str, tuple] = field(default_factory=dict)  # read from the pack
    _kept: dict[str, tuple] = field(default_factory=dict)  # what this build used or made
    _changed: bool = False

    def open(self, notes_dir: Path, key: str) -> None:
        """Read the pack of this notes folder, if there is a readable one made under `key`."""
        self._pack = self.folder / (digest(str(notes_dir.resolve()))[:32] + PACK_SUFFIX)
        self._key = key
        self._stored, self._kept, self._changed = self._read(self._pack, key), {}, False

    def _read(self, pack: Path, key: str) -> dict[str, tuple]:
        value = read_pack(pack, MAGIC)
        if value is None:
            if pack.exists():
                log.info("cache: %s is not a pack this build can read; its notes are normalised again", pack.name)
            return {}
        if not (isinstance(value, tuple) and len(value) == 2 and value[0] == key and isinstance(value[1], dict)):
            return {}  # made by other code or from other data: every entry is stale
        return value[1]

    @staticmethod
    def _entry_key(raw: RawNote) -> str:
        return digest(raw.path, raw.text, str(raw.size))

    def lookup(self, raw: RawNote, context: NormaliseContext) -> tuple[Note, tuple[Finding, ...]] | None:
        """The note's kept result, if it was made from the same text and the vocabulary still chooses the same."""
        key = self._entry_key(raw)
        entry = self._stored.get(key)
        if entry is None:
            return None
        try:
            choices, packed_note, packed_findings = entry
            note = unpack_note(packed_note)
            findings = tuple(Finding(*found) for found in packed_findings)
            if note.path != raw.path or context.speller.vocabulary_choices(
                    {word for word, _, _ in choices}) != choices:
                return None
        except (TypeError, ValueError, AttributeError):
            return None  # an entry of another shape: made again
        self._kept[key] = entry
        return note, findings

    def keep(self, raw: RawNote, packed_note: tuple, findings: tuple[Finding, ...], choices: ChoiceSet) -> None:
        """Keep a result just made (its note as pack_note packs it), with the vocabulary's choices it rests on
        (NormaliseContext.vocabulary_choices)."""
        entry = (choices, packed_note, tuple((f.note, f.line, f.word, f.reason) for f in findings))
        self._kept[self._entry_key(raw)] = entry
        self._changed = True

    def save(self) -> None:
        """Write this build's results as the folder's pack, unless they are what the pack already holds; then
        let go of them (the stages after normalise would otherwise carry a second copy of every note)."""
        pack, kept, stored = self._pack, self._kept, self._stored
        self._pack, self._kept, self._stored = None, {}, {}  # saved once: a second save changes nothing
        if pack is None or (not self._changed and kept.keys() == stored.keys()):
            return
        del stored
        try:
            write_pack(pack, MAGIC, (self._key, kept))
            drop_oldest(self.folder, "*" + PACK_SUFFIX, MAX_PACKS)
        except OSError as error:  # a cache that cannot be written costs the next build time, nothing else
            log.warning("cache: could not write %s: %s; the next build normalises every note", pack,
                        error.strerror or error)


# ---------------------------------------------------------------------------------------------------------------
# The whole build: when nothing it reads has changed and its outputs are as it left them, there is nothing to do.

LAST_BUILD_FORMAT = 1
_ENV_NAME = re.compile(r"!ENV\s*\[?\s*([A-Za-z_][A-Za-z0-9_]*)")
_CUSTOM_DIR = re.compile(r"^\s*custom_dir:\s*['\"]?([^'\"#\n]+?)['\"]?\s*(?:#.*)?$", re.M)
# Read by MkDocs or by the site stage from the environment: a different value makes a different site.
_ENVIRONMENT = ("SOURCE_DATE_EPOCH",)


def _content(path: Path, folder: Path) -> bytes | str:
    """What a file adds to a build's key: a regular file its bytes; a link to a file outside `folder` where it
    points, with that file's size and time (it is never read: the build skips it); anything else its kind, since
    opening a pipe or a device could wait forever."""
    try:
        info = path.stat()
    except OSError:
        return "(unreadable)"
    if not stat.S_ISREG(info.st_mode):
        return f"(not a regular file: {stat.S_IFMT(info.st_mode)})"
    if path.is_symlink() and not path.resolve().is_relative_to(folder.resolve()):
        return f"(link to {os.readlink(path)}: {info.st_size} bytes, {info.st_mtime_ns})"
    return path.read_bytes()


def _files_under(folder: Path, skip_top: frozenset[str] = frozenset()) -> list[tuple[str, Path]]:
    """Every file under `folder` (relative POSIX path, path), sorted; top-level names in `skip_top` left out."""
    found = []
    for directory, subfolders, names in os.walk(folder):
        top = Path(directory) == folder
        if top:
            subfolders[:] = [name for name in subfolders if name not in skip_top]
        subfolders.sort()
        for name in sorted(names):
            if not (top and name in skip_top):
                path = Path(directory, name)
                found.append((path.relative_to(folder).as_posix(), path))
    return found


@dataclass(frozen=True)
class BuildInputs:
    """Digests of everything a build reads, taken before it starts (see build_inputs)."""

    common: str
    docs: tuple[tuple[str, str], ...]  # digest of each top-level name in docs/ but the generated folder

    def key(self, generated: Iterable[str]) -> str:
        """The key of a build whose outputs in docs/ are `generated`: those are outputs, not inputs."""
        skip = frozenset(generated)
        return digest(self.common, *(part for name, value in self.docs if name not in skip for part in (name, value)))


def build_inputs(options: Iterable[str], root: Path, folders: Iterable[Path], generated_dir: str,
                 version: str) -> BuildInputs:
    """Digests of everything a build's output depends on: the options that change it, the code, every file of
    the notes, data and templates `folders`, mkdocs.yml, its theme folder and the environment it names, and
    docs/ but its hidden files and `generated_dir`."""
    parts: list[bytes | str] = [version, *options]
    config = root / "mkdocs.yml"
    config_text = config.read_text(encoding="utf-8", errors="replace") if config.is_file() else ""
    parts += ["mkdocs.yml", config_text]
    for name in sorted({*_ENVIRONMENT, *_ENV_NAME.findall(config_text)}):
        parts += [f"env {name}", os.environ.get(name, "(unset)")]
    theme = [root / found.strip() for found in _CUSTOM_DIR.findall(config_text)]
    for folder in [*folders, *theme]:
        parts.append(f"folder {folder.resolve()}")
        for relative, path in _files_under(folder):
            parts += [relative, _content(path, folder)]
    docs: dict[str, list[bytes | str]] = {}
    for relative, path in _files_under(root / "docs", frozenset({generated_dir})):
        if not any(part.startswith(".") for part in relative.split("/")):
            docs.setdefault(relative.split("/")[0], []).extend([relative, _content(path, root / "docs")])
    return BuildInputs(digest(*parts), tuple((name, digest(*found)) for name, found in sorted(docs.items())))


def output_manifest(root: Path, generated: Iterable[str], with_site: bool) -> dict[str, list[int]]:
    """Size and modification time of every file a build left in docs/ (`generated` names) and site/."""
    manifest: dict[str, list[int]] = {}
    places = [root / "docs" / name for name in generated] + ([root / "site"] if with_site else [])
    for place in places:
        files = [("", place)] if place.is_file() else _files_under(place) if place.is_dir() else []
        for relative, path in files:
            stat = path.stat()
            manifest[path.relative_to(root).as_posix()] = [stat.st_size, stat.st_mtime_ns]
    return manifest


@dataclass(frozen=True)
class LastBuild:
    """What the last build of a root read and left behind, to tell whether the next one has anything to do."""

    key: str
    generated: tuple[str, ...]  # the top-level names it wrote in docs/
    with_site: bool
    outputs: dict[str, list[int]]
    warnings: tuple[str, ...]  # its warnings, said again when a build is skipped
    counts: tuple[tuple[str, int], ...]  # its summary's counts


class LastBuildRecord:
    """The record of a root's last build, in the cache folder; see LastBuild."""

    def __init__(self, folder: Path, root: Path) -> None:
        self.path = folder / f"last-build-{digest(str(root.resolve()))[:32]}.json"
        self.root = root

    def read(self) -> LastBuild | None:
        """The last build, or None when there is no readable record."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if data.get("format") != LAST_BUILD_FORMAT:
                return None
            return LastBuild(str(data["key"]), tuple(map(str, data["generated"])), bool(data["with_site"]),
                             {str(k): [int(n) for n in v] for k, v in data["outputs"].items()},
                             tuple(map(str, data["warnings"])),
                             tuple((str(label), int(value)) for label, value in data["counts"]))
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return None

    def unchanged(self, inputs: BuildInputs) -> LastBuild | None:
        """The last build, if it was made from exactly these inputs and its outputs are still as it left them."""
        last = self.read()
        if last is None or last.key != inputs.key(last.generated):
            return None
        try:
            as_left = output_manifest(self.root, last.generated, last.with_site) == last.outputs
        except OSError:  # an output went while it was read: the build runs
            return None
        return last if as_left else None

    def write(self, last: LastBuild) -> None:
        """Record a finished build; a record that cannot be written only costs the next build its shortcut."""
        data = {"format": LAST_BUILD_FORMAT, "key": last.key, "generated": list(last.generated),
                "with_site": last.with_site, "outputs": last.outputs, "warnings": list(last.warnings),
                "counts": [list(item) for item in last.counts]}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(self.path, json.dumps(data, sort_keys=True).encode("utf-8"))
        except OSError as error:
            log.warning("cache: could not write %s: %s", self.path, error.strerror or error)
