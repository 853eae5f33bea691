"""The labelled statements (tests/labels/paraphrases.yml): well formed, split once, and judged as labelled."""

from __future__ import annotations

from itertools import combinations

import pytest

from bench_meaning import HELD_OUT, TUNING, VAULTS, label_part, load_labels, vault_judges
from handbook.merge.text import words

LABELS = load_labels()
# Clusters of the tuning part the rule must keep merging (the held-out part is only measured).
MUST_MERGE = ("issue-security-of-the-cloud", "issue-customer-security-in", "seeds-aws-of-the-cloud",
              "examqa-pricing-models", "examqa-encryption-strategies")


def test_the_set_is_large_enough_and_split_once() -> None:
    assert len(LABELS) >= 60
    assert len({label.id for label in LABELS}) == len(LABELS)
    parts = {label.id: label.part for label in LABELS}
    assert set(parts.values()) == {TUNING, HELD_OUT}
    assert all(label_part(label_id) == part for label_id, part in parts.items())  # by the id alone
    held_out = sum(part == HELD_OUT for part in parts.values())
    assert 0.2 < held_out / len(LABELS) < 0.45
    assert {label.same for label in LABELS if label.part == HELD_OUT} == {True, False}


def test_traps_are_pairs_and_clusters_hold_two_or_more() -> None:
    for label in LABELS:
        assert len(label.statements) == 2 if not label.same else len(label.statements) >= 2, label.id


@pytest.mark.parametrize("vault", sorted(VAULTS))
def test_every_quote_is_in_its_note(vault: str) -> None:
    folder = VAULTS[vault]
    if not folder.is_dir():
        pytest.skip(f"{vault} is not present beside the project")
    for label in LABELS:
        for statement in label.statements:
            if statement.vault != vault:
                continue
            lines = (folder / statement.note).read_text(encoding="utf-8").splitlines()
            near = {w for line in lines[max(statement.line - 2, 0):statement.line + 2] for w in words(line)}
            quoted = words(statement.text)
            # Quotes are of the notes as the build repairs them ("infrustructure" -> "infrastructure").
            found = sum(1 for w in quoted if w in near) / len(quoted)
            assert found >= 0.8, (label.id, statement.note, statement.line)


@pytest.fixture(scope="module")
def judges():
    present = {name: folder for name, folder in VAULTS.items() if folder.is_dir()}
    return vault_judges(present)


@pytest.mark.slow
@pytest.mark.parametrize("label", [label for label in LABELS if not label.same], ids=lambda label: label.id)
def test_no_trap_pair_is_judged_the_same(label, judges) -> None:
    judge = judges.get(label.statements[0].vault)
    if judge is None:
        pytest.skip(f"{label.statements[0].vault} is not present beside the project")
    for a, b in combinations(label.statements, 2):
        assert not judge.same(a.text, b.text)


@pytest.mark.slow
@pytest.mark.parametrize("label_id", MUST_MERGE)
def test_pinned_clusters_are_judged_the_same(label_id: str, judges) -> None:
    label = next(label for label in LABELS if label.id == label_id)
    assert label.part == TUNING
    judge = judges.get(label.statements[0].vault)
    if judge is None:
        pytest.skip(f"{label.statements[0].vault} is not present beside the project")
    for a, b in combinations(label.statements, 2):
        assert judge.same(a.text, b.text)
