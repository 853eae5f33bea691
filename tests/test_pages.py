"""Pages about the build itself: the machine-readable report's layout and the repairs table of a note page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from handbook.pages import report_json

_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4),
    max_leaves=20,
)


def test_the_report_reads_record_by_record() -> None:
    report = {"repairs": [{"rule": "spelling", "line": 3}, {"rule": "dash", "line": 9}], "counts": {"notes": 2}}
    assert report_json(report) == (
        "{\n"
        '  "counts": {\n'
        '    "notes": 2\n'
        "  },\n"
        '  "repairs": [\n'
        '    {"line": 3, "rule": "spelling"},\n'
        '    {"line": 9, "rule": "dash"}\n'
        "  ]\n"
        "}\n"
    )


@given(st.dictionaries(st.text(max_size=6), _JSON, max_size=5))
def test_the_report_is_the_same_data_as_json(payload: dict) -> None:
    assert json.loads(report_json(payload)) == payload


def test_a_generator_of_records_is_written_as_a_list() -> None:
    records = ({"n": n} for n in range(2))
    assert report_json({"a": records, "b": (x for x in ())}) == report_json({"a": [{"n": 0}, {"n": 1}], "b": []})


def test_a_repairs_row_is_escaped_text_in_plain_cells() -> None:
    from handbook.model import Repair
    from handbook.templating import repair_rows

    repairs = (Repair("a.md", 3, "html-sanitise", "<b>x</b> &  y", ""), Repair("a.md", 9, "spelling", "teh", "the"))
    assert repair_rows(repairs) == (
        "<tr><td>3<td>html-sanitise<td>&lt;b&gt;x&lt;/b&gt; &amp; y<td><em>(nothing)</em>\n"
        "<tr><td>9<td>spelling<td>teh<td>the"
    )


def test_a_repairs_row_shows_a_link_the_repair_wrote_as_text_after_links_are_resolved() -> None:
    from handbook.links import NoteIndex, resolve_links
    from handbook.model import GeneratedFile, Repair
    from handbook.templating import repair_rows

    row = repair_rows((Repair("a.md", 3, "obsidian-wikilink", "[[Plans]]", "[Plans](note:Plans)"),))
    page = resolve_links([GeneratedFile("notes/a.md", row)], NoteIndex(()), lambda path, heading: None)[0].content
    assert page == row == "<tr><td>3<td>obsidian-wikilink<td>[[Plans]]<td>[Plans&#93;(note:Plans)"


def test_the_report_page_lists_at_most_the_limit_of_notes_and_says_where_the_rest_are(tmp_path) -> None:
    from handbook.pages import NoteView, render_report_page

    views = [NoteView(f"n{i}.md", f"Note {i}", f"notes/n{i}.md", "", "x\n", 1, 2, (), ()) for i in range(5)]
    templates = Path(__file__).resolve().parents[1] / "templates"
    text = render_report_page(views, (("notes read", 5),), [], templates, limit=2).content
    assert "[Note 1](../notes/n1.md)" in text and "Note 2" not in text
    assert "| [Note 1](../notes/n1.md) | 1 | 2 |\n\n…and 3 more, listed in `report.json` at the site root." in text
    assert "more, listed" not in render_report_page(views, (), [], templates, limit=5).content


def test_the_words_and_missing_links_tables_stop_at_the_limit_and_say_where_the_rest_are() -> None:
    from handbook.links import MissingLink
    from handbook.normalise.log import Finding
    from handbook.pages import render_repairs_section

    templates = Path(__file__).resolve().parents[1] / "templates"
    findings = [Finding("a.md", line, "teh", "not in the dictionary") for line in (9, 3, 5)]
    links = [MissingLink("a.md", line, "Gone", "gone") for line in (2, 4, 6, 8)]
    text = render_repairs_section([], findings, links, templates, limit=2)
    assert "| [a.md](../notes/a.md) | 5 | `teh` | not in the dictionary |\n\n…and 1 more, listed in `report.json`" in text
    assert "| 9 |" not in text
    assert "| [a.md](../notes/a.md) | 4 | gone | `Gone` |\n\n…and 2 more, listed in `report.json`" in text
    assert "more, listed" not in render_repairs_section([], findings, links, templates, limit=4)


def test_wanted_notes_count_links_and_notes_by_name_most_linked_first() -> None:
    from handbook.links import MissingLink
    from handbook.pages import WantedNote, wanted_notes

    links = [
        MissingLink("a.md", 1, "Vault", "v"), MissingLink("a.md", 2, "glacier#Tiers", "g"),
        MissingLink("b.md", 3, "Glacier", "G"), MissingLink("b.md", 4, "Glacier", "G"), MissingLink("c.md", 5, "Arch", "a"),
    ]
    assert wanted_notes(links) == [
        WantedNote("glacier", 3, 2), WantedNote("Arch", 1, 1), WantedNote("Vault", 1, 1),
    ]
    templates = Path(__file__).resolve().parents[1] / "templates"
    from handbook.pages import render_repairs_section

    text = render_repairs_section([], [], links, templates)
    assert "| Wanted note | Links | From notes |\n| --- | ---: | ---: |\n| `glacier` | 3 | 2 |\n| `Arch` | 1 | 1 |\n" in text
    assert "Wanted note" not in render_repairs_section([], [], [], templates)


def test_the_report_page_tells_apart_notes_with_the_same_title(tmp_path) -> None:
    from handbook.pages import NoteView, render_report_page

    views = [NoteView(f"{name}.md", "Shared Security Responsibility Model", f"notes/{name}.md", "", "x\n", 1, 2, (), ())
             for name in ("002", "003")]
    text = render_report_page(views, (), [], Path(__file__).resolve().parents[1] / "templates").content
    assert "| [Shared Security Responsibility Model (002)](../notes/002.md) | 1 | 2 |" in text
    assert "| [Shared Security Responsibility Model (003)](../notes/003.md) | 1 | 2 |" in text


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("1. Security", "1.\u00a0Security"),  # a no-break space: no numbered list starts
        ("2) Compute", "2)\u00a0Compute"),
        ("- drafts", "-\u00a0drafts"),
        ("_general", "_general"),  # no closing underscore: no emphasis, so no escape
        ("5. Storage _ Database", "5.\u00a0Storage _ Database"),
        ("Q&A <old>", "Q&amp;A ‹old›"),
        ("#archive", "\u200b#archive"),  # a heading otherwise: a zero-width space before it starts none
        ("> quotes", "› quotes"),  # angle brackets become ‹ › in every title
        ("*draft*", "&#42;draft&#42;"),  # emphasis otherwise: character references, which literate-nav leaves
        ("_under_score_", "&#95;under&#95;score&#95;"),
        ("`code`", "&#96;code&#96;"),
    ],
)
def test_a_folder_name_as_a_navigation_section_needs_no_escape_where_it_reads_back(name: str, label: str) -> None:
    from handbook.templating import nav_section_label

    assert nav_section_label(name) == label


def test_the_notes_navigation_lists_folders_and_notes_in_a_file_explorers_order() -> None:
    from handbook.pages import NoteView, notes_nav

    paths = ("README.md", "10. Other/Other.md", "2. Compute/EC2.md", "2. Compute/_general/EBS.md")
    views = [NoteView(p, p.rsplit("/", 1)[-1][:-3], f"notes/{p}", "", "x\n", 1, 2, (), ()) for p in paths]
    assert notes_nav(views) == (
        "* [Source notes](index.md)\n"
        "* 2.\u00a0Compute\n"
        "    * _general\n"
        "        * [EBS](2. Compute/_general/EBS.md)\n"
        "    * [EC2](2. Compute/EC2.md)\n"
        "* 10.\u00a0Other\n"
        "    * [Other](10. Other/Other.md)\n"
        "* [README](README.md)\n"
    )


def test_the_report_page_separates_thousands_in_its_counts() -> None:
    from handbook.pages import NoteView, render_report_page

    views = [NoteView("n.md", "Note", "notes/n.md", "", "x\n", 1204, 48213, (), ())]
    text = render_report_page(views, (("input blocks", 19808), ("notes read", 1)), [],
                              Path(__file__).resolve().parents[1] / "templates").content
    assert "| input blocks | 19,808 |" in text and "| notes read | 1 |" in text
    assert "| [Note](../notes/n.md) | 1,204 | 48,213 |" in text


def test_wanted_notes_take_names_that_differ_only_in_accent_encoding_for_one_note() -> None:
    import unicodedata

    from handbook.links import MissingLink
    from handbook.pages import WantedNote, wanted_notes

    composed, decomposed = unicodedata.normalize("NFC", "Café"), unicodedata.normalize("NFD", "Café")
    links = [MissingLink("a.md", 1, composed, "c"), MissingLink("b.md", 2, decomposed, "c")]
    assert wanted_notes(links) == [WantedNote(composed, 2, 2)]
