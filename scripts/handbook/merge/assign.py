"""Assignment: every note section goes to one topic section, or is kept on its note's own page.

Order of rules for a section's heading:
  1. alias: the heading key equals a topic section's title or alias key;
  2. fuzzy: rapidfuzz token_sort_ratio >= FUZZY_THRESHOLD against any alias key;
  3. inherit: a sub-section of an assigned section goes where its parent went;
  4. keyword: the topic section's keywords found in heading (x2) and text (x1) score >= KEYWORD_MIN;
  5. inherit from the title: a generic heading ("Notes") in a note whose title names a topic;
  6. unassigned: the section is kept on the note's page under other/.
A note takes part in topic pages only when it is about a configured topic: its title matches by
rule 1 or 2, or at least half of its other headings do. Keywords alone never pull a section out of a
note about something else (a vault note on Cognito mentions users and roles, but is about Cognito).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

from rapidfuzz import fuzz, process

from ..model import Note
from .outline import Outline
from .settings import (
    ALIAS_PREFIX_RULE, ALIAS_RULE, FUZZY_RULE, FUZZY_THRESHOLD, HEADING_RULES, HEADING_WEIGHT, INHERIT_RULE,
    KEYWORD_MIN, KEYWORD_RULE, OFF_TOPIC_RULE, PREFIX_ACRONYM_LETTERS, UNASSIGNED_RULE,
)
from .text import heading_key, words

_LEADING = frozenset({"the", "a", "an"})


@dataclass(frozen=True)
class Assignment:
    """Where one note section goes: a topic section id (None = its note's own page), and why."""

    topic: str | None
    rule: str  # alias | fuzzy | alias-prefix | inherit | keyword | unassigned | off-topic-note
    score: float


def _key(title: str) -> str:
    parts = heading_key(title).split()
    while parts and parts[0] in _LEADING:
        parts = parts[1:]
    return " ".join(parts)


class Assigner:
    """The outline's aliases and keywords as lookups, built once per merge."""

    def __init__(self, outline: Outline):
        self.alias: dict[str, str] = {}
        for section in outline.sections:
            for alias in section.aliases:
                self.alias.setdefault(_key(alias), section.id)
        self.choices = list(self.alias)
        # Aliases distinctive enough to name a topic at the start of a longer heading ("IAM roles",
        # "Network security groups"): several words, or an acronym; not one plain word ("management").
        self.prefixes = sorted((a for a in self.alias if " " in a or len(a) <= PREFIX_ACRONYM_LETTERS),
                               key=lambda a: (-len(a), a))
        self.keywords: dict[tuple[str, ...], list[str]] = {}
        for section in outline.sections:
            for keyword in section.keywords:
                self.keywords.setdefault(tuple(heading_key(keyword).split()), []).append(section.id)
        self.order = {section.id: section.order for section in outline.sections}
        self.longest = max((len(k) for k in self.keywords), default=1)
        self.by_heading = lru_cache(maxsize=1 << 16)(self._by_heading)

    def _by_heading(self, title: str) -> Assignment | None:
        key = _key(title)
        if not key:
            return None
        if key in self.alias:
            return Assignment(self.alias[key], ALIAS_RULE, 100.0)
        found = process.extractOne(key, self.choices, scorer=fuzz.token_sort_ratio, score_cutoff=FUZZY_THRESHOLD)
        if found is not None:
            return Assignment(self.alias[found[0]], FUZZY_RULE, round(found[1], 1))
        prefix = next((a for a in self.prefixes if key.startswith(a + " ")), None)
        if prefix is not None:
            return Assignment(self.alias[prefix], ALIAS_PREFIX_RULE, 100.0)
        return None

    def _phrases(self, tokens: tuple[str, ...]) -> set[tuple[str, ...]]:
        found = set()
        for size in range(1, self.longest + 1):
            for start in range(len(tokens) - size + 1):
                gram = tokens[start:start + size]
                if gram in self.keywords:
                    found.add(gram)
        return found

    def by_keywords(self, title: str, body: tuple[str, ...]) -> Assignment | None:
        """The topic section whose keywords score highest (ties: outline order), if the score reaches KEYWORD_MIN."""
        scores: dict[str, int] = {}
        for gram in self._phrases(tuple(heading_key(title).split())):
            for section_id in self.keywords[gram]:
                scores[section_id] = scores.get(section_id, 0) + HEADING_WEIGHT
        for gram in self._phrases(body):
            for section_id in self.keywords[gram]:
                scores[section_id] = scores.get(section_id, 0) + 1
        if not scores:
            return None
        best = min(scores, key=lambda s: (-scores[s], self.order[s]))
        return Assignment(best, KEYWORD_RULE, float(scores[best])) if scores[best] >= KEYWORD_MIN else None

    def assign_note(self, note: Note, body_of: Callable[[int], tuple[str, ...]] | None = None
                    ) -> tuple[Assignment, ...]:
        """One assignment per section of the note, in order (`body_of(i)`: section i's words, when known)."""
        out: list[Assignment] = []
        stack: list[tuple[int, str | None]] = []
        for index, section in enumerate(note.sections):
            while stack and stack[-1][0] >= section.level:
                stack.pop()
            # The title section is the whole note: its sections are placed on their own merits.
            parent = stack[-1][1] if stack and stack[-1][0] > 1 else None
            found = self.by_heading(section.title)
            if found is None and index == 0 and section.title != note.title:
                found = self.by_heading(note.title)
            if found is None and parent is not None:
                found = Assignment(parent, INHERIT_RULE, 0.0)
            if found is None:
                body = body_of(index) if body_of is not None else tuple(
                    w for block in section.blocks for w in words(block.markdown))
                found = self.by_keywords(section.title, body)
            if found is None and index > 0 and out and out[0].rule in HEADING_RULES:
                found = Assignment(out[0].topic, INHERIT_RULE, 0.0)  # a generic heading in a note about one topic
            found = found or Assignment(None, UNASSIGNED_RULE, 0.0)
            out.append(found)
            stack.append((section.level, found.topic))
        if not self._is_topical(note, out):
            return tuple(Assignment(None, OFF_TOPIC_RULE, 0.0) for _ in out)
        return tuple(out)

    @staticmethod
    def _is_topical(note: Note, assignments: list[Assignment]) -> bool:
        if not assignments:
            return False
        if note.sections[0].level == 1 and assignments[0].rule in HEADING_RULES:
            return True
        headed = [a for s, a in zip(note.sections, assignments) if s.level > 1]
        matched = sum(1 for a in headed if a.rule in HEADING_RULES)
        return bool(headed) and 2 * matched >= len(headed)
