"""The public obsidian-aws vault (175 notes, many services) merges too; skipped when the vault is absent."""

from __future__ import annotations

import pytest

from handbook.merge import load_topics, merge_notes, render_topic_pages
from tests.conftest import DATA, folder_notes
from tests.corpus import vault_or_skip

pytestmark = pytest.mark.corpus


@pytest.fixture(scope="module")
def vault():
    notes = folder_notes(vault_or_skip())
    result = merge_notes(notes, load_topics(DATA))
    return notes, result, {f.path: f.content for f in render_topic_pages(result)}


def test_identical_readme_and_main_are_one_note(vault):
    _, result, _ = vault
    pairs = {(d.note, d.duplicate_of, d.kind) for d in result.duplicate_notes}
    assert ("README.md", "Main.md", "exact") in pairs


def test_off_topic_notes_keep_their_own_pages_in_their_folders(vault):
    notes, result, files = vault
    paths = {page.note: page.path for page in result.other_pages}
    assert paths["5. Storage _ Database/storage/S3.md"] == "other/5-storage-_-database/storage/s3.md"
    assert len(result.other_pages) > 100
    assert result.note_home("5. Storage _ Database/storage/S3.md") == ("other/5-storage-_-database/storage/s3.md", None)
    # The folder is a section as its name is written; its own note comes after its subfolders.
    summary = files["other/SUMMARY.md"]
    folder = summary.index("\n* 5.\u00a0Storage _ Database\n    * _concepts\n")
    own = summary.index("\n    * [Storage &amp;&amp; Database](5-storage-_-database/storage-_-database.md)\n")
    assert folder < own < summary.index("\n* 6.\u00a0Application Integration\n")


def test_shared_responsibility_note_joins_the_topic_pages(vault):
    notes, result, _ = vault
    note = next(n for n in notes if n.stem == "Shared Responsibility")
    page, _ = result.note_home(note.path)
    assert page.startswith("topics/")


def test_nothing_is_lost_in_the_vault(vault):
    notes, result, files = vault
    for note in notes:
        for section in note.sections:
            for block in section.blocks:
                page, anchor = result.block_home(block.source)
                assert f"{{ #{anchor} }}" in files[page], (block.source, page, anchor)
    assert result.counts.input_blocks == result.counts.kept + result.counts.merged
