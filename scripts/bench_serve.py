#!/usr/bin/env python3
"""Measure the live preview: seconds from saving a note to the served page showing the change.

Starts scripts/serve.py on a private copy of the project, its notes, data and templates, edits a
note, a data file and a template twice each and polls the page that shows the change. Prints figures only (target: within 2 s).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench_pipeline import prepare_root

PROJECT = Path(__file__).resolve().parent.parent
NOTE = "000_d8822c3029f94220.md"
NOTE_PAGE = "handbook/notes/000-d8822c3029f94220/"
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
    shutil.copytree(PROJECT / "data", data)
    shutil.copytree(PROJECT / "templates", templates)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, str(PROJECT / "scripts" / "serve.py"), "--root", str(root), "--notes", str(data / "notes"),
         "--data", str(data), "--templates", str(templates), "--address", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL, stderr=open(preview_log(work), "wb"),  # noqa: SIM115 - closed with the process
    )
    try:
        yield f"http://127.0.0.1:{port}/", data, templates
    finally:
        server.terminate()
        server.wait(timeout=10)


def main() -> int:
    """Edit a note, a data file and a template, and print how long each change took to reach the served page."""
    with tempfile.TemporaryDirectory() as work, running_preview(Path(work)) as (base, data, templates):
        edits = [
            ("note", data / "notes" / NOTE, append_marker, NOTE_PAGE),
            ("data file", data / "matrix" / "services.yml", mark_data, SERVICE_PAGE),
            ("template", templates / "matrix" / "service.md.j2", append_marker, SERVICE_PAGE),
        ]
        print(f"first build and server start: {wait_for(base + NOTE_PAGE, 'Shared Responsibility'):.2f} s")
        time.sleep(1.0)
        for kind, path, edit, page in edits:
            for n in range(1, 3):
                marker = f"Preview check {n} {time.time_ns()}"
                edit(path, marker)
                print(f"{kind} edit {n}: change visible after {wait_for(base + page, marker):.2f} s")
                time.sleep(0.5)
    return 0


if __name__ == "__main__":
    sys.exit(main())
