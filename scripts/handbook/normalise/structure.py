"""Repairs that change how markdown-it or Python-Markdown reads the structure, applied before the final parse:
Obsidian's comments (obsidian/comments.py), headings deeper than six levels or without a space, deep nesting, and
footnotes
(obsidian/footnotes.py), in STRUCTURE_RULES' order.

All keep the number of lines, so parsed-text line numbers stay those of the raw note.
"""

from __future__ import annotations

import re

from .log import RepairLog
from .obsidian.comments import drop_obsidian_comments
from .obsidian.footnotes import (
    escape_duplicate_footnotes, escape_nested_footnotes, escape_unused_footnotes, fill_empty_footnotes,
)
from .parse import Parses, code_lines, literal_lines
from .registry import HEADING_DEPTH, HEADING_SPACE, NESTING_LIMIT
from .rules import Rule, rule

MAX_INDENT = 64  # sixteen list levels of four spaces; deeper input is flattened, not lost
MAX_QUOTES = 16
# After the hashes, a no-break or other space that markdown-it does not count as one is replaced too.
_MISSING_SPACE = re.compile(r"^([ \t]*(?:>[ \t]?)*[ \t]*)(#{2,6})[^\S \t\n]*(?=[^\s#])")
_DEEP_QUOTE = re.compile(r"^((?:[ \t]*>){%d,})" % (MAX_QUOTES + 1))
_LEADING = re.compile(r"^[ \t]+")
# A tab is at most four columns, so an indent wider than MAX_INDENT has more than MAX_INDENT // 4 characters.
_HASHES_LINE = re.compile(r"(?m)^[ \t>]*#{2,6}[^\S \t\n]*[^\s#]")
# Seven or more hashes, a space and text, first on a line: a heading in the author's outline that Markdown cannot
# nest so deep (markdown-it reads text; Python-Markdown a level-six heading that starts with the extra hashes).
_DEEP_HEADING = re.compile(r"^#{7,}[ \t]+(?=\S)")
_WIDE_INDENT = re.compile(r"(?m)^[ \t]{%d}" % (MAX_INDENT // 4 + 1))


@rule(HEADING_DEPTH)
def cap_heading_depth(text: str, log: RepairLog, parses: Parses) -> str:
    """`####### Title` -> `###### Title`, outside code and raw HTML; the log keeps how deep it was."""
    if "#######" not in text:
        return text
    lines = text.split("\n")
    literal: set[int] | None = None
    for number, line in enumerate(lines):
        deep = _DEEP_HEADING.match(line)
        if deep is None:
            continue
        literal = literal_lines(text, parses) if literal is None else literal
        if number in literal:
            continue
        fixed = "###### " + line[deep.end():]
        log.repair(number, HEADING_DEPTH, line.strip()[:40], fixed.strip()[:41])
        log.deep_headings[number] = len(line) - len(line.lstrip("#"))
        lines[number] = fixed
    return "\n".join(lines)


@rule(HEADING_SPACE)
def space_after_hashes(text: str, log: RepairLog, parses: Parses) -> str:
    """`##Title` -> `## Title` where markdown-it would then read a heading (one `#` before a word stays a tag)."""
    if not _HASHES_LINE.search(text):
        return text
    lines = text.split("\n")
    lenient = parses.lenient(text)
    fixed_all = True
    for number in lenient.missing_space:
        fixed = _MISSING_SPACE.sub(r"\1\2 ", lines[number], count=1)
        if fixed == lines[number]:
            fixed_all = False
            continue  # behind a list marker (`- ##x`): left as written, as a paragraph
        log.repair(number, HEADING_SPACE, lines[number].strip()[:40], fixed.strip()[:41])
        lines[number] = fixed
    repaired = "\n".join(lines) if lenient.missing_space else text
    if fixed_all:
        parses.spaced(lenient, repaired)
    return repaired


@rule(NESTING_LIMIT)
def limit_nesting(text: str, log: RepairLog, parses: Parses) -> str:
    """Flatten lists and quotes nested deeper than sixteen levels so that parsing stays shallow."""
    if text.count(">") <= MAX_QUOTES and not _WIDE_INDENT.search(text):
        return text  # no line can be deep: checking each one is not needed
    lines = text.split("\n")
    deep = [
        i for i, line in enumerate(lines)
        if _DEEP_QUOTE.match(line) or len((_LEADING.match(line) or [""])[0].expandtabs(4)) > MAX_INDENT
    ]
    if not deep:
        return text
    code = code_lines(text, parses)
    for number in deep:
        if number in code:
            continue
        line = lines[number]
        quotes = _DEEP_QUOTE.match(line)
        if quotes:
            line = ">" * MAX_QUOTES + " " + line[quotes.end():].lstrip()
        leading = (_LEADING.match(line) or [""])[0]
        width = len(leading.expandtabs(4))
        if width > MAX_INDENT:
            line = " " * (MAX_INDENT + width % 4) + line[len(leading):]
        if line != lines[number]:
            log.repair(number, NESTING_LIMIT, f"{width} columns deep", f"{min(width, MAX_INDENT + width % 4)} columns")
            lines[number] = line
    return "\n".join(lines)


LINE_RULES: tuple[Rule, ...] = (drop_obsidian_comments, cap_heading_depth, space_after_hashes, limit_nesting)
FOOTNOTE_RULES: tuple[Rule, ...] = (
    escape_nested_footnotes, escape_duplicate_footnotes, fill_empty_footnotes, escape_unused_footnotes,
)
STRUCTURE_RULES: tuple[Rule, ...] = (*LINE_RULES, *FOOTNOTE_RULES)


def repair_structure(text: str, log: RepairLog, parses: Parses | None = None) -> str:
    """Apply the structural text rules in order (reading the text through `parses`, a fresh memo if none)."""
    parses = Parses() if parses is None else parses
    for structure_rule in LINE_RULES:
        text = structure_rule.apply(text, log, parses)
    return _repair_footnotes(text, log, parses)


def _repair_footnotes(text: str, log: RepairLog, parses: Parses) -> str:
    """Apply the footnote rules in order, again while a round turns code lines into text."""
    # Escaping an unused definition turns the indented lines after it from code into its text, which the
    # rules before it never read (a nested definition there stops the page). Escapes only ever turn code
    # into text, so the rounds end: each one that goes on has fewer code lines.
    literal = literal_lines(text, parses) if "[^" in text else set()
    while True:
        for footnote_rule in FOOTNOTE_RULES:
            text = footnote_rule.apply(text, log, parses)
        if not literal:
            return text
        now_literal = literal_lines(text, parses)
        if not now_literal < literal:
            return text
        literal = now_literal
