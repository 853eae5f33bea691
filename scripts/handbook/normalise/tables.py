"""A table as the site reads it: Python-Markdown's own splitting of rows into cells, and the header that makes
it show every cell of every row in the column the note puts it in.

Obsidian (like GitHub) strips each row's outer pipes on their own. Python-Markdown strips a body row's outer
pipes only when the header row has one, so under a header written without them (`Name | Value`) a row written
`| x | 1 |` starts with an empty cell, and its cells move one column right, the last one dropped. It also
drops every cell past the header's width.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import markdown
from markdown.extensions.tables import TableProcessor

@cache
def _parser() -> markdown.blockparser.BlockParser:
    """The block parser of a Python-Markdown instance with the tables extension, built once per process."""
    return markdown.Markdown(extensions=["tables"]).parser


def has_outer_pipe(row: str) -> bool:
    """Whether a row starts or ends with a pipe that Python-Markdown would take for the table's border."""
    row = row.strip(" ")
    return row.startswith("|") or TableProcessor.RE_END_BORDER.search(row) is not None


def site_cells(row: str, outer_pipes: bool) -> list[str]:
    """The cells Python-Markdown reads in a row (pipes in code spans and escaped pipes stay in their cell), with
    the outer pipes stripped when the header has them."""
    reader = TableProcessor(_parser(), {"use_align_attribute": False})  # one per call: it keeps state per table
    reader.border = outer_pipes
    return reader._split_row(row.strip(" "))


@dataclass(frozen=True)
class SiteHeader:
    """A table's header and delimiter rows as the site must read them, and whether they changed."""

    header: str
    delimiter: str
    changed: bool


def site_header(header: str, delimiter: str, body: list[str]) -> SiteHeader:
    """The header and delimiter rows with outer pipes when any row has them, and as many columns as the widest
    row fills; unchanged when the site already shows every cell in its column."""
    bordered = has_outer_pipe(header)
    pipes_added = not bordered and any(has_outer_pipe(row) for row in (delimiter, *body))
    bordered = bordered or pipes_added
    titles = site_cells(header, bordered)
    rules = site_cells(delimiter, bordered)
    if len(rules) != len(titles):
        return SiteHeader(header, delimiter, False)  # not a table to Python-Markdown either way: left as written
    width = len(titles)
    for row in body:
        filled = [number for number, cell in enumerate(site_cells(row, bordered)) if cell.strip()]
        if filled:
            width = max(width, filled[-1] + 1)
    if width == len(titles) and not pipes_added:
        return SiteHeader(header, delimiter, False)
    added = width - len(titles)
    return SiteHeader(_row([*titles, *[""] * added]), _row([*rules, *["---"] * added]), True)


def _row(cells: list[str]) -> str:
    """A row written with outer pipes, one space inside each cell's edges."""
    return "| " + " | ".join(cell.strip(" ") for cell in cells) + " |"
