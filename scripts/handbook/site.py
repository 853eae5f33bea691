"""Site stage: MkDocs' strict build of the staged docs/ into the staged site/."""

from __future__ import annotations

import gzip
import json
import logging
import os
import re
import subprocess
import sys
import zlib
from collections.abc import Callable
from pathlib import Path

from .commit import Staging
from .glossary import Glossary
from .model import BuildError
from .packs import digest, read_pack, write_pack
from .process import die_with_parent
from .search import SplitPage, rewrite_search_index, split_page
from .templating import GENERATED_FROM
from .urlcheck import check_site_urls

log = logging.getLogger("handbook")

RUNNER = Path(__file__).with_name("mkdocs_run.py")
CHECKED_PACK = "checked.pack"  # in the page cache's folder: the pages that passed the URL check
CHECKED_MAGIC = b"handbook-checked-pages 1\n"
SPLIT_PACK = "split.pack"  # in the page cache's folder: each page's long sections as search split them
SPLIT_MAGIC = b"handbook-split-pages 1\n"
# MkDocs names the page a problem is on as 'handbook/…md'; the build turns that back into the note.
_PAGE = re.compile(r"'((?:[^'\n]+/)?[^'\n]+\.md)'")


def mkdocs_env() -> dict[str, str]:
    """The environment for MkDocs: quiet about its own future, deterministic otherwise."""
    env = dict(os.environ)
    env["NO_MKDOCS_2_WARNING"] = "1"
    env.setdefault("SOURCE_DATE_EPOCH", "0")
    return env


def page_origin(docs: Path, page: str) -> str:
    """What a generated page was made from (a note, the data), as its opening comment says; '' if unknown."""
    try:
        with open(docs / page, encoding="utf-8") as file:
            head = file.read(4096)
    except (OSError, UnicodeDecodeError):
        return ""
    found = GENERATED_FROM.search(head)
    return found.group("origin") if found else ""


Locate = Callable[[str], "tuple[str, int] | None"]


def run_mkdocs(staging: Staging, locate: Locate = lambda page: None, page_cache: tuple[Path, str] | None = None) -> str:
    """Build the staged docs strictly into the staged site; raise with MkDocs' own problems when it fails.

    A problem on a generated page also names what the page was made from, and `locate(page)` the note
    and line that break it, when it can tell: the error then names that line, the place to fix.
    """
    command = [sys.executable, str(RUNNER), str(staging.root / "mkdocs.yml"), str(staging.root / "docs"),
               str(staging.docs), str(staging.site)]
    if page_cache is not None:
        command += [str(page_cache[0]), page_cache[1]]
    result = subprocess.run(command, cwd=staging.root, env=mkdocs_env(), capture_output=True, text=True,
                            preexec_fn=die_with_parent)
    output = (result.stdout + result.stderr).strip()
    if result.returncode == 130:
        raise KeyboardInterrupt
    if result.returncode != 0:
        problems = [line for line in output.splitlines() if line.startswith(("WARNING", "ERROR"))]
        pages = sorted({page for line in problems for page in _PAGE.findall(line)})
        origins = [f"{page} is made from {origin}" for page in pages if (origin := page_origin(staging.docs, page))]
        detail = "\n".join([*problems, *origins]) or output[-2000:]
        located = [(page, found) for page in pages if (found := locate(page))]
        if located:
            (page, (note, line)), others = located[0], located[1:]
            also = "".join(f"\n{other_note}:{other_line} breaks {other_page} the same way"
                           for other_page, (other_note, other_line) in others)
            raise BuildError(note, f"expected text that MkDocs can build; received text that stops its page {page} "
                                   f"from reading from this line on{also}\n{detail}", line=line)
        raise BuildError("mkdocs.yml", f"mkdocs build --strict failed:\n{detail}")
    return output


_PAGES_REUSED = re.compile(r"page cache: (.+)")
_EPOCH_DATE = re.compile(r"\s*<lastmod>1970-01-01</lastmod>")


def drop_epoch_dates(site_dir: Path) -> None:
    """Take the 1970-01-01 dates out of the sitemap: pages are dated by SOURCE_DATE_EPOCH, 0 unless the build is
    given one, and a wrong date is worse than none."""
    sitemap = site_dir / "sitemap.xml"
    if not sitemap.exists():
        return
    text = sitemap.read_text(encoding="utf-8")
    cleaned = _EPOCH_DATE.sub("", text)
    if cleaned != text:
        sitemap.write_text(cleaned, encoding="utf-8")
        with open(site_dir / "sitemap.xml.gz", "wb") as raw, gzip.GzipFile("", "wb", fileobj=raw, mtime=0) as packed:
            packed.write(cleaned.encode("utf-8"))


def build_site(staging: Staging, locate: Locate = lambda page: None, page_cache: tuple[Path, str] | None = None) -> Path:
    """Build the staged site and return its folder, for the checks that run before the commit; with a page cache
    (its folder and the code's version) each page's Markdown is converted only when what it reads changed."""
    output = run_mkdocs(staging, locate, page_cache)
    for reused in _PAGES_REUSED.findall(output):
        log.info("site: %s", reused)
    drop_epoch_dates(staging.site)
    return staging.site


class CheckedPages:
    """The HTML pages that passed the URL check in the last build, by their bytes under the code's version: the
    check reads nothing but a page's text, so a page the same byte for byte passes again and is not read again."""

    def __init__(self, folder: Path, version: str) -> None:
        self.path, self.version = folder / CHECKED_PACK, version
        stored = read_pack(self.path, CHECKED_MAGIC)
        valid = isinstance(stored, tuple) and len(stored) == 2 and stored[0] == version
        self.passed: frozenset[str] = frozenset(stored[1]) if valid else frozenset()
        self.seen: set[str] = set()

    def passed_before(self, page: Path) -> bool:
        """Whether the page passed the check as it is now (and remember it, for the next build)."""
        key = digest(page.read_bytes())
        self.seen.add(key)
        return key in self.passed

    def save(self) -> None:
        """Keep this build's pages, once the check passed them all."""
        if self.seen != self.passed:
            write_pack(self.path, CHECKED_MAGIC, (self.version, sorted(self.seen)))


def check_urls(site_dir: Path, page_cache: tuple[Path, str] | None = None) -> int:
    """The URL check of the built site; with a page cache (its folder and the code's version) a page that passed
    it in the last build as it is now is not read again. Returns the pages checked."""
    if page_cache is None:
        return check_site_urls(site_dir)
    checked = CheckedPages(*page_cache)
    pages = check_site_urls(site_dir, checked.passed_before)
    try:
        checked.save()
    except OSError as error:  # the next build checks every page again, nothing worse
        log.info("site: URL check's cache not written: %s", error)
    return pages


class SplitPages:
    """What splitting a page's long sections for search gave in the last build, by the page's HTML and index
    entries under the code's version: the split reads nothing else, so the same inputs give the same pieces."""

    def __init__(self, folder: Path, version: str) -> None:
        self.path, self.version = folder / SPLIT_PACK, version
        stored = read_pack(self.path, SPLIT_MAGIC)
        self.stored: dict = stored if isinstance(stored, dict) else {}
        self.kept: dict = {}

    def split(self, page: str, docs: list[dict]) -> SplitPage:
        """The page split as split_page splits it, from the last build when it split the same page."""
        entries = json.dumps(docs, ensure_ascii=False)
        key = digest(self.version, page, entries)
        found = self.stored.get(key)
        if found is not None:
            try:
                packed, split_docs = found
                reused = SplitPage(zlib.decompress(packed).decode("utf-8") if packed else page,
                                   tuple(json.loads(split_docs)))
            except (TypeError, ValueError, zlib.error):  # a damaged entry is split again
                pass
            else:
                self.kept[key] = found
                return reused
        done = split_page(page, docs)
        self.kept[key] = (zlib.compress(done.html.encode("utf-8"), 1) if done.html != page else b"",
                          json.dumps(done.docs, ensure_ascii=False))
        return done

    def save(self) -> None:
        """Keep this build's splits, and only them."""
        if self.kept != self.stored:
            write_pack(self.path, SPLIT_MAGIC, self.kept)


def index_for_search(site_dir: Path, glossary: Glossary, page_cache: tuple[Path, str] | None = None) -> int:
    """The search pass over the built site (see search.py); with a page cache (its folder and the code's version)
    a page whose HTML and entries are as in the last build is split from the cache. Returns the entries that
    gained glossary words."""
    if page_cache is None:
        return rewrite_search_index(site_dir, glossary)
    splits = SplitPages(*page_cache)
    gained = rewrite_search_index(site_dir, glossary, splits.split)
    try:
        splits.save()
    except OSError as error:  # the next build splits every page again, nothing worse
        log.info("site: search split's cache not written: %s", error)
    return gained
