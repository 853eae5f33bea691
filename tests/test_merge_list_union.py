"""Lists of several notes that enumerate the same things show as one list: the union of their items, each once,
each crediting its notes, in the list a reader meets first (merge/lists.py, merge/layout.py)."""

from __future__ import annotations

import re
from pathlib import Path

from handbook.account import account_totals
from handbook.merge import load_topics, merge_notes
from handbook.merge.meaning import load_meaning_terms
from handbook.merge.result import SHOWN, MergeResult
from handbook.normalise import LIST_SEPARATOR
from tests.conftest import DATA, norm
from workbench import build_in_memory

AWS_ONE = ("# Shared responsibility model\n\n## AWS responsibilities\n\nAWS looks after the following:\n\n"
           "- Physical security of the data centers\n- Hardware of the servers\n")
AWS_TWO = ("# Shared responsibility model\n\n## AWS responsibilities\n\n"
           "AWS is responsible for the security of the cloud.\n\n- Physical security of the data centers\n- Hardware of the servers\n- Network cabling of the racks\n"
           "- Virtualization layer of the hosts\n")
CUSTOMER = ("# Shared responsibility model\n\n## AWS responsibilities\n\nYou need to look after:\n\n"
            "- Physical security of the data centers\n- Hardware of the servers\n- Encryption of your data\n")


def merged(*notes: tuple[str, str]) -> MergeResult:
    return merge_notes([norm(text, path=path) for path, text in notes], load_topics(DATA),
                       terms=load_meaning_terms(DATA))


def shown_items(result: MergeResult) -> list[tuple[str, tuple[str, ...], bool]]:
    """(item text, its notes, whether it goes on the list before it) of every top-level item on the topic pages."""
    return [(b.block.markdown, tuple(sorted({s.note for s in b.sources})), b.joins_list)
            for page in result.pages for section in page.sections for b in section.blocks
            if b.block.kind == "list_item" and not b.depth]


def test_lists_of_the_same_things_become_one_list_of_their_union() -> None:
    result = merged(("a.md", AWS_ONE), ("b.md", AWS_TWO))
    assert shown_items(result) == [
        ("- Physical security of the data centers", ("a.md", "b.md"), False),
        ("- Hardware of the servers", ("a.md", "b.md"), False),
        ("- Network cabling of the racks", ("b.md",), True),
        ("- Virtualization layer of the hosts", ("b.md",), True),
    ]
    # Every block is still accounted for: the moved items are shown where the list now stands.
    assert account_totals([norm(AWS_ONE, path="a.md"), norm(AWS_TWO, path="b.md")], result, ()).unaccounted == 0
    fates = [fate for account in result.account for fate in account.blocks]
    moved = [fate for fate in fates if fate.source.note == "b.md" and fate.status == SHOWN and fate.kind == "list_item"]
    shown_first = {fate.anchor for fate in fates if fate.source.note == "a.md" and fate.kind == "list_item"}
    assert len(moved) == 2 and {fate.anchor for fate in moved} == shown_first


def test_the_union_is_one_list_on_the_page(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(AWS_ONE, encoding="utf-8")
    (tmp_path / "b.md").write_text(AWS_TWO, encoding="utf-8")
    page = build_in_memory(tmp_path).pages["topics/aws-responsibilities.md"]
    lines = [re.sub(r"\s*<sup.*", "", line) for line in page.split("\n")]
    start = lines.index("- Physical security of the data centers")
    assert lines[start:start + 4] == ["- Physical security of the data centers", "- Hardware of the servers",
                                      "- Network cabling of the racks", "- Virtualization layer of the hosts"]
    assert LIST_SEPARATOR not in page


def test_a_list_of_another_owner_never_joins() -> None:
    result = merged(("a.md", AWS_ONE), ("c.md", CUSTOMER))
    assert not any(joins for _, _, joins in shown_items(result))
    assert [notes for _, notes, _ in shown_items(result)] == [("a.md",), ("a.md",), ("c.md",), ("c.md",), ("c.md",)]


def test_numbered_lists_keep_their_own_order() -> None:
    numbered = AWS_TWO.replace("- Physical", "1. Physical").replace("- Hardware", "2. Hardware") \
        .replace("- Network", "3. Network").replace("- Virtualization", "4. Virtualization")
    result = merged(("a.md", AWS_ONE), ("b.md", numbered))
    assert not any(joins for _, _, joins in shown_items(result))


def test_a_list_announced_by_a_paragraph_of_its_own_stays_under_it() -> None:
    announced = AWS_TWO.replace("AWS is responsible for the security of the cloud.", "AWS is responsible for these:")
    result = merged(("a.md", AWS_ONE), ("b.md", announced))
    assert not any(joins for _, _, joins in shown_items(result))
    assert [text for text, _, _ in shown_items(result)][-2:] == ["- Network cabling of the racks",
                                                                 "- Virtualization layer of the hosts"]
