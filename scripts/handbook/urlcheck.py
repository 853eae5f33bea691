"""The last check on a built site: every URL its pages hold is one the handbook may link to.

The normaliser neutralises hostile links in the notes (`javascript:`, however it is spelt), but a link
can reach a page by other roads: a template, a Markdown extension, the theme, or a hole in the
normaliser. So the built site is read once more, as a browser reads it, and the build stops on any URL
that is not http, https, mailto, relative or an anchor, on any event handler (`onclick=`) or `srcdoc`,
and on any element in a page's content (its `<article>`, where the notes' text goes; the theme's own
scripts are outside it) that runs a script or loads or restyles anything (`<script>`, `<iframe>`,
`<style>`, `<form>`…), before the site replaces site/.

Two exceptions, both needed and both inert: a pasted raster image (`data:image/png;base64,…`), which
the normaliser keeps and which can hold no script, and the theme's own share button in the search
box (Material writes it as `<a href="javascript:void(0)" data-md-component="search-share">`, a link
that does nothing when followed; its script is the theme's bundle).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from .model import BuildError
from .templating import GENERATED_FROM

ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})
# Attributes whose value a browser reads as one URL (HTML, SVG, MathML and the old ones it still knows).
URL_ATTRIBUTES = frozenset({
    "href", "src", "action", "formaction", "poster", "xlink:href", "data", "cite", "background", "longdesc",
    "manifest", "codebase", "classid", "usemap", "lowsrc", "dynsrc", "icon", "profile", "xml:base",
})
# Attributes that hold several: candidates with sizes (srcset), or a list split at spaces.
SRCSET_ATTRIBUTES = frozenset({"srcset", "imagesrcset"})
LIST_ATTRIBUTES = frozenset({"ping", "archive"})
# SVG animation can set an href to a value of its own (`<set attributeName="href" to="javascript:…">`).
_ANIMATION_VALUES = ("from", "to", "values", "by")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_RASTER_IMAGE = re.compile(r"data:image/(?:png|gif|jpe?g|webp)[;,]", re.I)
# Browsers skip spaces and control characters around a URL and drop tabs and line ends inside it.
_AROUND = "".join(chr(c) for c in range(0x21))
_INSIDE = re.compile(r"[\t\n\r]")
_META_REFRESH_URL = re.compile(r"^\s*[\d.]*\s*[;,]?\s*(?:url\s*=\s*)?(['\"]?)(?P<url>.*?)\1\s*$", re.I | re.S)
_CSS_URL = re.compile(r"url\(\s*(['\"]?)(?P<url>.*?)\1\s*\)", re.I | re.S)
# The theme's own `javascript:` link (see the module's docstring): (tag, attribute, value, its data-md-component).
THEME_LINKS = frozenset({("a", "href", "javascript:void(0)", "search-share")})
# Elements a page's content never holds: each runs a script, loads a page or object, or changes the page around it.
ACTIVE_ELEMENTS = frozenset({"script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "meta",
                             "link", "style", "form", "template"})
REPORTED = 5  # violations listed in the error; the rest are counted
# Reading HTML is slow in Python (about 10 MB a second): a site of this many pages is read by one process
# per core; below it, starting them costs more than it saves.
PARALLEL_FROM = 200


@dataclass(frozen=True)
class Violation:
    """A URL a page must not hold: where it is and what it is."""

    page: str  # relative to the site folder
    line: int
    tag: str
    attribute: str
    url: str
    note: str = ""  # the note a note's page shows, when the page is one

    def problem(self) -> str:
        """What was expected and what was found, and the note it came from."""
        what = (f"the event handler {self.attribute}={self.url!r} on <{self.tag}>" if self.attribute.startswith("on")
                else f"the element <{self.tag}> in the page's content" if not self.attribute
                else f"{self.url!r} in <{self.tag} {self.attribute}>")
        source = f" (from the note {self.note})" if self.note else ""
        return (f"expected a URL that is http, https, mailto, relative or an anchor, and no script; "
                f"received {what}{source}")

    def describe(self) -> str:
        """One line: the page, the line, what was expected and what was found."""
        return f"site/{self.page}:{self.line}: {self.problem()}"


def browser_url(value: str) -> str:
    """An attribute's value (character references already decoded) as a browser reads it as a URL."""
    return _INSIDE.sub("", value.strip(_AROUND))


def url_allowed(url: str) -> bool:
    """Whether a URL (as browser_url gives it) is http, https, mailto, relative, an anchor or a raster image
    (`//host/…` is relative: it keeps the page's http or https)."""
    scheme = _SCHEME.match(url)
    return scheme is None or scheme.group(1).lower() in ALLOWED_SCHEMES or _RASTER_IMAGE.match(url) is not None


def srcset_urls(value: str) -> Iterator[str]:
    """The URLs of a srcset: each candidate's URL, before its width or density."""
    for candidate in value.split(","):
        # A URL may hold a comma (`data:image/png;base64,…`): its rest then reads as a candidate of its own,
        # which is no URL with a scheme, so nothing is missed by splitting at every comma.
        parts = candidate.split()
        if parts:
            yield parts[0]


class _PageReader(HTMLParser):
    """Collects the URLs and event handlers of one page that are not allowed."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str, str, str]] = []  # (line, tag, attribute, url)
        self.note = ""
        self._style = False
        self._in_article = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        line = self.getpos()[0]
        if tag == "article":
            self._in_article += 1
        elif self._in_article and tag in ACTIVE_ELEMENTS:
            self.found.append((line, tag, "", ""))
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.found.append((line, tag, name, value))
            elif name == "srcdoc":
                self.found.append((line, tag, name, value))  # a whole page of its own
            for url in self._urls(tag, name, value, values):
                url = browser_url(url)
                if not url_allowed(url) and (tag, name, url, values.get("data-md-component")) not in THEME_LINKS:
                    self.found.append((line, tag, name, url))
        self._style = tag == "style"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag == "article":  # `<article/>` opens nothing
            self._in_article -= 1

    def handle_endtag(self, tag: str) -> None:
        self._style = False
        if tag == "article" and self._in_article:
            self._in_article -= 1

    def handle_data(self, data: str) -> None:
        if self._style:
            for match in _CSS_URL.finditer(data):
                url = browser_url(match.group("url"))
                if not url_allowed(url):
                    self.found.append((self.getpos()[0], "style", "url()", url))

    def handle_comment(self, data: str) -> None:
        match = GENERATED_FROM.search(data)
        if match and match.group("edit") == "the note" and not self.note:  # a note's own page
            self.note = match.group("origin")

    @staticmethod
    def _urls(tag: str, name: str, value: str, values: dict[str, str]) -> Iterator[str]:
        """The URLs one attribute holds."""
        if name in URL_ATTRIBUTES:
            yield value
        elif name in SRCSET_ATTRIBUTES:
            yield from srcset_urls(value)
        elif name in LIST_ATTRIBUTES:
            yield from value.split()
        elif name == "content" and values.get("http-equiv", "").lower() == "refresh":
            match = _META_REFRESH_URL.match(value)
            if match and match.group("url"):
                yield match.group("url")
        elif name == "style":
            yield from (match.group("url") for match in _CSS_URL.finditer(value))
        elif name in _ANIMATION_VALUES and values.get("attributename", "").lower() in ("href", "xlink:href"):
            yield from value.split(";")


def page_violations(text: str, page: str) -> list[Violation]:
    """The URLs and event handlers a page must not hold, in the order they come."""
    reader = _PageReader()
    reader.feed(text)
    reader.close()
    return [Violation(page, line, tag, attribute, url, reader.note) for line, tag, attribute, url in reader.found]


def _file_violations(site: Path, path: Path) -> list[Violation]:
    """The violations of one page file."""
    return page_violations(path.read_text(encoding="utf-8", errors="replace"), path.relative_to(site).as_posix())


def site_violations(site: Path, workers: int | None = None,
                    passed_before: Callable[[Path], bool] = lambda page: False) -> list[Violation]:
    """Every violation in the HTML pages of a built site, page by page in path order (`workers` processes;
    default: one per core for a large site), leaving out the pages `passed_before` says passed as they are."""
    pages = sorted(page for page in site.rglob("*.html") if not passed_before(page))
    if workers is None:
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
        workers = cores if len(pages) >= PARALLEL_FROM else 1
    if workers < 2:
        return [violation for path in pages for violation in _file_violations(site, path)]
    with ProcessPoolExecutor(workers) as pool:
        found = pool.map(_file_violations, [site] * len(pages), pages, chunksize=max(1, len(pages) // (workers * 8)))
        return [violation for violations in found for violation in violations]


def check_site_urls(site: Path, passed_before: Callable[[Path], bool] = lambda page: False) -> int:
    """Stop the build when a page of the built site holds a URL or script it must not; the pages checked (those
    `passed_before` says passed this check as they are now count as checked, unread)."""
    pages = sum(1 for _ in site.rglob("*.html"))
    found = site_violations(site, passed_before=passed_before)
    if found:
        # A note's own page names the note; it goes first, where a topic page may repeat the same text.
        found.sort(key=lambda violation: (not violation.note, violation.page, violation.line))
        bad = len({violation.page for violation in found})
        more = f"\n... and {len(found) - REPORTED} more" if len(found) > REPORTED else ""
        first, *rest = found[:REPORTED]
        raise BuildError(
            f"site/{first.page}",
            f"{first.problem()}; {len(found)} in all on {bad} page{'s' if bad != 1 else ''}"
            + "".join(f"\n{violation.describe()}" for violation in rest) + more,
            line=first.line,
        )
    return pages
