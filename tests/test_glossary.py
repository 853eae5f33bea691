"""The glossary's abbreviation definitions: which a page gets, and that the site shows the same either way."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import PROJECT, mkdocs_markdown
from handbook.glossary import Abbreviations, Glossary, Term, load_glossary
from handbook.model import GeneratedFile

SMALL = Glossary(terms=(
    Term(term="EC2", expansion="Elastic Compute Cloud"),
    Term(term="KMS", expansion="Key Management Service"),
    Term(term="SSE-KMS", expansion="Server-side encryption with KMS keys"),
    Term(term="SSE", expansion="Server-side encryption"),
    Term(term="S3", expansion="Simple Storage Service"),
))


def appended(text: str, path: str = "topics/page.md") -> str:
    """The page's text after the definitions it needs were added."""
    return Abbreviations(SMALL).append_to(GeneratedFile(path, text)).content  # type: ignore[return-value]


def test_a_page_gets_the_definitions_of_the_terms_it_uses_in_term_order():
    assert appended("Run EC2 and S3.\n") == (
        "Run EC2 and S3.\n\n*[EC2]: Elastic Compute Cloud\n\n*[S3]: Simple Storage Service\n"
    )


def test_a_term_that_starts_a_word_of_a_longer_one_is_defined_too():
    # The abbr extension finds SSE in `SSE-KMSx` and KMS in `xSSE-KMS`, where SSE-KMS has no word boundary.
    assert appended("Use SSE-KMS") == (
        "Use SSE-KMS\n\n*[KMS]: Key Management Service\n\n*[SSE]: Server-side encryption\n\n"
        "*[SSE-KMS]: Server-side encryption with KMS keys\n"
    )


def test_a_term_after_an_underscore_or_a_backslash_escape_counts_as_a_word():
    # Python-Markdown shows `\_KMS` as _KMS and finds KMS there (the escape is a placeholder that starts no
    # word), and `_EC2_` as EC2 in italics.
    assert appended("Set \\_KMS here\n").endswith("\n*[KMS]: Key Management Service\n")
    assert appended("_EC2_\n").endswith("\n*[EC2]: Elastic Compute Cloud\n")


def test_a_page_without_terms_and_files_that_are_not_pages_stay_as_they_are():
    assert appended("No acronyms in here; s3 is no term.\n") == "No acronyms in here; s3 is no term.\n"
    for path in ("SUMMARY.md", "topics/SUMMARY.md", "snippets/abbreviations.md", "report.json"):
        assert appended("EC2\n", path) == "EC2\n"


def test_the_snippet_for_hand_written_pages_defines_every_term():
    assert Abbreviations(SMALL).snippet() == GeneratedFile("snippets/abbreviations.md", (
        "*[EC2]: Elastic Compute Cloud\n\n*[KMS]: Key Management Service\n\n*[S3]: Simple Storage Service\n\n"
        "*[SSE]: Server-side encryption\n\n*[SSE-KMS]: Server-side encryption with KMS keys\n"
    ))


GLOSSARY = load_glossary(PROJECT / "data")
ALL_DEFINITIONS = Abbreviations(GLOSSARY).snippet().content
# The project's terms, run together with the markup that splits a text into several (emphasis, links,
# code, escapes, list items, headings, tables) and the characters that make or break a word boundary.
FRAGMENTS = st.sampled_from(
    [t.term for t in GLOSSARY.terms] + ["xSSE-KMS", "SSE-KMSx", "SSE-S3x", "AWS KMS", "N+1"]
    + ["**", "*", "_", "`", "\\", "\\_", "\\*", "-", "+", "[", "](x.md)", "[[", "]]", "|", " | ", "&amp;",
       " ", "\n", "\n\n", "- ", "1. ", "# ", "> ", ":", "s", "x", "2", "é"]
)


@settings(max_examples=300)
@given(st.lists(FRAGMENTS, max_size=30).map("".join).filter(str.strip))  # every page has some text
def test_the_site_shows_the_same_html_with_only_the_definitions_a_page_uses(page):
    every = mkdocs_markdown(PROJECT).convert(page + "\n\n" + ALL_DEFINITIONS)  # as every page had them before
    used = mkdocs_markdown(PROJECT).convert(Abbreviations(GLOSSARY).append_to(GeneratedFile("p.md", page)).content)
    assert used == every
