#!/usr/bin/env python3
"""Print Lighthouse's four category scores for the home, matrix, a topic and a source-note page of the built site.

Needs `npm install` (Lighthouse, pinned in package.json) and Debian's chromium. The site is
served on 127.0.0.1 as GitHub Pages serves it (gzip, ten-minute cache).
Targets: performance >= 95, accessibility 100, best practices 100, SEO 100.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import io
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
    ("note", "handbook/notes/003_b129a807bc61c766/"),  # the seed note with the most repairs
)
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}


COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt")


class PagesLikeHandler(http.server.SimpleHTTPRequestHandler):
    """Serves site/ the way GitHub Pages does: gzip for text files and a short cache lifetime."""

    def log_message(self, format: str, *args) -> None:  # noqa: A002
        pass

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "max-age=600")
        super().end_headers()

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?", 1)[0].endswith("/"):
                return super().send_head()  # answers with a redirect to the address ending in '/'
            path = path / "index.html"
        if not (path.is_file() and path.suffix in COMPRESSIBLE and "gzip" in self.headers.get("Accept-Encoding", "")):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


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
    parser.add_argument("--preset", choices=("mobile", "desktop"), default="mobile",
                        help="Lighthouse's device and network profile (default: mobile, Lighthouse's own default)")
    args = parser.parse_args(argv)
    if not LIGHTHOUSE.exists():
        print("Lighthouse is not installed: run `npm ci` in the project folder", file=sys.stderr)
        return 2
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(PagesLikeHandler, directory=str(args.site)))
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
