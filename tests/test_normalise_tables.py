"""Tables show every cell in its column on the site (handbook.normalise.tables and the table-cells repair)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from handbook.normalise.tables import has_outer_pipe, site_cells, site_header
from tests.conftest import body, mkdocs_markdown, norm, rules


def _table_rows(html: str) -> list[list[str]]:
    """The text of each row's cells (header first) of the only table in a page."""
    table = html.split("<table>", 1)[1].split("</table>", 1)[0]
    return [[re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)]
            for row in re.findall(r"<tr>(.*?)</tr>", table, flags=re.S)]


@pytest.mark.parametrize(("table", "shown"), [
    # A header without outer pipes over rows that have them: the rows' cells moved a column, the last dropped.
    ("Name | Value\n--- | ---\n| x | 1 |\n| y | 2 |", [["Name", "Value"], ["x", "1"], ["y", "2"]]),
    # A delimiter row with outer pipes under a header without them: not a table to the site at all.
    ("a | b\n|--|--|\n1 | 2", [["a", "b"], ["1", "2"]]),
    # A row wider than the header: the cells past its width were dropped.
    ("| a | b |\n|---|---|\n| 1 | 2 | 3 |", [["a", "b", ""], ["1", "2", "3"]]),
    # A pipe in a code span stays in its cell, as the site reads it.
    ("| a |\n|---|\n| x | `y|z` | w |", [["a", "", ""], ["x", "y|z", "w"]]),
])
def test_every_cell_shows_in_the_column_the_note_puts_it_in(tmp_path: Path, table: str, shown: list) -> None:
    note = norm(f"# T\n\n{table}\n")
    assert rules(note).count("table-cells") == 1
    assert next(r.line for r in note.repairs if r.rule == "table-cells") == 3
    assert _table_rows(mkdocs_markdown(tmp_path).convert(note.markdown)) == shown
    again = norm(note.markdown)
    assert again.markdown == note.markdown and "table-cells" not in rules(again)


@pytest.mark.parametrize("table", [
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "a | b\n--|--\n1 | 2",
    "| a | b |\n|---|---|\n1 | 2",
    "| a | b |\n|---|---|\n| 1 | 2 |  |",  # an empty cell past the header shows nothing: nothing to widen for
    "| a | b\n|---|---\n| 1 | 2",
])
def test_a_table_the_site_reads_as_written_is_left_alone(table: str) -> None:
    note = norm(f"# T\n\n{table}\n")
    assert "table-cells" not in rules(note)
    assert table in body(note)


def test_a_quoted_table_keeps_its_quote_markers_when_widened(tmp_path: Path) -> None:
    note = norm("# T\n\n> | a | b |\n> |---|---|\n> | 1 | 2 | 3 |\n")
    assert "> | a | b |  |\n> | --- | --- | --- |\n> | 1 | 2 | 3 |" in body(note)
    page = mkdocs_markdown(tmp_path).convert(note.markdown)
    assert "<blockquote>" in page and _table_rows(page)[1] == ["1", "2", "3"]


def test_the_site_reads_cells_as_python_markdown_does() -> None:
    assert site_cells("| a | `b|c` | d \\| e |", True) == [" a ", " `b|c` ", " d \\| e "]
    assert site_cells("| a | b |", False) == ["", " a ", " b ", ""]
    assert has_outer_pipe("a | b |") and has_outer_pipe("| a") and not has_outer_pipe("a | b \\|")


def test_a_header_whose_delimiter_the_site_would_not_read_is_left_as_written() -> None:
    read = site_header("a | b | c", "--- | ---", ["1 | 2 | 3"])
    assert (read.header, read.delimiter, read.changed) == ("a | b | c", "--- | ---", False)


def test_a_double_hyphen_at_a_cells_edge_is_no_dash_and_one_between_words_is() -> None:
    # A pipe ends a cell as the end of a row does, and the last cell may be written without it.
    note = norm("# T\n\n| a -- b | c -- |\n|-|-|\n| x -- y | z --\n")
    assert body(note) == "| a – b | c -- |\n|-|-|\n| x – y | z --\n"
    assert rules(note).count("dash") == 2
