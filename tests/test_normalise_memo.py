"""The memo normalise keeps of text that copies of notes repeat: bounded, and whole or empty."""

from __future__ import annotations

import pickle

from hypothesis import given
from hypothesis import strategies as st

from handbook.normalise.log import RepairLog
from handbook.normalise.memo import Memo
from handbook.normalise.parse import PARSER, Parses
from handbook.normalise.structure import space_after_hashes


def test_a_memo_starts_again_when_the_next_entry_would_not_fit():
    memo = Memo(10)
    assert memo.remember("a", 1, weight=6) == 1
    memo.remember("b", 2, weight=4)
    assert dict(memo) == {"a": 1, "b": 2} and memo.weight == 10
    memo.remember("c", 3, weight=1)
    assert dict(memo) == {"c": 3} and memo.weight == 1


def test_entries_weigh_one_each_unless_told():
    memo = Memo(2)
    for key in "xyz":
        memo.remember(key, key.upper())
    assert dict(memo) == {"z": "Z"}
    memo.clear()
    assert memo.weight == 0


def test_a_memo_crosses_to_a_worker_with_its_budget():
    memo = Memo(5)
    memo.remember("a", 1, weight=3)
    copy = pickle.loads(pickle.dumps(memo))
    assert dict(copy) == {"a": 1} and (copy.limit, copy.weight) == (5, 3)


def token_view(tokens) -> list[tuple]:
    """What the layout reads of each token."""
    return [(t.type, t.tag, t.nesting, t.level, t.map, t.content, t.markup, t.info) for t in tokens]


@given(st.lists(st.sampled_from(["##Title", "## Title", "- item", "- ##x", "text", "", "> ##quoted", "```", "    code",
                                 "#tag", "###Deeper", "1. one"]), max_size=12))
def test_the_parse_a_rule_hands_on_is_the_parse_of_its_text(lines: list[str]) -> None:
    # The structure rules pass their lenient parse on as the parse of the text they return; the layout's
    # reading must be what parsing that text afresh gives.
    parses = Parses()
    text = "\n".join(lines)
    repaired = space_after_hashes.apply(text, RepairLog("n.md"), parses)
    assert token_view(parses.blocks(repaired)) == token_view(PARSER.parse(repaired))
    assert token_view(parses.blocks(text)) == token_view(PARSER.parse(text))
