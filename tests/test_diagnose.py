"""A page MkDocs cannot build is traced to the line of the note that breaks it."""

from __future__ import annotations

from handbook.diagnose import breaking_line, site_markdown
from handbook.model import Source
from tests.conftest import PROJECT
from tests.conftest import norm


def test_an_html_block_left_open_is_found_at_its_line():
    # The normaliser marks a lone `<div>` for md_in_html; read without the mark, it swallows the rest.
    note = norm("# Layout\n\nFirst paragraph.\n\n<div>\n\nSwallowed text.\n", path="layout.md")
    convert = site_markdown(PROJECT / "mkdocs.yml")
    assert breaking_line(note, lambda text: convert(text.replace(' markdown="1"', ""))) == Source("layout.md", 5)


def test_an_html_block_left_open_reads_as_commonmark_reads_it():
    note = norm("# Layout\n\nFirst paragraph.\n\n<div>\n\nText.\n\n## Heading\n", path="layout.md")
    assert breaking_line(note, site_markdown(PROJECT / "mkdocs.yml")) is None


def test_a_note_that_reads_has_no_breaking_line():
    note = norm("# Fine\n\n<div>\n\nText.\n\n</div>\n\nMore.\n", path="fine.md")
    assert breaking_line(note, site_markdown(PROJECT / "mkdocs.yml")) is None


def test_text_an_extension_fails_on_is_found_at_its_line():
    note = norm("# Crash\n\nOne.\n\nTwo.\n\nThree BOOM.\n\nFour.\n", path="crash.md")
    convert = site_markdown(PROJECT / "mkdocs.yml")

    def failing(text: str) -> str:
        if "BOOM" in text:
            raise AttributeError("'NoneType' object has no attribute 'set'")
        return convert(text)

    assert breaking_line(note, failing) == Source("crash.md", 7)
