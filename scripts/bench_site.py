#!/usr/bin/env python3
"""End-to-end benchmark: the handbook build against a plain `mkdocs build` of the same raw notes.

Writes the synthetic 1,000-note corpus (the seeds with variations and real duplication, see
bench_pipeline.py) to a temporary folder, then times in one run:
  handbook  scripts/build.py: normalise, merge, render and `mkdocs build --strict`
  plain     the raw notes dropped into docs/ and built by `mkdocs build` with the same theme
and prints both times, the ratio and the page counts. Then it splits the handbook's time: the
pipeline alone (`--no-site`), `mkdocs build --strict` alone, and that build without the source-note pages (one per note,
which the handbook publishes for provenance), which bounds what any pipeline speed-up could reach
while every note keeps its page. Prints figures only.

    .venv/bin/python scripts/bench_site.py [--notes 1000]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT / "scripts"))

from workbench import prepare_root, write_corpus  # noqa: E402
from handbook.paths import GENERATED_DIR, NOTES_DIR  # noqa: E402
from handbook.site import mkdocs_env  # noqa: E402

PLAIN_CONFIG = """site_name: Plain notes
theme:
  name: material
  features: [navigation.tabs, navigation.sections, search.suggest, search.highlight]
plugins: [search]
markdown_extensions: [admonition, attr_list, tables, toc, pymdownx.details, pymdownx.superfences]
"""


def timed(command: list[str], cwd: Path) -> float:
    """Seconds one command took; its failure stops the benchmark."""
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=mkdocs_env(), check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return time.perf_counter() - started


def without_source_note_pages(root: Path, copy: Path) -> int:
    """Copy a built handbook's configuration and docs without its source-note pages; how many were left out."""
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns("site"))
    pages = [page for page in (copy / "docs" / GENERATED_DIR / NOTES_DIR).rglob("*.md")
             if page.name not in ("index.md", "SUMMARY.md")]
    for page in pages:
        page.unlink()
    return len(pages)


def html_pages(site: Path) -> int:
    """How many pages a built site has."""
    return sum(1 for _ in site.rglob("*.html"))


def main(argv: list[str] | None = None) -> int:
    """Build both ways and print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--notes", type=int, default=1000, help="size of the synthetic corpus (default 1000)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as work:
        work_dir = Path(work)
        notes = work_dir / "notes"
        size = write_corpus(notes, args.notes)

        handbook = prepare_root(work_dir / "handbook")
        pipeline = timed([sys.executable, str(PROJECT / "scripts" / "build.py"), "--root", str(handbook),
                          "--notes", str(notes), "--quiet"], PROJECT)

        plain = work_dir / "plain"
        shutil.copytree(notes, plain / "docs")
        (plain / "docs" / "index.md").write_text("# Notes\n", encoding="utf-8")
        (plain / "mkdocs.yml").write_text(PLAIN_CONFIG, encoding="utf-8")
        plain_time = timed([sys.executable, "-m", "mkdocs", "build", "--quiet"], plain)

        pipeline_only = timed([sys.executable, str(PROJECT / "scripts" / "build.py"), "--root", str(handbook),
                               "--notes", str(notes), "--quiet", "--no-site"], PROJECT)
        mkdocs_only = timed([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet"], handbook)
        # Links to the removed pages dangle, so this build cannot be strict; it measures time only.
        left_out = without_source_note_pages(handbook, work_dir / "bare")
        bare = timed([sys.executable, "-m", "mkdocs", "build", "--quiet"], work_dir / "bare")

        report = json.loads((handbook / "docs" / "report.json").read_text(encoding="utf-8"))
        print(f"corpus: {args.notes} notes, {size / 1e6:.1f} MB")
        print(f"handbook build (pipeline + mkdocs --strict): {pipeline:6.2f} s, {html_pages(handbook / 'site')} pages, "
              f"{report['counts']['blocks kept']} of {report['counts']['input blocks']} blocks kept")
        print(f"plain mkdocs build of the raw notes:          {plain_time:6.2f} s, {html_pages(plain / 'site')} pages")
        print(f"ratio plain / handbook: {plain_time / pipeline:.2f}x (target: at least 5x)")
        print(f"  pipeline alone (--no-site):                 {pipeline_only:6.2f} s")
        print(f"  mkdocs build --strict alone:                {mkdocs_only:6.2f} s")
        print(f"  mkdocs build without the source-note pages: {bare:6.2f} s ({left_out} pages left out)")
        print(f"  ceiling without a page per note: plain / (pipeline + that build) = "
              f"{plain_time / (pipeline_only + bare):.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
