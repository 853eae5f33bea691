"""Small frozen records that flow between the build stages."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from .paths import file_stem


class BuildError(Exception):
    """A problem in the input that stops the build; names the file and line (and column, when known)."""

    def __init__(self, path: str, message: str, line: int | None = None, offset: int | None = None,
                 column: int | None = None):
        self.path = path
        self.line = line
        self.offset = offset
        self.column = column
        self.message = message
        super().__init__(self.describe())

    def __reduce__(self):
        # Keeps every field when the error crosses from a worker process to the build.
        return BuildError, (self.path, self.message, self.line, self.offset, self.column)

    def describe(self) -> str:
        """The one-line message shown to the user: 'file:line: message' or 'file:line:column: message'."""
        where = self.path
        if self.line is not None:
            where = f"{where}:{self.line}"
            if self.column is not None:
                where = f"{where}:{self.column}"
        elif self.offset is not None:
            where = f"{where} (byte {self.offset})"
        return f"{where}: {self.message}"

    def inside(self, folder: str) -> BuildError:
        """The same error with its path as seen from the working folder, for a path relative to `folder`."""
        return BuildError(f"{folder}/{self.path}", self.message, self.line, self.offset, self.column)


def _rebuilt_from_fields(record):
    # Unpickling then calls the constructor once; the default for a frozen slotted dataclass sets each
    # field through a Python-level __setstate__. (Notes coming back from normalise's workers skip even
    # that: see normalise.parallel.pack_note.)
    return type(record), tuple(getattr(record, name) for name in record.__match_args__)


# Markdown has six levels of heading: a section nested deeper keeps its level in the model and is written at six.
DEEPEST_HEADING = 6


def record(cls=None, /, *, order: bool = False):
    """A frozen, slotted dataclass that pickles as its class and field values."""
    def make(cls):
        cls.__reduce__ = _rebuilt_from_fields
        return dataclass(frozen=True, slots=True, order=order)(cls)
    return make if cls is None else make(cls)


@record(order=True)
class Source:
    """Where a piece of text came from: a note (path relative to the notes folder) and a 1-based line."""

    note: str
    line: int

    def __str__(self) -> str:
        return f"{self.note}:{self.line}"


@record
class RawNote:
    """One note file exactly as read: its relative POSIX path and decoded text."""

    path: str
    text: str
    size: int


@record
class Repair:
    """One change the normaliser made, with the rule that made it."""

    note: str
    line: int
    rule: str
    before: str
    after: str


BlockKind = Literal[
    "paragraph", "list_item", "code", "table", "quote", "admonition", "html", "rule", "image"
]


@record
class Block:
    """The smallest unit the merge stage compares: a paragraph, one list item, a table, a code block."""

    kind: BlockKind
    markdown: str
    source: Source
    depth: int = 0  # nesting depth for list items (0 = top level)
    ids: tuple[str, ...] = ()  # the Obsidian block ids that name this block, lower-cased with their caret (`^fact-1`)


@record
class Section:
    """A heading and the blocks under it, up to the next heading of any level."""

    title: str
    level: int
    source: Source
    blocks: tuple[Block, ...]
    heading: str = ""  # the heading line as the normalised note writes it ("## A **bold** word"); "" for the title


@record
class Asset:
    """A file a note embeds (an image), found in the notes folder and copied into the site."""

    source_path: str  # relative to the notes folder, POSIX
    note: str
    line: int


@record
class Note:
    """A normalised note: clean Markdown split into sections, plus what was repaired."""

    path: str
    title: str
    raw: str
    markdown: str
    sections: tuple[Section, ...]
    repairs: tuple[Repair, ...] = ()
    tags: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    author: str | None = None
    assets: tuple[Asset, ...] = ()
    meta: tuple[tuple[str, str], ...] = field(default=())
    title_markup: str = ""  # the title as normalised Markdown, links included ("" when it is plain text)

    @property
    def stem(self) -> str:
        """The note's file name without folder and extension, as wikilinks name it."""
        return file_stem(self.path)

    @property
    def link_names(self) -> tuple[str, ...]:
        """Every name a link may give this note: path, path without extension, file name, title and aliases."""
        return (self.path, self.path.rsplit(".", 1)[0], self.stem, self.title, *self.aliases)


@record
class GeneratedFile:
    """One file of generated output, path relative to the generated folder."""

    path: str
    content: str | bytes
