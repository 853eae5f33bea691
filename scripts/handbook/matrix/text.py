"""Turn data strings into safe Markdown, and note Markdown into plain text for matching."""

from __future__ import annotations

import html
import re
from functools import lru_cache

from ..templating import md_cell, md_text, md_title  # noqa: F401  (re-exported: the matrix's data text filters)

# Each pattern's last branch takes at once the text that a failed match read (`[` up to the next `]`, a
# destination that no `)` closes, a `<` that no `>` closes): every opening in it would fail the same way,
# and trying each in turn made a block of unclosed brackets cost the square of its length.
_LINK = re.compile(r"!?\[(?P<text>[^\]]*)\]\([^)]*\)|\[[^\]]*+(?:\]\([^)]*+)?")
_WIKILINK = re.compile(r"!?\[\[(?P<target>[^\]|]*)(?:\|(?P<alias>[^\]]*))?\]\]|\[\[[^\]]*+")
_LIST_MARKER = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s+)?")
_HEADING_MARKER = re.compile(r"^\s*#{1,6}\s*")
_EMPHASIS = re.compile(r"(\*\*|__|\*|_|~~|`)")
_TAG = re.compile(r"<[^>]+>|(?P<unclosed><[^>]*+)")
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=1 << 16)  # copies of a note repeat the same blocks, and several rules read each block
def plain_text(markdown: str) -> str:
    """A block's Markdown reduced to its words: links to their text, markers and emphasis removed."""
    lines = []
    for line in markdown.splitlines():
        line = _HEADING_MARKER.sub("", _LIST_MARKER.sub("", line))
        lines.append(line)
    text = " ".join(lines)
    text = _WIKILINK.sub(lambda m: m.group() if m.group("target") is None else m.group("alias") or m.group("target"),
                         text)
    text = _LINK.sub(lambda m: m.group() if m.group("text") is None else m.group("text"), text)
    text = _TAG.sub(lambda m: m.group() if m.group("unclosed") is not None else "", text)
    text = _EMPHASIS.sub("", text)
    return _SPACES.sub(" ", html.unescape(text)).strip()


def shorten(text: str, limit: int = 200) -> str:
    """Cut text at a word boundary so it fits in `limit` characters, marking the cut with '…'."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:–-")
    return cut + "…"
