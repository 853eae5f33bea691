"""HTML `<details>` elements read as one block: markdown-it's HTML-block rule ends raw HTML at the first blank
line, so a `<details>` whose answer spans paragraphs fell apart into an empty element, the answer in clear
text and a stray `</details>`.

details_plugin reads the element from its `<details>` line to the `</details>` that closes it (nested ones
counted, code skipped), its `<summary>` as the title and everything between as Markdown, and the renderer
writes it as a folded admonition (`??? note "Summary"`, `???+` when open). An element with no closer ends
before the first heading at its indentation or less (it never takes a heading, and so never a section,
into the fold), where its container ends, or at the end of the note. A `</details>` line that closes
nothing is read as a stray token the renderer drops.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import nh3
from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock

from ..plaintext import plain_text

DETAILS_OPEN = "details_open"
DETAILS_CLOSE = "details_close"
DETAILS_STRAY = "details_stray"
DEFAULT_TITLE = "Details"  # what a browser shows for a details element without a summary
# Details and admonitions inside each other; a deeper details element stays raw HTML, so each line is read a bounded
# number of times. Admonitions count because each details element becomes one: a second reading meets the same depth.
MAX_DEPTH = 8
_DEPTH = "details depth"  # env key: the elements being read around the current line

_OPENER = re.compile(r"<details(?=[\s/>])[^>]*>", re.I)
_CLOSER = re.compile(r"</details\s*>", re.I)
_TAG = re.compile(r"<details(?=[\s/>])[^>]*>|</details\s*>", re.I)
_STRAY_LINE = re.compile(r"</details\s*>\s*$", re.I)  # a no-break space after it is no text either
_OPEN_ATTRIBUTE = re.compile(r"""\sopen(?=[\s/>=])""", re.I)
_SUMMARY_OPEN = re.compile(r"\s*<summary(?=[\s/>])[^>]*>", re.I)
_SUMMARY_CLOSE = re.compile(r"</summary\s*>", re.I)
_FENCE = re.compile(r"^(`{3,}|~{3,})")
HEADING = re.compile(r"^#{1,6}(?:[ \t]|$)")
_CODE_SPAN = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)")
_SPACES = re.compile(r"\s+")
# Characters Python-Markdown (with the site's extensions) reads as inline markup in a title; each is escaped.
_TITLE_MARKUP = re.compile(r"([\\`*_{}\[\]~=])")


@dataclass(frozen=True)
class _End:
    """Where a details element ends: the line of its closer and the closer's offsets in the text, or, when
    nothing closes it, the line it stops before."""

    line: int
    closer: tuple[int, int] | None = None  # offsets of `</details>` in state.src
    in_code: bool = False  # the text ended inside a fenced code block of the element

    @property
    def closed(self) -> bool:
        return self.closer is not None


def _line_text(state: StateBlock, line: int) -> tuple[int, int]:
    """The offsets of a line's text after its indentation."""
    return state.bMarks[line] + state.tShift[line], state.eMarks[line]


def _find_end(state: StateBlock, start_line: int, end_line: int, after_opener: int) -> _End:
    """Where the element opened on start_line ends: its closer, counting nested elements and skipping code,
    or else the first heading, line outside its container, or end of the text."""
    depth = 1
    fence = ""
    for line in range(start_line, end_line):
        begin, end = _line_text(state, line)
        if line > start_line:
            text = state.src[begin:end]
            if begin < end and state.sCount[line] < state.blkIndent:
                return _End(line)  # the container (a list item, a quote) ends here, and so does the element
            if fence:
                if text.startswith(fence[0] * len(fence)) and not text.strip(fence[0]).strip():
                    fence = ""
                continue
            opening = _FENCE.match(text)
            if opening:
                fence = opening.group(1)
                continue
            if state.sCount[line] - state.blkIndent < 4 and HEADING.match(text):
                return _End(line)
        else:
            begin = after_opener
            opening = _fence_after_opener(state.src[begin:end])
            if opening:
                fence = opening  # the element's content starts with code on the opener's line
                continue
        text = _CODE_SPAN.sub(lambda span: " " * len(span.group()), state.src[begin:end])
        for tag in _TAG.finditer(text):
            depth += -1 if tag.group().startswith("</") else 1
            if depth == 0:
                return _End(line, (begin + tag.start(), begin + tag.end()))
    return _End(end_line, in_code=bool(fence))


def _fence_after_opener(rest: str) -> str:
    """The fence that the text after a `<details>` opener (and a summary closed on its line) opens, if any: the
    content is read from there, so its code runs on until that fence closes, `</details>` lines and all. Not
    when a closer follows on the line, which a one-line element ends with."""
    summary = _SUMMARY_OPEN.match(rest)
    closing = _SUMMARY_CLOSE.search(rest, summary.end()) if summary else None
    if summary and closing is None:
        return ""
    rest = rest[closing.end():] if closing else rest
    opening = _FENCE.match(rest.lstrip(" \t"))
    return opening.group(1) if opening and not _CLOSER.search(rest) else ""


# A `<details>` opener at a line's start, and a summary closed on the same line: what follows them on the line
# is the element's first line of Markdown.
OPENER_ON_LINE = r"<details(?=[\s/>])[^>]*>(?:[ \t]*<summary(?=[\s/>])[^>\n]*>[^\n]*?</summary\s*>)?[ \t]*"
_OPENER_ON_LINE = re.compile(OPENER_ON_LINE, re.I)


def element_text(line: str, markers: re.Pattern[str]) -> str:
    """A line's Markdown text as a `<details>` element reads it: after the openers (each with a summary closed on the
    line) that start it, and the list and quote `markers` (a pattern matched at an offset) after each of them (the
    element's first line may open a list item or quote); and before a closer on the line, which ends an element."""
    start = 0
    while (opener := _OPENER_ON_LINE.match(line, start)) is not None:
        start = markers.match(line, opener.end()).end()
    closer = _CLOSER.search(line, start)
    return line[start:] if closer is None else line[start:closer.start()]


def _columns(src: str, span: tuple[int, int]) -> tuple[int, int]:
    """A span of offsets in a text as columns of the line it starts on."""
    line_start = src.rfind("\n", 0, span[0]) + 1
    return span[0] - line_start, span[1] - line_start


def closers_by_token(tokens: list) -> dict[int, tuple[int, int, int]]:
    """For each DETAILS_CLOSE token (by index) of a closed element: the line its closer is on, and the closer's
    columns there."""
    found, opened = {}, []
    for index, token in enumerate(tokens):
        if token.type == DETAILS_OPEN:
            opened.append(token)
        elif token.type == DETAILS_CLOSE and opened:
            element = opened.pop()
            if element.meta["closer"] is not None and element.map:
                found[index] = (element.map[1] - 1, *element.meta["closer"])
    return found


def _summary(state: StateBlock, start: int, limit: int, first_line: int) -> tuple[str | None, int]:
    """The raw text of a `<summary>` that comes first after offset `start` (None if none does) and the
    offset after it, never past `limit`. It is read line by line, each line's text after its
    indentation and its container's markers (`> ` in a quote)."""
    line, at = first_line, start
    while line < len(state.eMarks) and at < limit and not state.src[at:min(state.eMarks[line], limit)].strip():
        line += 1  # nothing more on this line: the summary, if any, starts on a later one
        at = state.bMarks[line] + state.tShift[line] if line < len(state.eMarks) else limit
    opening = _SUMMARY_OPEN.match(state.src, at, limit)
    if opening is None:
        return None, start
    parts: list[str] = []
    at = opening.end()
    while True:
        line_end = min(state.eMarks[line], limit)
        closing = _SUMMARY_CLOSE.search(state.src, at, line_end)
        if closing is not None:
            parts.append(state.src[at:closing.start()])
            return " ".join(parts), closing.end()
        parts.append(state.src[at:line_end])
        line += 1
        if line_end >= limit or line >= len(state.eMarks) or state.bMarks[line] >= limit:
            # Never closed: the summary is the rest of its first line, as a browser shows it before the text.
            return parts[0], min(state.eMarks[_line_of(state, opening.end(), first_line, line - 1)], limit)
        at = state.bMarks[line] + state.tShift[line]


def _line_of(state: StateBlock, offset: int, first: int, last: int) -> int:
    """The first line from `first` (to `last` at most) that ends at or after an offset of the text."""
    line = first
    while line < last and state.eMarks[line] < offset:
        line += 1
    return line


def _details(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """Read a `<details>` element, summary and content, as one block whose content is Markdown."""
    if state.is_code_block(start_line):
        return False
    begin, end = _line_text(state, start_line)
    opener = _OPENER.match(state.src, begin, end)
    if opener is None or state.env.get(_DEPTH, 0) >= MAX_DEPTH:
        return False
    if silent:
        return True
    found = _find_end(state, start_line, end_line, opener.end())
    after_closer = state.src[found.closer[1]:state.eMarks[found.line]].strip() if found.closed else ""
    if after_closer and found.line == start_line:
        return False  # a whole element and more text on one line: one line of raw HTML, as before
    last_line = found.line + 1 if found.closed else found.line  # the element's lines: [start_line, last_line)
    if not found.closed:
        while last_line > start_line + 1 and state.isEmpty(last_line - 1):
            last_line -= 1  # blank lines before a heading belong to no element
    content_end = found.closer[0] if found.closed else state.eMarks[last_line - 1]
    summary, content_start = _summary(state, opener.end(), content_end, start_line)

    token = state.push(DETAILS_OPEN, "details", 1)
    token.map = [start_line, last_line]
    token.markup = "???+" if _OPEN_ATTRIBUTE.search(opener.group()) else "???"
    token.info = summary if summary is not None else ""
    token.meta = {"summary": summary is not None, "closed": found.closed,
                  "runs_to_end": found.line >= end_line, "in_code": found.in_code,
                  # Where the closer starts and ends on its line, counted from the line's start: the content ends at
                  # the one, and the next block starts at the other.
                  "closer": _columns(state.src, found.closer) if found.closed else None}
    if state.src[content_start:content_end].strip():
        _content(state, content_start, content_end, start_line, last_line - 1)
    state.push(DETAILS_CLOSE, "details", -1).markup = token.markup

    state.line = last_line
    if after_closer:
        # Text after the closer on its line is the next block's: it starts there.
        rest = state.src[found.closer[1]:state.eMarks[found.line]]
        state.bMarks[found.line] = found.closer[1]
        state.tShift[found.line] = len(rest) - len(rest.lstrip(" \t"))
        state.sCount[found.line] = state.blkIndent
        state.line = found.line
    return True


def _content(state: StateBlock, start: int, end: int, first_line: int, last_line: int) -> None:
    """Tokenize the text from offset `start` to `end` (between first_line and last_line) as the element's
    Markdown content. Text before `start` on its line and after `end` on its line is cut off for the while,
    the way markdown-it's quote rule cuts its markers."""
    first = _line_of(state, start, first_line, last_line)
    if not state.src[start:state.eMarks[first]].strip():
        first += 1  # nothing after the summary on its line
        start = state.bMarks[first]
    last = _line_of(state, end, first, last_line)
    if not state.src[max(start, state.bMarks[last]):end].strip():
        last -= 1  # nothing before the closer on its line
        end = state.eMarks[last]
    saved = {line: (state.bMarks[line], state.eMarks[line], state.tShift[line], state.sCount[line])
             for line in (first, last)}
    if start > state.bMarks[first] + state.tShift[first]:
        rest = state.src[start:state.eMarks[first]]
        state.bMarks[first], state.tShift[first] = start, len(rest) - len(rest.lstrip(" \t"))
        state.sCount[first] = state.blkIndent + state.tShift[first]
    source = state.src
    if end < state.eMarks[last]:
        # The closer ends the line for the while: rules that keep a block's last line break (raw HTML) read one
        # character past the line's end, which would be the closer's `<`.
        state.src = source[:end] + "\n" + source[end + 1:]
        state.eMarks[last] = end
    old_parent, old_line_max = state.parentType, state.lineMax
    state.parentType, state.lineMax = "details", last + 1
    try:
        with one_level_deeper(state):
            state.md.block.tokenize(state, first, last + 1)
    finally:
        state.src = source
        state.parentType, state.lineMax = old_parent, old_line_max
        for line, (b_mark, e_mark, t_shift, s_count) in saved.items():
            state.bMarks[line], state.eMarks[line], state.tShift[line], state.sCount[line] = \
                b_mark, e_mark, t_shift, s_count


@contextmanager
def one_level_deeper(state: StateBlock) -> Iterator[None]:
    """While a details element's or an admonition's content is read: one level nearer MAX_DEPTH."""
    state.env[_DEPTH] = state.env.get(_DEPTH, 0) + 1
    try:
        yield
    finally:
        state.env[_DEPTH] -= 1


def _stray_closer(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """A line that is only `</details>`, closing no element: a token of its own, which shows nothing."""
    if state.is_code_block(start_line):
        return False
    begin, end = _line_text(state, start_line)
    if not _STRAY_LINE.match(state.src, begin, end):
        return False
    if not silent:
        token = state.push(DETAILS_STRAY, "", 0)
        token.map = [start_line, start_line + 1]
        token.content = state.src[begin:end]
    state.line = start_line + 1
    return True


def details_plugin(md: MarkdownIt) -> None:
    """Read `<details>` elements (and stray `</details>` lines) before raw HTML blocks, which would split them."""
    interrupts = {"alt": ["paragraph", "reference", "blockquote"]}  # as an HTML block does
    md.block.ruler.before("html_block", "details", _details, interrupts)
    md.block.ruler.before("html_block", "details_stray", _stray_closer, interrupts)


def summary_title(summary: str) -> str:
    """The text a summary shows, as a one-line admonition title that reads as plain text: its tags (and
    what a script or style holds) gone, its Markdown read as a reader sees it, every character that
    Python-Markdown would read as markup escaped and its quotes written `&quot;`."""
    # nh3 leaves the text with `&`, `<` and `>` as character references, which plain_text reads as text.
    text = _SPACES.sub(" ", plain_text(nh3.clean(summary, tags=set()), inline=True)).strip()
    escaped = _TITLE_MARKUP.sub(r"\\\1", text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return escaped.replace('"', "&quot;")  # a quote inside the title's own quotes, for any reader of them
