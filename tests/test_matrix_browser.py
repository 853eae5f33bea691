"""The matrix page builds with mkdocs --strict and works in Chromium: table, legend, keyboard reach."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from handbook.matrix import load_matrix

PROJECT = Path(__file__).resolve().parents[1]
SCREENSHOT = Path(tempfile.gettempdir()) / "matrix-overview-light.png"


@pytest.mark.browser
def test_matrix_page_renders_and_is_keyboard_reachable(site_url, page):
    matrix = load_matrix(PROJECT / "data")
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
