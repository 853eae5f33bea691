#!/usr/bin/env python3
"""Take the README's screenshots of the built site in light and dark mode (needs Debian's chromium)."""

from __future__ import annotations

import argparse
import functools
import http.server
import sys
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

PROJECT = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]

# (file name, page path, section anchor or ""): the pages a reader meets first, and a topic section that shows
# the source numbers, a notice and the matrix links.
PAGES = (
    ("home", "", ""),
    ("topic", "handbook/topics/shared-responsibility-model/", ""),
    ("topic-notices", "handbook/topics/service-categories/", "container-services"),
    ("matrix", "handbook/matrix/", ""),
    ("service", "handbook/services/rds/", ""),
)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:  # noqa: A002
        pass


def main(argv: list[str] | None = None) -> int:
    """Serve site/ on 127.0.0.1 and capture each page that exists, light and dark."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--site", type=Path, default=PROJECT / "site")
    parser.add_argument("--out", type=Path, default=PROJECT / "docs" / "screenshots")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=800)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(args.site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for scheme in ("light", "dark"):
            context = browser.new_context(
                viewport={"width": args.width, "height": args.height}, color_scheme=scheme
            )
            page = context.new_page()
            for name, path, anchor in PAGES:
                if not (args.site / path / "index.html").exists():
                    continue
                page.goto(base + path + (f"#{anchor}" if anchor else ""))
                page.wait_for_load_state("networkidle")
                if anchor and not page.locator(f"[id='{anchor}']").count():
                    continue
                target = args.out / f"{name}-{scheme}.png"
                page.screenshot(path=str(target))
                print(target.relative_to(PROJECT) if target.is_relative_to(PROJECT) else target)
            context.close()
        browser.close()
    server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
