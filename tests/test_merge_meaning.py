"""Merging by meaning: paraphrases fold under one statement, lists of the same things become one list."""

from __future__ import annotations

from pathlib import Path

import pytest

from handbook.load import Limits
from handbook.merge import merge_notes, merge_report, render_merge_audit
from handbook.merge.account import carries_meaning
from handbook.merge.corpus import read_corpus
from handbook.merge.guards import Lexicon
from handbook.merge.meaning import Concepts, load_meaning_terms, meaning_check, meaning_terms
from handbook.merge.outline import load_topics
from handbook.merge.placement import place_sections
from handbook.merge.render import VARIANTS_TITLE, render_topic_pages, variants_markdown
from handbook.merge.settings import LIST_ITEM_RULE, PARAPHRASE_RULE
from handbook.merge.text import words
from handbook.model import Source
from tests.conftest import DATA, norm

OUTLINE = load_topics(DATA, Limits())
TERMS = load_meaning_terms(DATA, Limits())
LEXICON = Lexicon(OUTLINE.fact_terms)


def _notes(*bodies: str, heading: str = "AWS responsibilities"):
    return [norm(f"# Note {n}\n\n## {heading}\n\n{body}\n", path=f"{n}-note.md") for n, body in enumerate(bodies, 1)]


def _merge(*bodies: str, heading: str = "AWS responsibilities", by_meaning: bool = True):
    return merge_notes(_notes(*bodies, heading=heading), OUTLINE, terms=TERMS, by_meaning=by_meaning)


def _shown(result) -> list:
    return [b for page in result.pages for section in page.sections for b in section.blocks]


def _fates(result) -> dict[str, list]:
    return {account.note: list(account.blocks) for account in result.account}


OF_THE_CLOUD = "AWS is responsible for security of the cloud."
HANDLES = "AWS handles security OF the cloud."


def test_synonyms_and_stems_make_two_wordings_one_set_of_concepts() -> None:
    concepts = Concepts(TERMS)
    assert concepts.of(words(OF_THE_CLOUD)) == concepts.of(words(HANDLES))
    # The glossary's acronyms stand for their expansions, names.yml's spellings for their service.
    assert concepts.of(words("Guest operating system patching")) == concepts.of(words("guest OS patching"))
    assert concepts.of(words("Networking")) == concepts.of(words("network"))


def test_synonym_groups_are_named_by_their_first_entry() -> None:
    terms = meaning_terms([["look after", "handle"], ["customer", "you"]])
    concepts = Concepts(terms)
    assert concepts.of(words("you handle it")) == frozenset({"custom", "look after"})


def test_a_paraphrase_from_another_note_folds_under_the_fuller_statement() -> None:
    result = _merge(OF_THE_CLOUD, HANDLES)
    shown = [b for b in _shown(result) if "cloud" in b.block.markdown]
    assert len(shown) == 1
    kept = shown[0]
    assert kept.block.markdown == OF_THE_CLOUD  # more words: the fuller one is kept
    assert kept.variants == ((Source("2-note.md", 5), HANDLES),)
    assert {s.note for s in kept.sources} == {"1-note.md", "2-note.md"}
    fate = next(f for f in _fates(result)["2-note.md"] if f.source.line == 5)
    assert fate.status == "merged" and fate.rule == PARAPHRASE_RULE and fate.twin == Source("1-note.md", 5)


def test_without_the_meaning_stage_both_wordings_are_shown() -> None:
    result = _merge(OF_THE_CLOUD, HANDLES, by_meaning=False)
    assert len([b for b in _shown(result) if "cloud" in b.block.markdown]) == 2


def test_a_paraphrase_merge_is_reported_with_its_score_and_matched_words() -> None:
    result = _merge(OF_THE_CLOUD, HANDLES)
    record = next(m for m in merge_report(result)["merges"] if m["rule"] == PARAPHRASE_RULE)
    assert record["score"] == 1.0
    assert record["matched"] == ["aw", "cloud", "respons for", "secur"]
    audit = render_merge_audit(result, "report/index.md")
    assert "| Matched |" in audit and "aw, cloud, respons for, secur" in audit


def test_the_topic_page_folds_the_variants_closed_with_a_link_to_each_note() -> None:
    result = _merge(OF_THE_CLOUD, HANDLES)
    page = next(f.content for f in render_topic_pages(result) if f.path == "topics/aws-responsibilities.md")
    assert f'??? quote "{VARIANTS_TITLE}"' in page
    assert f"    - {HANDLES} — [Note 2](../notes/2-note.md)" in page


def test_variants_of_a_list_item_sit_inside_the_item() -> None:
    text = variants_markdown(((Source("a.md", 3), "- AWS handles it\nall"),), "topics/x.md", {"a.md": "A"})
    assert text.splitlines() == ['??? quote "Also written as"', "", "    - AWS handles it", "      all — [A](../notes/a.md)"]


@pytest.mark.parametrize("other", [
    "You handle security OF the cloud.",  # another owner
    "AWS never handles security OF the cloud.",  # negated
    "AWS handles security IN the cloud.",  # another side
    "AWS handles security of the EC2 cloud.",  # a service named in one only
    "AWS handles security of the [cloud](https://example.com/a).",  # a link the other lacks
])
def test_a_look_alike_with_another_fact_is_never_merged(other: str) -> None:
    result = _merge(OF_THE_CLOUD, other)
    assert len([b for b in _shown(result) if "cloud" in b.block.markdown]) == 2
    assert not any(m.rule == PARAPHRASE_RULE for m in result.merges)


def test_paraphrases_within_one_note_stay() -> None:
    note = norm(f"# One\n\n## AWS responsibilities\n\n{OF_THE_CLOUD}\n\n{HANDLES}\n", path="one.md")
    result = merge_notes([note], OUTLINE, terms=TERMS)
    assert len([b for b in _shown(result) if "cloud" in b.block.markdown]) == 2


def test_paraphrases_on_different_pages_stay() -> None:
    notes = [norm(f"# One\n\n## AWS responsibilities\n\n{OF_THE_CLOUD}\n", path="one.md"),
             norm(f"# Two\n\n## Physical security\n\n{HANDLES}\n", path="two.md")]
    result = merge_notes(notes, OUTLINE, terms=TERMS)
    assert not any(m.rule == PARAPHRASE_RULE for m in result.merges)


def test_short_items_mean_something_only_in_their_list() -> None:
    result = _merge("- Run manually / based on triggers\n- Other", "- Run deployment manually / via triggers\n- Else")
    assert not any(m.rule == PARAPHRASE_RULE for m in result.merges)


AWS_LIST = "AWS looks after the following:\n\n- Facilities\n- Networking\n- Physical security of hardware"
AWS_OTHER_LIST = ("AWS is responsible for:\n\n- Network infrastructure\n- Virtualization infrastructure\n"
                  "- Facilities and data centres")
YOUR_LIST = "You need to look after the following:\n\n- Facilities\n- Networking\n- Physical security of hardware"


def test_lists_of_the_same_owner_merge_into_one_with_each_item_once() -> None:
    result = _merge(AWS_LIST, AWS_OTHER_LIST)
    items = [b for b in _shown(result) if b.block.kind == "list_item"]
    texts = sorted(b.block.markdown for b in items)
    assert texts == ["- Facilities and data centres", "- Network infrastructure", "- Physical security of hardware",
                     "- Virtualization infrastructure"]
    network = next(b for b in items if b.block.markdown == "- Network infrastructure")
    assert {s.note for s in network.sources} == {"1-note.md", "2-note.md"}
    assert network.variants == ((Source("1-note.md", 8), "- Networking"),)
    assert any(m.rule == LIST_ITEM_RULE for m in result.merges)


def test_a_list_never_merges_with_a_list_of_another_owner() -> None:
    result = _merge(AWS_LIST, YOUR_LIST)
    items = [b.block.markdown for b in _shown(result) if b.block.kind == "list_item"]
    assert items.count("- Networking") == 2
    assert not any(m.rule == LIST_ITEM_RULE for m in result.merges)


def test_lists_that_share_too_little_stay_apart() -> None:
    other = ("AWS is responsible for:\n\n- Network infrastructure\n- Hypervisor patching\n- Host operating system\n"
             "- Edge locations")
    result = _merge("AWS looks after the following:\n\n- Networking\n- Regions\n- Availability Zones\n- Billing",
                    other)
    assert not any(m.rule == LIST_ITEM_RULE for m in result.merges)


def _items(*texts: str):
    notes = [norm(f"# N{n}\n\n## AWS responsibilities\n\n{t}\n", path=f"n{n}.md") for n, t in enumerate(texts)]
    corpus = read_corpus(notes)
    check = meaning_check(corpus, place_sections(corpus, OUTLINE, lambda *p: None).destinations, LEXICON, TERMS)
    return corpus.items, check


def test_a_paraphrase_twin_carries_meaning_only_under_the_paraphrase_rule() -> None:
    (merged, twin), check = _items(HANDLES, OF_THE_CLOUD)
    assert not carries_meaning(merged, twin, LEXICON)
    assert carries_meaning(merged, twin, LEXICON, check)
    (merged, twin), check = _items("You handle security OF the cloud.", OF_THE_CLOUD)
    assert not carries_meaning(merged, twin, LEXICON, check)


def test_the_account_of_a_merge_by_meaning_holds(tmp_path: Path) -> None:
    result = _merge(OF_THE_CLOUD, HANDLES, AWS_LIST, AWS_OTHER_LIST)
    assert result.counts.input_blocks == result.counts.kept + result.counts.merged
    merged = [f for fates in _fates(result).values() for f in fates if f.status == "merged"]
    assert merged and all(f.twin is not None and f.rule in (PARAPHRASE_RULE, LIST_ITEM_RULE, "exact-hash")
                          for f in merged)


def test_a_vendor_word_in_a_product_name_does_not_own_a_list() -> None:
    lexicon = LEXICON
    from handbook.merge.lists import owner_actors

    assert owner_actors("AWS X-Ray supports applications running on:", lexicon) == frozenset()
    assert owner_actors("AWS looks after the following:", lexicon) == frozenset({"aws"})
    assert owner_actors("You need to look after:", lexicon) == frozenset({"customer"})


def test_short_items_merge_only_under_lead_ins_of_one_owner() -> None:
    same = _merge("X-Ray works with:\n\n- EC2\n- Lambda", "AWS X-Ray supports applications running on:\n\n- EC2\n- Lambda",
                  heading="Network security")
    assert [b.block.markdown for b in _shown(same) if b.block.kind == "list_item"].count("- EC2") == 1
    apart = _merge("AWS looks after:\n\n- EC2 hosts\n- Lambda", "You look after:\n\n- EC2 hosts\n- Lambda",
                   heading="Network security")
    assert [b.block.markdown for b in _shown(apart) if b.block.kind == "list_item"].count("- Lambda") == 2
