"""Pages stage: the laid-out blocks as topic pages and other pages, with the anchors links to them land on."""

from __future__ import annotations

from typing import Mapping

from ..model import Block, record
from ..paths import OTHER_DIR, TOPICS_DIR, note_slug, path_slug
from .corpus import Corpus, Destination, OtherDestination, TopicDestination
from .dedupe import Canonicals
from .layout import Layout
from .outline import Outline
from .placement import Placement
from .result import MergedBlock, MergedSection, OtherPage, TopicPage


@record
class Pages:
    """The generated pages, and where things landed on them: each as (page path, anchor)."""

    topic_pages: tuple[TopicPage, ...]
    other_pages: tuple[OtherPage, ...]
    block_homes: Mapping[int, tuple[str, str]]  # kept item -> its page and section anchor
    block_anchors: Mapping[int, str]  # kept item -> its own anchor, when an Obsidian block id names it
    section_homes: Mapping[int, tuple[str, str]]  # note section on its note's page -> page and anchor


def block_ids(corpus: Corpus) -> dict[int, tuple[str, ...]]:
    """Item -> the Obsidian block ids (lower-cased) that name it, as the normaliser attached them."""
    return {item.index: item.block.ids for item in corpus.items if item.block.ids}


def build_pages(corpus: Corpus, outline: Outline, placement: Placement, layout: Layout, canonicals: Canonicals,
                named: Mapping[int, tuple[str, ...]]) -> Pages:
    """One topic page per outline page, then one other page per note with sections that fit no topic."""
    writer = _SectionWriter(corpus, layout, canonicals, named)
    tags_of = {note.path: note.tags for note in corpus.notes}
    pages = []
    for spec in outline.pages:
        path = f"{TOPICS_DIR}/{spec.id}.md"
        sections = [writer.section(s.id, s.title, s.level, TopicDestination(s.id), path) for s in spec.sections]
        chosen = _with_content(sections)
        tags = sorted({t for s in chosen for n in s.sources for t in tags_of.get(n, ())})
        pages.append(TopicPage(spec.id, spec.title, spec.summary, chosen, tuple(tags)))
    other_pages = []
    section_homes: dict[int, tuple[str, str]] = {}
    for n, note in enumerate(corpus.notes):
        path = f"{OTHER_DIR}/{note_slug(note.path)}.md"
        sections, anchors = [], set()
        for g in corpus.note_sections[n]:
            dest = placement.destinations[g]
            if not isinstance(dest, OtherDestination):
                continue
            section = corpus.section(g)
            anchor = unique_anchor(path_slug(section.title), anchors)
            sections.append(writer.section(anchor, section.title, section.level, dest, path))
            section_homes[g] = (path, anchor)
        chosen = _with_content(sections)
        if chosen:
            other_pages.append(OtherPage(note.path, note.title, path, chosen, tuple(sorted(set(note.tags)))))
    return Pages(tuple(pages), tuple(other_pages), writer.block_homes, writer.block_anchors, section_homes)


class _SectionWriter:
    """Turns laid-out blocks into merged sections, recording where each block lands and the anchors given."""

    def __init__(self, corpus: Corpus, layout: Layout, canonicals: Canonicals, named: Mapping[int, tuple[str, ...]]):
        self.corpus = corpus
        self.layout = layout
        self.members = {cluster.canonical: cluster.members for cluster in canonicals.clusters}
        self.named = named
        self.block_homes: dict[int, tuple[str, str]] = {}
        self.block_anchors: dict[int, str] = {}
        self.anchors_used: dict[str, set[str]] = {}  # page -> block anchors given on it so far

    def section(self, sid: str, title: str, level: int, dest: Destination, page: str) -> MergedSection:
        """The merged section `sid` of `page` with the blocks laid out for `dest`."""
        placed = self.layout.blocks.get(dest, ())
        blocks = tuple(self.block(p.item, p.depth, page) for p in placed)
        for p in placed:
            self.block_homes[p.item] = (page, sid)
        notes = sorted({s.note for b in blocks for s in b.sources})
        return MergedSection(sid, title, level, blocks, tuple(notes))

    def block(self, i: int, depth: int, page: str) -> MergedBlock:
        """A kept block with the sources of every version of it, at `depth`."""
        item = self.corpus.items[i]
        members = self.members.get(i, (i,))
        others = [self.corpus.items[m].block.source for m in members if m != i]
        block = item.block if item.block.depth == depth else Block(item.block.kind, item.block.markdown,
                                                                   item.block.source, depth)
        anchor = None
        names = [name for m in (i, *members) for name in self.named.get(m, ())]
        if names and _can_carry_anchor(block):
            # Section anchors never start with 'block-': only block anchors can clash.
            used = self.anchors_used.setdefault(page, set())
            anchor = self.block_anchors[i] = unique_anchor(f"block-{path_slug(names[0])}", used)
        return MergedBlock(block, (item.block.source, *others), depth, self.layout.captions.get(i), anchor)


def _can_carry_anchor(block: Block) -> bool:
    """Whether an attribute line after the block gives it an id: a one-paragraph text or list item, no code."""
    text = block.markdown
    return block.kind in ("paragraph", "list_item") and "\n\n" not in text and "```" not in text \
        and "~~~" not in text and not text.rstrip().endswith(("|", "}"))


def unique_anchor(anchor: str, used: set[str]) -> str:
    """`anchor`, or `anchor-2`, `anchor-3`... whichever `used` does not have yet (and add it)."""
    candidate, number = anchor, 1
    while candidate in used:
        number += 1
        candidate = f"{anchor}-{number}"
    used.add(candidate)
    return candidate


def _with_content(sections: list[MergedSection]) -> tuple[MergedSection, ...]:
    """The sections with blocks, and the headings above them."""
    keep = with_ancestors([(s.level, bool(s.blocks)) for s in sections])
    return tuple(s for s, k in zip(sections, keep) if k)


def with_ancestors(levels: list[tuple[int, bool]]) -> list[bool]:
    """Keep sections with content, and the headings above them so the outline stays readable."""
    keep = [has for _, has in levels]
    # The headings above a section are those still open at it; walking back to the first section for
    # each one cost the square of the sections. Marking stops at a kept heading: all above it are kept.
    open_headings: list[int] = []
    for index, (level, has) in enumerate(levels):
        while open_headings and levels[open_headings[-1]][0] >= level:
            open_headings.pop()
        if has:
            for above in reversed(open_headings):
                if keep[above]:
                    break
                keep[above] = True
        open_headings.append(index)
    return keep
