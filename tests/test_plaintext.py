"""handbook.plaintext: the visible text of Markdown that the normaliser, the merge and the matrix read."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from handbook.plaintext import _pieces, plain_text


def test_markup_goes_and_the_visible_text_stays():
    markdown = "- **Bold** and _it_ see [the page](x.md), ![an image](i.png), `co_de` and <b>tags</b> \\*"
    assert plain_text(markdown) == "Bold and it see the page, an image, co_de and tags *"


def test_lines_rows_and_code_lines_each_make_a_line():
    markdown = "# Title\n\nfirst<br>\nsecond\n\n| a | b |\n|---|---|\n| c | d |\n\n```py\nx  =  1\n```\n"
    assert plain_text(markdown) == "Title\nfirst\nsecond\na b\nc d\nx = 1"


def test_entities_are_read_unless_kept_as_written():
    assert plain_text("A &amp; B&nbsp;C") == "A & B C"
    assert plain_text("A &amp; B&nbsp;C", entities_as_written=True) == "A &amp; B&nbsp;C"
    assert plain_text("`&amp;`", entities_as_written=False) == "&amp;"


def test_inline_text_keeps_what_would_start_a_list_or_heading():
    assert plain_text("1. Infrastructure Services") == "Infrastructure Services"
    assert plain_text("1. Infrastructure Services", inline=True) == "1. Infrastructure Services"
    assert plain_text("# not a heading &amp; *more*", inline=True) == "# not a heading & more"


def test_unclosed_brackets_and_tags_are_text():
    assert plain_text("[a [b](c) [d") == "[a b [d"
    assert plain_text("![x ![y](z) <!-- w") == "![x y <!-- w"


def read_by_markdown_it(markdown: str, inline: bool) -> str:
    """plain_text as markdown-it reads every text, without the shortcut for text with no markup."""
    text = "".join(piece if isinstance(piece, str) else piece.text for piece in _pieces(markdown, inline))
    return "\n".join(line for line in (" ".join(part.split()) for part in text.split("\n")) if line)


def test_a_long_run_of_unclosed_brackets_and_words_reads_whole():
    # Past the text's last `]`, brackets are text; a long run of them is pushed as several text tokens.
    run = "[a !b " * 3000
    assert plain_text("*x* " + run + "end") == "x " + run + "end"
    assert plain_text(run, inline=True) == run.strip()


@pytest.mark.parametrize("markdown", [
    "Plain prose\nover two lines", "- one item", "1. one item", "- - nested", "- 1. nested", "-    four spaces",
    "- # heading", "--- a", "text\n---", "text\n===", "    code", "2024 was a year", "12) item", "a -- b + c",
])
def test_text_without_markup_reads_as_markdown_it_reads_it(markdown: str) -> None:
    for inline in (False, True):
        assert plain_text(markdown, inline=inline) == read_by_markdown_it(markdown, inline)


@given(st.text(alphabet=st.sampled_from(list("ab1. -+)\n#>=*_ \u00a0")), max_size=30), st.booleans())
def test_the_shortcut_never_changes_what_is_read(markdown: str, inline: bool) -> None:
    assert plain_text(markdown, inline=inline) == read_by_markdown_it(markdown, inline)
