"""What the build shows while it runs: stage lines, progress bars for people, and the closing summary."""

from __future__ import annotations

import io
import logging

import pytest
from rich.console import Console

from handbook.feedback import Feedback, configure_logging

log = logging.getLogger("handbook")


def feedback(quiet: bool = False, terminal: bool = False) -> tuple[Feedback, io.StringIO]:
    """A Feedback writing to a string instead of the terminal."""
    out = io.StringIO()
    return Feedback(quiet=quiet, console=Console(file=out, force_terminal=terminal, width=60)), out


def test_summary_lists_counts_warnings_and_the_time_of_each_stage():
    configure_logging(verbose=False, quiet=True)
    shown, out = feedback()
    with shown.stage("load"):
        pass
    with shown.stage("merge"):
        log.warning("unresolved link on a page")
        log.warning("another one")
        log.info("not a warning")
    shown.summary([("notes read", 1234), ("blocks kept", 56)])
    lines = [line.split() for line in out.getvalue().splitlines()]
    assert ["notes", "read", "1,234"] in lines
    assert ["blocks", "kept", "56"] in lines
    assert ["warnings", "2"] in lines
    assert [line[:2] for line in lines if line[:1] == ["time:"]] == [
        ["time:", "load"], ["time:", "merge"], ["time:", "total"]
    ]


def test_quiet_builds_print_no_summary():
    configure_logging(verbose=False, quiet=True)
    shown, out = feedback(quiet=True)
    shown.summary([("notes read", 5)])
    assert out.getvalue() == ""


@pytest.mark.parametrize(("ci", "terminal", "expected"), [("true", True, False), ("", True, True), ("", False, False)])
def test_progress_bars_only_for_a_person_at_a_terminal(monkeypatch: pytest.MonkeyPatch, ci: str, terminal: bool,
                                                       expected: bool):
    monkeypatch.setenv("CI", ci)
    shown, _ = feedback(terminal=terminal)
    assert shown.shows_progress is expected


def test_each_build_counts_its_own_warnings():
    configure_logging(verbose=False, quiet=True)
    first, _ = feedback()
    log.warning("one")
    configure_logging(verbose=False, quiet=True)  # what the next build (e.g. in the live preview) does first
    second, _ = feedback()
    log.warning("two")
    assert (first.warnings.count, second.warnings.count) == (1, 1)
