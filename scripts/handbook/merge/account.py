"""The account of every input block: shown on a page, or merged into a kept twin that carries its meaning.

Blocks are what the normaliser made of a note (a paragraph, a list item, a table, a code block...). Each one
published is either shown where its section landed or merged into the version of it that is shown (its
twin). `carries_meaning` is the check a twin must pass: the same words, or every sentence of the merged
block said by the twin under the same fact guards, or, for a block merged by meaning, the paraphrase rule
under the same fact guards. A merge that fails it is undone before layout, so the
account never lists a twin that drops a fact.
"""

from __future__ import annotations

from typing import Callable, Mapping, Sequence

from rapidfuzz.distance import Indel

from .corpus import Corpus, Item
from .dedupe import Canonicals, Cluster
from .guards import Lexicon, fact_signature, guard_conflict
from .render import MISSING_IMAGE_REASON, only_missing_images
from .result import LEFT_OUT, MERGED, SHOWN, BlockFate, NoteAccount
from .settings import MIN_SENTENCE_WORDS, NEAR_DUPLICATE
from .text import link_targets, sentences

Paraphrase = Callable[[Item, Item], bool]  # whether a twin says the same by the paraphrase rule and every guard


def carries_meaning(merged: Item, twin: Item, lexicon: Lexicon, paraphrase: Paraphrase | None = None) -> bool:
    """Whether `twin` says all `merged` says: its links, and equal words or each sentence near-duplicated
    under equal guards; or, given the paraphrase check of a merge by meaning, the same meaning."""
    if not link_targets(merged.block.markdown) <= link_targets(twin.block.markdown):
        return False
    if merged.text == twin.text:
        return True
    if paraphrase is not None and paraphrase(merged, twin):
        return True
    if _same_facts(merged.text, twin.text, lexicon, merged.block.markdown, twin.block.markdown):
        return True
    theirs = sentences(twin.block.markdown)
    twin_words = frozenset(twin.tokens)
    for sentence in sentences(merged.block.markdown):
        if sentence.count(" ") + 1 < MIN_SENTENCE_WORDS:
            # Too short to compare as a sentence ("See below."): its words must still be in the twin.
            if not frozenset(sentence.split()) <= twin_words:
                return False
        elif not any(_same_facts(sentence, other, lexicon) for other in theirs):
            return False
    return True


def _same_facts(left: str, right: str, lexicon: Lexicon, left_markdown: str = "", right_markdown: str = "") -> bool:
    """Near-duplicate texts whose fact signatures are equal."""
    if Indel.normalized_similarity(left, right) < NEAR_DUPLICATE:
        return False
    return guard_conflict(fact_signature(tuple(left.split()), left_markdown, lexicon),
                          fact_signature(tuple(right.split()), right_markdown, lexicon)) is None


# How a twin carries a member: word for word or sentence by sentence under the fact guards, or only by the
# paraphrase rule of a merge by meaning.
BY_WORDS = "words"
BY_MEANING = "meaning"


def _carried_by(twin: Item, lexicon: Lexicon, paraphrase: Paraphrase | None) -> Callable[[Item], str | None]:
    """How `twin` carries a member (BY_WORDS, BY_MEANING, or None when it does not); what follows from a member's
    Markdown alone is judged once per Markdown."""
    # Without the paraphrase rule the verdict follows from a member's Markdown: a cluster's copies are judged once.
    # The paraphrase rule, which asks what each item is about, is asked only of a member that the rest leaves out.
    verdict: dict[str, bool] = {}
    twin_links = link_targets(twin.block.markdown)

    def carried(merged: Item) -> str | None:
        found = verdict.get(merged.block.markdown)
        if found is None:
            found = verdict[merged.block.markdown] = carries_meaning(merged, twin, lexicon)
        if found:
            return BY_WORDS
        if paraphrase is not None and link_targets(merged.block.markdown) <= twin_links and paraphrase(merged, twin):
            return BY_MEANING
        return None

    return carried


def keep_faithful(corpus: Corpus, canonicals: Canonicals, lexicon: Lexicon, paraphrase: Paraphrase | None = None,
                  by_meaning: frozenset[int] = frozenset()) -> Canonicals:
    """The clusters split so that every member's twin carries its meaning.

    A cluster with a member in `by_meaning` (joined by the paraphrase rule) may also be carried by `paraphrase`;
    other clusters never are. The members only the paraphrase rule lets their twin carry are returned in
    `carried_by_meaning`: whatever joined them to the cluster, their twin says what they say in other words.

    Merges chain (A repeats B, B's sentences are in C), so a twin can end up dropping a fact or a link that
    the pair each merge compared still had. The members the canonical does not carry form clusters of their
    own, each shown as its longest member (the first by Corpus.rank) with those that member carries.
    """
    items = corpus.items
    canonical = list(canonicals.canonical)
    clusters: list[Cluster] = []
    in_other_words: set[int] = set()
    for cluster in canonicals.clusters:
        head = cluster.canonical
        rest = sorted(cluster.members, key=corpus.rank)
        rule = paraphrase if by_meaning.intersection(cluster.members) else None
        while rest:
            carried = _carried_by(items[head], lexicon, rule)
            how = {i: BY_WORDS if i == head else carried(items[i]) for i in rest}
            group = [i for i in rest if how[i] is not None]
            in_other_words.update(i for i in group if how[i] == BY_MEANING)
            grouped = set(group)  # a cluster can hold thousands of copies: a list lookup made this quadratic
            rest = [i for i in rest if i not in grouped]
            for i in group:
                canonical[i] = head
            if len(group) > 1:
                clusters.append(Cluster(head, tuple(sorted(group, key=corpus.position))))
            head = rest[0] if rest else head
    clusters.sort(key=lambda c: corpus.position(c.canonical))
    return Canonicals(tuple(canonical), tuple(clusters), canonicals.by_meaning, frozenset(in_other_words))


def account_blocks(corpus: Corpus, canonical: Sequence[int], rule_of: Mapping[int, str],
                   homes: Mapping[int, tuple[str, str]], anchors: Mapping[int, str]) -> tuple[NoteAccount, ...]:
    """Every published note's blocks with their fate, notes in reading order."""
    per_note: list[list[BlockFate]] = [[] for _ in corpus.notes]
    for item in corpus.items:
        twin = canonical[item.index]
        page, anchor = homes[twin]
        anchor = anchors.get(twin, anchor)
        if only_missing_images(item.block.markdown):  # the note's page shows it; other pages leave it out
            fate = BlockFate(item.block.source, item.block.kind, LEFT_OUT, page, anchor, reason=MISSING_IMAGE_REASON)
        elif twin == item.index:
            fate = BlockFate(item.block.source, item.block.kind, SHOWN, page, anchor)
        else:
            fate = BlockFate(item.block.source, item.block.kind, MERGED, page, anchor,
                             corpus.items[twin].block.source, rule_of.get(item.index))
        per_note[item.note].append(fate)
    return tuple(NoteAccount(note.path, tuple(fates)) for note, fates in zip(corpus.notes, per_note))
