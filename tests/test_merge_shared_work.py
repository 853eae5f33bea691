"""Work the merge does once for what repeats: distinct texts hashed once, copies of a block judged once, pairs
weighed before they are judged, and every shortcut giving the answer the full check gives."""

from __future__ import annotations

import itertools

import pytest

from handbook.load import Limits
from handbook.merge import load_topics, merge_notes
from handbook.merge import account, lsh
from handbook.merge.account import BY_MEANING, BY_WORDS, _carried_by, carries_meaning
from handbook.merge.corpus import read_corpus
from handbook.merge.guards import Lexicon
from handbook.merge.meaning import Concepts, MeaningJudge, MeaningTerms
from handbook.merge.settings import PARAPHRASE, PARAPHRASE_MIN_SHARED
from tests.conftest import DATA, norm, seed_notes

LEXICON = Lexicon(load_topics(DATA, Limits()).fact_terms)


def test_near_duplicate_search_hashes_each_distinct_text_once(monkeypatch: pytest.MonkeyPatch) -> None:
    hashed: list[int] = []
    real = lsh.minhash_signatures
    monkeypatch.setattr(lsh, "minhash_signatures", lambda sets: hashed.append(len(sets)) or real(sets))
    text = "aws patches the physical hosts of the region"
    other = "the customer patches the guest operating system"
    texts = [text, text, other, text]
    # Three copies of one text under different subjects: kept apart by their guard, found as a near miss.
    signatures = [("s3",), ("ec2",), ("ec2",), ("iam",)]
    leader_of, links = lsh.leader_clusters(texts, [t.split() for t in texts], signatures, 0.9,
                                           lambda a, b: "subject" if a != b else None)
    assert hashed == [2]
    assert leader_of == [0, 1, 2, 3]
    assert [(link.member, link.leader, link.guard) for link in links] == [(1, 0, "subject"), (3, 0, "subject")]


def test_near_duplicate_search_merges_a_copy_whose_guards_agree() -> None:
    text = "aws patches the physical hosts of the region"
    texts = [text, text + " now", text]
    leader_of, links = lsh.leader_clusters(texts, [t.split() for t in texts], [("a",), ("b",), ("a",)], 0.9,
                                           lambda a, b: "subject" if a != b else None)
    assert leader_of == [0, 1, 0]
    assert [(link.member, link.leader, link.guard) for link in links] == [
        (1, 0, "subject"), (2, 1, "subject"), (2, 0, None)]


def _items(*texts: str):
    notes = [norm(f"# T\n\n{text}\n", path=f"n{n}.md") for n, text in enumerate(texts)]
    return read_corpus(notes).items


@pytest.mark.parametrize("paraphrase", [None, "yes", "no"])
def test_a_twin_judged_per_markdown_answers_as_the_full_check(paraphrase: str | None,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    twin, *members = _items(
        "AWS manages the physical hardware. It also runs the network.",
        "AWS manages the physical hardware.", "AWS manages the physical hardware.",
        "Customers manage the guest OS.", "Customers manage the guest OS.",
        "- [AWS manages the physical hardware](https://example.com/hw)",
    )
    rule = None if paraphrase is None else (lambda merged, twin: paraphrase == "yes")
    expected = [carries_meaning(m, twin, LEXICON, rule) for m in members]
    calls: list[str] = []
    real = account.carries_meaning
    monkeypatch.setattr(account, "carries_meaning",
                        lambda merged, *rest: calls.append(merged.block.markdown) or real(merged, *rest))
    carried = _carried_by(twin, LEXICON, rule)
    how = [carried(m) for m in members]
    assert [h is not None for h in how] == expected
    # Word for word where the full check needs no paraphrase rule; in other words where only that rule carries it.
    assert how[:2] == [BY_WORDS, BY_WORDS]
    assert how[2:4] == ([BY_MEANING, BY_MEANING] if paraphrase == "yes" else [None, None])
    assert len(calls) == len(set(calls)) == 3  # each distinct block once
    # The link the twin lacks is never carried, whatever the paraphrase rule says.
    assert expected[-1] is False and expected[:2] == [True, True]
    assert expected[2] is (paraphrase == "yes")


def test_weighing_a_pair_first_gives_the_judgement_the_full_one_gives() -> None:
    concepts = [frozenset(c) for c in (
        {"aws", "patch", "host", "region"}, {"aws", "patch", "host"}, {"aws", "patch", "host", "guest", "os"},
        {"custom", "patch", "guest", "os"}, {"aws", "host"}, {"region", "zone", "aws", "patch", "host", "data"},
    )]
    judge = MeaningJudge(Concepts(MeaningTerms()), [*concepts, concepts[0], concepts[0]])
    for left, right in itertools.product(concepts, repeat=2):
        full = judge.judge(left, right)
        passes = full.score >= PARAPHRASE and len(full.shared) >= PARAPHRASE_MIN_SHARED
        assert judge.same(left, right) == (full if passes else None)
    # Copies of a statement count as often as they occur.
    assert judge.frequency["region"] == 4 and judge.frequency["zone"] == 1


def test_guarded_pairs_are_listed_in_source_order() -> None:
    # Notes in an order their paths do not sort in, each with a sentence another one says with another number.
    notes = [norm(f"# Storage notes {n}\n\nNotes of session {n}.\n\n## Durability\n\n"
                  f"S3 keeps {copies} copies of every object across the availability zones of a region.\n",
                  path=f"{name}.md")
             for n, (name, copies) in enumerate([("k", 3), ("b", 4), ("x", 5), ("a", 6), ("m", 3)])]
    result = merge_notes([*notes, *seed_notes()], load_topics(DATA, Limits()))
    assert len({g.left for g in result.guarded} | {g.right for g in result.guarded}) >= 3
    assert list(result.guarded) == sorted(result.guarded, key=lambda g: (g.left, g.right, g.guard))
