"""Obsidian's comments (`%%private%%`, on one line or many), which Obsidian never shows and the site does not either."""

from __future__ import annotations

import re

from ..lexer import lex
from ..log import RepairLog
from ..parse import Parses, code_lines, literal_lines
from ..registry import COMMENT_MARKER_ESCAPE, OBSIDIAN_COMMENT
from ..rules import rule


def _comment_markers(lines: list[str], code: set[int]) -> list[tuple[int, int]]:
    """(line, column) of every `%%` in prose: not in code blocks, nor in what the inline lexer protects
    (code spans, URLs, raw HTML), in order."""
    found = []
    for number, line in enumerate(lines):
        if number in code or "%%" not in line:
            continue
        column = 0
        for span in lex(line):
            if span.kind == "prose":
                found += [(number, column + m.start()) for m in re.finditer("%%", span.text)]
            column += len(span.text)
    return found


_COMMENT_PASSES = 4
# A `%` as an entity: Python-Markdown, unlike CommonMark, does not take `\%` for an escape.
PERCENT_ENTITY = "&#37;"


@rule(OBSIDIAN_COMMENT)
def drop_obsidian_comments(text: str, log: RepairLog, parses: Parses) -> str:
    """Remove Obsidian comments (`%%private%%`, on one line or many), which Obsidian never shows.

    A `%%` left without a partner stays as text, and so does a comment that would run over a code block.
    """
    # A removed comment can change which lines are code (a fence that was text after it): look again.
    for _ in range(_COMMENT_PASSES):
        if "%%" not in text:
            break
        cleaned = _without_comments(text, log, parses)
        if cleaned == text:
            break
        text = cleaned
    return _escape_comment_markers(text, log, parses) if "%%" in text else text


def escape_comment_markers_in_line(line: str) -> str:
    """A line with the first `%` of each `%%` in its prose written as an entity (see _escape_comment_markers)."""
    return line if "%%" not in line else "".join(
        span.text.replace("%%", PERCENT_ENTITY + "%") if span.kind == "prose" else span.text for span in lex(line))


def _escape_comment_markers(text: str, log: RepairLog, parses: Parses) -> str:
    """Each `%%` that stayed text, its first `%` written as an entity: the layout may bring two of them
    together (a title moves to the top), and a second reading would take them for a comment."""
    lines = text.split("\n")
    # Raw HTML shows a `%%` as it is, and the sanitiser rewrites the block around it: left alone.
    for number, column in reversed(_comment_markers(lines, literal_lines(text, parses))):
        line = lines[number]
        lines[number] = line[:column] + PERCENT_ENTITY + line[column + 1:]
        log.repair(number, COMMENT_MARKER_ESCAPE, line.strip(), lines[number].strip())
    return "\n".join(lines)


def _without_comments(text: str, log: RepairLog, parses: Parses) -> str:
    """One pass of drop_obsidian_comments over a text's lines as they are now."""
    lines = text.split("\n")
    code = code_lines(text, parses)
    markers = _comment_markers(lines, code)
    # A `%%` whose comment would run over a code block stays text, and the next one opens a comment: a second
    # pass, which reads the first as escaped, pairs them so.
    pairs = []
    at = 0
    while at + 1 < len(markers):
        (first, _), (last, _) = markers[at], markers[at + 1]
        if any(number in code for number in range(first, last + 1)):
            at += 1
            continue
        pairs.append((markers[at], markers[at + 1]))
        at += 2
    removed = []
    # The columns each line loses, left to right: each line is written once, as cutting one comment at a
    # time out of a line of many cost the square of its length.
    cuts: dict[int, list[tuple[int, int]]] = {}
    for (first, start), (last, end) in pairs:
        if first == last:
            removed.append((first, lines[first][start:end + 2]))
            cuts.setdefault(first, []).append((start, end + 2))
        else:
            removed.append((first, "\n".join([lines[first][start:], *lines[first + 1:last], lines[last][:end + 2]])))
            cuts.setdefault(first, []).append((start, len(lines[first])))
            lines[first + 1:last] = [""] * (last - first - 1)
            cuts.setdefault(last, []).append((0, end + 2))
    for number, columns in cuts.items():
        line, kept, at = lines[number], [], 0
        for start, end in columns:
            kept.append(line[at:start])
            at = end
        lines[number] = "".join(kept) + line[at:]
    for number, comment in removed:
        log.repair(number, OBSIDIAN_COMMENT, comment, "")
    return "\n".join(lines)
