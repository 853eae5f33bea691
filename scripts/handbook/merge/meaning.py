"""Statements that say the same thing in other words ("paraphrase"): how they are compared and found.

A statement is reduced to its concepts: its words stemmed (Snowball English), the phrases of
data/synonyms.yml, the glossary's acronyms and names.yml's spellings read as one concept each, stop words
left out. Two statements mean the same when the IDF-weighted Jaccard similarity of their concepts (IDF over
the statements being merged) reaches PARAPHRASE, they share at least PARAPHRASE_MIN_SHARED concepts, and
every fact guard agrees (owner, negation, direction, service, numbers, links, subject...). Candidates come
from an inverted index of each statement's rarest concepts within its page, so no stage compares all pairs.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import repeat
from pathlib import Path
from typing import Callable, Mapping, Sequence

import snowballstemmer
from pydantic import BaseModel, ConfigDict, Field

from ..datafile import load_model
from ..load import DEFAULT_LIMITS, Limits
from ..model import record
from .corpus import Clusters, Corpus, Item
from .guards import Lexicon, meaning_conflict, meaning_signature, subjects
from .lsh import most_voted
from .place import Bound
from .settings import (
    PARAPHRASE, PARAPHRASE_CANDIDATES, PARAPHRASE_MIN_SHARED, PARAPHRASE_MIN_WORDS, PARAPHRASE_RULE, POSTING_CAP, SHORT_WORDS, TEXT_KINDS,
)
from .text import link_targets, words

SYNONYMS_FILE = "synonyms.yml"
GLOSSARY_FILE = "glossary.yml"
NAMES_FILE = "names.yml"

# Function words carry no meaning of their own; negations and directions are the fact guards' business.
MEANING_STOPWORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before being below between
both but by can could did do does doing down during each either etc few for from further had has have having he
her here hers herself him himself his how i if in into is it its itself just let may me might more most must my
myself of off on once only or other ought our ours ourselves out over own same shall she should so some such than
that the their theirs them themselves then there these they this those through thus to too under until up upon
us very via was we were what when where which while who whom why will with within would e g eg ie i.e etc
following like such lot lots many much way ways thing things really basically simply just well
""".split())

_stemmer = snowballstemmer.stemmer("english")
_NO_CONCEPTS: frozenset[str] = frozenset()  # shared by the texts of stop words only


@lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """The Snowball English stem of one lowercase word."""
    return _stemmer.stemWord(word)


class _SynonymsFile(BaseModel):
    """data/synonyms.yml: groups of words or phrases that mean the same."""

    model_config = ConfigDict(extra="forbid")
    synonyms: list[list[str]] = Field(default_factory=list)


@record
class MeaningTerms:
    """Phrases read as one concept: (the phrase's word stems, the concept's name), longest phrases first."""

    phrases: tuple[tuple[tuple[str, ...], str], ...] = ()


def load_meaning_terms(data_dir: Path, limits: Limits = DEFAULT_LIMITS) -> MeaningTerms:
    """The synonyms of data/synonyms.yml, the glossary's acronym/expansion pairs and names.yml's spellings."""
    groups: list[list[str]] = []
    data_dir = Path(data_dir)
    if (data_dir / SYNONYMS_FILE).is_file():
        model, _ = load_model(data_dir / SYNONYMS_FILE, _SynonymsFile, f"{data_dir.name}/{SYNONYMS_FILE}", limits)
        groups += model.synonyms
    if (data_dir / GLOSSARY_FILE).is_file():
        from ..glossary import load_glossary
        for term in load_glossary(data_dir, limits).terms:
            groups.append([term.term, term.expansion, *term.search])
    if (data_dir / NAMES_FILE).is_file():
        from ..normalise.context import load_names
        for name in load_names(data_dir, limits)[1]:
            groups.append([name.canonical, *_bracketed(name.canonical), *name.aliases])
    return meaning_terms(groups)


def _bracketed(canonical: str) -> list[str]:
    """'Amazon Elastic Compute Cloud (Amazon EC2)' -> the name without and within its brackets."""
    if "(" not in canonical:
        return []
    outside, _, inside = canonical.partition("(")
    return [outside.strip(), inside.rstrip(")").strip()]


def meaning_terms(groups: Sequence[Sequence[str]]) -> MeaningTerms:
    """Synonym groups (each named by its first entry) as stemmed phrases; a phrase in two groups keeps the first."""
    concept_of: dict[tuple[str, ...], str] = {}
    for group in groups:
        keys = [tuple(stem(w) for w in words(entry)) for entry in group]
        keys = [k for k in keys if k]
        if len(keys) < 2:
            continue
        name = " ".join(keys[0])
        for key in keys:
            concept_of.setdefault(key, name)
    ordered = sorted(concept_of.items(), key=lambda kv: (-len(kv[0]), kv[0]))
    return MeaningTerms(tuple(ordered))


class Concepts:
    """Statements reduced to concept sets, with the phrase table built once."""

    def __init__(self, terms: MeaningTerms):
        self.table = dict(terms.phrases)
        self.longest = max((len(k) for k, _ in terms.phrases), default=1)
        self.first_stems = frozenset(k[0] for k, _ in terms.phrases if k)  # a stem no phrase starts with is one concept
        self.cache: dict[tuple[str, ...], frozenset[str]] = {}

    def of(self, tokens: tuple[str, ...]) -> frozenset[str]:
        """The concepts of a statement's words: synonyms' names, else stems; stop words dropped."""
        found = self.cache.get(tokens)
        if found is not None:
            return found
        stems = [stem(t) for t in tokens]
        out: set[str] = set()
        start = 0
        first_stems = self.first_stems
        while start < len(stems):
            for size in range(min(self.longest, len(stems) - start) if stems[start] in first_stems else 0, 0, -1):
                concept = self.table.get(tuple(stems[start:start + size]))
                if concept is not None:
                    out.add(concept)
                    start += size
                    break
            else:
                if tokens[start] not in MEANING_STOPWORDS and len(tokens[start]) > 1:
                    out.add(stems[start])
                start += 1
        found = self.cache[tokens] = frozenset(out) if out else _NO_CONCEPTS
        return found


@dataclass(frozen=True)
class Judgement:
    """How alike two statements are by meaning: the IDF-weighted Jaccard score and the concepts both have."""

    score: float
    shared: tuple[str, ...]


class MeaningJudge:
    """Compares statements by meaning with IDF weights over one corpus of statements."""

    def __init__(self, concepts: Concepts, documents: Sequence[frozenset[str]],
                 of_item: Sequence[frozenset[str]] = ()):
        self.concepts = concepts
        self.of_item = of_item  # the concepts of every item of the corpus, worked out once for every stage
        frequency: dict[str, int] = defaultdict(int)
        # Copies of a statement share one concept set: each distinct set is read once, counted.
        for document, copies in Counter(documents).items():
            for concept in document:
                frequency[concept] += copies
        self.frequency = frequency
        total = len(documents)
        self.weight = {c: math.log((total + 1) / (n + 1)) + 1.0 for c, n in frequency.items()}
        self.default_weight = math.log(total + 1) + 1.0

    def w(self, concept: str) -> float:
        """A concept's weight: rarer concepts say more."""
        return self.weight.get(concept, self.default_weight)

    def judge(self, left: frozenset[str], right: frozenset[str]) -> Judgement:
        """The weighted Jaccard similarity of two concept sets and the concepts they share."""
        shared = left & right
        union = left | right
        if not union:
            return Judgement(0.0, ())
        weight, default = self.weight.get, repeat(self.default_weight)
        score = sum(map(weight, shared, default)) / sum(map(weight, union, default))  # weights looked up in C
        return Judgement(round(score, 4), tuple(sorted(shared)))

    def same(self, left: frozenset[str], right: frozenset[str]) -> Judgement | None:
        """The judgement when the two concept sets say the same thing, else None (guards aside)."""
        shared = left & right
        if len(shared) < PARAPHRASE_MIN_SHARED:
            return None  # too few concepts in common whatever their weights: not worth weighing
        weight, default = self.weight.get, repeat(self.default_weight)
        # Weighed before a judgement is made: most pairs fall short, and need no sorted list of what they share.
        score = round(sum(map(weight, shared, default)) / sum(map(weight, left | right, default)), 4)
        return Judgement(score, tuple(sorted(shared))) if score >= PARAPHRASE else None


@record
class MeaningMerges:
    """The paraphrase merges made: member root -> the concepts that matched (for the report)."""

    matched: Mapping[int, tuple[str, ...]]
    list_joins: Mapping[int, object] = field(default_factory=dict)  # see handbook.merge.lists.ListMerges.joins


def is_statement(item: Item, bound: Bound, has_children: frozenset[int]) -> bool:
    """A self-contained statement: a paragraph, quote or list item of some words, not bound to its place, not a
    lead-in (ending ':') and not an item with a nested list under it."""
    if item.block.kind not in TEXT_KINDS or len(item.tokens) < PARAPHRASE_MIN_WORDS or item.index in bound:
        return False
    if item.index in has_children:
        return False
    return not item.block.markdown.rstrip().rstrip("*_").rstrip().endswith(":")


class ParaphraseCheck:
    """Whether a twin says what a merged item says by the paraphrase rule and every fact guard."""

    def __init__(self, judge: MeaningJudge, lexicon: Lexicon, subject: Sequence[frozenset[str]]):
        self.judge, self.lexicon, self.subject = judge, lexicon, subject

    def __call__(self, merged: Item, twin: Item) -> bool:
        """True when the twin carries the merged item's meaning by the paraphrase rule."""
        if not link_targets(merged.block.markdown) <= link_targets(twin.block.markdown):
            return False
        if min(len(merged.tokens), len(twin.tokens)) < PARAPHRASE_MIN_WORDS:
            return False
        of_item = self.judge.of_item
        if self.judge.same(of_item[merged.index], of_item[twin.index]) is None:
            return False
        return meaning_conflict(
            meaning_signature(merged.tokens, merged.block.markdown, self.lexicon, self.subject[merged.index]),
            meaning_signature(twin.tokens, twin.block.markdown, self.lexicon, self.subject[twin.index])) is None


def merge_paraphrases(corpus: Corpus, clusters: Clusters, scope: Sequence[object], statements: Sequence[int],
                      judge: MeaningJudge, lexicon: Lexicon, subject: Sequence[frozenset[str]]) -> MeaningMerges:
    """Merge statements of different notes in the same scope (page) that say the same thing.

    Leader style: statements are visited longest first; each is compared with the leaders that share one of its
    rarest concepts (at most PARAPHRASE_CANDIDATES, those sharing most first) and joins the best one whose score
    reaches the threshold and whose fact guards agree with it and with every statement that joined it; otherwise
    it becomes a leader itself.
    """
    items = corpus.items
    of_item = judge.of_item
    matched: dict[int, tuple[str, ...]] = {}
    postings: dict[tuple[int, str], list[int]] = defaultdict(list)  # (page, concept) -> leaders
    # Pages numbered once: a note's own page is a destination, costly to hash.
    page_of: dict[object, int] = {}
    page = {i: page_of.setdefault(scope[i], len(page_of)) for i in statements}
    signature: dict[int, tuple] = {}
    joined: dict[int, list[int]] = defaultdict(list)  # leader -> the statements that joined it
    for i in sorted(statements, key=corpus.rank):
        mine = of_item[i]
        if len(mine) < PARAPHRASE_MIN_SHARED:
            continue
        # A statement reaching the threshold must share one of its rarest concepts (prefix filtering).
        rare = sorted(mine, key=lambda c: (judge.frequency.get(c, 0), c))
        keep = len(rare) - math.ceil(PARAPHRASE * len(rare)) + 1
        voters: list[int] = []
        for c in rare[:max(keep, 1)]:
            found = postings.get((page[i], c))
            if found:
                voters += found[:POSTING_CAP]
        votes = Counter(voters)
        best: tuple[float, int, Judgement] | None = None
        for leader in most_voted(votes, PARAPHRASE_CANDIDATES):
            if items[leader].note == items[i].note:
                continue
            found = judge.same(mine, of_item[leader])
            if found is None or (best is not None and found.score <= best[0]):
                continue
            if i not in signature:
                signature[i] = meaning_signature(items[i].tokens, items[i].block.markdown, lexicon, subject[i])
            # Every statement already joined to the leader must agree too: guards that compare more than
            # equality (the direction guard) would otherwise let a cluster hold two that disagree.
            if any(meaning_conflict(signature[i], signature[m]) is not None for m in (leader, *joined[leader])):
                continue
            if not link_targets(items[i].block.markdown) <= link_targets(items[leader].block.markdown):
                continue
            best = (found.score, leader, found)
        if best is not None:
            joined[best[1]].append(i)
            root = clusters.find(i)
            if root != clusters.find(best[1]):
                clusters.merge(i, best[1], PARAPHRASE_RULE, best[0])
                matched[root] = best[2].shared
            continue
        signature[i] = meaning_signature(items[i].tokens, items[i].block.markdown, lexicon, subject[i])
        for c in rare[:max(keep, 1)]:
            postings[(page[i], c)].append(i)
    return MeaningMerges(matched)


def meaning_judge(corpus: Corpus, terms: MeaningTerms) -> MeaningJudge:
    """The judge for one corpus: IDF over every statement-like block (text blocks of SHORT_WORDS or more)."""
    concepts = Concepts(terms)
    of_text: dict[str, frozenset[str]] = {}  # by comparison text, which spells the words: copies share it
    for item in corpus.items:
        if item.text not in of_text:
            of_text[item.text] = concepts.of(item.tokens)
    of_item = tuple(of_text[item.text] for item in corpus.items)
    documents = [found for item, found in zip(corpus.items, of_item)
                 if item.block.kind in TEXT_KINDS and len(item.tokens) >= SHORT_WORDS]
    return MeaningJudge(concepts, documents, of_item)


def paraphrase_check(corpus: Corpus, lexicon: Lexicon, terms: MeaningTerms,
                     subject: Sequence[frozenset[str]] | None = None) -> ParaphraseCheck:
    """The check a paraphrase twin must pass, as the merge of this corpus applied it (`subject`: what every item
    is about, when the merge has it already)."""
    return ParaphraseCheck(meaning_judge(corpus, terms), lexicon,
                           subjects(corpus, lexicon) if subject is None else subject)


class MeaningCheck:
    """What a twin merged by meaning must pass: the paraphrase rule, or the list-item rule for a list item."""

    def __init__(self, paraphrase: ParaphraseCheck, list_item: Callable[[Item, Item], bool]):
        self.paraphrase, self.list_item = paraphrase, list_item

    def __call__(self, merged: Item, twin: Item) -> bool:
        """True when `twin` carries `merged` by one of the rules of meaning."""
        return self.paraphrase(merged, twin) or self.list_item(merged, twin)


def dedupe_meaning(corpus: Corpus, clusters: Clusters, duplicate_of: Mapping[int, int], scope: Sequence[object],
                   destinations: Sequence[object], lexicon: Lexicon, terms: MeaningTerms, bound: Bound,
                   subject: Sequence[frozenset[str]], enabled: bool = True) -> tuple[MeaningMerges, MeaningCheck]:
    """Merge the statements that say the same thing in other words, then the items of lists that enumerate the
    same things (none when not `enabled`); returns the merges and the check a twin must pass."""
    from .lists import ListItemCheck, merge_lists, note_lists  # lists build on this module's concepts

    check = paraphrase_check(corpus, lexicon, terms, subject)
    if not enabled:
        return MeaningMerges({}), MeaningCheck(check, lambda merged, twin: False)
    items = corpus.items
    has_children = frozenset(item.parent for item in items if item.parent is not None)
    statements = [i for i in range(len(items)) if clusters.find(i) == i and items[i].note not in duplicate_of
                  and is_statement(items[i], bound, has_children)]
    merges = merge_paraphrases(corpus, clusters, scope, statements, check.judge, lexicon, check.subject)
    lists = [lst for lst in note_lists(corpus, destinations, lexicon, check.subject)
             if items[lst.items[0]].note not in duplicate_of]
    listed = merge_lists(corpus, clusters, lists, check.judge.of_item, lexicon, bound.fixed)
    matched = {**merges.matched, **{i: shared for i, (_, shared) in listed.twins.items()}}
    return MeaningMerges(matched, listed.joins), MeaningCheck(check, ListItemCheck(check.judge.of_item,
                                                                                  listed.signatures))


def meaning_check(corpus: Corpus, destinations: Sequence[object], lexicon: Lexicon, terms: MeaningTerms
                  ) -> MeaningCheck:
    """The check a twin merged by meaning passes, rebuilt for a corpus (for checking the account afterwards)."""
    from .lists import ListItemCheck, merge_lists, note_lists

    check = paraphrase_check(corpus, lexicon, terms)
    lists = note_lists(corpus, destinations, lexicon, check.subject)
    # Merging into a scratch set of clusters computes each list item's owned signature, as the merge did.
    listed = merge_lists(corpus, Clusters(len(corpus.items)), lists, check.judge.of_item, lexicon,
                         frozenset(range(len(corpus.items))))
    return MeaningCheck(check, ListItemCheck(check.judge.of_item, listed.signatures))
