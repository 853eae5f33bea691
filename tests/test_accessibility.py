"""axe-core in Chromium over every page type, in light and dark mode: no serious or critical violations."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAGE_TYPES = {
    "home": "",
    "topic": "handbook/topics/aws-responsibilities/",
    "matrix": "handbook/matrix/",
    "who-owns": "handbook/matrix/who-owns/",
    "category": "handbook/matrix/container/",
    "service": "handbook/services/rds/",
    "note": "handbook/notes/003_b129a807bc61c766/",
    "report": "handbook/report/",
    "not-found": "no/such/page/",
}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("page_type", sorted(PAGE_TYPES))
def test_no_serious_accessibility_violations(browser, site_url: str, page_type: str, scheme: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    try:
        page.goto(site_url + PAGE_TYPES[page_type])
        page.wait_for_load_state("networkidle")
        violations = Axe().run(page).response["violations"]
    finally:
        context.close()
    serious = [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []


def test_a_note_pages_long_texts_are_legible_on_a_phone(browser, site_url: str) -> None:
    """The repairs table and the note as written can be pages long; Lighthouse asks for 12 px at least."""
    page = browser.new_page(viewport={"width": 390, "height": 800})
    try:
        page.goto(site_url + PAGE_TYPES["note"])
        sizes = {
            selector: float(page.locator(selector).first.evaluate("e => getComputedStyle(e).fontSize")[:-2])
            for selector in ("#as-written + details pre code", "details.handbook-repairs td:nth-child(3)")
        }
    finally:
        page.close()
    assert all(size >= 12 for size in sizes.values()), sizes
