"""Benchmark of the build pipeline (load, normalise, merge, data, render, write) on synthetic corpora of
1,000 and 10,000 notes.

The corpora are made from the five seed notes with a fixed random seed: exact copies, truncated
copies, and notes stitched from seed sections with typos, dropped words, changed facts (AWS vs the
customer, N+1 vs N+2) and lines of their own. Each size is written to a temporary folder and built by
`scripts/build.py --no-site` exactly as a user runs it; the build's own stage times are printed with
the peak memory of the build and its worker processes together, their CPU time (divided by the cores,
the least time any schedule of that work could take), and the time of a fixed Python loop before and
after (shared machines vary in speed; the timings scale with it). Prints figures only; it never asserts.

    .venv/bin/python scripts/bench_pipeline.py [--sizes 1000 10000]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from workbench import prepare_root, write_corpus

ROOT = Path(__file__).resolve().parents[1]


class TreeMemory:
    """Samples the resident memory of this process's children and their workers together (Linux /proc), keeping the peak."""

    def __init__(self, interval: float = 0.02):
        self.interval = interval
        self.peak_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    @staticmethod
    def _rss_kb(pid: int) -> int:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        except OSError:
            pass
        return 0

    @staticmethod
    def _children(pid: int) -> list[int]:
        found = []
        for task in Path(f"/proc/{pid}/task").glob("*"):
            try:
                found += [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                continue
        return found

    def _descendants(self, pid: int) -> list[int]:
        found, waiting = [], [pid]
        while waiting:
            children = self._children(waiting.pop())
            found += children
            waiting += children
        return found

    def _sample(self) -> None:
        me = os.getpid()
        while not self._stop.is_set():
            # The benchmark itself is left out: it holds nothing of the build's.
            self.peak_kb = max(self.peak_kb, sum(self._rss_kb(c) for c in self._descendants(me)))
            self._stop.wait(self.interval)

    def start(self) -> TreeMemory:
        if Path("/proc/self/status").exists():
            self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()


def _children_cpu_seconds() -> float:
    """User and system CPU time of every finished child process (a build and its workers), in seconds."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


_STAGE_TIME = re.compile(r"time: (\w+)\s+([\d.]+) s")


def run_size(size: int) -> dict:
    """Build one corpus with scripts/build.py --no-site; timings in seconds, memory in MB."""
    with tempfile.TemporaryDirectory() as work:
        notes = Path(work) / "notes"
        corpus_bytes = write_corpus(notes, size)
        root = prepare_root(Path(work) / "root")
        command = [sys.executable, str(ROOT / "scripts" / "build.py"), "--root", str(root), "--notes", str(notes),
                   "--no-site"]
        memory = TreeMemory().start()
        cpu_before = _children_cpu_seconds()
        started = time.perf_counter()
        # CI=true: no progress bars, and the same summary a CI log shows.
        done = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "CI": "true"})
        wall = time.perf_counter() - started
        cpu = _children_cpu_seconds() - cpu_before
        memory.stop()
        if done.returncode != 0:
            raise SystemExit(f"the build of {size:,} notes failed:\n{done.stderr[-2000:]}")
        timings = {stage: float(seconds) for stage, seconds in _STAGE_TIME.findall(done.stdout + done.stderr)}
        report = json.loads((root / "docs" / "report.json").read_text(encoding="utf-8"))
    counts = report["counts"]
    return {
        "size": size, "corpus_mb": corpus_bytes / 1e6, "timings": timings, "wall": wall, "cpu": cpu,
        "largest_process_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        "all_processes_peak_mb": memory.peak_kb / 1024,
        "blocks": counts["input blocks"], "kept": counts["blocks kept"], "merged": counts["blocks merged"],
        "duplicate_notes": counts["duplicate notes"], "unassigned": counts["unassigned sections"],
        "merges": len(report["merge"].get("merges", [])),
    }


def reference_loop_seconds() -> float:
    """How long this machine takes for a fixed pure-Python loop, the yardstick for comparing runs."""
    started = time.perf_counter()
    total = 0
    for number in range(10_000_000):
        total += number
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    args = parser.parse_args()
    before = reference_loop_seconds()
    runs = [run_size(size) for size in args.sizes]
    after = reference_loop_seconds()
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    print(f"cores: {cores}")
    # A shared or throttled machine can run the same build at half speed: the timings scale with this loop.
    print(f"reference loop (10 million additions): {before:.2f} s before the runs, {after:.2f} s after")
    print(f"{'notes':<24}" + "".join(f"{run['size']:>12,}" for run in runs))
    print(f"{'corpus':<24}" + "".join(f"{run['corpus_mb']:>10.1f}MB" for run in runs))
    stages = list(dict.fromkeys(k for run in runs for k in run["timings"]))
    for stage in stages:
        print(f"{'time: ' + stage:<24}" + "".join(f"{run['timings'].get(stage, 0):>11.2f}s" for run in runs))
    print(f"{'wall (with start-up)':<24}" + "".join(f"{run['wall']:>11.2f}s" for run in runs))
    # The work itself: on this many cores no schedule can finish sooner than CPU time / cores.
    print(f"{'CPU, all processes':<24}" + "".join(f"{run['cpu']:>11.2f}s" for run in runs))
    print(f"{'CPU / cores':<24}" + "".join(f"{run['cpu'] / cores:>11.2f}s" for run in runs))
    for key in ("all_processes_peak_mb", "largest_process_mb", "blocks", "kept", "merged", "duplicate_notes",
                "merges", "unassigned"):
        print(f"{key:<24}" + "".join(f"{run[key]:>12,.0f}" for run in runs))
    if len(runs) >= 2:
        first, last = runs[0], runs[-1]
        print(f"ratio {last['size']:,}/{first['size']:,}: pipeline {last['timings']['total'] / first['timings']['total']:.1f}x "
              f"(size ratio {last['size'] / first['size']:.0f}x); target for {last['size']:,} notes: "
              f"total <= 15 s and <= 1,000 MB (issue 27), the cache cold")


if __name__ == "__main__":
    main()
