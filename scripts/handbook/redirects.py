"""The redirect map (data/redirects.yml): forwarding pages at the addresses of renamed pages."""

from __future__ import annotations

import html
import json
import posixpath
import re
import unicodedata
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from .datafile import YamlDocument, read_yaml, validate
from .load import DEFAULT_LIMITS, Limits, display_path
from .model import GeneratedFile
from .paths import NOTES_DIR, OTHER_DIR, NoteAddresses, slugged_note_path

PAGE_PATH = r"^[a-z0-9][a-z0-9/_-]*\.md$"


class Redirect(BaseModel):
    """One old page path and the page that replaced it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    from_: str = Field(alias="from", pattern=PAGE_PATH)
    to: str = Field(pattern=PAGE_PATH)


class RedirectMap(BaseModel):
    """Every redirect, each old path once."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    redirects: tuple[Redirect, ...] = ()


def load_redirects(data_dir: Path, limits: Limits = DEFAULT_LIMITS) -> tuple[RedirectMap, YamlDocument]:
    """Read and validate data/redirects.yml (a missing file means no redirects)."""
    file = data_dir / "redirects.yml"
    if not file.exists() and not file.is_symlink():  # a dangling link is an error, not a missing file
        return RedirectMap(), YamlDocument(display_path(file), {}, {})
    document = read_yaml(file, display_path(file), limits)
    return validate(document, RedirectMap), document


def page_url(page: str) -> str:
    """The directory URL MkDocs gives a page: topics/x.md -> topics/x/, notes/index.md -> notes/."""
    stem = page[: -len(".md")]
    if stem == "index" or stem.endswith("/index"):
        stem = stem[: -len("index")].rstrip("/")
    return f"{stem}/" if stem else ""


def forwarding_page(old_url: str, new_url: str, title: str) -> str:
    """A tiny HTML page that sends readers (and their #section) on to the new address."""
    target = posixpath.relpath(new_url or ".", old_url or ".") + "/"
    safe = html.escape(target, quote=True)
    name = html.escape(title)
    return (
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<title>Moved: {name}</title>\n"
        "<meta name=\"robots\" content=\"noindex\">\n"
        f"<link rel=\"canonical\" href=\"{safe}\">\n"
        f"<meta http-equiv=\"refresh\" content=\"0; url={safe}\">\n"
        f"<script>location.replace({json.dumps(target)} + location.hash)</script>\n"
        "</head>\n<body>\n"
        f"<p>This page has moved to <a href=\"{safe}\">{name}</a>.</p>\n"
        "</body>\n</html>\n"
    )


@dataclass(frozen=True)
class MovedPage:
    """A note's page that an earlier build gave another address."""

    old: str
    new: str
    title: str


_LEGACY_NON_WORD = re.compile(r"[^a-z0-9]+")
_LEGACY_NON_LETTER = re.compile(r"[\W_]+")


def _legacy_slug(name: str) -> str:
    """A name as a URL part the way builds before toc's scheme made one ('x_y' -> 'x-y', '日本_メモ' -> '日本-メモ');
    only to find the addresses those builds published."""
    ascii_text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = _LEGACY_NON_WORD.sub("-", ascii_text.lower()).strip("-")
    if not slug:
        slug = _LEGACY_NON_LETTER.sub("-", unicodedata.normalize("NFKC", name).lower()).strip("-")
    return slug or "untitled"


def moved_note_pages(note_titles: Mapping[str, str], addresses: NoteAddresses = NoteAddresses()) -> list[MovedPage]:
    """The page of each note (and the page of its content that fits no topic) at the address earlier builds
    gave it, where that differs from today's; by note path, so that the first note keeps a shared old address."""
    moved = []
    for note in sorted(note_titles):
        old, new = slugged_note_path(note, _legacy_slug), addresses.slug(note)
        if old != new:
            moved += [MovedPage(f"{folder}/{old}.md", f"{folder}/{new}.md", note_titles[note])
                      for folder in (NOTES_DIR, OTHER_DIR)]
    return moved


def render_redirects(
    redirects: RedirectMap, document: YamlDocument, pages: Collection[str], titles: dict[str, str],
    moved: Collection[MovedPage] = (),
) -> list[GeneratedFile]:
    """Forwarding pages for every redirect; a target that is not a page, or an old path that still is, is an error.

    Then one for each moved note page that is a page today, unless its old address is taken (by a page, a
    redirect or an earlier moved page)."""
    files = []
    seen: set[str] = set()
    for index, item in enumerate(redirects.redirects):
        if item.to not in pages:
            raise document.error(("redirects", index, "to"), "the path of a generated page", item.to)
        if item.from_ in pages:
            raise document.error(("redirects", index, "from"), "an old path that is no longer a page", item.from_)
        if item.from_ in seen:
            raise document.error(("redirects", index, "from"), "each old path once", item.from_)
        seen.add(item.from_)
        old_url, new_url = page_url(item.from_), page_url(item.to)
        files.append(GeneratedFile(f"{old_url}index.html", forwarding_page(old_url, new_url, titles.get(item.to, item.to))))
    taken = {page_url(page) for page in pages} | {page_url(path) for path in seen}
    for move in moved:
        old_url = page_url(move.old)
        if move.new in pages and old_url not in taken:
            taken.add(old_url)
            files.append(GeneratedFile(f"{old_url}index.html", forwarding_page(old_url, page_url(move.new),
                                                                             titles.get(move.new, move.title))))
    return files
