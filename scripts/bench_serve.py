#!/usr/bin/env python3
"""Measure the live preview: seconds from saving a note to the served page showing the change.

Starts scripts/serve.py on a private copy of the project and notes, edits a note a few
times and polls the served note page. Prints figures only (target: within 2 s).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
NOTE = "000_d8822c3029f94220.md"
PAGE = "handbook/notes/000-d8822c3029f94220/"
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


def wait_for(url: str, marker: str) -> float:
    """Seconds until `marker` appears in the page at `url`."""
    started = time.perf_counter()
    while time.perf_counter() - started < TIMEOUT:
        if marker in fetch(url):
            return time.perf_counter() - started
        time.sleep(0.05)
    raise TimeoutError(f"{marker!r} did not appear within {TIMEOUT:.0f} s")


def main() -> int:
    """Edit a note three times and print how long each change took to reach the browser's page."""
    with tempfile.TemporaryDirectory() as work:
        root, notes = Path(work) / "project", Path(work) / "notes"
        root.mkdir()
        shutil.copy2(PROJECT / "mkdocs.yml", root / "mkdocs.yml")
        shutil.copytree(PROJECT / "docs", root / "docs", ignore=shutil.ignore_patterns("handbook", "*.json", "*.csv"))
        shutil.copytree(PROJECT / "templates" / "theme", root / "templates" / "theme")
        shutil.copytree(PROJECT / "data" / "notes", notes)
        port = free_port()
        url = f"http://127.0.0.1:{port}/{PAGE}"
        server = subprocess.Popen(
            [sys.executable, str(PROJECT / "scripts" / "serve.py"), "--root", str(root), "--notes", str(notes),
             "--address", f"127.0.0.1:{port}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        try:
            print(f"first build and server start: {wait_for(url, 'Shared Responsibility'):.2f} s")
            time.sleep(1.0)
            for n in range(1, 4):
                marker = f"Preview check {n} {time.time_ns()}"
                note = notes / NOTE
                note.write_text(note.read_text(encoding="utf-8") + f"\n{marker}\n", encoding="utf-8")
                print(f"edit {n}: change visible after {wait_for(url, marker):.2f} s")
                time.sleep(0.5)
        finally:
            server.terminate()
            server.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
