"""Obsidian's wikilinks (`[[Note#Heading|alias]]`), as Markdown links to `note:` URLs."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import quote

from ...paths import file_stem
from ..registry import OBSIDIAN_WIKILINK

if TYPE_CHECKING:
    from ..inline import Unit

_MARKDOWN_SPECIAL = re.compile(r"([\\`*\[\]<>])")


def escape_text(text: str) -> str:
    """Escape the characters that would start Markdown syntax inside link or emphasis text."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def note_link(target: str, heading: str, alias: str) -> str:
    """A Markdown link to another note with a `note:` URL the renderer resolves later."""
    target = target.strip()
    heading = heading.strip()
    # A link to a block (`#^fact-1`) reads as the note's name: the block id is not text.
    shown = file_stem(target) if heading.startswith("^") else heading.rsplit("#", 1)[-1].strip()
    text = alias.strip() or shown or target or "link"
    url = "note:" + quote(target, safe="/")
    if heading:
        url += "#" + quote(heading, safe="")
    return f"[{escape_text(text)}]({url})"


def convert_wikilink(inner: str, unit: Unit, line: int) -> str:
    """Turn `[[Note#Heading|alias]]` into a Markdown link with a `note:` URL; `[[#Heading]]` is this note's."""
    inner = inner.replace("\\|", "|")
    target, _, alias = inner.partition("|")
    target, _, heading = target.partition("#")
    link = note_link(target if target.strip() else unit.log.note, heading, alias)
    unit.log.repair(line, OBSIDIAN_WIKILINK, f"[[{inner}]]", link)
    return link
