"""What every merge stage reads and the clusters they build: the input blocks numbered once, and where they go."""

from __future__ import annotations

from typing import Callable, Sequence

from ..model import Block, Note, Section, record
from ..paths import NoteAddresses, note_addresses, reading_order
from .text import words

Progress = Callable[[str, int, int], None]


@record
class Item:
    """One input block with its comparison text; `index` is its number in Corpus.items."""

    index: int
    note: int  # index into Corpus.notes
    section: int  # index into Corpus.sections
    block: Block
    text: str
    tokens: tuple[str, ...]
    parent: int | None  # the list item this one is nested under, within its section


@record
class SectionRef:
    """One note section: its note (index into Corpus.notes), its place in that note, and its items."""

    note: int
    index: int
    items: tuple[int, ...]


@record
class TopicDestination:
    """A topic section of the outline, by id."""

    topic: str


@record
class OtherDestination:
    """A note section kept on its note's own page (other/): note index and section index in the note."""

    note: int
    section: int


Destination = TopicDestination | OtherDestination


@record
class Corpus:
    """The notes in reading order with every section and block numbered; built once, read by every stage."""

    notes: tuple[Note, ...]
    items: tuple[Item, ...]
    sections: tuple[SectionRef, ...]
    note_sections: tuple[tuple[int, ...], ...]  # per note: its indexes into `sections`
    addresses: NoteAddresses  # each note's page address

    def section(self, index: int) -> Section:
        """The note section behind Corpus.sections[index]."""
        ref = self.sections[index]
        return self.notes[ref.note].sections[ref.index]

    def rank(self, index: int) -> tuple:
        """The order blocks are visited in: longer first, then earlier note (in reading order) and line."""
        item = self.items[index]
        return (-len(item.tokens), item.note, item.block.source.line, index)  # notes are in reading order

    def position(self, index: int) -> tuple[int, int]:
        """Where a block is in the input: note (notes are in reading order), then line."""
        item = self.items[index]
        return item.note, item.block.source.line


def read_corpus(notes: Sequence[Note]) -> Corpus:
    """Number the notes (in reading order: 2 before 13, as the notes pages list them), their sections and blocks."""
    ordered = tuple(sorted(notes, key=lambda n: reading_order(n.path)))
    items: list[Item] = []
    sections: list[SectionRef] = []
    note_sections: list[tuple[int, ...]] = []
    text_of: dict[tuple[str, ...], str] = {}  # one comparison text for every copy of a block's words
    for n, note in enumerate(ordered):
        first_section = len(sections)
        for s, section in enumerate(note.sections):
            start = len(items)
            for block, parent in zip(section.blocks, _parents(section.blocks, start)):
                tokens = words(block.markdown)
                text = text_of.get(tokens)
                if text is None:
                    text = text_of[tokens] = " ".join(tokens)
                items.append(Item(len(items), n, len(sections), block, text, tokens, parent))
            sections.append(SectionRef(n, s, tuple(range(start, len(items)))))
        note_sections.append(tuple(range(first_section, len(sections))))
    return Corpus(ordered, tuple(items), tuple(sections), tuple(note_sections),
                  note_addresses(note.path for note in ordered))


def _parents(blocks: Sequence[Block], offset: int) -> list[int | None]:
    """Each block's list item: the item it is nested under, or, for a paragraph, table or code block inside an
    item (after its nested list), the item that holds it; None for a block outside any list."""
    out: list[int | None] = []
    stack: list[tuple[int, int]] = []  # (depth, index)
    for position, block in enumerate(blocks):
        if block.kind != "list_item" and block.depth == 0:
            stack.clear()
            out.append(None)
            continue
        while stack and stack[-1][0] >= block.depth:
            stack.pop()
        out.append(stack[-1][1] if stack else None)
        if block.kind == "list_item":
            stack.append((block.depth, offset + position))
    return out


class Clusters:
    """Which blocks were merged into which (a union-find over the items), with the rule and score of each join.

    The note and block stages add to it in turn; the later stages only read it."""

    def __init__(self, size: int):
        self.parent = list(range(size))
        self.rule_of: dict[int, str] = {}  # former root -> the rule that joined its whole sub-cluster
        self.score_of: dict[int, float] = {}

    def find(self, x: int) -> int:
        """The root of x's cluster."""
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def merge(self, member: int, into: int, rule: str, score: float) -> None:
        """Put member's cluster under into's root, recording why (nothing happens when they are together)."""
        member_root, into_root = self.find(member), self.find(into)
        if member_root != into_root:
            self.parent[member_root] = into_root
            self.rule_of[member_root] = rule
            self.score_of[member_root] = score
