"""Turn data strings into safe Markdown, and note Markdown into plain text for matching."""

from __future__ import annotations

from .. import plaintext
from ..templating import md_cell, md_text, md_title  # noqa: F401  (re-exported: the matrix's data text filters)


def plain_text(markdown: str) -> str:
    """A block's visible text (handbook.plaintext) on one line, as the contradiction rules and the mention
    finder read and quote it."""
    return " ".join(plaintext.plain_text(markdown).split())


def shorten(text: str, limit: int = 200) -> str:
    """Cut text at a word boundary so it fits in `limit` characters, marking the cut with '…'."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:–-")
    return cut + "…"
