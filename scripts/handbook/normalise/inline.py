"""Inline repairs inside one block's text, in order: Obsidian's links (obsidian/convert.py), sanitising
(sanitise.py), the prose rules on the lexer's prose spans (prose.py, lexer.py), bare web addresses and
stray emphasis. Rules that change words only ever see prose, so code and addresses stay as written.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from .context import NormaliseContext
from .lexer import TITLED_DEST, Span, lex
from .log import RepairLog
from .obsidian.convert import convert_obsidian
from .prose import apply_prose_rules, replay_prose_events
from .registry import ATTRIBUTE_BRACES, BACKTICK_LITERAL, BARE_URL, LINK_TITLE_LINE_END, STRAY_EMPHASIS
from .sanitise import after_element, has_hazards, sanitise_spans

_STARS_BEFORE_LINK = re.compile(r"\*\*(?=\[)")


@dataclass
class Unit:
    """The text of one block being repaired, with the parsed-text line of each of its lines."""

    lines: list[int]
    log: RepairLog
    ctx: NormaliseContext
    assets: list
    in_table: bool = False
    # Text Python-Markdown reads only as inline text (a heading's, a title's, a table row's): none of its
    # lines can be a link reference definition.
    inline_only: bool = False

    def line_at(self, text: str, offset: int) -> int:
        """The parsed-text line of a character offset in `text` (a newline-for-newline image of the unit)."""
        return self.line_after(text.count("\n", 0, offset))

    def line_after(self, newlines: int) -> int:
        """The parsed-text line after `newlines` line ends of the unit's text."""
        return self.lines[min(newlines, len(self.lines) - 1)]


def repair_stray_emphasis(spans: list[Span], unit: Unit, text: str) -> None:
    """Remove an unpaired `**` that sits right against a link, which would show as literal stars."""
    prose = [s for s in spans if s.kind == "prose"]
    if sum(s.text.count("**") for s in prose) % 2 == 0:
        return
    offset = 0
    for index, span in enumerate(spans):
        if span.kind == "prose":
            after_link = index > 0 and spans[index - 1].kind == "dest" and span.text.startswith("**")
            before_link = _STARS_BEFORE_LINK.search(span.text)
            if after_link or before_link:
                at = 0 if after_link else before_link.start()
                line = unit.line_at(text, offset + at)
                snippet_text = span.text[max(0, at - 10) : at + 12]
                span.text = span.text[:at] + span.text[at + 2 :]
                unit.log.repair(line, STRAY_EMPHASIS, snippet_text, snippet_text.replace("**", "", 1))
                return
        offset += len(span.text)


def move_title_line_ends(spans: list[Span], unit: Unit) -> None:
    """Move a line end between a link's title and its `)` to before its target, where Python-Markdown reads
    the link too, or, with line ends there and before the title already, to after the link: a block keeps
    its lines."""
    newlines = 0  # line ends before the span: counting them from the text's start each time cost the square
    for index, span in enumerate(spans):
        before, newlines = newlines, newlines + span.text.count("\n")
        parts = TITLED_DEST.match(span.text) if span.kind == "dest" and "\n" in span.text else None
        if parts is None or "\n" not in parts.group("end"):
            continue
        lead, separator, after = parts.group("lead"), parts.group("separator"), ""
        if "\n" not in lead:
            lead = "\n"
        elif "\n" not in separator:
            separator = "\n"
        else:
            after = "\n"
        moved = f"]({lead}{parts.group('target')}{separator}{parts.group('title')})"
        unit.log.repair(unit.line_after(before), LINK_TITLE_LINE_END, span.text, moved + after)
        span.text = moved
        newlines = before + moved.count("\n")
        if after:
            spans.insert(index + 1, Span("prose", after))  # counted when the loop reaches it


# What can start an attribute list after `{` (attr_list's pattern): not a `}`, a space or a line end.
_ATTRIBUTES_START = re.compile(r":?[ ]*[^}\n ]")


def escape_element_braces(spans: list[Span], unit: Unit, text: str) -> None:
    """Keep text in braces written right after an inline element (`**b**{y}`, `<https://…>{x}`) on the page, as
    Obsidian shows it: attr_list takes what runs from such a `{` to the last `}` of its line as the element's
    attributes. The `{` is escaped; after an attribute list the lexer read, which stays one, each later `}` of
    its line is, which attr_list would read on to. `text` is the spans joined."""
    if "{" not in text or "}" not in text:
        return
    last_brace = _LastBraces(text)
    template_brace_ahead = _template_braces_ahead(spans)
    offset = newlines = 0
    closing_line = False  # escaping the `}` of this line: an attribute list stands earlier on it
    for index, span in enumerate(spans):
        start, offset = offset, offset + len(span.text)
        before = span.text
        if span.kind == "attr" and not closing_line and after_element(text, start) \
                and last_brace.of(start) > start + before.rfind("}"):
            if template_brace_ahead[index]:
                # A template's `}` (shown as written, never escaped) would end the attributes: the list is text.
                span.text = "\\" + before
                unit.log.repair(unit.line_after(newlines), ATTRIBUTE_BRACES, before[:40], span.text[:41])
            else:
                closing_line = True
        elif span.kind in _TEXT_SPANS and ("{" in before or closing_line and "}" in before):
            span.text, first = _escaped_braces(text, start, offset, last_brace, closing_line)
            if first is not None:
                shown_from = text.rfind("\n", start, first) + 1 or start  # the line of the first escaped brace
                unit.log.repair(unit.line_after(newlines + text.count("\n", start, first)), ATTRIBUTE_BRACES,
                                text[shown_from:offset][:40], span.text[shown_from - start:][:41])
        if "\n" in before:
            closing_line = False
        newlines += before.count("\n")


def _template_braces_ahead(spans: list[Span]) -> list[bool]:
    """For each span, whether a template span holding a `}` follows it on its line (one pass from the end)."""
    ahead = [False] * len(spans)
    found = False
    for index in range(len(spans) - 1, -1, -1):
        ahead[index] = found
        text = spans[index].text
        if "\n" in text:
            found = spans[index].kind == "template" and "}" in text.split("\n", 1)[0]
        elif spans[index].kind == "template" and "}" in text:
            found = True
    return ahead


_BACKTICK_RUN = re.compile(r"`+")


def escape_literal_backticks(spans: list[Span], unit: Unit) -> None:
    """Escape each backtick the lexer left in prose: a run that no run of its length closes, which CommonMark
    (and Obsidian) show as written, where Python-Markdown pairs part of it with a later backtick."""
    newlines = 0
    for span in spans:
        if span.kind == "prose" and "`" in span.text:
            before = span.text
            span.text = _BACKTICK_RUN.sub(lambda run: "\\`" * len(run.group()), before)
            first = before.index("`")
            unit.log.repair(unit.line_after(newlines + before.count("\n", 0, first)), BACKTICK_LITERAL,
                            before[first:first + 20], span.text[first:first + 21])
        newlines += span.text.count("\n")


_BRACE_OR_LINE_END = re.compile(r"[{}\n]")
# Spans whose braces the page shows as text: prose, and a reference's label (`][…]`), which names no
# definition once the references are written inline.
_TEXT_SPANS = ("prose", "reference")


def _escaped_braces(text: str, start: int, end: int, last_brace: _LastBraces, closing_line: bool
                    ) -> tuple[str, int | None]:
    """text[start:end] (prose) with each `{` that attr_list would read after an element escaped, and, while
    `closing_line`, each `}` up to the first line end; and the offset of the first brace escaped, if any."""
    pieces, done = [], start
    for found in _BRACE_OR_LINE_END.finditer(text, start, end):
        at, c = found.start(), found.group()
        if c == "\n":
            closing_line = False
        elif c == "}" and closing_line or (
                c == "{" and after_element(text, at) and (last := last_brace.of(at)) > at
                and _ATTRIBUTES_START.match(text, at + 1, last)):
            pieces += [text[done:at], "\\"]
            done = at
    if not pieces:
        return text[start:end], None
    return "".join(pieces) + text[done:end], len(pieces[0]) + start


class _LastBraces:
    """Where the last `}` of the line holding an offset stands (-1 when none does), for every line at once."""

    def __init__(self, text: str) -> None:
        self.starts = [0, *(m.end() for m in re.finditer("\n", text))]
        ends = [*(at - 1 for at in self.starts[1:]), len(text)]
        self.last = [text.rfind("}", begin, end) for begin, end in zip(self.starts, ends)]

    def of(self, offset: int) -> int:
        return self.last[bisect_right(self.starts, offset) - 1]


REREAD_LIMIT = 3  # further readings of a text whose repairs made new constructs


def repair_inline(text: str, unit: Unit, rereads: int = 0) -> str:
    """Apply every inline repair to one block's text and return the repaired text."""
    text = convert_obsidian(text, unit)
    spans = lex(text)
    move_title_line_ends(spans, unit)
    while sanitise_spans(spans, unit, text):
        # Removed tags can join two prose spans, or make a new tag (`<<script>…</script>x>`): read the
        # text again, as a second pass would, until nothing is left to sanitise.
        text = "".join(s.text for s in spans)
        spans = lex(text)
    # An escaped template statement changes no reading, so it starts no new one, but it shifts what follows.
    text = "".join(s.text for s in spans)
    escape_element_braces(spans, unit, text)
    escape_literal_backticks(spans, unit)
    lexed = "".join(s.text for s in spans)
    newlines_before = 0
    brackets = 0  # link text left open: a web address inside it is the link's text, not a link of its own
    for span in spans:
        if span.kind == "prose" and span.text:
            brackets = _open_brackets(span.text, brackets)
            span.text, events = apply_prose_rules(span.text, unit)
            if events:
                replay_prose_events(events, unit, newlines_before)
        elif span.kind in ("dest", "reference"):
            brackets = max(0, brackets - 1)
        elif span.kind == "url" and not brackets and _WEB_ADDRESS.match(span.text):
            link_bare_url(span, unit.log, unit.line_after(newlines_before))
        newlines_before += span.text.count("\n")
    # Last, so that it sees the text after leftovers such as "(opens in a new tab)" are gone.
    repair_stray_emphasis(spans, unit, "".join(s.text for s in spans))
    result = "".join(s.text for s in spans)
    if result != lexed and rereads < REREAD_LIMIT and (_new_constructs(spans, result) or has_hazards(result, unit)):
        # A repair made a new construct out of prose (a dropped leftover closes a tag, say); read the
        # text again as a second pass would, keeping only what the new reading adds to the log.
        with unit.log.second_reading():
            result = repair_inline(result, unit, rereads + 1)
    return result


def _open_brackets(prose: str, open_before: int) -> int:
    """How many `[` are left open after a prose text, read left to right: a `]` with none open closes nothing
    (an escaped opening bracket before it is a letter), so a `[` after it is still open."""
    count = open_before
    for bracket in _BRACKET.findall(prose):
        count = count + 1 if bracket == "[" else max(0, count - 1)
    return count


_BRACKET = re.compile(r"[\[\]]")
# Not ftp://, which browsers no longer open: the site links only to what LINK_SCHEMES lists.
_WEB_ADDRESS = re.compile(r"https?://")


def link_bare_url(span: Span, log: RepairLog, line: int) -> None:
    """Make a bare web address (`https://…` in text) a link, as Obsidian shows it: an autolink `<https://…>`."""
    log.repair(line, BARE_URL, span.text, f"<{span.text}>")
    span.text, span.kind = f"<{span.text}>", "autolink"


def _new_constructs(spans: list[Span], text: str) -> bool:
    """Whether `text` (the spans joined) lexes into other constructs than the spans."""
    kinds = [s.kind for s in spans if s.text]
    merged = [k for i, k in enumerate(kinds) if k != "prose" or i == 0 or kinds[i - 1] != "prose"]
    return [s.kind for s in lex(text)] != merged
