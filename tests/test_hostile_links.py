"""No note can make the site run script: every hostile link, tag and attachment, built and then clicked in
Chromium; and the theme's pages load under the site's Content-Security-Policy without a violation."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from handbook.urlcheck import site_violations
from tests.conftest import BuiltSite, copy_project, run_build, serve

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# Every payload calls alert(), which Playwright sees as a dialog, and sets a flag the test reads back.
HIT = "top.__pwned=1;alert(1)"
HOSTILE_NOTES = {
    "links.md": f"""# Hostile links

A space before the target: [space]( javascript:{HIT}) and a tab: [tab](\tjavascript:{HIT}).

A target on the next line: [next](
javascript:{HIT}).

Nested parentheses: [nested](javascript:alert((1))) and an image: ![pic]( javascript:{HIT}).

Spelt with character references: [entity](jav&#x61;script:{HIT}) and [decimal](&#106;avascript:{HIT})
and [colon](javascript&colon;{HIT}) and [tab entity](java&#9;script:{HIT}).

A tab inside the scheme: [inside](java\tscript:{HIT}), upper case: [upper](JaVaScRiPt:{HIT}),
angle brackets: [angled](<javascript:{HIT}>) and [spaced angled]( < javascript:{HIT}>).

Other schemes: [vb](vbscript:msgbox(1)), [data](data:text/html,<script>{HIT}</script>),
[file](file:///etc/passwd), [phone](tel:+123) and [vault](obsidian://open?vault=V).

References: [by label][bad], [bad] and [bad][], [spelt][spelt] and [next line][later].

Autolinks: <javascript:{HIT}> and <javascript://%0A{HIT}> and <javascript:x/onclick={HIT}>.

Marker HOSTILE-LINKS.

[bad]: javascript:{HIT}
[spelt]: <jav&#x61;script:{HIT}> "title"
[later]:
  javascript:{HIT}
""",
    "tags.md": f"""# Hostile tags

<a href="javascript:{HIT}">anchor</a> <a href="jav&#x61;script:{HIT}">spelt anchor</a>
<img src="javascript:{HIT}"> <img src=x onerror="{HIT}"> <iframe src="javascript:{HIT}"></iframe>
<iframe srcdoc="<script>{HIT}</script>"></iframe> <object data="javascript:{HIT}"></object>

<svg onload="{HIT}"><circle r="5"/></svg>

A tag only Python-Markdown reads: <svg/onload={HIT}> and <a/href=javascript:{HIT}>slash</a>
and an escaped one: \\<script>{HIT}//\\</script>.

<form action="javascript:{HIT}"><button formaction="javascript:{HIT}">send</button></form>

<div><a href="javascript:{HIT}">in a block</a><img srcset="javascript:{HIT} 1x"></div>

[attributes](https://example.com/){{ href="javascript:{HIT}" onclick="{HIT}" }}

A remote image: ![remote](https://example.com/x.png) and <img src="https://example.com/y.png">.

Marker HOSTILE-TAGS.
""",
    "front.md": f"""---
title: "Front [x](javascript:{HIT}) <svg/onload={HIT}>"
aliases: ["javascript:{HIT}"]
tags: ["javascript:{HIT}", "<img src=x onerror={HIT}>"]
author: "<script>{HIT}</script>"
source: javascript:{HIT}
url: "javascript:{HIT}"
---
Attachments: ![[evil.svg]], ![[page.html]], [the page](page.html), [svg](evil.svg), [xml](feed.xml),
and good ones: ![[fine.png]], [the picture](fine.png) and [the manual](manual.pdf).

Marker HOSTILE-FRONT.
""",
}
ATTACHMENTS = {
    "evil.svg": f'<svg xmlns="http://www.w3.org/2000/svg" onload="{HIT}"><script>{HIT}</script></svg>',
    "page.html": f"<html><body><script>{HIT}</script></body></html>",
    "feed.xml": f'<?xml version="1.0"?><x:script xmlns:x="http://www.w3.org/1999/xhtml">{HIT}</x:script>',
}
# A 1x1 PNG.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000c49444154789c63f8cfc0000003010100"
    "c9fe92ef0000000049454e44ae426082"
)
# A one-page PDF with a script of its own, which runs (if at all) in the browser's PDF viewer, never as the site.
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R/OpenAction<</S/JavaScript/JS(app.alert(1))>>>>endobj\n"
       b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 9 9]>>endobj\n"
       b"trailer<</Root 1 0 R>>\n%%EOF\n")
WITHHELD = ("evil.svg", "page.html", "feed.xml")


@dataclass
class Watch:
    """What a tab did that it must not: dialogs, requests beyond 127.0.0.1, the payloads' flag."""

    dialogs: list[str]
    remote: list[str]
    csp: list[str]


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """A site built from notes that try every way known to put script into a page."""
    root = copy_project(tmp_path_factory.mktemp("hostile-links"))
    notes = tmp_path_factory.mktemp("hostile-notes")
    for name, text in HOSTILE_NOTES.items():
        (notes / name).write_text(text, encoding="utf-8")
    for name, text in ATTACHMENTS.items():
        (notes / name).write_text(text, encoding="utf-8")
    (notes / "fine.png").write_bytes(PNG)
    (notes / "manual.pdf").write_bytes(PDF)
    assert run_build(root, notes=notes) == 0
    return BuiltSite(root)


@pytest.fixture(scope="module")
def hostile_url(hostile_site: BuiltSite) -> Iterator[str]:
    with serve(hostile_site.site) as url:
        yield url


@pytest.fixture
def tab(browser):
    """A tab that records dialogs, requests to other hosts (which it refuses) and CSP reports."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    watch = Watch([], [], [])
    page.on("dialog", lambda dialog: (watch.dialogs.append(dialog.message), dialog.dismiss()))
    page.on("console", lambda message: watch.csp.append(message.text) if "Content Security Policy" in message.text
            else None)

    def route(route) -> None:
        address = urlsplit(route.request.url)
        # The browser's own resources (its PDF viewer's, say) are no request to anyone.
        if address.hostname == "127.0.0.1" or address.scheme not in ("http", "https", "ws", "wss"):
            route.continue_()
        else:
            watch.remote.append(route.request.url)
            route.abort()

    context.route("**/*", route)
    yield page, watch
    context.close()


@pytest.fixture
def clicking_tab(tab):
    """A tab whose link clicks are plain navigations: the theme's instant navigation, which swaps pages in
    by script, would race the next page load (a `javascript:` link still runs: that is the default action)."""
    page, watch = tab
    page.context.add_init_script("window.addEventListener('click', event => event.stopImmediatePropagation(), true)")
    yield page, watch


def pwned(page) -> bool:
    """Whether a payload ran in the tab's page (each sets top.__pwned)."""
    try:
        return bool(page.evaluate("() => window.__pwned === 1"))
    except Exception:  # the page is navigating: whatever ran there had no dialog either
        return False


def hostile_pages(site: Path) -> list[str]:
    """The pages (relative URLs) that show the hostile notes' text: their own pages and the topic pages."""
    markers = re.compile(r"HOSTILE-(?:LINKS|TAGS|FRONT)")
    return sorted(path.parent.relative_to(site).as_posix() + "/" for path in site.rglob("index.html")
                  if markers.search(path.read_text(encoding="utf-8")))


# Every attribute of every element of the page as Chromium parsed it: event handlers, and URLs (as the
# browser resolves them) that are not http, https or mailto; the theme's share button aside (urlcheck.py).
_DOM_PROBLEMS = """() => {
  const problems = [];
  for (const element of document.querySelectorAll("*")) {
    for (const attribute of element.attributes) {
      const name = attribute.name.toLowerCase();
      if (name.startsWith("on") || name === "srcdoc") problems.push(`${element.tagName} ${name}`);
      if (!["href", "src", "action", "formaction", "data", "poster", "xlink:href", "srcset"].includes(name)) continue;
      if (element.dataset.mdComponent === "search-share") continue;
      const value = name === "srcset" ? attribute.value.trim().split(/\\s+/)[0] : attribute.value;
      const protocol = new URL(value, document.baseURI).protocol;
      if (!["http:", "https:", "mailto:"].includes(protocol)) problems.push(`${element.tagName} ${name}=${value}`);
    }
  }
  return problems;
}"""


def test_the_hostile_build_holds_no_url_but_web_mail_relative_or_anchor(hostile_site: BuiltSite) -> None:
    assert site_violations(hostile_site.site) == []


def test_active_attachments_are_left_out_and_shown_as_not_published(hostile_site: BuiltSite, hostile_url: str,
                                                                     tab) -> None:
    assets = {path.name for path in (hostile_site.site / "handbook" / "assets").rglob("*")}
    assert {"fine.png", "manual.pdf"} <= assets and not assets & set(WITHHELD)
    page, watch = tab
    page.goto(urljoin(hostile_url, "handbook/notes/front/"))
    marked = page.locator(".handbook-withheld-file")
    titles = marked.evaluate_all("spans => spans.map(s => s.title)")
    for name in WITHHELD:
        assert any(title.startswith(f"\u201c{name}\u201d is not published: ") for title in titles), titles
    assert page.locator("img[src$='fine.png']").evaluate("img => img.naturalWidth") == 1
    for name in WITHHELD:
        response = page.goto(urljoin(hostile_url, f"handbook/assets/{name}"))
        assert response is not None and response.status == 404
    assert watch.dialogs == [] and watch.remote == []


def test_clicking_every_link_of_every_hostile_page_runs_no_script(hostile_site: BuiltSite, hostile_url: str,
                                                                  clicking_tab) -> None:
    page, watch = clicking_tab
    pages = hostile_pages(hostile_site.site)
    assert len(pages) >= 6, pages  # each note's own page and the topic page it went to
    clicked = 0
    attachments: set[str] = set()
    for address in pages:
        url = urljoin(hostile_url, address)
        page.goto(url, wait_until="load")
        assert not pwned(page), address
        assert page.evaluate(_DOM_PROBLEMS) == [], address
        links = page.locator("article a[href]")
        # Links in a closed <details> (the repairs table) are nothing a reader clicks.
        shown = [(index, links.nth(index).get_attribute("href") or "") for index in range(links.count())
                 if links.nth(index).is_visible()]
        attachments.update(urljoin(url, href) for index, href in shown if "/assets/" in href)
        targets: set[str] = set()
        for index, href in shown:
            if href in targets or urlsplit(href).scheme in ("http", "https") and urlsplit(href).hostname != "127.0.0.1":
                # Seen by the DOM check above: the same place again, or a web page elsewhere (http or https),
                # which this test does not load.
                continue
            targets.add(href)
            if page.url.split("#")[0] != url:
                page.goto(url, wait_until="load")
            page.locator("article a[href]").nth(index).click()
            page.wait_for_load_state("load")
            assert not pwned(page), f"{address}: {href}"
            clicked += 1
    # Each attachment opened on its own, as a reader opening it in a new tab would.
    for attachment in sorted(attachments):
        response = page.goto(attachment)
        assert response is not None and response.ok, attachment
        assert not pwned(page), attachment
    assert clicked > 20 and len(attachments) == 2
    assert watch.dialogs == [], watch.dialogs
    assert watch.remote == [], watch.remote


def test_a_remote_image_is_refused_by_the_policy_and_never_requested(hostile_url: str, tab) -> None:
    page, watch = tab
    page.goto(urljoin(hostile_url, "handbook/notes/tags/"), wait_until="load")
    page.wait_for_timeout(200)
    assert watch.remote == []
    assert any("example.com/x.png" in report and "img-src" in report for report in watch.csp), watch.csp


def test_the_theme_pages_and_search_report_no_policy_violation(built_site: BuiltSite, site_url: str, tab) -> None:
    page, watch = tab
    meta = page.locator("meta[http-equiv='Content-Security-Policy']")
    service = next((built_site.site / "handbook" / "services").glob("*/index.html")).parent.name
    for address in ("", "handbook/topics/", "handbook/matrix/", f"handbook/services/{service}/", "handbook/report/",
                    "no/such/page/"):
        page.goto(urljoin(site_url, address), wait_until="load")
        assert meta.count() == 1, address
    # A note's page opens with an admonition, whose icon the theme's stylesheet draws from a data: URL.
    note = next((built_site.site / "handbook" / "notes").glob("*/index.html")).parent.name
    page.goto(urljoin(site_url, f"handbook/notes/{note}/"), wait_until="load")
    assert page.locator(".admonition").count() >= 1
    topic = next((built_site.site / "handbook" / "topics").glob("*/index.html")).parent.name
    page.goto(urljoin(site_url, f"handbook/topics/{topic}/"), wait_until="load")
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially("encryption", delay=10)
    page.wait_for_selector(".md-search-result__item a", timeout=10_000)
    page.locator(".md-search-result__item a").first.click()
    page.wait_for_load_state("load")
    page.wait_for_timeout(300)
    assert watch.csp == [], watch.csp
    assert watch.dialogs == [] and watch.remote == []
