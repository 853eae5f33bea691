"""The deduplication stages: whole notes, blocks, sections, then the canonical version of every cluster.

Whole notes: equal digest of text and headings, else containment checked against the notes that share a
sample of the note's distinctive blocks. Blocks: equal text, then near-duplicates by MinHash-LSH (fact
guards veto), then a paragraph or list item whose sentences all near-duplicate sentences of one larger kept
block ("sentences-contained"); every block merge also requires the same subject (handbook.merge.guards)
and exact merges the same link targets; blocks bound to their place (handbook.merge.place) never merge
alone, and a note with such blocks is contained in another only when they are all there; a short list item
merges on equal text only under a lead-in of the same owner (handbook.merge.lists). Merges by meaning
(paraphrases, lists of the same things) follow in handbook.merge.meaning. Sections: most of a
section's blocks merged into one other section. Candidates come from hash maps and LSH buckets only; no
stage compares all pairs.

Canonical version of a cluster, by this fixed rule (first difference decides):
  1. more words (the most complete version);
  2. fewer words that no other version in the cluster uses (likely misspellings);
  3. the note listed first (in reading order: 2 before 13); 4. earlier line.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from typing import Mapping, Sequence

from ..model import record
from .corpus import Clusters, Corpus, Destination, Progress
from .guards import Lexicon, fact_signature, guard_conflict
from .lists import list_owners
from .lsh import Link, leader_clusters, most_voted
from .place import Bound
from .result import GuardRecord, NoteDuplicate
from .settings import (
    CANDIDATES, DISTINCTIVE_SAMPLE, EXACT_HASH_RULE, MIN_SENTENCE_WORDS, NEAR_DUPLICATE, NEAR_DUPLICATE_RULE,
    MEANING_RULES, NOTE_CONTAINED_RULE, NOTE_CONTAINMENT, NOTE_EXACT_RULE, POSTING_CAP, SECTION_CONTAINMENT,
    SENTENCES_CONTAINED_RULE, SHORT_WORDS, TEXT_KINDS,
)
from .text import comparison_text, link_targets, sentences, text_hash


@record
class NoteDedup:
    """Notes that repeat a larger one: their records (by note path) and note index -> the note it repeats."""

    duplicates: tuple[NoteDuplicate, ...]
    duplicate_of: Mapping[int, int]


@record
class SectionMerge:
    """A note section most of whose blocks merged into another one (indexes into Corpus.sections)."""

    section: int
    into: int
    score: float


@record
class SectionDedup:
    """The sections merged into others: section -> the section it moves into, and the records in section order."""

    target: Mapping[int, int]
    merges: tuple[SectionMerge, ...]


@record
class Cluster:
    """Blocks merged into one: the canonical (kept) item and every member, in input order."""

    canonical: int
    members: tuple[int, ...]


@record
class Canonicals:
    """Item -> the item shown in its place (itself when kept), and every cluster of more than one item."""

    canonical: tuple[int, ...]
    clusters: tuple[Cluster, ...]  # by the canonical's place in the input
    by_meaning: frozenset[int] = frozenset()  # items joined to their cluster by the paraphrase rule
    carried_by_meaning: frozenset[int] = frozenset()  # merged items their twin carries only by the paraphrase rule


# ---- whole notes ---------------------------------------------------------------------------------------
def dedupe_notes(corpus: Corpus, clusters: Clusters, bound: Bound, progress: Progress) -> NoteDedup:
    """Find notes that repeat a larger note exactly or are contained in it, and merge their blocks into it."""
    items, notes = corpus.items, corpus.notes
    note_items: list[list[int]] = [[] for _ in notes]
    for item in items:
        note_items[item.note].append(item.index)
    size = [sum(len(items[i].tokens) for i in ids) for ids in note_items]
    # The title names a note (often after its file) and is not part of what it says: two files with
    # the same text under the same headings are one note, whatever they are called.
    headings = [" / ".join(comparison_text(section.title) for section in note.sections[1:]) for note in notes]
    digest = [text_hash(headings[n] + "\n" + "\n".join(items[i].text for i in ids))
              for n, ids in enumerate(note_items)]
    order = sorted(range(len(notes)), key=lambda n: (-size[n], notes[n].path))
    exact_leader: dict[bytes, int] = {}
    postings: dict[str, list[int]] = defaultdict(list)
    hashes: dict[int, dict[str, int]] = {}
    duplicates: list[NoteDuplicate] = []
    duplicate_of: dict[int, int] = {}
    for done, n in enumerate(order):
        if done % 500 == 0:
            progress("notes", done, len(order))
        ids = note_items[n]
        if not ids or size[n] == 0:
            continue
        mine: dict[str, int] = {}  # comparison text -> first block with it
        for i in ids:
            mine.setdefault(items[i].text, i)
        if digest[n] in exact_leader:
            found = (exact_leader[digest[n]], "exact", 1.0)
        else:
            found = _container(corpus, ids, mine, size[n], postings, hashes, bound)
        if found is None:
            exact_leader[digest[n]] = n
            hashes[n] = mine
            for key, i in mine.items():
                if len(items[i].tokens) >= SHORT_WORDS:
                    postings[key].append(n)
            continue
        leader, kind, score = found
        duplicate_of[n] = leader
        duplicates.append(NoteDuplicate(notes[n].path, notes[leader].path, kind, round(score, 4)))
        rule = NOTE_EXACT_RULE if kind == "exact" else NOTE_CONTAINED_RULE
        for i in ids:
            target = hashes[leader].get(items[i].text)
            if target is not None:
                clusters.merge(i, target, rule, score)
    progress("notes", len(order), len(order))
    duplicates.sort(key=lambda d: d.note)
    return NoteDedup(tuple(duplicates), duplicate_of)


def _container(corpus: Corpus, ids: list[int], mine: dict[str, int], total: int,
               postings: Mapping[str, list[int]], hashes: Mapping[int, dict[str, int]], bound: Bound
               ) -> tuple[int, str, float] | None:
    """(the larger note this one is contained in, "contained", share of words) or None."""
    items = corpus.items
    # Options, steps and labelled items merge only with their whole parent: a question one of whose
    # options differs is another question, however many of its words the larger note has.
    placed = [items[i].text for i in ids if i in bound and items[i].text]
    # A fixed sample of the note's distinctive blocks: if the note is contained in another, so are they.
    distinctive = heapq.nsmallest(DISTINCTIVE_SAMPLE,
                                  (k for k, i in mine.items() if len(items[i].tokens) >= SHORT_WORDS))
    votes: dict[int, int] = {}
    for key in distinctive:
        for leader in postings.get(key, ())[:POSTING_CAP]:
            votes[leader] = votes.get(leader, 0) + 1
    for leader in most_voted(votes, CANDIDATES):  # smaller first: notes are in reading order
        theirs = hashes[leader]
        if any(text not in theirs for text in placed):
            continue
        covered = sum(len(items[i].tokens) for i in ids if items[i].text in theirs)
        if covered / total >= NOTE_CONTAINMENT:
            return leader, "contained", covered / total
    return None


# ---- blocks --------------------------------------------------------------------------------------------
class _Signatures:
    """Fact signatures by text and link targets, each computed once (blocks and sentences share them)."""

    def __init__(self, lexicon: Lexicon):
        self.lexicon = lexicon
        self.known: dict[tuple, tuple] = {}

    def of(self, text: str, tokens: tuple[str, ...], markdown: str = "", subject: frozenset[str] = frozenset()
           ) -> tuple:
        """The fact signature of a text (its block's Markdown, when it is a whole block) about a subject."""
        key = (text, link_targets(markdown), subject)
        signature = self.known.get(key)
        if signature is None:
            signature = self.known[key] = fact_signature(tokens, markdown, self.lexicon, subject)
        return signature


def dedupe_blocks(corpus: Corpus, clusters: Clusters, notes: NoteDedup, destinations: Sequence[Destination],
                  lexicon: Lexicon, bound: Bound, subject: Sequence[frozenset[str]],
                  progress: Progress) -> tuple[GuardRecord, ...]:
    """Merge equal, near-duplicate and sentence-contained blocks; returns the pairs a fact guard kept apart."""
    items, duplicate_of = corpus.items, notes.duplicate_of
    live = [i for i in range(len(items)) if clusters.find(i) == i and items[i].note not in duplicate_of]
    # Blocks of a duplicate note without a counterpart in its container stay in play.
    live += [i for i in range(len(items)) if items[i].note in duplicate_of and clusters.find(i) == i]
    live.sort(key=corpus.rank)
    progress("blocks", 0, 4)
    # A statement under a heading its note repeats merges only with one of its own note that lands in the same
    # place: that is part of what it is about.
    subject = [found | {f"place: {items[i].note} {destinations[items[i].section]}"} if i in bound.local else found
               for i, found in enumerate(subject)]
    owner = list_owners(corpus, lexicon)
    exact: dict[tuple, int] = {}
    for i in live:
        item = items[i]
        if item.block.kind == "rule" or not item.block.markdown.strip() or i in bound.anywhere:
            continue
        # Equal words about different subjects are different facts: the subject guard, which the
        # near-duplicate stage below reports, keeps them apart here too.
        if item.block.kind in TEXT_KINDS and item.text:
            # A short item means something only in its list, and a list is about what its lead-in names:
            # "Networking" under "AWS looks after:" is not "Networking" under "You look after:".
            short = len(item.tokens) < SHORT_WORDS
            scope = (destinations[item.section], owner[i]) if short else "site"
            key = (scope, "text", item.text, link_targets(item.block.markdown), subject[i])
        else:
            key = (destinations[item.section], item.block.kind, item.block.markdown.strip(), subject[i])
        if key in exact:
            clusters.merge(i, exact[key], EXACT_HASH_RULE, 1.0)
        else:
            exact[key] = i
    progress("blocks", 1, 4)
    reps = [i for i in exact.values() if items[i].block.kind in TEXT_KINDS and len(items[i].tokens) >= SHORT_WORDS]
    reps.sort(key=corpus.rank)
    signatures = _Signatures(lexicon)
    texts = [items[i].text for i in reps]
    tokens = [items[i].tokens for i in reps]
    sigs = [signatures.of(t, k, items[i].block.markdown, subject[i]) for t, k, i in zip(texts, tokens, reps)]
    _, links = leader_clusters(texts, tokens, sigs, NEAR_DUPLICATE, guard_conflict)
    closest_guarded: dict[int, Link] = {}
    for link in links:
        if link.guard is None:
            clusters.merge(reps[link.member], reps[link.leader], NEAR_DUPLICATE_RULE, link.score)
        elif link.member not in closest_guarded or link.score > closest_guarded[link.member].score:
            closest_guarded[link.member] = link
    # The audit lists, per text, the most similar text a guard kept it apart from.
    guarded: list[GuardRecord] = []
    for link in closest_guarded.values():
        if clusters.find(reps[link.member]) == clusters.find(reps[link.leader]):
            continue  # merged through another version after all: same cluster, no contradiction
        left, right = items[reps[link.leader]], items[reps[link.member]]
        guarded.append(GuardRecord(left.block.source, right.block.source, link.score, link.guard,
                                   left.block.markdown, right.block.markdown))
    progress("blocks", 2, 4)
    _contain_sentences(corpus, clusters, [r for r in reps if clusters.find(r) == r], signatures, subject)
    progress("blocks", 3, 4)
    # Sorted by the sources' fields, in C: comparing the Source records themselves runs Python per comparison.
    return tuple(sorted(set(guarded), key=lambda g: (g.left.note, g.left.line, g.right.note, g.right.line, g.guard)))


def _contain_sentences(corpus: Corpus, clusters: Clusters, reps: list[int], signatures: _Signatures,
                       subject: Sequence[frozenset[str]]) -> None:
    """Merge a block whose sentences all near-duplicate sentences of one larger block about the same subject."""
    items = corpus.items
    reps = sorted(reps, key=corpus.rank)
    raw = {r: sentences(items[r].block.markdown) for r in reps}
    split = {r: [s for s in raw[r] if s.count(" ") + 1 >= MIN_SENTENCE_WORDS] for r in reps}
    containers = [r for r in reps if len(raw[r]) >= 2]  # only a block of several sentences can hold another
    distinct: dict[str, int] = {}
    for r in containers:
        for s in split[r]:
            distinct.setdefault(s, len(distinct))
    indexed = len(distinct)
    for r in reps:
        for s in split[r]:
            distinct.setdefault(s, len(distinct))
    texts = list(distinct)
    tokens = [tuple(t.split()) for t in texts]
    sigs = [signatures.of(t, k) for t, k in zip(texts, tokens)]
    # Sentences of containers are indexed; the others only look for one of them.
    leader_of, _ = leader_clusters(texts, tokens, sigs, NEAR_DUPLICATE, guard_conflict, indexed=indexed)
    cluster = {text: leader_of[distinct[text]] for text in texts}
    holders: dict[int, list[int]] = defaultdict(list)
    for r in containers:
        for c in dict.fromkeys(cluster[s] for s in split[r]):
            holders[c].append(r)
    for r in reversed(reps):  # smallest first, so chains end at the largest block
        mine = {cluster[s] for s in split[r]}
        if not mine or any(c not in holders for c in mine):
            continue
        size = len(items[r].tokens)
        rarest = min(mine, key=lambda c: len(holders[c]))
        for other in holders[rarest][:POSTING_CAP]:
            if other == r or len(items[other].tokens) <= size or subject[other] != subject[r]:
                continue
            if mine <= {cluster[s] for s in split[other]}:
                theirs = set(items[other].tokens)
                score = sum(1 for t in items[r].tokens if t in theirs) / size
                clusters.merge(r, other, SENTENCES_CONTAINED_RULE, round(score, 4))
                break


# ---- sections ------------------------------------------------------------------------------------------
def dedupe_sections(corpus: Corpus, clusters: Clusters, notes: NoteDedup) -> SectionDedup:
    """Find sections of two or more blocks most of which merged into the blocks of one other section."""
    items = corpus.items
    target: dict[int, int] = {}
    merges: list[SectionMerge] = []
    leaders_by_root: dict[int, list[int]] = defaultdict(list)
    root_of = [clusters.find(i) for i in range(len(items))]
    cluster_size: dict[int, int] = defaultdict(int)
    for root in root_of:
        cluster_size[root] += 1
    roots_in: dict[int, frozenset[int]] = {}  # per candidate section: its clusters (a leader is asked again and again)
    for g in sorted(range(len(corpus.sections)), key=lambda g: (-len(corpus.sections[g].items), g)):
        ids = corpus.sections[g].items
        if len(ids) < 2 or items[ids[0]].note in notes.duplicate_of:
            continue
        roots = [root_of[i] for i in ids]
        if all(cluster_size[r] == 1 for r in roots):
            continue  # nothing in it is said anywhere else: no section can contain it or be contained in it
        votes: dict[int, int] = {}
        for root in dict.fromkeys(roots):
            for other in leaders_by_root[root][:POSTING_CAP]:
                votes[other] = votes.get(other, 0) + 1
        found = None
        for other in most_voted(votes, CANDIDATES):
            theirs = roots_in.get(other)
            if theirs is None:
                theirs = roots_in[other] = frozenset(root_of[i] for i in corpus.sections[other].items)
            share = sum(1 for r in roots if r in theirs) / len(roots)
            if share >= SECTION_CONTAINMENT:
                found = SectionMerge(g, other, round(share, 4))
                break
        if found is None:
            for root in dict.fromkeys(roots):
                leaders_by_root[root].append(g)
            continue
        target[g] = found.into
        merges.append(found)
    return SectionDedup(target, tuple(sorted(merges, key=lambda m: m.section)))


# ---- canonical versions --------------------------------------------------------------------------------
def choose_canonicals(corpus: Corpus, clusters: Clusters) -> Canonicals:
    """Pick the version every cluster shows, by the canonical rule (merges by meaning too)."""
    items = corpus.items
    members: dict[int, list[int]] = defaultdict(list)
    for i in range(len(items)):
        members[clusters.find(i)].append(i)
    canonical = list(range(len(items)))
    found: list[Cluster] = []
    for ids in members.values():
        if len(ids) > 1:
            unshared = _unshared_words(corpus, ids)
            best = min(ids, key=lambda i: (-len(items[i].tokens), unshared[items[i].text], items[i].note,
                                           items[i].block.source.line, i))
            for i in ids:
                canonical[i] = best
            found.append(Cluster(best, tuple(sorted(ids, key=corpus.position))))
    found.sort(key=lambda c: corpus.position(c.canonical))
    by_meaning = frozenset(i for i, rule in clusters.rule_of.items() if rule in MEANING_RULES)
    return Canonicals(tuple(canonical), tuple(found), by_meaning)


def _unshared_words(corpus: Corpus, ids: list[int]) -> dict[str, int]:
    """For each distinct version in a cluster: how many of its words no other version, and no other note writing
    the same version, uses (a word one note alone writes is likely a misspelling; two notes that write a
    version alike share its words)."""
    items = corpus.items
    versions = {items[i].text: frozenset(items[i].tokens) for i in ids}
    if len(versions) < 2:
        return dict.fromkeys(versions, 0)
    # Read per version, not per copy: a cluster can hold thousands of copies of a few versions.
    notes_writing: dict[str, set[int]] = defaultdict(set)
    for i in ids:
        notes_writing[items[i].text].add(items[i].note)
    seen_in: dict[str, int] = defaultdict(int)
    for vocabulary in versions.values():
        for token in vocabulary:
            seen_in[token] += 1
    return {text: sum(1 for t in vocabulary if seen_in[t] == 1) if len(notes_writing[text]) == 1 else 0
            for text, vocabulary in versions.items()}
