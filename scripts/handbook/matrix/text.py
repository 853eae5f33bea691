"""Turn data strings into safe Markdown, and note Markdown into plain text for matching."""

from __future__ import annotations

import html
import re
from functools import lru_cache

from ..templating import md_cell, md_text, md_title  # noqa: F401  (re-exported: the matrix's data text filters)

_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_WIKILINK = re.compile(r"!?\[\[([^\]|]*)(?:\|([^\]]*))?\]\]")
_LIST_MARKER = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s+)?")
_HEADING_MARKER = re.compile(r"^\s*#{1,6}\s*")
_EMPHASIS = re.compile(r"(\*\*|__|\*|_|~~|`)")
_TAG = re.compile(r"<[^>]+>")
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=1 << 16)  # copies of a note repeat the same blocks, and several rules read each block
def plain_text(markdown: str) -> str:
    """A block's Markdown reduced to its words: links to their text, markers and emphasis removed."""
    lines = []
    for line in markdown.splitlines():
        line = _HEADING_MARKER.sub("", _LIST_MARKER.sub("", line))
        lines.append(line)
    text = " ".join(lines)
    text = _WIKILINK.sub(lambda m: m.group(2) or m.group(1), text)
    text = _LINK.sub(r"\1", text)
    text = _TAG.sub("", text)
    text = _EMPHASIS.sub("", text)
    return _SPACES.sub(" ", html.unescape(text)).strip()


def shorten(text: str, limit: int = 200) -> str:
    """Cut text at a word boundary so it fits in `limit` characters, marking the cut with '…'."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:–-")
    return cut + "…"
