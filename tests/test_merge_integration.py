"""The merge stage over the seed notes as the build normalises them: which notes are duplicates, and that every block
has a home on a page."""

from __future__ import annotations

import pytest

from handbook.merge import load_topics, merge_notes, render_topic_pages
from handbook.merge.result import LEFT_OUT
from tests.conftest import DATA, seed_notes


@pytest.fixture(scope="module")
def merged():
    notes = seed_notes()
    result = merge_notes(notes, load_topics(DATA))
    return notes, result, {f.path: f.content for f in render_topic_pages(result)}


def test_the_seeds_have_one_contained_duplicate_and_every_section_is_assigned(merged):
    _, result, _ = merged
    assert [(d.note[:3], d.duplicate_of[:3], d.kind) for d in result.duplicate_notes] == [("002", "003", "contained")]
    assert result.unassigned == ()
    assert {m.rule for m in result.merges} >= {"sentences-contained", "exact-hash"}


def test_nothing_is_lost_after_the_real_normaliser(merged):
    notes, result, files = merged
    shown = {s: b.block.markdown for p in result.pages for sec in p.sections for b in sec.blocks for s in b.sources}
    left_out = {fate.source for account in result.account for fate in account.blocks if fate.status == LEFT_OUT}
    for note in notes:
        for section in note.sections:
            for block in section.blocks:
                page, anchor = result.block_home(block.source)
                assert f"{{ #{anchor} }}" in files[page]
                if block.source not in left_out:  # a missing image stays on its note's page only
                    assert shown[block.source].split("\n")[0] in files[page]
    assert result.counts.input_blocks == result.counts.kept + result.counts.merged
