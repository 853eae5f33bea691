"""The built-page cache of the MkDocs run: a page's HTML and search entries are made once while nothing that goes
into them changes, a site built from reused pages is the site a build without the cache makes, and the URL check
reads only the pages it has not passed as they are, and the search split only the pages it has not split as they are."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest

from handbook import mkdocs_run
from handbook.model import BuildError
from handbook.packs import write_pack
from handbook.search import split_page
from handbook.site import CHECKED_PACK, SPLIT_PACK, SPLIT_MAGIC, CheckedPages, SplitPages, check_urls
from tests.conftest import DATA, copy_project, run_build

CONFIG = """site_name: Small
strict: true
theme:
  name: material
  features: [navigation.footer, navigation.indexes]
plugins:
  - search
  - tags
validation:
  anchors: warn
  unrecognized_links: warn
nav:
  - a.md
  - b.md
  - c.md
"""
PAGES = {
    "a.md": "# A\n\nSee [the part](b.md#part).\n",
    "b.md": "# B\n\n## Part\n\nText about keys.\n",
    "c.md": "# C\n\nMore text about rotation.\n\n## Later\n\nEven more.\n",
}


@pytest.fixture(autouse=True)
def fixed_build_date(monkeypatch: pytest.MonkeyPatch) -> None:
    """The build date goes into every page's key; the handbook's builds fix it, so these do too."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")


def small_project(folder: Path, config: str = CONFIG) -> Path:
    """Three pages under the Material theme, the first linking to a section of the second."""
    (folder / "docs").mkdir(parents=True)
    (folder / "mkdocs.yml").write_text(config, encoding="utf-8")
    for name, text in PAGES.items():
        (folder / "docs" / name).write_text(text, encoding="utf-8")
    return folder


def build(project: Path, cache: Path | None, site: str = "site") -> Path:
    docs = project / "docs"
    mkdocs_run.build(str(project / "mkdocs.yml"), docs, docs, project / site, None if cache is None else (cache, "v1"))
    return project / site


def files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def html_reused(caplog: pytest.LogCaptureFixture) -> str:
    """The last build's count of pages whose HTML came from the cache."""
    return [message for message in caplog.messages if "HTML" in message][-1]


def edit(project: Path, page: str, text: str) -> None:
    (project / "docs" / page).write_text(text, encoding="utf-8")


def test_a_page_changed_is_built_again_and_the_site_is_the_one_a_clean_build_makes(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="mkdocs")
    project, cache = small_project(tmp_path / "small"), tmp_path / "cache"
    build(project, cache)
    assert html_reused(caplog) == "page cache: 0 of 3 pages' HTML reused"
    build(project, cache)
    assert html_reused(caplog) == "page cache: 3 of 3 pages' HTML reused"
    edit(project, "c.md", PAGES["c.md"] + "\nA new line about rotation.\n")
    reused = files(build(project, cache))
    assert html_reused(caplog) == "page cache: 2 of 3 pages' HTML reused"
    assert reused == files(build(project, None, "clean"))  # the search index too: unchanged pages' entries kept
    assert b"A new line about rotation" in reused["search/search_index.json"]


def test_a_title_that_changed_builds_every_page_again(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="mkdocs")
    project, cache = small_project(tmp_path / "small"), tmp_path / "cache"
    build(project, cache)
    edit(project, "c.md", PAGES["c.md"].replace("# C", "# See also"))  # the navigation and b's next link change
    reused = files(build(project, cache))
    assert html_reused(caplog) == "page cache: 0 of 3 pages' HTML reused"
    assert reused == files(build(project, None, "clean"))
    assert b"See also" in reused["b/index.html"]


def test_a_change_to_the_theme_or_the_configuration_builds_every_page_again(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="mkdocs")
    config = CONFIG.replace("theme:\n", "theme:\n  custom_dir: overrides\n")
    project, cache = small_project(tmp_path / "small", config), tmp_path / "cache"
    (project / "overrides").mkdir()
    (project / "overrides" / "main.html").write_text('{% extends "base.html" %}\n', encoding="utf-8")
    build(project, cache)
    (project / "overrides" / "main.html").write_text(
        '{% extends "base.html" %}\n{% block footer %}Made by hand{% endblock %}\n', encoding="utf-8")
    reused = files(build(project, cache))
    assert html_reused(caplog) == "page cache: 0 of 3 pages' HTML reused"
    assert b"Made by hand" in reused["a/index.html"]
    (project / "mkdocs.yml").write_text(config.replace("site_name: Small", "site_name: Smaller"), encoding="utf-8")
    assert b"Smaller" in files(build(project, cache))["c/index.html"]
    assert html_reused(caplog) == "page cache: 0 of 3 pages' HTML reused"


def test_a_link_to_a_section_that_went_still_stops_the_build_from_a_reused_page(tmp_path: Path) -> None:
    project, cache = small_project(tmp_path / "small"), tmp_path / "cache"
    build(project, cache)
    edit(project, "b.md", "# B\n\n## Another part\n\nText about keys.\n")
    for _ in range(2):  # a.md is reused, its link still checked, and the warning is given every time
        with pytest.raises(Exception, match="strict mode"):
            build(project, cache)


def test_a_page_with_tags_is_always_built(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="mkdocs")
    project, cache = small_project(tmp_path / "small"), tmp_path / "cache"
    edit(project, "a.md", "---\ntags: [keys]\n---\n" + PAGES["a.md"])
    build(project, cache)
    reused = files(build(project, cache))
    assert html_reused(caplog) == "page cache: 2 of 3 pages' HTML reused"
    assert reused == files(build(project, None, "clean"))


def test_with_a_plugin_whose_part_is_not_known_every_page_is_built(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="mkdocs")
    config = CONFIG.replace("theme:\n  name: material\n  features: [navigation.footer, navigation.indexes]\n", "")
    project, cache = small_project(tmp_path / "small", config.replace("  - tags\n", "")), tmp_path / "cache"
    build(project, cache)  # MkDocs' own theme and its own search plugin, which the cache does not know
    reused = files(build(project, cache))
    assert html_reused(caplog) == "page cache: every page's HTML built: the cache does not know what the plugin " \
                                  "'search' does to it"
    assert reused == files(build(project, None, "clean"))


def test_a_damaged_built_page_pack_is_ignored(tmp_path: Path) -> None:
    project, cache = small_project(tmp_path / "small"), tmp_path / "cache"
    build(project, cache)
    (cache / mkdocs_run.BUILT_PACK).write_bytes(mkdocs_run.BUILT_MAGIC + b"\x00" * 80)
    assert files(build(project, cache)) == files(build(project, None, "clean"))


def test_an_entry_that_cannot_be_read_is_built_again(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="mkdocs")
    project, cache = small_project(tmp_path / "small"), tmp_path / "cache"
    build(project, cache)
    stored = mkdocs_run.read_pack(cache / mkdocs_run.BUILT_PACK, mkdocs_run.BUILT_MAGIC)
    assert isinstance(stored, dict)
    mkdocs_run.write_pack(cache / mkdocs_run.BUILT_PACK, mkdocs_run.BUILT_MAGIC,
                          {key: (b"not compressed", entries) for key, (_, entries) in stored.items()})
    assert files(build(project, cache)) == files(build(project, None, "clean"))
    assert html_reused(caplog) == "page cache: 0 of 3 pages' HTML reused"


def page(site: Path, name: str, text: str) -> Path:
    path = site / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"<html><body>{text}</body></html>", encoding="utf-8")
    return path


def test_the_url_check_reads_only_pages_it_has_not_passed_as_they_are(tmp_path: Path) -> None:
    site, cache = tmp_path / "site", tmp_path / "cache"
    page(site, "a.html", '<a href="https://example.com/">fine</a>')
    changed = page(site, "b.html", '<a href="b.html">fine</a>')
    assert check_urls(site, (cache, "v1")) == 2
    read = CheckedPages(cache, "v1")
    assert read.passed_before(site / "a.html") and read.passed_before(changed)
    page(site, "b.html", '<a href="javascript:alert(1)">no</a>')
    assert not CheckedPages(cache, "v1").passed_before(changed)
    with pytest.raises(BuildError, match="javascript"):
        check_urls(site, (cache, "v1"))
    with pytest.raises(BuildError, match="javascript"):  # a page that failed is read again next time
        check_urls(site, (cache, "v1"))


def test_the_url_check_reads_every_page_again_under_new_code(tmp_path: Path) -> None:
    site, cache = tmp_path / "site", tmp_path / "cache"
    page(site, "a.html", "text")
    check_urls(site, (cache, "v1"))
    assert CheckedPages(cache, "v1").passed_before(site / "a.html")
    assert not CheckedPages(cache, "v2").passed_before(site / "a.html")
    (cache / CHECKED_PACK).write_bytes(b"\x00" * 40)
    assert not CheckedPages(cache, "v1").passed_before(site / "a.html")


def test_a_local_build_with_one_note_changed_builds_only_the_pages_it_changed_and_makes_the_clean_site(
        tmp_path: Path) -> None:
    root, notes = copy_project(tmp_path / "root"), tmp_path / "notes"
    shutil.copytree(DATA / "notes", notes)
    local = {"CI": ""}
    assert run_build(root, notes=notes, env=local) == 0
    pages = root / ".cache" / "handbook" / "pages"
    assert all((pages / pack).exists() for pack in (mkdocs_run.BUILT_PACK, CHECKED_PACK, SPLIT_PACK))
    note = sorted(notes.glob("*.md"))[0]
    note.write_text(note.read_text(encoding="utf-8") + "\nA line of its own about key rotation.\n", encoding="utf-8")
    assert run_build(root, notes=notes, env=local) == 0
    with_cache = files(root / "site")
    assert b"A line of its own about key rotation" in with_cache["search/search_index.json"]
    assert run_build(root, "--no-cache", notes=notes, env=local) == 0
    assert files(root / "site") == with_cache


def test_a_change_to_the_navigation_alone_builds_every_page_again(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="mkdocs")
    config = CONFIG.split("nav:")[0].replace("  - tags\n", "  - tags\n  - literate-nav\n") \
        + "exclude_docs: SUMMARY.md\n"
    project, cache = small_project(tmp_path / "small", config), tmp_path / "cache"
    summary = "- [A](a.md)\n- [B](b.md)\n- [C](c.md)\n"
    edit(project, "SUMMARY.md", summary)
    build(project, cache)
    # The navigation is read from a file of the docs that is no page: a.md keeps its neighbours, its title and its
    # place; only the sidebar it shows changes.
    edit(project, "SUMMARY.md", summary.replace("- [C](c.md)", "- Further reading\n    - [C](c.md)"))
    reused = files(build(project, cache))
    assert html_reused(caplog) == "page cache: 0 of 3 pages' HTML reused"
    assert b"Further reading" in reused["a/index.html"]
    assert reused == files(build(project, None, "clean"))


def test_the_search_split_is_reused_only_for_the_same_page_entries_and_code(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    long = " ".join(f"The customer encrypts the data and keeps the keys, part {n}." for n in range(40))
    html = ('<html><body><article class="md-content__inner md-typeset">\n<h2 id="keys">Keys</h2>\n'
            + "\n".join(f"<p>{long[n * 400:(n + 1) * 400]}</p>" for n in range(5)) + "\n</article></body></html>")
    docs = [{"location": "p/", "title": "P", "text": ""},
            {"location": "p/#keys", "title": "Keys", "text": "".join(
                f"<p>{long[n * 400:(n + 1) * 400]}</p>" for n in range(5))}]
    cache = tmp_path / "cache"
    fresh = split_page(html, docs)
    assert len(fresh.docs) > len(docs)
    first = SplitPages(cache, "v1")
    assert first.split(html, docs) == fresh
    first.save()
    calls: list[str] = []
    monkeypatch.setattr("handbook.site.split_page", lambda page, entries: calls.append(page) or fresh)
    assert SplitPages(cache, "v1").split(html, docs) == fresh and calls == []
    SplitPages(cache, "v2").split(html, docs)
    SplitPages(cache, "v1").split(html.replace("part 3", "part three"), docs)
    SplitPages(cache, "v1").split(html, docs[:1] + [{**docs[1], "title": "Key rotation"}])
    assert len(calls) == 3
    write_pack(cache / SPLIT_PACK, SPLIT_MAGIC, {key: (b"not compressed", "[]") for key in first.kept})
    assert SplitPages(cache, "v1").split(html, docs) == fresh and len(calls) == 4
