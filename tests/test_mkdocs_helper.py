"""The second process of the MkDocs run: pages it converts and builds come out as if this process converted and
built them, and a page whose conversion warns is still reported."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from handbook import mkdocs_run

CONFIG = """site_name: Many
strict: true
theme:
  name: material
plugins:
  - search
  - tags
validation:
  anchors: warn
  unrecognized_links: warn
markdown_extensions:
  - abbr
  - toc:
      permalink: true
"""
PAGES = mkdocs_run.HELPED_FROM + 30


def many_pages(folder: Path, broken: int | None = None, missing: str = "") -> Path:
    """Enough pages for a helper, each linking to a section of the next; `broken` links to `missing` instead."""
    docs = folder / "docs"
    docs.mkdir(parents=True)
    (folder / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")
    for number in range(PAGES):
        target = missing if number == broken else f"p{(number + 1) % PAGES:03}.md#part"
        (docs / f"p{number:03}.md").write_text(
            f"# Page {number}\n\nSee [the next part]({target}) about the KMS key.\n\n## Part\n\n"
            f"Text of page {number}, *emphasised*.\n\n*[KMS]: Key Management Service\n", encoding="utf-8")
    return folder


def build(project: Path, site: str, cores: int, monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    """The site's files, built with as many cores as said."""
    monkeypatch.setattr(mkdocs_run, "_cores", lambda: cores)
    docs = project / "docs"
    mkdocs_run.build(str(project / "mkdocs.yml"), docs, docs, project / site)
    return {p.relative_to(project / site).as_posix(): p.read_bytes()
            for p in (project / site).rglob("*") if p.is_file()}


def test_pages_a_helper_converts_build_the_same_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    helped = []  # pages converted, then pages built, by the helper
    stop = mkdocs_run.SecondProcess.stop
    monkeypatch.setattr(mkdocs_run.SecondProcess, "stop", lambda self: (helped.append(self.helped), stop(self)))
    project = many_pages(tmp_path / "many")
    alone = build(project, "alone", 1, monkeypatch)
    assert helped == [0, 0]
    assert build(project, "helped", 2, monkeypatch) == alone
    assert helped[2] > 0 and helped[3] > 0


# The first page is converted here, the last by the helper; a missing page is found while the page is converted,
# a missing section after every page is.
@pytest.mark.parametrize("broken", [0, PAGES - 1])
@pytest.mark.parametrize("missing", ["gone.md", "p001.md#gone"])
def test_a_warning_of_a_page_either_process_converts_is_reported_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, broken: int,
        missing: str) -> None:
    project = many_pages(tmp_path / "many", broken, missing)
    with caplog.at_level(logging.WARNING, logger="mkdocs"), pytest.raises(Exception, match="strict"):
        build(project, "site", 2, monkeypatch)
    warned = [record.getMessage() for record in caplog.records if "gone" in record.getMessage()]
    assert len(warned) == 1 and f"p{broken:03}.md" in warned[0]


def test_a_page_the_helper_read_differently_is_converted_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = many_pages(tmp_path / "many")
    alone = build(project, "alone", 1, monkeypatch)
    real = mkdocs_run._conversion_key
    monkeypatch.setattr(mkdocs_run, "_conversion_key", lambda page: real(page) + str(mkdocs_run.os.getpid()))
    assert build(project, "helped", 2, monkeypatch) == alone
