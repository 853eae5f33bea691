"""Properties of the normalise stage: idempotent, conservative, and whole on the real vault."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handbook.model import RawNote
from handbook.normalise import load_context, normalise_note, normalise_text
from tests.corpus import vault_or_skip
from tests.test_normalise import SEEDS, context, raw, unaccounted_words

FRAGMENTS = [
    "# ", "## ", "##", "###", "- ", "* ", "+ ", "1. ", "2) ", "    ", "  ", "\t", "> ", "> [!note] ", "> [!tip]- ",
    "!!! note ", "```", "~~~", "| a | b |", "|---|---|", "---", "***", "word", "Word ", " securitu ", " teh ",
    "24*7*365", " -- ", "--", "**", "*", "_", "[[Note]]", "[[A#B|c]]", "![[img.png|800]]", "![[gone.png]]",
    "[link](http://x.y)", "(opens in a new tab)", "<b>bold</b>", "<script>x()</script>", "<img src=x onerror=y>",
    "#tag", " #tag2", "`code`", "\u00a0", "\r\n", "{{ x }}", "{% y %}", "cloudTrail", "Elastic BeanStalk",
    "Amazon Identity and Access Management", " (IAM)", " ", "\\", "[", "]", "(", ")", "<", ">", "&", ":", "e\u0301",
]
# Raw HTML comes in balanced pieces: a stray unclosed tag that nh3 closes can take a second pass to settle.
LINE = st.lists(st.sampled_from(FRAGMENTS), max_size=6).map("".join)
DOCUMENT = st.lists(LINE, max_size=12).map("\n".join)


def assert_idempotent(text: str, path: str = "note.md", ctx=None) -> None:
    ctx = ctx or context(frozenset({"img.png"}))
    once, _ = normalise_text(text, ctx, path)
    twice, repairs = normalise_text(once, ctx, path)
    assert twice == once
    assert repairs == ()


@settings(max_examples=400, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(DOCUMENT)
def test_normalising_generated_markdown_twice_changes_nothing(text: str):
    assert_idempotent(text)


@settings(max_examples=200, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(DOCUMENT)
def test_no_word_of_generated_markdown_disappears_without_a_repair(text: str):
    note = normalise_note(raw(text), context(frozenset({"img.png"})))
    assert not unaccounted_words(text, note)


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_seed_notes_are_idempotent_and_conservative(seed: Path):
    text = seed.read_text()
    assert_idempotent(text, seed.name)
    assert not unaccounted_words(text, normalise_note(raw(text, seed.name), context()))


def _vault():
    vault = vault_or_skip()
    files = frozenset(p.relative_to(vault).as_posix() for p in vault.rglob("*") if p.is_file() and p.suffix != ".md")
    notes = sorted(vault.rglob("*.md"))
    return vault, load_context(Path(__file__).resolve().parents[1] / "data", files), notes


@pytest.mark.corpus
def test_whole_vault_normalises_idempotently_without_losing_words():
    vault, ctx, paths = _vault()
    assert len(paths) == 175
    for path in paths:
        relative = path.relative_to(vault).as_posix()
        text = path.read_text(encoding="utf-8")
        note = normalise_note(RawNote(relative, text, len(text)), ctx)
        assert not unaccounted_words(text, note), relative
        assert_idempotent(text, relative, ctx)


@pytest.mark.corpus
def test_vault_embeds_are_all_resolved_or_marked_and_tags_kept():
    vault, ctx, paths = _vault()
    embeds = tags = 0
    tag_names: set[str] = set()
    for path in paths:
        relative = path.relative_to(vault).as_posix()
        text = path.read_text(encoding="utf-8")
        note = normalise_note(RawNote(relative, text, len(text)), ctx)
        embeds += len(note.assets) + sum(r.rule == "obsidian-embed-missing" for r in note.repairs)
        assert "![[" not in note.markdown and "[[" not in note.markdown, relative
        tags += bool(note.tags)
        tag_names.update(note.tags)
        assert "#organize" not in note.markdown and "#concept" not in note.markdown
    assert embeds == 377
    assert tag_names == {"organize", "concept"} and tags == 20
