"""The memo normalise keeps of text that copies of notes repeat: bounded, and whole or empty."""

from __future__ import annotations

import pickle

from handbook.normalise.memo import Memo


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
