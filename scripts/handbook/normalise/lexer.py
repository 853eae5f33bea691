"""The inline lexer: splits a block's text into prose and protected spans (code, URLs, link targets, raw
HTML, templates...), so that rules that change words only ever see prose.

The block structure itself comes from markdown-it; the lexer never decides structure.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from itertools import combinations

from markdown_it.common import html_re

from ..footnotes import LEXED_REFERENCE
from .obsidian.embeds import MISSING_IMAGE_CLASS

_TEMPLATE_EXPRESSION = r"\{\{[\s\S]*?\}\}"
# Math the normaliser wrote (obsidian/math.py, in a span of its own), or a note wrote as MathML: one construct,
# which no prose rule reads.
_MATHML = r"<math(?=[\s>/])[^<>]*>[\s\S]*?</math\s*>"
_WRAPPED_MATHML = "<span>" + _MATHML + "</span>"
# An attribute list (`{: .class #id key=value }`), as attr_list reads one.
ATTRIBUTE_LIST = r"\{:?[ \t]*(?:[.#][\w-]|[\w-]+=)[^{}\n]*\}"
_TEMPLATE_STATEMENT = r"\{%[\s\S]*?%\}"
# Spaces or tabs with at most one line end among them, and no blank line: what CommonMark allows between
# a link's `](`, its target, its title and its `)`, so that a link written over two lines is one link.
_LINE_END_IN_LINK = r"\n(?![ \t]*\n)[ \t]*"
LINK_GAP = r"[ \t]*(?:" + _LINE_END_IN_LINK + r")?"
LINK_SEPARATOR = r"(?:[ \t]+(?:" + _LINE_END_IN_LINK + r")?|" + _LINE_END_IN_LINK + r")"
LINK_TITLE = r"(?:\"[^\"\n]*\"|'[^'\n]*'|\([^()\n]*\))"
# A link's target in angle brackets (the brackets' inside) or bare (no blanks, parentheses one deep, and not
# starting with `<`: `<a>b` is no target at all).
_ANGLED_TARGET = r"[^<>\n]*"
_BARE_TARGET = r"(?!<)(?:[^()\s]|\([^()\s]*\))*"

# The constructs the lexer reads, in the order it tries them. A code span (_BacktickRuns) and an HTML
# comment (_Closings.comment_end), which come first and third among these, are read apart.
_CONSTRUCTS = (
    ("missing", r"\*Image not available: (?:[^*\\\n]|\\.)*\*\{ \." + MISSING_IMAGE_CLASS + r" \}"),
    ("embed", r"!\[\[[^\[\]\n]+?\]\]"),
    ("wikilink", r"\[\[[^\[\]\n]+?\]\]"),
    ("math", (_WRAPPED_MATHML, _MATHML)),
    ("autolink", r"<(?:[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*|[^\s<>@]+@[^\s<>@]+)>"),
    ("html", (html_re.open_tag, html_re.close_tag, html_re.processing, html_re.declaration, html_re.cdata)),
    ("dest", r"\]\(" + LINK_GAP + r"(?:<" + _ANGLED_TARGET + ">|" + _BARE_TARGET + r")(?:" + LINK_SEPARATOR
     + LINK_TITLE + r")?" + LINK_GAP + r"\)"),
    ("reference", r"\]\[[^\[\]\n]*\]"),
    ("footnote", LEXED_REFERENCE),
    ("attr", ATTRIBUTE_LIST),
    ("template", (_TEMPLATE_EXPRESSION, _TEMPLATE_STATEMENT)),
    ("url", r"(?:https?|ftp)://[^\s<>()\[\]\\]*[^\s<>()\[\].,;:!?'\"\\]|www\.[^\s<>()\[\]\\]*[^\s<>()\[\].,;:!?'\"\\]"),
    ("escape", r"\\[!-/:-@\[-`{-~]"),
    ("entity", r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"),
)
# Constructs that read on to a closing string wherever it is, with that string and the least distance
# from the construct's start at which it can begin. Where it does not come again the construct cannot
# match and is not tried: tried at each opening, each reading to the end of the text, a note of
# unclosed `{{` or `<?` cost the square of its length.
_CLOSED_BY = {
    html_re.processing: ("?>", 2), html_re.declaration: (">", 2), html_re.cdata: ("]]>", 9),
    _TEMPLATE_EXPRESSION: ("}}", 2), _TEMPLATE_STATEMENT: ("%}", 2), _WRAPPED_MATHML: ("</math", 12),
    _MATHML: ("</math", 6),
}
_HTML_COMMENT = re.compile(html_re.comment)
_NOT_DASH = re.compile("[^-]")

# Only these constructs can start with `<` or `{`, where the constructs of _CLOSED_BY may be left out.
_OPENING_WITH_CLOSED_BY = ("math", "autolink", "html", "attr", "template")


def _lexer(names: tuple[str, ...], without: frozenset[str] = frozenset()) -> re.Pattern[str]:
    """The lexer's pattern for the constructs `names` but the patterns `without` (patterns of _CLOSED_BY)."""
    branches = []
    for name, pattern in _CONSTRUCTS:
        if name not in names:
            continue
        options = [pattern] if isinstance(pattern, str) else [p for p in pattern if p not in without]
        if options:
            branches.append(f"(?P<{name}>" + "|".join(options) + ")")
    return re.compile("|".join(branches))


# The patterns, compiled once at import: they depend on nothing but the constructs above. At a `<` or
# `{` the lexer tries only the constructs that can start there, without those whose closing string does
# not follow (128 ways to leave out some of seven); as alternatives are tried in order and the others
# cannot match there, that reads what the whole pattern reads.
_LEXER = _lexer(tuple(name for name, _ in _CONSTRUCTS))
_OPENING_LEXERS = {
    frozenset(without): _lexer(_OPENING_WITH_CLOSED_BY, frozenset(without))
    for count in range(len(_CLOSED_BY) + 1) for without in combinations(_CLOSED_BY, count)
}

_BACKTICKS = re.compile("`+")


# Searching the text after each opening run of backticks cost its length for each run nothing closes.
class _BacktickRuns:
    """A text's runs of backticks by length, so that a code span's opening run finds at once the next run
    of the same length, which closes it."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts: dict[int, list[int]] = {}
        for run in _BACKTICKS.finditer(text):
            self.starts.setdefault(run.end() - run.start(), []).append(run.start())

    def code_span(self, begin: int) -> tuple[int | None, int]:
        """The end of the code span that opens at `begin` (None when there is none), and of the run there."""
        run_end = _BACKTICKS.match(self.text, begin).end()  # type: ignore[union-attr]
        if begin and self.text[begin - 1] == "`":
            return None, run_end  # inside a run, which opens nothing
        starts = self.starts[run_end - begin]
        after = bisect_right(starts, begin)
        return (starts[after] + run_end - begin if after < len(starts) else None), run_end


class _DollarMath:
    """Where TeX math between dollars ends, as Obsidian reads it: `$$…$$` (over lines too), and `$…$` on one line
    whose first and last characters are not blank and whose closing `$` no digit follows (`$5 and $10` is text).
    Each `$` closes at the next one that no backslash escapes, found at once (a text of many `$` costs its length)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.dollars = [m.start() for m in re.finditer(r"\$", text) if not _escaped(text, m.start())]
        pairs = set(self.dollars)
        self.doubles = [at for at in self.dollars if at + 1 in pairs]

    def math_end(self, begin: int) -> tuple[int | None, int]:
        """The end of the math that opens at `begin` (None when none does), and where to read on when none does."""
        text = self.text
        if text.startswith("$$", begin):
            after = bisect_right(self.doubles, begin + 1)
            if after == len(self.doubles):
                return None, begin + 2
            close = self.doubles[after]
            if not _LINE_BREAK_TAGS.sub("", text[begin + 2:close]).strip():
                # `$$$$`, or `$$` on two lines (where the line break becomes a `<br>`): empty, shown as written.
                return None, begin + 2
            return (close + 2, close + 2) if _may_hold_math(text, begin + 2, close) else (None, begin + 2)
        if begin + 1 >= len(text) or text[begin + 1].isspace():
            return None, begin + 1
        after = bisect_right(self.dollars, begin)
        if after == len(self.dollars):
            return None, begin + 1
        close = self.dollars[after]
        if text[close - 1].isspace() or "\n" in text[begin:close] or text[close + 1:close + 2].isdigit() \
                or text.startswith("$$", close) or not _may_hold_math(text, begin + 1, close):
            return None, begin + 1
        return close + 1, close + 1


_LINE_BREAK_TAGS = re.compile(r"<br\s*/?>", re.I)


def _may_hold_math(text: str, start: int, stop: int) -> bool:
    """Whether `text[start:stop]` may be TeX: no blank line, and no MathML (written for math whose dollars are gone,
    it would make a pair of the dollars around it on the next reading: `$a $b$ c$`)."""
    return text.find("\n\n", start, stop) < 0 and text.find("<math", start, stop) < 0


def _escaped(text: str, at: int) -> bool:
    """Whether the character at `at` follows an odd number of backslashes."""
    before = at
    while before and text[before - 1] == "\\":
        before -= 1
    return (at - before) % 2 == 1


class _Closings:
    """How far the constructs that read on to a closing string can reach in a text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._last: dict[str, int] = {}  # closing string -> where it last starts
        self._comment_unclosed = False  # a comment was read to the end of the text without closing

    def unclosed(self, begin: int) -> frozenset[str]:
        """The patterns of _CLOSED_BY that cannot match at `begin`: their closing string does not follow."""
        missing = []
        for pattern, (closing, least) in _CLOSED_BY.items():
            last = self._last.get(closing)
            if last is None:
                last = self._last[closing] = self.text.rfind(closing)
            if last < begin + least:
                missing.append(pattern)
        return frozenset(missing)

    def comment_end(self, begin: int) -> int | None:
        """The end of the HTML comment (markdown-it's pattern) that opens at `begin`, or None."""
        # The pattern reads a comment's text in steps that each end at a character other than `-`, so
        # a later reading is in step with an earlier one after the first such character. Once a comment
        # was read to the end of the text unclosed, a later one can only close before that character.
        end = len(self.text)
        if self._comment_unclosed:
            other = _NOT_DASH.search(self.text, begin + 4)
            end = other.end() if other else end
        match = _HTML_COMMENT.match(self.text, begin, end)
        if match is None and end == len(self.text):
            self._comment_unclosed = True
        return match.end() if match else None


@dataclass
class Span:
    """A piece of a block's text: prose (rules may change words) or a protected construct."""

    kind: str
    text: str


# Every construct the lexer knows begins with one of these; anywhere else the text is plain prose,
# so the (slow, many-branched) lexer is only tried where one of them stands.
_LEX_START = re.compile(r"[`*!\[<\]{\\&$]|https?://|ftp://|www\.")


_BRACKET = re.compile(r"[\[\]]")


class OpenBrackets:
    """How many `[` of a text's prose are open at an offset: a `](` ends a link's text only after one."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.open = 0
        self.counted = 0  # the prose before this offset is counted

    def at(self, offset: int) -> int:
        """The `[` open at `offset` (read on from the last offset asked, which is never later)."""
        for bracket in _BRACKET.finditer(self.text, self.counted, offset):
            self.open = self.open + 1 if bracket.group() == "[" else max(0, self.open - 1)
        self.counted = max(self.counted, offset)
        return self.open

    def skip(self, end: int, closes: bool) -> None:
        """A construct up to `end` is not prose; one that ends a link's text (`](…)`, `][…]`) closes a `[`."""
        self.counted = end
        if closes:
            self.open = max(0, self.open - 1)


def lex(text: str) -> list[Span]:
    """Split text into prose and protected spans, in order; joining them gives the text back. A link
    destination (`](…)`) counts only after a `[` that is still open, as in CommonMark: without one, `](`
    and what follows are read as any other text."""
    spans: list[Span] = []
    position = 0
    brackets = OpenBrackets(text) if "](" in text else None
    search = _LEX_START.search
    match_at = _LEXER.match
    runs = _BacktickRuns(text) if "`" in text else None
    dollars = _DollarMath(text) if "$" in text else None
    closings = _Closings(text) if "<" in text or "{" in text else None
    at = 0
    while True:
        start = search(text, at)
        if start is None:
            break
        begin = start.start()
        first = text[begin]
        if first == "`" and runs is not None:  # no other construct starts with a backtick
            end, run_end = runs.code_span(begin)
            if end is None:
                at = run_end
                continue
            kind = "code"
        elif first == "$":  # nor with a dollar
            end, read_on = dollars.math_end(begin)  # type: ignore[union-attr]
            if end is None:
                at = read_on
                continue
            kind = "math"
        else:
            match = (_OPENING_LEXERS[closings.unclosed(begin)].match if first in "<{" and closings else match_at)(text, begin)
            if match is not None:
                kind, end = match.lastgroup or "prose", match.end()
                if kind == "dest" and brackets is not None and not brackets.at(begin):
                    at = begin + 1
                    continue
            elif closings and text.startswith("<!--", begin) and (comment := closings.comment_end(begin)):
                kind, end = "html", comment  # only an autolink comes before it there
            else:
                at = begin + 1
                continue
        if begin > position:
            spans.append(Span("prose", text[position:begin]))
        spans.append(Span(kind, text[begin:end]))
        if brackets is not None:
            brackets.at(begin)
            brackets.skip(end, kind in ("dest", "reference"))
        position = at = end
    if position < len(text):
        spans.append(Span("prose", text[position:]))
    return spans


def lex_with_offsets(text: str) -> list[tuple[str, int, str]]:
    """lex(text) as (kind, offset in the text, text) of each span."""
    spans: list[tuple[str, int, str]] = []
    position = 0
    for span in lex(text):
        spans.append((span.kind, position, span.text))
        position += len(span.text)
    return spans


# A link destination (`](target "title")`) in its parts: the blanks before the target (`lead`), the target,
# written in angle brackets or bare, and the rest.
DEST_PARTS = re.compile(r"^\]\((?P<lead>" + LINK_GAP + r")(?:<(?P<angled>" + _ANGLED_TARGET + r")>|(?P<bare>"
                        + _BARE_TARGET + r"))(?P<rest>[\s\S]*)$")


# A link destination with a title, in its parts. Where a line end comes between the title and the `)`,
# Python-Markdown reads no link (CommonMark does).
TITLED_DEST = re.compile(
    r"^\]\((?P<lead>" + LINK_GAP + r")(?P<target><" + _ANGLED_TARGET + ">|" + _BARE_TARGET + r")(?P<separator>"
    + LINK_SEPARATOR + r")(?P<title>" + LINK_TITLE + r")(?P<end>" + LINK_GAP + r")\)$"
)


def dest_lead(parts: re.Match[str]) -> str:
    """The line end before the target of a link destination read by DEST_PARTS, if any: a rewritten target
    keeps it, so that the block keeps its lines."""
    return "\n" if "\n" in parts.group("lead") else ""


def dest_target(parts: re.Match[str]) -> str:
    """The target of a link destination read by DEST_PARTS."""
    return parts.group("angled") if parts.group("angled") is not None else parts.group("bare")


# A pipe that ends a table cell (not an escaped one).
BARE_PIPE = re.compile(r"(?<!\\)\|")
