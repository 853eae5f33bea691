"""HTML `<details>` elements: one folded admonition each, where they stood, whole, safe and stable."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from handbook.normalise.catalogue import REPAIR_RULES
from handbook.normalise.details import summary_title
from handbook.normalise.parse import PARSER, Parses
from tests.conftest import body, copy_project, html, mkdocs_markdown, norm, rules, run_build, unaccounted_words
from tests.golden import assert_golden
from tests.test_linear_cost import alarm

QUESTION = """### Question {n}

Which service {asks}?

- A. {wrong}
- B. {right}

<details>
<summary>Answer</summary>

Correct answer: B

{why}
</details>
"""
QUIZ = "# Quiz\n\n" + "\n".join([
    QUESTION.format(n=1, asks="gives cost recommendations", wrong="Amazon EC2", right="AWS Trusted Advisor",
                    why="Trusted Advisor checks cost, security and limits."),
    QUESTION.format(n=2, asks="records API calls", wrong="AWS Config", right="AWS CloudTrail",
                    why="CloudTrail records every API call.").replace(
        "<details>\n<summary>Answer</summary>\n", "<details><summary>Answer</summary>"),
])

CASES = {
    "quiz": QUIZ,
    "nested": "# T\n\n<details open>\n<summary>Outer</summary>\n\nOne.\n\n<details>\n<summary>Inner</summary>\n\n"
              "Deep.\n</details>\n\nAfter inner.\n</details>\n\nAfter.\n",
    "list item": "# T\n\n1. Which?\n   - A. x\n   - B. y\n\n   <details>\n   <summary>Answer</summary>\n\n"
                 "   Correct: B\n\n   Because.\n   </details>\n2. Next\n",
    "fence": "# T\n\n<details><summary>Code</summary>\n\n```html\n</details>\n<script>x</script>\n```\n\nEnd.\n</details>\n",
    "fence on the opener's line": "# T\n\n<details><summary>S</summary>```py\n</details>\n```\n</details>\n\nAfter.\n",
    "quote": "# T\n\n> <details>\n> <summary>In a quote</summary>\n>\n> Quoted answer.\n> </details>\n",
    "callout": "# T\n\n> [!question] Q\n> <details><summary>Ans</summary>\n>\n> In a callout.\n> </details>\n",
    "one line": "# T\n\n<details><summary>Answer</summary>B. Trusted Advisor</details>\n\nNext.\n",
    "closer after text": "# T\n\n<details>\n<summary>A</summary>\n\nCorrect: B\nBecause.</details>\nNext line\n",
    "unclosed": "# T\n\n## Q1\n\n<details>\n<summary>Answer</summary>\n\nB is right.\n\n## Q2\n\nText.\n\n</details>\n",
    "no summary": "# T\n\n<details>\n\nHidden.\n\n</details>\n",
    "odd title": '# T\n\n<details><summary>Say "hi" <b>now</b> *x* ==m== {a} A&amp;B &lt;t&gt;</summary>\n\nB\n</details>\n',
}


TAG_WORDS = {"details", "summary", "open", "b"}  # the markup's own words, which the admonition writes another way


def admonitions(note) -> list[tuple[str, str, int, int]]:
    """(section title, first line, source line, depth) of each admonition block."""
    return [(s.title, b.markdown.split("\n", 1)[0], b.source.line, b.depth)
            for s in note.sections for b in s.blocks if b.kind == "admonition"]


@pytest.mark.parametrize("text", CASES.values(), ids=CASES.keys())
def test_normalising_twice_changes_nothing_and_no_word_is_lost(text: str):
    note = norm(text)
    assert norm(note.markdown).markdown == note.markdown
    shown = html(body(note))
    assert "<details" not in note.markdown.lower() and shown.count("<details") == shown.count("</details>")
    assert set(unaccounted_words(text, note)) <= TAG_WORDS


def test_each_answer_is_one_folded_admonition_right_after_its_own_options():
    note = norm(QUIZ)
    for section in note.sections[1:]:
        assert [b.kind for b in section.blocks] == ["paragraph", "list_item", "list_item", "admonition"]
    assert admonitions(note) == [("Question 1", '??? note "Answer"', 10, 0), ("Question 2", '??? note "Answer"', 25, 0)]
    answer = note.sections[1].blocks[-1].markdown
    assert answer == '??? note "Answer"\n    Correct answer: B\n\n    Trusted Advisor checks cost, security and limits.'
    assert rules(note).count("details-folded") == 2 and "details-closed" not in rules(note)
    shown = html(body(note))
    assert shown.count("<details") == 2 and "</details>" in shown.split("CloudTrail records")[1]


def test_the_normalised_quiz_is_the_golden_one():
    assert_golden("normalise/details-quiz.md", norm(QUIZ).markdown)


def test_nested_details_fold_inside_each_other_and_an_open_one_stays_open():
    note = norm(CASES["nested"])
    assert body(note) == ('???+ note "Outer"\n    One.\n\n    ??? note "Inner"\n        Deep.\n\n    After inner.'
                          "\n\nAfter.\n")
    shown = html(body(note))
    assert re.search(r'<details class="note" open="open">\s*<summary>Outer</summary>.*<details class="note">\s*'
                     r"<summary>Inner</summary>\s*<p>Deep.</p>\s*</details>\s*<p>After inner.</p>\s*</details>", shown, re.S)


def test_details_in_a_list_item_stay_in_the_item_after_its_options():
    note = norm(CASES["list item"])
    kinds = [(b.kind, b.depth, b.markdown.split("\n", 1)[0]) for b in note.sections[0].blocks]
    assert kinds == [("list_item", 0, "1. Which?"), ("list_item", 1, "- A. x"), ("list_item", 1, "- B. y"),
                     ("admonition", 1, '??? note "Answer"'), ("list_item", 0, "2. Next")]
    shown = html(body(note))
    assert re.search(r"<li>\s*<p>Which\?</p>\s*<ul>.*B\. y</li>\s*</ul>\s*<details class=\"note\">.*Because\.</p>"
                     r"\s*</details>\s*</li>", shown, re.S)


def test_text_an_item_holds_after_a_nested_list_stays_after_it():
    note = norm("# T\n\n- Steps:\n    1. one\n    2. two\n\n    Then check the result.\n- Next\n")
    assert [(b.kind, b.depth) for b in note.sections[0].blocks] == [
        ("list_item", 0), ("list_item", 1), ("list_item", 1), ("paragraph", 1), ("list_item", 0)]
    assert html(body(note)).index("two") < html(body(note)).index("Then check")


def test_a_closer_inside_code_closes_nothing_and_the_code_stays_byte_for_byte():
    note = norm(CASES["fence"])
    assert body(note) == ('??? note "Code"\n    ```html\n    </details>\n    <script>x</script>\n    ```\n\n'
                          "    End.\n")
    assert "details-closed" not in rules(note) and "details-stray" not in rules(note)


def test_raw_html_that_the_closer_ends_keeps_none_of_the_closer():
    # Raw HTML keeps its last line break; read one character past the line the closer cuts, it took the closer's `<`.
    note = norm("# T\n\n<details><summary>S</summary>\n<div>T</div></details>\n\nAfter.\n")
    assert body(note) == '??? note "S"\n    <div>T</div>\n\nAfter.\n'


def test_hostile_html_inside_a_details_element_is_still_sanitised():
    text = ('# T\n\n<details><summary>A <script>alert(1)</script><b onclick="x()">bold</b></summary>\n\n'
            "<script>alert(2)</script>\n\n<img src=x onerror=alert(3) onclick=\"x()\">\n\n"
            '<iframe src="https://example.com"></iframe>\n\n<a href="javascript:alert(4)">j</a> [k](javascript:alert(5))\n'
            "</details>\n")
    note = norm(text)
    shown = html(body(note))
    for bad in ("<script", "alert(", "onclick", "onerror", "<iframe", "javascript:"):
        assert bad not in note.markdown and bad not in shown
    assert '??? note "A bold"' in note.markdown and '<img src="x">' in note.markdown
    assert rules(note).count("html-sanitised") >= 4


@pytest.mark.parametrize("summary, title", [
    ("Answer", "Answer"),
    ('Say "hi"', "Say &quot;hi&quot;"),
    ("<b>Bold</b> and <i>italic</i>", "Bold and italic"),
    ("**Answer** `code` [link](https://example.com)", "Answer code link"),
    ("<script>alert(1)</script>Answer", "Answer"),
    ("A &amp; B &lt;t&gt;", "A &amp; B &lt;t&gt;"),
    ("==m== {a} ~x~ a_b_c", r"\=\=m\=\= \{a\} \~x\~ a\_b\_c"),
    ("Multi\n  line", "Multi line"),
])
def test_a_summary_becomes_a_plain_title_that_shows_as_written(summary: str, title: str):
    assert summary_title(summary) == title


def test_titles_with_quotes_and_markup_show_their_text_on_the_page():
    note = norm(CASES["odd title"])
    header = admonitions(note)[0][1]
    assert header.startswith('??? note "Say &quot;hi&quot; now x ') and header.endswith('"') and header.count('"') == 2
    shown = html(body(note))
    assert '<summary>Say &quot;hi&quot; now x' in shown and "<b>" not in shown and "<strong>" not in shown
    assert "A&amp;B &lt;t&gt;</summary>" in shown


def test_code_that_starts_on_the_openers_line_runs_to_its_fence_and_the_closer_after_it_ends_the_element():
    # The fence was not seen on the opener's line: its closing fence read as an opening one, which hid the
    # element's `</details>`, and the element took the rest of the note into its fold.
    note = norm("# T\n\n<details>```py\nprint(1)\n```\n</details>\n\nAfter.\n")
    assert body(note) == '??? note "Details"\n    ```py\n    print(1)\n    ```\n\nAfter.\n'
    assert "details-closed" not in rules(note) and "details-stray" not in rules(note)


def test_a_details_element_without_a_summary_is_titled_details():
    assert admonitions(norm(CASES["no summary"]))[0][1] == '??? note "Details"'


def test_an_unclosed_details_ends_before_the_next_heading_which_stays_a_section():
    note = norm(CASES["unclosed"])
    assert [s.title for s in note.sections] == ["T", "Q1", "Q2"]
    assert [b.kind for b in note.sections[1].blocks] == ["admonition"]
    assert [b.markdown for b in note.sections[2].blocks] == ["Text."]
    assert rules(note).count("details-closed") == 1 and rules(note).count("details-stray") == 1
    closed = next(r for r in note.repairs if r.rule == "details-closed")
    assert closed.line == 8  # the answer's last line, before the blank line and the heading


def test_an_unclosed_details_at_the_end_of_the_note_takes_the_rest_and_is_logged():
    note = norm("# T\n\n<details>\n<summary>Answer</summary>\n\nB is right.\n\nMore.\n")
    assert body(note) == '??? note "Answer"\n    B is right.\n\n    More.\n'
    assert "details-closed" in rules(note)


def test_a_heading_inside_a_details_element_ends_it_as_a_heading():
    note = norm("# T\n\n<details>\n<summary>A</summary>\n\n## Why\n\nBecause.\n</details>\n")
    assert [s.title for s in note.sections] == ["T", "Why"]
    assert "Because." in note.sections[1].blocks[0].markdown
    assert {"details-closed", "details-stray"} <= set(rules(note))


def test_a_stray_closer_is_dropped_and_logged_and_a_matched_one_is_not_stray():
    note = norm("# T\n\nText.\n\n</details>\n\nMore.\n")
    assert body(note) == "Text.\n\nMore.\n"
    assert [(r.rule, r.line, r.before) for r in note.repairs if r.rule == "details-stray"] == \
        [("details-stray", 5, "</details>")]
    assert "details-stray" not in rules(norm(QUIZ))


def test_text_after_a_closer_on_its_line_stays_as_the_next_block():
    note = norm("# T\n\n<details>\n<summary>A</summary>\n\nB.</details> And then this.\n\nNext.\n")
    assert [b.markdown for b in note.sections[0].blocks] == ['??? note "A"\n    B.', "And then this.", "Next."]


def test_a_definition_on_the_openers_line_is_the_elements_content_and_the_page_builds(tmp_path: Path):
    # After the opener is the element's first line of Markdown: the link definition there moves to the end of the
    # note without the opener (it was written out whole again on every pass), and a footnote definition that
    # starts another is escaped (Python-Markdown failed on the page).
    note = norm("# T\n\nSee [r].\n\n<details><summary>S</summary>[r]: https://docs.aws.amazon.com/\n</details>\n\n"
                "<details>[^1]: [^1]: x\n")
    assert body(note) == ('See [r](https://docs.aws.amazon.com/).\n\n??? note "S"\n\n'
                          '??? note "Details"\n    \\[^1]: \\[^1]: x\n')
    assert ("reference-moved", "[r]: https://docs.aws.amazon.com/") in [(r.rule, r.before) for r in note.repairs]
    assert norm(note.markdown).markdown == note.markdown
    mkdocs_markdown(tmp_path).convert(note.markdown)


def test_an_element_with_no_summary_left_empty_is_dropped_and_logged():
    # Its only content, a link definition, moves to the end of the note: a fold labelled "Details" would hold nothing.
    note = norm("# T\n\nSee [r].\n\n<details>\n[r]: https://docs.aws.amazon.com/\n</details>\n\nAfter.\n")
    assert body(note) == "See [r](https://docs.aws.amazon.com/).\n\nAfter.\n"
    assert [(r.rule, r.line, r.before) for r in note.repairs if r.rule.startswith("details-")] == \
        [("details-empty", 5, "<details>")]
    assert norm("# T\n\n<details></details>\n").markdown == "# T\n"
    # A summary is the note's own words: kept as the fold's title.
    assert body(norm("# T\n\n<details><summary>Answer</summary></details>\n")) == '??? note "Answer"\n'


def test_a_definition_after_a_closer_on_its_line_is_kept():
    # The block after the element starts after the closer; a definition there is the note's like any other.
    note = norm("# T\n\n<details>\nS\n</details>[r]: https://docs.aws.amazon.com/\n\nSee [r].\n")
    assert body(note) == '??? note "Details"\n    S\n\nSee [r](https://docs.aws.amazon.com/).\n'
    assert ("reference-inlined", "[r]: https://docs.aws.amazon.com/") in [(r.rule, r.before) for r in note.repairs]
    # In a list item, it moves to the end of the note, as a definition inside a list item does.
    note = norm("# T\n\n- <details>\n  S\n  </details>[r]: https://docs.aws.amazon.com/\n- See [r].\n")
    assert body(note) == '- ??? note "Details"\n        S\n- See [r](https://docs.aws.amazon.com/).\n'
    assert ("reference-moved", "[r]: https://docs.aws.amazon.com/") in [(r.rule, r.before) for r in note.repairs]
    # The element ends at its own closer: a later one on the line is the next block's text.
    assert body(norm("# T\n\n<details>\nS\n</details>[r]: https://a.b/c</details>\n")).endswith(
        "[r]: https://a.b/c</details>\n")
    assert body(norm("# T\n\n<details>\nS\n</details>[^1]: a footnote\n")) == \
        '??? note "Details"\n    S\n\n\\[^1]: a footnote\n'


def test_a_whole_element_and_more_text_on_one_line_stays_raw_html():
    note = norm("# T\n\n<details><summary>A</summary>B</details> and more\n")
    assert "details-folded" not in rules(note) and "<details><summary>A</summary>B</details>" in note.markdown


def test_the_new_rules_are_declared_for_the_report():
    assert {"details-folded", "details-closed", "details-empty", "details-stray"} <= REPAIR_RULES.keys()


@pytest.mark.parametrize("text", [
    "# T\n\n" + "Para one.\n\n<details>\n<summary>A</summary>\n\nAnswer.\n\nMore answer.\n\n" * 5 + "## End\n\nX.\n",
    "# T\n\n" + "## Q\n\n<details>\n<summary>A</summary>\n\nAnswer.\n\n" * 5,
    "# T\n\n<details>\n\n```\n## not a heading\n\nText\n" + "\n## Q\n\nWords.\n" * 3,
], ids=["paragraphs", "sections", "in code"])
def test_parsing_a_note_in_pieces_reads_details_as_parsing_it_whole_does(text: str):
    pieces = [(t.type, t.map, t.level) for t in Parses().blocks(text)]
    assert pieces == [(t.type, t.map, t.level) for t in PARSER.parse(text)]


@pytest.mark.parametrize("unit", [
    "<details>\n<summary>A</summary>\n\nAnswer.\n\n",
    "## Q\n\n<details>\n<summary>A</summary>\n\nAnswer.\n\n",
    "<details>\n",
    "</details>\n",
    "Para.\n\n<details><summary>s</summary>\n\n",
], ids=["unclosed", "unclosed in sections", "openers", "closers", "after paragraphs"])
def test_many_details_elements_are_normalised_in_time(unit: str):
    text = "# T\n\n" + unit * 4_000
    with alarm(20, f"{unit.splitlines()[0]!r} × 4,000"):
        norm(text)


def test_a_built_site_shows_each_answer_folded_after_its_own_options(tmp_path: Path):
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "Quiz.md").write_text(QUIZ, encoding="utf-8")
    root = copy_project(tmp_path / "project")
    assert run_build(root, notes=notes) == 0  # mkdocs build --strict
    page = (root / "docs" / "handbook" / "other" / "quiz.md").read_text(encoding="utf-8")
    assert "</details>" not in page
    for right, why in (("B. AWS Trusted Advisor", "Trusted Advisor checks"), ("B. AWS CloudTrail", "CloudTrail records")):
        assert re.search(re.escape(f"- {right}") + r'\n\n\?\?\? note "Answer"\n    Correct answer: B\n\n    '
                         + re.escape(why), page)
    built = (root / "site" / "handbook" / "other" / "quiz" / "index.html").read_text(encoding="utf-8")
    folds = re.findall(r"<details class=\"note\">(.*?)</details>", built, re.S)
    assert len(folds) == 2 and "Trusted Advisor checks" in folds[0] and "CloudTrail records" in folds[1]
    assert built.index("AWS Trusted Advisor</li>") < built.index(folds[0]) < built.index("AWS CloudTrail</li>")
