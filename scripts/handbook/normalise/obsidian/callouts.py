"""Obsidian's callouts (`> [!type]± Title` and a quoted body), as Material admonitions (`!!! type "Title"`,
`???` or `???+` when foldable)."""

from __future__ import annotations

import re
from dataclasses import dataclass

# `[!type]`, `[!type|metadata]` (themes read the metadata; the site has no use for it), then `+`/`-` and a title.
CALLOUT = re.compile(r"^\[!([A-Za-z][\w-]*)(?:\|[^\]\n]*)?\]([+-]?)[ \t]*(.*)$")
# Obsidian's callout types, and their aliases, by the admonition kind that shows them.
CALLOUT_TYPES = {
    "note": "note", "abstract": "abstract", "summary": "abstract", "tldr": "abstract", "info": "info",
    "todo": "note", "tip": "tip", "hint": "tip", "important": "tip", "success": "success", "check": "success",
    "done": "success", "question": "question", "help": "question", "faq": "question", "warning": "warning",
    "caution": "warning", "attention": "warning", "failure": "failure", "fail": "failure", "missing": "failure",
    "danger": "danger", "error": "danger", "bug": "bug", "example": "example", "quote": "quote", "cite": "quote",
}
_MARKERS = {"-": "???", "+": "???+"}


@dataclass(frozen=True)
class CalloutHead:
    """A callout's first line (inside its quote), read: `[!type]± Title`."""

    name: str  # the type as written
    fold: str  # `+`, `-` or nothing
    title: str  # as written, before any repair

    @property
    def kind(self) -> str:
        """The admonition kind that shows this type (unknown types show as notes)."""
        return CALLOUT_TYPES.get(self.name.lower(), "note")

    def untitled(self) -> str:
        """The title of a callout that has none: Obsidian shows the type's own name (`[!Resources]`,
        `[!todo]`), which the admonition's kind would replace with another (Note)."""
        return "" if self.name.lower() == self.kind else self.name[:1].upper() + self.name[1:]

    def header(self, title: str) -> str:
        """The admonition's first line, with the (repaired) title."""
        return admonition_header(_MARKERS.get(self.fold, "!!!"), self.kind, title)


def admonition_header(marker: str, kind: str, title: str) -> str:
    """The one form of every admonition's first line (a callout's, a `!!!` note's, a details element's):
    `!!! kind "Title"`, `??? kind` without a title."""
    if marker.startswith("???") and title.startswith("#"):
        title = "\\" + title  # a folded one's summary that starts with `#` would become a heading in it
    return f"{marker} {kind}" + (f' "{title}"' if title else "")


def read_callout(line: str) -> CalloutHead | None:
    """The callout a quote's first line (stripped) starts, or None."""
    match = CALLOUT.match(line)
    return None if match is None else CalloutHead(match.group(1), match.group(2), match.group(3))
