"""The built site as a reader uses it: in Chromium, through the search box, under a sub-path."""

from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from tests.conftest import BuiltSite, copy_project, run_build, serve

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SUB_PATH = "/handbook-site/"


def search(page, query: str) -> list[str]:
    """Type a query into Material's search box and return the result link URLs."""
    box = page.locator("input.md-search__input")
    if not box.is_visible():
        page.locator("label.md-header__button[for='__search']").first.click()
    box.click()
    box.press_sequentially(query, delay=10)
    page.wait_for_selector(".md-search-result__item a", timeout=10_000)
    return page.locator(".md-search-result__item a").evaluate_all("links => links.map(a => a.href)")


def test_search_box_finds_a_note(page, site_url: str) -> None:
    page.goto(site_url)
    assert page.title().endswith("Shared Responsibility Handbook")
    links = search(page, "decommissioning")
    assert links, "no search result for a word that is in the notes"
    page.locator(".md-search-result__item a").first.click()
    page.wait_for_load_state()
    assert "decommissioning" in page.content().lower()


@pytest.fixture(scope="module")
def sub_path_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The site built for, and served under, a project sub-path as GitHub Pages does."""
    root = copy_project(tmp_path_factory.mktemp("subpath"))
    assert run_build(root, env={"SITE_URL": f"https://example.test{SUB_PATH}"}) == 0
    with serve(root / "site", SUB_PATH) as url:
        yield url


def test_site_works_under_a_sub_path(page, sub_path_site: str) -> None:
    failed: list[str] = []
    hosts: set[str] = set()
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.on("request", lambda r: hosts.add(urlsplit(r.url).hostname or ""))
    page.goto(sub_path_site)
    page.locator("a.md-tabs__link", has_text="Build report").click()
    page.wait_for_url(f"{sub_path_site}handbook/report/")
    assert page.locator("h1").inner_text().startswith("Build report")
    assert search(page, "decommissioning")[0].startswith(sub_path_site)
    assert failed == []
    assert hosts == {"127.0.0.1"}, f"third-party requests: {hosts}"


def test_unknown_url_lands_on_a_styled_404(page, sub_path_site: str) -> None:
    failed: list[str] = []
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 and "/no/such/" not in r.url else None)
    response = page.goto(f"{sub_path_site}no/such/page/")
    assert response is not None and response.status == 404
    assert "Page not found" in page.locator("article").inner_text()
    assert failed == [], f"the 404 page could not load: {failed}"
    assert page.locator("input.md-search__input").count() == 1
    page.locator("article a", has_text="Responsibility matrix").click()
    page.wait_for_url(f"{sub_path_site}handbook/matrix/")
    assert page.locator("h1").inner_text().startswith("Responsibility matrix")


@pytest.mark.parametrize(
    "path",
    ["", "handbook/topics/aws-responsibilities/", "handbook/matrix/", "handbook/services/s3/",
     "handbook/notes/004_ef0476a4f866c9ca/", "handbook/report/", "handbook/other/"],
)
def test_pages_make_no_third_party_requests(page, site_url: str, path: str) -> None:
    requests: list[str] = []
    failed: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.goto(site_url + path)
    page.wait_for_load_state("networkidle")
    outside = [url for url in requests if urlsplit(url).hostname != "127.0.0.1" and not url.startswith("data:")]
    assert outside == []
    assert failed == []
    assert len(requests) > 3  # the page, its stylesheets, scripts and search index really loaded


# Every part of each code element between break opportunities (a space, or after a hyphen) whose
# characters do not sit on one line (more than one client rectangle).
_BROKEN_PARTS = """codes => codes.flatMap(code => {
    const text = code.firstChild, broken = [];
    let at = 0;
    for (const part of text.data.match(/[^ -]*-?/g).filter(Boolean)) {
        const start = text.data.indexOf(part, at);
        const range = document.createRange();
        range.setStart(text, start);
        range.setEnd(text, start + part.replace(/-$/, "").length);
        if (range.getClientRects().length > 1) broken.push(part);
        at = start + part.length;
    }
    return broken;
})"""


def test_file_names_in_the_notes_index_never_break_inside_a_name_on_a_phone(page, site_url: str) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{site_url}handbook/notes/")
    assert page.locator("code.handbook-path").count() == 5
    assert page.locator("code.handbook-path").evaluate_all(_BROKEN_PARTS) == []


def test_rule_ids_in_the_build_report_break_only_at_their_hyphens_on_a_phone(page, site_url: str) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{site_url}handbook/report/")
    ids = page.locator("table code.handbook-id")
    assert ids.count() >= 13 + 6  # a rule per contradiction, and the table of merge rules
    assert ids.evaluate_all(_BROKEN_PARTS) == []


def test_a_note_page_leads_to_what_each_repair_rule_does(page, built_site: BuiltSite, site_url: str) -> None:
    from handbook.normalise.catalogue import REPAIR_RULES
    from handbook.paths import note_page

    note = json.loads((built_site.site / "report.json").read_text(encoding="utf-8"))["repairs"][0]["note"]
    page.goto(site_url + "handbook/" + note_page(note).removesuffix(".md") + "/")
    page.locator("#repairs ~ p small a", has_text="build report").click()
    page.wait_for_url("**/handbook/report/#repairs")
    rows = page.locator("xpath=//h2[@id='repairs']/following::table[1]").locator("tbody tr").evaluate_all(
        "rows => rows.map(row => [...row.children].map(cell => cell.innerText))")
    assert rows and [(rule, text) for rule, _, text in rows if text != REPAIR_RULES[rule].replace("`", "")] == []


def test_each_repair_of_a_note_is_a_row_of_its_page_as_the_browser_reads_it(page, built_site: BuiltSite,
                                                                             site_url: str) -> None:
    # The rows leave out their optional end tags: the browser must still see one row of four cells a repair.
    from handbook.paths import note_page

    repairs = json.loads((built_site.site / "report.json").read_text(encoding="utf-8"))["repairs"]
    by_note: dict[str, list[list[str]]] = {}
    for r in repairs:
        by_note.setdefault(r["note"], []).append(
            [str(r["line"]), r["rule"], *(" ".join(text.split()) or "(nothing)" for text in (r["before"], r["after"]))])
    for note, expected in sorted(by_note.items()):
        page.goto(site_url + "handbook/" + note_page(note).removesuffix(".md") + "/")
        page.locator("details.handbook-repairs summary").click()  # innerText is the text shown, once it is shown
        rows = page.locator("details.handbook-repairs tbody tr").evaluate_all(
            "rows => rows.map(row => [...row.children].map(cell => cell.tagName + ':' + cell.innerText))")
        assert rows == [[f"TD:{text}" for text in row] for row in expected], note
