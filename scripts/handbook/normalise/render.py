"""Render markdown-it's block tree back to clean Markdown for Python-Markdown, block by block.

markdown-it-py finds the structure (with the source line of every block); BlockRenderer writes each
block in the one form Python-Markdown and Material read well: `-` bullets indented four spaces per
level, fenced code, `!!!` admonitions. join.py puts the rendered blocks together.
"""

from __future__ import annotations

import re
from typing import Iterator

from markdown.blockprocessors import ReferenceProcessor
from markdown.util import BLOCK_LEVEL_ELEMENTS
from markdown_it.common.html_re import HTML_OPEN_CLOSE_TAG_STR
from markdown_it.rules_block import StateBlock, reference
from markdown_it.rules_block.html_block import HTML_SEQUENCES
from markdown_it.token import Token

from ..footnotes import DEFINITION_START as FOOTNOTE_DEFINITION_START
from .inline import REREAD_LIMIT, repair_inline
from .join import Rendered, indent, join_rendered
from .lexer import ATTRIBUTE_LIST, BARE_PIPE, lex
from .link_targets import REFERENCE_LABEL
from .log import RepairLog
from .obsidian.block_ids import BLOCK_ID, drop_block_ids, escape_block_ids
from .details import (
    DEFAULT_TITLE, DETAILS_OPEN, DETAILS_STRAY as STRAY_CLOSER, element_text, summary_title,
)
from .obsidian.comments import escape_comment_markers_in_line
from .obsidian.callouts import CALLOUT, CalloutHead, admonition_header, read_callout
from .obsidian.embeds import MISSING_IMAGE_CLASS
from .obsidian.math import as_written_math
from .parse import PARSER, parse_once
from .prose import TAG, TAG_LINE
from .registry import (
    ADMONITION_FORMAT, ATTRIBUTE_BRACES, BLOCK_ESCAPE, CODE_FENCED, COMMENT_MARKER_ESCAPE, DETAILS_CLOSED, DETAILS_EMPTY,
    DETAILS_FOLDED, DETAILS_STRAY, EMPTY_LIST_ITEM, FENCE_CLOSED, FENCE_INFO, HTML_SANITISED, IMAGE_OWN_LINE,
    LIST_AFTER_PARAGRAPH, LIST_INDENT, LIST_MARKER, OBSIDIAN_CALLOUT, OBSIDIAN_LINE_BREAK, OBSIDIAN_TAGS, TABLE_CELLS,
)
from .sanitise import clean_html, escape_line_end_statements, sanitise_block_tag
from .tables import site_header
from .tree import Node, build_tree

_CLOSING_HASHES = re.compile(r"(?:^|\s)#+$")
_QUOTE_MARKER = re.compile(r"^\s{0,3}>\s?")
ADMONITION_INFO = re.compile(r'^\s*([\w-]+)(?:\s+"(.*)"|\s+(.*?))?\s*$')
_STANDALONE_IMAGE = re.compile(
    r"^(?:!\[(?:[^\]\\]|\\.)*\]\([^()\s]*\)(?:\{[^{}\n]*\})?|\*Image not available: (?:[^*\\]|\\.)*\*\{ \."
    + MISSING_IMAGE_CLASS + r" \})$"
)
LIST_TYPES = ("bullet_list", "ordered_list")
SINGLE_TAG = re.compile(HTML_OPEN_CLOSE_TAG_STR + r"$")
# A link reference definition's start (a footnote's too: markdown-it reads `[^1]: x` as one here).
DEFINITION_START = re.compile("^" + REFERENCE_LABEL)
# A line that opens a label and leaves it open: with the lines after it, it may be a definition too.
_OPEN_LABEL = re.compile(r"^\[[^\]]*$")
# The list and quote markers a line may start with (`- `, `2) `, `> `), each with its indentation.
CONTAINER_MARKER = r"(?:[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+|[ \t]*>[ \t]?)"
# The list and quote markers and indentation before a contained line's text.
CONTAINER_PREFIX = re.compile("^" + CONTAINER_MARKER + r"*[ \t]*")
# The same, matched from a given offset (after a `<details>` opener).
_CONTAINER_MARKERS = re.compile(CONTAINER_MARKER + r"*[ \t]*")
# A row's closing pipe (not an escaped one).
_BARE_PIPE_END = re.compile(r"(?<!\\)\|$")
# A table's delimiter row, which turns the line above into a header row.
_DELIMITER_ROW = re.compile(r"^\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
# Line starts that would make a paragraph line parse as another kind of block. Python-Markdown reads any line
# that starts with `#` as a heading (`#5 is…`, `#######`, `#tag`), where markdown-it and Obsidian read text, and
# takes a line `*[term]: text` away as an abbreviation's definition for the whole page, and `=== "Title"` as a tab.
BLOCK_START = re.compile(
    r"^(?:#|\*\[[^\\]*?\][ ]?:|={3}[+!]{0,2}[ \t]+\"|[-+*](?=[ \t]|$)|\d{1,9}(?=[.)](?:[ \t]|$))|>|~{3,}|=+[ \t]*$|(?:-[ \t]*)+$"
    r"|(?:\*[ \t]*){3,}$|(?:_[ \t]*){3,}$|!!!|\?\?\?|\|)"
)


# What attr_list reads as an element's attributes: braces that end a heading or table cell, opened after a space
# (attr_list takes the first such opening, and its text to the end); a block's last line of braces alone; and
# what the lexer (and so the sanitiser) reads as an attribute list.
_ATTRIBUTES_OPENING = re.compile(r"(?<=[ ])\{(?=:?[ ]*[^}\n ])")
_ATTRIBUTES_LINE = re.compile(r"[ ]*\{:?[ ]*[^}\n ][^\n]*\}[ ]*")
_ATTRIBUTE_LIST = re.compile(ATTRIBUTE_LIST)


def escape_attribute_braces(text: str, whole_line: bool = False, keep_lists: bool = True) -> str:
    """`text` (one line) with the braces that attr_list would take as attributes at its end escaped, unless they
    hold an attribute list and `keep_lists`; `whole_line`: a block's last line, taken only when it is braces
    alone."""
    end = len(text.rstrip(" "))
    if not text.endswith("}", 0, end):
        return text
    if whole_line:
        opening = len(text) - len(text.lstrip(" "))
        if not _ATTRIBUTES_LINE.fullmatch(text) or keep_lists and _ATTRIBUTE_LIST.fullmatch(text, opening, end):
            return text
        return text[:opening] + "\\" + text[opening:]
    escaped: list[int] = []
    # Each opening in turn would start the attributes once those before it are escaped; an attribute list can
    # only be the last pair of braces, so each check reads on to the next brace at most (linear in the text).
    for opening in _ATTRIBUTES_OPENING.finditer(text, 0, end):
        if keep_lists and _ATTRIBUTE_LIST.fullmatch(text, opening.start(), end):
            break
        escaped.append(opening.start())
    if not escaped:
        return text
    pieces, at = [], 0
    for position in escaped:
        pieces += [text[at:position], "\\"]
        at = position
    return "".join(pieces) + text[at:]


def escape_cell_braces(row: str) -> str:
    """A table row with escape_attribute_braces applied to each cell (cells with code spans are left as written)."""
    if "{" not in row:
        return row
    return "|".join(cell if "`" in cell else escape_attribute_braces(cell) for cell in BARE_PIPE.split(row))


def heading_text_as_written(text: str, log: RepairLog, line: int) -> str:
    """A heading's text made to read as written: a trailing run of `#` would close the heading, and braces at
    its end (an attribute list included) would become its id or classes; a heading is text in Obsidian and on
    the pages it is merged into."""
    if _CLOSING_HASHES.search(text):
        text = text[:-1] + "\\#"
    braced = escape_attribute_braces(text, keep_lists=False)
    if braced != text:
        log.repair(line, ATTRIBUTE_BRACES, text[-40:], braced[-41:])
    return braced


def _lines_inside_code_spans(lines: list[str]) -> set[int]:
    """The indexes of lines that start inside a code span running over several of the lines."""
    if not any(_STANDALONE_IMAGE.match(line) for line in lines) or not any("`" in line for line in lines):
        return set()  # most paragraphs: no image line, so nothing to lex
    return _starts_in_code("\n".join(lines), _line_starts(lines))


def _line_starts(lines: list[str]) -> list[int]:
    """The offset at which each of the lines starts once they are joined with line ends."""
    starts, at = [], 0
    for line in lines:
        starts.append(at)
        at += len(line) + 1
    return starts


LINE_BREAK = "<br>"
_ENDS_IN_BREAK = re.compile(r"<br\s*/?>\s*$", re.IGNORECASE)
_TRAILING_BACKSLASHES = re.compile(r"\\+$")


# A paragraph's first line that is only a label and colon: with a `<br>` after it, `[x]:<br>` would read
# as a link reference definition whose target is `<br>`.
_LABEL_ALONE = re.compile(r"^[ ]{0,3}" + REFERENCE_LABEL + r"[ \t]*$")


def with_line_breaks(lines: list[tuple[int, str]], log: RepairLog) -> str:
    """A paragraph's lines joined so that each line break shows, as Obsidian shows it (its default,
    "strict line breaks" off): a `<br>` ends every line but the last, where the break is between words.

    A break inside a code span, tag or template stays a space there; a CommonMark hard break
    (a trailing backslash) becomes the `<br>` it stands for. A line that is only an image gets none
    either side: it stays a line of its own, which the image rule looks for when the note is read again.
    """
    if len(lines) < 2:
        return "\n".join(text for _, text in lines)
    text = "\n".join(text for _, text in lines)
    inside = set()  # offsets of line breaks within a construct that a <br> would break
    at = 0
    for span in lex(text):
        if span.kind != "prose" and "\n" in span.text:
            inside.update(at + i for i, c in enumerate(span.text) if c == "\n")
        at += len(span.text)
    out = []
    at = 0
    for index, (number, line) in enumerate(lines):
        at += len(line)
        if index < len(lines) - 1 and at not in inside and not _ENDS_IN_BREAK.search(line) \
                and not _STANDALONE_IMAGE.match(line) and not _STANDALONE_IMAGE.match(lines[index + 1][1]) \
                and not (index == 0 and _LABEL_ALONE.match(line)) \
                and not FOOTNOTE_DEFINITION_START.match(lines[index + 1][1]):
            backslashes = _TRAILING_BACKSLASHES.search(line)
            shown = line[:-1] if backslashes and len(backslashes.group(0)) % 2 else line
            log.repair(number, OBSIDIAN_LINE_BREAK, line[-20:], shown[-20:] + LINE_BREAK)
            line = shown + LINE_BREAK
        out.append(line)
        at += 1
    return "\n".join(out)


def _statements_escaped(kept: list[tuple[int, str]], repaired: list[str], log: RepairLog) -> None:
    """Escape, in place, a template statement that a dropped block id left last on its line (the inline repairs
    escaped those that ended it before)."""
    for index, ((number, _), text) in enumerate(zip(kept, repaired)):
        escaped = escape_line_end_statements(text)
        if escaped != text:
            log.repair(number, ATTRIBUTE_BRACES, text[:40], escaped[:41])
            repaired[index] = escaped


def _last_line_braces_escaped(number: int, text: str, log: RepairLog) -> str:
    """A paragraph's last line (not its first) with braces alone on it escaped, unless they hold an attribute
    list: Python-Markdown takes such a line away as the paragraph's attributes."""
    if "{" not in text:
        return text
    braced = escape_attribute_braces(text, whole_line=True)
    if braced != text:
        log.repair(number, ATTRIBUTE_BRACES, text[:40], braced[:41])
    return braced


# A link reference definition as Python-Markdown reads one: at the start of any line of a block.
_PYTHON_MARKDOWN_DEFINITION = ReferenceProcessor.RE


# A line that def_list reads as a definition: its terms are the lines above, or the paragraph before.
_DEFINITION_LIST_LINE = re.compile(r"[ ]{0,3}:[ ]")


def _kept_from_python_markdown_definitions(text: str, lines: list[tuple[int, str]], log: RepairLog) -> str:
    """A paragraph's text with each line that Python-Markdown would read as a definition kept as text, as CommonMark
    and Obsidian show it: a link reference definition after the first line (`[b]: https://…` under a line of text,
    which cannot interrupt a paragraph), and a definition list's (`: text`; Obsidian has none). Its colon is written
    as a character reference, or, inside a code span (where that would show as written), the line is indented."""
    if ":" not in text:
        return text
    shown = text.split("\n")
    starts = _line_starts(shown)
    colons: dict[int, int] = {}  # line index -> where on the line the colon to keep stands
    if "]:" in text:
        for index in range(1, len(shown)):
            if shown[index].lstrip(" ")[:1] == "[" and (
                    definition := _PYTHON_MARKDOWN_DEFINITION.match(text, starts[index])) \
                    and not definition.group(1).startswith("^"):  # a footnote's: the footnote rules' business
                colons[index] = definition.end(1) + 1 - starts[index]
    for index, line in enumerate(shown):
        if _DEFINITION_LIST_LINE.match(line):
            colons[index] = line.index(":")
    if not colons:
        return text
    in_code = _starts_in_code(text, starts) if len(shown) > 1 else set()
    for index, colon in sorted(colons.items()):
        if index in in_code:
            # Indented, the code shows the same (a paragraph's lines lose their indentation when read), and the
            # next reading indents it again: no repair to log.
            shown[index] = "    " + shown[index]
        else:
            # The colon as a character reference: an escaped `[` would let a `[` left open on a line above read
            # on as a label over both lines, and a backslash before a colon shows.
            kept = shown[index][:colon] + "&#58;" + shown[index][colon + 1:]
            log.repair(lines[index][0], BLOCK_ESCAPE, shown[index][:colon + 1], kept[:colon + 5])
            shown[index] = kept
    return "\n".join(shown)


def _starts_in_code(text: str, starts: list[int]) -> set[int]:
    """The indexes of the lines (starting at `starts`) that start inside a code span of the text."""
    inside: set[int] = set()
    at = line = 0
    for span in lex(text):
        end = at + len(span.text)
        while line < len(starts) and starts[line] <= at:
            line += 1
        if span.kind == "code":
            while line < len(starts) and starts[line] < end:
                inside.add(line)
                line += 1
        at = end
    return inside


# Where a formula stood while the rest of an HTML block went through nh3 (private-use characters around its number).
_FORMULA_MARK = re.compile("\ue000(\\d+)\ue001")


def _clean_html_block(text: str) -> str:
    """An HTML block through nh3 (its MathML through the math cleaner, as inline), one tag per line as written,
    text-only results wrapped in <p>."""
    formulas: list[str] = []
    if "<math" in text and "\ue000" not in text:
        # nh3 would drop MathML with its text: set aside, each formula goes back cleaned as math is.
        pieces = []
        for span in lex(text):
            if span.kind == "math" and not span.text.startswith("$"):
                pieces.append(f"\ue000{len(formulas)}\ue001")
                formulas.append(span.text)
            else:
                pieces.append(span.text)
        text = "".join(pieces)
    # nh3 writes a no-break space as "&nbsp;", which would stop the line reading as a lone tag next time.
    cleaned = clean_html(text).replace("&nbsp;", "\u00a0").strip()
    if formulas:
        cleaned = _FORMULA_MARK.sub(lambda mark: as_written_math(formulas[int(mark.group(1))]), cleaned)
    cleaned = _html_lines(cleaned, cleaned)
    if cleaned and not cleaned.startswith("<"):
        # Only text was left; wrapped, it stays the literal HTML text it was, not new Markdown.
        cleaned = f"<p>{cleaned}</p>"
    return cleaned


def _settled_html_block(text: str) -> str:
    """An HTML block of more than a lone tag sanitised (see _clean_html_block) until sanitising moves nothing."""
    cleaned = _clean_html_block(text)
    for _ in range(REREAD_LIMIT):
        # The HTML parser moves what a wrapping <p> cannot hold (`<p># <div></div></p>`):
        # cleaned again until nothing moves, as a second pass would.
        again = _clean_html_block(cleaned)
        if again == cleaned:
            break
        cleaned = again
    return cleaned


def paragraph_once_sanitised(html_block: str) -> str | None:
    """The paragraph text an HTML block becomes once sanitised (inline tags left once a script before them is
    gone), or None when it stays raw HTML."""
    if SINGLE_TAG.match(html_block.strip()):
        return None
    cleaned = _settled_html_block(html_block)
    return cleaned if _parsed_kinds(cleaned) == ["paragraph_open", "inline", "paragraph_close"] else None


def _html_lines(html_text: str, sanitised: str) -> str:
    """The non-blank lines of HTML, unindented unless the sanitised block has a <pre> or <textarea>."""
    # Indentation means nothing to HTML (outside <pre>) but would shift inside list items.
    keep_indent = "<pre" in sanitised.lower() or "<textarea" in sanitised.lower()
    return "\n".join(line.rstrip() if keep_indent else line.strip() for line in html_text.split("\n") if line.strip())


_FIRST_TAG = re.compile(r"[ \t]*</?([A-Za-z][A-Za-z0-9-]*)")


def _read_as_paragraph_by_python_markdown(html_block: str) -> bool:
    """Whether Python-Markdown reads an HTML block as paragraph text: it starts with a tag of no block-level element."""
    first = _FIRST_TAG.match(html_block)
    return first is not None and first.group(1).lower() not in BLOCK_LEVEL_ELEMENTS


def _starts_html_block(line: str) -> bool:
    """Whether a line at the margin would start an HTML block, even in the middle of a paragraph."""
    return any(interrupts and opening.search(line) for opening, _, interrupts in HTML_SEQUENCES)


def starts_with_definition(lines: list[str]) -> bool:
    """Whether markdown-it reads the first of these lines as (the start of) a link reference definition."""
    tokens = parse_once("\n".join(lines))
    return not tokens or bool(tokens[0].map and tokens[0].map[0] > 0)


# The block rules markdown-it tries on a line before the one for link reference definitions.
_RULES_BEFORE_DEFINITIONS = PARSER.block.ruler.getRules("")[:PARSER.block.ruler.getRules("").index(reference)]


class DefinitionStarts:
    """Whether markdown-it would read line i of a text as the start of a link reference definition if a
    block started there: starts_with_definition(lines[i:]), from one reading of the lines."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self._state: StateBlock | None = None

    def __call__(self, line: int) -> bool:
        # Parsing the lines from each one asked about cost the square of a paragraph of many such lines.
        # The rules read only forward from the line they try, so one state of all the lines answers for
        # each line what a parse of the lines from it would start with.
        if self._state is None:
            self._state = StateBlock("\n".join(self.lines), PARSER, {}, [])
        state = self._state
        return not any(rule(state, line, state.lineMax, True) for rule in _RULES_BEFORE_DEFINITIONS) \
            and reference(state, line, state.lineMax, True)


# The end of an abbreviation's term (`]:`), which Python-Markdown looks for from a line's `*[` across the
# paragraph's lines until a backslash.
_TERM_END = re.compile(r"\][ ]?:")


def abbreviation_starts(lines: list[str]) -> set[int]:
    """The lines of a paragraph that start an abbreviation's definition (`*[term]: text`) as Python-Markdown reads
    one: its term may hold brackets and run over the lines after it, up to the first `]:` before any backslash,
    and the definition takes every line it spans off the page."""
    reaches_end: list[bool] = [False] * (len(lines) + 1)  # a scan from this line's start finds `]:` first
    for number in range(len(lines) - 1, -1, -1):
        reaches_end[number] = _term_end_first(lines[number], reaches_end[number + 1])
    return {number for number, line in enumerate(lines)
            if line.startswith("*[") and _term_end_first(line[2:], reaches_end[number + 1])}


def _term_end_first(text: str, after: bool) -> bool:
    """Whether a scan of `text` meets a term's end before a backslash (else whether the lines after it do)."""
    end = _TERM_END.search(text)
    backslash = text.find("\\")
    if end is not None and (backslash == -1 or end.start() < backslash):
        return True
    return after if backslash == -1 else False


def contained_text(line: str) -> str:
    """A line's Markdown text after its list and quote markers and as a `<details>` element on it reads it."""
    return element_text(CONTAINER_PREFIX.sub("", line, count=1), _CONTAINER_MARKERS)


def escape_block_start(line: str) -> str:
    """Backslash-escape the character that would turn a paragraph line into another block."""
    match = BLOCK_START.match(line)
    if not match:
        return "\\" + line if line.startswith("```") else line
    at = match.end() if line[:1].isdigit() else 0
    return line[:at] + "\\" + line[at:]



_FENCE_LIKE = re.compile(r"^`{3,}[^`]*$")


def one_line(text: str) -> str:
    """The lines of a (setext) heading's text as the one line it is written on from now on."""
    return " ".join(part for part in (line.strip(" \t") for line in text.split("\n")) if part)


def _parsed_kinds(text: str) -> list[str]:
    return [token.type for token in parse_once(text)]


def fence_for(content: str, preferred: str = "```") -> str:
    """A fence of the preferred character, longer than any run of that character inside the content."""
    character = "~" if preferred.startswith("~") else "`"
    longest = max((len(run) for run in re.findall(re.escape(character) + "+", content)), default=0)
    return character * max(3, longest + 1, len(preferred))


# What the site's fences (pymdownx.superfences with highlight) read after the fence: a language, then only the
# options they know, or `{ attributes }`; anything else turns the whole fence into text.
_FENCE_LANGUAGE = re.compile(r"[\w#.+-]+")
_FENCE_OPTION = re.compile(r"""(?:title|hl_lines|linenums)=(?:"[^"]*"|'[^']*')""")


def fence_info(info: str) -> str:
    """A fence's info string as the site's fences accept it: unchanged when they do, else its language alone."""
    if not info or info.startswith("{"):
        return info
    language, *options = info.split(None, 1)
    if not _FENCE_LANGUAGE.fullmatch(language):
        return ""
    rest = options[0] if options else ""
    if all(_FENCE_OPTION.fullmatch(option) for option in re.findall(r"""\S+=(?:"[^"]*"|'[^']*')|\S+""", rest)):
        return info
    return language


def _runs(nodes: list[Node]) -> list[list[Node]]:
    """Nodes in order, each list on its own and the other nodes between lists together."""
    runs: list[list[Node]] = []
    for node in nodes:
        if node.type in LIST_TYPES or not runs or runs[-1][0].type in LIST_TYPES:
            runs.append([node])
        else:
            runs[-1].append(node)
    return runs


def _admonition(header: str, body: list[Rendered], line: int) -> Rendered:
    """An admonition block: its first line, then its body indented four spaces."""
    text = join_rendered(body)
    return Rendered("admonition", header + ("\n" + indent(text, "    ") if text else ""), line)


class BlockRenderer:
    """Renders the blocks of one note; repairs go to the note's log through `unit`s."""

    def __init__(self, source_lines: list[str], unit_factory):
        self.source = source_lines
        self.unit = unit_factory
        self.admonition_depth = 0  # `!!!` admonitions being rendered around the current block
        self.rereading = False  # rendering text that a repair turned from one kind of block into another

    # -- prose ---------------------------------------------------------------------------------

    def prose(self, lines: list[tuple[int, str]], in_table: bool = False, inline_only: bool = False) -> list[str]:
        """Repair the inline text of consecutive lines; returns the same number of lines."""
        unit = self.unit([number for number, _ in lines])
        unit.in_table = in_table
        unit.inline_only = inline_only
        repaired = repair_inline("\n".join(text.strip(" \t") for _, text in lines), unit)
        return [line.strip() for line in repaired.split("\n")]

    def paragraph_lines(self, node: Node) -> list[tuple[int, str]]:
        """The content lines of a paragraph with their parsed-text line numbers."""
        inline = node.children[0].token if node.children else None
        content = inline.content if inline is not None else ""
        start = node.map[0]
        return [(start + i, text) for i, text in enumerate(content.split("\n"))]

    def _as_written(self, number: int, parsed: str) -> str:
        """A paragraph line as its source writes it after its list and quote markers (`parsed`, markdown-it's text
        of it, when the line is not in the source): markdown-it strips a first line's leading no-break space."""
        if number >= len(self.source):
            return parsed
        line = self.source[number]
        return line[CONTAINER_PREFIX.match(line).end():]

    def paragraph(self, lines: list[tuple[int, str]]) -> list[Rendered]:
        """A paragraph: tag-only lines become page tags, a line that is only an image becomes its own block."""
        kept: list[tuple[int, str]] = []
        log = self.unit([0]).log
        for number, text in lines:
            if TAG_LINE.match(text.strip()):
                log.tags.extend(m.group(1) for m in TAG.finditer(text))
                log.repair(number, OBSIDIAN_TAGS, text.strip(), "")
            else:
                kept.append((number, text))
        if not kept:
            return []
        # An id already at the end is kept out of the inline repairs, which would read `^a--b` as words
        # and a dash; it is dropped after them, as is an id that they bring to the end (a dropped tag after it).
        trailing_id = BLOCK_ID.search(kept[-1][1])
        if trailing_id is None:
            repaired = self.prose(kept)
        else:
            repaired = self.prose([*kept[:-1], (kept[-1][0], kept[-1][1][: trailing_id.start()])])
            repaired[-1] = (repaired[-1] + kept[-1][1][trailing_id.start():]).strip(" \t")
        drop_block_ids([number for number, _ in kept], repaired, log)
        _statements_escaped(kept, repaired, log)
        # A `%%` left in the text pairs with none (the prose rules dropped each pair as a comment); the comment rule
        # escaped those it read as text, and a line it read as code (under a definition a repair made text) is text.
        repaired = [self._comment_markers_escaped(number, text) for (number, _), text in zip(kept, repaired)]
        for _ in range(REREAD_LIMIT):
            unspanned = False
            abbreviations = abbreviation_starts(repaired)
            # Whether any line before a line has text, as its index against the first that has (the escapes
            # below change no line's emptiness): slicing the lines before each one cost the square of them.
            first_text = next((index for index, text in enumerate(repaired) if text), len(repaired))
            for index, ((number, original), text) in enumerate(zip(kept, repaired)):
                if BLOCK_START.match(text) or _FENCE_LIKE.match(text) or index in abbreviations:
                    # markdown-it read this line as paragraph text; escaped, it cannot become another
                    # block after a repair (say, a dropped tag) or in Python-Markdown. A backtick run
                    # is escaped only when a repair put it first or it would open a fence (markdown-it
                    # kept it text only for a character it strips, such as a leading no-break space):
                    # escaping it otherwise would undo code spans.
                    repaired[index] = "\\" + text if index in abbreviations else escape_block_start(text)
                    log.repair(number, BLOCK_ESCAPE, text[:20], repaired[index][:21])
                    unspanned = unspanned or text.startswith("``")
                elif FOOTNOTE_DEFINITION_START.match(text) and not FOOTNOTE_DEFINITION_START.match(
                        self._as_written(number, original)):
                    # Paragraph text that a repair (or markdown-it's stripping a no-break space before it) made a
                    # footnote definition's start: Python-Markdown would read one on any line of the paragraph.
                    repaired[index] = "\\" + text
                    log.repair(number, BLOCK_ESCAPE, text[:20], repaired[index][:21])
                elif text.startswith("<") and index > first_text and _starts_html_block(text):
                    # Raw HTML that continued the paragraph only because it was indented: kept
                    # indented, it stays inline HTML instead of starting an HTML block.
                    repaired[index] = "    " + text
                elif index > 0 and "|" in text and _DELIMITER_ROW.match(text):
                    # A table's delimiter row under the line before (a repair, say a dropped no-break
                    # space, can make one): `\-` keeps it text here and in Python-Markdown.
                    dash = text.index("-")
                    repaired[index] = text[:dash] + "\\" + text[dash:]
                    log.repair(number, BLOCK_ESCAPE, text[:20], repaired[index][:21])
            # After the escapes above: whether a line starts a definition depends on the lines after it
            # (emptied lines go), which the loop below does not change.
            with_text = [index for index, text in enumerate(repaired) if text]
            starts_definition = DefinitionStarts([repaired[index] for index in with_text])
            line_of = {index: line for line, index in enumerate(with_text)}
            for index, ((number, _), text) in enumerate(zip(kept, repaired)):
                if (DEFINITION_START.match(text) or _OPEN_LABEL.match(text)) and (
                    index <= first_text or _STANDALONE_IMAGE.match(repaired[index - 1])
                ) and starts_definition(line_of[index]):
                    # Paragraph text that starts a paragraph (a callout's body, the line after an
                    # image given its own block or after lines that repairs emptied) and, as it is
                    # now, would read as a link reference definition (a repair changed it, or
                    # markdown-it stripped a no-break space before it).
                    repaired[index] = "\\" + text
                    log.repair(number, BLOCK_ESCAPE, text[:20], repaired[index][:21])
            if not unspanned:
                break
            repaired = self._reread(kept, repaired, log)
        with_text = [index for index, text in enumerate(repaired) if text]
        if len(with_text) > 1:
            last = with_text[-1]
            braced = _last_line_braces_escaped(kept[last][0], repaired[last], log)
            if braced != repaired[last]:
                repaired[last] = braced
                # The escape makes text of what was markup (a template's `{{`), which the prose rules read
                # with the words around it, as a second pass would.
                repaired = self._reread(kept, repaired, log)
        out: list[Rendered] = []
        group: list[tuple[int, str]] = []
        # A line right after an image line would start its own block; raw HTML there would parse differently.
        splittable = not any(
            _STANDALONE_IMAGE.match(a) and b.startswith("<") for a, b in zip(repaired, repaired[1:])
        )
        groups: list[list[tuple[int, str]]] = []
        in_code = _lines_inside_code_spans(repaired) if len(kept) > 1 else set()
        for index, ((number, _), text) in enumerate(zip(kept, repaired)):
            if _STANDALONE_IMAGE.match(text) and len(kept) > 1 and splittable and index not in in_code:
                if group:
                    groups.append(group)
                    out.append(Rendered("paragraph", "", group[0][0]))
                    group = []
                log.repair(number, IMAGE_OWN_LINE, text[:40], "(own paragraph)")
                out.append(Rendered("image", text, number))
            elif text:
                group.append((number, text))
        if group:
            groups.append(group)
            out.append(Rendered("paragraph", "", group[0][0]))
        split = len(out) > len(groups)
        texts = iter(groups)
        for block in out:
            if block.kind == "paragraph" and not block.markdown:
                lines = next(texts)
                if split:
                    # Each piece is a paragraph of its own now; what spans the whole paragraph (an
                    # unpaired `**`, say) is judged again for the piece, as a second pass would.
                    lines = self._reread_piece(lines, log)
                    if lines and (block_id := BLOCK_ID.search(lines[-1][1])):
                        # Text that only the split made a block's end: an id there is not one, in
                        # Obsidian or on a second pass.
                        number, text = lines[-1]
                        escaped = escape_block_ids(text, block_id)
                        log.repair(number, BLOCK_ESCAPE, text[-20:], escaped[-21:])
                        lines[-1] = (number, escaped)
                    if len(lines) > 1 and (braced := _last_line_braces_escaped(*lines[-1], log)) != lines[-1][1]:
                        # Braces alone on a line that only the split made a piece's last, as above.
                        lines[-1] = (lines[-1][0], braced)
                        lines = self._reread_piece(lines, log)
                    # Raw HTML that continues the piece stays indented, as in a whole paragraph.
                    lines = [(number, "    " + text if i and _starts_html_block(text) else text)
                             for i, (number, text) in enumerate(lines)]
                block.markdown = _kept_from_python_markdown_definitions(with_line_breaks(lines, log), lines, log)
        out = [block for block in out if block.markdown]
        if len(out) == 1 and _STANDALONE_IMAGE.match(out[0].markdown):
            out[0].kind = "image"
        if not self.rereading and any(r.kind == "paragraph" and r.markdown.startswith("<") for r in out):
            out = [block for r in out for block in self._as_html(r)]
        return out

    def _as_html(self, rendered: Rendered) -> list[Rendered]:
        """A paragraph whose first line now starts an HTML block (a lazy line of a callout, say), as that block.

        Written first in its own paragraph, the line is read as raw HTML next time; it is sanitised
        as raw HTML now, the way a second pass would.
        """
        if rendered.kind != "paragraph" or not rendered.markdown.startswith("<"):
            return [rendered]
        tokens = parse_once(rendered.markdown)
        count = rendered.markdown.count("\n") + 1
        if tokens and tokens[0].type == STRAY_CLOSER:
            return self._without_stray_closer(rendered)
        if tokens and tokens[0].type == DETAILS_OPEN:
            return self._as_blocks(tokens, rendered.line)
        if len(tokens) != 1 or tokens[0].type != "html_block":
            return [rendered]
        token = tokens[0]
        copy = Token("html_block", "", 0, content=token.content, map=[rendered.line, rendered.line + count])
        self.rereading = True
        try:
            return self.html(Node("html_block", copy))
        finally:
            self.rereading = False

    def _without_stray_closer(self, rendered: Rendered) -> list[Rendered]:
        """A paragraph whose first line is now a `</details>` closing nothing (a leftover gone from before it),
        without that line, as a second pass would read it."""
        closer, _, rest = rendered.markdown.partition("\n")
        self.unit([rendered.line]).log.repair(rendered.line, DETAILS_STRAY, closer.strip(), "")
        if not rest:
            return []
        return self._as_html(Rendered("paragraph", rest, rendered.line + 1))

    def _as_blocks(self, tokens: list[Token], line: int) -> list[Rendered]:
        """A paragraph that now starts with a `<details>` element (a leftover or a no-break space gone from before
        its opener), as the blocks a second pass reads there: the element folded, and what follows its closer."""
        for token in tokens:
            if token.map:
                token.map = [token.map[0] + line, token.map[1] + line]
        self.rereading = True
        try:
            return self.blocks(build_tree(tokens), 0)
        finally:
            self.rereading = False

    def _reread_piece(self, lines: list[tuple[int, str]], log) -> list[tuple[int, str]]:
        """A piece of a split paragraph repaired again, as a second pass would read it; lines it empties go."""
        with log.second_reading():
            again = self.prose(lines)
        return [(number, text) for (number, _), text in zip(lines, again) if text]

    def _reread(self, kept: list[tuple[int, str]], repaired: list[str], log) -> list[str]:
        """Repair the paragraph's text again after an escape undid a construct (a code span, a template).

        The words that the span kept as code are prose now, as a second pass would read them; only
        what this new reading changes or finds is added to the log.
        """
        with log.second_reading():
            return self.prose([(number, text) for (number, _), text in zip(kept, repaired)])

    # -- single blocks -------------------------------------------------------------------------

    def code(self, node: Node) -> Rendered:
        """Fenced code stays byte for byte; indented code is fenced so that it cannot join a list."""
        token = node.token
        content = token.content
        if content and not content.endswith("\n"):
            content += "\n"
        if node.type == "code_block":
            fence = fence_for(content)
            self.unit([node.map[0]]).log.repair(node.map[0], CODE_FENCED, "    (indented code)", fence)
            return Rendered("code", f"{fence}\n{content}{fence}", node.map[0])
        fence = fence_for(content, token.markup)
        last = self.source[node.map[1] - 1].strip().lstrip(" \t>") if node.map[1] - 1 < len(self.source) else ""
        closed = node.map[1] - node.map[0] >= 2 and last.startswith(token.markup[0] * len(token.markup)) and not last.strip(token.markup[0])
        if not closed:
            self.unit([node.map[0]]).log.repair(node.map[0], FENCE_CLOSED, token.markup, f"{token.markup} … {fence}")
        info = token.info.strip()
        kept = fence_info(info)
        if kept != info:
            self.unit([node.map[0]]).log.repair(node.map[0], FENCE_INFO, info, kept)
            info = kept
        if info[:1] == fence[0]:
            info = " " + info  # written against the fence, it would lengthen the fence
        return Rendered("code", f"{fence}{info}\n{content}{fence}", node.map[0])

    def table(self, node: Node, quote_depth: int) -> Rendered:
        """A table keeps its source rows (extra cells included); cells get inline repairs."""
        start, end = node.map
        rows: list[str] = []
        for number in range(start, end):
            text = self.source[number] if number < len(self.source) else ""
            for _ in range(quote_depth):
                text = _QUOTE_MARKER.sub("", text, count=1)
            text = text.strip()
            if number == start + 1:
                rows.append(text)
                continue
            row = self.prose([(number, text)], in_table=True)[0]
            if number > start + 1 and not row:
                continue  # a body row that repairs emptied would end the table next time
            if row != text:
                # An emptied first or last cell leaves a pipe at the row's edge, where it would read
                # as the row's outer pipe and the cells would shift: the empty cell is kept.
                if row.startswith("|") and not text.startswith("|"):
                    row = "| " + row
                if _BARE_PIPE_END.search(row) and not _BARE_PIPE_END.search(text):
                    row = row + " |"
            braced = escape_cell_braces(row)
            if braced != row:
                self.unit([number]).log.repair(number, ATTRIBUTE_BRACES, row[-40:], braced[-41:])
                row = braced
            if number > start + 1 and BLOCK_START.match(row) and (
                "|" not in row or (row != text and not row.startswith("|"))
            ):
                # A row without a pipe would start another block, and so would one that a repair
                # made start like one (`##\u00a0|` is a row, `##  |` a heading that ends the table).
                escaped = escape_block_start(row)
                self.unit([number]).log.repair(number, BLOCK_ESCAPE, row[:20], escaped[:21])
                row = escaped
            rows.append(row)
        read = site_header(rows[0], rows[1], rows[2:])
        if read.changed:
            self.unit([start]).log.repair(start, TABLE_CELLS, rows[0][:40], read.header[:41])
            rows[:2] = [read.header, read.delimiter]
        return Rendered("table", "\n".join(rows), start)

    def html(self, node: Node) -> list[Rendered]:
        """Raw HTML is sanitised with nh3: no scripts, event handlers or javascript: URLs."""
        original = node.token.content.strip("\n")
        lone = SINGLE_TAG.match(original.strip()) is not None
        if lone:
            # One lone tag (the opening half of inline HTML): check it the way inline tags are checked.
            cleaned = sanitise_block_tag(original.strip(), self.unit([node.map[0]]).ctx.tag_cache)
        else:
            cleaned = _settled_html_block(original)
        comparable = _html_lines(original, cleaned)
        if cleaned != comparable:
            kinds = _parsed_kinds(cleaned) if cleaned else []
            paragraph = kinds == ["paragraph_open", "inline", "paragraph_close"]
            if kinds and kinds != ["html_block"] and not lone and (self.rereading or not paragraph):
                # What is left reads as several blocks (an inline tag, then a `#` line, say): inside
                # one div it stays the single HTML block it was. A lone tag is one tag (a `<details>`
                # too deep to be read as an element stays one).
                cleaned = f"<div>\n{cleaned}\n</div>"
            self.unit([node.map[0]]).log.repair(node.map[0], HTML_SANITISED, original, cleaned)
            if paragraph and not self.rereading:
                # What is left (say, inline tags once a script before them is gone) is no HTML block
                # any more but paragraph text: repaired as one now, as a second pass would read it.
                self.rereading = True
                try:
                    lines = [(node.map[0], self._comment_markers_escaped(node.map[0], line))
                             for line in cleaned.split("\n")]
                    return self.paragraph(lines)
                finally:
                    self.rereading = False
        if not cleaned:
            return []
        if "\n" in cleaned and _read_as_paragraph_by_python_markdown(cleaned):
            # An HTML block that starts with an inline tag (`<br>` alone on a line) runs to a blank line in
            # CommonMark, its lines shown as written; Python-Markdown reads it as a paragraph, and took a
            # definition line in it away (a footnote's stopped the page). Inside a div it stays raw HTML.
            cleaned = f"<div>\n{cleaned}\n</div>"
        return [Rendered("html", cleaned, node.map[0])]

    def _comment_markers_escaped(self, number: int, line: str) -> str:
        """A line of paragraph text with its `%%` escaped, as the comment rule escapes one in text (one that it
        read as raw HTML or code had been out of that rule's reach)."""
        escaped = escape_comment_markers_in_line(line)
        if escaped != line:
            self.unit([number]).log.repair(number, COMMENT_MARKER_ESCAPE, line.strip(), escaped.strip())
        return escaped

    def rule_line(self, node: Node) -> Rendered:
        """A horizontal rule is always `***` (`---` could read as a list item's dash or a setext underline)."""
        return Rendered("rule", "***", node.map[0])

    # -- containers ----------------------------------------------------------------------------

    def quote(self, node: Node, quote_depth: int) -> list[Rendered]:
        """A block quote, or an Obsidian callout turned into a Material admonition."""
        first = node.children[0] if node.children else None
        if first is not None and first.type == "paragraph":
            lines = self.paragraph_lines(first)
            callout = read_callout(lines[0][1].strip())
            if callout is not None:
                return [self.callout(node, callout, lines, quote_depth)]
        inner = join_rendered(self.blocks(node.children, quote_depth + 1))
        if not inner:
            return []
        if CALLOUT.match(inner.split("\n", 1)[0]):
            # Not a callout where it stood (something came first); keep it from becoming one next time.
            inner = "\\" + inner
        quoted = "\n".join(f"> {line}" if line else ">" for line in inner.split("\n"))
        return [Rendered("quote", quoted, node.map[0])]

    def callout(self, node: Node, callout: CalloutHead, lines, quote_depth: int) -> Rendered:
        """`> [!type]± Title` plus body -> `!!! type "Title"` (or `???`/`???+` when foldable)."""
        if callout.title.strip():
            title = self.prose([(lines[0][0], callout.title)], inline_only=True)[0]
        else:
            title = callout.untitled()
        body: list[Rendered] = []
        if len(lines) > 1:
            # These lines continued the title's paragraph; on their own they must stay text.
            body.extend(self.paragraph(lines[1:]))
        body.extend(self.blocks(node.children[1:], quote_depth + 1))
        header = callout.header(title)
        self.unit([node.map[0]]).log.repair(node.map[0], OBSIDIAN_CALLOUT, lines[0][1].strip()[:60], header)
        return _admonition(header, body, node.map[0])

    def admonition(self, node: Node, quote_depth: int) -> Rendered:
        """A `!!!`/`???` admonition already in the notes: title repaired, body rendered like any other."""
        info = ADMONITION_INFO.match(node.token.info)
        if info is None:  # no type first (`!!! #1 tip`): a note, whose title is the text as written
            kind, title_text = "note", node.token.info.strip()
        else:
            kind = info.group(1).lower()
            title_text = info.group(2) if info.group(2) is not None else (info.group(3) or "")
        title = self.prose([(node.map[0], title_text)], inline_only=True)[0] if title_text.strip() else ""
        header = admonition_header(node.token.markup, kind, title)
        source = self.source[node.map[0]] if node.map[0] < len(self.source) else header
        original = source[source.find(node.token.markup):].strip() if node.token.markup in source else header
        if original != header:
            self.unit([node.map[0]]).log.repair(node.map[0], ADMONITION_FORMAT, original, header)
        body = [child for child in node.children if child.type != "admonition_title"]
        return _admonition(header, self.admonition_body(body, quote_depth), node.map[0])

    def admonition_body(self, nodes: list[Node], quote_depth: int) -> list[Rendered]:
        """The blocks of an admonition's body, rendered like any other."""
        self.admonition_depth += 1
        try:
            return self.blocks(nodes, quote_depth)
        finally:
            self.admonition_depth -= 1

    def details(self, node: Node, quote_depth: int) -> list[Rendered]:
        """A `<details>` element (see details.py) -> `??? note "Summary"`, `???+` when open: the admonition
        Material folds the same way, with the content rendered as Markdown like any other; none for an element
        with no summary and nothing in it to show."""
        token = node.token
        log = self.unit([node.map[0]]).log
        title = summary_title(token.info) if token.meta["summary"] else ""
        if title:
            title = self.prose([(node.map[0], title)], inline_only=True)[0]
        header = admonition_header(token.markup, "note", title or DEFAULT_TITLE)
        opening = self.source[node.map[0]].strip() if node.map[0] < len(self.source) else token.markup
        body = self.admonition_body(node.children, quote_depth)
        if not title and not join_rendered(body):
            log.repair(node.map[0], DETAILS_EMPTY, opening[:60], "")
            return []
        log.repair(node.map[0], DETAILS_FOLDED, opening[:60], header)
        if not token.meta["closed"]:
            log.repair(node.map[1] - 1, DETAILS_CLOSED, "(no </details>)", "</details>")
        return [_admonition(header, body, node.map[0])]

    def list_items(self, node: Node, depth: int, quote_depth: int) -> list[Rendered]:
        """Every list item becomes its own block with its depth; nested items follow as blocks, and so
        does what the item holds after a nested list (an answer after its options), in its place."""
        out: list[Rendered] = []
        # Lists whose items are still to render, and runs of an item's blocks after a nested list (parent None).
        stack: list[tuple[Iterator[Node], Node | None, int]] = [(iter(node.children), node, depth)]
        while stack:
            items, parent, level = stack[-1]
            if parent is None:
                stack.pop()
                for rendered in self.blocks(list(items), quote_depth):
                    rendered.depth = level  # at the item's content column (join_rendered indents it)
                    out.append(rendered)
                continue
            item = next(items, None)
            if item is None:
                stack.pop()
                continue
            first_list = next((i for i, c in enumerate(item.children) if c.type in LIST_TYPES), len(item.children))
            own, later = item.children[:first_list], item.children[first_list:]
            marker = self.marker(parent, item, level, quote_depth)
            rendered = self.blocks(own, quote_depth) if own else []
            text = join_rendered(rendered)
            if text:
                first, _, rest = text.partition("\n")
                # Code right after the marker must start at the four-space content column, or
                # markdown-it would keep the continuation indent inside the code. (The first block
                # rendered counts: a block before it, say a tag line, may have rendered to nothing.)
                gap = " " * max(1, 4 - len(marker)) if rendered[0].kind == "code" else " "
                body = marker + gap + first + ("\n" + indent(rest, "    ") if rest else "")
                out.append(Rendered("list_item", body, item.map[0], level))
                child_level = level + 1
            else:
                self.unit([item.map[0]]).log.repair(item.map[0], EMPTY_LIST_ITEM, marker, "")
                child_level = level
            for run in reversed(_runs(later)):
                if run[0].type in LIST_TYPES:
                    stack.append((iter(run[0].children), run[0], child_level))
                else:
                    stack.append((iter(run), None, child_level))
        return out

    def marker(self, parent: Node, item: Node, level: int, quote_depth: int) -> str:
        """`-` for bullets, `N.` for numbered items; logs marker and indentation changes."""
        log = self.unit([item.map[0]]).log
        if parent.type == "bullet_list":
            marker = "-"
        else:
            marker = f"{item.token.info or '1'}."
        original = item.token.markup
        if original not in ("-", "."):
            log.repair(item.map[0], LIST_MARKER, original, marker[-1])
        # Inside a quote or an admonition the source indent includes the container's own; the
        # container is written in the one form anyway, so only free-standing lists are checked.
        if quote_depth == 0 and self.admonition_depth == 0 and item.map[0] < len(self.source):
            source = self.source[item.map[0]]
            leading = source[: len(source) - len(source.lstrip(" \t"))]
            if leading != "    " * level and not source.lstrip().startswith(">"):
                log.repair(item.map[0], LIST_INDENT, repr(leading)[1:-1] or "(none)", repr("    " * level)[1:-1] or "(none)")
        return marker

    def blocks(self, nodes: list[Node], quote_depth: int) -> list[Rendered]:
        """Render a run of sibling block nodes (headings inside containers stay headings)."""
        out: list[Rendered] = []
        previous: Node | None = None
        for node in nodes:
            out.extend(self.block(node, quote_depth, previous))
            previous = node
        return out

    def block(self, node: Node, quote_depth: int, previous: Node | None = None) -> list[Rendered]:
        """Render one block node."""
        kind = node.type
        if kind == "paragraph":
            return self.paragraph(self.paragraph_lines(node))
        if kind in LIST_TYPES:
            if previous is not None and previous.type == "paragraph" and previous.map[1] == node.map[0]:
                self.unit([node.map[0]]).log.repair(node.map[0], LIST_AFTER_PARAGRAPH, "(no blank line)", "(blank line)")
            return self.list_items(node, 0, quote_depth)
        if kind in ("fence", "code_block"):
            return [self.code(node)]
        if kind == "table":
            return [self.table(node, quote_depth)]
        if kind == "blockquote":
            return self.quote(node, quote_depth)
        if kind == "admonition":
            return [self.admonition(node, quote_depth)]
        if kind == "html_block":
            return self.html(node)
        if kind == "details":
            return self.details(node, quote_depth)
        if kind == STRAY_CLOSER:
            self.unit([node.map[0]]).log.repair(node.map[0], DETAILS_STRAY, node.token.content.strip(), "")
            return []
        if kind == "hr":
            return [self.rule_line(node)]
        if kind == "heading":
            # A heading inside a list or quote stays a heading there; sections come from the top level only.
            inline = node.children[0].token.content if node.children else ""
            text = self.prose([(node.map[0], one_line(inline))], inline_only=True)[0]  # a setext heading may have many lines
            text = heading_text_as_written(text, self.unit([node.map[0]]).log, node.map[0])
            return [Rendered("paragraph", f"{'#' * int(node.token.tag[1])} {text}", node.map[0])] if text else []
        return []
