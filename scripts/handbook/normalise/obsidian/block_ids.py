"""Obsidian's block ids (`text ^fact-1`, or `^my-list` alone after a list or table), which name a block
for `[[Note#^fact-1]]` links. Obsidian hides them, and so does the site; the repairs that take them off
say where each stood, which is how links find the block."""

from __future__ import annotations

import re

from ..log import RepairLog
from ..registry import OBSIDIAN_BLOCK_ID

# An id at the end of a block. Several at the end go together, so that a second pass finds none left.
BLOCK_ID = re.compile(r"(?:(?:^|[ \t])\^[A-Za-z0-9-]+)+[ \t]*$")
# The rule that takes the ids off.
BLOCK_ID_RULE = OBSIDIAN_BLOCK_ID.id
_ID_CARET = re.compile(r"(^|[ \t])\^")


def drop_block_ids(numbers: list[int], texts: list[str], log: RepairLog) -> None:
    """Take Obsidian block ids off the end of a paragraph's lines, in place, logging each.

    Lines that repairs emptied are passed over; a line that was only ids leaves the line before it
    last, and that line is read the same way.
    """
    last = len(texts) - 1
    while last >= 0:
        if texts[last]:
            block_id = BLOCK_ID.search(texts[last])
            if block_id is None:
                return
            log.repair(numbers[last], OBSIDIAN_BLOCK_ID, texts[last][block_id.start():].strip(), "")
            texts[last] = texts[last][: block_id.start()].rstrip()
            if texts[last]:
                return
        last -= 1


def escape_block_ids(text: str, block_id: re.Match[str]) -> str:
    """The text with the carets of the ids BLOCK_ID found at its end escaped, so that they read as text."""
    return text[: block_id.start()] + _ID_CARET.sub(r"\1\\^", text[block_id.start():])
