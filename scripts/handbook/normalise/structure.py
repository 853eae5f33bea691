"""Repairs that change how markdown-it or Python-Markdown reads the structure, applied before the final parse.

All keep the number of lines, so parsed-text line numbers stay those of the raw note.
"""

from __future__ import annotations

import re

from ..footnotes import defined_labels, escape_definitions, referenced_labels
from .render import CONTAINER_MARKER
from .lexer import lex
from .log import RepairLog
from .parse import Parses
from .rules import Rule, rule
from .registry import (
    COMMENT_MARKER_ESCAPE, FOOTNOTE_DUPLICATE, FOOTNOTE_EMPTY, FOOTNOTE_UNUSED, HEADING_SPACE, NESTING_LIMIT,
    OBSIDIAN_COMMENT,
)

MAX_INDENT = 64  # sixteen list levels of four spaces; deeper input is flattened, not lost
MAX_QUOTES = 16
# After the hashes, a no-break or other space that markdown-it does not count as one is replaced too.
_MISSING_SPACE = re.compile(r"^([ \t]*(?:>[ \t]?)*[ \t]*)(#{2,6})[^\S \t\n]*(?=[^\s#])")
_DEEP_QUOTE = re.compile(r"^((?:[ \t]*>){%d,})" % (MAX_QUOTES + 1))
_LEADING = re.compile(r"^[ \t]+")
# A tab is at most four columns, so an indent wider than MAX_INDENT has more than MAX_INDENT // 4 characters.
_HASHES_LINE = re.compile(r"(?m)^[ \t>]*#{2,6}[^\S \t\n]*[^\s#]")
_WIDE_INDENT = re.compile(r"(?m)^[ \t]{%d}" % (MAX_INDENT // 4 + 1))


@rule(HEADING_SPACE)
def space_after_hashes(text: str, log: RepairLog, parses: Parses) -> str:
    """`##Title` -> `## Title` where markdown-it would then read a heading (one `#` before a word stays a tag)."""
    if not _HASHES_LINE.search(text):
        return text
    lines = text.split("\n")
    changed = False
    for number in parses.lenient(text).missing_space:
        fixed = _MISSING_SPACE.sub(r"\1\2 ", lines[number], count=1)
        if fixed == lines[number]:
            continue  # behind a list marker (`- ##x`): left as written, as a paragraph
        log.repair(number, HEADING_SPACE, lines[number].strip()[:40], fixed.strip()[:41])
        lines[number] = fixed
        changed = True
    return "\n".join(lines) if changed else text


def _code_lines(text: str, parses: Parses, kinds: tuple[str, ...] = ("fence", "code_block")) -> set[int]:
    """The lines of a text's code blocks, fenced or indented (or of other `kinds` of block), at any depth."""
    lines: set[int] = set()
    for token in parses.blocks(text):
        if token.type in kinds and token.map:
            lines.update(range(token.map[0], token.map[1]))
    return lines


def _literal_lines(text: str, parses: Parses) -> set[int]:
    """The lines of a text that Python-Markdown never reads for footnotes: code and raw-HTML blocks."""
    return _code_lines(text, parses, ("fence", "code_block", "html_block"))


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
    code = _code_lines(text, parses)
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


@rule(FOOTNOTE_DUPLICATE)
def escape_duplicate_footnotes(text: str, log: RepairLog, parses: Parses) -> str:
    """Show a second definition of a footnote label as text: Python-Markdown would keep only the last,
    and the first, with any reference inside it, would vanish from the page."""
    if "[^" not in text:
        return text
    lines = text.split("\n")
    code = _literal_lines(text, parses)
    seen: set[str] = set()
    for number, line in enumerate(lines):
        if number in code or "[^" not in line:
            continue
        defined = defined_labels(line)
        again = defined & seen
        seen |= defined
        if again:
            escaped = escape_definitions(line, frozenset(again))
            log.repair(number, FOOTNOTE_DUPLICATE, line.strip(), escaped.strip())
            lines[number] = escaped
    return "\n".join(lines)


# A definition with nothing after its colon, and no continuation line below it.
_EMPTY_DEFINITION = re.compile(r"^(?P<head>[ \t]*\[\^[^\]\n]+\]:)[ \t]*$")


@rule(FOOTNOTE_EMPTY)
def fill_empty_footnotes(text: str, log: RepairLog, parses: Parses) -> str:
    """Give an empty footnote definition a no-break space: Python-Markdown fails on a page that numbers
    footnotes by citation and holds an empty one."""
    if "[^" not in text:
        return text
    lines = text.split("\n")
    code = _literal_lines(text, parses)
    for number, line in enumerate(lines):
        empty = _EMPTY_DEFINITION.match(line) if number not in code and "[^" in line else None
        if empty and (number + 1 == len(lines) or not lines[number + 1].strip()):
            lines[number] = empty.group("head") + " &nbsp;"
            log.repair(number, FOOTNOTE_EMPTY, line, lines[number])
    return "\n".join(lines)


@rule(FOOTNOTE_UNUSED)
def escape_unused_footnotes(text: str, log: RepairLog, parses: Parses) -> str:
    """Show a footnote definition that nothing in the note references as text: the site would link it back to nowhere."""
    if "[^" not in text:
        return text
    lines = text.split("\n")
    # An escaped definition that was a link reference definition becomes paragraph text, and can
    # turn the indented lines after it from code into its continuation: look again until none is left.
    while True:
        code = _literal_lines("\n".join(lines), parses)
        contained = _contained_footnotes(lines, code)
        prose = "\n".join("" if number in code else line for number, line in enumerate(lines))
        unused = defined_labels(prose) - referenced_labels(_references_text(lines, code, contained))
        changed = False
        for number, line in enumerate(lines):
            if unused and number not in code and "[^" in line:
                escaped = escape_definitions(line, unused)
                if escaped != line:
                    log.repair(number, FOOTNOTE_UNUSED, line.strip(), escaped.strip())
                    lines[number] = escaped
                    changed = True
        if not changed:
            return _escape_unused_contained_footnotes(lines, code, contained, log)


# A footnote definition after a list marker or quote marker, which markdown-it reads as a link definition.
_CONTAINED_FOOTNOTE = re.compile("^(" + CONTAINER_MARKER + r"+[ \t]*)\[\^([^\]\n]+)\]:")


def _contained_footnotes(lines: list[str], code: set[int]) -> dict[int, re.Match[str]]:
    """The footnote definitions inside a list item or quote (`- [^1]: …`), by line."""
    return {number: match for number, line in enumerate(lines)
            if number not in code and "[^" in line and (match := _CONTAINED_FOOTNOTE.match(line))}


def _escape_contained(line: str, match: re.Match[str]) -> str:
    """A contained footnote definition's line with a backslash after its list or quote marker."""
    return line[: match.end(1)] + "\\" + line[match.end(1):]


def _references_text(lines: list[str], code: set[int], contained: dict[int, re.Match[str]]) -> str:
    """The note's text where footnote references count: no code, and no contained definition's own `[^label]:`
    (escaping it would otherwise take away a reference, and a second run would escape what it pointed to)."""
    return "\n".join("" if number in code else line[contained[number].end():] if number in contained else line
                     for number, line in enumerate(lines))


def _escape_unused_contained_footnotes(lines: list[str], code: set[int], contained: dict[int, re.Match[str]],
                                       log: RepairLog) -> str:
    """escape_unused_footnotes for definitions inside a list item or quote (`- [^1]: …`); a used one
    moves to the end of the note instead (see the pipeline's reference-moved)."""
    if not contained:
        return "\n".join(lines)
    referenced = referenced_labels(_references_text(lines, code, contained))
    for number, match in contained.items():
        if match.group(2) not in referenced:
            escaped = _escape_contained(lines[number], match)
            log.repair(number, FOOTNOTE_UNUSED, lines[number].strip(), escaped.strip())
            lines[number] = escaped
    return "\n".join(lines)


def footnote_references(text: str, parses: Parses) -> frozenset[str]:
    """The footnote labels a rendered block references: not in code or raw HTML, not a contained definition's own label."""
    if "[^" not in text:
        return frozenset()
    lines = text.split("\n")
    code = _literal_lines(text, parses)
    return referenced_labels(_references_text(lines, code, _contained_footnotes(lines, code)))


def escape_unreferenced_definitions(text: str, referenced: frozenset[str], parses: Parses) -> str:
    """A rendered block with each footnote definition (at the margin, or inside a list item or quote)
    whose label is not in `referenced` escaped, so that it shows as text; code and raw HTML are left alone."""
    if "[^" not in text:
        return text
    lines = text.split("\n")
    code = _literal_lines(text, parses)
    unused = defined_labels(text) - referenced
    contained = _contained_footnotes(lines, code)
    for number, line in enumerate(lines):
        if number in code or "[^" not in line:
            continue
        if number in contained:
            match = contained[number]
            if match.group(2) not in referenced:
                lines[number] = _escape_contained(line, match)
        elif unused:
            lines[number] = escape_definitions(line, unused)
    return "\n".join(lines)


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


def _escape_comment_markers(text: str, log: RepairLog, parses: Parses) -> str:
    """Each `%%` that stayed text, its first `%` written as an entity: the layout may bring two of them
    together (a title moves to the top), and a second reading would take them for a comment."""
    lines = text.split("\n")
    # Raw HTML shows a `%%` as it is, and the sanitiser rewrites the block around it: left alone.
    for number, column in reversed(_comment_markers(lines, _literal_lines(text, parses))):
        line = lines[number]
        lines[number] = line[:column] + PERCENT_ENTITY + line[column + 1:]
        log.repair(number, COMMENT_MARKER_ESCAPE, line.strip(), lines[number].strip())
    return "\n".join(lines)


def _without_comments(text: str, log: RepairLog, parses: Parses) -> str:
    """One pass of drop_obsidian_comments over a text's lines as they are now."""
    lines = text.split("\n")
    code = _code_lines(text, parses)
    markers = _comment_markers(lines, code)
    pairs = [(markers[i], markers[i + 1]) for i in range(0, len(markers) - 1, 2)]
    removed = []
    # The columns each line loses, left to right: each line is written once, as cutting one comment at a
    # time out of a line of many cost the square of its length.
    cuts: dict[int, list[tuple[int, int]]] = {}
    for (first, start), (last, end) in pairs:
        if any(number in code for number in range(first, last + 1)):
            continue
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


STRUCTURE_RULES: tuple[Rule, ...] = (
    drop_obsidian_comments, space_after_hashes, limit_nesting, escape_duplicate_footnotes, fill_empty_footnotes,
    escape_unused_footnotes,
)


def repair_structure(text: str, log: RepairLog, parses: Parses | None = None) -> str:
    """Apply the structural text rules in order (reading the text through `parses`, a fresh memo if none)."""
    parses = Parses() if parses is None else parses
    for structure_rule in STRUCTURE_RULES:
        text = structure_rule.apply(text, log, parses)
    return text
