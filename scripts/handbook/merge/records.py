"""What the merge stage reports beside its pages: merge records, unplaced sections, and where notes ended up."""

from __future__ import annotations

from typing import Mapping, Sequence, Set

from ..footnotes import LITERAL_KINDS, definitions_by_label
from ..model import Source
from ..paths import OTHER_DIR, TOPICS_DIR, path_slug
from .corpus import Clusters, Corpus, OtherDestination, TopicDestination
from .dedupe import Canonicals, NoteDedup, SectionDedup
from .outline import Outline
from .pages import Pages
from .placement import Placement
from .result import MergeRecord, UnassignedSection
from .settings import (
    MERGE_RULES, NOTE_CONTAINED_RULE, NOTE_EXACT_RULE, NOTE_RULES, OFF_TOPIC_RULE, SECTION_CONTAINED_RULE,
)

NoteHome = tuple[str, "str | None", str, "str | None"]  # note path, heading slug or block id, page, anchor


def merge_records(corpus: Corpus, clusters: Clusters, notes: NoteDedup, merged_sections: SectionDedup,
                  canonicals: Canonicals, matched: Mapping[int, tuple[str, ...]] = {}) -> tuple[MergeRecord, ...]:
    """One record per duplicate note (N), merged section (S) and block cluster joined by a block rule (B); a
    cluster merged by meaning names the concepts its statements matched on (`matched`, by joined item)."""
    title = {note.path: note.title for note in corpus.notes}
    out: list[MergeRecord] = []
    for number, dup in enumerate(notes.duplicates, 1):
        rule = NOTE_EXACT_RULE if dup.kind == "exact" else NOTE_CONTAINED_RULE
        out.append(MergeRecord(f"N{number}", "note", Source(dup.duplicate_of, 1), (Source(dup.note, 1),),
                               dup.score, rule, title[dup.duplicate_of], (title[dup.note],)))
    for number, merge in enumerate(merged_sections.merges, 1):
        left, right = corpus.section(merge.into), corpus.section(merge.section)
        out.append(MergeRecord(f"S{number}", "section", left.source, (right.source,), merge.score,
                               SECTION_CONTAINED_RULE, left.title, (right.title,)))
    rank = {rule.id: position for position, rule in enumerate(MERGE_RULES)}
    items = corpus.items
    number = 0
    for cluster in canonicals.clusters:
        canonical, ids = cluster.canonical, cluster.members
        others = [i for i in ids if i != canonical]
        block_rules = {clusters.rule_of.get(i) for i in ids} - {None} - NOTE_RULES
        if not block_rules:
            continue  # only copies inside a duplicate note: its note record says it all
        number += 1
        rule = max(block_rules, key=rank.__getitem__)
        score = min(clusters.score_of.get(i, 1.0) for i in ids)
        kept_text = items[canonical].block.markdown
        dropped = tuple(dict.fromkeys(items[i].block.markdown for i in others
                                      if items[i].block.markdown != kept_text))
        words = tuple(sorted({w for i in ids for w in matched.get(i, ())}))
        out.append(MergeRecord(f"B{number}", "block", items[canonical].block.source,
                               tuple(items[i].block.source for i in others), score, rule, kept_text, dropped, words))
    return tuple(out)


def unassigned_sections(corpus: Corpus, placement: Placement, notes: NoteDedup) -> tuple[UnassignedSection, ...]:
    """The note sections with content that stay on their note's page (duplicate notes left out)."""
    out = []
    for g, ref in enumerate(corpus.sections):
        assignment = placement.assignments[g]
        if assignment.topic is None and ref.items and ref.note not in notes.duplicate_of:
            reason = ("the note is not about a configured topic" if assignment.rule == OFF_TOPIC_RULE
                      else "no topic alias, fuzzy heading match or keywords")
            section = corpus.section(g)
            out.append(UnassignedSection(corpus.notes[ref.note].path, section.title, section.source.line, reason))
    return tuple(out)


def note_homes(corpus: Corpus, outline: Outline, notes: NoteDedup, placement: Placement,
               merged_sections: SectionDedup, pages: Pages, canonicals: Canonicals) -> list[NoteHome]:
    """Where each note, and each of its headings, ended up (a duplicate note: where its original did).

    A heading lands on its own heading where a page shows it, else on the section that shows its text. A
    heading with nothing under it that no page shows lands on the nearest section of its note a page shows:
    one that follows it in the same part of the note, else one that holds it; else only the note has a home.
    """
    page_of = {section.id: section.page_id for section in outline.sections}

    def placed_at(g: int) -> tuple[str, str | None] | None:
        target = merged_sections.target.get(g, g)
        dest = placement.destinations[target]
        if target == g and g in pages.section_homes:
            return pages.section_homes[g]
        if target == g and g in pages.headed:
            return None  # its heading, with nothing under it, is not shown
        if isinstance(dest, TopicDestination):  # under no heading of its own: under the topic section's title
            return f"{TOPICS_DIR}/{page_of[dest.topic]}.md", dest.topic
        if target in pages.section_homes:
            return pages.section_homes[target]
        return pages.block_homes[canonicals.canonical[corpus.sections[g].items[0]]]

    first_page: dict[int, dict[str, tuple[str, str | None]]] = {}
    for n, groups in enumerate(corpus.note_sections):
        levels = [corpus.section(g).level for g in groups]
        places = [placed_at(g) for g in groups]
        for k, g in enumerate(groups):
            home = nearest_shown(levels, places, k, pages.shown)
            if home is not None:
                first_page.setdefault(n, {}).setdefault(path_slug(corpus.section(g).title), home)
    out: list[NoteHome] = []
    for n, note in enumerate(corpus.notes):
        source = notes.duplicate_of.get(n, n)
        homes = first_page.get(source, {})
        other = f"{OTHER_DIR}/{corpus.addresses.slug(corpus.notes[source].path)}.md"
        all_other = all(isinstance(placement.destinations[g], OtherDestination) for g in corpus.note_sections[source])
        if homes:
            whole = (other, None) if all_other and (other, None) in pages.shown else next(iter(homes.values()))
            out.append((note.path, None, *whole))
        for slug, home in (homes if n == source else {}).items():
            out.append((note.path, slug, *home))
        if n != source:
            own = {path_slug(section.title) for section in note.sections}
            out.extend((note.path, slug, *home) for slug, home in homes.items() if slug in own)
    return out


Place = tuple[str, "str | None"]


def nearest_shown(levels: Sequence[int], places: Sequence[Place | None], k: int,
                  shown: Set[Place]) -> Place | None:
    """Where section `k` of a note (heading `levels[k]`) is shown, else the nearest shown section after it
    before its part of the note ends, else the nearest shown section that holds it; None when there is none."""
    if places[k] in shown:
        return places[k]
    part = next((levels[j] for j in range(k - 1, -1, -1) if levels[j] < levels[k]), 0)
    for j in range(k + 1, len(levels)):
        if levels[j] <= part:
            break
        if places[j] in shown:
            return places[j]
    level = levels[k]
    for j in range(k - 1, -1, -1):
        if levels[j] < level:
            if places[j] in shown:
                return places[j]
            level = levels[j]
    return None


def block_id_homes(corpus: Corpus, named: Mapping[int, tuple[str, ...]], pages: Pages,
                   canonicals: Canonicals) -> list[NoteHome]:
    """Where each Obsidian block id (`^id`) landed: its block's canonical version, on its own anchor if it has one."""
    canonical, homes = canonicals.canonical, pages.block_homes
    return [(corpus.items[i].block.source.note, name, homes[canonical[i]][0],
             pages.block_anchors.get(canonical[i], homes[canonical[i]][1]))
            for i, names in named.items() for name in names]


def footnotes(corpus: Corpus) -> dict[tuple[str, str], str]:
    """Every footnote definition of every note, by (note, label)."""
    return {(note.path, label): text for note in corpus.notes for section in note.sections
            for block in section.blocks if block.kind not in LITERAL_KINDS and "[^" in block.markdown
            for label, text in definitions_by_label(block.markdown).items()}
