"""Obsidian's math (handbook.normalise.obsidian.math): TeX between dollars becomes MathML on the page."""

from __future__ import annotations

from pathlib import Path

import pytest

from handbook.normalise.lexer import lex
from handbook.normalise.pipeline import find_suspicious_words
from tests.conftest import body, context, mkdocs_markdown, norm, raw
from tests.test_normalise_properties import assert_idempotent

FRACTION = ('<span><math display="inline"><mrow><mfrac><mrow><mtext>TP</mtext></mrow><mrow><mtext>TP</mtext>'
            '<mo>&#43;</mo><mtext>FN</mtext></mrow></mfrac></mrow></math></span>')


def test_inline_math_becomes_mathml_and_stays_in_its_paragraph(tmp_path: Path) -> None:
    # Python-Markdown reads `<math>` first on a line as a block of raw HTML: inside a span it stays inline.
    note = norm("# T\n\n$\\frac{\\text{TP}}{\\text{TP}+\\text{FN}}$ is **recall**.\n")
    assert body(note) == FRACTION + " is **recall**.\n"
    assert [(r.line, r.rule, r.before, r.after) for r in note.repairs] == [
        (3, "obsidian-math", "$\\frac{\\text{TP}}{\\text{TP}+\\text{FN}}$", "(shown as a formula, in MathML)")]
    page = mkdocs_markdown(tmp_path).convert(note.markdown)
    assert f"<p>{FRACTION} is <strong>recall</strong>.</p>" in page


def test_display_math_over_lines_becomes_one_block_of_mathml_and_the_text_after_it_stays(tmp_path: Path) -> None:
    note = norm("# T\n\n$$\nF_1 = \\frac{2}{a + b}\n$$\nwhere a is precision.\n")
    assert body(note).startswith('<span><math display="block"><mrow><msub><mi>F</mi><mn>1</mn></msub>')
    assert body(note).endswith("</math></span><br>\nwhere a is precision.\n")
    assert [r.rule for r in note.repairs] == ["obsidian-math", "obsidian-line-break"]
    assert '<p><span><math display="block">' in mkdocs_markdown(tmp_path).convert(note.markdown)


@pytest.mark.parametrize("text", [
    "It costs $5 and $10 a month.",  # a closing `$` after a blank
    "Between $5-$10 a month.",  # a closing `$` before a digit
    "Price: $$",  # display math that nothing closes
    "Price: $ 5 $",  # an opening `$` before a blank
    "Write \\$x$ for a dollar.",  # an escaped dollar opens nothing
    "In code: `$x$`.",  # code stays code
])
def test_dollars_that_open_no_math_stay_as_written(text: str) -> None:
    note = norm(f"# T\n\n{text}\n")
    assert "obsidian-math" not in {r.rule for r in note.repairs}
    assert "<math" not in note.markdown


def test_markdown_characters_in_a_formula_are_character_references(tmp_path: Path) -> None:
    # `*`, `_` and `[` in a formula's text would be emphasis or a link to Python-Markdown.
    note = norm("# T\n\nSee $a * b * \\text{[x](y)}$ here.\n")
    paragraph = mkdocs_markdown(tmp_path).convert(note.markdown).split("</h1>")[1]
    assert "<em>" not in paragraph and "<a " not in paragraph
    assert "<mo>&#42;</mo>" in paragraph and "<mtext>&#91;x&#93;&#40;y&#41;</mtext>" in paragraph


def test_mathml_a_note_writes_is_cleaned_and_a_formulas_link_is_dropped() -> None:
    note = norm('# T\n\nA <math><mi onclick="x()">a</mi><script>alert(1)</script></math> and '
                "$\\href{javascript:alert(1)}{b}$.\n")
    assert "onclick" not in note.markdown and "<script" not in note.markdown
    assert "javascript" not in note.markdown and "href" not in note.markdown
    assert "<span><math><mi>a</mi></math></span>" in note.markdown
    assert ("html-sanitised", '<math><mi onclick="x()">a</mi><script>alert(1)</script></math>') in [
        (r.rule, r.before) for r in note.repairs]


def test_tex_that_cannot_be_read_is_shown_as_written_as_code_and_reported(tmp_path: Path) -> None:
    # As text, Python-Markdown would read Markdown in it: `{b}` after bold would become its attributes, and go.
    text = "# T\n\nA power of nothing: $x^$ here, and $**a**{b}_$.\n"
    note = norm(text)
    assert body(note) == "A power of nothing: `$x^$` here, and `$**a**{b}_$`.\n"
    assert "<code>$**a**{b}_$</code>" in mkdocs_markdown(tmp_path).convert(note.markdown)
    findings = find_suspicious_words(raw(text), context())
    assert [(f.line, f.word, f.reason) for f in findings] == [
        (3, "$x^$", "math whose TeX cannot be read: shown as written, as code"),
        (3, "$**a**{b}_$", "math whose TeX cannot be read: shown as written, as code")]


def test_math_in_a_paragraph_that_becomes_an_html_block_keeps_its_formula() -> None:
    # A hard break first makes the paragraph start with `<br>`: read again as an HTML block, nh3 dropped the MathML.
    note = norm("# T\n\n\\\n$x_1$\n")
    assert body(note) == ('<div>\n<br>\n<span><math display="inline"><mrow><msub><mi>x</mi><mn>1</mn></msub></mrow>'
                          "</math></span>\n</div>\n")


def test_the_lexer_keeps_math_whole_so_that_no_prose_rule_reads_it() -> None:
    assert [(s.kind, s.text) for s in lex("a $x_1 teh$ b <span><math><mi>y</mi></math></span>")] == [
        ("prose", "a "), ("math", "$x_1 teh$"), ("prose", " b "), ("math", "<span><math><mi>y</mi></math></span>")]


@pytest.mark.parametrize("text", [
    "$x$ first, $$y$$ and\n$$\nz\n$$\nlast",
    "| a | b |\n|---|---|\n| $x$ | $|y|$ |",
    "# Heading $x^2$\n\n- item $a_1$\n- $$b$$",
    "A <math><mi>*</mi></math> and <span>b <math><mi>c</mi></math></span>",
    "$$# $$$x_1 *y*$ and $$\n$$",  # math right after math; `$$` on two lines is empty, shown as written
    "$a $b$ c$",  # the dollars around converted math do not pair on the next reading
    "[r]$[r]: x.md$\n\n[r]: x.md",  # a reference inside math is none
    "$`x^$ and $$\na^\n$$",  # TeX that cannot be read, as code
])
def test_math_settles_in_one_pass(text: str) -> None:
    assert_idempotent(text)
