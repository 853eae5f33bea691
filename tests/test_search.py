"""Search as readers use it: realistic questions through the real search box, acronyms, hostile queries."""

from __future__ import annotations

import json
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from handbook.glossary import load_glossary
from handbook.search import keywords_for, other_spellings
from handbook.words import word_set
from tests.conftest import PROJECT, BuiltSite

sys.path.insert(0, str(PROJECT / "scripts"))
from search_quality import TOP, ask_with, load_questions, result_pages  # noqa: E402

QUESTIONS = load_questions()
GLOSSARY = load_glossary(PROJECT / "data")


def test_acronyms_and_long_names_find_each_other() -> None:
    assert keywords_for("Use SSL to stop MITM attacks", GLOSSARY)[:3] == ["MITM", "Man-in-the-middle attack", "man in the middle"]
    assert "IAM" in keywords_for("set up AWS Identity and Access Management (IAM) users", GLOSSARY)
    assert "24x7" in keywords_for("Staff operator provide 24*7*365", GLOSSARY)
    assert "KMS key" in keywords_for("a customer master key (CMK)", GLOSSARY)
    assert keywords_for("nothing to see", GLOSSARY) == []


def test_british_and_american_spellings_find_each_other() -> None:
    assert other_spellings(word_set("Physical security of data centers; we organised the licence")) == [
        "centres", "license", "organized"]
    # Every inflected form is listed on its own, and a text holding both spellings gains neither.
    assert other_spellings(word_set("analysing, analyzing")) == []
    assert other_spellings(word_set("colours")) == ["colors"]
    assert other_spellings(word_set("check the security group")) == []


_FORMS = sorted({form for t in GLOSSARY.terms for form in (t.term, t.expansion, *t.search)})


@settings(max_examples=300)
@given(st.lists(st.sampled_from(_FORMS) | st.sampled_from([" ", "-", "x", "(", ")", "*", "\n"]) | st.text(max_size=3),
                max_size=8).map("".join))
def test_keywords_are_those_every_pattern_finds(text: str) -> None:
    from handbook.search import _phrase, _term

    expected: list[str] = []
    for term in GLOSSARY.terms:
        forms = (term.expansion, *term.search, *((term.former,) if term.former else ()))
        if any(p.search(text) for p in (_term(term.term), *map(_phrase, forms))):
            for word in (term.term, term.expansion, *term.search, *((term.former,) if term.former else ())):
                if word not in expected:
                    expected.append(word)
    assert keywords_for(text, GLOSSARY) == expected


def test_search_index_carries_the_keywords(built_site: BuiltSite) -> None:
    index = json.loads((built_site.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    section = next(d for d in index["docs"] if d["location"].startswith("handbook/topics/network-security/")
                   and "MITM" in d["text"])
    # Indexed, but in a hidden element so that result previews show only the section's own text.
    assert section["text"].endswith("</span>")
    assert "Man-in-the-middle attack" in section["text"].rsplit("<span hidden>", 1)[1]
    # A section that spells a word one way is found by the other spelling too.
    centers = next(d for d in index["docs"] if "data centers" in d["text"].split("<span hidden>")[0])
    assert "centres" in centers["text"].rsplit("<span hidden>", 1)[1].removesuffix("</span>").split()
    # Note pages and the report repeat text that is searchable where it was merged.
    assert not any(d["location"].startswith(("handbook/notes/003", "handbook/report/")) for d in index["docs"])


@pytest.fixture(scope="module")
def answers(site_url: str, browser) -> dict[str, list[str]]:
    """Every question asked once through the search box of the built seed site."""
    return {q["query"]: pages for q, pages in ask_with(browser, site_url, QUESTIONS)}


def test_there_are_at_least_25_questions() -> None:
    assert len(QUESTIONS) >= 25


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("question", QUESTIONS, ids=[q["query"] for q in QUESTIONS])
def test_question_finds_its_page_in_the_top_three(answers: dict[str, list[str]], question: dict[str, str]) -> None:
    pages = {question["page"], *question.get("also", ())}
    assert pages & set(answers[question["query"]][:TOP]), answers[question["query"]][:TOP]


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize(
    "query",
    ['"shared responsibility', "a.*b[c(d", "+++ --- ~~ ^^", "\\", "🔐 encryption ☁️", "x" * 2000, "<script>alert(1)</script>"],
    ids=["unbalanced-quote", "regex-characters", "lunr-operators", "backslash", "emoji", "2000-characters", "html"],
)
def test_any_query_returns_without_a_javascript_error(page, site_url: str, query: str) -> None:
    page.goto(site_url)
    box = page.locator("input.md-search__input")
    box.click()
    box.fill(query)
    page.keyboard.press("End")
    page.keyboard.type(" ")
    page.wait_for_function("document.querySelector('.md-search-result__meta') !== null", timeout=10_000)
    page.wait_for_timeout(300)
    assert page.locator(".md-search-result__meta").inner_text()


@pytest.mark.browser
@pytest.mark.slow
def test_result_previews_do_not_show_the_added_keywords(page, site_url: str) -> None:
    page.goto(site_url)
    page.locator("input.md-search__input").click()
    assert result_pages(page, site_url, "availability zone")  # typed as a reader types, results settled
    previews = page.locator(".md-search-result__article").all_inner_texts()
    assert previews
    assert not any("Availability Zone availability zones" in text for text in previews)


@pytest.mark.browser
@pytest.mark.slow
def test_filler_words_do_not_outrank_the_answer(page, site_url: str) -> None:
    # Every query word is matched as a prefix, so "in" alone would favour pages full of "incident"/"industry".
    page.goto(site_url)
    page.locator("input.md-search__input").click()
    assert result_pages(page, site_url, "encryption in transit")[0] == "handbook/topics/encryption-and-key-management/"
