"""markdown-it's readings of a note's text, and the one memo of them a NormaliseContext keeps.

markdown-it-py finds the block structure (with the source line of every block); the rules read it
through Parses, which remembers what it parsed so that copies of notes and of their sections are
parsed once. What Parses answers never depends on what it was asked before.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.common.utils import isStrSpace, mdTrim
from markdown_it.rules_block import StateBlock
from markdown_it.token import Token
from mdit_py_plugins.admon import admon_plugin
from mdit_py_plugins.admon.index import admonition as _plugin_admonition

from .details import DETAILS_OPEN, HEADING, details_plugin, one_level_deeper
from .memo import Memo
from .tree import Node, build_tree

MAX_NESTING = 100  # markdown-it token levels; lists are clamped well below it (see structure.py)


def _admonition(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """The plugin's admonition, kept open over blank lines while the text after them is indented into it, as
    Python-Markdown keeps it (the plugin closes it at two blank lines, and a code block in it would end there).

    The blank lines before such text are shown to the plugin at that text's indentation for the while; a blank
    line is blank to every other rule by its text, not its indentation. Its content is one level deeper for the
    details reader's depth limit."""
    if silent:
        return _plugin_admonition(state, start_line, end_line, silent)
    with one_level_deeper(state):
        return _admonition_kept_open(state, start_line, end_line)


def _admonition_kept_open(state: StateBlock, start_line: int, end_line: int) -> bool:
    """The plugin's admonition read with the blank lines before text indented into it shown at that indentation."""
    if start_line + 2 >= end_line:
        return _plugin_admonition(state, start_line, end_line, False)
    body_indent = state.sCount[start_line] + 4
    shown: dict[int, int] = {}
    line, blank_run = start_line + 1, []
    while line < end_line:
        if state.isEmpty(line):
            blank_run.append(line)
        else:
            if state.sCount[line] < body_indent:
                break
            if len(blank_run) > 1:
                shown.update((blank, state.sCount[line]) for blank in blank_run)
            blank_run = []
        line += 1
    saved = {blank: state.sCount[blank] for blank in shown}
    for blank, indent in shown.items():
        state.sCount[blank] = indent
    try:
        return _plugin_admonition(state, start_line, end_line, False)
    finally:
        for blank, indent in saved.items():
            state.sCount[blank] = indent


def _markdown_it() -> MarkdownIt:
    """CommonMark with tables and `!!!` admonitions, the constructs the notes and Python-Markdown share, and
    `<details>` elements read whole (see details.py)."""
    md = MarkdownIt("commonmark", {"maxNesting": MAX_NESTING}).enable("table").use(admon_plugin).use(details_plugin)
    md.block.ruler.at("admonition", _admonition, {"alt": ["paragraph", "reference", "blockquote", "list"]})
    return md


INLINE_PARSER = _markdown_it()
# Structure only: inline content is repaired by our own rules, so markdown-it need not parse it.
PARSER = _markdown_it().disable("inline")
MISSING_SPACE_LINES = "missing_space_lines"  # env key: lines where `##Title` was read as a heading


def _heading_without_space(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """`##Title` read as the heading `## Title` would be, noting its line so that the text can be repaired."""
    if state.is_code_block(start_line):
        return False
    src, pos, maximum = state.src, state.bMarks[start_line] + state.tShift[start_line], state.eMarks[start_line]
    level = 0
    while pos < maximum and src[pos] == "#" and level < 7:
        level += 1
        pos += 1
    # One `#` before a word is an Obsidian tag. A no-break space after the hashes is no space to
    # markdown-it, but the author meant one: heading-space writes a space instead of it.
    if not 2 <= level <= 6 or pos >= maximum or src[pos] in " \t" or src[pos] == "#":
        return False
    while pos < maximum and src[pos].isspace() and src[pos] not in " \t":
        pos += 1
    # The character test matches heading-space's `[^\s#]`.
    if pos >= maximum or src[pos].isspace() or src[pos] == "#":
        return False
    if silent:
        return True
    # From here as markdown-it's own heading rule, so that the tokens equal those of the repaired line.
    end = state.skipSpacesBack(maximum, pos)
    closing = state.skipCharsStrBack(end, "#", pos)
    if closing > pos and isStrSpace(src[closing - 1]):
        end = closing
    state.line = start_line + 1
    token = state.push("heading_open", f"h{level}", 1)
    token.markup, token.map = "#" * level, [start_line, state.line]
    token = state.push("inline", "", 0)
    token.content, token.map, token.children = mdTrim(src[pos:end]), [start_line, state.line], []
    token = state.push("heading_close", f"h{level}", -1)
    token.markup = "#" * level
    state.env.setdefault(MISSING_SPACE_LINES, []).append(start_line)
    return True


# The same reading, plus `##Title` as a heading: one parse both finds the lines to repair and tells
# where the text needs them.
LENIENT_PARSER = _markdown_it().disable("inline")
LENIENT_PARSER.block.ruler.before(
    "heading", "heading_without_space", _heading_without_space, {"alt": ["paragraph", "reference", "blockquote"]}
)

PARSE_MEMO_CHARACTERS = 4_000_000  # texts and pieces of texts whose tokens are remembered, by size


def _shifted(tokens: list[Token], by: int) -> list[Token]:
    """Copies of tokens parsed from a piece of a text, with their line maps moved to the whole text."""
    if by == 0:
        return tokens
    out = []
    new = object.__new__
    for t in tokens:
        # Field by field: Token() would convert the attributes again, which dominates for long texts.
        c = new(Token)
        c.type, c.tag, c.nesting, c.attrs, c.level = t.type, t.tag, t.nesting, t.attrs, t.level
        c.map = [t.map[0] + by, t.map[1] + by] if t.map else None
        c.children, c.content, c.markup, c.info = t.children, t.content, t.markup, t.info
        c.meta, c.block, c.hidden = t.meta, t.block, t.hidden
        out.append(c)
    return out


@dataclass(frozen=True)
class PieceParse:
    """What one parser made of one piece of a text."""

    tokens: list[Token]
    still_open: bool  # a top-level fence or HTML block runs on past the piece's end
    open_details: bool  # a top-level details element with no closer runs to the piece's end: on to a heading
    missing_space: tuple[int, ...]  # the piece's lines where `##Title` was read as a heading


@dataclass(frozen=True)
class LenientParse:
    """LENIENT_PARSER's reading of a text: its tokens and the lines (0-based, in order) where `##Title`
    was read as a heading."""

    tokens: list[Token]
    missing_space: list[int]


@dataclass
class _ParsedText:
    """PARSER's tokens of one text, and their tree once it is asked for."""

    tokens: list[Token]
    tree: list[Node] | None = field(default=None)


class Parses:
    """The block parses of recent texts and of pieces of them, each made once.

    The structure rules parse a note and the layout parses it again when they changed nothing, and
    copies of a note (or of a whole vault) repeat. The tokens and trees are shared: callers only read them.
    """

    def __init__(self) -> None:
        self._texts = Memo(PARSE_MEMO_CHARACTERS)  # text -> _ParsedText, weighed by the texts' characters
        # (parser, piece, its lines) -> PieceParse, weighed by the pieces' characters. The same text is one
        # line longer as the end of a note than inside one ("a\n" is "a" and "").
        self._pieces = Memo(PARSE_MEMO_CHARACTERS)

    def __reduce__(self):
        # A worker process starts with an empty memo: what the parent remembered is not worth shipping.
        return (Parses, ())

    def blocks(self, text: str) -> list[Token]:
        """PARSER.parse(text)."""
        return self._parsed(text).tokens

    def tree(self, text: str) -> list[Node]:
        """build_tree(PARSER.parse(text))."""
        parsed = self._parsed(text)
        if parsed.tree is None:
            parsed.tree = build_tree(parsed.tokens)
        return parsed.tree

    def lenient(self, text: str) -> LenientParse:
        """LENIENT_PARSER.parse(text), with the lines where `##Title` was read as a heading."""
        return LenientParse(*self._in_pieces(text, LENIENT_PARSER))

    def spaced(self, lenient: LenientParse, repaired: str) -> None:
        """Take a lenient parse as PARSER's reading of `repaired`: the same text with a space put after the
        hashes of every `##Title` the lenient parse read as a heading, so that PARSER reads each one the same way.
        The structure rules make that text and the layout reads it next; this saves parsing it again."""
        if repaired not in self._texts:
            self._texts.remember(repaired, _ParsedText(lenient.tokens), len(repaired))

    def _parsed(self, text: str) -> _ParsedText:
        known = self._texts.get(text)
        if known is None:
            known = self._texts.remember(text, _ParsedText(self._in_pieces(text, PARSER)[0]), len(text))
        return known

    def _piece(self, parser: MarkdownIt, piece: str, size: int) -> PieceParse:
        """The parse of one piece of `size` lines."""
        known = self._pieces.get((parser, piece, size))
        if known is None:
            env: dict = {}
            tokens = parser.parse(piece, env)
            still_open = any(
                t.level == 0 and t.type in ("fence", "html_block") and t.map and t.map[1] >= size for t in tokens
            )
            running = [t for t in tokens if t.level == 0 and t.type == DETAILS_OPEN and t.meta["runs_to_end"]]
            # Inside its code, the element runs on over a heading too.
            still_open = still_open or any(t.meta["in_code"] for t in running)
            known = self._pieces.remember((parser, piece, size),
                                          PieceParse(tokens, still_open, bool(running),
                                                     tuple(env.get(MISSING_SPACE_LINES, ()))),
                                          len(piece))
            if parser is LENIENT_PARSER and not known.missing_space and (PARSER, piece, size) not in self._pieces:
                # Where `##Title` was never read as a heading, the lenient reading is PARSER's, token for token.
                self._pieces.remember((PARSER, piece, size), known, len(piece))
        return known

    def _in_pieces(self, text: str, parser: MarkdownIt) -> tuple[list[Token], list[int]]:
        """parser.parse of a text, in pieces that each start with a `#` or a letter at the margin after a blank line.

        Such a line is a heading or paragraph text, never a list item, quote or code, and after a blank
        line it continues no list, quote, table or admonition. The only blocks that can run on over it
        are a top-level fenced code block or raw-HTML block that is still open; a piece that ends inside
        one is parsed together with the next. Notes repeat each other's sections, and a repeated piece
        is parsed once. Returns the tokens and the lines where `##Title` was read as a heading.

        A details element with no closer ends before the next heading, which may be where the next piece
        starts; a piece that ends inside one before other text is parsed together with the text up to the
        next heading that starts a piece: joined a paragraph at a time, a long note after an unclosed
        element would be parsed again for each of its paragraphs.
        """
        lines = text.split("\n")
        bounds = [
            i for i in range(1, len(lines))
            if (lines[i][:1] == "#" or lines[i][:1].isalpha()) and not lines[i - 1].strip(" \t")
        ]
        bounds.append(len(lines))
        out: list[Token] = []
        missing_space: list[int] = []
        start = 0
        index = 0
        while start < len(lines):
            end = bounds[index]
            index += 1
            while True:
                # A piece keeps the line end of its last (blank) line, as it has inside the whole text.
                piece = self._piece(parser, "\n".join(lines[start:end]) + ("\n" if end < len(lines) else ""),
                                    end - start)
                if end == len(lines) or not (piece.still_open or piece.open_details and not HEADING.match(lines[end])):
                    break
                while piece.open_details and index < len(bounds) - 1 and not HEADING.match(lines[bounds[index]]):
                    index += 1
                end = bounds[index]
                index += 1
            out.extend(_shifted(piece.tokens, start))
            missing_space.extend(line + start for line in piece.missing_space)
            start = end
        return out, missing_space


def parse_once(text: str) -> list[Token]:
    """PARSER.parse of a short text made while rendering, not remembered."""
    return PARSER.parse(text)


def code_lines(text: str, parses: Parses, kinds: tuple[str, ...] = ("fence", "code_block")) -> set[int]:
    """The lines of a text's code blocks, fenced or indented (or of other `kinds` of block), at any depth."""
    lines: set[int] = set()
    text_starts: set[int] = set()
    for token in parses.blocks(text):
        if token.type in kinds and token.map:
            lines.update(range(token.map[0], token.map[1]))
        elif token.type == "paragraph_open" and token.map:
            text_starts.add(token.map[0])
    # A block of a `<details>` element's content that ends at the closer shares its line with the text after the
    # closer, which is a paragraph of its own: the line is text.
    return lines - text_starts


def literal_lines(text: str, parses: Parses) -> set[int]:
    """The lines of a text that Python-Markdown never reads for footnotes or comments: code and raw-HTML blocks."""
    return code_lines(text, parses, ("fence", "code_block", "html_block"))
