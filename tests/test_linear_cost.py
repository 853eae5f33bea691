"""Hostile notes cost time in proportion to their size: each family of scripts/bench_hostile.py, and each cause found."""

# No test measures speed (scripts/bench_hostile.py prints the figures): each runs under a generous alarm at
# a size that takes seconds at most now and minutes at quadratic cost, so that a return to quadratic cost
# fails the test instead of hanging the suite.

from __future__ import annotations

import random
import signal
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from bench_hostile import DATA, FAMILIES, glossary_of, run_stages
from handbook.glossary import Abbreviations
from handbook.merge.pages import with_ancestors
from handbook.merge.text import link_targets, plain, sentences, words
from handbook.model import RawNote
from handbook.normalise import load_context, normalise_note
from handbook.normalise.inline import Unit
from handbook.normalise.lexer import lex
from handbook.normalise.prose import apply_prose_rules, collect_tags_and_findings
from handbook.normalise.log import RepairLog
from handbook.normalise.structure import repair_structure

# Seconds: every case takes a few at most now; at quadratic cost each took from one to many minutes.
ALARM = 20
SIZE = 2  # times each family's base size in the benchmark

@contextmanager
def alarm(seconds: float, what: str) -> Iterator[None]:
    """Fail with `what` when the block runs longer than `seconds` (SIGALRM: the main thread, as pytest runs)."""

    def expired(signum, frame):
        raise TimeoutError(f"{what} took over {seconds} s: its cost grows faster than its size")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _note(family) -> RawNote:
    text = family.text(family.base * SIZE)
    return RawNote("hostile.md", text, len(text.encode("utf-8")))


@pytest.mark.parametrize("family", FAMILIES, ids=[family.name for family in FAMILIES])
def test_a_hostile_note_goes_through_normalise_merge_and_render_in_time(family):
    note = _note(family)
    with alarm(ALARM, f"{family.name} ({note.size:,} bytes)"):
        run_stages([note], None)


def test_a_glossary_of_twenty_thousand_terms_renders_in_time():
    glossary = glossary_of(20_000)
    page = " ".join(term.term for term in random.Random(1).sample(glossary.terms, 5_000)) * 20
    with alarm(ALARM, "a glossary of 20,000 terms"):
        abbreviations = Abbreviations(glossary)
        assert abbreviations.used_in(page)
        abbreviations.snippet()


@pytest.mark.parametrize("text", [
    "[" * 200_000, "[[" * 100_000, "[[a#" * 50_000, "[a](" * 50_000, "[x" + "](" * 100_000, "![" * 100_000,
], ids=["[", "[[", "[[a#", "[a](", "](", "!["])
def test_comparison_text_reads_unclosed_links_in_time(text):
    with alarm(ALARM, f"the comparison text of {text[:4]!r}..."):
        plain(text), words(text), sentences(text), link_targets(text)


def test_the_headings_kept_above_sections_are_found_in_time():
    levels = [(2 + i % 5, i % 7 == 0) for i in range(200_000)]
    with alarm(ALARM, "200,000 sections"):
        with_ancestors(levels)


@pytest.mark.parametrize("text", [
    "".join("`" * i + "a" for i in range(1, 1_500)), "a " + "{{" * 200_000, "a " + "{%" * 200_000,
    "a " + "<!--a" * 100_000, "a <!--a--->" * 50_000, "a " + "<?" * 200_000, "a " + "<![CDATA[" * 50_000,
    "a " + "<!A " * 100_000, "a " + "$a " * 100_000, "a " + "$$a" * 100_000, "a " + "<math>" * 100_000,
    "a " + "$a<math>" * 100_000 + "$",
], ids=["backtick runs", "{{", "{%", "<!--", "<!--a--->", "<?", "CDATA", "declaration", "$", "$$", "<math>",
        "$ around <math>"])
def test_the_inline_lexer_reads_unclosed_constructs_in_time(text):
    with alarm(ALARM, f"lexing {text[:12]!r}..."):
        assert "".join(span.text for span in lex(text)) == text


@pytest.mark.parametrize("text", ["[\n" * 150_000, "![a](i.png)\n[x\n" * 20_000],
                         ids=["[ on every line", "image, then [ line"])
def test_a_paragraph_of_many_lines_normalises_in_time(text):
    with alarm(ALARM, f"normalising {text[:12]!r}..."):
        normalise_note(RawNote("hostile.md", text, len(text)), load_context(DATA, frozenset()))


def test_the_repairs_and_findings_of_a_long_text_are_placed_on_their_lines_in_time():
    context = load_context(DATA, frozenset())
    unit = Unit([0], RepairLog("hostile.md"), context, [])
    with alarm(ALARM, "250,000 misspellings and 200,000 findings, a line each"):
        assert len(apply_prose_rules("teh\n" * 250_000, unit)[1]) == 250_000
        collect_tags_and_findings("ab.Cd THey\n" * 100_000, unit, lambda offset: 0)
    assert len(unit.log.findings) == 200_000


def test_many_obsidian_comments_on_one_line_are_dropped_in_time():
    log = RepairLog("hostile.md")
    with alarm(ALARM, "200,000 comments on one line"):
        text = repair_structure("%%a%% b " * 200_000, log)
    assert "%%" not in text and sum(repair.rule == "obsidian-comment" for repair in log.repairs) == 200_000
