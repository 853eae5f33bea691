"""The cache kept between builds: a note unchanged since the last build is not normalised again, a build with
nothing changed does nothing, and whatever the cache holds, the output is the output of a build without it."""

from __future__ import annotations

import os
import shutil
import signal
from pathlib import Path

import pytest

from handbook import stages
from handbook.cache import MAX_PACKS, PACK_SUFFIX, CacheUse, NoCache, NoteCache
from handbook.load import DEFAULT_LIMITS
from tests.conftest import DATA, copy_project, run_build


def no_progress(label: str, done: int, total: int) -> None:
    """A progress callback that shows nothing."""


def seeds_copy(folder: Path) -> Path:
    """The seed notes in a folder of their own, free to change."""
    shutil.copytree(DATA / "notes", folder)
    return folder


def normalise(notes: Path, cache, version: str = "v1") -> stages.Normalised:
    """The normalise stage over a notes folder with this cache."""
    return stages.normalise(stages.load(notes, DEFAULT_LIMITS), DATA, DEFAULT_LIMITS, no_progress, cache, version)


def outputs(root: Path) -> dict[str, bytes]:
    """Every file a --no-site build wrote into docs/ (the generated folder and the exports), by path."""
    docs = root / "docs"
    found = {p.relative_to(docs).as_posix(): p.read_bytes() for p in (docs / "handbook").rglob("*") if p.is_file()}
    found.update({p.name: p.read_bytes() for p in docs.glob("*.json")})
    found.update({p.name: p.read_bytes() for p in docs.glob("*.csv")})
    return found


def first_note(notes: Path) -> Path:
    return sorted(notes.glob("*.md"))[0]


def test_a_second_build_takes_every_note_from_the_cache_and_one_changed_note_is_normalised_again(
        tmp_path: Path) -> None:
    notes, cache_dir = seeds_copy(tmp_path / "notes"), tmp_path / "cache"
    cold = normalise(notes, NoteCache(cache_dir))
    assert cold.cache == CacheUse(reused=0, normalised=5)
    warm = normalise(notes, NoteCache(cache_dir))
    assert warm.cache == CacheUse(reused=5, normalised=0)
    assert warm == stages.Normalised(cold.notes, cold.findings, cold.unpublished, cold.repairs, cold.reported,
                                     warm.cache)
    changed = first_note(notes)
    changed.write_text(changed.read_text(encoding="utf-8") + "\nA line of its own about key rotation.\n",
                       encoding="utf-8")
    assert normalise(notes, NoteCache(cache_dir)).cache == CacheUse(reused=4, normalised=1)


def test_another_code_version_or_no_cache_normalises_every_note(tmp_path: Path) -> None:
    notes, cache_dir = seeds_copy(tmp_path / "notes"), tmp_path / "cache"
    normalise(notes, NoteCache(cache_dir), version="v1")
    assert normalise(notes, NoteCache(cache_dir), version="v2").cache == CacheUse(0, 5)
    assert normalise(notes, NoCache()).cache == CacheUse(0, 5)


def test_a_note_whose_spelling_rests_on_the_vault_vocabulary_is_normalised_again_when_the_vocabulary_changes(
        tmp_path: Path) -> None:
    notes, cache_dir = tmp_path / "notes", tmp_path / "cache"
    notes.mkdir()
    (notes / "a.md").write_text("# Keys\n\nRotate teh keys every year.\n", encoding="utf-8")
    (notes / "b.md").write_text("# Words\n\nteh teh teh teh teh, as our team writes it.\n", encoding="utf-8")
    kept = normalise(notes, NoteCache(cache_dir))
    assert "Rotate teh keys" in kept.notes[0].markdown  # the vault's own word: five uses, no fix used more
    (notes / "b.md").write_text("# Words\n\nNothing of that word here.\n", encoding="utf-8")
    fixed = normalise(notes, NoteCache(cache_dir))
    assert fixed.cache == CacheUse(reused=0, normalised=2)
    assert "Rotate the keys" in fixed.notes[0].markdown
    # A change that leaves the vocabulary's choices as they were leaves a.md's result in the cache.
    (notes / "b.md").write_text("# Words\n\nStill nothing of that word here.\n", encoding="utf-8")
    assert normalise(notes, NoteCache(cache_dir)).cache == CacheUse(reused=1, normalised=1)


@pytest.mark.parametrize("damage", [
    lambda pack: pack.write_bytes(b"not a pack at all"),
    lambda pack: pack.write_bytes(pack.read_bytes()[:-100]),
    lambda pack: pack.write_bytes(pack.read_bytes()[:120] + b"\x00" * 50 + pack.read_bytes()[170:]),
    lambda pack: pack.write_bytes(b""),
])
def test_a_damaged_pack_is_ignored_and_written_again(tmp_path: Path, damage) -> None:
    notes, cache_dir = seeds_copy(tmp_path / "notes"), tmp_path / "cache"
    expected = normalise(notes, NoteCache(cache_dir))
    (pack,) = cache_dir.glob("*" + PACK_SUFFIX)
    damage(pack)
    (cache_dir / "someone-elses.notes.txt").write_text("not ours", encoding="utf-8")
    again = normalise(notes, NoteCache(cache_dir))
    assert again.cache == CacheUse(0, 5) and again.notes == expected.notes
    assert normalise(notes, NoteCache(cache_dir)).cache == CacheUse(5, 0)


def test_an_entry_of_another_shape_is_made_again(tmp_path: Path) -> None:
    import hashlib
    import marshal
    from handbook.cache import MAGIC

    notes, cache_dir = seeds_copy(tmp_path / "notes"), tmp_path / "cache"
    normalise(notes, NoteCache(cache_dir))
    (pack,) = cache_dir.glob("*" + PACK_SUFFIX)
    key, entries = marshal.loads(pack.read_bytes()[len(MAGIC) + 64:])
    payload = marshal.dumps((key, {name: ("wrong", 1) for name in entries}))
    pack.write_bytes(MAGIC + hashlib.sha256(payload).hexdigest().encode() + payload)
    assert normalise(notes, NoteCache(cache_dir)).cache == CacheUse(0, 5)


def test_the_cache_keeps_a_bounded_number_of_packs(tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    for number in range(MAX_PACKS + 3):
        notes = tmp_path / f"vault-{number}"
        notes.mkdir()
        (notes / "note.md").write_text(f"# Note {number}\n\nText {number}.\n", encoding="utf-8")
        normalise(notes, NoteCache(cache_dir))
    assert len(list(cache_dir.glob("*" + PACK_SUFFIX))) == MAX_PACKS


def test_deleting_the_cache_gives_byte_identical_output(tmp_path: Path) -> None:
    root, notes = copy_project(tmp_path / "root"), seeds_copy(tmp_path / "notes")
    assert run_build(root, "--no-site", notes=notes) == 0
    changed = first_note(notes)
    changed.write_text(changed.read_text(encoding="utf-8").replace("\n## ", "\nA new line of its own.\n\n## ", 1),
                       encoding="utf-8")
    assert run_build(root, "--no-site", notes=notes) == 0  # four notes from the cache, one normalised
    with_cache = outputs(root)
    shutil.rmtree(root / ".cache")
    assert run_build(root, "--no-site", notes=notes) == 0
    assert outputs(root) == with_cache
    assert run_build(root, "--no-site", "--no-cache", notes=notes) == 0
    assert outputs(root) == with_cache


def test_no_cache_leaves_no_cache_folder(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "root")
    assert run_build(root, "--no-site", "--no-cache", notes=seeds_copy(tmp_path / "notes")) == 0
    assert not (root / ".cache").exists()


def test_a_build_with_nothing_changed_leaves_the_outputs_alone_and_says_its_warnings_again(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root, notes = copy_project(tmp_path / "root"), seeds_copy(tmp_path / "notes")
    linked = first_note(notes)
    linked.write_text(linked.read_text(encoding="utf-8") + "\nSee [[A note nobody wrote]].\n", encoding="utf-8")
    assert run_build(root, "--no-site", notes=notes) == 0
    first = capsys.readouterr().err
    assert "link to a missing note" in first
    generated = root / "docs" / "handbook"
    made = generated.stat().st_mtime_ns
    assert run_build(root, "--no-site", notes=notes) == 0
    assert generated.stat().st_mtime_ns == made  # not swapped: nothing was built
    assert "link to a missing note" in capsys.readouterr().err

    # An output changed by hand, a data file, an option: each makes the build run again.
    page = next(generated.rglob("*.md"))
    page.write_text("changed by hand", encoding="utf-8")
    assert run_build(root, "--no-site", notes=notes) == 0
    assert page.read_text(encoding="utf-8") != "changed by hand"
    made = (root / "docs" / "handbook").stat().st_mtime_ns
    assert run_build(root, "--no-site", "--strict", notes=notes) == 1  # the warning stops a strict build
    data = copy_project(tmp_path / "other")  # any root: only its data folder is used
    shutil.copytree(DATA, data / "data", ignore=shutil.ignore_patterns("notes"))
    assert run_build(root, "--no-site", "--data", str(data / "data"), notes=notes) == 0
    assert (root / "docs" / "handbook").stat().st_mtime_ns != made


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_the_check_for_changes_opens_no_pipe_and_reads_no_file_outside_the_folders(tmp_path: Path) -> None:
    root, notes = copy_project(tmp_path / "root"), seeds_copy(tmp_path / "notes")
    os.mkfifo(notes / "pipe.md")
    secret = tmp_path / "secret.txt"
    secret.write_text("not to be read", encoding="utf-8")
    (notes / "outside.md").symlink_to(secret)
    signal.signal(signal.SIGALRM, lambda *_: (_ for _ in ()).throw(AssertionError("the build waited on a pipe")))
    signal.alarm(120)
    try:
        assert run_build(root, "--no-site", notes=notes) == 0
        made = (root / "docs" / "handbook").stat().st_mtime_ns
        assert run_build(root, "--no-site", notes=notes) == 0
    finally:
        signal.alarm(0)
    assert (root / "docs" / "handbook").stat().st_mtime_ns == made  # nothing changed: nothing built
