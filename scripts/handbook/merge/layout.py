"""Layout stage: the kept blocks of every destination, in the order and at the depth they are shown.

A topic section shows the kept blocks of every note section assigned to it, note by note (notes in path
order), each block where its note put it. A nested list item whose parent was merged away moves under the
kept parent; a section merged into another moves its remaining blocks there; a closing one-sentence lead-in
("... three types:") moves with the sub-sections it introduces.

A note section placed under a topic title that does not name it keeps its heading: its blocks form a group
of their own under that heading, nested under the heading of the note section it is part of when that one
is shown in the same place. Blocks shown under the destination's own title (sections its title names, lead-ins,
merged sections) come first, so that no note's heading ever stands above another note's text.

Within each group the page reads as one document, not note after note (see `reading_order`): first the leads
(paragraphs that define, or open a note's section), then the lists, then the details and examples; each part
keeps the notes' order.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Mapping, Sequence

from ..model import record
from .corpus import Corpus, Destination, TopicDestination
from .dedupe import Canonicals, SectionDedup
from .lists import ListJoin
from .placement import Placement
from .settings import ALIAS_PREFIX_RULE, INHERIT_RULE, KEYWORD_RULE
from .text import plain


@record
class PlacedBlock:
    """A kept block (item index), the list depth it is shown at, and whether it goes on another note's list."""

    item: int
    depth: int
    joins: bool = False


@record
class NoteHeading:
    """A note section's heading, shown above its blocks: the section (index into Corpus.sections), its text and
    how deep it nests under the destination's title (1: right under it; 2: under another heading of its note)."""

    section: int
    title: str
    depth: int


@record
class PlacedGroup:
    """Kept blocks shown together: under a note's heading, or under the destination's own title (heading None)."""

    heading: NoteHeading | None
    blocks: tuple[PlacedBlock, ...]


@record
class Layout:
    """Destination -> its groups in page order: the one under its own title first, then one per note heading."""

    groups: Mapping[Destination, tuple[PlacedGroup, ...]]

    def blocks(self, dest: Destination) -> tuple[PlacedBlock, ...]:
        """Every block laid out for `dest`, in page order."""
        return tuple(placed for group in self.groups.get(dest, ()) for placed in group.blocks)


def lay_out(corpus: Corpus, placement: Placement, merged_sections: SectionDedup, canonicals: Canonicals,
            list_joins: Mapping[int, ListJoin] = {}) -> Layout:
    """Put every kept block under its destination, its nested items under their (kept) parents, and the kept
    items of a list that enumerates what another one does (`list_joins`, handbook.merge.lists) at the end of
    that list."""
    items, canonical = corpus.items, canonicals.canonical
    kept = [canonical[i] == i for i in range(len(items))]
    follows = _joined_items(corpus, kept, list_joins)
    under: dict[int, list[int]] = defaultdict(list)
    top: set[int] = set()
    for i, item in enumerate(items):
        if not kept[i]:
            continue
        parent = item.parent
        if parent is not None and not kept[parent]:
            adopter = canonical[parent]
            parent = adopter if items[adopter].block.kind == "list_item" else None
        if parent is None:
            top.add(i)
        else:
            under[parent].append(i)
    for parent, children in under.items():
        children.sort(key=lambda c: (items[c].parent != parent, c))  # own children, then adopted ones
    section_target = merged_sections.target
    dest_sections: dict[Destination, list[int]] = defaultdict(list)
    for g in range(len(corpus.sections)):
        dest_sections[placement.destinations[section_target.get(g, g)]].append(g)
    emitted: dict[int, None] = {}
    leads: dict[Destination, list[PlacedBlock]] = defaultdict(list)
    headed: dict[Destination, list[tuple[NoteHeading, list[PlacedBlock]]]] = defaultdict(list)

    def emit(i: int, depth: int, into: list[PlacedBlock], joins: bool = False) -> None:
        emitted[i] = None
        # A paragraph or table inside a list item (after its nested list) keeps the depth of the item's content.
        inside = items[i].block.kind == "list_item" or items[i].parent is not None
        into.append(PlacedBlock(i, depth if inside else 0, joins))
        for child in under.get(i, ()):
            if child not in emitted:
                emit(child, depth + 1, into)
        for other in follows.get(i, ()):
            if other not in emitted:
                emit(other, depth, into, True)

    moved = placement.moved
    moved_to: dict[Destination, list[int]] = defaultdict(list)
    for i, dest in sorted(moved.items(), key=lambda entry: entry[0]):
        moved_to[dest].append(i)
        dest_sections.setdefault(dest, [])
    parent_of = _parent_sections(corpus)
    joining = {other for others in follows.values() for other in others}
    for dest, groups in dest_sections.items():
        for i in moved_to.get(dest, ()):
            if i in top and i not in emitted:
                emit(i, 0, leads[dest])
        depth_here: dict[int, int] = {}  # section -> depth of its heading in this destination
        for g in groups:
            into = leads[dest]
            title = _shown_heading(corpus, placement, merged_sections, g)
            if title:
                heading = NoteHeading(g, title, _depth(g, parent_of, depth_here))
                depth_here[g] = heading.depth
                into = []
                headed[dest].append((heading, into))
            for i in corpus.sections[g].items:
                if i in top and i not in emitted and i not in moved and i not in joining:
                    emit(i, 0, into)
    for i in range(len(items)):  # whatever a cycle of adoptions left out goes to its own section
        if kept[i] and i not in emitted:
            section = items[i].section
            home = moved.get(i) or placement.destinations[section_target.get(section, section)]
            emit(i, 0, leads[home])
    # A topic's page is written from many notes and is put in reading order; a note's own page keeps its order.
    order = (lambda dest, blocks, closing=False: reading_order(corpus, blocks, closing)
             if isinstance(dest, TopicDestination) else tuple(blocks))
    return Layout({dest: (PlacedGroup(None, order(dest, leads.get(dest, ()), bool(headed.get(dest)))),
                          *(PlacedGroup(heading, order(dest, blocks)) for heading, blocks in headed.get(dest, ())))
                   for dest in dest_sections})


def _joined_items(corpus: Corpus, kept: Sequence[bool], list_joins: Mapping[int, ListJoin]) -> dict[int, list[int]]:
    """The last kept item of each list others join -> the kept items of those lists, in order: one list shows
    the union of their items. A list stays where it is when the paragraph announcing it is shown ("AWS looks
    after:" would announce nothing), or when every item of the other list is merged away."""
    follows: dict[int, list[int]] = defaultdict(list)
    for i, join in sorted(list_joins.items()):
        lead_in = join.lead_in
        if lead_in is not None and kept[lead_in] and _introduces_list(corpus.items[lead_in].block.markdown,
                                                                       corpus.items[lead_in].block.kind):
            continue
        last = next((h for h in reversed(join.host) if kept[h]), None)
        if kept[i] and last is not None:
            follows[last].append(i)
    return follows


# The parts of a group, in the order a reader meets them.
LEAD, LIST, DETAIL, CLOSING = range(4)

# A sentence that says what something is: "X is a …", "X are the …", "X refers to …", "X means …", "… is known as
# X", "X is defined as …". Said within its first words, so that a clause deep in a long sentence does not count.
_DEFINES = re.compile(
    r"^(?:\S+\s+){0,8}?(?:is|are)\s+(?:a|an|the|one of|known as|called|defined as|what)\b"
    r"|^(?:\S+\s+){0,8}?(?:refers? to|means|describes)\b", re.IGNORECASE)


_NUMBER = re.compile(r"^(\d{1,9})[.)]\s")


def _first_sentence(text: str) -> str:
    return re.split(r"(?<=[.!?])\s", text.strip(), maxsplit=1)[0]


# A sentence anywhere in a paragraph that names the concept the paragraph introduces, however the naming is
# worded: "is known as", "(commonly referred to as …)", "also called", "refers to".
_NAMES = re.compile(r"\b(?:is|are)\s+(?:known as|called|defined as)\b|\brefers? to\b"
                    r"|\b(?:known|referred to)\s+as\b|\b(?:also|often|commonly|sometimes)\s+called\b",
                    re.IGNORECASE)


def is_lead(markdown: str, kind: str) -> bool:
    """A paragraph that defines or introduces: its first sentence says what something is, or one of its
    sentences names the concept ("This is known as …")."""
    if kind != "paragraph":
        return False
    text = plain(markdown)
    return bool(_DEFINES.search(_first_sentence(text)) or _NAMES.search(text))


def _introduces_list(markdown: str, kind: str) -> bool:
    """A paragraph that ends by announcing what follows ("… three types:")."""
    return kind == "paragraph" and markdown.rstrip().rstrip("*_").endswith(":")


def _units(corpus: Corpus, blocks: Sequence[PlacedBlock]) -> list[list[PlacedBlock]]:
    """The group's blocks cut into the pieces that move together: a list (its items, what they hold, and the
    paragraph that announces it), numbered steps with what stands between them, or a block outside a list."""
    units: list[list[PlacedBlock]] = []
    numbered: dict[int, int] = {}  # note -> the unit that holds its last numbered list
    for placed in blocks:
        item = corpus.items[placed.item]
        number = _NUMBER.match(item.block.markdown) if item.block.kind == "list_item" and not placed.depth else None
        if number and int(number.group(1)) > 1 and item.note in numbered:
            # Numbered steps that go on after a picture or a remark: the steps and what stands between them
            # are one piece.
            start = numbered[item.note]
            units[start:] = [[p for unit in units[start:] for p in unit] + [placed]]
        elif units and (placed.depth > 0 or placed.joins or _same_list(corpus, units[-1], item)):
            units[-1].append(placed)
        else:
            units.append([placed])
        if number:
            numbered[item.note] = len(units) - 1
    return units


def _same_list(corpus: Corpus, unit: Sequence[PlacedBlock], item) -> bool:
    """An item that goes on the list (or the announcing paragraph) the unit holds."""
    last, first = corpus.items[unit[-1].item], corpus.items[unit[0].item]
    return item.block.kind == "list_item" and last.note == item.note and (
        last.block.kind == "list_item" or unit[-1].depth > 0
        or len(unit) == 1 and _introduces_list(first.block.markdown, first.block.kind))


def _part(corpus: Corpus, unit: Sequence[PlacedBlock], last: bool, closing: bool) -> int:
    kinds = [corpus.items[p.item].block.kind for p in unit]
    first = corpus.items[unit[0].item].block
    if "list_item" in kinds:
        return LIST
    if last and closing and _introduces_list(first.markdown, first.kind):
        return CLOSING  # it announces the note headings after the group: it stays last
    item = corpus.items[unit[0].item]
    opens = corpus.sections[item.section].items[0] == item.index
    return LEAD if is_lead(first.markdown, first.kind) or opens and first.kind == "paragraph" else DETAIL


def reading_order(corpus: Corpus, blocks: Sequence[PlacedBlock], closing: bool = False) -> tuple[PlacedBlock, ...]:
    """The group's blocks as one document: leads (paragraphs that say what something is, and the paragraph that
    opens its note's section), then lists (with the paragraph that announces each), then details and examples
    (other paragraphs, tables, code, quotes, images);
    each part in the notes' order. With `closing` (headings follow the group), a last paragraph that announces
    what follows stays last."""
    units = _units(corpus, blocks)
    parts = [_part(corpus, unit, n == len(units) - 1, closing) for n, unit in enumerate(units)]
    order = sorted(range(len(units)), key=lambda n: (parts[n], n))
    return tuple(placed for n in order for placed in units[n])


def _parent_sections(corpus: Corpus) -> dict[int, int]:
    """Section -> the section of its note it is part of (the nearest one before it with a higher heading)."""
    parent_of: dict[int, int] = {}
    for groups in corpus.note_sections:
        open_sections: list[int] = []
        for g in groups:
            level = corpus.section(g).level
            while open_sections and corpus.section(open_sections[-1]).level >= level:
                open_sections.pop()
            if open_sections:
                parent_of[g] = open_sections[-1]
            open_sections.append(g)
    return parent_of


def _depth(g: int, parent_of: Mapping[int, int], depth_here: Mapping[int, int]) -> int:
    """One below the heading of the nearest section of its note that holds it and is headed here, else 1."""
    parent = parent_of.get(g)
    while parent is not None:
        if parent in depth_here:
            return depth_here[parent] + 1
        parent = parent_of.get(parent)
    return 1


def _shown_heading(corpus: Corpus, placement: Placement, merged_sections: SectionDedup, g: int) -> str | None:
    """The note's own heading, shown when the topic section's title does not already say it."""
    section = corpus.section(g)
    rule = placement.assignments[g].rule
    # A heading that only starts with the topic's name ("IAM roles") says more than the topic's title,
    # even a note's title; a note's title placed by its words or its parent is not shown.
    if g in merged_sections.target or rule not in (INHERIT_RULE, KEYWORD_RULE, ALIAS_PREFIX_RULE) \
            or section.level == 1 and rule != ALIAS_PREFIX_RULE:
        return None
    return section.title.rstrip(": ") or None
