"""Vaults nobody wrote: the seeds' sections put together at random, retitled, copied and slightly changed.

A team's vault differs from the samples, so the merge's promises are checked on vaults made at random from the
seeds: every block has one fate, a shown block is on its page, a merged one is credited by a twin that says
all it says (under the rule its fate names), and report.json carries the account.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tests.test_account as account_checks
from tests.conftest import DATA, PROJECT
from workbench import build_in_memory

SEED_NOTES = PROJECT / "data" / "notes"
_HEADING = re.compile(r"(?m)^(?=#)")  # any heading, `##Title` too (a tag line also starts a part)
_WORD = re.compile(r"\b[a-z]{5,}\b")
_NUMBER = re.compile(r"\d+")


def _sections() -> list[str]:
    """Every seed note cut at its headings, front matter aside."""
    found: list[str] = []
    for path in sorted(SEED_NOTES.glob("*.md")):
        text = re.sub(r"\A---\n.*?\n---\n", "", path.read_text(encoding="utf-8"), flags=re.S)
        found += [part.strip("\n") for part in _HEADING.split(text) if part.strip()]
    return found


def _titles() -> tuple[list[str], list[str]]:
    """The topic pages' titles and aliases, and the topic sections' (what a team's headings often are)."""
    pages = yaml.safe_load((DATA / "topics.yml").read_text(encoding="utf-8"))["pages"]
    page_titles = [title for page in pages for title in (page["title"], *page.get("aliases", ()))]
    section_titles = [title for page in pages for section in page["sections"]
                      for title in (section["title"], *section.get("aliases", ()))]
    return page_titles, section_titles


SECTIONS = _sections()
PAGE_TITLES, SECTION_TITLES = _titles()


def _changed(rng: random.Random, text: str) -> str:
    """The text with one small change a copy picks up: a slip of two letters, the other owner, another number, or
    its lines in another order."""
    choice = rng.randrange(4)
    if choice == 0 and (words := list(_WORD.finditer(text))):
        word = rng.choice(words)
        at = word.start() + rng.randrange(len(word.group()) - 1)
        return text[:at] + text[at + 1] + text[at] + text[at + 2:]
    if choice == 1 and ("AWS" in text or "customer" in text):
        return text.replace("AWS", "the customer", 1) if "AWS" in text else text.replace("customer", "AWS", 1)
    if choice == 2 and _NUMBER.search(text):
        return _NUMBER.sub(lambda number: str(int(number.group()) + 1), text, count=1)
    lines = text.split("\n")
    head, rest = lines[:1], lines[1:]
    rng.shuffle(rest)
    return "\n".join(head + rest)


def _retitled(rng: random.Random, section: str) -> str:
    """The section under one of the topics' section titles, at level 2 or 3."""
    first, _, rest = section.partition("\n")
    if not first.startswith("#"):
        return section
    return f"{'#' * rng.randint(2, 3)} {rng.choice(SECTION_TITLES)}\n{rest}"


def write_random_vault(rng: random.Random, folder: Path, notes: int) -> None:
    """`notes` notes of seed sections: some titled as a topic, some copies of an earlier note, some changed."""
    folder.mkdir(parents=True)
    written: list[str] = []
    for number in range(notes):
        parts = [rng.choice(SECTIONS) for _ in range(rng.randint(1, 5))]
        if written and rng.random() < 0.4:
            parts.append(_changed(rng, rng.choice(written)))
        parts = [_changed(rng, part) if rng.random() < 0.3 else part for part in parts]
        if rng.random() < 0.6:
            parts = [f"# {rng.choice(PAGE_TITLES)}"] + [_retitled(rng, p) if rng.random() < 0.7 else p for p in parts]
        text = "\n\n".join(parts) + "\n"
        written.append(text)
        (folder / f"note-{number:03d}.md").write_text(text, encoding="utf-8")


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# A seed, not Hypothesis' own random numbers: those lean to the simplest values, which make the plainest vaults.
@given(st.integers(min_value=0, max_value=2**32 - 1))
def test_random_vaults_keep_every_promise_of_the_account(tmp_path_factory, seed: int) -> None:
    folder = tmp_path_factory.mktemp("vault") / "notes"
    write_random_vault(random.Random(seed), folder, notes=40)
    build = build_in_memory(folder)
    account_checks.test_every_block_has_exactly_one_fate(build)
    account_checks.test_shown_blocks_are_on_their_page_under_their_anchor(build)
    account_checks.test_merged_blocks_are_credited_by_a_twin_that_says_it_all(build)
    account_checks.test_report_json_carries_the_account(build)
