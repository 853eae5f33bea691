"""The public obsidian-aws vault (175 notes, many services) merges too; skipped when the vault is absent."""

from __future__ import annotations

from pathlib import Path

import pytest

from handbook.merge import load_topics, merge_notes, render_topic_pages
from handbook.model import RawNote
from tests.corpus import vault_or_skip
from tests.test_merge_support import make_note

DATA = Path(__file__).resolve().parents[1] / "data"
pytestmark = pytest.mark.corpus


def _notes(root: Path):
    """The vault's notes (hidden folders such as .trash left out), via the real normaliser when it is importable."""
    files = sorted(p for p in root.rglob("*") if p.is_file()
                   and not any(part.startswith(".") for part in p.relative_to(root).parts))
    paths = {p: p.relative_to(root).as_posix() for p in files}
    markdown = [p for p in files if p.suffix == ".md"]
    try:
        from handbook.normalise import load_context, normalise_note
    except ImportError:
        return [make_note(paths[p], p.read_text(encoding="utf-8")) for p in markdown]
    context = load_context(DATA, frozenset(paths.values()))
    return [normalise_note(RawNote(paths[p], p.read_text(encoding="utf-8"), p.stat().st_size), context)
            for p in markdown]


@pytest.fixture(scope="module")
def vault():
    notes = _notes(vault_or_skip())
    result = merge_notes(notes, load_topics(DATA))
    return notes, result, {f.path: f.content for f in render_topic_pages(result)}


def test_identical_readme_and_main_are_one_note(vault):
    _, result, _ = vault
    pairs = {(d.note, d.duplicate_of, d.kind) for d in result.duplicate_notes}
    assert ("README.md", "Main.md", "exact") in pairs


def test_off_topic_notes_keep_their_own_pages_in_their_folders(vault):
    notes, result, files = vault
    paths = {page.note: page.path for page in result.other_pages}
    assert paths["5. Storage _ Database/storage/S3.md"] == "other/5-storage-database/storage/s3.md"
    assert len(result.other_pages) > 100
    assert result.note_home("5. Storage _ Database/storage/S3.md") == ("other/5-storage-database/storage/s3.md", None)
    # The folder is a section as its name is written; its own note comes after its subfolders.
    summary = files["other/SUMMARY.md"]
    folder = summary.index("\n* 5.\u00a0Storage _ Database\n    * _concepts\n")
    own = summary.index("\n    * [Storage &amp;&amp; Database](5-storage-database/storage-database.md)\n")
    assert folder < own < summary.index("\n* 6.\u00a0Application Integration\n")


def test_shared_responsibility_note_joins_the_topic_pages(vault):
    notes, result, _ = vault
    note = next(n for n in notes if n.stem == "Shared Responsibility")
    page, _ = result.note_home(note.path)
    assert page.startswith("topics/")


def test_nothing_is_lost_in_the_vault(vault):
    notes, result, files = vault
    anchors = {}
    for note in notes:
        for section in note.sections:
            for block in section.blocks:
                page, anchor = result.block_home(block.source)
                assert f"{{ #{anchor} }}" in files[page], (block.source, page, anchor)
    assert result.counts.input_blocks == result.counts.kept + result.counts.merged
