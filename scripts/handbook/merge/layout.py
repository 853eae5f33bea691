"""Layout stage: the kept blocks of every destination, in the order and at the depth they are shown.

A topic section shows the kept blocks of every note section assigned to it, note by note (notes in path
order), each block where its note put it. A nested list item whose parent was merged away moves under the
kept parent; a section merged into another moves its remaining blocks there; a closing one-sentence lead-in
("... three types:") moves with the sub-sections it introduces.

A note section placed under a topic title that does not name it keeps its heading: its blocks form a group
of their own under that heading, nested under the heading of the note section it is part of when that one
is shown in the same place. Blocks shown under the destination's own title (sections its title names, lead-ins,
merged sections) come first, so that no note's heading ever stands above another note's text.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Mapping

from ..model import record
from .corpus import Corpus, Destination
from .dedupe import Canonicals, SectionDedup
from .placement import Placement
from .settings import ALIAS_PREFIX_RULE, INHERIT_RULE, KEYWORD_RULE


@record
class PlacedBlock:
    """A kept block (item index) and the list depth it is shown at."""

    item: int
    depth: int


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


def lay_out(corpus: Corpus, placement: Placement, merged_sections: SectionDedup, canonicals: Canonicals) -> Layout:
    """Put every kept block under its destination, its nested items under their (kept) parents."""
    items, canonical = corpus.items, canonicals.canonical
    kept = [canonical[i] == i for i in range(len(items))]
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

    def emit(i: int, depth: int, into: list[PlacedBlock]) -> None:
        emitted[i] = None
        # A paragraph or table inside a list item (after its nested list) keeps the depth of the item's content.
        inside = items[i].block.kind == "list_item" or items[i].parent is not None
        into.append(PlacedBlock(i, depth if inside else 0))
        for child in under.get(i, ()):
            if child not in emitted:
                emit(child, depth + 1, into)

    moved = placement.moved
    moved_to: dict[Destination, list[int]] = defaultdict(list)
    for i, dest in sorted(moved.items(), key=lambda entry: entry[0]):
        moved_to[dest].append(i)
        dest_sections.setdefault(dest, [])
    parent_of = _parent_sections(corpus)
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
                if i in top and i not in emitted and i not in moved:
                    emit(i, 0, into)
    for i in range(len(items)):  # whatever a cycle of adoptions left out goes to its own section
        if kept[i] and i not in emitted:
            section = items[i].section
            home = moved.get(i) or placement.destinations[section_target.get(section, section)]
            emit(i, 0, leads[home])
    return Layout({dest: (PlacedGroup(None, tuple(leads.get(dest, ()))),
                          *(PlacedGroup(heading, tuple(blocks)) for heading, blocks in headed.get(dest, ())))
                   for dest in dest_sections})


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
