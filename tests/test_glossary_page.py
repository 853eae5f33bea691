"""The glossary page: every term of data/glossary.yml, searchable, in the navigation, and linked from each page's first use."""

from __future__ import annotations

import json
import re

import pytest
from pydantic import ValidationError

from handbook.glossary import Abbreviations, Glossary, Term, load_glossary, term_anchor
from handbook.glossary_page import render_glossary_page
from tests.conftest import PROJECT, BuiltSite, html

GLOSSARY = load_glossary(PROJECT / "data")
TEMPLATES = PROJECT / "templates"


def test_every_term_has_an_entry_with_its_anchor_long_name_and_other_forms() -> None:
    page = render_glossary_page(GLOSSARY, TEMPLATES)
    assert page.path == "glossary.md"
    text = page.content
    for term in GLOSSARY.terms:
        assert f"{{ #{term_anchor(term.term)} }}" in text, term.term
    rendered = html(text)
    assert 'id="term-cmk"' in rendered
    cmk = rendered.split('id="term-cmk"', 1)[1].split("<h2", 1)[0]
    assert "Customer master key" in cmk and "KMS key" in cmk
    assert "24*7*365" in html(text).split('id="term-24x7"', 1)[1].split("<h2", 1)[0]


def test_entries_are_in_alphabetical_order_case_aside() -> None:
    small = Glossary(terms=(Term(term="b2", expansion="two"), Term(term="A1", expansion="one"),
                            Term(term="c3", expansion="three")))
    headings = re.findall(r"^## (\S+)", render_glossary_page(small, TEMPLATES).content, re.M)
    assert headings == ["A1", "b2", "c3"]


def test_terms_whose_anchors_would_clash_are_refused() -> None:
    with pytest.raises(ValidationError, match="anchor"):
        Glossary(terms=(Term(term="DoS", expansion="Denial of service"), Term(term="DOS", expansion="Disk OS")))
    Glossary(terms=(Term(term="DoS", expansion="Denial of service"), Term(term="DDoS", expansion="Distributed")))


def test_anchor_is_a_valid_lowercase_id() -> None:
    assert term_anchor("SSE-KMS") == "term-sse-kms"
    assert term_anchor("N+1") == "term-nplus1"
    assert term_anchor("24x7") == "term-24x7"


def test_built_site_has_the_glossary_in_its_navigation_and_search(built_site: BuiltSite) -> None:
    page = (built_site.site / "handbook" / "glossary" / "index.html").read_text(encoding="utf-8")
    for term in GLOSSARY.terms:
        assert f'id="{term_anchor(term.term)}"' in page, term.term
    home = (built_site.site / "index.html").read_text(encoding="utf-8")
    assert 'href="handbook/glossary/"' in home  # in the navigation and linked from the home page
    index = json.loads((built_site.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    entry = next(d for d in index["docs"] if d["location"] == "handbook/glossary/#term-cmk")
    assert "Customer master key" in entry["text"]
    # A reference page: an entry never outweighs the sections that discuss the term.
    assert entry["boost"] < 1


@pytest.mark.browser
@pytest.mark.slow
def test_first_use_of_a_term_on_a_page_links_to_its_glossary_entry(page, site_url: str) -> None:
    page.goto(f"{site_url}handbook/topics/encryption-and-key-management/")
    links = page.locator("a.handbook-glossary-link")
    assert links.count() > 0
    terms = links.evaluate_all("links => links.map(a => a.textContent)")
    assert len(terms) == len(set(terms)), "a term is linked once a page"
    first = links.first
    term = first.inner_text()
    # The link holds the acronym with its tooltip, and it is the first use of that acronym on the page.
    assert first.locator("abbr").count() == 1
    uses = page.locator(".md-content article abbr", has_text=re.compile(rf"^{re.escape(term)}$"))
    assert uses.count() >= 1 and uses.first.evaluate("a => a.parentElement.classList.contains('handbook-glossary-link')")
    href = first.get_attribute("href")
    assert href.endswith(f"handbook/glossary/#{term_anchor(term)}")
    first.click()
    page.wait_for_url(re.compile(rf"handbook/glossary/#{re.escape(term_anchor(term))}$"))
    assert page.locator(f"[id='{term_anchor(term)}']").count() == 1
    # The glossary page links to no entry of its own.
    assert page.locator("a.handbook-glossary-link").count() == 0


@pytest.mark.browser
@pytest.mark.slow
def test_hovering_a_linked_term_shows_its_long_name(page, site_url: str) -> None:
    page.goto(f"{site_url}handbook/topics/encryption-and-key-management/")
    link = page.locator("a.handbook-glossary-link", has_text="KMS").first
    link.hover()
    page.wait_for_timeout(400)
    tooltip = page.locator(".md-tooltip2, .md-tooltip").filter(has_text="AWS Key Management Service")
    assert tooltip.count() >= 1


def test_generated_pages_define_only_the_terms_they_use(built_site: BuiltSite) -> None:
    abbreviations = Abbreviations(GLOSSARY)
    definition = re.compile(r"^\*\[([^\]]+)\]: ", re.M)
    pages = [p for p in (built_site.docs / "handbook").rglob("*.md") if "snippets" not in p.parts]
    assert pages
    for path in pages:
        text = path.read_text(encoding="utf-8")
        defined = set(definition.findall(text))
        body = definition.split(text, maxsplit=1)[0]
        assert defined <= abbreviations.used_in(body), path
    # The whole glossary is only in the snippet that hand-written pages include.
    snippet = built_site.docs / "handbook" / "snippets" / "abbreviations.md"
    assert set(definition.findall(snippet.read_text(encoding="utf-8"))) == {t.term for t in GLOSSARY.terms}
