"""Benchmark of the dedupe/merge stage on synthetic corpora of 1,000 and 10,000 notes.

The corpora are made from the five seed notes with a fixed random seed: exact copies, truncated
copies, and notes stitched from seed sections with typos, dropped words, changed facts (AWS vs the
customer, N+1 vs N+2) and lines of their own. Each size runs in a fresh process so that peak memory
(ru_maxrss) belongs to that size alone. Prints figures only; it never asserts on time.

    .venv/bin/python scripts/bench_merge.py [--sizes 1000 10000]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from handbook.model import RawNote  # noqa: E402

SEED = 20240611
_OFF_TOPIC = ("Lambda pricing", "Step Functions retries", "CloudFront caching", "Route 53 health checks")


def _chunks(text: str) -> list[list[str]]:
    """A seed note cut at its headings (each chunk starts with its heading line)."""
    chunks: list[list[str]] = [[]]
    for line in text.splitlines():
        if line.startswith("#") and chunks[-1]:
            chunks.append([])
        chunks[-1].append(line)
    return [c for c in chunks if any(line.strip() for line in c)]


def _vary(line: str, rng: random.Random) -> str:
    roll = rng.random()
    words = line.split(" ")
    if roll < 0.04 and len(words) > 4:  # a typo
        i = rng.randrange(len(words))
        w = words[i]
        if len(w) > 4:
            j = rng.randrange(len(w) - 1)
            words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2:]
    elif roll < 0.07 and len(words) > 6:  # a dropped word
        del words[rng.randrange(1, len(words))]
    elif roll < 0.09:  # a changed fact the guards must keep apart
        return line.replace("AWS is", "The customer is").replace("N+1", "N+2")
    return " ".join(words)


def synthetic_corpus(size: int, seeds: list[str]) -> list[tuple[str, str]]:
    """`size` notes as (path, text), deterministic for a size."""
    rng = random.Random(SEED + size)
    chunks = [_chunks(text) for text in seeds]
    vocabulary = sorted({w for text in seeds for w in re.findall(r"[A-Za-z]{3,}", text)})
    notes = []
    for i in range(size):
        folder = f"team-{i % 40:02d}"
        roll = rng.random()
        seed = rng.randrange(len(seeds))
        if roll < 0.15:
            text = seeds[seed]
        elif roll < 0.30:
            lines = seeds[seed].splitlines()
            text = "\n".join(lines[: max(3, int(len(lines) * rng.uniform(0.6, 0.95)))])
        else:
            off_topic = roll > 0.95
            title = f"# {rng.choice(_OFF_TOPIC)} {i}" if off_topic else f"# Shared responsibility model notes {i}"
            body = [title, f"Notes by member {i % 97} after session {i // 97}."]
            for _ in range(rng.randint(2, 6)):
                pick = rng.choice(chunks[rng.randrange(len(chunks))])
                body += [_vary(line, rng) for line in pick]
            for _ in range(rng.randint(1, 3)):
                body += ["", "- " + " ".join(rng.choice(vocabulary) for _ in range(rng.randint(5, 12))) + f" ({i})"]
            text = "\n".join(body)
        notes.append((f"{folder}/note-{i:05d}.md", text + "\n"))
    return notes


class TreeMemory:
    """Samples the resident memory of this process and its workers together (Linux /proc), keeping the peak."""

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

    def _sample(self) -> None:
        me = os.getpid()
        while not self._stop.is_set():
            self.peak_kb = max(self.peak_kb, self._rss_kb(me) + sum(self._rss_kb(c) for c in self._children(me)))
            self._stop.wait(self.interval)

    def start(self) -> TreeMemory:
        if Path("/proc/self/status").exists():
            self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()


def run_size(size: int) -> dict:
    """Generate, normalise, merge and render one corpus; timings in seconds, memory in MB."""
    from handbook.merge import load_topics, merge_notes, render_topic_pages
    from handbook.normalise import load_context, normalise_all, worker_count

    seeds = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "data" / "notes").glob("*.md"))]
    timings: dict[str, float] = {}
    start = time.perf_counter()
    corpus = synthetic_corpus(size, seeds)
    timings["generate"] = time.perf_counter() - start

    memory = TreeMemory().start()  # from normalise to render: the pipeline the targets are about
    start = time.perf_counter()
    raws = [RawNote(path, text, len(text.encode())) for path, text in corpus]
    context = load_context(ROOT / "data", frozenset(path for path, _ in corpus))
    workers = worker_count(len(raws))
    notes = [note for note, _ in normalise_all(raws, context, workers)]
    timings["normalise"] = time.perf_counter() - start

    outline = load_topics(ROOT / "data")
    marks: dict[str, float] = {}

    def progress(stage: str, done: int, total: int) -> None:
        marks.setdefault(stage, time.perf_counter())

    start = time.perf_counter()
    result = merge_notes(notes, outline, progress=progress)
    end = time.perf_counter()
    timings["merge"] = end - start
    ordered = sorted(marks.items(), key=lambda kv: kv[1])
    for (stage, began), (_, following) in zip(ordered, [*ordered[1:], ("end", end)]):
        timings[f"  merge.{stage}"] = following - began

    start = time.perf_counter()
    files = render_topic_pages(result)
    timings["render"] = time.perf_counter() - start
    memory.stop()
    c = result.counts
    return {
        "size": size, "workers": workers, "timings": timings,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "worker_peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        "all_processes_peak_mb": memory.peak_kb / 1024,
        "blocks": c.input_blocks, "kept": c.kept, "merged": c.merged, "duplicate_notes": c.duplicate_notes,
        "guarded": len(result.guarded), "unassigned": len(result.unassigned), "files": len(files),
        "merges": len(result.merges),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_size(args.child)))
        return
    runs = []
    for size in args.sizes:
        out = subprocess.run([sys.executable, __file__, "--child", str(size)], capture_output=True, text=True, check=True)
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    print("normalise processes: " + ", ".join(f"{run['workers']} for {run['size']:,} notes" for run in runs))
    stages = list(dict.fromkeys(k for run in runs for k in run["timings"]))
    print(f"{'stage':<22}" + "".join(f"{run['size']:>12,}" for run in runs))
    for stage in stages:
        print(f"{stage:<22}" + "".join(f"{run['timings'].get(stage, 0):>11.2f}s" for run in runs))
    pipeline = [run["timings"]["normalise"] + run["timings"]["merge"] + run["timings"]["render"] for run in runs]
    print(f"{'normalise+merge+render':<22}" + "".join(f"{t:>11.2f}s" for t in pipeline))
    for key in ("peak_mb", "worker_peak_mb", "all_processes_peak_mb", "blocks", "kept", "merged", "duplicate_notes", "merges", "guarded", "unassigned", "files"):
        print(f"{key:<22}" + "".join(f"{run[key]:>12,.0f}" for run in runs))
    if len(runs) >= 2:
        merge_ratio = runs[-1]["timings"]["merge"] / runs[0]["timings"]["merge"]
        print(f"ratio {runs[-1]['size']:,}/{runs[0]['size']:,}: merge {merge_ratio:.1f}x, "
              f"normalise+merge+render {pipeline[-1] / pipeline[0]:.1f}x "
              f"(size ratio {runs[-1]['size'] / runs[0]['size']:.0f}x)")


if __name__ == "__main__":
    main()
