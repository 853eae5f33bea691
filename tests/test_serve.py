"""The live preview: edits to notes, data and templates reach the served pages; bad edits keep the last good pages."""

from __future__ import annotations

import time
from pathlib import Path

import jinja2

from workbench import (
    NOTE, NOTE_PAGE, SERVICE_PAGE, append_marker, fetch, mark_data, preview_log, running_preview, wait_for,
    wait_for_log_line,
)
from serve import CompiledTemplates

# Generous: this checks that the change arrives at all; scripts/bench_serve.py measures how fast.
ARRIVES_WITHIN = 60.0


def render_with_cache(folder: Path, cache: CompiledTemplates) -> str:
    """Render page.html the way MkDocs does on each rebuild: a new environment, the shared cache."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(folder)), bytecode_cache=cache)
    return env.get_template("page.html").render(name="x")


def test_compiled_templates_are_reused_until_their_source_changes(tmp_path: Path):
    cache = CompiledTemplates()
    (tmp_path / "page.html").write_text("first {{ name }}", encoding="utf-8")
    assert render_with_cache(tmp_path, cache) == "first x"
    assert len(cache.store) == 1
    (tmp_path / "page.html").write_text("second {{ name }}", encoding="utf-8")
    assert render_with_cache(tmp_path, cache) == "second x"


def test_preview_shows_edits_to_notes_data_and_templates(tmp_path: Path):
    with running_preview(tmp_path) as (base, data, templates):
        wait_for(base + NOTE_PAGE, "Shared Responsibility", ARRIVES_WITHIN)
        edits = [
            (data / "notes" / NOTE, append_marker, NOTE_PAGE),
            (data / "matrix" / "services.yml", mark_data, SERVICE_PAGE),
            (templates / "matrix" / "service.md.j2", append_marker, SERVICE_PAGE),
        ]
        for path, edit, page in edits:
            marker = f"Preview check {path.stem} {time.time_ns()}"
            edit(path, marker)
            wait_for(base + page, marker, ARRIVES_WITHIN)


def test_preview_keeps_the_last_good_pages_while_a_data_file_is_broken(tmp_path: Path):
    with running_preview(tmp_path) as (base, data, _templates):
        wait_for(base + SERVICE_PAGE, "Amazon EC2", ARRIVES_WITHIN)
        services = data / "matrix" / "services.yml"
        good = services.read_text(encoding="utf-8")
        log = preview_log(tmp_path)
        seen = log.stat().st_size
        services.write_text(good + "\n  - id: [unclosed\n", encoding="utf-8")
        # The rebuild that reads the broken file must run, fail, and leave the page as it was.
        wait_for_log_line(log, "regeneration failed", seen, ARRIVES_WITHIN)
        assert "Amazon EC2" in fetch(base + SERVICE_PAGE)
        marker = f"Fixed {time.time_ns()}"
        services.write_text(good.replace("explanation: ", f"explanation: {marker} ", 1), encoding="utf-8")
        wait_for(base + SERVICE_PAGE, marker, ARRIVES_WITHIN)
