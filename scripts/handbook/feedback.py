"""What a person sees while the build runs: a line per stage, progress bars on big inputs, a summary."""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

log = logging.getLogger("handbook")

# Below this many items a progress bar only flickers; the stage line says enough.
PROGRESS_MIN_ITEMS = 200


def configure_logging(verbose: bool, quiet: bool) -> None:
    """INFO by default, DEBUG with -v, warnings only with -q; plain lines in CI logs."""
    level = logging.DEBUG if verbose else logging.WARNING if quiet else logging.INFO
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    root = logging.getLogger("handbook")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False


def is_ci() -> bool:
    """True on a CI runner, where progress bars only clutter the log."""
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


class WarningCount(logging.Handler):
    """Counts the warnings the build logs, for the summary."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


@dataclass
class Feedback:
    """Stage timings, progress bars and the closing summary of one build."""

    quiet: bool = False
    verbose: bool = False
    timings: list[tuple[str, float]] = field(default_factory=list)
    console: Console = field(default_factory=lambda: Console(stderr=True))
    warnings: WarningCount = field(default_factory=WarningCount)

    def __post_init__(self) -> None:
        log.addHandler(self.warnings)

    @property
    def shows_progress(self) -> bool:
        """Progress bars only for a person at a terminal (not in CI, not when quiet)."""
        return not self.quiet and not is_ci() and self.console.is_terminal

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Time one named stage and log its duration."""
        started = time.perf_counter()
        log.debug("%s: started", name)
        yield
        elapsed = time.perf_counter() - started
        self.timings.append((name, elapsed))
        log.info("%-9s done in %.2f s", name + ":", elapsed)

    @contextmanager
    def progress(self, name: str) -> Iterator:
        """A callback `(label, done, total)` that drives a progress bar for large inputs."""
        if not self.shows_progress:
            yield lambda label, done, total: None
            return
        bars = Progress(
            TextColumn("{task.description:<24}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            console=self.console, transient=True,
        )
        tasks: dict[str, int] = {}

        def update(label: str, done: int, total: int) -> None:
            if total < PROGRESS_MIN_ITEMS:
                return
            if label not in tasks:
                tasks[label] = bars.add_task(f"{name}: {label}", total=total)
            bars.update(tasks[label], completed=done, total=total)

        with bars:
            yield update

    def summary(self, counts: list[tuple[str, int]]) -> None:
        """One screen at the end: what was read, kept, merged and flagged, and the time of each stage."""
        if self.quiet:
            return
        table = Table(title="Build summary", show_header=False, box=None, pad_edge=False)
        table.add_column("what")
        table.add_column("value", justify="right")
        for label, value in [*counts, ("warnings", self.warnings.count)]:
            table.add_row(label, f"{value:,}")
        for name, elapsed in self.timings:
            table.add_row(f"time: {name}", f"{elapsed:.2f} s")
        table.add_row("time: total", f"{sum(t for _, t in self.timings):.2f} s")
        self.console.print(table)
