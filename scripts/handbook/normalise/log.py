"""Collects the repairs and findings of one note while it is normalised."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from ..model import Asset, Repair
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
    # Headings written at level six that the note nested deeper: 0-based line -> the number of hashes it had, so
    # that the sections under them stay nested (see structure.cap_heading_depth).
    deep_headings: dict[int, int] = field(default_factory=dict)

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


@dataclass(frozen=True)
class LogMark:
    """How long a note's log and asset list were before a piece of work, to take what it added."""

    repairs: int
    findings: int
    tags: int
    assets: int

    @classmethod
    def of(cls, log: RepairLog, assets: list[Asset]) -> LogMark:
        """The log's and asset list's lengths now."""
        return cls(len(log.repairs), len(log.findings), len(log.tags), len(assets))


@dataclass(frozen=True)
class Logged:
    """What a piece of work added to a note's log and assets, with lines counted from the piece's first raw
    line, so that the same text elsewhere (in this note or another) can replay it instead of redoing it."""

    repairs: tuple[tuple[int, str, str, str], ...]  # (line, rule id, before, after): plain tuples keep a memo small
    findings: tuple[tuple[int, str, str], ...]  # (line, word, reason)
    tags: tuple[str, ...]
    assets: tuple[tuple[str, int], ...]  # (source path, line)

    @classmethod
    def since(cls, mark: LogMark, log: RepairLog, assets: list[Asset], base: int) -> Logged:
        """What the log and assets gained since `mark`, lines relative to raw line `base`."""
        return cls(
            tuple((r.line - base, r.rule, r.before, r.after) for r in log.repairs[mark.repairs:]),
            tuple((f.line - base, f.word, f.reason) for f in log.findings[mark.findings:]),
            tuple(log.tags[mark.tags:]),
            tuple((a.source_path, a.line - base) for a in assets[mark.assets:]),
        )

    def replay(self, log: RepairLog, assets: list[Asset], base: int) -> None:
        """Add the same entries to this note's log and assets, at raw line `base`."""
        note = log.note
        log.repairs.extend(Repair(note, base + line, rule, before, after) for line, rule, before, after in self.repairs)
        log.findings.extend(Finding(note, base + line, word, reason) for line, word, reason in self.findings)
        log.tags.extend(self.tags)
        assets.extend(Asset(path, note, base + line) for path, line in self.assets)

    @property
    def lines(self) -> list[int]:
        """Every relative line an entry names."""
        return [r[0] for r in self.repairs] + [f[0] for f in self.findings] + [a[1] for a in self.assets]
