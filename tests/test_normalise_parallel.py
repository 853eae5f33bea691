"""Normalising on several processes gives what one process gives, in the same order, errors included."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench import synthetic_corpus
from handbook.model import Asset, Block, BuildError, Note, RawNote, Repair, Section, Source
from handbook.normalise import Finding, load_context, normalise_all, worker_count
from handbook.normalise.parallel import PARALLEL_FROM, PARALLEL_FROM_CHARS

PROJECT = Path(__file__).resolve().parents[1]
DATA = PROJECT / "data"


def raw_notes(count: int) -> list[RawNote]:
    """Synthetic notes made from the seeds, with their variations and duplication."""
    seeds = [p.read_text(encoding="utf-8") for p in sorted((DATA / "notes").glob("*.md"))]
    return [RawNote(path, text, len(text.encode("utf-8"))) for path, text in synthetic_corpus(count, seeds)]


def test_two_processes_give_the_same_notes_in_the_same_order():
    notes = raw_notes(60)
    context = load_context(DATA, frozenset())
    assert list(normalise_all(notes, context, workers=2)) == list(normalise_all(notes, context, workers=1))


def test_an_error_in_a_worker_names_the_file_and_line():
    notes = raw_notes(20)
    broken = "---\ntitle: ok\ntags: [a, b\nauthor: x\n---\nBody\n"
    notes.insert(7, RawNote("team/broken.md", broken, len(broken)))
    with pytest.raises(BuildError) as error:
        list(normalise_all(notes, load_context(DATA, frozenset()), workers=2))
    assert (error.value.path, error.value.line) == ("team/broken.md", 4)
    assert error.value.describe().startswith("team/broken.md:4: front matter: invalid YAML")


def test_small_folders_stay_in_one_process():
    assert worker_count(5, cores=2) == 1
    assert worker_count(PARALLEL_FROM - 1, cores=8) == 1
    assert worker_count(PARALLEL_FROM, cores=2) == 2
    assert worker_count(10_000, cores=1) == 1
    # A few long notes are as much work as many short ones; one note is never split.
    assert worker_count(120, cores=2, chars=PARALLEL_FROM_CHARS) == 2
    assert worker_count(120, cores=2, chars=PARALLEL_FROM_CHARS - 1) == 1
    assert worker_count(1, cores=2, chars=10 * PARALLEL_FROM_CHARS) == 1


def test_every_field_of_a_note_comes_back_from_a_worker():
    text = ("---\ntags: [aws, iam]\naliases: [Access]\nauthor: Sam\nsource: course\n---\n# Access\n\n"
            "## The **IAM** part #concept\n\n![[diagram.png]]\n\n- Securitu of the cloud\n- ##Nested\n\nA PArtner typo\n")
    notes = [RawNote(f"team/note-{n}.md", text, len(text)) for n in range(3)]
    context = load_context(DATA, frozenset({"team/diagram.png"}))
    one, two = list(normalise_all(notes, context, workers=1)), list(normalise_all(notes, context, workers=2))
    assert two == one
    note, findings = one[0]
    assert note.tags and note.aliases and note.author and note.assets and note.meta and note.repairs and findings
    assert any(section.heading for section in note.sections)


def test_the_records_a_worker_packs_have_the_fields_it_knows():
    # pack_note writes these fields by name, for speed; a new field must be added there too.
    assert Note.__match_args__ == ("path", "title", "raw", "markdown", "sections", "repairs", "tags", "aliases",
                                   "author", "assets", "meta", "title_markup")
    assert Section.__match_args__ == ("title", "level", "source", "blocks", "heading")
    assert Block.__match_args__ == ("kind", "markdown", "source", "depth", "ids")
    assert Source.__match_args__ == ("note", "line")
    assert Repair.__match_args__ == ("note", "line", "rule", "before", "after")
    assert Asset.__match_args__ == ("source_path", "note", "line")
    assert Finding.__match_args__ == ("note", "line", "word", "reason")
