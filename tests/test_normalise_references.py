"""Reference-style links are written inline, so that a block keeps its link on whatever page it is merged into."""

from __future__ import annotations

from pathlib import Path

import markdown
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handbook.model import RawNote
from handbook.normalise import normalise_note, normalise_text
from handbook.normalise.registry import REFERENCE_INLINED
from tests.conftest import body, context, html, norm, render_notes

DATA = Path(__file__).resolve().parents[1] / "data"


def inlined(note) -> list[tuple[int, str, str]]:
    """(line, before, after) of the note's reference-inlined repairs."""
    return [(r.line, r.before, r.after) for r in note.repairs if r.rule == REFERENCE_INLINED.id]


def test_full_collapsed_shortcut_and_image_references_become_inline_links_and_their_definitions_go():
    text = ("# T\n\nSee [the guide][g], [AWS Docs][], [aws docs] and ![diagram][img].\n\n"
            "[g]: https://aws.amazon.com/compliance/ \"Compliance\"\n[AWS docs]: <https://docs.aws.amazon.com/>\n"
            "[img]: https://example.com/model.png\n")
    note = norm(text)
    assert body(note) == (
        'See [the guide](https://aws.amazon.com/compliance/ "Compliance"), [AWS Docs](<https://docs.aws.amazon.com/>), '
        "[aws docs](<https://docs.aws.amazon.com/>) and ![diagram](https://example.com/model.png).\n")
    assert inlined(note) == [
        (3, "See [the guide][g], [AWS Docs][], [aws docs] and ![diagram][img].",
         'See [the guide](https://aws.amazon.com/compliance/ "Compliance"), [AWS Docs](<https://docs.aws.amazon.com/>), '
         "[aws docs](<https://docs.aws.amazon.com/>) and ![diagram](https://example.com/model.png)."),
        (5, '[g]: https://aws.amazon.com/compliance/ "Compliance"', "(written into the links that use it)"),
        (6, "[AWS docs]: <https://docs.aws.amazon.com/>", "(written into the links that use it)"),
        (7, "[img]: https://example.com/model.png", "(written into the links that use it)"),
    ]
    # Python-Markdown shows the same links as it did with the definitions.
    assert html(note.markdown) == html(text)


def test_a_label_and_colon_under_a_line_of_text_is_a_reference_not_a_definition():
    # A definition cannot interrupt a paragraph: under a line of text, `[docs]: below` links "docs" in
    # CommonMark, where Python-Markdown took the line away as a second definition of the label.
    note = norm("# T\n\nRead this\n[docs]: below\n\n[docs]: https://docs.aws.amazon.com/\n")
    assert body(note) == "Read this<br>\n[docs](https://docs.aws.amazon.com/): below\n"
    assert norm(note.markdown).repairs == ()


def test_a_reference_in_a_heading_a_list_a_quote_and_a_table_is_written_inline_too():
    note = norm("# T\n\n## About [S3][s]\n\n- item [S3][s]\n\n> quoted [S3][s]\n\n| a | b |\n|---|---|\n| [S3][s] | x |\n\n"
                "[s]: https://aws.amazon.com/s3/\n")
    assert body(note) == (
        "## About [S3](https://aws.amazon.com/s3/)\n\n- item [S3](https://aws.amazon.com/s3/)\n\n"
        "> quoted [S3](https://aws.amazon.com/s3/)\n\n| a | b |\n|---|---|\n| [S3](https://aws.amazon.com/s3/) | x |\n")
    assert [line for line, *_ in inlined(note)] == [3, 5, 7, 11, 13]
    assert note.sections[1].heading == "## About [S3](https://aws.amazon.com/s3/)"


def test_brackets_in_code_and_labels_nothing_defines_stay_as_written_and_an_unused_definition_stays():
    note = norm("# T\n\nRun `[a][s]` or [x] and [y][z].\n\n```\n[a][s]\n```\n\n[s]: https://aws.amazon.com/s3/\n")
    assert body(note) == "Run `[a][s]` or [x] and [y][z].\n\n```\n[a][s]\n```\n\n[s]: https://aws.amazon.com/s3/\n"
    assert inlined(note) == []


def test_a_block_the_rewrite_cannot_place_stays_as_written_and_every_definition_stays():
    # An escaped bracket in a label: markdown-it reads a link that the rewrite does not find, so the block
    # would read differently; it is left whole, and the definitions stay for it.
    text = "# T\n\nSee [a\\]b] and [the guide][g].\n\nAlso [the guide][g].\n\n[a\\]b]: https://one.example\n[g]: https://two.example\n"
    note = norm(text)
    assert body(note) == ("See [a\\]b] and [the guide][g].\n\nAlso [the guide](https://two.example).\n\n"
                          "[a\\]b]: https://one.example\n[g]: https://two.example\n")
    assert inlined(note) == [(5, "Also [the guide][g].", "Also [the guide](https://two.example).")]


def test_a_footnote_is_never_taken_for_a_reference():
    note = norm("# T\n\nPatching is yours[^1], see [docs].\n\n[^1]: For EC2.\n\n[docs]: https://docs.aws.amazon.com/\n")
    assert body(note) == "Patching is yours[^1], see [docs](https://docs.aws.amazon.com/).\n\n[^1]: For EC2.\n"


def test_a_reference_to_a_note_becomes_a_note_link_and_normalising_again_changes_nothing():
    ctx = context()
    once, _ = normalise_text("# T\n\nSee [the S3 note][s] and [Plans].\n\n[s]: storage/S3.md#Buckets\n[Plans]: Plans.md\n",
                             ctx, "team/a.md")
    assert once == "# T\n\nSee [the S3 note](note:team/storage/S3.md#Buckets) and [Plans](note:team/Plans.md).\n"
    assert normalise_text(once, ctx, "team/a.md") == (once, ())


def test_a_dollar_or_backtick_in_a_note_target_is_written_encoded_so_the_reference_is_inline_at_once():
    # Written as it stood, `$[r](Cost$.md)` would read as a formula where the note has a link; the link rules
    # write the target percent-encoded anyway, so the reference goes inline already encoded.
    ctx = context()
    once, _ = normalise_text("# T\n\nThe $[r] plan and `[c] config.\n\n[r]: Cost$.md\n[c]: <Code`.md>\n", ctx, "a.md")
    assert once == "# T\n\nThe $[r](note:Cost%24.md) plan and \\`[c](note:Code%60.md) config.\n"
    assert normalise_text(once, ctx, "a.md") == (once, ())


def test_a_label_and_colon_under_a_line_of_no_break_spaces_is_a_reference():
    # A line of no-break spaces is text to CommonMark, not a blank line: `[docs]:` under it is paragraph text.
    note = norm("# T\n\nRead\n\u00a0\n[docs]: below\n\n[docs]: https://docs.aws.amazon.com/\n")
    assert body(note) == "Read<br>\n[docs](https://docs.aws.amazon.com/): below\n"
    assert norm(note.markdown).repairs == ()


def test_a_target_ending_in_a_backslash_is_written_as_its_url_so_the_inline_link_closes():
    # `](…a\)` would escape the closing parenthesis; CommonMark links the definition to `…a%5C`, as Obsidian
    # does. Two backslashes are one escaped, as they are in the definition.
    note = norm("# T\n\nSee [r] and [s].\n\n[r]: https://example.com/a\\\n[s]: https://example.com/b\\\\\n")
    assert body(note) == "See [r](https://example.com/a%5C) and [s](https://example.com/b\\\\).\n"
    assert norm(note.markdown).repairs == ()


def test_a_reference_in_raw_html_that_sanitising_leaves_as_text_is_inline_at_once():
    # Without the script, the line is paragraph text in which the page reads `[r]` as a reference; raw HTML
    # that stays raw HTML keeps its brackets as written (no reference: the definition goes).
    note = norm("# T\n\n<script>x()</script><b>See</b> [r].\n\n<div>[r]</div>\n\n[r]: https://docs.aws.amazon.com/\n")
    assert body(note) == "<b>See</b> [r](https://docs.aws.amazon.com/).\n\n<div>[r]</div>\n"
    assert inlined(note) == [(3, "<script>x()</script><b>See</b> [r].",
                              "<script>x()</script><b>See</b> [r](https://docs.aws.amazon.com/)."),
                             (7, "[r]: https://docs.aws.amazon.com/", "(written into the links that use it)")]
    assert norm(note.markdown).repairs == ()


def test_a_reference_in_raw_html_in_a_list_or_quote_that_sanitising_leaves_as_text_is_inline_at_once():
    for marker in ("- ", "> ", "> - "):
        note = norm(f"# T\n\n{marker}<script>x()</script><b>See</b> [r].\n\n[r]: https://docs.aws.amazon.com/\n")
        assert body(note) == f"{marker}<b>See</b> [r](https://docs.aws.amazon.com/).\n"
        assert norm(note.markdown).repairs == ()


def test_a_shortcut_reference_right_before_a_wikilink_is_inline_at_once():
    # Obsidian reads a wikilink before Markdown, so `[r][[Plans]]` is the reference `[r]` and a link to Plans;
    # read as `[r][` and a label, the reference went inline only when the wikilink had become `[Plans](…)`.
    ctx = context()
    once, _ = normalise_text("# T\n\nSee [r][[Plans]] now.\n\n[r]: https://docs.aws.amazon.com/\n", ctx, "a.md")
    assert once == "# T\n\nSee [r](https://docs.aws.amazon.com/)[Plans](note:Plans) now.\n"
    assert normalise_text(once, ctx, "a.md") == (once, ())


def test_a_merged_block_keeps_its_link_on_the_topic_page_and_a_missing_note_is_marked_there():

    texts = {
        "a.md": "# Notes\n\n## Physical security\n\nAWS controls physical access to data centers, see [the guide][g] "
                "and [the plans][p].\n\n## Odds and ends\n\nThe [S3 note][s] says more.\n\n"
                "[g]: https://aws.amazon.com/compliance/\n[p]: Plans.md\n[s]: S3.md\n",
        "S3.md": "# S3\n\nBuckets hold objects.\n",
    }
    ctx = context()
    notes = [normalise_note(RawNote(path, text, len(text)), ctx) for path, text in texts.items()]
    site = render_notes(notes, texts, DATA)
    pages = {page.path: page.content for page in site.pages}
    topic = pages["topics/physical-security.md"]
    assert "see [the guide](https://aws.amazon.com/compliance/) and <span class=\"handbook-missing-link\"" in topic
    assert "][" not in topic
    assert "The [S3 note](s3.md) says more." in pages["other/a.md"]
    assert [(link.note, link.line, link.target) for link in site.missing_links] == [("a.md", 5, "Plans.md")]


_SECTIONS = ["## Physical security\n\nGuards check visitors at the door, see {ref}.",
             "## Encryption\n\nCustomers rotate their KMS keys every year, see {ref}.",
             "- An item about patching the guest OS, see {ref}\n- another item",
             "> Quoted about compliance reports, see {ref}.", "| Layer | Owner |\n| --- | --- |\n| Facilities {ref} | AWS |"]
_REFERENCES = {"[the guide][g]": "g", "[g]": "g", "[G][]": "g", "[the S3 note][s]": "s", "![diagram][img]": "img"}
_DEFINITIONS = {"[g]: https://aws.amazon.com/compliance/ \"Compliance\"": "g", "[s]: S3.md": "s",
                "[img]: https://example.com/model.png": "img", "- [g]: https://aws.amazon.com/compliance/": "g",
                "> [s]: S3.md": "s"}


@settings(max_examples=20, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(_SECTIONS), st.sampled_from(sorted(_REFERENCES))), min_size=1, max_size=4),
       st.lists(st.sampled_from(sorted(_DEFINITIONS)), max_size=4), st.booleans())
def test_a_reference_to_a_defined_label_is_a_link_on_every_page_its_block_goes_to(sections, definitions, own_section):
    """Wherever the definition is written (after the text, in a list or quote, in a section of its own)."""

    body = "\n\n".join(section.format(ref=ref) for section, ref in sections)
    texts = {"a.md": f"# Notes\n\n{body}\n\n{'## Links' if own_section else ''}\n\n" + "\n\n".join(definitions) + "\n",
             "S3.md": "# S3\n\nBuckets hold objects.\n"}
    notes = [normalise_note(RawNote(path, text, len(text)), context()) for path, text in texts.items()]
    site = render_notes(notes, texts, DATA)
    defined = {_DEFINITIONS[definition] for definition in definitions}
    for page in site.pages:
        if page.path.startswith(("topics/", "other/", "notes/")) and isinstance(page.content, str):
            shown = markdown.markdown(page.content.split("## Repairs")[0], extensions=["attr_list", "md_in_html", "tables"])
            assert [ref for _, ref in sections if _REFERENCES[ref] in defined and ref in shown] == [], page.path
