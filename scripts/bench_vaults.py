"""Figures for real vaults: each vault in the shared corpora folder (beside the project) is built as it is,
site and all, by `scripts/build.py --notes <vault>` exactly as `make site NOTES=<vault>` runs it, into a
temporary copy of the project. Per vault it prints the build's result, its warnings by kind (each one a thing
the vault's author can fix, which `--strict` stops on), the repairs by rule, the wall time and the peak memory
(of the build's largest process, from the kernel's account of the finished child, and of all its processes
together, sampled). Prints figures only; it never asserts.

    .venv/bin/python scripts/bench_vaults.py [VAULT ...]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bench_pipeline import TreeMemory
from workbench import prepare_root

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "corpora"
# What a warning is about: the words after its `file:line: `, up to the first colon or semicolon.
_WARNING = re.compile(r"^WARNING\s+-\s+(?P<where>.+?):(?:(?P<line>\d+):)? (?P<kind>[^:;]+)")


@dataclass(frozen=True)
class VaultRun:
    """One vault's build: its outcome and figures."""

    name: str
    notes: int
    exit_code: int
    site_built: bool
    warnings: Counter
    warnings_with_line: int
    repairs: Counter
    wall: float
    largest_process_mb: float
    all_processes_peak_mb: float
    last_lines: str


def warning_kind(line: str) -> str:
    """A warning line's kind, names left out: 'link to a missing note', 'its name makes the same page address as …'."""
    found = _WARNING.match(line)
    return re.sub(r"'[^']*'", "…", found.group("kind").strip() if found else line)


def build_vault(vault: Path) -> VaultRun:
    """Build one vault with its site, as a user does; figures in seconds and MB."""
    with tempfile.TemporaryDirectory() as work:
        root = prepare_root(Path(work) / "root")
        command = [sys.executable, str(ROOT / "scripts" / "build.py"), "--root", str(root), "--notes", str(vault)]
        memory = TreeMemory().start()
        started = time.perf_counter()
        # CI=true: no progress bars, and the same lines a CI log shows.
        child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                 env={**os.environ, "CI": "true"})
        output = child.stdout.read() if child.stdout else ""
        _, status, usage = os.wait4(child.pid, 0)  # this child's own account, its workers included
        child.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - started
        memory.stop()
        warnings = [line for line in output.splitlines() if line.startswith("WARNING")]
        report_file = root / "docs" / "report.json"
        report = json.loads(report_file.read_text(encoding="utf-8")) if report_file.is_file() else {}
        site_built = (root / "site" / "index.html").is_file()
    return VaultRun(
        name=vault.name,
        notes=report.get("counts", {}).get("notes read", 0),
        exit_code=child.returncode,
        site_built=site_built,
        warnings=Counter(warning_kind(line) for line in warnings),
        warnings_with_line=sum(1 for line in warnings if (m := _WARNING.match(line)) and m.group("line")),
        repairs=Counter(repair["rule"] for repair in report.get("repairs", ())),
        wall=wall,
        largest_process_mb=usage.ru_maxrss / 1024,
        all_processes_peak_mb=memory.peak_kb / 1024,
        last_lines="\n".join(output.splitlines()[-5:]),
    )


def print_run(run: VaultRun) -> None:
    """One vault's figures as plain lines."""
    built = "builds as it is, site and all" if run.exit_code == 0 and run.site_built else f"FAILS (exit {run.exit_code})"
    print(f"== {run.name}: {run.notes:,} notes: {built}")
    total = sum(run.warnings.values())
    strict = "--strict stops on them" if total else "--strict builds it too"
    print(f"   warnings: {total:,} ({run.warnings_with_line:,} with file and line; {strict})")
    for kind, found in run.warnings.most_common():
        print(f"     {found:>6,}  {kind}")
    print(f"   repairs: {sum(run.repairs.values()):,}")
    for rule, found in sorted(run.repairs.items(), key=lambda item: (-item[1], item[0])):
        print(f"     {found:>6,}  {rule}")
    print(f"   wall time: {run.wall:.1f} s; peak memory: {run.largest_process_mb:,.0f} MB largest process, "
          f"{run.all_processes_peak_mb:,.0f} MB all processes together")
    if run.exit_code != 0:
        print("   " + run.last_lines.replace("\n", "\n   "))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("vaults", nargs="*", type=Path,
                        help="vault folders (default: every folder in the shared corpora beside the project)")
    args = parser.parse_args()
    vaults = args.vaults or (sorted(p for p in CORPORA.iterdir() if p.is_dir()) if CORPORA.is_dir() else [])
    if not vaults:
        raise SystemExit("no vaults: name some, or put them in the shared corpora folder beside the project")
    for vault in vaults:
        print_run(build_vault(vault.resolve()))


if __name__ == "__main__":
    main()
