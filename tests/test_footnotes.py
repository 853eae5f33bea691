"""Footnotes: labels read as Python-Markdown reads them, kept to their note on pages that merge notes."""

from __future__ import annotations

import re
from pathlib import Path

import markdown
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handbook.footnotes import definitions_by_label, defined_labels, escape_definitions, note_key, referenced_labels, relabel
from handbook.merge.render import page_footnotes
from handbook.merge.result import MergedBlock
from handbook.model import Block, Source
from tests.conftest import BuiltSite, copy_project, render_notes, run_build

TEXT = "Text[^a] and `[^code]` and \\[^escaped] and [^b].\n[^a]: First.\n   [^c]: Third.\nNot [^d]: a definition."


def test_definitions_and_references_are_found_outside_code_and_escapes():
    assert defined_labels(TEXT) == {"a", "c"}
    assert referenced_labels(TEXT) == {"a", "b", "d"}


def test_a_code_span_ends_with_its_paragraph():
    # A lone backtick and one in a later paragraph make no code span, so the reference between them counts.
    assert referenced_labels("A lone ` and [^1].\n\n[^1]: Has `code`.") == {"1"}
    assert referenced_labels("In `[^1]\nstill` code.") == frozenset()


def test_relabel_renames_references_and_definitions_only():
    renamed = relabel(TEXT, lambda label, definition: f"{label}-{'def' if definition else 'ref'}")
    assert renamed == ("Text[^a-ref] and `[^code]` and \\[^escaped] and [^b-ref].\n[^a-def]: First.\n"
                       "   [^c-def]: Third.\nNot [^d-ref]: a definition.")


def test_an_escaped_definition_is_text_the_next_time():
    escaped = escape_definitions(TEXT, frozenset({"c"}))
    assert escaped.endswith("   \\[^c]: Third.\nNot [^d]: a definition.")
    assert defined_labels(escaped) == {"a"} and escape_definitions(escaped, frozenset({"c"})) == escaped


def merged(note: str, line: int, markdown: str, *also: str) -> MergedBlock:
    return MergedBlock(Block("paragraph", markdown, Source(note, line)),
                       (Source(note, line), *(Source(other, line) for other in also)))


def test_each_note_keeps_its_own_footnotes_on_a_merged_page():
    a, b, c = "a.md", "b.md", "c.md"
    blocks = [
        merged(a, 3, "AWS secures the hardware[^1].", "d.md"),  # d.md said the same, citing its own source
        merged(a, 5, "[^1]: From the whitepaper.", c),  # c.md's definition was the same as a.md's
        merged(b, 3, "Customers secure their data[^1]."),
        merged(b, 5, "[^1]: Said by the trainer."),
        merged(c, 3, "Customers patch the guest OS[^1] and more[^2]."),
        merged("d.md", 5, "[^1]: My own source."),
    ]
    footnotes = page_footnotes(blocks)
    texts = footnotes.texts
    ka, kb = note_key(a), note_key(b)
    assert texts[Source(a, 3)] == f"AWS secures the hardware[^1-{ka}]."
    assert texts[Source(a, 5)] == f"[^1-{ka}]: From the whitepaper."
    assert texts[Source(b, 3)] == f"Customers secure their data[^1-{kb}]."
    assert texts[Source(b, 5)] == f"[^1-{kb}]: Said by the trainer."
    # c.md's own definition is the one merged into a.md's; its [^2] has no definition and stays as written.
    assert texts[Source(c, 3)] == f"Customers patch the guest OS[^1-{ka}] and more[^2]."
    # d.md's sentence is shown as a.md's, so nothing references d.md's definition: it shows as text.
    assert texts[Source("d.md", 5)] == "\\[^1]: My own source."
    assert footnotes.borrowed == ()


def test_a_page_without_footnotes_is_left_alone():
    assert page_footnotes([merged("a.md", 1, "No notes here.")], {("a.md", "1"): "[^1]: Unused."}).texts == {}


def test_a_block_s_footnote_definitions_are_split_by_label():
    text = "[^1]: SOC 2 report,<br>\nsection 3.\n[^2]: KMS guide.\n    indented more\n\\[^3]: escaped\n`[^4]: code`"
    assert definitions_by_label(text) == {
        "1": "[^1]: SOC 2 report,<br>\nsection 3.", "2": "[^2]: KMS guide.\n    indented more\n\\[^3]: escaped\n`[^4]: code`"}
    assert definitions_by_label("No footnotes.") == {}


def test_a_reference_whose_definition_is_on_another_page_brings_a_copy_of_it():
    a, b = "a.md", "b.md"
    definitions = {(a, "1"): "[^1]: From the whitepaper, see[^2].", (a, "2"): "[^2]: Page 4.",
                   (b, "1"): "[^1]: Said by the trainer."}
    footnotes = page_footnotes([merged(a, 3, "AWS secures the hardware[^1]."), merged(b, 3, "Data is yours[^1][^9].")],
                               definitions)
    ka, kb = note_key(a), note_key(b)
    assert footnotes.texts == {Source(a, 3): f"AWS secures the hardware[^1-{ka}].",
                               Source(b, 3): f"Data is yours[^1-{kb}][^9]."}
    # A definition's own reference comes too; one to no definition anywhere stays text.
    assert footnotes.borrowed == (f"[^1-{ka}]: From the whitepaper, see[^2-{ka}].", f"[^1-{kb}]: Said by the trainer.",
                                  f"[^2-{ka}]: Page 4.")


NOTES = {
    "a.md": "# Shared responsibility model\n\n## Overview\n\nAWS secures the hardware of the cloud[^1].\n\n"
            "[^1]: From the AWS whitepaper on security.\n",
    "b.md": "# Shared responsibility model notes\n\n## Overview\n\nCustomers secure their own data in the cloud[^1].\n\n"
            "[^1]: Said by the trainer in week two.\n",
    "c.md": "# Footnote edge cases\n\nA reference[^a] and one to nothing[^zz].\n\n[^a]: Defined and used.\n\n"
            "[^b]: Defined but never used.\n",
    # Its footnotes sit in a last section, which fits no topic: the sections that cite them go to two topic pages.
    "d.md": "# Study notes\n\n## Physical security\n\nGuards check every visitor at the data center door[^1].\n\n"
            "## Encryption\n\nCustomers rotate their own KMS keys every year[^2].\n\n## Sources\n\n"
            "[^1]: SOC 2 report, section 3.\n[^2]: KMS developer guide.\n",
    # Cited in another order than defined.
    "f.md": "# Citation order\n\nFirst cited[^b], then the other[^a].\n\n[^a]: Defined first.\n\n[^b]: Defined second.\n",
    # Obsidian's inline footnote, in a section merged onto a topic page.
    "e.md": "# Notes on continuity\n\n## Business continuity\n\nAWS keeps spare capacity in every Region^[As the "
            "whitepaper puts it, N+1.] for failover.\n",
}


@pytest.fixture(scope="module")
def footnote_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    notes = tmp_path_factory.mktemp("notes")
    for name, text in NOTES.items():
        (notes / name).write_text(text, encoding="utf-8")
    root = copy_project(tmp_path_factory.mktemp("project"))
    assert run_build(root, notes=notes) == 0  # strict: no footnote back-link without its reference
    return BuiltSite(root)


def page_with(site: BuiltSite, folder: str, text: str) -> str:
    pages = [p.read_text(encoding="utf-8") for p in sorted((site.site / "handbook" / folder).rglob("index.html"))]
    found = [page for page in pages if text in page]
    assert len(found) == 1, text
    return found[0]


@pytest.mark.slow
def test_two_notes_footnotes_on_one_topic_page_both_show(footnote_site: BuiltSite) -> None:
    page = page_with(footnote_site, "topics", "Said by the trainer in week two.")
    notes = re.findall(r'<li id="fn:([^"]+)">\s*<p>(.*?)&#160;', page)
    assert [(label, text) for label, text in notes] == [
        (f"1-{note_key('a.md')}", "From the AWS whitepaper on security."),
        (f"1-{note_key('b.md')}", "Said by the trainer in week two."),
    ]


@pytest.mark.slow
def test_an_unused_footnote_shows_as_text_on_its_note_page(footnote_site: BuiltSite) -> None:
    page = page_with(footnote_site, "notes", "Defined but never used.")
    assert "<p>[^b]: Defined but never used.</p>" in page
    assert "one to nothing[^zz]." in page and 'href="#fn:a"' in page


@pytest.mark.slow
def test_a_footnote_defined_in_another_section_shows_on_each_topic_page_that_cites_it(footnote_site: BuiltSite) -> None:
    physical = page_with(footnote_site, "topics", "Guards check every visitor")
    encryption = page_with(footnote_site, "topics", "rotate their own")
    key = note_key("d.md")
    assert re.findall(r'<li id="fn:([^"]+)">\s*<p>(.*?)&#160;', physical) == [(f"1-{key}", "SOC 2 report, section 3.")]
    assert re.findall(r'<li id="fn:([^"]+)">\s*<p>(.*?)&#160;', encryption) == [
        (f"2-{key}", "<abbr title=\"AWS Key Management Service\">KMS</abbr> developer guide.")]
    assert "[^1]" not in physical and "[^2]" not in encryption


def test_definitions_shown_as_text_keep_a_line_each():
    footnotes = page_footnotes([merged("a.md", 9, "[^1]: SOC 2 report.\n[^2]: KMS guide.\n    more<br>\n[^3]: Old.")])
    assert footnotes.texts[Source("a.md", 9)] == "\\[^1]: SOC 2 report.<br>\n\\[^2]: KMS guide.\n    more<br>\n\\[^3]: Old."


_SECTIONS = ["## Physical security\n\nGuards check visitors at the door{ref}.",
             "## Encryption\n\nCustomers rotate their KMS keys every year{ref}.",
             "## Odds and ends\n\nSomething else entirely{ref}.", "- An item about patching{ref}\n- another item"]
_DEFINITIONS = ["[^1]: Source one.", "[^2]: Source two, see[^1].", "[^x]: Extra.", "[^1]: Another one."]


@settings(max_examples=25, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(
    st.lists(st.tuples(st.sampled_from(_SECTIONS), st.sampled_from(["", "[^1]", "[^2]", "[^1][^x]", "[^y]", "^[Inline.]",
                                                                    "^[See [^1].][^2]", "[^1]^[a `]` b]"])),
             min_size=1, max_size=4),
    st.lists(st.sampled_from(_DEFINITIONS), max_size=4), st.booleans()), min_size=1, max_size=3))
def test_every_footnote_link_on_every_page_has_its_target(notes_spec) -> None:
    """References, definitions and back-links line up on each page, wherever merging put the notes' parts."""
    from handbook.model import RawNote
    from handbook.normalise import load_context, normalise_note

    data = Path(__file__).resolve().parents[1] / "data"
    texts = {}
    for i, (sections, definitions, own_section) in enumerate(notes_spec):
        body = "\n\n".join(section.format(ref=ref) for section, ref in sections)
        texts[f"n{i}.md"] = f"# Note {i}\n\n{body}\n\n{'## Sources' if own_section else ''}\n\n" + "\n".join(definitions) + "\n"
    context = load_context(data, frozenset())
    notes = [normalise_note(RawNote(path, text, len(text)), context) for path, text in texts.items()]
    site = render_notes(notes, texts, data)
    for page in site.pages:
        if page.path.endswith(".md") and isinstance(page.content, str) and "[^" in page.content:
            shown = markdown.markdown(page.content, extensions=["footnotes", "attr_list", "md_in_html", "admonition"])
            assert set(re.findall(r'href="#fn:([^"]+)"', shown)) <= set(re.findall(r'<li id="fn:([^"]+)"', shown))
            assert set(re.findall(r'href="#(fnref\d*:[^"]+)"', shown)) <= set(re.findall(r'id="(fnref\d*:[^"]+)"', shown))


@pytest.mark.slow
def test_an_inline_footnote_shows_as_a_footnote_on_the_topic_page_and_the_note_page(footnote_site: BuiltSite) -> None:
    for folder in ("topics", "notes"):
        page = page_with(footnote_site, folder, "spare capacity in every Region")
        assert "^[" not in page.split('id="as-written"')[0]
        notes = re.findall(r'<li id="fn:([^"]+)">\s*<p>(.*?)&#160;', page)
        assert [text for _, text in notes] == ["As the whitepaper puts it, N+1."]


@pytest.mark.slow
def test_footnotes_are_numbered_in_the_order_the_text_cites_them(footnote_site: BuiltSite) -> None:
    page = page_with(footnote_site, "notes", "First cited")
    assert re.findall(r'href="#fn:([ab])">(\d)</a>', page) == [("b", "1"), ("a", "2")]
    assert [label for label, _ in re.findall(r'<li id="fn:([^"]+)">\s*<p>(.*?)&#160;', page)] == ["b", "a"]


def test_an_empty_definition_gets_a_no_break_space_so_that_its_page_builds(tmp_path: Path):
    from tests.conftest import norm, rules

    note = norm("# Footnotes\n\nText^[x] and [^1].\n\n[^1]:\n")
    assert "[^1]: &nbsp;" in note.markdown
    assert "footnote-empty" in rules(note)
    assert norm(note.markdown).markdown == note.markdown  # a second pass changes nothing
    continued = norm("# Footnotes\n\nText [^1].\n\n[^1]:\n    The text on the next line.\n")
    assert "footnote-empty" not in rules(continued)
    # A heading at the margin or a quote starts a block of its own: the definition above it stays empty.
    for below in ("# Next", ">  A quote."):
        assert "[^1]: &nbsp;\n" in norm(f"# Footnotes\n\nText [^1].\n\n[^1]:\n{below}\n").markdown


def test_an_empty_label_is_a_footnote_label_as_python_markdown_reads_it(tmp_path: Path):
    # `[^]` and `[^]:` are a reference and a definition to Python-Markdown; `[^]:` with nothing after it stopped
    # the page's build, and an unused `[^]: text` linked back to nowhere.
    assert defined_labels("[^]: Text.") == {""} and referenced_labels("See [^].") == {""}
    from tests.conftest import mkdocs_markdown, norm

    note = norm("# Footnotes\n\nCited[^].\n\n[^]:\n\nNot cited:\n\n[^]: Twice.\n")
    assert note.markdown.endswith("Cited[^].\n\n[^]: &nbsp;\n\nNot cited:\n\n\\[^]: Twice.\n")
    assert norm(note.markdown).markdown == note.markdown
    page = mkdocs_markdown(tmp_path).convert(note.markdown)
    assert 'href="#fn:"' in page and "[^]: Twice." in page
    alone = norm("# Footnotes\n\nHalf typed:\n\n[^]:\n")
    assert alone.markdown.endswith("Half typed:\n\n\\[^]: &nbsp;\n")
    assert "[^]:" in mkdocs_markdown(tmp_path).convert(alone.markdown)
    assert relabel("See [^].\n\n[^]: Text.", lambda label, definition: f"{label}-key") == "See [^-key].\n\n[^-key]: Text."
