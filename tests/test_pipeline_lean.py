"""What the pipeline holds and what its cost grows with: one copy of each note's text, no cached results kept
after the normalise stage, report.json as bytes, and the vocabulary's choices in time linear in a note's size.

None of these measures speed or memory (scripts/bench_pipeline.py prints the figures); each checks the
behaviour that keeps them down, or that a faster way finds what the plain way found.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from handbook import stages
from handbook.cache import NoteCache
from handbook.load import DEFAULT_LIMITS
from handbook.model import RawNote
from handbook.normalise import load_context, normalise_all, normalise_note
from handbook.packs import read_pack, write_atomically, write_pack
from handbook.words import VOCABULARY_MIN_USES, vocabulary
from tests.conftest import DATA
from tests.test_linear_cost import alarm
from workbench import build_in_memory

SEEDS = DATA / "notes"


def no_progress(label: str, done: int, total: int) -> None:
    """A progress callback that shows nothing."""


def _seed_raws() -> list[RawNote]:
    return list(stages.load(SEEDS, DEFAULT_LIMITS).folder.notes)


def test_notes_from_the_workers_share_the_text_the_build_read() -> None:
    raws = _seed_raws()
    notes = [note for note, _ in normalise_all(raws, load_context(DATA, frozenset()), workers=2)]
    assert [note.path for note in notes] == [raw.path for raw in raws]
    assert all(note.raw is raw.text for note, raw in zip(notes, raws))


def test_a_cache_lets_go_of_its_results_once_saved_and_a_second_save_changes_nothing(tmp_path: Path) -> None:
    notes, folder = tmp_path / "notes", tmp_path / "cache"
    shutil.copytree(SEEDS, notes)
    loaded = stages.load(notes, DEFAULT_LIMITS)
    context = load_context(DATA, frozenset())
    cold, warm = NoteCache(folder), NoteCache(folder)
    stages.normalise(loaded, DATA, DEFAULT_LIMITS, no_progress, cold, "v1")
    assert stages.normalise(loaded, DATA, DEFAULT_LIMITS, no_progress, warm, "v1").cache.reused == 5
    for cache in (cold, warm):
        assert all(cache.lookup(raw, context) is None for raw in loaded.folder.notes)
        cache.save()
    again = stages.normalise(loaded, DATA, DEFAULT_LIMITS, no_progress, NoteCache(folder), "v1")
    assert again.cache.reused == 5


def test_a_pack_is_written_in_parts_and_read_back_whole(tmp_path: Path) -> None:
    write_atomically(tmp_path / "parts", b"one ", b"two")
    assert (tmp_path / "parts").read_bytes() == b"one two"
    value = ("key", {"note": ("text", 1, ("a", "b"))})
    write_pack(tmp_path / "pack", b"magic\n", value)
    assert read_pack(tmp_path / "pack", b"magic\n") == value


def test_report_json_is_exported_as_utf8_bytes() -> None:
    build = build_in_memory(SEEDS)
    report = next(item for item in build.rendered.site.exports if item.path == "report.json")
    assert isinstance(report.content, bytes)
    assert json.loads(report.content.decode("utf-8"))["counts"]["notes read"] == 5


# The words vocabulary_choices looked for before it scanned each distinct run of characters once.
_PLAIN_LETTERS = re.compile(r"[a-z]+")
_PLAIN_APOSTROPHE_WORD = re.compile(r"[a-z]+(?:'[a-z]+)+")
_CONTEXT = load_context(DATA, frozenset(), vocabulary={"teh": 9, "aws": 12})


def _plain_choices(raw: RawNote, note) -> tuple:
    text = "\n".join([raw.text, note.markdown, note.title, *(f"{r.before} {r.after}" for r in note.repairs)])
    text = text.lower().replace("’", "'")
    words = set(_PLAIN_LETTERS.findall(text)) | set(_PLAIN_APOSTROPHE_WORD.findall(text))
    return _CONTEXT.speller.vocabulary_choices(words)


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="abteshrAWSX' ’\n\t-.é1#*", max_size=80))
def test_the_vocabulary_choices_are_those_of_every_run_of_letters(text: str) -> None:
    raw = RawNote("note.md", text, len(text.encode("utf-8")))
    note = normalise_note(raw, _CONTEXT)
    assert _CONTEXT.vocabulary_choices(raw, note) == _plain_choices(raw, note)


def test_the_vocabulary_choices_of_a_long_word_come_in_time() -> None:
    # Once every letter of a word without an apostrophe started a match of its own: minutes for this note.
    text = "It's " + "a" * 300_000 + "\n"
    raw = RawNote("long.md", text, len(text))
    note = normalise_note(raw, _CONTEXT)
    with alarm(10, "the vocabulary's choices of a 300,000-letter word"):
        _CONTEXT.vocabulary_choices(raw, note)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(alphabet="abcAßİ1_ -\n\t\x1fé’'.", max_size=40), max_size=6))
def test_the_vault_vocabulary_counts_every_run_of_letters(texts: list[str]) -> None:
    uses: dict[str, int] = {}
    for text in texts:
        for word in re.findall(r"[^\W\d_]+", text.casefold()):
            uses[word] = uses.get(word, 0) + 1
    assert vocabulary(texts) == {word: n for word, n in sorted(uses.items()) if n >= VOCABULARY_MIN_USES}


def test_the_build_holds_each_markdown_page_as_utf8_bytes_and_tests_read_them_as_text() -> None:
    build = build_in_memory(SEEDS)
    pages = [page for page in build.rendered.site.pages if page.path.endswith(".md")]
    assert pages and all(isinstance(page.content, bytes) for page in pages)
    assert build.pages["notes/index.md"] == next(p for p in pages if p.path == "notes/index.md").content.decode()
