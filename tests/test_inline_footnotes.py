"""Obsidian's inline footnotes (`^[…]`) become references with definitions where a page shows them."""

from __future__ import annotations

import markdown
import pytest

from handbook.footnotes import note_key
from handbook.inline_footnotes import as_references, find_inline_footnotes, label_maker
from handbook.merge.render import page_footnotes
from handbook.merge.result import MergedBlock
from handbook.model import Block, Note, Section, Source
from handbook.render import note_body


@pytest.mark.parametrize(("text", "contents"), [
    ("Text^[A note.] and more^[Two [nested] and `code ]`].", ["A note.", "Two [nested] and `code ]`"]),
    ("In code `^[x]`, escaped \\^[y], empty ^[] and unclosed ^[z.", []),
    # Next to other syntax the reference would read as part of it.
    ("[link]^[x], ^[y](z), ![^[w]] and ^[v]: here.", []),
    ("A line break inside^[first<br>\n    second] is kept together.", ["first<br>\n    second"]),
])
def test_inline_footnotes_are_found_where_markdown_it_finds_them(text: str, contents: list[str]) -> None:
    assert [content for *_, content in find_inline_footnotes(text)] == contents


def test_each_becomes_a_reference_and_a_definition_on_one_line_with_labels_the_note_does_not_use() -> None:
    next_label = label_maker({"inline-1"}.__contains__)
    text, definitions = as_references("Guards^[SOC 2.] check^[Line one<br>\nline two] visitors.", next_label)
    assert text == "Guards[^inline-2] check[^inline-3] visitors."
    assert definitions == [("inline-2", "[^inline-2]: SOC 2."), ("inline-3", "[^inline-3]: Line one line two")]
    assert as_references("No footnote here.", next_label) == ("No footnote here.", [])


def merged(note: str, line: int, markdown_text: str, kind: str = "paragraph") -> MergedBlock:
    return MergedBlock(Block(kind, markdown_text, Source(note, line)), (Source(note, line),))


def test_a_merged_page_writes_each_inline_footnote_as_its_note_s_own_footnote() -> None:
    a, b = "a.md", "b.md"
    footnotes = page_footnotes([merged(a, 3, "Guards check visitors^[SOC 2.]."), merged(b, 3, "Keys rotate^[Yearly.]."),
                                merged(b, 5, "`code ^[x]`", kind="code")], {(a, "inline-1"): "[^inline-1]: Taken."})
    ka, kb = note_key(a), note_key(b)
    assert footnotes.texts == {Source(a, 3): f"Guards check visitors[^inline-2-{ka}].",
                               Source(b, 3): f"Keys rotate[^inline-1-{kb}]."}
    assert footnotes.borrowed == (f"[^inline-1-{kb}]: Yearly.", f"[^inline-2-{ka}]: SOC 2.")


def test_a_note_page_shows_its_inline_footnotes_as_footnotes() -> None:
    blocks = (Block("paragraph", "Guards check visitors^[SOC 2.] at the door[^1].", Source("a.md", 3)),
              Block("list_item", "- Keys rotate^[Yearly.]", Source("a.md", 5)),
              Block("paragraph", "[^1]: The whitepaper.", Source("a.md", 7)))
    note = Note("a.md", "A", "", "# A\n\nGuards check visitors^[SOC 2.] at the door[^1].\n\n- Keys rotate^[Yearly.]\n\n"
                "[^1]: The whitepaper.\n", (Section("A", 1, Source("a.md", 1), blocks),))
    body = note_body(note, {})
    assert body == ("Guards check visitors[^inline-1] at the door[^1].\n\n- Keys rotate[^inline-2]\n\n"
                    "[^1]: The whitepaper.\n\n[^inline-1]: SOC 2.\n\n[^inline-2]: Yearly.")
    shown = markdown.markdown(body, extensions=["footnotes"])
    assert shown.count('<li id="fn:') == 3 and "^[" not in shown
