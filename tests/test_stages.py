"""The build's stages, run one after another on the seed notes as scripts/build.py runs them."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from handbook import stages
from handbook.load import DEFAULT_LIMITS
from tests.conftest import DATA, PROJECT


def no_progress(label: str, done: int, total: int) -> None:
    """A progress callback that shows nothing."""


def test_each_stage_hands_the_next_a_record_that_describes_itself(tmp_path: Path,
                                                                  caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="handbook")
    loaded = stages.load(DATA / "notes", DEFAULT_LIMITS)
    normalised = stages.normalise(loaded, DATA, DEFAULT_LIMITS, no_progress)
    merged = stages.merge(normalised, DATA, DEFAULT_LIMITS, no_progress)
    data = stages.load_data(DATA, DEFAULT_LIMITS)
    rendered = stages.render(loaded, normalised, merged, data, PROJECT / "templates")
    (tmp_path / "docs").mkdir()
    written = stages.write(tmp_path, rendered, in_place=True)
    for result in (loaded, normalised, merged, data, rendered, written):
        result.describe()
    lines = [record.getMessage() for record in caplog.records]
    assert f"load: 5 notes and 0 other files from {loaded.shown}" in lines
    assert f"normalise: {normalised.repairs} repairs, {normalised.reported} words reported" in lines
    counts = merged.result.counts
    assert f"merge: {counts.input_blocks} input blocks, {counts.kept} kept, {counts.merged} merged" in lines
    assert (f"data: {len(data.matrix.services)} services, {len(data.glossary.terms)} glossary terms, "
            f"{len(data.redirects.redirects)} redirects") in lines
    assert lines[-1] == f"write: {written.changed} files changed in docs/handbook"
    assert written.staging is None and written.changed == len(rendered.site.pages) + len(rendered.site.exports)
    assert len(normalised.notes) == 5 and normalised.repairs > 0
