"""The sections a note is laid out in, as the layout hands them to the last repairs."""

from __future__ import annotations

from ..model import record
from .join import Rendered


@record
class LaidOutSection:
    """One section of a laid-out note: its heading and the blocks rendered under it (filled as the layout walks)."""

    title: str  # plain text
    level: int
    line: int  # raw line of the heading (of the title: 1, or its heading's)
    heading: str  # the heading's Markdown line, "" for the title section
    blocks: list[Rendered]
