"""The redirect map (data/redirects.yml): forwarding pages at the addresses of renamed pages."""

from __future__ import annotations

import html
import json
import posixpath
from collections.abc import Collection
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from .datafile import YamlDocument, read_yaml, validate
from .load import DEFAULT_LIMITS, Limits, display_path
from .model import GeneratedFile

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


def render_redirects(
    redirects: RedirectMap, document: YamlDocument, pages: Collection[str], titles: dict[str, str]
) -> list[GeneratedFile]:
    """Forwarding pages for every redirect; a target that is not a page, or an old path that still is, is an error."""
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
    return files
