"""What the benchmarks and the tests both build on: a project copy to build in, a synthetic corpus of notes made
from the seeds, a live preview to drive, and a build held in memory."""

from __future__ import annotations

import random
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from handbook import stages
from handbook.load import Limits

ROOT = Path(__file__).resolve().parents[1]

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


def prepare_root(folder: Path) -> Path:
    """A copy of what MkDocs reads (mkdocs.yml, the hand-written docs/, the theme overrides) to build into.

    Generated pages, exports and the README's screenshots stay behind: a build writes its own.
    """
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy2(ROOT / "mkdocs.yml", folder / "mkdocs.yml")
    shutil.copytree(ROOT / "docs", folder / "docs",
                    ignore=shutil.ignore_patterns("handbook", ".handbook-*", "*.json", "*.csv", "screenshots"))
    shutil.copytree(ROOT / "templates" / "theme", folder / "templates" / "theme")
    return folder


def write_corpus(folder: Path, size: int) -> int:
    """The synthetic notes as files; returns their total size in bytes."""
    seeds = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "data" / "notes").glob("*.md"))]
    total = 0
    for path, text in synthetic_corpus(size, seeds):
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        total += len(text.encode("utf-8"))
    return total


NOTE = "000_d8822c3029f94220.md"
NOTE_PAGE = "handbook/notes/000_d8822c3029f94220/"
SERVICE_PAGE = "handbook/services/ec2/"
TIMEOUT = 30.0


def free_port() -> int:
    """A port nothing listens on yet."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> str:
    """The page's text, or '' while the server is not answering."""
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def wait_for(url: str, marker: str, timeout: float = TIMEOUT) -> float:
    """Seconds until `marker` appears in the page at `url`."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if marker in fetch(url):
            return time.perf_counter() - started
        time.sleep(0.05)
    raise TimeoutError(f"{marker!r} did not appear within {timeout:.0f} s")


def append_marker(path: Path, marker: str) -> None:
    """Add a line with `marker` to a note or template."""
    path.write_text(path.read_text(encoding="utf-8") + f"\n{marker}\n", encoding="utf-8")


def mark_data(path: Path, marker: str) -> None:
    """Put `marker` into the first service explanation of the services data file."""
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("explanation: ", f"explanation: {marker} ", 1), encoding="utf-8")


def preview_log(work: Path) -> Path:
    """The file a preview started by running_preview(work) prints to."""
    return work / "serve.log"


def wait_for_log_line(log: Path, text: str, after: int, timeout: float) -> str:
    """The first line holding `text` that the log gains past byte `after`; AssertionError when none comes in time."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        with open(log, "rb") as file:
            file.seek(after)
            for line in file.read().decode("utf-8", "replace").splitlines():
                if text in line:
                    return line
        time.sleep(0.05)
    raise AssertionError(f"no line with {text!r} in {log.name} within {timeout:.0f} s")


@contextmanager
def running_preview(work: Path) -> Iterator[tuple[str, Path, Path]]:
    """Run scripts/serve.py on a private copy of the project under `work`; yields (base URL, data, templates).

    What the preview prints goes to `work/serve.log` (see preview_log), so that a caller can wait for a rebuild.
    """
    root, data, templates = prepare_root(work / "project"), work / "data", work / "templates"
    shutil.copytree(ROOT / "data", data)
    shutil.copytree(ROOT / "templates", templates)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, str(ROOT / "scripts" / "serve.py"), "--root", str(root), "--notes", str(data / "notes"),
         "--data", str(data), "--templates", str(templates), "--address", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL, stderr=open(preview_log(work), "wb"),  # noqa: SIM115 - closed with the process
    )
    try:
        yield f"http://127.0.0.1:{port}/", data, templates
    finally:
        server.terminate()
        server.wait(timeout=10)


@dataclass(frozen=True)
class InMemoryBuild:
    """A notes folder taken through every stage up to the rendered pages, nothing written."""

    normalised: stages.Normalised
    merged: stages.Merged
    rendered: stages.Rendered

    @property
    def pages(self) -> dict[str, str]:
        """Generated page path -> its Markdown."""
        return {f.path: f.content if isinstance(f.content, str) else f.content.decode("utf-8")
                for f in self.rendered.site.pages if isinstance(f.content, str) or f.path.endswith(".md")}

    @property
    def exports(self) -> dict[str, str]:
        """Export file name (report.json, matrix.csv...) -> its text."""
        return {f.path: f.content if isinstance(f.content, str) else f.content.decode("utf-8")
                for f in self.rendered.site.exports}


def build_in_memory(notes_dir: Path, data_dir: Path = ROOT / "data", templates_dir: Path = ROOT / "templates"
                    ) -> InMemoryBuild:
    """Load, normalise, merge and render a notes folder with the project's data and templates."""
    limits = Limits()
    loaded = stages.load(notes_dir, limits)
    normalised = stages.normalise(loaded, data_dir, limits, lambda *progress: None)
    merged = stages.merge(normalised, data_dir, limits, lambda *progress: None)
    rendered = stages.render(loaded, normalised, merged, stages.load_data(data_dir, limits), templates_dir)
    return InMemoryBuild(normalised, merged, rendered)
