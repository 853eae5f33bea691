"""Every navigation entry carries the title of the page it opens (a folder: its index page)."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

import pytest

from handbook.plaintext import plain_text
from tests.conftest import PROJECT
from workbench import build_in_memory

_ENTRY = re.compile(r"^\s*\* \[(.*)\]\((.*)\)\s*$", re.M)
_FRONT_TITLE = re.compile(r"\A---\n(?:.*\n)*?title: *(.+)\n(?:.*\n)*?---\n")
_HEADING = re.compile(r"^# (.+?)(?: \{ #[^}]*\})?$", re.M)


def page_title(markdown: str) -> str:
    """The title a page shows: its front matter's, else its first top-level heading's."""
    found = _FRONT_TITLE.match(markdown) or _HEADING.search(re.sub(r"\A---\n(?:.*\n)*?---\n", "", markdown))
    assert found, markdown[:200]
    return found.group(1).strip().strip('"')


def same(label: str, title: str) -> bool:
    """A label and a title that read the same (nav labels write < and > as ‹ and ›)."""
    def plain(text: str) -> str:
        return plain_text(text, inline=True).replace("<", "‹").replace(">", "›")
    return plain(label) == plain(title)


def nav_mismatches(pages: dict[str, str]) -> list[tuple[str, str, str]]:
    """(nav file, label, title of the page it opens) for every entry whose label is not the page's title."""
    wrong = []
    for nav, text in pages.items():
        if posixpath.basename(nav) != "SUMMARY.md":
            continue
        folder = posixpath.dirname(nav)
        for label, link in _ENTRY.findall(text):
            target = posixpath.normpath(posixpath.join(folder, link))
            target = f"{target}/index.md" if link.endswith("/") else target
            assert target in pages, (nav, link)
            title = page_title(pages[target])
            if not same(label, title):
                wrong.append((nav, label, title))
    return wrong


@pytest.fixture(scope="module")
def seed_pages() -> dict[str, str]:
    built = build_in_memory(PROJECT / "data" / "notes")
    pages = {f"handbook/{path}": text for path, text in built.pages.items()}
    pages |= {path.relative_to(PROJECT / "docs").as_posix(): path.read_text(encoding="utf-8")
              for path in (PROJECT / "docs").glob("*.md")}
    return pages


def test_every_nav_label_is_the_title_of_the_page_it_opens(seed_pages: dict[str, str]) -> None:
    assert "SUMMARY.md" in seed_pages and "handbook/topics/SUMMARY.md" in seed_pages
    assert nav_mismatches(seed_pages) == []


def test_a_label_that_differs_from_its_page_title_is_found() -> None:
    pages = {"SUMMARY.md": "* [More notes](other/)\n", "other/index.md": "# Other notes\n"}
    assert nav_mismatches(pages) == [("SUMMARY.md", "More notes", "Other notes")]


def test_more_notes_is_in_the_navigation_only_when_there_are_other_notes(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("# Shared responsibility model\n\n## Overview\n\nAWS secures the cloud.\n",
                                   encoding="utf-8")
    nav = build_in_memory(tmp_path).pages["topics/SUMMARY.md"]
    assert "More notes" not in nav
    (tmp_path / "b.md").write_text("# Lambda pricing\n\nLambda bills per request.\n", encoding="utf-8")
    pages = build_in_memory(tmp_path).pages
    assert "* [More notes](../other/)" in pages["topics/SUMMARY.md"]
    assert nav_mismatches({f"handbook/{path}": text for path, text in pages.items()}) == []


def test_more_notes_is_never_a_top_level_tab_nor_an_empty_entry(seed_pages: dict[str, str]) -> None:
    # The site's tabs are the top-level navigation's entries: the other notes live under the handbook's.
    assert not any("other" in link.split("/") for _, link in _ENTRY.findall(seed_pages["SUMMARY.md"]))
    # Every section of the seeds fits a topic: no navigation file but the other notes' own lists "More notes".
    assert "handbook/other/SUMMARY.md" in seed_pages
    assert [nav for nav, text in seed_pages.items() if posixpath.basename(nav) == "SUMMARY.md"
            and "More notes" in text and not nav.startswith("handbook/other/")] == []
