#!/usr/bin/env python3
"""Measure the live preview: seconds from saving a note to the served page showing the change.

Starts scripts/serve.py on a private copy of the project, its notes, data and templates, edits a
note, a data file and a template twice each and polls the page that shows the change. Prints figures only (target: within 2 s).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from workbench import NOTE, NOTE_PAGE, SERVICE_PAGE, append_marker, mark_data, running_preview, wait_for


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
