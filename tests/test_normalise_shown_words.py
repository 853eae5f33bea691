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
          "[^1]", "[^1]: ", "[^]", "[^]: ", "*[", "]: ", '"', "'", ".", "\n", "\n\n", "\n    ", "\n  ", "<div>", "</div>", "<p>",
          "<br>", "#tag", "^id", "[!note]", "$", "$$"]
WORD = "W"
# Hidden on purpose (comments), or syntax CommonMark reads otherwise (wikilinks, MkDocs admonitions).
NOT_COMMONMARK = ("%%", "<!--", "[[", "!!!", "???")


def _shown_words(page: str) -> set[str]:
    """The numbered words a rendered page shows (a permalink's sign and tags left out, case ignored)."""
    page = re.sub(r'<a class="headerlink"[^>]*>.*?</a>', " ", page)
    # A formula's letters stand side by side (`$wq0$` is w, q and 0 in MathML): its tags part no words.
    page = re.sub(r"<math\b.*?</math>", lambda formula: re.sub(r"<[^>]+>", "", formula.group(0)), page, flags=re.S)
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


# Words written against inline markup: emphasis, code, links and marks around a word (W), braces, and punctuation
# that may open or close them. Inline elements only form around words with no space between. A tag left open at
# the end (`<wq0`), which a browser does not show, is left out.
INLINE_ATOMS = ["W", "**W**", "*W*", "_W_", "__W__", "`W`", "==W==", "~~W~~", "[W](https://a.example)", "![W](i.png)",
                "<https://b.example>", "[^1]", "{W}", "{.c}", "{: #i }", "{", "}", "[", "]", "(", ")", "](", "<", ">",
                "*", "_", "`", "\\", " ", " ", "\n", "\n\n[^1]: W\n"]
_NOT_SHOWN_AS_TEXT = re.compile(r"</?wq")


@settings(max_examples=300, suppress_health_check=list(HealthCheck), deadline=None)
@given(st.lists(st.sampled_from(INLINE_ATOMS), max_size=20))
def test_every_word_written_against_inline_markup_commonmark_shows_the_site_shows(site_markdown, atoms: list[str]) -> None:
    numbers = itertools.count()
    text = re.sub("W", lambda _: f"wq{next(numbers)}", "".join(atoms))
    if any(syntax in text for syntax in NOT_COMMONMARK) or _NOT_SHOWN_AS_TEXT.search(text):
        return
    note = norm(f"# T\n\n{text}\n")
    site_markdown.reset()
    assert _shown_words(COMMONMARK.render(text)) <= _shown_words(site_markdown.convert(note.markdown)), (text, note.markdown)


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
    "wq0\n[wq1]: wq2\nwq3 `wq4\n[wq5]: wq6`",
])
def test_shapes_the_site_once_lost_words_of(site_markdown, text: str) -> None:
    site_markdown.reset()
    assert _shown_words(COMMONMARK.render(text)) <= _shown_words(site_markdown.convert(norm(f"# T\n\n{text}\n").markdown))
