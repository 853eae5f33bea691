#!/usr/bin/env python3
"""End-to-end benchmark: the handbook build, cold and incremental, against a plain `mkdocs build` of the same notes.

For the synthetic 1,000-note corpus (the seeds with variations and real duplication, see bench_pipeline.py),
then for the seed notes and each vault in the shared corpora folder beside the project (skipped when absent),
it copies the notes to a temporary folder and times, in one run:
  plain      the raw notes dropped into docs/ and built by `mkdocs build` with the same theme
  cold       scripts/build.py with an empty cache: normalise, merge, render and `mkdocs build --strict`
  unchanged  the same build again, nothing changed (the cache of the last build says there is nothing to do)
  one note   the same build after one note gained a line (that note is normalised again, the rest is rebuilt)
and prints the times and the ratios against the targets. Then, for the synthetic corpus, it splits the cold
build: the pipeline alone (`--no-site`) and `mkdocs build --strict` alone; and it times the site stage's own runner
and URL check on the same pages with every source-note page cut to its front matter, title and linked headings, the
least a page of its own can cost, which bounds how much faster than plain MkDocs a cold build can be while each note
keeps its page. Prints figures only.

    .venv/bin/python scripts/bench_site.py [--notes 1000] [--no-vaults]
"""

from __future__ import annotations

import argparse
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT / "scripts"))

from workbench import prepare_root, write_corpus  # noqa: E402
from handbook.paths import GENERATED_DIR, NOTES_DIR  # noqa: E402
from handbook.site import RUNNER, check_urls, mkdocs_env  # noqa: E402

CORPORA = PROJECT.parent / "shared" / "corpora"
BUILD = PROJECT / "scripts" / "build.py"
PLAIN_CONFIG = """site_name: Plain notes
theme:
  name: material
  features: [navigation.tabs, navigation.sections, search.suggest, search.highlight]
plugins: [search]
markdown_extensions: [admonition, attr_list, tables, toc, pymdownx.details, pymdownx.superfences]
"""
# The targets: how much faster than plain MkDocs a cold build is, and what share of it the others take.
COLD_SPEED_UP = 2.5
UNCHANGED_SHARE = 0.25
ONE_CHANGED_SHARE = 0.40


def timed(command: list[str], cwd: Path) -> tuple[float, int]:
    """Seconds one command took and its exit code."""
    seconds, code, _ = timed_with_cpu(command, cwd)
    return seconds, code


def timed_with_cpu(command: list[str], cwd: Path) -> tuple[float, int, float]:
    """Seconds one command took, its exit code and the processor seconds it and its processes used (on a shared
    machine the elapsed time depends on the others' load; the processor time much less)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=mkdocs_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return seconds, done.returncode, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def plain_build(notes: Path, folder: Path) -> tuple[float, float]:
    """Seconds and processor seconds for `mkdocs build` of the raw notes with the same theme (not strict: raw notes
    have broken links)."""
    shutil.copytree(notes, folder / "docs")
    index = folder / "docs" / "index.md"
    if not index.exists():
        index.write_text("# Notes\n", encoding="utf-8")
    (folder / "mkdocs.yml").write_text(PLAIN_CONFIG, encoding="utf-8")
    seconds, _, cpu = timed_with_cpu([sys.executable, "-m", "mkdocs", "build", "--quiet"], folder)
    return seconds, cpu


def cut_source_pages(docs: Path) -> int:
    """Cut every source-note page under `docs` to its front matter, its title and the headings other pages link to
    (those with an id of their own: `#repairs`), so the site still builds strictly; the number of pages cut."""
    cut = 0
    for page in sorted((docs / GENERATED_DIR / NOTES_DIR).rglob("*.md")):
        if page.name in ("index.md", "SUMMARY.md"):
            continue
        text = page.read_text(encoding="utf-8")
        front = re.match(r"---\n.*?\n---\n", text, re.S)
        body = text[front.end():] if front else text
        kept = re.findall(r"^# .*$|^#{2,6} .*\{ #[\w-]+ \}$", body, re.M)
        page.write_text((front.group(0) if front else "") + "\n" + "\n\n".join(kept or ["# Note"]) + "\n",
                        encoding="utf-8")
        cut += 1
    return cut


def site_stage_seconds(root: Path, page_cache: Path) -> float:
    """Seconds the site stage's own work takes on a built root's docs: MkDocs through the build's runner (strict, as
    the build runs it), with an empty page cache as in a cold build, then the URL check of every page."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, str(RUNNER), "mkdocs.yml", "docs", "docs", "site", str(page_cache), "bench"],
                          cwd=root, env=mkdocs_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if done.returncode != 0:  # a build that stopped early would time less than a page costs
        raise SystemExit(f"the site stage failed on {root}:\n{done.stderr[-2000:]}")
    check_urls(root / "site")
    return time.perf_counter() - started


def source_pages_share(root: Path, work: Path) -> tuple[float, float, int]:
    """The site stage's seconds on a copy of a built handbook, and on a copy whose source-note pages are cut (see
    cut_source_pages: what a page of its own costs at least), and the pages cut."""
    full, cut_root = work / "full", work / "cut"
    for copy in (full, cut_root):
        shutil.copytree(root, copy, ignore=shutil.ignore_patterns("site", ".cache"))
    cut = cut_source_pages(cut_root / "docs")
    return site_stage_seconds(full, work / "cache-full"), site_stage_seconds(cut_root, work / "cache-cut"), cut


def first_note(notes: Path) -> Path:
    """The note the 'one note changed' build changes: the first by path."""
    return min(path for path in notes.rglob("*.md") if not any(p.startswith(".") for p in path.parts))


@dataclass(frozen=True)
class Figures:
    """One corpus's times, in seconds."""

    name: str
    notes: int
    plain: float
    cold: float
    unchanged: float
    one_changed: float
    plain_cpu: float = 0.0
    cold_cpu: float = 0.0
    failed: str = ""

    def ratios(self) -> str:
        """The three ratios against their targets."""
        speed_up = self.plain / self.cold
        unchanged, changed = self.unchanged / self.cold, self.one_changed / self.cold
        mark = lambda ok: "met" if ok else "MISSED"  # noqa: E731
        return (f"cold {speed_up:.2f}x faster than plain (target >= {COLD_SPEED_UP}x: {mark(speed_up >= COLD_SPEED_UP)}); "
                f"unchanged {unchanged:.0%} of cold (target <= {UNCHANGED_SHARE:.0%}: "
                f"{mark(unchanged <= UNCHANGED_SHARE)}); one note changed {changed:.0%} of cold "
                f"(target <= {ONE_CHANGED_SHARE:.0%}: {mark(changed <= ONE_CHANGED_SHARE)})")


def measure(name: str, source: Path, work: Path) -> Figures:
    """Copy the notes, then time the plain build and the handbook cold, unchanged and with one note changed."""
    notes = work / "notes"
    shutil.copytree(source, notes, ignore=shutil.ignore_patterns(".git"))
    count = sum(1 for _ in notes.rglob("*.md"))
    plain, plain_cpu = plain_build(notes, work / "plain")
    root = prepare_root(work / "handbook")
    command = [sys.executable, str(BUILD), "--root", str(root), "--notes", str(notes), "--quiet"]
    cold, failed, cold_cpu = timed_with_cpu(command, PROJECT)
    unchanged, _ = timed(command, PROJECT)
    changed = first_note(notes)
    changed.write_text(changed.read_text(encoding="utf-8") + "\n\nA line of its own, added for the benchmark.\n",
                       encoding="utf-8")
    one_changed, _ = timed(command, PROJECT)
    return Figures(name, count, plain, cold, unchanged, one_changed, plain_cpu, cold_cpu,
                   f"exit code {failed}" if failed else "")


def print_figures(figures: Figures) -> None:
    """The corpus's lines."""
    print(f"{figures.name}: {figures.notes:,} notes" + (f" (the cold build failed: {figures.failed})"
                                                         if figures.failed else ""))
    print(f"  plain mkdocs build of the raw notes: {figures.plain:7.2f} s ({figures.plain_cpu:.2f} s of processor time)")
    print(f"  handbook, cold (empty cache):        {figures.cold:7.2f} s ({figures.cold_cpu:.2f} s of processor time)")
    print(f"  handbook, nothing changed:           {figures.unchanged:7.2f} s")
    print(f"  handbook, one note changed:          {figures.one_changed:7.2f} s")
    print(f"  {figures.ratios()}")


def main(argv: list[str] | None = None) -> int:
    """Measure every corpus and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--notes", type=int, default=1000, help="size of the synthetic corpus (default 1000)")
    parser.add_argument("--no-vaults", action="store_true", help="only the synthetic corpus")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as work:
        work_dir = Path(work)
        synthetic = work_dir / "synthetic"
        size = write_corpus(synthetic, args.notes)
        print(f"synthetic corpus: {size / 1e6:.1f} MB")
        synthetic_figures = measure(f"synthetic corpus of {args.notes:,}", synthetic, work_dir / "run-synthetic")
        print_figures(synthetic_figures)
        root = work_dir / "run-synthetic" / "handbook"
        no_cache = [sys.executable, str(BUILD), "--root", str(root), "--notes", str(work_dir / "run-synthetic" / "notes"),
                    "--quiet", "--no-cache"]
        pipeline_only, _ = timed([*no_cache, "--no-site"], PROJECT)
        mkdocs_only, _ = timed([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet"], root)
        print(f"  of a cold build: pipeline alone (--no-site) {pipeline_only:.2f} s, "
              f"mkdocs build --strict alone {mkdocs_only:.2f} s")
        full, least, cut = source_pages_share(root, work_dir / "least")
        best = synthetic_figures.plain / (synthetic_figures.cold - (full - least))
        print(f"  the site stage's MkDocs run and URL check: {full:.2f} s; with the {cut:,} source-note pages cut to "
              f"their titles and linked headings {least:.2f} s; so with source-note pages that cost no more than "
              f"that, a cold build would be {best:.2f}x faster than plain")
        if args.no_vaults:
            return 0
        vaults = [("seeds", PROJECT / "data" / "notes")]
        vaults += sorted((vault.name, vault) for vault in CORPORA.iterdir() if vault.is_dir()) \
            if CORPORA.is_dir() else []
        if not CORPORA.is_dir():
            print(f"(no shared corpora folder beside the project: {CORPORA.name} skipped)")
        for name, source in vaults:
            print_figures(measure(name, source, work_dir / f"run-{name}"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
