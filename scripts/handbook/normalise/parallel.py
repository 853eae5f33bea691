"""Normalise many notes on every core, with the same results in the same order as one process gives."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor

from ..model import Asset, Block, Note, RawNote, Repair, Section, Source
from ..process import die_with_parent
from .context import NormaliseContext
from .log import Finding
from .pipeline import normalise_with_findings

# Below this many notes and this much text, starting the workers costs more than they save (a folder of a
# hundred long notes gains from them as much as one of a thousand short ones).
PARALLEL_FROM = 300
PARALLEL_FROM_CHARS = 250_000
# Notes handed to a worker at a time: large enough to keep the hand-over cheap, small enough to share evenly
# (a few notes much longer than the rest make a worker's chunk late: each worker gets eight chunks at least).
CHUNK_SIZE = 16
CHUNKS_PER_WORKER = 8

_worker_context: NormaliseContext | None = None
_worker_choices = False


def _install_context(context: NormaliseContext, with_choices: bool = False) -> None:
    global _worker_context, _worker_choices
    die_with_parent()  # a killed build must not leave its workers behind
    _worker_context, _worker_choices = context, with_choices


_RAW_AS_READ = None  # in a packed note from a worker: its raw text is the RawNote's, which the parent holds


def _normalise_in_worker(raw: RawNote) -> tuple:
    assert _worker_context is not None, "the worker's context is installed when it starts"
    note, findings = normalise_with_findings(raw, _worker_context)
    choices = _worker_context.vocabulary_choices(raw, note) if _worker_choices else None
    packed = pack_note(note)
    if note.raw == raw.text:
        packed = (*packed[:2], _RAW_AS_READ, *packed[3:])
    return packed, tuple((f.note, f.line, f.word, f.reason) for f in findings), choices


def _unpack_result(raw: RawNote, packed: tuple) -> tuple:
    note, findings, choices = packed
    if note[2] is _RAW_AS_READ:  # one copy of the text, the parent's, instead of one each
        note = (*note[:2], raw.text, *note[3:])
    result = unpack_note(note), tuple(Finding(*f) for f in findings)
    return result if choices is None else (*result, choices, note)


# A note goes back from a worker as nested tuples of its fields: pickle writes and reads those in C,
# where each record would cost a Python call both ways (at 10,000 notes, 700,000 records).
def pack_note(note: Note) -> tuple:
    """A note as plain nested tuples, every field kept."""
    return (
        note.path, note.title, note.raw, note.markdown,
        tuple((s.title, s.level, s.source.note, s.source.line, s.heading,
               tuple((b.kind, b.markdown, b.source.note, b.source.line, b.depth, b.ids) for b in s.blocks))
              for s in note.sections),
        tuple((r.note, r.line, r.rule, r.before, r.after) for r in note.repairs),
        note.tags, note.aliases, note.author,
        tuple((a.source_path, a.note, a.line) for a in note.assets),
        note.meta, note.title_markup,
    )


def unpack_note(packed: tuple) -> Note:
    """The note pack_note was given."""
    path, title, raw, markdown, sections, repairs, tags, aliases, author, assets, meta, title_markup = packed
    return Note(
        path, title, raw, markdown,
        tuple(Section(t, level, Source(n, line), tuple(Block(k, m, Source(bn, bl), d, ids) for k, m, bn, bl, d, ids in blocks),
                      heading)
              for t, level, n, line, heading, blocks in sections),
        tuple(Repair(*r) for r in repairs), tags, aliases, author, tuple(Asset(*a) for a in assets), meta, title_markup,
    )


def worker_count(notes: int, cores: int | None = None, chars: int = 0) -> int:
    """How many processes normalise `notes` notes of `chars` characters in all: one for small folders, otherwise
    one per core."""
    available = cores if cores is not None else len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") \
        else (os.cpu_count() or 1)
    small = notes < PARALLEL_FROM and (chars < PARALLEL_FROM_CHARS or notes < 2)
    return 1 if small else max(1, available)


def normalise_all(
    raws: Sequence[RawNote], context: NormaliseContext, workers: int | None = None, with_choices: bool = False
) -> Iterator[tuple]:
    """Each note normalised, in input order, as (note, findings), or with `with_choices` (note, findings, the
    vocabulary's choices it rests on, the note as pack_note packs it: what a cache keeps; see
    NormaliseContext.vocabulary_choices); spread over `workers` processes (default: worker_count)."""
    workers = worker_count(len(raws)) if workers is None else workers
    if workers < 2:
        for raw in raws:
            note, findings = normalise_with_findings(raw, context)
            yield (note, findings, context.vocabulary_choices(raw, note), pack_note(note)) if with_choices \
                else (note, findings)
        return
    # A worker packs the note to send it, and the parent keeps that pack for the cache instead of making another.
    with ProcessPoolExecutor(workers, initializer=_install_context, initargs=(context, with_choices)) as pool:
        chunk = max(1, min(CHUNK_SIZE, len(raws) // (workers * CHUNKS_PER_WORKER)))
        yield from map(_unpack_result, raws, pool.map(_normalise_in_worker, raws, chunksize=chunk))
