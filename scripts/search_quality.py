#!/usr/bin/env python3
"""Ask the real search box of built sites the question sets and print top-1 and top-3 hit rates.

Each question names the notes its site is built from (`seeds` or a vault of the shared corpora) and
the sections that answer it. Every site is built twice: as the handbook, and as a plain MkDocs +
Material site of the raw notes with the default search. The search box of each is asked every
question in headless Chromium; a result is a section a result entry shows (a page's best sections,
as Material shows them: each counts as one result), and a hit at rank n means the n-th result is a
section that holds the answer: one the question names on the handbook (or a piece the handbook split it into), one whose
text holds the question's `answer` words on the plain site. Questions of a vault that is not beside the
project are skipped.

    .venv/bin/python scripts/search_quality.py                 # both halves, all sites
    .venv/bin/python scripts/search_quality.py --sets tuning   # the tuning half only
    .venv/bin/python scripts/search_quality.py --work DIR --rebuild   # keep the sites, build the handbook again
    .venv/bin/python scripts/search_quality.py --misses tuning held-out   # the held-out misses too, once done
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import html
import http.server
import json
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml

PROJECT = Path(__file__).resolve().parent.parent
if str(PROJECT / "scripts") not in sys.path:
    sys.path.insert(0, str(PROJECT / "scripts"))
TESTS = PROJECT / "tests"
QUESTIONS = TESTS / "search_questions.yml"
QUESTION_SETS = {"tuning": TESTS / "search_questions_tuning.yml", "held-out": TESTS / "search_questions_heldout.yml"}
CORPORA = PROJECT.parent / "shared" / "corpora"
SEEDS = "seeds"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
TOP = 3
KINDS = ("handbook", "plain")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:  # noqa: A002
        pass


@dataclass(frozen=True)
class Question:
    """A question, the notes its site is built from, the sections that answer it and words they hold."""

    query: str
    site: str
    sections: tuple[str, ...]
    answer: str


def load_questions() -> list[dict[str, str]]:
    """The page-level question set of the seed site: query and expected page address."""
    return yaml.safe_load(QUESTIONS.read_text(encoding="utf-8"))["questions"]


def load_set(path: Path) -> list[Question]:
    """One half of the section-level question set."""
    return [Question(q["query"], q["site"], tuple(q["sections"]), q["answer"])
            for q in yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]]


def half_of(query: str) -> str:
    """The half a question belongs to, by its query alone."""
    return "tuning" if hashlib.sha256(query.encode("utf-8")).digest()[0] % 2 == 0 else "held-out"


def notes_dir(site: str) -> Path | None:
    """The notes folder a question's site is built from, or None when that vault is absent."""
    if site == SEEDS:
        return PROJECT / "data" / "notes"
    vault = CORPORA / site
    return vault if vault.is_dir() else None


def settled_results(page, quiet_ms: int = 300, limit_ms: int = 10_000) -> list[list[str]]:
    """The result entries once they stop changing (the theme renders the first ten, then the rest).

    An entry is the list of addresses it shows first: the page's best sections, or the page itself when
    no section of it outscores it (Material folds the rest under "more").
    """
    read = """items => items.map(item => {
        const links = [...item.querySelectorAll(':scope > a.md-search-result__link')].map(a => a.href);
        return links.length > 1 ? links.slice(1) : links;
    })"""
    last, still, waited = None, 0, 0
    while waited < limit_ms:
        entries = page.locator(".md-search-result__item").evaluate_all(read)
        still = still + 50 if entries == last else 0
        if still >= quiet_ms:
            return entries
        last = entries
        page.wait_for_timeout(50)
        waited += 50
    return last or []


def type_query(page, query: str) -> None:
    """Put `query` in the search box once the index is loaded, and wait for its answer.

    The box is emptied first and the query entered at once, so that the theme runs one search: typed a
    key at a time, every prefix of the query is a search of its own, and on a large index the answer to
    an earlier prefix can look settled while the worker is still busy with the rest.
    """
    box = page.locator("input.md-search__input")
    # Until its index is loaded the search says "Initializing search" and answers nothing.
    page.wait_for_function(
        "() => { const m = document.querySelector('.md-search-result__meta');"
        " return m && !/Initializing/.test(m.textContent); }", timeout=60_000)
    # The theme reads the box on a key's release, so each change ends with one (End moves no text).
    box.fill("")
    box.press("End")
    page.wait_for_function("() => !document.querySelector('.md-search-result__item')", timeout=30_000)
    box.fill(query)
    box.press("End")
    page.wait_for_function(
        "() => document.querySelector('.md-search-result__item') || "
        "/No matching/.test(document.querySelector('.md-search-result__meta').textContent)", timeout=30_000)


def _relative(href: str, base_url: str) -> str:
    """An address under the site root, with its anchor but without the highlight query."""
    parts = urlsplit(href)
    base = urlsplit(base_url).path
    path = parts.path[len(base):] if parts.path.startswith(base) else parts.path.lstrip("/")
    return unquote(path) + (f"#{unquote(parts.fragment)}" if parts.fragment else "")


def result_entries(page, base_url: str, query: str) -> list[list[str]]:
    """The addresses (page#anchor) each result entry for `query` leads to, best entry first."""
    type_query(page, query)
    return [[_relative(href, base_url) for href in entry] for entry in settled_results(page)]


def result_pages(page, base_url: str, query: str) -> list[str]:
    """The page addresses of the search results for `query`, best first."""
    pages: list[str] = []
    for entry in result_entries(page, base_url, query):
        path = entry[0].split("#", 1)[0] if entry else ""
        if path not in pages:
            pages.append(path)
    return pages


def ask_with(browser, base_url: str, questions: list[dict[str, str]]) -> list[tuple[dict[str, str], list[str]]]:
    """Run every page-level question through the real search box of one tab; pairs of question and result pages."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(base_url)
        page.locator("input.md-search__input").click()
        return [(question, result_pages(page, base_url, question["query"])) for question in questions]
    finally:
        page.close()


def start_page(site: Path) -> str:
    """A page of the site that has the search box: its home page, or its first indexed page when it has none."""
    if (site / "index.html").exists():
        return ""
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    return index["docs"][0]["location"].split("#", 1)[0] if index["docs"] else ""


def entries_with(browser, base_url: str, queries: list[str], start: str = "") -> dict[str, list[list[str]]]:
    """The result entries of every query, asked through the real search box of one tab."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(base_url + start)
        page.locator("input.md-search__input").click()
        return {query: result_entries(page, base_url, query) for query in queries}
    finally:
        page.close()


def rank_of(entries: list[list[str]], answers: set[str]) -> int | None:
    """The 1-based rank of the first shown section that answers, or None: every section an entry shows counts as
    one result, so an entry that shows two of its page's sections takes two places."""
    shown = (address for entry in entries for address in entry)
    return next((rank for rank, address in enumerate(shown, 1) if address in answers), None)


# -- Building the two sites of a notes folder --------------------------------------------------------------------

def build_handbook(notes: Path, into: Path) -> Path:
    """The handbook of `notes`, built into a project copy under `into`; returns its site folder."""
    from workbench import prepare_root

    root = prepare_root(into)
    subprocess.run([sys.executable, str(PROJECT / "scripts" / "build.py"), "--root", str(root), "--notes", str(notes),
                    "--quiet"], check=True, stdout=subprocess.DEVNULL)
    return root / "site"


def build_plain(notes: Path, into: Path) -> Path:
    """A plain MkDocs + Material site of the raw notes with the default search; returns its site folder."""
    into.mkdir(parents=True, exist_ok=True)
    config = {"site_name": "Notes", "docs_dir": str(notes), "site_dir": str(into / "site"),
              "theme": {"name": "material", "features": ["search.highlight", "search.suggest"]},
              "plugins": ["search"]}
    (into / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "--config-file", str(into / "mkdocs.yml")],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return into / "site"


_TAGS = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


def _plain_text(markup: str) -> str:
    return _SPACE.sub(" ", html.unescape(_TAGS.sub(" ", markup))).lower()


def _index_docs(site: Path) -> list[dict]:
    return json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]


def pieces_of(site: Path) -> dict[str, str]:
    """The pieces the handbook split long sections into, each mapped to its section (addresses unquoted)."""
    from handbook.search import piece_sections

    return {unquote(piece): unquote(section) for piece, section in piece_sections(_index_docs(site)).items()}


def with_pieces(sections: set[str], pieces: dict[str, str]) -> set[str]:
    """The addresses that lead into these sections: the sections and the pieces they were split into."""
    return sections | {piece for piece, section in pieces.items() if section in sections}


def sections_holding(site: Path, answer: str) -> set[str]:
    """The addresses of a site's indexed sections whose text (with that of their pieces) holds `answer`
    (case and spacing aside)."""
    docs = _index_docs(site)
    sections = pieces_of(site)
    words = _SPACE.sub(" ", answer).lower()
    # Text the handbook adds for the search only (glossary words) is not the section's own. A section's
    # text is read whole, its pieces put back together: an answer may run across two of them.
    texts: dict[str, list[str]] = {}
    for doc in docs:
        # Index locations are written as addresses (`1.%20Security/`); results are compared unquoted.
        location = unquote(doc["location"])
        own = doc.get("text", "").split("<span hidden>")[0]
        if location in sections:
            texts[sections[location]].append(own)
        else:
            texts[location] = [f"{doc.get('title', '')} {own}"]
    return {location for location, parts in texts.items() if words in _plain_text(" ".join(parts))}


@contextmanager
def served(site: Path) -> Iterator[str]:
    """Serve a built site on 127.0.0.1; yields its base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


# -- The report --------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Outcome:
    """Where one site put the answer to one question."""

    question: Question
    half: str
    kind: str
    rank: int | None
    shown: tuple[str, ...]


def measure(questions: dict[str, list[Question]], work: Path, kinds: tuple[str, ...],
            rebuild: bool = False) -> list[Outcome]:
    """Build each needed site once (the handbook again when `rebuild`) and ask it its questions."""
    from playwright.sync_api import sync_playwright

    by_site: dict[str, list[tuple[str, Question]]] = {}
    for half, qs in questions.items():
        for q in qs:
            by_site.setdefault(q.site, []).append((half, q))
    outcomes: list[Outcome] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            for site_name, asked in sorted(by_site.items()):
                notes = notes_dir(site_name)
                if notes is None:
                    print(f"skipped {len(asked)} questions: the {site_name} vault is not beside the project")
                    continue
                for kind in kinds:
                    folder = work / site_name / kind
                    site = folder / "site"
                    if rebuild and kind == "handbook" and site.exists():
                        # The folder's build cache stays: only what the code changes is made again.
                        print(f"rebuilding the {kind} site of {site_name} …", flush=True)
                        for made in folder.iterdir():
                            if made.name != ".cache":
                                shutil.rmtree(made) if made.is_dir() else made.unlink()
                        site = build_handbook(notes, folder)
                    elif not (site / "search" / "search_index.json").exists():
                        print(f"building the {kind} site of {site_name} …", flush=True)
                        shutil.rmtree(folder, ignore_errors=True)
                        site = (build_handbook if kind == "handbook" else build_plain)(notes, folder)
                    with served(site) as url:
                        entries = entries_with(browser, url, [q.query for _, q in asked], start_page(site))
                    pieces = pieces_of(site)
                    for half, q in asked:
                        sections = set(q.sections) if kind == "handbook" else sections_holding(site, q.answer)
                        answers = with_pieces(sections, pieces)
                        got = entries[q.query]
                        outcomes.append(Outcome(q, half, kind, rank_of(got, answers),
                                                tuple(e[0] if e else "" for e in got[:TOP])))
        finally:
            browser.close()
    return outcomes


def rate(outcomes: list[Outcome], top: int) -> str:
    if not outcomes:
        return "   –"
    hits = sum(o.rank is not None and o.rank <= top for o in outcomes)
    return f"{hits:3d}/{len(outcomes):<3d} {hits / len(outcomes):4.0%}"


def report(outcomes: list[Outcome], halves: list[str], kinds: tuple[str, ...], show_misses: set[str]) -> None:
    """Print the hit-rate table, per half and site kind, then the misses of the halves asked for."""
    print()
    print(f"{'':10} {'':9} {'top-1':>14} {'top-3':>14}")
    for half in halves:
        for kind in kinds:
            chosen = [o for o in outcomes if o.half == half and o.kind == kind]
            print(f"{half:10} {kind:9} {rate(chosen, 1):>14} {rate(chosen, TOP):>14}")
    sites = sorted({o.question.site for o in outcomes})
    print()
    for half in halves:
        for site in sites:
            for kind in kinds:
                chosen = [o for o in outcomes if o.half == half and o.kind == kind and o.question.site == site]
                if chosen:
                    print(f"  {half:9} {site:13} {kind:9} top-1 {rate(chosen, 1)}  top-3 {rate(chosen, TOP)}")
    for half in halves:
        if half not in show_misses:
            continue
        misses = [o for o in outcomes if o.half == half and o.kind == "handbook" and (o.rank is None or o.rank > 1)]
        print(f"\n{half}: handbook results without the answer first ({len(misses)})")
        for o in misses:
            where = f"#{o.rank}" if o.rank else "missing"
            print(f"  {'MISS' if o.rank is None or o.rank > TOP else 'low ':4} {where:>8}  [{o.question.site}] "
                  f"{o.question.query!r} -> {o.question.sections[0]}{' …' if len(o.question.sections) > 1 else ''}"
                  f"\n{'':17}got {list(o.shown)}")


def main(argv: list[str] | None = None) -> int:
    """Build the sites, ask the questions and print the rates and misses."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sets", nargs="+", choices=list(QUESTION_SETS), default=list(QUESTION_SETS))
    parser.add_argument("--sites", nargs="+", help="only the questions of these sites (seeds or vault names)")
    parser.add_argument("--kinds", nargs="+", choices=KINDS, default=list(KINDS))
    # The held-out half's misses are printed only on request, so that a run made while tuning never shows them.
    parser.add_argument("--misses", nargs="*", choices=list(QUESTION_SETS), default=["tuning"],
                        help="the halves whose misses to print (default: the tuning half's)")
    parser.add_argument("--work", type=Path, help="keep the built sites here and reuse them on the next run")
    parser.add_argument("--rebuild", action="store_true",
                        help="build the handbook sites kept in --work again (after a change to the code)")
    args = parser.parse_args(argv)
    questions = {half: [q for q in load_set(QUESTION_SETS[half]) if not args.sites or q.site in args.sites]
                 for half in args.sets}
    work = args.work or Path(tempfile.mkdtemp(prefix="search-quality-"))
    try:
        outcomes = measure(questions, work, tuple(args.kinds), args.rebuild)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    report(outcomes, args.sets, tuple(args.kinds), set(args.misses) & set(args.sets))
    return 0


if __name__ == "__main__":
    sys.exit(main())
