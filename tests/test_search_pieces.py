"""Long sections split into pieces for the search: each piece an entry of its own, at a real anchor of its page."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from urllib.parse import unquote

import pytest
from material.plugins.search.plugin import Parser

from handbook.search import (
    PIECE_MIN_CHARS, PIECE_TITLE_JOIN, rewrite_search_index, page_file, piece_sections, split_page,
)
from handbook.glossary import load_glossary
from tests.conftest import PROJECT, BuiltSite

GLOSSARY = load_glossary(PROJECT / "data")
PAGE = "guide/"


def paragraph(sentence: str) -> str:
    """A paragraph long enough to be a piece of its own: the sentence, numbered, as often as it takes."""
    return " ".join(f"{sentence} ({n})" for n in range(PIECE_MIN_CHARS // len(sentence) + 1))


LONG = paragraph("The customer encrypts the data before it leaves the application and keeps the keys.")
OTHER = paragraph("AWS runs the hypervisor that keeps each instance apart from the other customers.")
THIRD = paragraph("Backups are copied to a second Region every night, and a restore is tested each quarter.")
CELL = paragraph("AWS patches the host.")


def page_of(body: str) -> str:
    """A built page as the theme writes it: navigation around an article."""
    return ('<html><body><nav id="nav"><a href="#">Home</a></nav><div class="md-content">'
            f'<article class="md-content__inner md-typeset">\n{body}\n</article></div></body></html>')


def index_of(html: str, boost: float | None = None) -> list[dict]:
    """The index entries the theme makes of a page: its own entry, then one per section with an id."""
    article = html[html.index("<article"):html.index("</article>") + len("</article>")]
    parser = Parser()
    parser.feed(article)
    parser.close()
    docs = []
    for section in parser.data:
        location = PAGE + (f"#{section.id}" if section.id else "")
        doc = {"location": location, "title": "".join(section.title).strip() or "Guide",
               "text": "".join(section.text).strip()}
        docs.append({**doc, "boost": boost} if boost else doc)
    return docs


def split(body: str, boost: float | None = None):
    html = page_of(body)
    return html, split_page(html, index_of(html, boost))


def _plain(text: str) -> str:
    return re.sub(r"\s+", "", re.sub(r"<[^>]*>", "", text))


def test_a_long_section_becomes_one_entry_per_paragraph_each_at_an_anchor_of_its_own() -> None:
    html, result = split(f'<h1 id="guide">Guide</h1><h2 id="keys">Keys</h2><p>{LONG}</p>\n<p>{OTHER}</p>\n'
                         f'<p>{THIRD}</p>', boost=2)
    docs = {doc["location"]: doc for doc in result.docs}
    assert list(docs) == [PAGE, f"{PAGE}#guide", f"{PAGE}#keys", f"{PAGE}#keys--2", f"{PAGE}#keys--3"]
    # The section's own entry keeps its first piece; the others are entries of their own, with its boost.
    # Each keeps the page's title as context, indexed but hidden.
    assert docs[f"{PAGE}#keys"]["text"] == f"<p>{LONG}</p> <span hidden>Guide</span>"
    # A piece is titled as its section: its first words would count as title words, its preview shows them.
    assert docs[f"{PAGE}#keys--2"] == {"location": f"{PAGE}#keys--2", "title": "Keys",
                                       "text": f"<p>{OTHER}</p> <span hidden>Guide</span>", "boost": 2}
    assert docs[f"{PAGE}#keys--3"]["title"] == "Keys"
    # The page gets the anchors, and nothing else changes.
    assert f'<p id="keys--2">{OTHER}</p>' in result.html and f'<p id="keys--3">{THIRD}</p>' in result.html
    assert re.sub(r' id="keys--\d"', "", result.html) == html


def test_the_pieces_hold_the_section_text_exactly_once() -> None:
    items = "".join(f"<li><strong>Item {n}</strong>: {OTHER}</li>\n" for n in range(5))
    _, result = split(f'<h2 id="s">S</h2><p>{LONG}</p>\n<ul>\n{items}</ul>\n<p>{THIRD}</p>')
    before = index_of(page_of(f'<h2 id="s">S</h2><p>{LONG}</p>\n<ul>\n{items}</ul>\n<p>{THIRD}</p>'))
    section = next(doc for doc in before if doc["location"] == f"{PAGE}#s")
    pieces = [doc for doc in result.docs if doc["location"].startswith(f"{PAGE}#s")]
    assert len(pieces) == 7
    assert _plain("".join(re.sub("<span hidden>.*?</span>", "", doc["text"]) for doc in pieces)) == _plain(section["text"])
    # A list item shows in a list.
    assert pieces[1]["text"].startswith("<ul><li>Item 0: ") and pieces[1]["text"].endswith("</li></ul> <span hidden>Guide</span>")


def test_short_items_are_gathered_so_that_no_entry_is_a_word_or_two() -> None:
    items = "".join(f"<li>Amazon service {n}</li>\n" for n in range(PIECE_MIN_CHARS // 4))
    _, result = split(f'<h2 id="s">Services</h2><ul>\n{items}</ul>')
    pieces = [doc for doc in result.docs if doc["location"].startswith(f"{PAGE}#s")]
    assert 1 < len(pieces) < 10
    assert all(len(_plain(doc["text"])) >= PIECE_MIN_CHARS * 0.8 for doc in pieces)
    # Items of one list in one piece share one list.
    assert all(doc["text"].count("<ul>") == 1 for doc in pieces)


def test_a_short_section_stays_whole() -> None:
    body = '<h2 id="s">S</h2><p>One short paragraph.</p><p>And another.</p>'
    html, result = split(body)
    assert result.docs == tuple(index_of(html)) and result.html == html


def test_a_table_row_reads_as_header_and_cell_pairs() -> None:
    rows = "".join(f"<tr><td>Layer {n}</td><td>You</td><td>{CELL}</td></tr>\n" for n in range(3))
    body = (f'<h2 id="grid">Grid</h2><p>Who owns what.</p>\n<table>\n<thead>\n<tr><th>Layer</th><th>Owner</th>'
            f'<th>Why</th></tr>\n</thead>\n<tbody>\n{rows}</tbody>\n</table>')
    _, result = split(body)
    pieces = [doc for doc in result.docs if doc["location"].startswith(f"{PAGE}#grid")]
    assert pieces[1]["text"] == f"<p>Layer: Layer 1 · Owner: You · Why: {CELL}</p> <span hidden>Guide</span>"
    assert pieces[1]["title"] == f"Grid{PIECE_TITLE_JOIN}Layer 1"
    assert '<tr id="grid--2"><td>Layer 1</td>' in result.html
    assert pieces[0]["text"].startswith("<p>Who owns what.</p> <p>Layer: Layer 0 · Owner: You")


def test_a_short_section_with_a_table_keeps_one_entry_with_its_rows_read_as_rows() -> None:
    body = ('<h2 id="os">Host OS</h2><p>Beneath the hypervisor.</p>\n<table>\n<thead>\n<tr><th>Category</th>'
            '<th>Owner</th></tr>\n</thead>\n<tbody>\n<tr><td><a href="x/">Infrastructure</a></td><td>AWS</td></tr>\n'
            '<tr><td>Abstracted</td><td></td></tr>\n</tbody>\n</table>\n<h2 id="next">Next</h2><p>Plain.</p>')
    html, result = split(body)
    docs = index_of(html)
    assert [doc["location"] for doc in result.docs] == [doc["location"] for doc in docs]
    assert result.docs[1] == {**docs[1], "text": "<p>Beneath the hypervisor.</p> <p>Category: Infrastructure · "
                                                 "Owner: AWS</p> <p>Category: Abstracted</p>"}
    assert result.docs[2] == docs[2] and result.html == html  # no ids added, the section without a table as it was


def test_an_element_with_an_id_of_its_own_keeps_it() -> None:
    html, result = split(f'<h2 id="s">S</h2><p>{LONG}</p>\n<p>{THIRD}</p>\n<p id="mine">{OTHER}</p>')
    assert [doc["location"] for doc in result.docs][-2:] == [f"{PAGE}#s--2", f"{PAGE}#mine"]
    assert result.html == html.replace(f"<p>{THIRD}", f'<p id="s--2">{THIRD}')


def test_a_section_is_not_split_where_its_anchors_are_taken_or_its_text_is_not_the_index_text() -> None:
    taken = f'<h2 id="s">S</h2><p>{LONG}</p>\n<p>{OTHER}</p>\n<p>{THIRD}</p><h2 id="t">T</h2><p id="s--2">x</p>'
    html = page_of(taken)
    assert split_page(html, index_of(html)).docs == tuple(index_of(html))
    body = f'<h2 id="s">S</h2><p>{LONG}</p>\n<p>{OTHER}</p>\n<p>{THIRD}</p>'
    html = page_of(body)
    docs = index_of(html)
    docs[-1] = {**docs[-1], "text": docs[-1]["text"] + " <p>Text the page does not hold.</p>"}
    assert split_page(html, docs).docs == tuple(docs)


def test_a_page_without_the_theme_article_is_left_alone() -> None:
    html = f'<html><body><h2 id="s">S</h2><p>{LONG}</p><p>{OTHER}</p><p>{THIRD}</p></body></html>'
    docs = [{"location": PAGE, "title": "P", "text": ""},
            {"location": f"{PAGE}#s", "title": "S", "text": LONG + OTHER + THIRD}]
    assert split_page(html, docs).docs == tuple(docs)


def test_pieces_map_back_to_their_sections() -> None:
    _, result = split(f'<h2 id="s">S</h2><p>{LONG}</p>\n<p>{OTHER}</p>\n<p>{THIRD}</p>\n<h2 id="t">T</h2><p>{THIRD}</p>')
    assert piece_sections(list(result.docs)) == {f"{PAGE}#s--2": f"{PAGE}#s", f"{PAGE}#s--3": f"{PAGE}#s"}
    # A section whose title merely starts like another's is not its piece, nor is a page's first section.
    docs = [{"location": "a/", "title": "X", "text": ""}, {"location": "a/#x", "title": "X", "text": ""},
            {"location": "a/#y", "title": "X and Y", "text": ""}]
    assert piece_sections(docs) == {}
    # A piece at an element's own id is known by its title, the section's.
    docs = [{"location": "a/#x", "title": "X", "text": ""}, {"location": "a/#mine", "title": "X", "text": ""},
            {"location": "a/#x-1", "title": f"X{PIECE_TITLE_JOIN}Row", "text": ""}]
    assert piece_sections(docs) == {"a/#mine": "a/#x", "a/#x-1": "a/#x"}


def test_splitting_is_deterministic() -> None:
    body = f'<h2 id="s">S</h2><p>{LONG}</p>\n<ul><li>{OTHER}</li><li>{THIRD}</li><li>{LONG}</li></ul>'
    assert split(body)[1] == split(body)[1]


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.ids += [value for name, value in attrs if name == "id" and value]


@pytest.mark.slow
def test_every_entry_of_the_built_index_leads_to_an_anchor_of_its_page(built_site: BuiltSite) -> None:
    docs = json.loads((built_site.site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    pieces = piece_sections(docs)
    assert len(pieces) > 100
    anchors: dict[str, list[str]] = {}
    for doc in docs:
        page, _, anchor = doc["location"].partition("#")
        if anchor:
            anchors.setdefault(page, []).append(unquote(anchor))
    for page, wanted in anchors.items():
        reader = _Ids()
        reader.feed(page_file(built_site.site, page).read_text(encoding="utf-8"))
        assert len(reader.ids) == len(set(reader.ids)), page
        assert set(wanted) <= set(reader.ids), (page, set(wanted) - set(reader.ids))


@pytest.mark.slow
def test_the_index_is_made_once_from_the_theme_index(built_site: BuiltSite, tmp_path) -> None:
    # The keywords pass runs once per build on MkDocs' own index: a piece holds its page's title as hidden context
    # and at most one element of its own keywords (glossary terms, other spellings) after it.
    docs = json.loads((built_site.site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    pieces = [doc for doc in docs if doc["location"] in piece_sections(docs)]
    assert all(doc["text"].count("<span hidden>") <= 2 for doc in pieces)
    assert any(doc["text"].count("<span hidden>") == 2 for doc in pieces)
    assert rewrite_search_index(tmp_path, GLOSSARY) == 0  # a folder without an index is left alone


@pytest.mark.browser
@pytest.mark.slow
def test_a_piece_result_opens_its_page_at_the_piece_with_the_words_highlighted(page, site_url: str,
                                                                               built_site: BuiltSite) -> None:
    from search_quality import pieces_of, type_query

    pieces = pieces_of(built_site.site)
    page.goto(site_url)
    page.locator("input.md-search__input").click()
    for query in ("who patches the operating system on EC2 instances", "guest operating system container services",
                  "customer data encryption keys"):
        type_query(page, query)
        links = page.locator(".md-search-result__item > a.md-search-result__link")
        hrefs = [links.nth(n).get_attribute("href") for n in range(links.count())]
        found = next((n for n, href in enumerate(hrefs)
                      if unquote(href.split("#")[0].split("?")[0].removeprefix(site_url)) + "#" + href.split("#")[-1]
                      in pieces), None)
        if found is not None:
            break
    else:
        pytest.fail("no piece among the results of the queries")
    anchor = hrefs[found].split("#")[-1]
    links.nth(found).click()
    page.wait_for_load_state()
    page.wait_for_function(f"() => location.hash === '#{anchor}'")
    target = page.locator(f"[id='{anchor}']")
    assert target.count() == 1
    page.wait_for_timeout(300)
    box = target.bounding_box()
    assert box is not None and 0 <= box["y"] < 900  # scrolled to it
    assert page.locator("article mark").count() > 0
