"""The merge stage over notes from the real normaliser (skipped until handbook.normalise is importable)."""

from __future__ import annotations

from pathlib import Path

import pytest

from handbook.merge import load_topics, merge_notes, render_topic_pages
from handbook.model import RawNote

ROOT = Path(__file__).resolve().parents[1]
normalise = pytest.importorskip("handbook.normalise")


@pytest.fixture(scope="module")
def merged():
    paths = sorted((ROOT / "data" / "notes").glob("*.md"))
    context = normalise.load_context(ROOT / "data", frozenset(p.name for p in paths))
    notes = [normalise.normalise_note(RawNote(p.name, p.read_text(encoding="utf-8"), p.stat().st_size), context)
             for p in paths]
    result = merge_notes(notes, load_topics(ROOT / "data"))
    return notes, result, {f.path: f.content for f in render_topic_pages(result)}


def test_normalised_seeds_merge_like_the_test_helper_says(merged):
    _, result, _ = merged
    assert [(d.note[:3], d.duplicate_of[:3], d.kind) for d in result.duplicate_notes] == [("002", "003", "contained")]
    assert result.unassigned == ()
    assert {m.rule for m in result.merges} >= {"sentences-contained", "exact-hash"}


def test_nothing_is_lost_after_the_real_normaliser(merged):
    notes, result, files = merged
    shown = {s: b.block.markdown for p in result.pages for sec in p.sections for b in sec.blocks for s in b.sources}
    for note in notes:
        for section in note.sections:
            for block in section.blocks:
                page, anchor = result.block_home(block.source)
                assert f"{{ #{anchor} }}" in files[page]
                assert shown[block.source].split("\n")[0] in files[page]
    assert result.counts.input_blocks == result.counts.kept + result.counts.merged
