"""Zensical, Material for MkDocs' successor, builds the same docs/ from the same mkdocs.yml."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import BuiltSite

pytestmark = pytest.mark.slow

ZENSICAL = Path(sys.executable).with_name("zensical")


def pages(site: Path) -> set[str]:
    """Every HTML page of a built site, relative to it."""
    return {p.relative_to(site).as_posix() for p in site.rglob("*.html")}


def test_zensical_builds_the_generated_docs_strictly_with_the_same_pages(built_site: BuiltSite, tmp_path: Path):
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy2(built_site.root / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copytree(built_site.docs, project / "docs")
    shutil.copytree(built_site.root / "templates", project / "templates")
    done = subprocess.run([str(ZENSICAL), "build", "--strict"], cwd=project, capture_output=True, text=True,
                          timeout=600)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "No issues found" in output
    assert pages(project / "site") == pages(built_site.site)
    matrix = (project / "site" / "handbook" / "matrix" / "index.html").read_text(encoding="utf-8")
    # The matrix cells and the glossary tooltips come through: the Markdown extensions ran as under MkDocs.
    assert matrix.count('class="owner owner--') == (built_site.site / "handbook" / "matrix" / "index.html").read_text(
        encoding="utf-8").count('class="owner owner--')
    assert '<abbr title="' in matrix
    assert (project / "site" / "report.json").read_bytes() == (built_site.site / "report.json").read_bytes()
