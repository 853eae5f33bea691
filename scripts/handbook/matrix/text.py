"""Turn data strings into safe Markdown, and note Markdown into plain text for matching."""

from __future__ import annotations

import html
import re
from functools import lru_cache

_INLINE_SPECIALS = re.compile(r"([\\`*_\[\]{}|])")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_WIKILINK = re.compile(r"!?\[\[([^\]|]*)(?:\|([^\]]*))?\]\]")
_LIST_MARKER = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s+)?")
_HEADING_MARKER = re.compile(r"^\s*#{1,6}\s*")
_EMPHASIS = re.compile(r"(\*\*|__|\*|_|~~|`)")
_TAG = re.compile(r"<[^>]+>")
_SPACES = re.compile(r"\s+")


def md_text(value: str) -> str:
    """Plain data text as inline Markdown: Markdown and HTML characters are escaped."""
    escaped = html.escape(value, quote=False)
    return _INLINE_SPECIALS.sub(r"\\\1", escaped)


def md_cell(value: str) -> str:
    """Plain data text for a Markdown table cell (one line, pipes escaped)."""
    return md_text(_SPACES.sub(" ", value).strip())


def md_title(value: str) -> str:
    """Plain data text for a link title or HTML attribute: quotes and markup characters escaped."""
    escaped = html.escape(_SPACES.sub(" ", value).strip(), quote=False)
    return escaped.replace('"', "&quot;").replace("|", "&#124;")


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
