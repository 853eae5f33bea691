"""handbook.plaintext: the visible text of Markdown that the normaliser, the merge and the matrix read."""

from __future__ import annotations

from handbook.plaintext import plain_text


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
