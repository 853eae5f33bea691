"""merge_notes: whole-note, section and block deduplication, then layout into topic and other pages.

Thresholds (all on normalised text: Markdown markup dropped, lowercased, words only):
  * NOTE_CONTAINMENT = 0.9   a note is a duplicate of a larger one when >= 90 % of its words sit in
                             blocks the larger note has too (equal text: "exact");
  * SECTION_CONTAINMENT = 0.8 a section (>= 2 blocks) is merged into another when >= 80 % of its
                             blocks were merged into that section's blocks;
  * NEAR_DUPLICATE = 0.9     two blocks (or sentences) are near-duplicates when their rapidfuzz
                             Indel similarity is >= 0.9 and every fact guard agrees;
  * SHORT_WORDS = 4           blocks shorter than this (list items like "EC2") mean something only in
                             their list: they merge only on equal text within the same destination.
A paragraph or list item whose sentences all near-duplicate sentences of one larger kept block is
merged into that block ("sentences-contained"). Fact guards (handbook.merge.guards) veto near-duplicate
and sentence merges; exact merges also require the same link targets.

Order of work: whole notes (exact digest, then containment via a sample of distinctive blocks) ->
assignment (handbook.merge.assign) -> blocks (exact, near-duplicate by MinHash-LSH, sentences) ->
sections -> canonical versions -> layout. Candidates come from hash maps and LSH buckets only; no
stage compares all pairs.

Layout: a topic section shows the kept blocks of every note section assigned to it, note by note
(notes in path order), each block where its note put it. A nested list item whose parent was merged
away moves under the kept parent; a section merged into another moves its remaining blocks there;
a closing one-sentence lead-in ("... three types:") moves with the sub-sections it introduces; a
note section placed under a topic title that does not name it keeps its heading as a bold caption.

Canonical version of a cluster, by this fixed rule (first difference decides):
  1. more words (the most complete version);
  2. fewer words that no other version in the cluster uses (likely misspellings);
  3. earlier note path; 4. earlier line.
"""

from __future__ import annotations

import gc
import heapq
from collections import defaultdict
from dataclasses import dataclass
from typing import Callable, Sequence

from ..footnotes import LITERAL_KINDS, definitions_by_label
from ..model import Block, Note, Source
from ..paths import OTHER_DIR, TOPICS_DIR, note_slug
from ..paths import path_slug
from .assign import Assigner, Assignment
from .guards import Lexicon, fact_signature, guard_conflict
from .lsh import leader_clusters
from .outline import Outline
from .result import (
    GuardRecord, MergeCounts, MergedBlock, MergedSection, MergeRecord, MergeResult, NoteDuplicate, OtherPage,
    TopicPage, UnassignedSection,
)
from .settings import (
    ALIAS_PREFIX_RULE, CANDIDATES, CANONICAL_RULE, DISTINCTIVE_SAMPLE, EXACT_HASH_RULE, MERGE_RULES, MIN_SENTENCE_WORDS, NEAR_DUPLICATE, NEAR_DUPLICATE_RULE,
    INHERIT_RULE, KEYWORD_RULE, NOTE_CONTAINED_RULE, NOTE_CONTAINMENT, OFF_TOPIC_RULE, NOTE_EXACT_RULE, NOTE_RULES, POSTING_CAP, SECTION_CONTAINED_RULE,
    SECTION_CONTAINMENT, SENTENCES_CONTAINED_RULE, SHORT_WORDS, TEXT_KINDS,
)
from .text import comparison_text, link_targets, sentences, text_hash, words

__all__ = ["CANONICAL_RULE", "MERGE_RULES", "merge_notes"]

Progress = Callable[[str, int, int], None]


@dataclass(slots=True)
class _Item:
    """Working state of one input block."""

    index: int
    note: int
    section: int  # global section index
    block: Block
    text: str
    tokens: tuple[str, ...]
    parent: int | None  # the list item this one is nested under, within its section


class _UnionFind:
    def __init__(self, size: int):
        self.parent = list(range(size))

    def find(self, x: int) -> int:
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, child: int, other: int) -> int | None:
        """Put child's cluster under other's root; returns child's former root, None when already together."""
        child_root, other_root = self.find(child), self.find(other)
        if child_root == other_root:
            return None
        self.parent[child_root] = other_root
        return child_root


def _parents(blocks: Sequence[Block], offset: int) -> list[int | None]:
    out: list[int | None] = []
    stack: list[tuple[int, int]] = []  # (depth, index)
    for position, block in enumerate(blocks):
        if block.kind != "list_item":
            stack.clear()
            out.append(None)
            continue
        while stack and stack[-1][0] >= block.depth:
            stack.pop()
        out.append(stack[-1][1] if stack else None)
        stack.append((block.depth, offset + position))
    return out


class _Merge:
    """One run of merge_notes; plain attributes keep the stage functions short."""

    def __init__(self, notes: Sequence[Note], outline: Outline, progress: Progress | None):
        self.notes = sorted(notes, key=lambda n: n.path)
        self.outline = outline
        self.progress = progress or (lambda stage, done, total: None)
        self.lexicon = Lexicon(outline.fact_terms)
        self.page_of = {section.id: section.page_id for section in outline.sections}
        self.items: list[_Item] = []
        self.sections: list[tuple[int, int]] = []  # (note index, section index in note)
        self.section_items: list[list[int]] = []
        for n, note in enumerate(self.notes):
            for s, section in enumerate(note.sections):
                self.sections.append((n, s))
                start = len(self.items)
                ids = []
                for block, parent in zip(section.blocks, _parents(section.blocks, start)):
                    tokens = words(block.markdown)
                    ids.append(len(self.items))
                    self.items.append(_Item(len(self.items), n, len(self.sections) - 1, block,
                                            " ".join(tokens), tokens, parent))
                self.section_items.append(ids)
        self.uf = _UnionFind(len(self.items))
        self.rule_of: dict[int, str] = {}  # merged item -> rule id
        self.score_of: dict[int, float] = {}
        self.guarded: list[GuardRecord] = []
        self.signatures: dict[str, tuple] = {}

    # ---- helpers ---------------------------------------------------------------------------------
    def signature(self, text: str, tokens: tuple[str, ...], markdown: str = "") -> tuple:
        key = (text, link_targets(markdown))
        sig = self.signatures.get(key)
        if sig is None:
            sig = self.signatures[key] = fact_signature(tokens, markdown, self.lexicon)
        return sig

    def rank(self, index: int) -> tuple:
        item = self.items[index]
        return (-len(item.tokens), item.note, item.block.source.line, index)  # notes are sorted by path

    def position(self, index: int) -> tuple[int, int]:
        """Where a block is in the input: note (notes are sorted by path), then line."""
        item = self.items[index]
        return item.note, item.block.source.line

    def merge(self, member: int, into: int, rule: str, score: float) -> None:
        joined = self.uf.union(member, into)
        if joined is not None:
            self.rule_of[joined] = rule  # the rule that joined this whole sub-cluster
            self.score_of[joined] = score

    # ---- stage 1: whole notes ---------------------------------------------------------------------
    def dedupe_notes(self) -> None:
        note_items: list[list[int]] = [[] for _ in self.notes]
        for item in self.items:
            note_items[item.note].append(item.index)
        size = [sum(len(self.items[i].tokens) for i in ids) for ids in note_items]
        # The title names a note (often after its file) and is not part of what it says: two files with
        # the same text under the same headings are one note, whatever they are called.
        headings = [" / ".join(comparison_text(section.title) for section in note.sections[1:]) for note in self.notes]
        digest = [text_hash(headings[n] + "\n" + "\n".join(self.items[i].text for i in ids))
                  for n, ids in enumerate(note_items)]
        order = sorted(range(len(self.notes)), key=lambda n: (-size[n], self.notes[n].path))
        exact_leader: dict[bytes, int] = {}
        postings: dict[str, list[int]] = defaultdict(list)
        hashes: dict[int, dict[str, int]] = {}
        self.duplicates: list[NoteDuplicate] = []
        self.duplicate_of: dict[int, int] = {}
        for done, n in enumerate(order):
            if done % 500 == 0:
                self.progress("notes", done, len(order))
            ids = note_items[n]
            if not ids or size[n] == 0:
                continue
            mine: dict[str, int] = {}  # comparison text -> first block with it
            for i in ids:
                mine.setdefault(self.items[i].text, i)
            found = None
            if digest[n] in exact_leader:
                found = (exact_leader[digest[n]], "exact", 1.0)
            else:
                found = self._container(n, ids, mine, size[n], postings, hashes)
            if found is None:
                exact_leader[digest[n]] = n
                hashes[n] = mine
                for key, i in mine.items():
                    if len(self.items[i].tokens) >= SHORT_WORDS:
                        postings[key].append(n)
                continue
            leader, kind, score = found
            self.duplicate_of[n] = leader
            self.duplicates.append(NoteDuplicate(self.notes[n].path, self.notes[leader].path, kind, round(score, 4)))
            rule = NOTE_EXACT_RULE if kind == "exact" else NOTE_CONTAINED_RULE
            for i in ids:
                target = hashes[leader].get(self.items[i].text)
                if target is not None:
                    self.merge(i, target, rule, score)
        self.progress("notes", len(order), len(order))
        self.duplicates.sort(key=lambda d: d.note)

    def _container(self, n, ids, mine, total, postings, hashes):
        # A fixed sample of the note's distinctive blocks: if the note is contained in another, so are they.
        distinctive = heapq.nsmallest(DISTINCTIVE_SAMPLE, (k for k, i in mine.items() if len(self.items[i].tokens) >= SHORT_WORDS))
        votes: dict[int, int] = {}
        for key in distinctive:
            for leader in postings.get(key, ())[:POSTING_CAP]:
                votes[leader] = votes.get(leader, 0) + 1
        for leader in heapq.nsmallest(CANDIDATES, votes, key=lambda m: (-votes[m], m)):  # m: notes are sorted by path
            theirs = hashes[leader]
            covered = sum(len(self.items[i].tokens) for i in ids if self.items[i].text in theirs)
            if covered / total >= NOTE_CONTAINMENT:
                return leader, "contained", covered / total
        return None

    # ---- stage 2: assignment -------------------------------------------------------------------
    def assign(self) -> None:
        assigner = Assigner(self.outline)
        self.assignment: list[Assignment] = []
        for done, note in enumerate(self.notes):
            if done % 500 == 0:
                self.progress("assign", done, len(self.notes))
            groups = self._note_sections[done]
            self.assignment.extend(assigner.assign_note(note, lambda index: tuple(
                t for i in self.section_items[groups[index]] for t in self.items[i].tokens)))
        self.progress("assign", len(self.notes), len(self.notes))
        self.dest: list[tuple] = []
        for g, (n, s) in enumerate(self.sections):
            topic = self.assignment[g].topic
            self.dest.append(("topic", topic) if topic else ("other", n, s))
        self.moved: dict[int, tuple] = {}
        for g in range(len(self.sections) - 1):
            self.move_lead_in(g)

    def move_lead_in(self, g: int) -> None:
        """A section's closing 'categorised into three types:' introduces its sub-sections: it goes with them."""
        ids, (n, s), (n2, s2) = self.section_items[g], self.sections[g], self.sections[g + 1]
        if not ids or n != n2 or self.dest[g + 1][0] != "topic" or self.dest[g] == self.dest[g + 1]:
            return
        last = self.items[ids[-1]]
        note = self.notes[n]
        if len(ids) < 2 or last.block.kind != "paragraph" or not last.block.markdown.rstrip().endswith(":") \
                or len(sentences(last.block.markdown)) != 1 or note.sections[s2].level <= note.sections[s].level:
            return
        target = self.outline.section(self.dest[g + 1][1])
        if target.level > 2:
            earlier = [t for t in self.outline.sections if t.order < target.order and t.level < target.level]
            target = earlier[-1] if earlier else target
        self.moved[ids[-1]] = ("topic", target.id)

    # ---- stage 3: blocks -----------------------------------------------------------------------
    def dedupe_blocks(self) -> None:
        live = [i for i in range(len(self.items)) if self.uf.find(i) == i and self.items[i].note not in self.duplicate_of]
        # Blocks of a duplicate note without a counterpart in its container stay in play.
        live += [i for i in range(len(self.items)) if self.items[i].note in self.duplicate_of and self.uf.find(i) == i]
        live.sort(key=self.rank)
        self.progress("blocks", 0, 4)
        exact: dict[tuple, int] = {}
        for i in live:
            item = self.items[i]
            if item.block.kind == "rule" or not item.block.markdown.strip():
                continue
            if item.block.kind in TEXT_KINDS and item.text:
                scope = self.dest[item.section] if len(item.tokens) < SHORT_WORDS else "site"
                key = (scope, "text", item.text, link_targets(item.block.markdown))
            else:
                key = (self.dest[item.section], item.block.kind, item.block.markdown.strip())
            if key in exact:
                self.merge(i, exact[key], EXACT_HASH_RULE, 1.0)
            else:
                exact[key] = i
        self.progress("blocks", 1, 4)
        reps = [i for i in exact.values() if self.items[i].block.kind in TEXT_KINDS
                and len(self.items[i].tokens) >= SHORT_WORDS]
        reps.sort(key=self.rank)
        texts = [self.items[i].text for i in reps]
        tokens = [self.items[i].tokens for i in reps]
        sigs = [self.signature(t, k, self.items[i].block.markdown) for t, k, i in zip(texts, tokens, reps)]
        leader_of, links = leader_clusters(texts, tokens, sigs, NEAR_DUPLICATE, guard_conflict)
        closest_guarded: dict[int, object] = {}
        for link in links:
            if link.guard is None:
                self.merge(reps[link.member], reps[link.leader], NEAR_DUPLICATE_RULE, link.score)
            elif link.member not in closest_guarded or link.score > closest_guarded[link.member].score:
                closest_guarded[link.member] = link
        # The audit lists, per text, the most similar text a guard kept it apart from.
        for link in closest_guarded.values():
            if self.uf.find(reps[link.member]) == self.uf.find(reps[link.leader]):
                continue  # merged through another version after all: same cluster, no contradiction
            left, right = self.items[reps[link.leader]], self.items[reps[link.member]]
            self.guarded.append(GuardRecord(left.block.source, right.block.source, link.score, link.guard,
                                            left.block.markdown, right.block.markdown))
        self.progress("blocks", 2, 4)
        self.contain_sentences([r for r, leader in zip(reps, leader_of) if self.uf.find(r) == r])
        self.progress("blocks", 3, 4)

    def contain_sentences(self, reps: list[int]) -> None:
        reps = sorted(reps, key=self.rank)
        raw = {r: sentences(self.items[r].block.markdown) for r in reps}
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
        sigs = [self.signature(t, k) for t, k in zip(texts, tokens)]
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
            size = len(self.items[r].tokens)
            rarest = min(mine, key=lambda c: len(holders[c]))
            for other in holders[rarest][:POSTING_CAP]:
                if other == r or len(self.items[other].tokens) <= size:
                    continue
                if mine <= {cluster[s] for s in split[other]}:
                    theirs = set(self.items[other].tokens)
                    score = sum(1 for t in self.items[r].tokens if t in theirs) / size
                    self.merge(r, other, SENTENCES_CONTAINED_RULE, round(score, 4))
                    break

    # ---- stage 4: sections ---------------------------------------------------------------------
    def dedupe_sections(self) -> None:
        self.section_target: dict[int, int] = {}
        self.section_records: list[tuple[int, int, float]] = []
        leaders_by_root: dict[int, list[int]] = defaultdict(list)
        root_of = [self.uf.find(i) for i in range(len(self.items))]
        cluster_size: dict[int, int] = defaultdict(int)
        for root in root_of:
            cluster_size[root] += 1
        for g in sorted(range(len(self.sections)), key=lambda g: (-len(self.section_items[g]), g)):
            ids = self.section_items[g]
            if len(ids) < 2 or self.items[ids[0]].note in self.duplicate_of:
                continue
            roots = [root_of[i] for i in ids]
            if all(cluster_size[r] == 1 for r in roots):
                continue  # nothing in it is said anywhere else: no section can contain it or be contained in it
            votes: dict[int, int] = {}
            for root in dict.fromkeys(roots):
                for other in leaders_by_root[root][:POSTING_CAP]:
                    votes[other] = votes.get(other, 0) + 1
            target = None
            for other in heapq.nsmallest(CANDIDATES, votes, key=lambda o: (-votes[o], o)):
                theirs = {root_of[i] for i in self.section_items[other]}
                share = sum(1 for r in roots if r in theirs) / len(roots)
                if share >= SECTION_CONTAINMENT:
                    target = (other, share)
                    break
            if target is None:
                for root in dict.fromkeys(roots):
                    leaders_by_root[root].append(g)
                continue
            self.section_target[g] = target[0]
            self.section_records.append((g, target[0], round(target[1], 4)))

    # ---- stage 5: canonical versions and layout ----------------------------------------------------
    def choose_canonicals(self) -> None:
        members: dict[int, list[int]] = defaultdict(list)
        for i in range(len(self.items)):
            members[self.uf.find(i)].append(i)
        self.canonical: list[int] = list(range(len(self.items)))
        self.clusters: list[tuple[int, list[int]]] = []
        for root, ids in members.items():
            if len(ids) > 1:
                unshared = self._unshared_words(ids)
                items = self.items
                best = min(ids, key=lambda i: (-len(items[i].tokens), unshared[items[i].text], items[i].note,
                                               items[i].block.source.line, i))
                for i in ids:
                    self.canonical[i] = best
                self.clusters.append((best, sorted(ids, key=self.position)))
        self.clusters.sort(key=lambda c: self.position(c[0]))

    def _unshared_words(self, ids: list[int]) -> dict[str, int]:
        """For each distinct version in a cluster: how many of its words no other version uses."""
        versions = {self.items[i].text: frozenset(self.items[i].tokens) for i in ids}
        seen_in: dict[str, int] = defaultdict(int)
        for vocabulary in versions.values():
            for token in vocabulary:
                seen_in[token] += 1
        return {text: sum(1 for t in vocabulary if seen_in[t] == 1) if len(versions) > 1 else 0
                for text, vocabulary in versions.items()}

    def home_dest(self, index: int) -> tuple:
        if index in self.moved:
            return self.moved[index]
        section = self.items[index].section
        return self.dest[self.section_target.get(section, section)]

    def layout(self) -> None:
        kept = [self.canonical[i] == i for i in range(len(self.items))]
        members: dict[int, list[int]] = defaultdict(list)
        for i in range(len(self.items)):
            members[self.canonical[i]].append(i)
        under: dict[int, list[int]] = defaultdict(list)
        top: set[int] = set()
        for i, item in enumerate(self.items):
            if not kept[i]:
                continue
            parent = item.parent
            if parent is not None and not kept[parent]:
                adopter = self.canonical[parent]
                parent = adopter if self.items[adopter].block.kind == "list_item" else None
            if parent is None:
                top.add(i)
            else:
                under[parent].append(i)
        for parent, children in under.items():
            children.sort(key=lambda c: (self.items[c].parent != parent, c))  # own children, then adopted ones
        dest_sections: dict[tuple, list[int]] = defaultdict(list)
        for g in range(len(self.sections)):
            dest_sections[self.dest[self.section_target.get(g, g)]].append(g)
        emitted: dict[int, None] = {}
        self.emitted: dict[tuple, list[tuple[int, int]]] = defaultdict(list)

        def emit(i: int, depth: int, dest: tuple) -> None:
            emitted[i] = None
            self.emitted[dest].append((i, depth if self.items[i].block.kind == "list_item" else 0))
            for child in under.get(i, ()):
                if child not in emitted:
                    emit(child, depth + 1, dest)

        moved_to: dict[tuple, list[int]] = defaultdict(list)
        for i, dest in sorted(self.moved.items()):
            moved_to[dest].append(i)
            dest_sections.setdefault(dest, [])
        self.caption: dict[int, str] = {}
        for dest, groups in dest_sections.items():
            for i in moved_to.get(dest, ()):
                if i in top and i not in emitted:
                    emit(i, 0, dest)
            for g in groups:
                caption = self.caption_of(g)
                for i in self.section_items[g]:
                    if i in top and i not in emitted and i not in self.moved:
                        if caption:
                            self.caption[i], caption = caption, None
                        emit(i, 0, dest)
        for i in range(len(self.items)):  # whatever a cycle of adoptions left out goes to its own section
            if kept[i] and i not in emitted:
                emit(i, 0, self.home_dest(i))
        self.members = members

    def caption_of(self, g: int) -> str | None:
        """The note's own heading, shown in bold when the topic section's title does not already say it."""
        n, s = self.sections[g]
        section = self.notes[n].sections[s]
        rule = self.assignment[g].rule
        # A heading that only starts with the topic's name ("IAM roles") says more than the topic's title,
        # even a note's title; a note's title placed by its words or its parent is not shown.
        if g in self.section_target or rule not in (INHERIT_RULE, KEYWORD_RULE, ALIAS_PREFIX_RULE) \
                or section.level == 1 and rule != ALIAS_PREFIX_RULE:
            return None
        return section.title.rstrip(": ") or None

    # ---- stage 6: result -----------------------------------------------------------------------
    def merged_block(self, i: int, depth: int, page: str) -> MergedBlock:
        item = self.items[i]
        members = sorted(self.members[i], key=self.position)
        others = [self.items[m].block.source for m in members if m != i]
        block = item.block if item.block.depth == depth else Block(item.block.kind, item.block.markdown,
                                                                   item.block.source, depth)
        anchor = None
        named = [name for m in (i, *members) for name in self.block_ids.get(m, ())]
        if named and _can_carry_anchor(block):
            anchor = self.block_anchor[i] = _unique(f"block-{path_slug(named[0])}", self.anchors_on(page))
        return MergedBlock(block, (item.block.source, *others), depth, self.caption.get(i), anchor)

    def anchors_on(self, page: str) -> set[str]:
        """The block anchors given so far on a page (section anchors never start with 'block-')."""
        return self._anchors_used.setdefault(page, set())

    def merged_section(self, sid: str, title: str, level: int, dest: tuple, page: str) -> MergedSection:
        blocks = tuple(self.merged_block(i, depth, page) for i, depth in self.emitted.get(dest, ()))
        for i, _ in self.emitted.get(dest, ()):
            self.location[i] = (page, sid)
        notes = sorted({s.note for b in blocks for s in b.sources})
        return MergedSection(sid, title, level, blocks, tuple(notes))

    def build(self) -> MergeResult:
        self.location: dict[int, tuple[str, str]] = {}
        self.block_ids = self.find_block_ids()
        self.block_anchor: dict[int, str] = {}
        self._anchors_used: dict[str, set[str]] = {}
        tags_of = {note.path: note.tags for note in self.notes}
        pages = []
        for spec in self.outline.pages:
            path = f"{TOPICS_DIR}/{spec.id}.md"
            sections = [self.merged_section(s.id, s.title, s.level, ("topic", s.id), path) for s in spec.sections]
            keep = _with_ancestors([(s.level, bool(s.blocks)) for s in sections])
            chosen = tuple(s for s, k in zip(sections, keep) if k)
            tags = sorted({t for s in chosen for n in s.sources for t in tags_of.get(n, ())})
            pages.append(TopicPage(spec.id, spec.title, spec.summary, chosen, tuple(tags)))
        other_pages = []
        self.section_home: dict[int, tuple[str, str | None]] = {}
        for n, note in enumerate(self.notes):
            path = f"{OTHER_DIR}/{note_slug(note.path)}.md"
            groups = self._note_sections[n]
            sections, anchors = [], set()
            for g in groups:
                dest = self.dest[g]
                if dest[0] != "other":
                    continue
                title = note.sections[self.sections[g][1]].title
                anchor = _unique(path_slug(title), anchors)
                sections.append(self.merged_section(anchor, title, note.sections[self.sections[g][1]].level,
                                                    dest, path))
                self.section_home[g] = (path, anchor)
            keep = _with_ancestors([(s.level, bool(s.blocks)) for s in sections])
            chosen = tuple(s for s, k in zip(sections, keep) if k)
            if chosen:
                other_pages.append(OtherPage(note.path, note.title, path, chosen, tuple(sorted(set(note.tags)))))
        return self.result(tuple(pages), tuple(other_pages))

    def result(self, pages, other_pages) -> MergeResult:
        location, canonical = self.location, self.canonical
        block_homes = {item.block.source: location[canonical[index]] for index, item in enumerate(self.items)}
        block_id_homes = [(self.items[i].block.source.note, name, location[canonical[i]][0],
                           self.block_anchor.get(canonical[i], location[canonical[i]][1]))
                          for i, names in self.block_ids.items() for name in names]
        return MergeResult(
            pages=pages, other_pages=other_pages, duplicate_notes=tuple(self.duplicates),
            merges=tuple(self.records()), unassigned=tuple(self.unassigned()),
            guarded=tuple(sorted(set(self.guarded), key=lambda g: (g.left, g.right, g.guard))),
            counts=MergeCounts(
                notes=len(self.notes), duplicate_notes=len(self.duplicates), input_blocks=len(self.items),
                kept=sum(1 for i in range(len(self.items)) if self.canonical[i] == i),
                merged=sum(1 for i in range(len(self.items)) if self.canonical[i] != i),
            ),
            note_titles=tuple((note.path, note.title) for note in self.notes),
            block_homes=block_homes,
            note_homes=(*self.note_homes(pages), *block_id_homes),
            footnotes=self.footnotes(),
        )

    def footnotes(self) -> dict[tuple[str, str], str]:
        """Every footnote definition of every note, by (note, label)."""
        return {(note.path, label): text for note in self.notes for section in note.sections
                for block in section.blocks if block.kind not in LITERAL_KINDS and "[^" in block.markdown
                for label, text in definitions_by_label(block.markdown).items()}

    def records(self) -> list[MergeRecord]:
        out: list[MergeRecord] = []
        for number, dup in enumerate(self.duplicates, 1):
            rule = NOTE_EXACT_RULE if dup.kind == "exact" else NOTE_CONTAINED_RULE
            out.append(MergeRecord(f"N{number}", "note", Source(dup.duplicate_of, 1), (Source(dup.note, 1),),
                                   dup.score, rule, self._title(dup.duplicate_of), (self._title(dup.note),)))
        for number, (g, target, score) in enumerate(sorted(self.section_records), 1):
            (n, s), (tn, ts) = self.sections[g], self.sections[target]
            left, right = self.notes[tn].sections[ts], self.notes[n].sections[s]
            out.append(MergeRecord(f"S{number}", "section", left.source, (right.source,), score,
                                   SECTION_CONTAINED_RULE, left.title, (right.title,)))
        rank = {r.id: position for position, r in enumerate(MERGE_RULES)}
        number = 0
        for canonical, ids in self.clusters:
            others = [i for i in ids if i != canonical]
            rules = {self.rule_of.get(i) for i in ids} - {None}
            block_rules = rules - NOTE_RULES
            if not block_rules:
                continue  # only copies inside a duplicate note: its note record says it all
            number += 1
            rule = max(block_rules, key=rank.__getitem__)
            score = min(self.score_of.get(i, 1.0) for i in ids)
            kept_text = self.items[canonical].block.markdown
            dropped = tuple(dict.fromkeys(self.items[i].block.markdown for i in others
                                          if self.items[i].block.markdown != kept_text))
            out.append(MergeRecord(f"B{number}", "block", self.items[canonical].block.source,
                                   tuple(self.items[i].block.source for i in others), score, rule, kept_text, dropped))
        return out

    def _title(self, path: str) -> str:
        if not hasattr(self, "_titles"):
            self._titles = {note.path: note.title for note in self.notes}
        return self._titles[path]

    def unassigned(self) -> list[UnassignedSection]:
        out = []
        for g, (n, s) in enumerate(self.sections):
            assignment = self.assignment[g]
            note = self.notes[n]
            if assignment.topic is None and self.section_items[g] and n not in self.duplicate_of:
                reason = ("the note is not about a configured topic" if assignment.rule == OFF_TOPIC_RULE
                          else "no topic alias, fuzzy heading match or keywords")
                section = note.sections[s]
                out.append(UnassignedSection(note.path, section.title, section.source.line, reason))
        return out

    def note_homes(self, pages) -> list[tuple[str, str | None, str, str | None]]:
        first_page = {}
        for g, (n, s) in enumerate(self.sections):
            ids = self.section_items[g]
            home = None
            target = self.section_target.get(g, g)
            dest = self.dest[target]
            if dest[0] == "topic":
                home = (f"{TOPICS_DIR}/{self.page_of[dest[1]]}.md", dest[1])
            elif target in self.section_home:
                home = self.section_home[target]
            elif ids:
                home = self.location[self.canonical[ids[0]]]
            if home is not None:
                first_page.setdefault(n, {}).setdefault(path_slug(self.notes[n].sections[s].title), home)
        out = []
        for n, note in enumerate(self.notes):
            source = self.duplicate_of.get(n, n)
            homes = first_page.get(source, {})
            other = f"{OTHER_DIR}/{note_slug(self.notes[source].path)}.md"
            all_other = all(self.dest[g][0] == "other" for g in self._note_sections[source])
            if homes:
                whole = (other, None) if all_other else next(iter(homes.values()))
                out.append((note.path, None, *whole))
            for slug, home in (homes if n == source else {}).items():
                out.append((note.path, slug, *home))
            if n != source:
                own = {path_slug(section.title) for section in note.sections}
                out.extend((note.path, slug, *home) for slug, home in homes.items() if slug in own)
        return out

    def find_block_ids(self) -> dict[int, tuple[str, ...]]:
        """Item -> the Obsidian block ids (lower-cased) that name it, as the normaliser attached them."""
        return {item.index: item.block.ids for item in self.items if item.block.ids}

    def run(self) -> MergeResult:
        self._note_sections: list[list[int]] = [[] for _ in self.notes]
        for g, (n, _) in enumerate(self.sections):
            self._note_sections[n].append(g)
        self.dedupe_notes()
        self.assign()
        self.dedupe_blocks()
        self.dedupe_sections()
        self.choose_canonicals()
        self.progress("layout", 0, 1)
        self.layout()
        result = self.build()
        self.progress("layout", 1, 1)
        return result


def _can_carry_anchor(block: Block) -> bool:
    """Whether an attribute line after the block gives it an id: a one-paragraph text or list item, no code."""
    text = block.markdown
    return block.kind in ("paragraph", "list_item") and "\n\n" not in text and "```" not in text \
        and "~~~" not in text and not text.rstrip().endswith(("|", "}"))


def _unique(anchor: str, used: set[str]) -> str:
    candidate, number = anchor, 1
    while candidate in used:
        number += 1
        candidate = f"{anchor}-{number}"
    used.add(candidate)
    return candidate


def _with_ancestors(levels: list[tuple[int, bool]]) -> list[bool]:
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


def merge_notes(notes: Sequence[Note], outline: Outline, progress: Progress | None = None) -> MergeResult:
    """Deduplicate the notes at note, section and block level and lay them out as topic and other pages."""
    # The stage allocates many small objects and frees none of them until it ends: cyclic garbage
    # collection would rescan them again and again (a third of the run time at 10,000 notes).
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _Merge(notes, outline, progress).run()
    finally:
        if was_enabled:
            gc.enable()
