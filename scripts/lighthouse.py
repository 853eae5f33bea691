#!/usr/bin/env python3
"""Print Lighthouse's four category scores for the home, matrix and a topic page of the built site.

Needs `npm install` (Lighthouse, pinned in package.json) and Debian's chromium.
Targets: performance >= 95, accessibility 100, best practices 100, SEO 100.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = PROJECT / "node_modules" / ".bin" / "lighthouse"
CHROME_FLAGS = ("--headless=new --no-sandbox --disable-gpu --disable-background-networking "
                "--disable-component-update --disable-sync")
PAGES = (
    ("home", ""),
    ("matrix", "handbook/matrix/"),
    ("topic", "handbook/topics/shared-responsibility-model/"),
)
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:  # noqa: A002
        pass


def audit(url: str, preset: str) -> dict[str, int]:
    """Run Lighthouse once against `url`; the category scores as 0-100."""
    with tempfile.TemporaryDirectory() as work:
        report = Path(work) / "report.json"
        env = dict(os.environ, CHROME_PATH="/usr/bin/chromium")
        command = [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={report}",
                   f"--chrome-flags={CHROME_FLAGS}", f"--only-categories={','.join(CATEGORIES)}"]
        if preset == "desktop":
            command.append("--preset=desktop")
        subprocess.run(command, env=env, check=True, timeout=300)
        data = json.loads(report.read_text(encoding="utf-8"))
    return {name: round((data["categories"][name]["score"] or 0) * 100) for name in CATEGORIES}


def main(argv: list[str] | None = None) -> int:
    """Serve site/ on 127.0.0.1 and print a score table; exit 1 when a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--site", type=Path, default=PROJECT / "site")
    parser.add_argument("--preset", choices=("mobile", "desktop"), default="desktop")
    args = parser.parse_args(argv)
    if not LIGHTHOUSE.exists():
        print("Lighthouse is not installed: run `npm install` in the project folder", file=sys.stderr)
        return 2
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(args.site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    missed = 0
    print(f"{'page':<8}" + "".join(f"{c:>16}" for c in CATEGORIES))
    for name, path in PAGES:
        scores = audit(base + path, args.preset)
        missed += sum(scores[c] < TARGETS[c] for c in CATEGORIES)
        print(f"{name:<8}" + "".join(f"{scores[c]:>16}" for c in CATEGORIES))
    server.shutdown()
    print(f"targets: {TARGETS}; missed: {missed}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
