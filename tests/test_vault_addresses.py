"""Notes whose names make one page address ('a b.md' and 'a-b.md', 'a.b.md' and 'ab.md') each get an address of
their own, the same in every build, and the build says so once; every other note keeps note_slug's."""

from __future__ import annotations

import logging
import unicodedata
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from handbook.load import load_notes
from handbook.paths import note_addresses, note_slug
from handbook.stages import Loaded


def test_a_name_written_as_its_address_keeps_it_and_the_others_get_a_suffix():
    addresses = note_addresses(["a.b.md", "ab.md", "a b.md", "A-B.md", "a-b.md", "x.md"])
    assert addresses.page("ab.md") == "notes/ab.md"
    assert addresses.page("a-b.md") == "notes/a-b.md"
    assert addresses.page("x.md") == "notes/x.md"
    for path, shared in (("a.b.md", "ab"), ("a b.md", "a-b"), ("A-B.md", "a-b")):
        slug = addresses.slug(path)
        assert slug.startswith(f"{shared}-") and len(slug) == len(shared) + 7, slug
    assert addresses.clashes == (("A-B.md", "a b.md", "a-b.md"), ("a.b.md", "ab.md"))


def test_with_no_name_written_as_the_address_the_first_in_path_order_keeps_it():
    addresses = note_addresses(["b/a b.md", "b/A B.md"])
    assert addresses.slug("b/A B.md") == "b/a-b"
    assert addresses.slug("b/a b.md").startswith("b/a-b-")


def test_a_suffixed_address_stays_when_other_notes_come_and_go():
    alone = note_addresses(["a.b.md", "ab.md"]).slug("a.b.md")
    assert note_addresses(["a.b.md", "ab.md", "a b.md", "z/ab.md"]).slug("a.b.md") == alone
    assert note_addresses(["ab.md", "a.b.md"]).slug("a.b.md") == alone


def test_a_name_that_ends_in_the_suffix_another_would_get_is_not_given_it():
    first = note_addresses(["a.b.md", "ab.md"]).slug("a.b.md")
    addresses = note_addresses(["a.b.md", "ab.md", f"{first}.md"])
    assert addresses.slug(f"{first}.md") == first
    assert addresses.slug("a.b.md") != first and addresses.slug("a.b.md").startswith(first)


@given(st.lists(st.text(alphabet="aAbB .-_/é", min_size=1, max_size=6).map(lambda s: s.strip("/") + ".md"),
                max_size=12, unique=True))
def test_every_note_has_an_address_of_its_own_and_a_note_no_other_clashes_with_keeps_its_own(paths):
    paths = [p for p in paths if "//" not in p and not p.startswith(".")]
    addresses = note_addresses(paths)
    assert len({addresses.slug(p) for p in paths}) == len(paths)
    plain = [note_slug(p) for p in paths]
    for path, slug in zip(paths, plain):
        if plain.count(slug) == 1:
            assert addresses.slug(path) == slug


def test_the_build_warns_once_for_each_set_of_clashing_names(tmp_path: Path):
    composed, decomposed = unicodedata.normalize("NFC", "Café.md"), unicodedata.normalize("NFD", "Café.md")
    for name in ("a b.md", "A-B.md", "a-b.md", composed, decomposed, "other.md"):
        (tmp_path / name).write_text("# T\n", encoding="utf-8")
    records: list[logging.LogRecord] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = records.append
    logger = logging.getLogger("handbook")
    logger.addHandler(handler)
    try:
        Loaded(load_notes(tmp_path), "notes").describe()
    finally:
        logger.removeHandler(handler)
    assert [record.getMessage() for record in records] == [
        "notes/A-B.md: its name makes the same page address as 'a b.md' and 'a-b.md'; each note gets an address of "
        "its own, all but one with a short suffix; to choose which, rename one of the two",
        f"notes/{decomposed}: its name makes the same page address as '{composed}'; each note gets an address of its "
        "own, all but one with a short suffix; to choose which, rename one of the two; the names look the same but "
        "encode their accents differently, one as single characters (NFC) and one as letters plus accents (NFD)",
    ]
