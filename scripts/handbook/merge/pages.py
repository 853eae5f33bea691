"""Pages stage: the laid-out blocks as topic pages and other pages, with the anchors links to them land on.

On a topic page a note heading the layout keeps (see handbook.merge.layout) is a section of its own, one level
below the topic section it stands in (deeper under another heading of its note), so that the page's table of
contents shows it. Where two headings of a page say the same words ("How it works" of seven notes), each note
heading also names its note.
"""

from __future__ import annotations

from collections import Counter
from typing import Mapping

from ..model import DEEPEST_HEADING, Block, Source, record
from ..paths import OTHER_DIR, TOPICS_DIR, distinct_titles, path_slug
from .corpus import Corpus, OtherDestination, TopicDestination
from .dedupe import Canonicals
from .layout import Layout, NoteHeading, PlacedBlock
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
    # note section -> page and anchor: on its note's page, or its own heading on a topic page
    section_homes: Mapping[int, tuple[str, str]]
    headed: frozenset[int]  # note sections with a heading of their own on a topic page, shown or not
    shown: frozenset[tuple[str, str | None]]  # every page (anchor None) and every section anchor on it


@record
class _Planned:
    """A section a topic page may show, before its anchor is chosen: a topic section, or a note heading."""

    id: str | None  # the topic section's id; None for a note heading
    title: str
    level: int
    blocks: tuple[PlacedBlock, ...]
    heading: NoteHeading | None


def block_ids(corpus: Corpus) -> dict[int, tuple[str, ...]]:
    """Item -> the Obsidian block ids (lower-cased) that name it, as the normaliser attached them."""
    return {item.index: item.block.ids for item in corpus.items if item.block.ids}


def build_pages(corpus: Corpus, outline: Outline, placement: Placement, layout: Layout, canonicals: Canonicals,
                named: Mapping[int, tuple[str, ...]]) -> Pages:
    """One topic page per outline page, then one other page per note with sections that fit no topic."""
    writer = _SectionWriter(corpus, layout, canonicals, named)
    tags_of = {note.path: note.tags for note in corpus.notes}
    titles = distinct_titles((note.path, note.title) for note in corpus.notes)
    section_homes: dict[int, tuple[str, str]] = {}
    shown: set[tuple[str, str | None]] = set()
    pages = []
    for spec in outline.pages:
        path = f"{TOPICS_DIR}/{spec.id}.md"
        used = writer.anchors(path)
        used.update((spec.id, *(s.id for s in spec.sections)))  # the outline's anchors stay as they are
        planned: list[_Planned] = []
        for s in spec.sections:
            groups = layout.groups.get(TopicDestination(s.id), ())
            planned += [_Planned(s.id, s.title, s.level, groups[0].blocks if groups else (), None)]
            planned += [_Planned(None, g.heading.title, min(DEEPEST_HEADING, s.level + g.heading.depth), g.blocks,
                                 g.heading) for g in groups if g.heading is not None]
        planned = [p for p, keep in zip(planned, with_ancestors([(p.level, bool(p.blocks)) for p in planned])) if keep]
        said = Counter(p.title.casefold() for p in planned)
        chosen = []
        for p in planned:
            if p.heading is None:
                chosen.append(writer.section(p.id, p.title, p.level, p.blocks, path))
                continue
            note = corpus.notes[corpus.sections[p.heading.section].note]
            title = p.title if said[p.title.casefold()] == 1 else whose_heading(p.title, note.title, titles[note.path])
            anchor = unique_anchor(path_slug(title), used)
            section_homes[p.heading.section] = (path, anchor)
            chosen.append(writer.section(anchor, title, p.level, p.blocks, path, note.path))
        tags = sorted({t for s in chosen for n in s.sources for t in tags_of.get(n, ())})
        pages.append(TopicPage(spec.id, spec.title, spec.summary, tuple(chosen), tuple(tags)))
        shown |= {(path, None), *((path, s.id) for s in chosen)}
    other_pages = []
    for n, note in enumerate(corpus.notes):
        path = f"{OTHER_DIR}/{corpus.addresses.slug(note.path)}.md"
        used = writer.anchors(path)
        own = [g for g in corpus.note_sections[n] if isinstance(placement.destinations[g], OtherDestination)]
        for g in own:
            section_homes[g] = (path, unique_anchor(path_slug(corpus.section(g).title), used))
        sections = [writer.section(section_homes[g][1], corpus.section(g).title, corpus.section(g).level,
                                   layout.blocks(placement.destinations[g]), path) for g in own]
        chosen = _with_content(sections)
        if chosen:
            other_pages.append(OtherPage(note.path, note.title, path, chosen, tuple(sorted(set(note.tags)))))
            shown |= {(path, None), *((path, s.id) for s in chosen)}
    headed = frozenset(g.heading.section for groups in layout.groups.values() for g in groups if g.heading)
    return Pages(tuple(pages), tuple(other_pages), writer.block_homes, writer.block_anchors, section_homes, headed,
                 frozenset(shown))


def whose_heading(heading: str, note_title: str, note_label: str) -> str:
    """A note heading that names its note (by `note_label`, its title told apart from others'), for a page where
    other headings say the same words."""
    if heading.casefold() == note_title.casefold():
        return note_label  # the note's title: the label alone, which adds the file name where notes share it
    return f"{heading} — {note_label}"


class _SectionWriter:
    """Turns laid-out blocks into merged sections, recording where each block lands and the anchors given."""

    def __init__(self, corpus: Corpus, layout: Layout, canonicals: Canonicals, named: Mapping[int, tuple[str, ...]]):
        self.corpus = corpus
        self.layout = layout
        self.members = {cluster.canonical: cluster.members for cluster in canonicals.clusters}
        self.by_meaning = canonicals.by_meaning
        self.named = named
        self.block_homes: dict[int, tuple[str, str]] = {}
        self.block_anchors: dict[int, str] = {}
        self.anchors_used: dict[str, set[str]] = {}  # page -> anchors given on it so far

    def anchors(self, page: str) -> set[str]:
        """The anchors given on `page` so far; a new one is added with unique_anchor."""
        return self.anchors_used.setdefault(page, set())

    def section(self, sid: str, title: str, level: int, placed: tuple[PlacedBlock, ...], page: str,
                note: str | None = None) -> MergedSection:
        """The merged section `sid` of `page` with the `placed` blocks (under `note`'s heading, when given)."""
        blocks = tuple(self.block(p.item, p.depth, page, p.joins) for p in placed)
        for p in placed:
            self.block_homes[p.item] = (page, sid)
        notes = sorted({s.note for b in blocks for s in b.sources})
        return MergedSection(sid, title, level, blocks, tuple(notes), note)

    def block(self, i: int, depth: int, page: str, joins_list: bool = False) -> MergedBlock:
        """A kept block with the sources of every version of it, at `depth` (on the list before it, when it
        `joins_list`)."""
        item = self.corpus.items[i]
        members = self.members.get(i, (i,))
        others = [self.corpus.items[m].block.source for m in members if m != i]
        block = item.block if item.block.depth == depth else Block(item.block.kind, item.block.markdown,
                                                                   item.block.source, depth)
        anchor = None
        names = [name for m in (i, *members) for name in self.named.get(m, ())]
        if names and _can_carry_anchor(block):
            anchor = self.block_anchors[i] = unique_anchor(f"block-{path_slug(names[0])}", self.anchors(page))
        return MergedBlock(block, (item.block.source, *others), depth, anchor, self.variants(i, members), joins_list)

    def variants(self, i: int, members: tuple[int, ...]) -> tuple[tuple[Source, str], ...]:
        """The other wordings of a statement merged by meaning: each distinct one once, from its first note."""
        if not self.by_meaning.intersection(members):
            return ()
        items = self.corpus.items
        seen = {items[i].text}
        out: list[tuple[Source, str]] = []
        for m in members:
            if items[m].text not in seen:
                seen.add(items[m].text)
                out.append((items[m].block.source, items[m].block.markdown))
        return tuple(out)


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
