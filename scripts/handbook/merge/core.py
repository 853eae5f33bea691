"""merge_notes: whole-note, block and section deduplication, then layout into topic and other pages.

Each stage is a function of what the stages before it returned; merge_notes calls them in order:
  1. whole notes (handbook.merge.dedupe): exact digest, then containment via a sample of distinctive blocks;
  2. assignment (handbook.merge.placement, rules in handbook.merge.assign): a destination per note section;
  3. blocks (handbook.merge.dedupe): exact, near-duplicate by MinHash-LSH, sentences contained in a larger block;
  3b. statements that say the same thing in other words (handbook.merge.meaning: the paraphrase rule);
  4. sections (handbook.merge.dedupe): a section whose blocks mostly merged into one other section moves there;
  5. canonical versions (handbook.merge.dedupe), less the members their canonical does not say in full
     (handbook.merge.account), then layout (handbook.merge.layout) and pages
     (handbook.merge.pages); records and homes for the report and links (handbook.merge.records).
Blocks merged by stages 1 and 3 are clustered in one Clusters record (handbook.merge.corpus) that the later
stages read. Thresholds and rule names: handbook.merge.settings.
"""

from __future__ import annotations

import gc
from typing import Sequence

from ..model import Note, Source
from .account import account_blocks, keep_faithful
from .corpus import Clusters, Corpus, Progress, TopicDestination, read_corpus
from .dedupe import Canonicals, NoteDedup, choose_canonicals, dedupe_blocks, dedupe_notes, dedupe_sections
from .guards import Lexicon, subjects
from .layout import lay_out
from .meaning import MeaningTerms, dedupe_meaning
from .outline import Outline
from .pages import Pages, block_ids, build_pages
from .place import bound_to_place
from .placement import place_sections
from .records import block_id_homes, footnotes, merge_records, note_homes, unassigned_sections
from .result import MergeCounts, MergeResult
from .settings import MEANING_RULES, PARAPHRASE_RULE
from .text import heading_key, link_targets, sentences

__all__ = ["Progress", "merge_notes"]


def merge_notes(notes: Sequence[Note], outline: Outline, progress: Progress | None = None,
                terms: MeaningTerms = MeaningTerms(), by_meaning: bool = True) -> MergeResult:
    """Deduplicate the notes at note, section and block level and lay them out as topic and other pages;
    `terms` are the synonyms statements are compared by (handbook.merge.meaning.load_meaning_terms), and
    `by_meaning=False` leaves paraphrases apart (for measuring what merging by meaning changes)."""
    # The stage allocates many small objects and frees none of them until it ends: cyclic garbage
    # collection would rescan them again and again (a third of the run time at 10,000 notes).
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _merge(notes, outline, progress or _silent, terms, by_meaning)
    finally:
        # What the merge alone asks of texts is not kept for the stages after it.
        for cache in (heading_key, link_targets, sentences):
            cache.cache_clear()
        if was_enabled:
            gc.enable()


def _silent(stage: str, done: int, total: int) -> None:
    """No progress report."""


def _merge(notes: Sequence[Note], outline: Outline, progress: Progress, terms: MeaningTerms,
           by_meaning: bool) -> MergeResult:
    corpus = read_corpus(notes)
    clusters = Clusters(len(corpus.items))
    lexicon = Lexicon(outline.fact_terms)
    bound = bound_to_place(corpus, lexicon)
    duplicates = dedupe_notes(corpus, clusters, bound, progress)
    placement = place_sections(corpus, outline, progress)
    subject = subjects(corpus, lexicon)  # what every item is about, for both stages that compare items
    guarded = dedupe_blocks(corpus, clusters, duplicates, placement.destinations, lexicon, bound, subject, progress)
    scopes = _page_scopes(corpus, outline, placement.destinations)
    meaning, paraphrase = dedupe_meaning(corpus, clusters, duplicates.duplicate_of, scopes,
                                         placement.destinations, lexicon, terms, bound, subject,
                                         enabled=by_meaning)
    merged_sections = dedupe_sections(corpus, clusters, duplicates)
    chosen = choose_canonicals(corpus, clusters)
    canonicals = keep_faithful(corpus, chosen, lexicon, paraphrase, chosen.by_meaning)
    progress("layout", 0, 1)
    layout = lay_out(corpus, placement, merged_sections, canonicals, meaning.list_joins)
    named = block_ids(corpus)
    pages = build_pages(corpus, outline, placement, layout, canonicals, named)
    result = MergeResult(
        pages=pages.topic_pages, other_pages=pages.other_pages, duplicate_notes=duplicates.duplicates,
        merges=merge_records(corpus, clusters, duplicates, merged_sections, canonicals, meaning.matched),
        unassigned=unassigned_sections(corpus, placement, duplicates),
        guarded=guarded,
        counts=_counts(corpus, duplicates, canonicals.canonical),
        note_titles=tuple((note.path, note.title) for note in corpus.notes),
        block_homes=_block_homes(corpus, pages, canonicals.canonical),
        note_homes=(*note_homes(corpus, outline, duplicates, placement, merged_sections, pages, canonicals),
                    *block_id_homes(corpus, named, pages, canonicals)),
        footnotes=footnotes(corpus),
        account=account_blocks(corpus, canonicals.canonical, _rules(clusters, canonicals),
                               pages.block_homes, pages.block_anchors),
        addresses=corpus.addresses,
    )
    progress("layout", 1, 1)
    return result


def _page_scopes(corpus: Corpus, outline: Outline, destinations: Sequence[object]) -> list[object]:
    """Per item, the page its section goes to (a topic page's id, or the destination of a note's own page)."""
    page_of = {section.id: section.page_id for section in outline.sections}
    scopes = [page_of[d.topic] if isinstance(d, TopicDestination) else d for d in destinations]
    return [scopes[item.section] for item in corpus.items]


def _counts(corpus: Corpus, duplicates: NoteDedup, canonical: tuple[int, ...]) -> MergeCounts:
    kept = sum(1 for i in range(len(corpus.items)) if canonical[i] == i)
    return MergeCounts(notes=len(corpus.notes), duplicate_notes=len(duplicates.duplicates),
                       input_blocks=len(corpus.items), kept=kept, merged=len(corpus.items) - kept)


def _rules(clusters: Clusters, canonicals: Canonicals) -> dict[int, str]:
    """Merged item -> the rule that joined it to its twin: the one that joined it to its cluster (its twin's, when
    it is the cluster's root), or the cluster's merge by meaning when only that lets the twin carry it."""
    rule_of, canonical = clusters.rule_of, canonicals.canonical
    meaning_rule: dict[int, str] = {}  # canonical -> the meaning rule that joined a member of its cluster
    for member in sorted(canonicals.by_meaning):
        meaning_rule.setdefault(canonical[member], rule_of[member])
    rules = {i: rule_of.get(i) or rule_of.get(twin, "") for i, twin in enumerate(canonical) if twin != i}
    for i in canonicals.carried_by_meaning:
        if rules.get(i) not in MEANING_RULES:
            rules[i] = meaning_rule.get(canonical[i], PARAPHRASE_RULE)
    return rules


def _block_homes(corpus: Corpus, pages: Pages, canonical: tuple[int, ...]) -> dict[Source, tuple[str, str]]:
    """Every input block's source -> where its canonical version is shown."""
    return {item.block.source: pages.block_homes[canonical[index]] for index, item in enumerate(corpus.items)}
