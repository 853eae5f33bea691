"""Collects the repairs and findings of one note while it is normalised."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from ..model import Repair
from .registry import RepairRule

SNIPPET_LIMIT = 200


@dataclass(frozen=True, order=True)
class Finding:
    """A word that looks wrong but is in no correction list: reported, never changed."""

    note: str
    line: int
    word: str
    reason: str


def snippet(text: str) -> str:
    """Shorten a before/after text for the report, keeping its start."""
    return text if len(text) <= SNIPPET_LIMIT else text[: SNIPPET_LIMIT - 1] + "…"


@dataclass
class RepairLog:
    """The mutable notebook of one normalisation run; frozen records come out of it."""

    note: str
    line_offset: int = 0  # raw lines before the text being parsed (front matter)
    repairs: list[Repair] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)

    def repair(self, line: int, rule: RepairRule, before: str, after: str) -> None:
        """Record one change; `line` is 0-based in the parsed text."""
        self.repairs.append(Repair(self.note, line + self.line_offset + 1, rule.id, snippet(before), snippet(after)))

    def raw_repair(self, raw_line: int, rule: RepairRule, before: str, after: str) -> None:
        """Record one change at a 1-based line of the raw note."""
        self.repairs.append(Repair(self.note, raw_line, rule.id, snippet(before), snippet(after)))

    def find(self, line: int, word: str, reason: str) -> None:
        """Report a suspicious word at a 0-based line of the parsed text."""
        self.findings.append(Finding(self.note, line + self.line_offset + 1, word, reason))

    def raw_line(self, line: int) -> int:
        """The 1-based raw line of a 0-based line of the parsed text."""
        return line + self.line_offset + 1

    @contextmanager
    def second_reading(self) -> Iterator[None]:
        """Around a second reading of text already read: keep only the findings it adds, and no tags.

        A finding that equals one from before is a repeat (counted, so that the same word found twice on
        a line by the second reading alone is kept); the page tags are a set, so every tag the second
        reading collects was already collected.
        """
        findings, tags = len(self.findings), len(self.tags)
        yield
        known = Counter(self.findings[:findings])
        fresh = []
        for finding in self.findings[findings:]:
            if known[finding]:
                known[finding] -= 1
            else:
                fresh.append(finding)
        self.findings[findings:] = fresh
        del self.tags[tags:]
