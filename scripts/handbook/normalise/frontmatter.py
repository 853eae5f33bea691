"""YAML front matter: split it off, parse it with line numbers, and check the fields we use."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any

from ..datafile import format_value, parse_yaml
from ..model import BuildError
from .memo import Memo

_FENCE = re.compile(r"^---[ \t]*$")
_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*$")


@dataclass(frozen=True)
class FrontMatter:
    """The fields of a note's front matter, and how many raw lines the block took."""

    lines: int = 0
    title: str | None = None
    tags: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    author: str | None = None
    meta: tuple[tuple[str, str], ...] = ()
    keys: tuple[str, ...] = ()


def _as_text(value: Any) -> str:
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return str(value)


def _string_list(value: Any, key: str, document, path: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        parts = re.split(r"[,\s]+", value) if key == "tags" else [value]
        return tuple(p for p in (part.strip() for part in parts) if p)
    if isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value):
        return tuple(str(v).strip() for v in value if str(v).strip())
    raise BuildError(
        path,
        f"front matter: {key}: expected a list of words or a single word; received {format_value(value)}",
        line=document.line_of((key,)),
    )


# Front-matter fields that keep a note off the site, as Quartz and Obsidian Publish read them: `draft: true`
# or `publish: false`. Their values are kept in the note's meta as "true" or "false".
PUBLISH_SWITCHES = ("draft", "publish")
_YES = frozenset({"true", "yes", "on"})
_NO = frozenset({"false", "no", "off"})


def _switch(value: Any, key: str, document, path: str) -> str:
    """A yes/no field as "true" or "false"; YAML's booleans and their spellings as text are both accepted."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and value.strip().lower() in _YES | _NO:
        return "true" if value.strip().lower() in _YES else "false"
    raise BuildError(
        path, f"front matter: {key}: expected true or false; received {format_value(value)}",
        line=document.line_of((key,)),
    )


def split_front_matter(text: str, path: str, memo: Memo | None = None) -> tuple[FrontMatter, str]:
    """Separate a leading `---` block from the body; a malformed block raises BuildError(path, line).

    `path` is the note's path in the notes folder; the build shows the error inside that folder
    (BuildError.inside), as the load stage names notes. Blocks read are remembered in `memo` (the
    context's), if one is given: copies of notes repeat them.
    """
    lines = text.split("\n")
    if not lines or not _FENCE.match(lines[0]):
        return FrontMatter(), text
    end = next((i for i in range(1, len(lines)) if _CLOSE.match(lines[i])), None)
    if end is None:
        # No closing fence: Obsidian shows this as a rule followed by text, and so do we.
        return FrontMatter(), text
    block = "\n".join(lines[1:end])
    known = memo.get(block) if memo is not None else None
    if known is None:
        known = _read_front_matter(block, path, end)
        if memo is not None:
            # Only a block that was read without error is remembered, so errors always name this note.
            memo.remember(block, known)
    return known, "\n".join(lines[end + 1 :])


def _read_front_matter(block: str, path: str, end: int) -> FrontMatter:
    """Parse and check the YAML between the fences (`end` is the closing fence's line index)."""
    try:
        document = parse_yaml(block, path, first_line=2)  # YAML line 1 is the note's line 2, after the fence
    except BuildError as exc:
        raise BuildError(path, f"front matter: {exc.message}", line=exc.line or 2) from None
    data = document.data
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise BuildError(
            path, f"front matter: expected a mapping of keys to values; received {format_value(data)}", line=2
        )
    title = data.get("title")
    if title is not None and not isinstance(title, (str, int, float)):
        raise BuildError(
            path, f"front matter: title: expected text; received {format_value(title)}",
            line=document.line_of(("title",)),
        )
    author = data.get("author")
    if isinstance(author, list) and all(isinstance(a, str) for a in author):
        author = ", ".join(author)
    elif author is not None and not isinstance(author, (str, int, float)):
        raise BuildError(
            path, f"front matter: author: expected text; received {format_value(author)}",
            line=document.line_of(("author",)),
        )
    switches = {key: _switch(data[key], key, document, path) for key in PUBLISH_SWITCHES
                if data.get(key) is not None}  # an empty field is an unset one
    tags = tuple(t.lstrip("#") for t in _string_list(data.get("tags"), "tags", document, path))
    aliases = _string_list(data.get("aliases"), "aliases", document, path)
    known = {"title", "tags", "aliases", "author"}
    meta = tuple(sorted((str(k), switches.get(str(k)) or _as_text(v)) for k, v in data.items() if str(k) not in known))
    front = FrontMatter(
        lines=end + 1,
        title=(str(title).strip() or None) if title is not None else None,
        tags=tuple(t for t in tags if t),
        aliases=aliases,
        author=str(author).strip() if author is not None else None,
        meta=meta,
        keys=tuple(str(k) for k in data),
    )
    return front
