"""Joining rendered blocks into one Markdown text the way Python-Markdown reads them: list items line by
line, other blocks apart, and lists of two kinds kept apart."""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it.rules_block.html_block import HTML_SEQUENCES

from ..model import Block
from .parse import parse_once

_ORDERED_START = re.compile(r"^(\d{1,9})[.)]")


@dataclass
class Rendered:
    """A block rendered to Markdown, before it becomes a model Block."""

    kind: str
    markdown: str
    line: int  # parsed-text line, 0-based
    depth: int = 0


def indent(text: str, prefix: str) -> str:
    """Prefix every non-empty line."""
    return "\n".join(prefix + line if line else line for line in text.split("\n"))


# Python-Markdown reads a numbered list right after a bulleted one (or the other way round) as one list,
# blank line or not, where CommonMark and Obsidian read two; an empty HTML comment between them ends the first.
LIST_SEPARATOR = "<!-- -->"


class ListKinds:
    """Follows a run of blocks to tell where a top-level list of the other kind (numbered, bulleted) starts."""

    def __init__(self) -> None:
        self.numbered: bool | None = None  # the kind of the last top-level item since a block that is no item

    def starts_other(self, block: Rendered | Block) -> bool:
        """Whether `block`, the next one, starts a top-level list of the other kind than the list before it."""
        if block.kind != "list_item":
            if not block.depth:  # a block inside an item (after a nested list) ends no list
                self.numbered = None
            return False
        if block.depth:
            return False
        numbered = bool(_ORDERED_START.match(block.markdown))
        other = self.numbered is not None and self.numbered != numbered
        self.numbered = numbered
        return other


def join_rendered(blocks: list[Rendered] | tuple[Block, ...], top_level: bool = False) -> str:
    """Join blocks the way Python-Markdown reads them: list items line by line, other blocks apart, and
    at a note's top level, lists of two kinds apart by LIST_SEPARATOR (inside a quote or callout it would
    be raw HTML that the next reading removes)."""
    parts: list[str] = []
    previous = None
    kinds = ListKinds()
    chunk_depth = 0  # the depth of the first block after the last blank line
    for block in blocks:
        # A list item, or a block an item holds after a nested list, at its depth.
        text = indent(block.markdown, "    " * block.depth) if block.depth else block.markdown
        if kinds.starts_other(block) and top_level:
            parts.append(f"\n\n{LIST_SEPARATOR}\n\n")
        elif previous is not None:
            together = block.kind == "list_item" and previous.kind == "list_item" and "\n\n" not in previous.markdown
            if together and block.depth > previous.depth and (
                _interrupts_not(block.markdown) or _ends_in_open_html(previous.markdown)
            ):
                # A nested numbered list that starts at another number than 1 cannot interrupt its
                # parent item's paragraph; written right under it, it would join that paragraph. An
                # HTML block that runs on to the next blank line would take the nested list in.
                together = False
            if together and block.depth < chunk_depth:
                # Python-Markdown reads the text between blank lines as one piece: an item written right
                # after a piece indented under the item before would be read into that piece, one level in.
                together = False
            parts.append("\n" if together else "\n\n")
            if not together:
                chunk_depth = block.depth
        parts.append(text)
        previous = block
    return "".join(parts)


def _interrupts_not(markdown: str) -> bool:
    """Whether a list item's text starts with a number other than 1 (which cannot interrupt a paragraph)."""
    start = _ORDERED_START.match(markdown)
    return start is not None and int(start.group(1)) != 1


# CommonMark's HTML blocks of kinds 1 to 5 (script, comment, ...) end at their own closing marker;
# the others run on to the next blank line.
_SELF_ENDING_HTML = tuple(opening for opening, _, _ in HTML_SEQUENCES[:5])


def _ends_in_open_html(item: str) -> bool:
    """Whether a list item's text ends in an HTML block that only a blank line ends (a div or a <p>,
    say, as nh3 may leave of a script block that ended itself)."""
    if "<" not in item:
        return False
    tokens = parse_once(item)
    inside = [t for t in tokens if t.level == 2]  # the first item's own blocks
    return bool(inside) and inside[-1].type == "html_block" and not any(
        opening.search(inside[-1].content) for opening in _SELF_ENDING_HTML
    )
