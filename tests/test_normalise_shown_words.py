"""Differential property: every word a CommonMark reader (with GitHub tables) shows of a note, the site shows too.

Random notes are put together from Markdown's punctuation and numbered words; each is read by markdown-it
(CommonMark, tables, strikethrough: close to what Obsidian shows) and, once normalised, by Python-Markdown
with the site's extensions. A word the first shows and the second does not is text the site lost. Obsidian's
own syntax (wikilinks, comments) and MkDocs' admonitions, which CommonMark reads otherwise, are left out.
"""

from __future__ import annotations

import html
import itertools
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from tests.conftest import mkdocs_markdown, norm

COMMONMARK = MarkdownIt("commonmark").enable("table").enable("strikethrough")
PIECES = ["# ", "## ", "- ", "* ", "+ ", "1. ", "3) ", "    ", "  ", "> ", "```", "~~~", "| ", " |", "|", "---",
          "--- | ---", "|---|---|", "| a | b |", "***", "**", "*", "_", "`", "\\", "[", "]", "(", ")", "<", ">", "&",
          ": ", ":", "=", "==", "===", "~~", "~", "^", "+", "{", "}", "#", " ", "\t", "1.", "{: .x }", "{#id}", "!",
          "[^1]", "[^1]: ", "*[", "]: ", '"', "'", ".", "\n", "\n\n", "\n    ", "\n  ", "<div>", "</div>", "<p>",
          "<br>", "#tag", "^id", "[!note]", "$", "$$"]
WORD = "W"
# Hidden on purpose (comments), or syntax CommonMark reads otherwise (wikilinks, MkDocs admonitions).
NOT_COMMONMARK = ("%%", "<!--", "[[", "!!!", "???")


def _shown_words(page: str) -> set[str]:
    """The numbered words a rendered page shows (a permalink's sign and tags left out, case ignored)."""
    page = re.sub(r'<a class="headerlink"[^>]*>.*?</a>', " ", page)
    return set(re.findall(r"wq\d+", html.unescape(re.sub(r"<[^>]+>", " ", page)).lower()))


@pytest.fixture(scope="module")
def site_markdown(tmp_path_factory):
    return mkdocs_markdown(tmp_path_factory.mktemp("snippets"))


@settings(max_examples=400, suppress_health_check=list(HealthCheck), deadline=None)
@given(st.lists(st.sampled_from([*PIECES, WORD]), max_size=60))
def test_every_word_commonmark_shows_the_site_shows(site_markdown, pieces: list[str]) -> None:
    numbers = itertools.count()
    text = "".join(f" wq{next(numbers)} " if piece == WORD else piece for piece in pieces)
    if any(syntax in text for syntax in NOT_COMMONMARK):
        return
    note = norm(f"# T\n\n{text}\n")
    site_markdown.reset()
    page = site_markdown.convert(note.markdown)
    assert _shown_words(COMMONMARK.render(text)) <= _shown_words(page), (text, note.markdown)


@pytest.mark.parametrize("text", [
    "Name | Value\n--- | ---\n| wq0 | wq1 |",
    "| a | b |\n|---|---|\n| wq0 | wq1 | wq2 |",
    "*[] wq0 [x]: wq1",
    "intro\n*[wq0\nwq1] : wq2",
    "wq0 [^1] wq1 [^2]\n\n[^1]: [^2]: wq2",
    "[^1]: [^1]: wq0",
    "- [^1]: [^]: wq0",
    ": [^1]: wq0",
    "[^1]: *[^1]: wq0",
    "wq0\n: [^2]: wq1",
    "{#tag wq0 }",
    "wq0\n{#id .c wq1}",
    "**wq0**{wq1} and <https://a.example>{wq2}",
])
def test_shapes_the_site_once_lost_words_of(site_markdown, text: str) -> None:
    site_markdown.reset()
    assert _shown_words(COMMONMARK.render(text)) <= _shown_words(site_markdown.convert(norm(f"# T\n\n{text}\n").markdown))
