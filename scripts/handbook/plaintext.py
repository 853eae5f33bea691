"""The text a reader sees in Markdown, with the markup gone: what matching and comparison read."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

_CODE = ("fence", "code_block")
# A tag, comment or declaration, none reaching past the next `<`: CommonMark's own patterns read a comment
# to its end, and a text of `<!--a--->` over and over made them look for it from every `<`.
_TAG = re.compile(r"<[A-Za-z/!?][^<>]*>")


@dataclass(frozen=True)
class _Entity:
    """A character reference: as typed (`&nbsp;`) and as read."""

    markup: str
    text: str


_PENDING_LIMIT = 4096


def _skip_unclosed_bracket(state: StateInline, silent: bool) -> bool:
    """Read a `[` or `!` with no `]` anywhere after it as text: it opens no link or image, and letting the
    link rules look for the `]` made a block of unclosed brackets cost seconds per hundred kilobytes."""
    if state.src[state.pos] not in "[!":
        return False
    last_closing = state.env.setdefault("last ] of each inline text", {})
    if state.src not in last_closing:
        last_closing[state.src] = state.src.rfind("]")
    if state.pos < last_closing[state.src]:
        return False
    if not silent:
        state.pending += state.src[state.pos]
        if len(state.pending) > _PENDING_LIMIT:
            # Text waits in one string until a token is pushed: a run of brackets and words (`[a[a[a…`) added
            # to it a character at a time copied it whole each time. Pushed as a text token now and then, it
            # stays short; the text reads the same.
            state.pushPending()
    state.pos += 1
    return True


def _tag(state: StateInline, silent: bool) -> bool:
    """Read an inline tag as HTML, which has no visible text."""
    tag = _TAG.match(state.src, state.pos)
    if tag is None:
        return False
    if not silent:
        state.push("html_inline", "", 0).content = tag.group()
    state.pos = tag.end()
    return True


def _parser() -> MarkdownIt:
    """CommonMark with tables, the constructs the notes use (an admonition's body is ordinary Markdown).
    Entities and escapes stay tokens of their own, not joined into the text, so that each can be read or kept."""
    parser = MarkdownIt("commonmark").enable("table").disable("text_join")
    parser.inline.ruler.before("link", "skip_unclosed_bracket", _skip_unclosed_bracket)
    parser.inline.ruler.at("html_inline", _tag)
    return parser


_PARSER = _parser()


# Text with none of these is read by markdown-it as the paragraphs it looks like: no character that starts
# inline markup, an entity or an escape, and no line that a list, quote, heading, code block, setext
# underline, table or thematic break could start with.
_MARKUP = re.compile(r"[\\`*_\[\]<>&!|#~=\t\r\x00]|^ {0,3}(?:[-+]|\d{1,9}[.)])|^ {4}", re.M)
# A one-line list item (`- text`, `1. text`): the text after its marker, when that text is plain, is all it shows.
_ITEM_MARKER = re.compile(r" {0,3}(?:[-+]|\d{1,9}[.)]) {1,4}(?=\S)")


@lru_cache(maxsize=1 << 16)  # copies of a note repeat the same blocks, and several stages read each one
def plain_text(markdown: str, *, inline: bool = False, entities_as_written: bool = False) -> str:
    """The visible text of Markdown, one line per non-blank line of text, table row or code line: link and
    image text kept; markers, emphasis, tags and link targets left out; escapes and entities read.

    `inline` reads the text as the inside of one paragraph or heading, where a leading `1.`, `-` or `#`
    is text, not a list or heading marker. `entities_as_written` keeps `&nbsp;` and the like as typed:
    the merge compares words, and the names of the entities in padded tables of contents have always
    been among them (reading them instead makes different notes' contents lists look alike)."""
    text = _plain_as_written(markdown, inline)
    if text is None:
        text = "".join(
            piece if isinstance(piece, str) else piece.markup if entities_as_written else piece.text
            for piece in _pieces(markdown, inline)
        )
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def _plain_as_written(markdown: str, inline: bool) -> str | None:
    """The text itself where it has no markup (after a one-line list item's marker), else None: most blocks
    are plain prose, and reading them would give them back line for line."""
    item = None if inline or "\n" in markdown else _ITEM_MARKER.match(markdown)
    if item is not None:
        rest = markdown[item.end():]
        if _MARKUP.search(rest) is None:
            return rest
    return markdown if _MARKUP.search(markdown) is None else None


@lru_cache(maxsize=1 << 16)  # the merge and the matrix read the same blocks, each its own way
def _pieces(markdown: str, inline: bool) -> tuple[str | _Entity, ...]:
    """The visible text as pieces, lines ending in a newline piece, the character references on their own."""
    if inline:
        return tuple(_inline_pieces(_PARSER.parseInline(markdown)[0].children or ()))
    pieces: list[str | _Entity] = []
    in_row = False
    for token in _PARSER.parse(markdown):
        if token.type in ("tr_open", "tr_close"):
            in_row = token.type == "tr_open"
            pieces.append("\n")
        elif token.type == "inline":
            pieces += _inline_pieces(token.children or ())
            pieces.append(" " if in_row else "\n")
        elif token.type in _CODE:
            pieces += (token.content, "\n")
    return tuple(pieces)


def _inline_pieces(tokens: Sequence[Token]) -> list[str | _Entity]:
    pieces: list[str | _Entity] = []
    for token in tokens:
        if token.type in ("text", "code_inline"):
            pieces.append(token.content)
        elif token.type == "text_special":
            pieces.append(_Entity(token.markup, token.content) if token.info == "entity" else token.content)
        elif token.type in ("softbreak", "hardbreak"):
            pieces.append("\n")
        elif token.type == "image":
            pieces += _inline_pieces(token.children or ())
    return pieces
