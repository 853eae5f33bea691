"""Lists that enumerate the same things: each item once, crediting every note that lists it.

A list is a run of sibling list items in one note section. Its owner is what its lead-in names (the item it
is nested under, else the paragraph or item right before it, else its section's heading): the actors (AWS,
the customer) and the services or categories. Two lists of different notes merge when they go to the same
topic section, have the same owner, and at least LIST_SHARE of the smaller list's items pair with items of the
other one that say them or that they say: an item is said by another when all its concepts (stems and synonyms, handbook.merge.meaning)
are among the other's, with at least one concept, and every fact guard agrees once the list's owner is
counted as the item's actor ("Networking" is said by "Network infrastructure"; "Physical security of
hardware" is not said by "Physical security of data centers"). A list about another owner, category or
service never merges: "AWS looks after the following:" is not "you need to look after:".
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import field
from typing import Mapping, Sequence

from ..model import record
from .corpus import Clusters, Corpus, Item
from .guards import Lexicon, meaning_conflict, meaning_signature
from .lsh import most_voted
from .settings import LIST_ITEM_RULE, LIST_SHARE, PARAPHRASE_CANDIDATES, POSTING_CAP
from .text import link_targets, words


@record
class NoteList:
    """One list: its items (indexes into Corpus.items), its destination and its owner."""

    items: tuple[int, ...]
    destination: object
    owner: tuple
    lead_in: int | None = None  # the block before it that it is the list of (a paragraph or item), if any


@record
class ListJoin:
    """Where the items of a list go that enumerates the same things as another: the other list's items, and the
    block that announced the list where it stood."""

    host: tuple[int, ...]
    lead_in: int | None


@record
class ListMerges:
    """The list items merged into an item of another list: member -> (twin, the concepts they share); every
    list item's fact signature with its list's owner counted as its actor; and, for a bulleted top-level list
    that enumerates the same things as another, each of its items -> where it goes."""

    twins: Mapping[int, tuple[int, tuple[str, ...]]]
    signatures: Mapping[int, tuple]
    joins: Mapping[int, ListJoin] = field(default_factory=dict)


# "AWS X-Ray", "Amazon EC2": a vendor word before a capitalised word is part of a name, not who owns the list.
_NAME_PREFIX = re.compile(r"\b(?:AWS|Amazon)\s+(?=[A-Z0-9])")


def owner_actors(markdown: str, lexicon: Lexicon) -> frozenset[str]:
    """The actors a lead-in names as owners (AWS, the customer), vendor prefixes of product names left out."""
    return frozenset(lexicon.actor_of[t] for t in words(_NAME_PREFIX.sub("", markdown)) if t in lexicon.actor_of)


def list_owners(corpus: Corpus, lexicon: Lexicon) -> tuple[frozenset[str], ...]:
    """Per item: for a list item, the actors its lead-in names (the item it is nested under, else the paragraph
    or item right before its list); empty for any other block."""
    items = corpus.items
    owners: list[frozenset[str]] = [frozenset()] * len(items)
    of_lead_in: dict[str, frozenset[str]] = {}  # every item of a list, and every copy of it, has the same lead-in
    for ref in corpus.sections:
        previous: int | None = None
        for i in ref.items:
            item = items[i]
            if item.block.kind == "list_item":
                lead_in = item.parent if item.parent is not None else previous
                if lead_in is not None:
                    markdown = items[lead_in].block.markdown
                    found = of_lead_in.get(markdown)
                    if found is None:
                        found = of_lead_in[markdown] = owner_actors(markdown, lexicon)
                    owners[i] = found
            elif item.block.depth == 0:
                previous = i
    return tuple(owners)


def note_lists(corpus: Corpus, destinations: Sequence[object], lexicon: Lexicon,
               subject: Sequence[frozenset[str]]) -> list[NoteList]:
    """Every list of two or more items in the notes, with its owner."""
    items = corpus.items
    out: list[NoteList] = []
    for g, ref in enumerate(corpus.sections):
        runs: dict[tuple[int | None, int], list[int]] = defaultdict(list)
        lead_in: dict[tuple[int | None, int], int | None] = {}
        previous: int | None = None
        for i in ref.items:
            item = items[i]
            if item.block.kind == "list_item":
                key = (item.parent, item.block.depth)
                if key not in runs:
                    lead_in[key] = item.parent if item.parent is not None else previous
                runs[key].append(i)
            elif item.block.depth == 0:
                previous = i
                # A paragraph between two runs at the top level parts them into two lists.
                for key in [k for k in runs if k[0] is None]:
                    out.append(_list(corpus, runs.pop(key), lead_in[key], g, destinations, lexicon, subject))
        for key, members in runs.items():
            out.append(_list(corpus, members, lead_in[key], g, destinations, lexicon, subject))
    return [lst for lst in out if len(lst.items) >= 2]


def _list(corpus: Corpus, members: list[int], lead_in: int | None, section: int, destinations: Sequence[object],
          lexicon: Lexicon, subject: Sequence[frozenset[str]]) -> NoteList:
    if lead_in is not None:
        actors = owner_actors(corpus.items[lead_in].block.markdown, lexicon)
        about = subject[lead_in]
    else:
        actors = owner_actors(corpus.section(section).title, lexicon)
        about = subject[members[0]]
    return NoteList(tuple(members), destinations[section], (actors, about), lead_in)


def merge_lists(corpus: Corpus, clusters: Clusters, lists: Sequence[NoteList], of_item: Sequence[frozenset[str]],
                lexicon: Lexicon, bound: frozenset[int]) -> ListMerges:
    """Merge the items of lists that enumerate the same things into the items of the list seen first.

    Lists are visited longest first; each is compared with at most PARAPHRASE_CANDIDATES lists already seen that
    share its destination and owner and most of its items' concepts (at most POSTING_CAP per concept), so the
    cost grows with the number of items.
    """
    items = corpus.items
    twins: dict[int, tuple[int, tuple[str, ...]]] = {}
    seen: dict[tuple[int, str], list[int]] = defaultdict(list)  # (group, concept) -> indexes into `lists`
    # Lists of one destination and owner form a group, numbered once: a destination and an owner are costly to hash.
    group_of: dict[tuple, int] = {}
    group = [group_of.setdefault((lst.destination, lst.owner), len(group_of)) for lst in lists]
    signature: dict[int, tuple] = {}
    # By words, Markdown and owner: the copies of a list's items share one signature.
    of_text: dict[tuple[tuple[str, ...], str, frozenset[str]], tuple] = {}
    joins: dict[int, int] = {}  # list -> the list it enumerates the same things as (seen before it)

    def owned_signature(i: int, owner: tuple) -> tuple:
        found = signature.get(i)
        if found is None:
            item = items[i]
            key = (item.tokens, item.block.markdown, owner[0])
            found = of_text.get(key)
            if found is None:
                # An item is about what its list is about (its owner, in its topic section) unless it names a
                # service or category itself: "Facilities" under two notes' "AWS looks after:" is one item.
                found = meaning_signature(item.tokens, item.block.markdown, lexicon, lexicon.named(item.tokens))
                found = of_text[key] = (found[0] | owner[0], *found[1:])
            signature[i] = found
        return found

    order = sorted(range(len(lists)), key=lambda n: (-len(lists[n].items), corpus.position(lists[n].items[0])))
    for n in order:
        mine = lists[n]
        live = [i for i in mine.items if clusters.find(i) == i and i not in bound]
        voters: list[int] = []
        for i in live:
            for c in of_item[i]:
                found = seen.get((group[n], c))
                if found:
                    voters += found[:POSTING_CAP]
        votes = Counter(voters)  # counted in C, at once: most lists' items share common concepts
        for other in most_voted(votes, PARAPHRASE_CANDIDATES):
            theirs = lists[other]
            if items[theirs.items[0]].note == items[mine.items[0]].note:
                continue
            matched = _matches(corpus, live, theirs, of_item, lambda i: owned_signature(i, mine.owner),
                               lambda t: owned_signature(t, theirs.owner), bound, clusters)
            if len(matched) >= LIST_SHARE * min(len(mine.items), len(theirs.items)):
                for i, (twin, shared) in matched.items():
                    if clusters.find(i) != clusters.find(twin):
                        clusters.merge(i, twin, LIST_ITEM_RULE, 1.0)
                        twins[i] = (twin, shared)
                joins[n] = other
                break
        for i in mine.items:
            for c in of_item[i]:
                postings = seen[(group[n], c)]
                if not postings or postings[-1] != n:
                    postings.append(n)
    for lst in lists:  # the signatures the account checks merged items by, computed once per item
        for i in lst.items:
            owned_signature(i, lst.owner)
    return ListMerges(twins, signature, _joins(corpus, lists, joins))


def _joins(corpus: Corpus, lists: Sequence[NoteList], joins: Mapping[int, int]) -> dict[int, ListJoin]:
    """Each item of a list that enumerates the same things as others -> the items of the one of them a reader
    meets first (the note listed first), which shows them all; only bulleted lists at the top level of their
    notes join, as numbered steps keep their own order."""
    def loose(lst: NoteList) -> bool:
        return all(corpus.items[i].parent is None and _BULLET.match(corpus.items[i].block.markdown) for i in lst.items)

    same = Clusters(len(lists))  # lists that enumerate the same things, directly or through a third
    for n, other in joins.items():
        if loose(lists[n]) and loose(lists[other]):
            same.merge(n, other, LIST_ITEM_RULE, 1.0)
    groups: dict[int, list[int]] = defaultdict(list)
    for n in {*joins, *joins.values()}:
        groups[same.find(n)].append(n)
    out: dict[int, ListJoin] = {}
    for members in groups.values():
        first = min(members, key=lambda n: corpus.position(lists[n].items[0]))
        for n in members:
            if n != first:
                for i in lists[n].items:
                    out[i] = ListJoin(lists[first].items, lists[n].lead_in)
    return out


_BULLET = re.compile(r"[-*+]\s")


def _matches(corpus: Corpus, live: list[int], theirs: NoteList, of_item: Sequence[frozenset[str]], my_signature,
             their_signature, bound: frozenset[int], clusters: Clusters) -> dict[int, tuple[int, tuple[str, ...]]]:
    """Items of the two lists said by an item of the other: item -> (the item that says it, the concepts of the
    item said); each item of mine pairs with one of theirs at most."""
    items = corpus.items
    out: dict[int, tuple[int, tuple[str, ...]]] = {}
    free = [t for t in theirs.items if t not in bound and clusters.find(t) == t]
    taken: set[int] = set()
    for i in live:
        mine = of_item[i]
        if not mine:
            continue
        for t in free:
            if t in taken:
                continue
            other = of_item[t]
            if not (mine <= other or other <= mine) or meaning_conflict(my_signature(i), their_signature(t)):
                continue
            said, says = (i, t) if mine <= other else (t, i)
            if link_targets(items[said].block.markdown) <= link_targets(items[says].block.markdown):
                out[said] = (says, tuple(sorted(of_item[said])))
                taken.add(t)
                break
    return out


class ListItemCheck:
    """Whether a list item's twin says it under the list-item rule: all its concepts, its links, the same guards
    with each list's owner counted."""

    def __init__(self, of_item: Sequence[frozenset[str]], signatures: Mapping[int, tuple]):
        self.of_item, self.signatures = of_item, signatures

    def __call__(self, merged: Item, twin: Item) -> bool:
        """True when `twin` carries `merged` by the list-item rule."""
        mine, theirs = self.signatures.get(merged.index), self.signatures.get(twin.index)
        if mine is None or theirs is None or meaning_conflict(mine, theirs) is not None:
            return False
        if not link_targets(merged.block.markdown) <= link_targets(twin.block.markdown):
            return False
        said = self.of_item[merged.index]
        return bool(said) and said <= self.of_item[twin.index]
