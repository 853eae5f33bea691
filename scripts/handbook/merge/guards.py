"""Fact guards: similar text that states a different fact is never merged.

Each guard reduces a comparison text to a small signature (who acts, whether it is negated,
which service category, which numbers, which services). Two texts may merge only when every
signature is equal, so the guards are transitive and a cluster never mixes facts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from ..footnotes import defined_labels
from .outline import FactTerms
from .settings import (
    ACTOR_GUARD, CATEGORY_GUARD, DIRECTION_GUARD, FOOTNOTE_GUARD, LINK_GUARD, NEGATION_GUARD, NUMBER_GUARD, SERVICE_GUARD,
)
from .text import link_targets

NEGATIONS = frozenset(
    "not no never cannot cant can't don't dont doesn't doesnt isn't isnt aren't arent won't wont without "
    "neither nor none nothing unable".split()
)
# Words that say which way something goes or which side it is on: "security of the cloud" is AWS's part and
# "security in the cloud" the customer's; inbound and outbound rules, uploads and downloads are opposites.
DIRECTIONS = frozenset(
    "in of to from into onto inbound outbound ingress egress incoming outgoing upload uploads uploaded download "
    "downloads downloaded import imports export exports read reads write writes send sends receive receives push "
    "pull upstream downstream source destination".split()
)
_NUMBER_WORDS = frozenset("one two three four five six seven eight nine ten twelve hundred thousand".split())
_NUMBER = re.compile(r"\d")


@dataclass(frozen=True)
class FactGuard:
    """A named rule: the part of a text that must be equal for two texts to merge."""

    id: str
    description: str
    signature: Callable[[tuple[str, ...], str, "Lexicon"], frozenset[str] | bool]


class Lexicon:
    """The fact terms as n-gram lookups, built once per outline."""

    def __init__(self, terms: FactTerms):
        self.actor_of = {w: name for name, ws in terms.actors for w in ws}
        self.category_of = {tuple(w.split()): name for name, ws in terms.categories for w in ws}
        self.services = frozenset(tuple(s.split()) for s in terms.services)
        self.longest = max([len(k) for k in (*self.category_of, *self.services)] or [1])
        self.first_words = frozenset(k[0] for k in (*self.category_of, *self.services))

    def phrases(self, tokens: tuple[str, ...], table) -> frozenset[str]:
        """Every phrase of `tokens` (up to the longest term) found in `table`."""
        found = set()
        first_words = self.first_words
        for start, token in enumerate(tokens):
            if token not in first_words:
                continue
            for size in range(1, self.longest + 1):
                gram = tokens[start:start + size]
                if len(gram) == size and gram in table:
                    found.add(table[gram] if isinstance(table, dict) else " ".join(gram))
        return frozenset(found)


def _actors(tokens, markdown, lex: Lexicon):
    return frozenset(lex.actor_of[t] for t in tokens if t in lex.actor_of)


def _negated(tokens, markdown, lex: Lexicon):
    return any(t in NEGATIONS for t in tokens)


def _directions(tokens, markdown, lex: Lexicon):
    # In order and counted: "to S3 from the internet" is an upload and "from S3 to the internet" a download,
    # and "to the region" is not "to and from the region".
    return tuple(t for t in tokens if t in DIRECTIONS)


def _categories(tokens, markdown, lex: Lexicon):
    return lex.phrases(tokens, lex.category_of)


def _numbers(tokens, markdown, lex: Lexicon):
    # "ec2" and "s3" are names, not numbers: a number starts with a digit or is written like N+1.
    return frozenset(t for t in tokens if t[0].isdigit() or ("+" in t and _NUMBER.search(t)) or t in _NUMBER_WORDS)


def _services(tokens, markdown, lex: Lexicon):
    return lex.phrases(tokens, lex.services)


def _links(tokens, markdown, lex: Lexicon):
    return link_targets(markdown)


def _footnotes(tokens, markdown, lex: Lexicon):
    return defined_labels(markdown)


FACT_GUARDS: tuple[FactGuard, ...] = (
    FactGuard(ACTOR_GUARD, "a different actor (AWS vs the customer)", _actors),
    FactGuard(NEGATION_GUARD, "one says not/no/never/cannot/without, the other does not", _negated),
    FactGuard(DIRECTION_GUARD, "a different direction or side (inbound vs outbound, of vs in, to vs from)",
              _directions),
    FactGuard(CATEGORY_GUARD, "a different service category (infrastructure, container, abstracted)", _categories),
    FactGuard(NUMBER_GUARD, "different numbers (N+1 vs N+2, 24x7 vs 9-5)", _numbers),
    FactGuard(SERVICE_GUARD, "different AWS services (EC2 vs S3)", _services),
    FactGuard(LINK_GUARD, "links to different pages or notes ('check here' pointing elsewhere)", _links),
    FactGuard(FOOTNOTE_GUARD, "footnote definitions with different labels, or one text is a footnote and the other not",
              _footnotes),
)


def fact_signature(tokens: tuple[str, ...], markdown: str, lexicon: Lexicon) -> tuple:
    """The signature of every guard, in guard order."""
    return tuple(guard.signature(tokens, markdown, lexicon) for guard in FACT_GUARDS)


def guard_conflict(left: tuple, right: tuple) -> str | None:
    """The id of the first guard whose signatures differ, or None when the texts may merge."""
    for guard, a, b in zip(FACT_GUARDS, left, right):
        if a != b:
            return guard.id
    return None
