"""The prose rules: each sees one prose span of a block's text and reports its changes by offset.

They run in PROSE_RULES' order. What they did to a span (ProseEvent records) depends only on its text
and the context's data, so it is remembered per context and replayed at the span's place.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import TYPE_CHECKING, Callable

from ..model import record
from .registry import (
    COPY_PASTE_LEFTOVER, DASH, EMPHASIS_ESCAPE, NON_BREAKING_SPACE, OBSIDIAN_COMMENT, SERVICE_NAME, SPELLING, TAB,
    RepairRule,
)
from .rules import Rule, rule

if TYPE_CHECKING:
    from .inline import Unit

TAG = re.compile(r"(?<![\w&#/\\])#((?=[\w/-]*[^\W\d])[\w/-]*\w)")
TAG_LINE = re.compile(r"^(?:#(?=[\w/-]*[^\W\d])[\w/-]*\w[ \t]*)+$")

Report = Callable[[int, str, str, str], None]

# Spaces a web page or editor leaves that Markdown does not read as spaces.
ODD_SPACE = re.compile(r"[\u00a0\u2007\u202f\t]")
_LEFTOVER = re.compile(r"[ \t]*\(opens in a new (?:tab|window)\)", re.I)
_MULTIPLICATION = re.compile(r"(?<=\d)\*(?=\d)")
# A snippets marker (--8<--) is not a dash; the escape added for it (;--8<--) must survive a second pass.
# Unspaced, a dash joins two words (a task--but); spaced after a word, it stands alone. A `--` with a space only
# before it, or after a bracket or mark, starts a command-line option (`aws ecr --region`, `[--instance-ids]`).
_DASH = re.compile(r"(?:(?<=\w)--(?=\w)|(?<=[^\s<>!-])(?:-- | -- )(?=[^\s<>-]))(?!8<)")
# In a table row a pipe ends a cell, as the end of the text does: a `--` before one is between no words (and the
# last cell of a row may be written with or without its pipe).
_CELL_DASH = re.compile(r"(?:(?<=\w)--(?=\w)|(?<=[^\s<>!|-])(?:-- | -- )(?=[^\s<>|-]))(?!8<)")


@rule(NON_BREAKING_SPACE)
def plain_spaces(text: str, unit: Unit, report: Report) -> str:
    """Turn non-breaking and other odd spaces, and tabs inside prose, into plain spaces."""

    def replace(match: re.Match[str]) -> str:
        character = match.group(0)
        report(match.start(), TAB if character == "\t" else NON_BREAKING_SPACE, f"U+{ord(character):04X}", " ")
        return " "

    return ODD_SPACE.sub(replace, text)


_COMMENT = re.compile(r"%%[\s\S]*?%%")


@rule(OBSIDIAN_COMMENT)
def drop_comments_in_prose(text: str, unit: Unit, report: Report) -> str:
    """Remove an Obsidian comment that a repair brought out of a code span (an escaped backtick run).

    The structure rule drop_obsidian_comments removes every other one before the text is parsed.
    """

    def replace(match: re.Match[str]) -> str:
        report(match.start(), OBSIDIAN_COMMENT, match.group(0), "")
        return ""

    return _COMMENT.sub(replace, text) if "%%" in text else text


@rule(COPY_PASTE_LEFTOVER)
def drop_copy_paste_leftovers(text: str, unit: Unit, report: Report) -> str:
    """Remove web-page leftovers such as "(opens in a new tab)" copied along with link text."""

    def replace(match: re.Match[str]) -> str:
        report(match.start(), COPY_PASTE_LEFTOVER, match.group(0).strip(), "")
        # The space before the leftover stays between two words, which would otherwise run together.
        after = match.string[match.end():match.end() + 1]
        return " " if match.group(0)[:1] in " \t" and after.isalnum() else ""

    return _LEFTOVER.sub(replace, text) if "(" in text else text


@rule(EMPHASIS_ESCAPE)
def escape_multiplication(text: str, unit: Unit, report: Report) -> str:
    """Escape `*` between digits (24*7*365) so that it is not read as emphasis."""

    def replace(match: re.Match[str]) -> str:
        report(match.start(), EMPHASIS_ESCAPE, "*", "\\*")
        return "\\*"

    return _MULTIPLICATION.sub(replace, text) if "*" in text else text


@rule(DASH)
def spaced_dashes(text: str, unit: Unit, report: Report) -> str:
    """Write a `--` used as a dash between words as a spaced en dash."""

    def replace(match: re.Match[str]) -> str:
        report(match.start(), DASH, match.group(0), " – ")
        return " – "

    return (_CELL_DASH if unit.in_table else _DASH).sub(replace, text) if "--" in text else text


@rule(SPELLING)
def fix_spelling(text: str, unit: Unit, report: Report) -> str:
    """Fix misspellings from data/corrections.yml, then from codespell's general dictionary."""
    return unit.ctx.speller.correct(text, report)


@rule(SERVICE_NAME)
def canonical_names(text: str, unit: Unit, report: Report) -> str:
    """Write AWS service names the canonical way given in data/names.yml."""
    return unit.ctx.names.canonicalise(text, report)


PROSE_RULES: tuple[Rule, ...] = (
    drop_comments_in_prose, plain_spaces, drop_copy_paste_leftovers, escape_multiplication, spaced_dashes,
    fix_spelling, canonical_names,
)

_SHIFT_TYPO = re.compile(r"(?<![\w'’-])[A-Z]{2}[a-z]{2,}(?![\w'’-])")
_MISSING_SPACE = re.compile(r"(?<![\w.])[a-z]{2,}[.][A-Z][a-z]+")


# What the prose rules did to one span, to be written to a note's log: repairs and findings carry
# the number of line ends before their offset in the span, so they can be replayed on any unit.
@record
class ProseRepair:
    """A change a prose rule made."""

    newlines: int
    rule: RepairRule
    before: str
    after: str


@record
class ProseTag:
    """An inline #tag, which becomes a page tag."""

    name: str


@record
class ProseFinding:
    """A word that looks wrong, reported and never changed."""

    newlines: int
    word: str
    reason: str


ProseEvent = ProseRepair | ProseTag | ProseFinding
PROSE_CACHE_SPAN = 2_000  # longer spans are rare and not worth keeping


_NEWLINE = re.compile("\n")


# Counting the line ends from the start for each repair or finding cost the square of a long text.
class _LineEnds:
    """Where the line ends of a text are, found once, for the line of many offsets in it."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._ends: list[int] | None = None

    @property
    def ends(self) -> list[int]:
        if self._ends is None:
            self._ends = [match.start() for match in _NEWLINE.finditer(self.text)]
        return self._ends

    def before(self, offset: int) -> int:
        """How many line ends come before `offset`."""
        return bisect_left(self.ends, offset)

    def line_start(self, newlines: int) -> int:
        """The offset at which the line after `newlines` line ends starts."""
        return self.ends[newlines - 1] + 1 if newlines else 0


def _tag_and_finding_events(text: str, names_words: frozenset[str], events: list[ProseEvent]) -> None:
    if "#" in text:
        for match in TAG.finditer(text):
            events.append(ProseTag(match.group(1)))
    lines = _LineEnds(text)
    for match in _SHIFT_TYPO.finditer(text):
        if match.group(0).lower() not in names_words:
            events.append(ProseFinding(lines.before(match.start()), match.group(0), "odd capitals"))
    if "." in text:
        for match in _MISSING_SPACE.finditer(text):
            events.append(ProseFinding(lines.before(match.start()), match.group(0), "missing space after full stop"))


def collect_tags_and_findings(text: str, unit: Unit, line_of: Callable[[int], int]) -> None:
    """Collect inline #tags and report words that look wrong; neither changes the text."""
    events: list[ProseEvent] = []
    _tag_and_finding_events(text, unit.ctx.names.words, events)
    lines = _LineEnds(text)
    for event in events:
        if isinstance(event, ProseTag):
            unit.log.tags.append(event.name)
        else:
            unit.log.find(line_of(lines.line_start(event.newlines)), event.word, event.reason)


def apply_prose_rules(text: str, unit: Unit) -> tuple[str, tuple[ProseEvent, ...]]:
    """Run PROSE_RULES in order over one prose span, then collect its tags and findings.

    The result depends only on the text and the context's data, so it is remembered per context.
    """
    cache = unit.ctx.prose_cache
    hit = cache.get(text)
    if hit is not None:
        return hit
    events: list[ProseEvent] = []
    current = text
    lines = _LineEnds(text)

    def report(at: int, repair_rule: RepairRule, before: str, after: str) -> None:
        # `current` is the text the running rule was given, which is what `at` counts in.
        events.append(ProseRepair(lines.before(at), repair_rule, before, after))

    for prose_rule in PROSE_RULES:
        if lines.text is not current:
            lines = _LineEnds(current)
        current = prose_rule.apply(current, unit, report)
    _tag_and_finding_events(current, unit.ctx.names.words, events)
    result = (current, tuple(events))
    if len(text) <= PROSE_CACHE_SPAN:
        cache.remember(text, result)
    return result


def replay_prose_events(events: tuple[ProseEvent, ...], unit: Unit, newlines_before: int) -> None:
    """Write the repairs, tags and findings of one prose span to the unit's log."""
    log = unit.log
    for event in events:
        if isinstance(event, ProseRepair):
            log.repair(unit.line_after(newlines_before + event.newlines), event.rule, event.before, event.after)
        elif isinstance(event, ProseTag):
            log.tags.append(event.name)
        else:
            log.find(unit.line_after(newlines_before + event.newlines), event.word, event.reason)


