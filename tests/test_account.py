"""Every block of every note is accounted for: shown, merged into a twin that says it all, or left out and why."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from handbook.account import account_totals
from handbook.load import Limits
from handbook.merge.account import carries_meaning
from handbook.merge.corpus import read_corpus
from handbook.merge.guards import Lexicon
from handbook.merge.meaning import load_meaning_terms, meaning_check
from handbook.merge.outline import load_topics
from handbook.merge.placement import place_sections
from handbook.merge.result import LEFT_OUT, MERGED, SHOWN
from handbook.merge.settings import MEANING_RULES
from handbook.model import Source
from handbook.paths import rel_link
from tests.conftest import DATA, PROJECT, norm
from workbench import InMemoryBuild, build_in_memory

CORPORA = PROJECT.parent / "shared" / "corpora"


VAULTS = [pytest.param(PROJECT / "data" / "notes", id="seeds")] + [
    pytest.param(CORPORA / name, id=name, marks=[pytest.mark.corpus, pytest.mark.slow])
    for name in ("obsidian-aws", "aws-exam-qa", "aws-services")
]


@pytest.fixture(scope="module", params=VAULTS)
def vault_build(request: pytest.FixtureRequest) -> InMemoryBuild:
    if not request.param.is_dir():
        pytest.skip(f"{request.param.name} is not present beside the project")
    return build_in_memory(request.param)


def _has_anchor(text: str, anchor: str) -> bool:
    return f"#{anchor} }}" in text or f'id="{anchor}"' in text


def test_every_block_has_exactly_one_fate(vault_build: InMemoryBuild) -> None:
    notes, result = vault_build.normalised.notes, vault_build.merged.result
    blocks_in = [block.source for note in notes for section in note.sections for block in section.blocks]
    fates = [fate.source for account in result.account for fate in account.blocks]
    assert sorted(fates) == sorted(blocks_in)
    assert len(set(fates)) == len(fates)
    assert {a.note for a in result.account} == {n.path for n in notes}
    totals = account_totals(notes, result, vault_build.normalised.unpublished)
    assert totals.unaccounted == 0
    assert totals.shown + totals.merged + totals.left_out == len(blocks_in)
    assert totals.left_out == sum(n.left_out for n in result.account)


def test_shown_blocks_are_on_their_page_under_their_anchor(vault_build: InMemoryBuild) -> None:
    result, pages = vault_build.merged.result, vault_build.pages
    on_page = {(page.path, section.id): {s for b in section.blocks for s in b.sources[:1]}
               for page in (*result.pages, *result.other_pages) for section in page.sections}
    block_anchors = {(page.path, b.anchor): b.block.source for page in (*result.pages, *result.other_pages)
                     for section in page.sections for b in section.blocks if b.anchor}
    for account in result.account:
        for fate in account.blocks:
            if fate.status != SHOWN:
                continue
            assert _has_anchor(pages[fate.page], fate.anchor), (fate, "anchor missing on its page")
            assert fate.source in on_page.get((fate.page, fate.anchor), ()) \
                or block_anchors.get((fate.page, fate.anchor)) == fate.source, fate


def test_merged_blocks_are_credited_by_a_twin_that_says_it_all(vault_build: InMemoryBuild) -> None:
    notes, result, pages = vault_build.normalised.notes, vault_build.merged.result, vault_build.pages
    corpus = read_corpus(notes)
    item_at = {item.block.source: item for item in corpus.items}
    outline = load_topics(DATA, Limits())
    lexicon = Lexicon(outline.fact_terms)
    # A merge by meaning is checked by its own rule (and every fact guard), never by another block's.
    by_meaning = meaning_check(corpus, place_sections(corpus, outline, lambda *progress: None).destinations,
                               lexicon, load_meaning_terms(DATA, Limits()))
    credited = {b.block.source: set(b.sources) for page in (*result.pages, *result.other_pages)
                for section in page.sections for b in section.blocks}
    duplicates = {d.note for d in result.duplicate_notes}
    for account in result.account:
        own_page = result.addresses.page(account.note)
        note_text = pages[own_page]
        for fate in account.blocks:
            if fate.status != MERGED:
                continue
            assert fate.twin in credited and fate.source in credited[fate.twin], (fate, "the twin does not credit it")
            check = by_meaning if fate.rule in MEANING_RULES else None
            assert carries_meaning(item_at[fate.source], item_at[fate.twin], lexicon, check), (fate, "meaning lost")
            assert _has_anchor(pages[fate.page], fate.anchor), (fate, "the twin's anchor is missing")
            if account.note not in duplicates:
                link = rel_link(own_page, fate.page, fate.anchor)
                assert f"]({link})" in note_text, (fate, "the note's page does not link to where it went")


def test_report_json_carries_the_account(vault_build: InMemoryBuild) -> None:
    account = json.loads(vault_build.exports["report.json"])["account"]
    totals = account["totals"]
    assert totals["unaccounted"] == 0
    assert totals["blocks_in"] == totals["shown"] + totals["merged"] + totals["left_out"]
    assert sum(n["blocks"] for n in account["notes"]) == totals["blocks_in"]
    for note in account["notes"]:
        if "fates" in note:
            assert len(note["fates"]) == note["blocks"]
            assert {f["status"] for f in note["fates"]} <= {SHOWN, MERGED, LEFT_OUT}
            assert all(f["reason"] for f in note["fates"] if f["status"] == LEFT_OUT)
            assert note["left_out"] == sum(f["status"] == LEFT_OUT for f in note["fates"])


def test_unpublished_notes_are_left_out_with_their_reason(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "kept.md").write_text("# Kept\n\nAWS secures the hardware.\n", encoding="utf-8")
    (notes / "draft.md").write_text("---\ndraft: true\n---\n# Draft\n\nOne.\n\n- two\n- three\n", encoding="utf-8")
    (notes / ".trash").mkdir()
    (notes / ".trash" / "gone.md").write_text("# Gone\n", encoding="utf-8")
    build = build_in_memory(notes)
    account = json.loads(build.exports["report.json"])["account"]
    assert account["totals"] == {"notes": 2, "blocks_in": 4, "shown": 1, "merged": 0, "left_out": 3,
                                 "unaccounted": 0}
    draft = next(n for n in account["notes"] if n["note"] == "draft.md")
    assert draft == {"note": "draft.md", "blocks": 3, "shown": 0, "merged": 0, "left_out": 3,
                     "reason": "unpublished: draft: true"}
    assert account["hidden"] == [{"path": ".trash", "notes": 1, "reason": "hidden folder or file: not read"}]
    report = build.pages["report/index.md"]
    assert "| 2 | 4 | 1 | 0 | 3 | 0 |" in report
    assert re.search(r"\| `draft\.md`\{ \.handbook-path \} \| 3 \| 0 \| 0 \| 3 \| unpublished: `draft: true` \|", report)


def _item(text: str, path: str = "note.md"):
    note = norm(f"# T\n\n{text}\n", path=path)
    return read_corpus([note]).items[0]


LEXICON = Lexicon(load_topics(DATA, Limits()).fact_terms)


@pytest.mark.parametrize(("merged", "twin", "carried"), [
    ("AWS manages the physical hardware.", "AWS manages the physical hardware!", True),
    ("AWS manages the physical hardware.", "AWS manages the physical hardware. It also runs the network.", True),
    ("Customers manage the guest OS.", "AWS manages the guest OS. It also runs the network.", False),
    ("You choose 3 controls for the subnet.", "You choose three controls for the subnet. Which combination fits?", False),
    ("- [Global Accelerator vs CloudFront](https://example.com/ga)", "- **Global Accelerator vs CloudFront**", False),
    ("Data is encrypted at rest. See below.", "Data is encrypted at rest. It is kept in S3.", False),
    ("Data is encrypted at rest. See below.", "Data is encrypted at rest. See below for keys.", True),
])
def test_a_twin_carries_meaning_only_when_it_says_every_fact(merged: str, twin: str, carried: bool) -> None:
    assert carries_meaning(_item(merged), _item(twin, "twin.md"), LEXICON) is carried


def test_a_merge_chain_that_drifts_is_undone() -> None:
    # The two links are equal; their sentences are the longer item's first ones, so the chain would show
    # the longer item for both links, and the links' target would be lost.
    from handbook.merge import merge_notes

    link = "- [Global Accelerator vs. CloudFront](https://example.com/ga)"
    longer = ("- **Global Accelerator vs. CloudFront**: Use Global Accelerator for dynamic API traffic. "
              "Use CloudFront for cacheable content.")
    notes = [norm(f"# {name}\n\n## Compare\n\n{text}\n", path=f"{name}.md")
             for name, text in (("one", link), ("two", link), ("three", longer))]
    result = merge_notes(notes, load_topics(DATA, Limits()))
    fates = {fate.source.note: fate for account in result.account for fate in account.blocks}
    assert fates["one.md"].status == SHOWN
    assert fates["two.md"].status == MERGED and fates["two.md"].twin == fates["one.md"].source
    assert fates["three.md"].status == SHOWN


def test_a_copy_whose_twin_says_it_in_other_words_is_accounted_as_a_merge_by_meaning(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    statement = ("### Compliance\nIf a Lambda function needs to call other AWS services, you need to {} an IAM role "
                 "that it can assume at execution time.\n")
    for name, verb in (("a.md", "make"), ("b.md", "create"), ("c.md", "create"), ("d.md", "make")):
        (notes / name).write_text(statement.format(verb), encoding="utf-8")
    build = build_in_memory(notes)
    # c.md repeats b.md word for word, but the statement shown is a.md's (two notes write each wording; a.md comes
    # first): only the paraphrase rule lets it carry c.md's words, and c.md's fate says so, as b.md's does (the
    # note rule that joined c.md to b.md is not it).
    fates = {fate.source.note: fate for account in build.merged.result.account for fate in account.blocks}
    assert (fates["b.md"].status, fates["b.md"].twin, fates["b.md"].rule) == (MERGED, Source("a.md", 2), "paraphrase")
    assert (fates["c.md"].status, fates["c.md"].twin, fates["c.md"].rule) == (MERGED, Source("a.md", 2), "paraphrase")
    assert (fates["d.md"].status, fates["d.md"].twin, fates["d.md"].rule) == (MERGED, Source("a.md", 2), "note-exact")
    test_merged_blocks_are_credited_by_a_twin_that_says_it_all(build)
    page = build.pages["topics/compliance.md"]
    assert "you need to make an IAM role" in page and "you need to create an IAM role" in page.split("Also written as")[1]
