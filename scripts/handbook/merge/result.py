"""The records the merge stage hands to rendering, the report and link resolution."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from ..model import Block, Source, record
from ..paths import NoteAddresses, distinct_titles, path_slug


@dataclass(frozen=True)
class MergedBlock:
    """One block on the site: the canonical version, every place that said it (canonical first), its list depth."""

    block: Block
    sources: tuple[Source, ...]
    depth: int = 0
    anchor: str | None = None  # where links to the Obsidian block ids of this block or its copies land
    variants: tuple[tuple[Source, str], ...] = ()  # the same statement in other words (merged by meaning), folded
    joins_list: bool = False  # an item that goes on the list before it, another note's list of the same things


@dataclass(frozen=True)
class MergedSection:
    """A section on a generated page: stable id (anchor), title, heading level, blocks and the notes it came from;
    on a topic page, a section under a note's own heading names that note."""

    id: str
    title: str
    level: int
    blocks: tuple[MergedBlock, ...]
    sources: tuple[str, ...]
    note: str | None = None  # the note whose heading this is; None for a topic section or a note page's section


@dataclass(frozen=True)
class TopicPage:
    """One page of the outline with its merged sections (sections without content are left out)."""

    id: str
    title: str
    summary: str
    sections: tuple[MergedSection, ...]
    tags: tuple[str, ...] = ()

    @property
    def path(self) -> str:
        """The page path relative to the generated folder."""
        return f"topics/{self.id}.md"


@dataclass(frozen=True)
class OtherPage:
    """What one note said that fits no topic (for an off-topic note: the whole note), after dedupe."""

    note: str
    title: str
    path: str  # other/<note slug>.md
    sections: tuple[MergedSection, ...]
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class NoteDuplicate:
    """A note that repeats another one: exactly, or contained in it (share of its words >= threshold)."""

    note: str
    duplicate_of: str
    kind: str  # "exact" | "contained"
    score: float


@dataclass(frozen=True)
class MergeRecord:
    """One merged cluster: the kept version, the merged ones, and the rule that allowed it."""

    id: str
    level: str  # "note" | "section" | "block"
    canonical: Source
    merged: tuple[Source, ...]
    score: float
    rule: str
    kept: str
    dropped: tuple[str, ...]
    matched: tuple[str, ...] = ()  # for a merge by meaning: the concepts (stems, synonyms) the statements share


@dataclass(frozen=True)
class UnassignedSection:
    """A note section that fits no topic section; it is kept on its note's page under other/."""

    note: str
    title: str
    line: int
    reason: str


@dataclass(frozen=True)
class GuardRecord:
    """Two similar texts that were not merged because a fact guard saw different facts."""

    left: Source
    right: Source
    score: float
    guard: str
    left_text: str
    right_text: str


@dataclass(frozen=True)
class MergeCounts:
    """Input blocks = kept + merged, always."""

    notes: int
    duplicate_notes: int
    input_blocks: int
    kept: int
    merged: int

    def __post_init__(self) -> None:
        assert self.input_blocks == self.kept + self.merged, "every input block is either kept or merged"


SHOWN = "shown"
MERGED = "merged"
LEFT_OUT = "left out"


@record
class BlockFate:
    """What became of one input block: where it is shown, the twin it merged into (and where that is), or why
    it is left out of the page its section went to (its note's own page still shows it)."""

    source: Source
    kind: str
    status: str  # SHOWN | MERGED | LEFT_OUT
    page: str  # the page that shows it or its twin
    anchor: str  # the section (or block) anchor there
    twin: Source | None = None  # the kept block, for a merged one
    rule: str | None = None  # the rule that merged it
    reason: str | None = None  # why it is left out, for a LEFT_OUT one


@record
class NoteAccount:
    """Every block of one published note, in the note's order."""

    note: str
    blocks: tuple[BlockFate, ...]

    @property
    def shown(self) -> int:
        """Blocks shown where their section landed."""
        return sum(1 for fate in self.blocks if fate.status == SHOWN)

    @property
    def merged(self) -> int:
        """Blocks merged into a kept twin."""
        return sum(1 for fate in self.blocks if fate.status == MERGED)

    @property
    def left_out(self) -> int:
        """Blocks left out of the page their section went to."""
        return sum(1 for fate in self.blocks if fate.status == LEFT_OUT)


@dataclass(frozen=True)
class MergeResult:
    """Everything the merge stage decided, in a fixed order."""

    pages: tuple[TopicPage, ...]
    other_pages: tuple[OtherPage, ...]
    duplicate_notes: tuple[NoteDuplicate, ...]
    merges: tuple[MergeRecord, ...]
    unassigned: tuple[UnassignedSection, ...]
    guarded: tuple[GuardRecord, ...]
    counts: MergeCounts
    note_titles: tuple[tuple[str, str], ...]
    block_homes: Mapping[Source, tuple[str, str]] = field(repr=False, compare=False)
    note_homes: tuple[tuple[str, str | None, str, str | None], ...] = field(repr=False)
    # (note path, label) -> the footnote's definition, for a page that shows a reference but not its definition
    footnotes: Mapping[tuple[str, str], str] = field(default_factory=dict, repr=False, compare=False)
    account: tuple[NoteAccount, ...] = field(default=(), repr=False)  # every published note's blocks, one fate each
    addresses: NoteAddresses = field(default_factory=NoteAddresses, repr=False)  # each note's page address

    def block_home(self, source: Source) -> tuple[str, str]:
        """The page and anchor where the block that started at `source` is shown (itself or its canonical)."""
        return self.block_homes[source]

    def note_home(self, note_path: str, heading: str | None = None) -> tuple[str, str | None] | None:
        """Where a note (or one of its headings, matched by slug or title, or a block, by `^id`) ended up,
        for wikilinks; the note's own place when the heading or block is not found."""
        index = _index(self, "_note_index", lambda: {(n, h): (p, a) for n, h, p, a in self.note_homes})
        if heading is None:
            return index.get((note_path, None))
        key = heading.lower() if heading.startswith("^") else path_slug(heading)
        # A link may name a heading by another tool's slug, which keeps a '-' before punctuation toc drops
        # ('#how-to-mitigate-ddos-?' for 'How to mitigate DDoS ?', toc's 'how-to-mitigate-ddos').
        return index.get((note_path, key)) or index.get((note_path, key.strip("-"))) or index.get((note_path, None))

    @property
    def titles(self) -> Mapping[str, str]:
        """Note path -> title for every input note; notes that share a title also show their file name."""
        return _index(self, "_titles", lambda: distinct_titles(self.note_titles))

    def title_of(self, note_path: str) -> str:
        """The title of an input note."""
        return self.titles[note_path]


def _index(result: MergeResult, name: str, build):
    cached = result.__dict__.get(name)
    if cached is None:
        cached = build()
        object.__setattr__(result, name, cached)
    return cached
