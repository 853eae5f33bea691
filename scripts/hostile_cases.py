#!/usr/bin/env python3
"""Build the site from each hostile or broken input in tests/hostile/ and print what happened.

Each case is a folder holding `case.yml` (what it tries, the exit code and the message expected),
a `notes/` folder and, optionally, a `data/` folder whose files replace the project's data files.
Every case starts from a project copy that already holds a good build, so the table shows whether a
failing build left `docs/` and `site/` exactly as they were:

    .venv/bin/python scripts/hostile_cases.py [CASE ...]

Prints a Markdown table (case, exit code, first error line, output unchanged, traceback) and exits
non-zero when a case does not behave as its case.yml says.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "tests" / "hostile"
BUILD = ROOT / "scripts" / "build.py"
# No case may take longer than this: a hang is a failure, not a wait.
CASE_TIMEOUT = 120


@dataclass(frozen=True)
class Case:
    """One hostile input: its folder and what the build must do with it."""

    name: str
    folder: Path
    what: str
    exit: int
    message: str  # a line the build's output must contain


@dataclass(frozen=True)
class Outcome:
    """What one build of a case did."""

    case: Case
    exit: int | None  # None when it timed out
    output: str
    unchanged: bool
    seconds: float

    @property
    def traceback(self) -> bool:
        """True when the build printed a Python traceback."""
        return "Traceback (most recent call last)" in self.output

    @property
    def first_problem(self) -> str:
        """The first ERROR or WARNING line the build printed."""
        for line in self.output.splitlines():
            if line.startswith(("ERROR", "WARNING")):
                return line.split("-", 1)[-1].strip()
        return ""

    @property
    def as_expected(self) -> bool:
        """Exit code and message as the case says; a failed build leaves its output alone; never a traceback."""
        return (self.exit == self.case.exit and self.case.message in self.output and not self.traceback
                and (self.exit == 0 or self.unchanged))


def load_cases(names: list[str] | None = None) -> list[Case]:
    """Every case folder under tests/hostile/, or only the named ones."""
    cases = []
    for folder in sorted(p for p in CASES.iterdir() if (p / "case.yml").is_file()):
        if names and folder.name not in names:
            continue
        spec = yaml.safe_load((folder / "case.yml").read_text(encoding="utf-8"))
        cases.append(Case(folder.name, folder, spec["what"], int(spec["exit"]), spec["message"]))
    return cases


def tree_digest(*folders: Path) -> str:
    """One hash over the relative paths and bytes of every file below `folders`."""
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted(folder.rglob("*")) if folder.exists() else ():
            if path.is_file() and not path.is_symlink():
                digest.update(path.relative_to(folder.parent).as_posix().encode())
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def prepare_built_project(folder: Path) -> Path:
    """A project copy with the seed notes already built into it (docs/ and site/)."""
    sys.path.insert(0, str(ROOT / "scripts"))
    from workbench import prepare_root

    root = prepare_root(folder / "project")
    result = subprocess.run([sys.executable, str(BUILD), "--root", str(root), "-q"],
                            capture_output=True, text=True, cwd=ROOT)
    if result.returncode != 0:
        raise SystemExit(f"the seed build failed:\n{result.stdout}{result.stderr}")
    return root


def run_case(case: Case, built: Path, scratch: Path) -> Outcome:
    """Build `case` on a copy of the built project; report exit code, output and whether docs/site changed."""
    work = scratch / case.name
    shutil.rmtree(work, ignore_errors=True)
    root = work / "project"
    shutil.copytree(built, root, symlinks=True)
    notes = work / "notes"
    shutil.copytree(case.folder / "notes", notes, symlinks=True)
    data = work / "data"
    shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns("notes"))
    if (case.folder / "data").is_dir():
        shutil.copytree(case.folder / "data", data, dirs_exist_ok=True)
    before = tree_digest(root / "docs", root / "site")
    command = [sys.executable, str(BUILD), "--root", "project", "--notes", "notes", "--data", "data",
               "--templates", str(ROOT / "templates"), "-q"]
    env = {k: v for k, v in os.environ.items() if k != "SITE_URL"} | {"CI": "true"}
    started = time.perf_counter()
    try:
        result = subprocess.run(command, cwd=work, env=env, capture_output=True, text=True, timeout=CASE_TIMEOUT)
        exit_code, output = result.returncode, result.stdout + result.stderr
    except subprocess.TimeoutExpired as expired:
        exit_code = None
        output = f"timed out after {CASE_TIMEOUT} s\n{expired.stdout or ''}{expired.stderr or ''}"
    seconds = time.perf_counter() - started
    return Outcome(case, exit_code, output, before == tree_digest(root / "docs", root / "site"), seconds)


def table(outcomes: list[Outcome]) -> str:
    """The outcomes as a Markdown table."""
    rows = ["| case | exit | message | output unchanged | traceback | as expected |",
            "| --- | --- | --- | --- | --- | --- |"]
    for o in outcomes:
        message = o.first_problem.replace("|", "\\|")[:160]
        unchanged = "yes" if o.unchanged else ("no (built)" if o.exit == 0 else "**no**")
        rows.append(f"| {o.case.name} | {o.exit if o.exit is not None else 'hang'} | {message} | {unchanged} "
                    f"| {'**yes**' if o.traceback else 'no'} | {'yes' if o.as_expected else '**no**'} |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    """Run the cases and print the table; exit 1 when any case misbehaves."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("cases", nargs="*", help="case folder names (default: all)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="hostile-") as temp:
        scratch = Path(temp)
        built = prepare_built_project(scratch / "built")
        outcomes = [run_case(case, built, scratch / "cases") for case in load_cases(args.cases)]
    print(table(outcomes))
    bad = [o for o in outcomes if not o.as_expected]
    for o in bad:
        print(f"\n{o.case.name}: expected exit {o.case.exit} and {o.case.message!r}; got exit {o.exit}:\n{o.output}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
