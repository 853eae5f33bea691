"""The normaliser's footnote repairs: Python-Markdown keeps one definition of a label, fails on an empty
one, empties one that starts with another, and links a definition nothing cites back to nowhere. What a
footnote looks like is declared in handbook/footnotes.py, which the merge stage reads too.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from markdown_it.rules_block.html_block import HTML_SEQUENCES

from ...footnotes import DEFINITION, defined_labels, escape_definitions, referenced_labels
from ..details import OPENER_ON_LINE
from ..log import RepairLog
from ..parse import Parses, literal_lines
from ..registry import FOOTNOTE_DUPLICATE, FOOTNOTE_EMPTY, FOOTNOTE_NESTED, FOOTNOTE_UNUSED
from ..render import CONTAINER_MARKER
from ..rules import rule


# A definition (at the margin, or after list and quote markers) whose text starts with another definition's
# start, itself at the margin or after list and quote markers (`[^1]: - [^2]: text`): Python-Markdown reads
# the text as blocks of the first footnote, where that start begins a footnote of its own (any label, an empty
# one too), so the first is left empty and the second is lost; or an abbreviation's (`*[term]:`), which takes
# the line away. A `<details>` opener before the first is the start of the element's content, which is Markdown.
# Within the first's text, a no-break space counts as the plain space the odd-space rule makes of it.
_ODD_SPACES = "\u00a0\u2007\u202f"  # those of the odd-space rule that are not indentation (a tab is)
_SPACE_IN_TEXT = "[ \t" + _ODD_SPACES + "]"
_NESTED_DEFINITION = re.compile(
    r"^(?P<outer>(?:" + CONTAINER_MARKER + r")*[ \t]*(?:" + OPENER_ON_LINE + "(?:" + CONTAINER_MARKER + r")*)*"
    + DEFINITION + _SPACE_IN_TEXT + "*(?:" + CONTAINER_MARKER.replace(r"[ \t]", _SPACE_IN_TEXT) + r")*)"
    r"(?=\[\^[^\]\n]*\]:|\*\[[^\\]*?\][ ]?:)"
)


def _footnote_lines(text: str, lines: list[str], parses: Parses) -> list[int]:
    """The numbers of the text's lines (`lines`) that hold `[^` outside code and raw HTML."""
    code = literal_lines(text, parses)
    return [number for number, line in enumerate(lines) if "[^" in line and number not in code]


@rule(FOOTNOTE_NESTED)
def escape_nested_footnotes(text: str, log: RepairLog, parses: Parses) -> str:
    """Show a footnote definition written at the start of another's text as text, so that both texts show (with
    the default footnote settings the page would also fail to build)."""
    if "[^" not in text:
        return text
    lines = text.split("\n")
    for number, escaped in _nested_escaped(text, lines, parses):
        log.repair(number, FOOTNOTE_NESTED, lines[number].strip(), escaped.strip())
        lines[number] = escaped
    return "\n".join(lines)


def escape_nested_definitions(text: str, parses: Parses) -> str:
    """escape_nested_footnotes on a rendered block, unlogged: a later repair can bring a definition to the start of
    another's text (a dropped leftover between them)."""
    return _lines_replaced(_nested_escaped, text, parses)


def _lines_replaced(find: Callable[[str, list[str], Parses], list[tuple[int, str]]], text: str, parses: Parses) -> str:
    """A rendered block with each line that `find` gives (number and new text) replaced, unlogged."""
    if "[^" not in text:
        return text
    lines = text.split("\n")
    for number, replaced in find(text, lines, parses):
        lines[number] = replaced
    return "\n".join(lines)


def _nested_escaped(text: str, lines: list[str], parses: Parses) -> list[tuple[int, str]]:
    """Each line of a text that starts a footnote definition with another's start, by number, with the second
    escaped."""
    found = []
    for number in _footnote_lines(text, lines, parses):
        line = lines[number]
        nested = _NESTED_DEFINITION.match(line)
        if nested:
            found.append((number, line[: nested.end("outer")] + "\\" + line[nested.end("outer"):]))
    return found


@rule(FOOTNOTE_DUPLICATE)
def escape_duplicate_footnotes(text: str, log: RepairLog, parses: Parses) -> str:
    """Show a second definition of a footnote label as text: Python-Markdown would keep only the last,
    and the first, with any reference inside it, would vanish from the page."""
    if "[^" not in text:
        return text
    lines = text.split("\n")
    seen: set[str] = set()
    # One inside a list item or quote (`- [^1]: …`) is a definition to Python-Markdown as well.
    contained = _contained_footnotes(lines, literal_lines(text, parses))
    for number in _footnote_lines(text, lines, parses):
        line = lines[number]
        if number in contained:
            label = contained[number].group("label")
            if label in seen:
                lines[number] = _escape_contained(line, contained[number])
                log.repair(number, FOOTNOTE_DUPLICATE, line.strip(), lines[number].strip())
            seen.add(label)
            continue
        defined = defined_labels(line)
        again = defined & seen
        seen |= defined
        if again:
            escaped = escape_definitions(line, frozenset(again))
            log.repair(number, FOOTNOTE_DUPLICATE, line.strip(), escaped.strip())
            lines[number] = escaped
    return "\n".join(lines)


# A definition with nothing after its colon, and no continuation line below it; or nothing before the closer of
# the `<details>` element it ends, which its text cannot run past.
_EMPTY_DEFINITION = re.compile(r"^(?P<head>[ \t]*" + DEFINITION + r")[ \t]*(?P<closer></details\s*>.*)?$", re.I)
# A line that Python-Markdown starts a block of its own with, so that it never continues the definition above it:
# a heading at the margin (one that a later rule drops when it is empty, too) or a quote.
_OWN_BLOCK = re.compile(r"^(?:#{1,6}(?:[ \t]|$)|[ ]{0,3}>)")
# Raw HTML that ends a paragraph, `<details>` and `<summary>` among it: the normaliser reads it as a block of its own
# (and writes a details element as an admonition), so the definition above it is read, and filled, as empty.
_HTML_BLOCK_STARTS = tuple(start for start, _, ends_paragraph in HTML_SEQUENCES if ends_paragraph)


def _starts_own_block(line: str) -> bool:
    """Whether a line starts a block that the line above cannot run on into."""
    if _OWN_BLOCK.match(line):
        return True
    text = line.lstrip(" ")
    return len(line) - len(text) < 4 and any(start.match(text) for start in _HTML_BLOCK_STARTS)


@rule(FOOTNOTE_EMPTY)
def fill_empty_footnotes(text: str, log: RepairLog, parses: Parses) -> str:
    """Give an empty footnote definition a no-break space: Python-Markdown fails on a page that numbers
    footnotes by citation and holds an empty one."""
    if "[^" not in text:
        return text
    lines = text.split("\n")
    for number, filled in _filled_empty_definitions(text, lines, parses):
        log.repair(number, FOOTNOTE_EMPTY, lines[number], filled)
        lines[number] = filled
    return "\n".join(lines)


def fill_empty_definitions(text: str, parses: Parses) -> str:
    """fill_empty_footnotes on a rendered block, unlogged: a later repair can leave a definition empty (a dropped
    attribute list after its colon)."""
    return _lines_replaced(_filled_empty_definitions, text, parses)


def _filled_empty_definitions(text: str, lines: list[str], parses: Parses) -> list[tuple[int, str]]:
    """Each empty footnote definition among the text's lines, by line number, with its no-break space."""
    filled = []
    for number in _footnote_lines(text, lines, parses):
        empty = _EMPTY_DEFINITION.match(lines[number])
        below = lines[number + 1] if number + 1 < len(lines) else ""
        if empty and (empty.group("closer") or not below.strip() or _starts_own_block(below)):
            filled.append((number, empty.group("head") + " &nbsp;" + (empty.group("closer") or "")))
    return filled


@rule(FOOTNOTE_UNUSED)
def escape_unused_footnotes(text: str, log: RepairLog, parses: Parses) -> str:
    """Show a footnote definition that nothing in the note references as text: the site would link it back to nowhere."""
    if "[^" not in text:
        return text
    lines = text.split("\n")
    # An escaped definition that was a link reference definition becomes paragraph text, and can
    # turn the indented lines after it from code into its continuation: look again until none is left.
    while True:
        code = literal_lines("\n".join(lines), parses)
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


# A definition list's `: ` (def_list reads the text after it as blocks, where a footnote definition is one).
_DEFINITION_MARKER = r"[ ]{0,3}:[ \t]+"
# A footnote definition after a list, quote or definition marker, or as the first line of a `<details>` element's
# content, which markdown-it reads as a link definition.
_CONTAINED_FOOTNOTE = re.compile(
    "^(?P<marker>(?:" + CONTAINER_MARKER + "|" + _DEFINITION_MARKER + "|(?i:" + OPENER_ON_LINE + r"))+[ \t]*)"
    + DEFINITION
)


def _contained_footnotes(lines: list[str], code: set[int]) -> dict[int, re.Match[str]]:
    """The footnote definitions inside a list item or quote (`- [^1]: …`), by line."""
    return {number: match for number, line in enumerate(lines)
            if number not in code and "[^" in line and (match := _CONTAINED_FOOTNOTE.match(_plain(line)))}


def _escape_contained(line: str, match: re.Match[str]) -> str:
    """A contained footnote definition's line with a backslash after its list or quote marker."""
    return line[: match.end("marker")] + "\\" + line[match.end("marker"):]


# The odd-space rule makes these plain in prose, after which `\u00a0[^1]: x` and `<details>\u00a0[^1]: x` start a
# definition, never a reference: the footnote rules read a line as it will be.
_PLAIN_SPACES = str.maketrans(_ODD_SPACES, " " * len(_ODD_SPACES))


def _plain(line: str) -> str:
    """The line with its odd spaces plain, of the same length."""
    return line.translate(_PLAIN_SPACES)


def _references_text(lines: list[str], code: set[int], contained: dict[int, re.Match[str]]) -> str:
    """The note's text where footnote references count: no code, and no contained definition's own `[^label]:`
    (escaping it would otherwise take away a reference, and a second run would escape what it pointed to)."""
    return "\n".join("" if number in code else line[contained[number].end():] if number in contained
                     else _plain(line) for number, line in enumerate(lines))


def _escape_unused_contained_footnotes(lines: list[str], code: set[int], contained: dict[int, re.Match[str]],
                                       log: RepairLog) -> str:
    """escape_unused_footnotes for definitions inside a list item or quote (`- [^1]: …`); a used one
    moves to the end of the note instead (see the pipeline's reference-moved)."""
    if not contained:
        return "\n".join(lines)
    referenced = referenced_labels(_references_text(lines, code, contained))
    for number, match in contained.items():
        if match.group("label") not in referenced:
            escaped = _escape_contained(lines[number], match)
            log.repair(number, FOOTNOTE_UNUSED, lines[number].strip(), escaped.strip())
            lines[number] = escaped
    return "\n".join(lines)


def footnote_references(text: str, parses: Parses) -> frozenset[str]:
    """The footnote labels a rendered block references: not in code or raw HTML, not a contained definition's own label."""
    if "[^" not in text:
        return frozenset()
    lines = text.split("\n")
    code = literal_lines(text, parses)
    return referenced_labels(_references_text(lines, code, _contained_footnotes(lines, code)))


def escape_unreferenced_definitions(text: str, referenced: frozenset[str], parses: Parses) -> str:
    """A rendered block with each footnote definition (at the margin, or inside a list item or quote)
    whose label is not in `referenced` escaped, so that it shows as text; code and raw HTML are left alone."""
    if "[^" not in text:
        return text
    lines = text.split("\n")
    code = literal_lines(text, parses)
    unused = defined_labels(text) - referenced
    contained = _contained_footnotes(lines, code)
    for number, line in enumerate(lines):
        if number in code or "[^" not in line:
            continue
        if number in contained:
            match = contained[number]
            if match.group("label") not in referenced:
                lines[number] = _escape_contained(line, match)
        elif unused:
            lines[number] = escape_definitions(line, unused)
    return "\n".join(lines)
