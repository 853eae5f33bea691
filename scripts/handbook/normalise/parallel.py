"""Normalise many notes on every core, with the same results in the same order as one process gives."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor

from ..model import Note, RawNote
from .context import NormaliseContext
from .log import Finding
from .pipeline import normalise_with_findings

# Below this many notes, starting the workers costs more than they save.
PARALLEL_FROM = 300
# Notes handed to a worker at a time: large enough to keep the hand-over cheap, small enough to share evenly.
CHUNK_SIZE = 16

_worker_context: NormaliseContext | None = None


def _install_context(context: NormaliseContext) -> None:
    global _worker_context
    _worker_context = context


def _normalise_in_worker(raw: RawNote) -> tuple[Note, tuple[Finding, ...]]:
    assert _worker_context is not None, "the worker's context is installed when it starts"
    return normalise_with_findings(raw, _worker_context)


def worker_count(notes: int, cores: int | None = None) -> int:
    """How many processes normalise `notes` notes: one for small folders, otherwise one per core."""
    available = cores if cores is not None else len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") \
        else (os.cpu_count() or 1)
    return 1 if notes < PARALLEL_FROM else max(1, available)


def normalise_all(
    raws: Sequence[RawNote], context: NormaliseContext, workers: int | None = None
) -> Iterator[tuple[Note, tuple[Finding, ...]]]:
    """Each note normalised, in input order; spread over `workers` processes (default: worker_count)."""
    workers = worker_count(len(raws)) if workers is None else workers
    if workers < 2:
        for raw in raws:
            yield normalise_with_findings(raw, context)
        return
    with ProcessPoolExecutor(workers, initializer=_install_context, initargs=(context,)) as pool:
        yield from pool.map(_normalise_in_worker, raws, chunksize=CHUNK_SIZE)
