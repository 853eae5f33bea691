"""Obsidian's own links (`obsidian://open?vault=…&file=…`), which only open in the author's app: one that
names a note becomes a link to that note's page."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, quote, urlsplit

from ..lexer import DEST_PARTS, LINK_GAP, dest_lead, dest_target
from ..registry import OBSIDIAN_URI

if TYPE_CHECKING:
    from ..inline import Unit

# Obsidian's "open" URI (`obsidian://open?vault=…&file=…`), which only opens in the author's own app.
OPEN_TARGET = re.compile(r"<?[ \t]*obsidian://open\?", re.I)
OPEN_DEST = re.compile(r"\]\(" + LINK_GAP + OPEN_TARGET.pattern, re.I)


def obsidian_uri_url(target: str) -> str | None:
    """The `note:` URL of an Obsidian URI that opens a note (`obsidian://open?vault=…&file=Folder%2FNote%23Heading`),
    which names the note as a wikilink does; None for one that names no note (it opens a vault, or a
    note by a path on the author's disk)."""
    query = parse_qs(urlsplit(target.strip("<> \t")).query)
    file = query.get("file", [""])[0]
    path, hash_, heading = file.partition("#")
    path = path.strip()
    if not path:
        return None
    if path.lower().endswith(".md"):
        path = path[:-3]
    return "note:" + quote(path, safe="/") + (hash_ + quote(heading, safe="") if heading else "")


def convert_obsidian_uri(dest: str, unit: Unit, line: int) -> str:
    """A link destination that opens a note in Obsidian, as a link to that note on the site."""
    parts = DEST_PARTS.match(dest)
    url = None if parts is None else obsidian_uri_url(dest_target(parts))
    if url is None:
        return dest
    converted = f"]({dest_lead(parts)}{url}{parts.group('rest')}"
    unit.log.repair(line, OBSIDIAN_URI, dest, converted)
    return converted


def opens_a_note(target: str) -> bool:
    """Whether a link target is an obsidian:// link that names a note, which becomes a link to its page."""
    return OPEN_TARGET.match(target) is not None and obsidian_uri_url(target) is not None


def dest_opens_a_note(dest: str) -> bool:
    """Whether a link destination (`](…)`) is an obsidian:// link that names a note (see convert_obsidian_uri)."""
    parts = OPEN_DEST.match(dest) and DEST_PARTS.match(dest)
    return bool(parts) and opens_a_note(dest_target(parts))
