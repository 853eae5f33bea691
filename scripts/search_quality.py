#!/usr/bin/env python3
"""Ask the built site's search box every question in tests/search_questions.yml and print the hit rate.

A question is a hit when its expected page is among the first three results. Needs
Debian's chromium; serves site/ on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from playwright.sync_api import sync_playwright

PROJECT = Path(__file__).resolve().parent.parent
QUESTIONS = PROJECT / "tests" / "search_questions.yml"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
TOP = 3


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:  # noqa: A002
        pass


def load_questions() -> list[dict[str, str]]:
    """The question set: query and expected page address."""
    return yaml.safe_load(QUESTIONS.read_text(encoding="utf-8"))["questions"]


def settled_results(page, quiet_ms: int = 300, limit_ms: int = 5000) -> list[str]:
    """The result links once they stop changing: each keystroke starts a search, and the last may still be running."""
    read = ".md-search-result__item > a"
    last, still, waited = None, 0, 0
    while waited < limit_ms:
        hrefs = page.locator(read).evaluate_all("links => links.map(a => a.href)")
        still = still + 50 if hrefs == last else 0
        if still >= quiet_ms:
            return hrefs
        last = hrefs
        page.wait_for_timeout(50)
        waited += 50
    return last or []


def result_pages(page, base_url: str, query: str) -> list[str]:
    """The page addresses of the search results for `query`, best first (sections collapse into their page)."""
    box = page.locator("input.md-search__input")
    # Until its index is loaded the search says "Initializing search" and answers nothing.
    page.wait_for_function(
        "() => { const m = document.querySelector('.md-search-result__meta');"
        " return m && !/Initializing/.test(m.textContent); }", timeout=15_000)
    box.fill("")
    box.press_sequentially(query, delay=5)
    page.wait_for_function(
        "q => document.querySelector('.md-search-result__meta') && "
        "document.querySelector('input.md-search__input').value === q", arg=query, timeout=10_000)
    hrefs = settled_results(page)
    pages: list[str] = []
    base = urlsplit(base_url).path
    for href in hrefs:
        path = urlsplit(href).path
        path = path[len(base):] if path.startswith(base) else path
        if path not in pages:
            pages.append(path)
    return pages


def ask_with(browser, base_url: str, questions: list[dict[str, str]]) -> list[tuple[dict[str, str], list[str]]]:
    """Run every question through the real search box of one tab; pairs of question and result pages."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(base_url)
        page.locator("input.md-search__input").click()
        return [(question, result_pages(page, base_url, question["query"])) for question in questions]
    finally:
        page.close()


def ask_all(base_url: str, questions: list[dict[str, str]]) -> list[tuple[dict[str, str], list[str]]]:
    """Launch Chromium and ask every question."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            return ask_with(browser, base_url, questions)
        finally:
            browser.close()


def main(argv: list[str] | None = None) -> int:
    """Print each question's rank and the overall hit rate."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--site", type=Path, default=PROJECT / "site")
    args = parser.parse_args(argv)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(args.site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    answers = ask_all(f"http://127.0.0.1:{server.server_address[1]}/", load_questions())
    server.shutdown()
    hits = 0
    for question, pages in answers:
        rank = pages.index(question["page"]) + 1 if question["page"] in pages else None
        hit = rank is not None and rank <= TOP
        hits += hit
        shown = f"#{rank}" if rank else "missing"
        print(f"{'hit ' if hit else 'MISS'} {shown:>8}  {question['query']!r} -> {question['page']}"
              + ("" if hit else f"  (got {pages[:TOP]})"))
    print(f"hit rate: {hits}/{len(answers)} = {hits / len(answers):.0%} in the top {TOP}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
