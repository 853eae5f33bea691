"""The matrix page builds with mkdocs --strict and works in Chromium: table, legend, keyboard reach."""

from __future__ import annotations

import functools
import http.server
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest

from handbook.matrix import Mention, load_matrix, render_matrix_pages

PROJECT = Path(__file__).resolve().parents[1]
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
SCREENSHOT = Path(tempfile.gettempdir()) / "matrix-overview-light.png"


def build_site(root: Path) -> Path:
    """A tiny MkDocs project with the project's mkdocs.yml and the generated matrix pages; returns site/."""
    docs = root / "docs"
    (docs / "handbook" / "snippets").mkdir(parents=True)
    (docs / "handbook" / "snippets" / "abbreviations.md").write_text("", encoding="utf-8")
    (docs / "stylesheets").mkdir()
    shutil.copy(PROJECT / "docs" / "stylesheets" / "handbook.css", docs / "stylesheets" / "handbook.css")
    (docs / "index.md").write_text("# Home\n", encoding="utf-8")
    (docs / "handbook" / "topics").mkdir()
    (docs / "handbook" / "topics" / "backups.md").write_text(
        "# Backups\n\n## Container services { #container-services }\n\nText.\n", encoding="utf-8")
    (docs / "SUMMARY.md").write_text(
        "* [Home](index.md)\n* [Matrix](handbook/matrix/)\n* [Services](handbook/services/)\n"
        "* [Backups](handbook/topics/backups.md)\n", encoding="utf-8")
    shutil.copy(PROJECT / "mkdocs.yml", root / "mkdocs.yml")
    mentions = {"layer:backup-recovery": [Mention("Backups › Container services", "topics/backups.md",
                                                   "container-services")]}
    for page in render_matrix_pages(load_matrix(PROJECT / "data"), PROJECT / "templates", mentions):
        target = docs / "handbook" / page.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page.content, encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=root,
                            capture_output=True, text=True, env={"NO_MKDOCS_2_WARNING": "1", "PATH": ""})
    assert result.returncode == 0, result.stderr
    return root / "site"


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the built site without logging every request."""

    def log_message(self, format, *args):  # noqa: A002 - the base class names it so
        pass


@pytest.fixture(scope="module")
def site_url(tmp_path_factory):
    site = build_site(tmp_path_factory.mktemp("matrix-site"))
    handler = functools.partial(QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    thread.join()


@pytest.fixture(scope="module")
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.mark.browser
def test_matrix_page_renders_and_is_keyboard_reachable(site_url, browser):
    matrix = load_matrix(PROJECT / "data")
    page = browser.new_page(viewport={"width": 1280, "height": 900}, color_scheme="light")
    page.goto(site_url + "handbook/matrix/", wait_until="load")
    table = page.locator(".responsibility-matrix table")
    assert table.locator("tbody tr").count() == len(matrix.layers)
    assert table.locator("tbody td").count() == len(matrix.layers) * (1 + len(matrix.categories))
    assert table.locator("thead th").count() == 1 + len(matrix.categories)
    legend = page.locator(".owner-legend")
    assert legend.is_visible()
    for owner in ("aws", "customer", "shared"):
        assert legend.locator(f".owner--{owner}").is_visible()
    # Owner badges carry a shape as well as a colour (legend CSS), so colour is not the only cue.
    shape = page.evaluate("getComputedStyle(document.querySelector('.owner--aws'), '::before').content")
    assert shape not in ("none", "normal", "")

    first_cell_link = table.locator("tbody tr").first.locator("td").nth(1).locator("a")
    for _ in range(400):  # Tab through the page until focus lands inside a matrix cell
        page.keyboard.press("Tab")
        if page.evaluate("!!document.activeElement.closest('.responsibility-matrix td:not(:first-child)')"):
            break
    else:
        raise AssertionError("Tab never reached a matrix cell")
    focused_href = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused_href == first_cell_link.get_attribute("href")
    expected = matrix.layers[0].cells[0].explanation
    tooltip = page.locator(".md-tooltip2, .md-tooltip").filter(has_text=expected)
    tooltip.first.wait_for(state="visible", timeout=5000)
    page.screenshot(path=str(SCREENSHOT), full_page=True)
    page.locator(".responsibility-matrix").screenshot(path=str(SCREENSHOT.with_name("matrix-table-light.png")))

    page.keyboard.press("Enter")
    page.wait_for_url("**/who-owns/#customer-data")
    section = page.locator("xpath=//h2[@id='customer-data']/following::table[1]")
    assert section.is_visible()
    assert expected in section.inner_text()
    page.close()
