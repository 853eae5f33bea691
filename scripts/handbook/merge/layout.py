"""Layout stage: the kept blocks of every destination, in the order and at the depth they are shown.

A topic section shows the kept blocks of every note section assigned to it, note by note (notes in path
order), each block where its note put it. A nested list item whose parent was merged away moves under the
kept parent; a section merged into another moves its remaining blocks there; a closing one-sentence lead-in
("... three types:") moves with the sub-sections it introduces; a note section placed under a topic title
that does not name it keeps its heading as a bold caption.
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
class Layout:
    """Destination -> its kept blocks in page order; item -> the note heading shown above it as a caption."""

    blocks: Mapping[Destination, tuple[PlacedBlock, ...]]
    captions: Mapping[int, str]


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
    placed: dict[Destination, list[PlacedBlock]] = defaultdict(list)

    def emit(i: int, depth: int, dest: Destination) -> None:
        emitted[i] = None
        placed[dest].append(PlacedBlock(i, depth if items[i].block.kind == "list_item" else 0))
        for child in under.get(i, ()):
            if child not in emitted:
                emit(child, depth + 1, dest)

    moved = placement.moved
    moved_to: dict[Destination, list[int]] = defaultdict(list)
    for i, dest in sorted(moved.items(), key=lambda entry: entry[0]):
        moved_to[dest].append(i)
        dest_sections.setdefault(dest, [])
    captions: dict[int, str] = {}
    for dest, groups in dest_sections.items():
        for i in moved_to.get(dest, ()):
            if i in top and i not in emitted:
                emit(i, 0, dest)
        for g in groups:
            caption = _caption(corpus, placement, merged_sections, g)
            for i in corpus.sections[g].items:
                if i in top and i not in emitted and i not in moved:
                    if caption:
                        captions[i], caption = caption, None
                    emit(i, 0, dest)
    for i in range(len(items)):  # whatever a cycle of adoptions left out goes to its own section
        if kept[i] and i not in emitted:
            section = items[i].section
            home = moved.get(i) or placement.destinations[section_target.get(section, section)]
            emit(i, 0, home)
    return Layout({dest: tuple(blocks) for dest, blocks in placed.items()}, captions)


def _caption(corpus: Corpus, placement: Placement, merged_sections: SectionDedup, g: int) -> str | None:
    """The note's own heading, shown in bold when the topic section's title does not already say it."""
    section = corpus.section(g)
    rule = placement.assignments[g].rule
    # A heading that only starts with the topic's name ("IAM roles") says more than the topic's title,
    # even a note's title; a note's title placed by its words or its parent is not shown.
    if g in merged_sections.target or rule not in (INHERIT_RULE, KEYWORD_RULE, ALIAS_PREFIX_RULE) \
            or section.level == 1 and rule != ALIAS_PREFIX_RULE:
        return None
    return section.title.rstrip(": ") or None
