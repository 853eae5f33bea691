"""The normalise stage: one test per thing the issue says it must handle, plus bad input and goldens."""

from __future__ import annotations

import re
import unicodedata
from html import unescape
from pathlib import Path

import markdown
import pytest

from handbook.model import BuildError
from handbook.normalise import (
    decode_note_bytes,
    find_suspicious_words,
    join_blocks,
    load_context,
    normalise_note,
    normalise_text,
)
from tests.conftest import (
    DATA, SEEDS, SITE_EXTENSIONS, body, context, html, mkdocs_markdown, norm, raw, rules, unaccounted_words,
)
from tests.golden import assert_golden

# ---- encoding and whitespace ------------------------------------------------------------------------


def test_bom_crlf_cr_tabs_nbsp_trailing_spaces_and_nfc_are_repaired_and_logged():
    text = "\ufeff# Caf\u0065\u0301\r\n\r\nOne\u00a0word and\ttab.   \rNext line\r\n"
    note = norm(text)
    assert note.markdown == "# Café\n\nOne word and tab.<br>\nNext line\n"
    assert {"byte-order-mark", "line-endings", "unicode-nfc", "non-breaking-space", "tab", "trailing-whitespace"} <= set(rules(note))
    line_endings = next(r for r in note.repairs if r.rule == "line-endings")
    assert line_endings.before == "3 CRLF, 1 CR"


def test_removed_trailing_whitespace_is_shown_in_the_repair():
    note = norm("# T\n\nA short line \t\nA line long enough to be cut at the start.  \n")
    shown = [(r.line, r.before, r.after) for r in note.repairs if r.rule == "trailing-whitespace"]
    assert shown == [
        (3, "A short line\u2420\u21e5", "A short line"),
        (4, "… to be cut at the start.\u2420\u2420", "… to be cut at the start."),
    ]


def test_line_numbers_of_repairs_are_those_of_the_raw_note_with_cr_line_ends():
    note = norm("# T\r\rsecuritu here\r")
    assert [(r.line, r.before) for r in note.repairs if r.rule == "spelling"] == [(3, "securitu")]


def test_invalid_utf8_names_the_line_and_column():
    with pytest.raises(BuildError) as error:
        decode_note_bytes("notes/bad.md", "héllo".encode("utf-8") + b"\xff rest")
    assert error.value.offset == 6
    assert error.value.describe() == "notes/bad.md:1:6: expected UTF-8 text; received the invalid byte 0xff"


def test_binary_file_is_rejected_by_the_decoder():
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
    with pytest.raises(BuildError) as error:
        decode_note_bytes("notes/image.md", png)
    assert error.value.offset == 8
    assert "binary file" in error.value.message


def test_decoder_keeps_a_bom_for_the_normaliser():
    assert decode_note_bytes("a.md", b"\xef\xbb\xbf# T") == "\ufeff# T"


# ---- front matter -----------------------------------------------------------------------------------


def test_front_matter_fields_are_kept_on_the_note_and_removed_from_the_text():
    text = "---\ntitle: IAM basics\ntags: [security, '#iam']\nauthor: Sam\naliases: IAM\ncreated: 2024-11-08\n---\nBody text.\n"
    note = norm(text)
    assert note.title == "IAM basics"
    assert note.markdown == "# IAM basics\n\nBody text.\n"
    assert note.tags == ("iam", "security")
    assert note.aliases == ("IAM",)
    assert note.author == "Sam"
    assert note.meta == (("created", "2024-11-08"),)
    assert note.sections[0].blocks[0].source.line == 8


def test_malformed_front_matter_names_file_and_line():
    text = "---\ntitle: ok\ntags: [a, b\nauthor: x\n---\nBody\n"
    with pytest.raises(BuildError) as error:
        norm(text, path="notes/broken.md")
    assert error.value.path == "notes/broken.md"
    assert error.value.line == 4
    assert error.value.describe().startswith("notes/broken.md:4: front matter: invalid YAML")


def test_front_matter_that_is_not_a_mapping_is_reported():
    with pytest.raises(BuildError) as error:
        norm("---\n- a\n- b\n---\ntext\n", path="n.md")
    assert error.value.describe() == "n.md:2: front matter: expected a mapping of keys to values; received a list"


def test_front_matter_field_of_the_wrong_type_names_its_line():
    with pytest.raises(BuildError) as error:
        norm("---\ntitle: T\ntags:\n  nested: mapping\n---\n", path="n.md")
    assert error.value.line == 3
    assert "tags: expected a list of words" in error.value.message


@pytest.mark.parametrize(("field", "kept"), [
    ("draft: true", ("draft", "true")), ("draft: yes", ("draft", "true")), ('draft: "False"', ("draft", "false")),
    ("publish: Off", ("publish", "false")), ("publish: true", ("publish", "true")), ("draft:", ("draft", "None")),
])
def test_draft_and_publish_fields_are_kept_as_true_or_false(field: str, kept: tuple[str, str]):
    assert norm(f"---\n{field}\n---\n# T\n\nText.\n").meta == (kept,)


def test_a_draft_or_publish_field_that_is_not_yes_or_no_names_its_line():
    with pytest.raises(BuildError) as error:
        norm("---\ntitle: T\ndraft: maybe\n---\n# T\n", path="n.md")
    assert error.value.describe() == "n.md:3: front matter: draft: expected true or false; received 'maybe'"
    with pytest.raises(BuildError) as error:
        norm("---\npublish: [a]\n---\n# T\n", path="n.md")
    assert error.value.describe() == "n.md:2: front matter: publish: expected true or false; received a list"


# ---- headings ----------------------------------------------------------------------------------------


def test_missing_space_after_hashes_is_a_heading_but_a_single_hash_word_is_a_tag():
    note = norm("#organize\n# Title\n##Section\ntext\n###Sub\nmore\n")
    assert note.markdown == "# Title\n\n## Section\n\ntext\n\n### Sub\n\nmore\n"
    assert note.tags == ("organize",)
    assert "heading-space" in rules(note) and "obsidian-tags" in rules(note)


def test_a_no_break_space_after_hashes_is_written_as_a_space_and_makes_a_heading():
    # Copied from a web page, `##\u00a0Section` is no heading to CommonMark, but its author meant one.
    note = norm("# Title\n\n##\u00a0Section\ntext\n\n> ###\u202fQuoted\n")
    assert note.markdown == "# Title\n\n## Section\n\ntext\n\n> ### Quoted\n"
    assert [(r.line, r.rule, r.after) for r in note.repairs] == [
        (3, "heading-space", "## Section"), (6, "heading-space", "> ### Quoted"),
    ]


def test_a_heading_of_more_than_six_hashes_is_a_level_six_heading_outside_code_and_html():
    # An author's outline goes deeper than Markdown: markdown-it reads `####### x` as text, Python-Markdown as a
    # level-six heading that starts with "# ".
    note = norm("# T\n## A\n###### B\ntext\n####### Deep one\n```\n####### code\n```\n<div>\n######## html\n</div>\n")
    # It stays nested under the heading above it, written at level six (here shifted up with the others).
    assert [(s.title, s.level) for s in note.sections] == [("T", 1), ("A", 2), ("B", 3), ("Deep one", 4)]
    assert "####### code" in note.markdown and "######## html" in note.markdown
    assert [(r.line, r.rule, r.before, r.after) for r in note.repairs if r.rule == "heading-depth"] == [
        (5, "heading-depth", "####### Deep one", "###### Deep one")]
    assert "<h4>Deep one</h4>" in html(note.markdown)
    deep = norm("# T\n\n## A\n### B\n#### C\n##### D\n###### E\n####### F\ntext\n######## G\nmore\n")
    assert [(s.title, s.level) for s in deep.sections][-3:] == [("E", 6), ("F", 7), ("G", 8)]
    assert deep.markdown.endswith("###### E\n\n###### F\n\ntext\n\n###### G\n\nmore\n")


def test_a_paragraph_line_that_starts_with_a_hash_stays_text_in_python_markdown():
    # Python-Markdown reads any line that starts with `#` as a heading, even `#5` or a bare run of hashes.
    note = norm("# T\n\nThe list:\n#5 is MFA\n#######\n#(aside)\n")
    rendered = html(note.markdown)
    assert rendered.count("<h") == 1 and "#5 is MFA" in rendered and "#######" in rendered and "#(aside)" in rendered
    assert [r.line for r in note.repairs if r.rule == "block-escape"] == [4, 5, 6]
    assert norm(note.markdown).markdown == note.markdown


@pytest.mark.parametrize(("line", "taken_as"), [
    ("*[see]: below", "<abbr"),  # abbr: a definition taken off the page, marking "see" across it
    ("*[] the [a] term]: x", "<abbr"),  # abbr: a term may be empty or hold brackets
    ('=== "Tab"', "tabbed"),  # pymdownx.tabbed: a tab
    ("[TOC]", 'class="toc"'),  # toc: the page's table of contents
    ("#5 is MFA", '<h1 id="5'),  # a heading
])
def test_a_line_that_obsidian_shows_as_text_stays_text_on_the_site(tmp_path, line: str, taken_as: str):
    note = norm(f"# T\n\nThe note:\n{line}\n\n{line}\n\n- {line}\n")
    rendered = mkdocs_markdown(tmp_path).convert(note.markdown)
    assert unescape(rendered).count(line) == 3, rendered
    assert taken_as not in rendered
    assert norm(note.markdown).markdown == note.markdown


def test_an_abbreviation_term_over_several_lines_stays_text(tmp_path):
    # Python-Markdown reads a term from a line's `*[` across the paragraph's lines to the first `]:` before a
    # backslash, and takes every line it spans off the page.
    note = norm("# T\n\nintro\n*[a term\nrunning on] : its text\nafter\n\n*[kept \\ ]: here\n")
    rendered = unescape(mkdocs_markdown(tmp_path).convert(note.markdown))
    for shown in ("intro", "*[a term", "running on] : its text", "after", "*[kept \\ ]: here"):
        assert shown in rendered
    assert [r.line for r in note.repairs if r.rule == "block-escape"] == [4]
    assert norm(note.markdown).markdown == note.markdown


def test_braces_that_attr_list_would_take_as_attributes_stay_text(tmp_path):
    # attr_list reads braces ending a heading or a table cell, or a paragraph's last line of braces alone, as the
    # element's attributes: "{SSE-S3, SSE-KMS}" vanished from the heading, "{bucket-name}" from the cell.
    text = ("# T\n\n## Options {SSE-S3, SSE-KMS}\n\n| Col | Note |\n| --- | --- |\n| a | Use {bucket-name} |\n"
            "| b | styled {.wide} |\n\nThe policy:\n{ \"Effect\": \"Allow\" }\n\n## Kept {#kept-id}\n\nLast.\n"
            "{: .big }\n")
    note = norm(text)
    rendered = unescape(mkdocs_markdown(tmp_path).convert(note.markdown))
    for shown in ("Options {SSE-S3, SSE-KMS}", "Use {bucket-name}", '{ "Effect": "Allow" }'):
        assert shown in rendered
    # A heading's text shows as written, as it does in Obsidian and on the pages it is merged into.
    assert "Kept {#kept-id}" in rendered and 'class="wide"' in rendered and 'class="big"' in rendered
    assert sorted(r.line for r in note.repairs if r.rule == "attribute-braces") == [3, 7, 11, 13]
    assert norm(note.markdown).markdown == note.markdown


def test_one_title_no_skipped_levels_and_levels_shifted_under_the_title():
    note = norm("# Title\ntext\n# Second top\n#### Deep\n## Back\n")
    assert [line for line in note.markdown.split("\n") if line.startswith("#")] == [
        "# Title", "## Second top", "### Deep", "### Back",
    ]
    assert [(s.title, s.level, s.source.line) for s in note.sections] == [
        ("Title", 1, 1), ("Second top", 2, 3), ("Deep", 3, 4), ("Back", 3, 5),
    ]


def test_title_falls_back_to_first_heading_then_file_name():
    assert norm("### Only heading\ntext\n").markdown == "# Only heading\n\ntext\n"
    note = norm("just text\n", path="folder/my_study-notes.md")
    assert note.title == "My study notes"
    assert note.markdown == "# My study notes\n\njust text\n"


def test_a_note_that_opens_with_a_heading_a_later_one_outranks_is_named_by_its_file():
    note = norm("##### Story -\nA house.\n### Rooms\nSubnets.\n", path="EC2/1. VPC (Virtual private cloud).md")
    assert note.title == "1. VPC (Virtual private cloud)"
    assert [(s.title, s.level) for s in note.sections] == [
        ("1. VPC (Virtual private cloud)", 1), ("Story -", 2), ("Rooms", 2)]
    # No heading outranks the first one: it is the title, as in notes written "##Title" then "###Part".
    assert norm("## Model\ntext\n### Part\n## Other\n", path="0a1b2c3d4e.md").title == "Model"


def test_a_heading_after_the_note_s_first_text_is_a_section_and_the_file_names_the_note():
    note = norm("A role is an identity.\n\n## Policies\nTrust policy.\n", path="Accounts/IAM Roles.md")
    assert note.title == "IAM Roles"
    assert [(s.title, s.level) for s in note.sections] == [("IAM Roles", 1), ("Policies", 2)]
    # A line of tags is no text: the heading after it still names the note.
    assert norm("#concept \n### ARNs\n- Amazon Resource Names\n", path="ARN.md").title == "ARNs"
    # A `#` heading names the note wherever it stands, as before.
    assert norm("Intro.\n\n# Title\ntext\n", path="x.md").title == "Title"


def test_a_note_whose_headings_are_its_sections_is_named_by_its_file_unless_that_says_nothing():
    two_tops = "# What ?\nIndicates the outcome.\n# Five classes\nInformational, successful.\n"
    note = norm(two_tops, path="HTTP/HTTP Response Status Codes.md")
    assert note.title == "HTTP Response Status Codes"
    assert [(s.title, s.level) for s in note.sections] == [
        ("HTTP Response Status Codes", 1), ("What ?", 2), ("Five classes", 2)]
    siblings = "## Model\ntext\n### Part\n## Other\n"
    assert norm(siblings, path="Cloud notes.md").title == "Cloud notes"
    # A hash or "Untitled 3" names nothing: the first heading still names the note.
    assert norm(two_tops, path="000_d8822c3029f94220.txt").title == "What ?"
    assert norm(siblings, path="Untitled 3.md").title == "Model"
    # One `#` heading names the note, as before.
    assert norm("# Compute in the cloud\ntext\n## Pricing\n", path="EC2.md").title == "Compute in the cloud"


@pytest.mark.parametrize("path, says_nothing", [
    ("000_d8822c3029f94220.txt", True), ("team-00/note-00200.md", True), ("Untitled 3.md", True), ("12.md", True),
    ("EC2.md", False), ("2023-10-01.md", False), ("Notes on S3.md", False), ("a1b2c3.md", False),
])
def test_a_file_name_says_nothing_when_it_is_a_hash_a_short_number_or_untitled(path, says_nothing):
    from handbook.normalise.pipeline import _file_says_nothing

    assert _file_says_nothing(path) is says_nothing


@pytest.mark.parametrize("path, title", [
    ("folder/my_study-notes.md", "My study notes"),  # a slug's separators become spaces
    ("AWS IQ & re-Post.md", "AWS IQ & re-Post"),  # a name written in words keeps its hyphens
    ("Billing/AWS Organization - Consolidated Billing.md", "AWS Organization - Consolidated Billing"),
    ("Key-Value Stores.md", "Key-Value Stores"),
    ("notes/  spaced   out .md", "Spaced out"),
])
def test_a_title_from_a_file_name_reads_as_the_name_does(path, title):
    assert norm("just text\n", path=path).title == title


def test_bold_heading_and_setext_heading_are_cleaned():
    note = norm("## **Bold title**\n\nSub\n---\ntext\n")
    assert note.markdown == "# Bold title\n\n## Sub\n\ntext\n"
    assert "heading-emphasis" in rules(note)


# ---- lists -------------------------------------------------------------------------------------------


def test_lists_use_dash_markers_four_space_indents_and_a_blank_line_after_a_paragraph():
    text = "# T\nIntro line\n* one\n\t+ two\n\t\t- three\n* four\n"
    note = norm(text)
    assert body(note) == "Intro line\n\n- one\n    - two\n        - three\n- four\n"
    assert {"list-marker", "list-indent", "list-after-paragraph"} <= set(rules(note))
    rendered = html(note.markdown)
    assert rendered.count("<ul>") == 3 and "<li>four</li>" in rendered


def test_each_list_item_is_a_block_with_its_depth_and_own_text_only():
    note = norm("# T\n- parent\n  continued\n    - child\n- next\n")
    blocks = note.sections[0].blocks
    assert [(b.kind, b.markdown, b.depth, b.source.line) for b in blocks] == [
        ("list_item", "- parent<br>\n    continued", 0, 2),
        ("list_item", "- child", 1, 4),
        ("list_item", "- next", 0, 5),
    ]


def test_deeply_nested_lists_do_not_crash_or_lose_words():
    text = "# Deep\n" + "".join("    " * level + f"- level{level}\n" for level in range(200))
    note = norm(text)
    assert not unaccounted_words(text, note)
    depths = [b.depth for b in note.sections[0].blocks]
    assert max(depths) == 16 and "nesting-limit" in rules(note)
    assert normalise_text(note.markdown, context())[1] == ()


# ---- inline hazards ----------------------------------------------------------------------------------


def test_multiplication_stars_are_escaped_so_they_do_not_become_emphasis():
    note = norm("Staff provide 24*7*365 and `2*3*4` in code\n")
    assert "24\\*7\\*365" in note.markdown and "`2*3*4`" in note.markdown
    assert "<em>" not in html(note.markdown)


def test_double_hyphen_used_as_a_dash_becomes_an_en_dash_but_arrows_stay():
    note = norm("IaaS -- such as EC2, a task--but not [[X]] --> arrow, `a -- b`\n")
    assert "IaaS – such as EC2, a task – but not" in note.markdown
    assert "--> arrow" in note.markdown and "`a -- b`" in note.markdown


def test_snippet_markers_are_escaped_in_prose_and_code_and_shown_as_written():
    note = norm('# T\n\n--8<-- "other.md"\n\nKeep --8<-- [start:part] this line\n\n```\n--8<--\nfile.md\n--8<--\n```\n')
    assert body(note) == (
        ';--8<-- "other.md"\n\nKeep ;--8<-- [start:part] this line\n\n```\n;--8<--\nfile.md\n;--8<--\n```\n'
    )
    assert [(r.line, r.rule, r.before, r.after) for r in note.repairs if r.rule == "snippet-marker"] == [
        (3, "snippet-marker", '--8<-- "other.md"', ';--8<-- "other.md"'),
        (5, "snippet-marker", "Keep --8<-- [start:part] this line", "Keep ;--8<-- [start:part] this line"),
        (8, "snippet-marker", "--8<--", ";--8<--"),
        (10, "snippet-marker", "--8<--", ";--8<--"),
    ]
    page = markdown.markdown(note.markdown, extensions=["pymdownx.snippets", *SITE_EXTENSIONS],
                             extension_configs={"pymdownx.snippets": {"check_paths": True}})
    assert '<p>--8&lt;-- "other.md"</p>' in page and "<p>Keep --8&lt;-- [start:part] this line</p>" in page
    assert "--8&lt;--\nfile.md\n--8&lt;--" in page


def test_a_second_definition_of_a_footnote_is_shown_as_text_instead_of_replacing_the_first():
    # Python-Markdown keeps the last definition of a label, so the first (and a reference inside it) would vanish.
    note = norm("# T\n\nCited[^1].\n\n[^1]: First, see[^2].\n[^1]: Second.\n\n[^2]: Two.\n")
    assert body(note) == "Cited[^1].\n\n[^1]: First, see[^2].<br>\n\\[^1]: Second.\n\n[^2]: Two.\n"
    assert [(r.line, r.rule) for r in note.repairs] == [(6, "footnote-duplicate"), (5, "obsidian-line-break")]
    shown = markdown.markdown(note.markdown, extensions=["footnotes"])
    assert "First, see" in shown and "[^1]: Second." in shown and 'href="#fnref:2"' in shown
    assert norm(note.markdown).repairs == ()


def test_a_second_definition_inside_a_list_item_or_quote_is_shown_as_text_too(tmp_path):
    # Python-Markdown reads `- [^1]: …` as a definition of its own: the last definition of a label wins, so the
    # first one's text vanished from the page.
    note = norm("# T\n\nCited[^1]\n[^1]: First.\n- [^1]: Second.\n\n> [^2]: One[^2].\n> [^2]: Two.\n")
    assert body(note) == ("Cited[^1]\n[^1]: First.\n\n- \\[^1]: Second.\n\n> \\[^2]: Two.\n\n"
                          "[^2]: One[^2].\n")
    assert [(r.line, r.rule) for r in note.repairs if r.rule.startswith("footnote")] == [
        (5, "footnote-duplicate"), (8, "footnote-duplicate")]
    shown = mkdocs_markdown(tmp_path).convert(note.markdown)
    assert all(text in shown for text in ("First.", "[^1]: Second.", "One", "[^2]: Two."))
    assert norm(note.markdown).markdown == note.markdown


def test_a_footnote_definition_at_the_start_of_another_is_shown_as_text():
    # Python-Markdown reads `[^2]: …` as a footnote inside the first: the first is left empty and the second's
    # text is lost (and with the first cited nowhere, the page fails to build).
    note = norm("# T\n\nOne[^1], two[^2].\n\n[^1]: [^2]: Both texts.\n\n- [^3]: [^]: In a list.\n")
    assert body(note) == "One[^1], two[^2].\n\n[^1]: \\[^2]: Both texts.\n\n- \\[^3]: \\[^]: In a list.\n"
    assert [(r.line, r.rule, r.before, r.after) for r in note.repairs] == [
        (5, "footnote-nested", "[^1]: [^2]: Both texts.", "[^1]: \\[^2]: Both texts."),
        (7, "footnote-nested", "- [^3]: [^]: In a list.", "- [^3]: \\[^]: In a list."),
        (7, "footnote-unused", "- [^3]: \\[^]: In a list.", "- \\[^3]: \\[^]: In a list."),
    ]
    shown = markdown.markdown(note.markdown, extensions=["footnotes"])
    assert "[^2]: Both texts." in shown and "[^3]: [^]: In a list." in shown
    assert norm(note.markdown).repairs == ()


def test_a_footnote_definition_after_list_or_quote_markers_at_the_start_of_another_is_shown_as_text(tmp_path):
    # Python-Markdown reads a footnote's text as blocks: `- [^2]: …` is a list whose item begins a footnote of its
    # own, so the item was left empty and its words were lost from the page.
    note = norm("# T\n\nOne[^1], two[^2].\n\n[^1]: - [^2]: In a list.\n\n[^2]: > 1. *[t]: Quoted.\n")
    assert body(note) == "One[^1], two[^2].\n\n[^1]: - \\[^2]: In a list.\n\n[^2]: > 1. \\*[t]: Quoted.\n"
    assert [(r.line, r.rule) for r in note.repairs] == [(5, "footnote-nested"), (7, "footnote-nested")]
    shown = mkdocs_markdown(tmp_path).convert(note.markdown)
    assert "<li>[^2]: In a list.</li>" in shown and "<li>*[t]: Quoted.</li>" in shown
    assert norm(note.markdown).repairs == ()


def test_footnote_rules_read_again_the_lines_an_escaped_definition_turns_from_code_into_text(tmp_path):
    # The indented line was code until the unused definition above it was escaped; unindented under it, its
    # text began with a definition of its own, which the nested rule (run earlier) had never read, and
    # Python-Markdown's footnotes failed on the page.
    note = norm("# T\n\n[^1]: #\n    [^1]: [^1]:\n")
    assert body(note) == "\\[^1]: #<br>\n\\[^1]: \\[^1]:\n"
    assert [(r.line, r.rule) for r in note.repairs if r.rule.startswith("footnote")] == [
        (3, "footnote-unused"), (4, "footnote-nested"), (4, "footnote-unused")]
    shown = mkdocs_markdown(tmp_path).convert(note.markdown)
    assert "<p>[^1]: #<br>\n[^1]: [^1]:</p>" in shown
    assert norm(note.markdown).markdown == note.markdown


def test_a_footnote_definition_after_a_definition_lists_colon_counts_as_one():
    # def_list reads the text after `: ` as blocks: an unused definition there made the page fail to build. The
    # colon is text now (see below), and the definition after it is shown as text all the same.
    note = norm("# T\n\nTerm\n: [^1]: Its text.\n")
    assert body(note) == "Term<br>\n&#58; \\[^1]: Its text.\n"
    assert ("footnote-unused", ": [^1]: Its text.", ": \\[^1]: Its text.") in [
        (r.rule, r.before, r.after) for r in note.repairs]
    assert "[^1]: Its text." in markdown.markdown(note.markdown, extensions=["def_list", "footnotes"])
    assert norm(note.markdown).repairs == ()


def test_a_footnote_nothing_references_is_shown_as_text_and_logged():
    note = norm("# T\n\nCited[^a], and `[^b]` in code.\n\n[^a]: Used.\n\n[^b]: Never used.\n")
    assert body(note) == "Cited[^a], and `[^b]` in code.\n\n[^a]: Used.\n\n\\[^b]: Never used.\n"
    assert [(r.line, r.rule, r.before, r.after) for r in note.repairs if r.rule == "footnote-unused"] == [
        (7, "footnote-unused", "[^b]: Never used.", "\\[^b]: Never used.")
    ]
    assert "<p>[^b]: Never used.</p>" in markdown.markdown(note.markdown, extensions=["footnotes"])


def test_opens_in_a_new_tab_is_removed_from_link_text_as_in_the_real_note():
    line = "known as the\u00a0[**shared responsibility model**(opens in a new tab)](https://aws.amazon.com/x/).\n"
    note = norm(line)
    assert body(note) == "known as the [**shared responsibility model**](https://aws.amazon.com/x/).\n"
    assert "copy-paste-leftover" in rules(note)
    assert '<a href="https://aws.amazon.com/x/"><strong>shared responsibility model</strong></a>' in html(note.markdown)


def test_a_leftover_between_two_words_leaves_them_apart():
    note = norm("Word (opens in a new tab)cloudTrail and link(opens in a new tab)_x and end (opens in a new window).\n")
    assert body(note) == "Word CloudTrail and link_x and end.\n"
    assert norm(note.markdown).markdown == note.markdown


def test_unpaired_stars_against_a_link_are_removed():
    note = norm("See **[the guide](https://example.com) for details\n")
    assert body(note) == "See [the guide](https://example.com) for details\n"
    assert rules(note) == ["title", "stray-emphasis"]


# ---- Obsidian syntax ---------------------------------------------------------------------------------


def test_embeds_find_a_file_whose_name_spells_its_accents_as_letters_plus_marks():
    on_disk = unicodedata.normalize("NFD", "img/Café.png")  # as a Mac may write it
    note = norm("# T\n![[Café.png]] and ![x](img/Café.png)\n", frozenset({on_disk}))
    assert [a.source_path for a in note.assets] == [on_disk, on_disk]
    assert "Image not available" not in note.markdown


def test_embeds_resolve_by_file_name_anywhere_with_size_and_record_an_asset():
    files = frozenset({"img/Diagram One.png", "deep/er/Diagram One.png", "docs/guide.pdf"})
    note = norm("# T\n![[Diagram One.png|800]]\n\nSee ![[guide.pdf]] here\n", files)
    assert note.sections[0].blocks[0].markdown == '![Diagram One.png](asset:img/Diagram%20One.png){ width="800" }'
    assert note.sections[0].blocks[0].kind == "image"
    assert "[guide.pdf](asset:docs/guide.pdf)" in note.markdown
    assert [(a.source_path, a.line) for a in note.assets] == [("img/Diagram One.png", 2), ("docs/guide.pdf", 4)]


def test_missing_embed_is_a_visible_styled_note_never_a_broken_image():
    note = norm("# T\n![[Pasted image 1.png]]\n")
    assert body(note) == "*Image not available: Pasted image 1.png*{ .handbook-missing-image }\n"
    assert rules(note) == ["obsidian-embed-missing"]
    assert '<em class="handbook-missing-image">Image not available: Pasted image 1.png</em>' in html(note.markdown)
    assert "<img" not in html(note.markdown)


def test_markdown_links_into_the_notes_folder_are_resolved_later_and_the_web_is_left_alone():
    files = frozenset({"team/img/Diagram One.png", "guides/setup.pdf"})
    text = (
        "# T\n\nSee [below](#Next%20Steps), [IAM](../iam.md#Roles), [plan](<Plan B.md> \"The plan\"),\n"
        "![diagram](img/Diagram%20One.png), [setup](setup.pdf), [gone](gone.png), [root](/abs/x.md),\n"
        "[web](https://aws.amazon.com/) and [mail](mailto:a@b.c).\n"
    )
    note = norm(text, files, path="team/notes/a.md")
    assert body(note) == (
        "See [below](note:team/notes/a.md#Next%20Steps), [IAM](note:team/iam.md#Roles), "
        "[plan](note:team/notes/Plan%20B.md \"The plan\"),<br>\n"
        "![diagram](asset:team/img/Diagram%20One.png), [setup](asset:guides/setup.pdf), "
        "[gone](note:team/notes/gone.png), [root](note:abs/x.md),<br>\n"
        "[web](https://aws.amazon.com/) and [mail](mailto:a@b.c).\n"
    )
    assert rules(note).count("relative-link") == 7
    assert [(a.source_path, a.line) for a in note.assets] == [("team/img/Diagram One.png", 4), ("guides/setup.pdf", 4)]
    assert normalise_text(note.markdown, context(files), "team/notes/a.md")[1] == ()


def test_reference_definitions_into_the_notes_folder_get_the_urls_inline_links_get():
    note = norm("# T\n\n[a][x], [b][y], [c][z].\n\n[x]:  ../guide.md#Setup  \"Guide\"\n[y]: https://aws.amazon.com/\n[z]: #Next\n",
                path="team/a.md")
    # Each definition gets its URL, and its reference then takes it in (see the reference-inlined tests).
    assert body(note) == '[a](note:guide.md#Setup  "Guide"), [b](https://aws.amazon.com/), [c](note:team/a.md#Next).\n'
    assert [(r.line, r.rule, r.after) for r in note.repairs if r.rule == "relative-link"] == [
        (3, "relative-link", '](note:guide.md#Setup  "Guide")'), (3, "relative-link", "](note:team/a.md#Next)"),
        (5, "relative-link", '[x]: note:guide.md#Setup  "Guide"'), (7, "relative-link", "[z]: note:team/a.md#Next")]
    assert normalise_text(note.markdown, context(), "team/a.md")[1] == ()


def test_a_web_address_in_angle_brackets_is_no_path_in_the_notes_folder():
    note = norm("# T\n\n[a](<https://docs.aws.amazon.com/>), [b](< https://x.y/ >) and [c](<a b.md>).\n")
    assert body(note) == "[a](<https://docs.aws.amazon.com/>), [b](< https://x.y/ >) and [c](note:a%20b.md).\n"
    assert rules(note) == ["relative-link"]


def test_a_link_that_opens_a_note_in_obsidian_links_that_note_on_the_site():
    note = norm("# T\n\nSee [NFS](obsidian://open?vault=My%20Vault&file=EC2%2F2.%20Storage(EBS)%2F1.2%20NFS%20Protocol), "
                "[step](<obsidian://open?vault=V&file=Plan.md%23Step%20two> \"Plan\") and [vault](obsidian://open?vault=V).\n\n"
                "Also [r].\n\n[r]: obsidian://open?vault=V&file=Runbook\n")
    # The vault's name is the author's own; a URI that names no note (it opens a vault) only opens the
    # author's app, and the site links to no such address: it points at its own note.
    assert body(note) == ("See [NFS](note:EC2/2.%20Storage%28EBS%29/1.2%20NFS%20Protocol), "
                          "[step](note:Plan#Step%20two \"Plan\") and [vault](note:note.md).\n\n"
                          "Also [r](note:Runbook).\n")
    assert [(r.line, r.rule) for r in note.repairs if r.rule == "obsidian-uri"] == [
        (3, "obsidian-uri"), (3, "obsidian-uri"), (5, "obsidian-uri"), (7, "obsidian-uri")]
    assert [(r.line, r.before) for r in note.repairs if r.rule == "link-scheme"] == [(3, "](obsidian://open?vault=V)")]
    assert normalise_text(note.markdown, context())[1] == ()


def test_reference_definitions_inside_lists_and_quotes_move_to_the_end_instead_of_vanishing():
    note = norm("# T\n\nSee [the docs][x] and [q][y].\n\n- [x]: https://example.com\n- item\n\n> [y]: ../y.md\n> quoted\n",
                path="team/a.md")
    assert body(note) == "See [the docs](https://example.com) and [q](note:y.md).\n\n- item\n\n> quoted\n"
    assert [(r.line, r.rule) for r in note.repairs if r.rule not in ("empty-list-item", "reference-inlined")] == [
        (3, "relative-link"), (5, "reference-moved"), (8, "reference-moved"), (8, "relative-link")
    ]
    assert '<a href="https://example.com">the docs</a>' in html(note.markdown)
    assert normalise_text(note.markdown, context(), "team/a.md")[1] == ()


def test_a_paragraph_line_that_a_repair_makes_a_table_delimiter_row_stays_text():
    note = norm("# T\n\nOwner | Layer\n\u00a0--|--\n")
    assert body(note) == "Owner | Layer<br>\n\\--|--\n"
    assert "<table>" not in html(note.markdown)
    assert [r.rule for r in note.repairs] == ["non-breaking-space", "block-escape", "obsidian-line-break"]


def test_a_second_definition_of_a_label_inside_a_list_or_quote_is_dropped_and_logged():
    note = norm("# T\n\n[a]: https://one.example\n\n- [a]: https://two.example\n- [b]: https://three.example\n"
                "> [b]: https://four.example\n\nSee [x][a] and [y][b].\n")
    assert body(note) == "See [x](https://one.example) and [y](https://three.example).\n"
    assert [(r.line, r.rule, r.before) for r in note.repairs if r.rule in ("reference-duplicate", "reference-moved")] == [
        (5, "reference-duplicate", "[a]: https://two.example"),
        (6, "reference-moved", "[b]: https://three.example"),
        (7, "reference-duplicate", "[b]: https://four.example"),
    ]


def test_indented_raw_html_inside_a_paragraph_stays_inline():
    note = norm("# T\n\nThe layers are\n    <abbr title=\"Amazon Web Services\">AWS</abbr> and\n    <div>below</div>\n")
    # The first line starts no HTML block (abbr is inline), so it may lose its indent; a div would.
    assert body(note) == 'The layers are<br>\n<abbr title="Amazon Web Services">AWS</abbr> and<br>\n    <div>below</div>\n'
    assert "<p>The layers are" in html(note.markdown) and html(note.markdown).count("<p>") == 1


def test_a_footnote_defined_inside_a_list_item_moves_to_the_end_instead_of_vanishing():
    note = norm("# T\n\nEC2 is the customer's to patch[^1].\n\n- [^1]: https://docs.aws.amazon.com/ec2/\n- item\n")
    # Its text gets the repairs any footnote's does: the bare address becomes a link, as Obsidian shows it.
    assert body(note) == "EC2 is the customer's to patch[^1].\n\n- item\n\n[^1]: <https://docs.aws.amazon.com/ec2/>\n"
    shown = markdown.markdown(note.markdown, extensions=[*SITE_EXTENSIONS, "footnotes"])
    assert '<a class="footnote-ref" href="#fn:1">1</a>' in shown and '<li id="fn:1">' in shown
    assert sorted(r.rule for r in note.repairs if r.rule != "empty-list-item") == ["bare-url", "reference-moved"]


def test_a_footnote_whose_text_is_one_tag_is_sanitised_as_any_footnote_text_is():
    # markdown-it reads `[^1]: <tag>` as a link reference definition, which the build kept as written; to
    # Python-Markdown it is a footnote whose text is raw HTML, and a tag only it reads ran script.
    note = norm("# T\n\nx[^1]\n\n[^1]: <details/open/ontoggle=alert(1)>\n")
    assert body(note) == "x[^1]\n\n[^1]: &lt;details/open/ontoggle=alert(1)>\n"
    assert [r.rule for r in note.repairs] == ["html-sanitised"]
    assert norm(note.markdown).repairs == ()


def test_an_unused_footnote_definition_inside_a_list_item_is_escaped_where_it_stands():
    note = norm("# T\n\n- [^1]: https://docs.aws.amazon.com/ec2/\n- item\n")
    assert body(note) == "- \\[^1]: <https://docs.aws.amazon.com/ec2/>\n- item\n"
    assert [(r.line, r.rule) for r in note.repairs] == [(3, "footnote-unused"), (3, "bare-url")]


def test_the_structure_rule_counts_no_contained_definition_as_a_reference_to_its_own_label():
    from handbook.normalise.log import RepairLog
    from handbook.normalise.parse import Parses
    from handbook.normalise.obsidian.footnotes import escape_unused_footnotes

    # Escaping the quoted definition takes its `[^1]` away; a rule that counted it would leave the
    # first definition to a second run.
    log = RepairLog("n.md")
    assert escape_unused_footnotes.apply("[^1]: top\n\n> [^1]: contained\n\n<div>\n[^2]: raw\n</div>", log, Parses()) == (
        "\\[^1]: top\n\n> \\[^1]: contained\n\n<div>\n[^2]: raw\n</div>"
    )
    assert [(r.line, r.rule) for r in log.repairs] == [(1, "footnote-unused"), (3, "footnote-unused")]


def test_a_kept_definition_escaped_as_unused_gets_the_repairs_text_gets():
    # A reference in the title heading is not shown (the page writes the title), so the definition is unused.
    note = norm("# Shared responsibility[^1]\n\nText.\n\n[^1]:\u00a0https://aws.amazon.com/compliance/\n")
    assert body(note) == "Text.\n\n\\[^1]: <https://aws.amazon.com/compliance/>\n"
    assert [(r.line, r.rule) for r in note.repairs] == [(5, "footnote-unused"), (5, "non-breaking-space"),
                                                        (5, "bare-url")]


def test_an_unused_definition_inside_a_paragraph_shows_on_a_line_of_its_own():
    # A no-break space is no indent: Obsidian reads the line as the paragraph's second line, so the definition
    # is text; escaped as text once the space is plain, it gets the line break every later line of a paragraph gets.
    note = norm("# T\n\nThe model\n\u00a0[^1]: AWS whitepaper\n")
    assert body(note) == "The model<br>\n\\[^1]: AWS whitepaper\n"
    assert [(r.line, r.rule) for r in note.repairs] == [(4, "non-breaking-space"), (4, "block-escape"),
                                                        (3, "obsidian-line-break")]


def test_a_used_definition_after_a_no_break_space_stays_text():
    # Python-Markdown reads a definition on any line of a paragraph; after a no-break space it reads none, and
    # neither does Obsidian. The reference stays a citation of nothing, as it was.
    for text in ("# T\n\nThe model[^1]\n\u00a0[^1]: AWS whitepaper\n", "# T\n\n\u00a0[^1]: [^1]: AWS whitepaper\n"):
        once = norm(text)
        assert "\\[^1]: " in body(once)
        assert norm(once.markdown).markdown == once.markdown


def test_a_definition_over_several_lines_inside_a_list_item_moves_whole():
    note = norm("# T\n\nSee the [guide] and [AWS docs].\n\n- [guide]:\n  https://aws.amazon.com/compliance/\n"
                "  \"Compliance\"\n- [AWS\n  docs]: https://docs.aws.amazon.com/\n")
    assert body(note) == ('See the [guide](https://aws.amazon.com/compliance/ "Compliance") and '
                          "[AWS docs](https://docs.aws.amazon.com/).\n")
    assert [(r.line, r.rule, r.before) for r in note.repairs if r.rule == "reference-moved"] == [
        (5, "reference-moved", "[guide]: https://aws.amazon.com/compliance/ \"Compliance\""),
        (8, "reference-moved", "[AWS docs]: https://docs.aws.amazon.com/"),
    ]
    shown = html(note.markdown)
    assert '<a href="https://aws.amazon.com/compliance/" title="Compliance">guide</a>' in shown
    assert '<a href="https://docs.aws.amazon.com/">AWS docs</a>' in shown


def test_a_no_break_space_before_a_definitions_target_becomes_a_space_so_the_link_works():
    # markdown-it reads the no-break space as part of the target; Python-Markdown reads no definition.
    note = norm("# T\n\nSee the [compliance page].\n\n[compliance page]:\u00a0https://aws.amazon.com/compliance/\n")
    assert body(note) == "See the [compliance page](https://aws.amazon.com/compliance/).\n"
    assert [(r.line, r.rule, r.before, r.after) for r in note.repairs if r.rule == "non-breaking-space"] == [
        (5, "non-breaking-space", "U+00A0", " ")]
    assert '<a href="https://aws.amazon.com/compliance/">compliance page</a>' in html(note.markdown)


def test_a_definition_over_several_lines_is_joined_onto_one_so_python_markdown_finds_its_label():
    note = norm("# T\n\nSee the [AWS docs].\n\n[AWS\ndocs]: https://docs.aws.amazon.com/\n")
    assert body(note) == "See the [AWS docs](https://docs.aws.amazon.com/).\n"
    assert [(r.line, r.rule) for r in note.repairs] == [(3, "reference-inlined"), (5, "reference-joined"),
                                                        (5, "reference-inlined")]
    assert '<a href="https://docs.aws.amazon.com/">AWS docs</a>' in html(note.markdown)


def test_a_table_cell_that_repairs_empty_keeps_its_place():
    note = norm("# T\n\n(opens in a new tab) | Owner\n--- | ---\nS3 bucket policy | (opens in a new tab)\n")
    assert body(note) == "| | Owner\n--- | ---\nS3 bucket policy | |\n"
    shown = html(note.markdown)
    assert "<th></th>\n<th>Owner</th>" in shown and "<td>S3 bucket policy</td>\n<td></td>" in shown


def test_list_items_that_only_look_like_reference_definitions_stay_where_they_are():
    # Words after the target make these paragraph text for markdown-it and Python-Markdown alike.
    text = "# T\n\n- [AWS]: responsible for the hardware\n- [Customer]: responsible for data \"in\" the cloud\n"
    note = norm(text)
    assert body(note) == text.split("\n", 2)[2]
    assert rules(note) == []


def test_paragraph_text_that_would_start_a_paragraph_as_a_reference_definition_stays_text():
    # markdown-it reads both lines as paragraph text (a definition cannot interrupt a paragraph); given
    # a paragraph of their own, as a callout's body or after an image, they would define a link.
    note = norm("# T\n\n> [!note] Links\n> [r]: https://example.com\n\n![a](img.png)\n[s]: https://example.org\n\n"
                "See [x][r] and [y][s].\n", frozenset({"img.png"}))
    assert body(note) == (
        '!!! note "Links"\n    \\[r]: <https://example.com>\n\n![a](asset:img.png)\n\n\\[s]: <https://example.org>\n\n'
        "See [x][r] and [y][s].\n"
    )
    assert [(r.line, r.rule) for r in note.repairs if r.rule == "block-escape"] == [(4, "block-escape"), (7, "block-escape")]
    shown = html(note.markdown)
    # The lines stay text (their addresses are links, as any web address in text is); [x][r] and [y][s] link nothing.
    assert '[r]: <a href="https://example.com">' in shown and '[s]: <a href="https://example.org">' in shown
    assert "See [x][r] and [y][s]." in shown


def test_an_image_sized_the_obsidian_way_gets_a_width_and_height():
    text = ("# T\n\nSee ![the layers|300](img.png) and ![|300x200](img.png){ .wide }, not ![a|b](img.png).\n\n"
            "| Diagram | Note |\n| --- | --- |\n| ![stack\\|640](img.png) | y |\n")
    note = norm(text, frozenset({"img.png"}))
    assert body(note) == (
        'See ![the layers](asset:img.png){ width="300" } and ![](asset:img.png){ width="300" height="200" .wide }, '
        "not ![a|b](asset:img.png).\n\n"
        '| Diagram | Note |\n| --- | --- |\n| ![stack](asset:img.png){ width="640" } | y |\n'
    )
    assert [(r.line, r.before, r.after) for r in note.repairs if r.rule == "obsidian-image-size"] == [
        (3, "![the layers|300](img.png)", '{ width="300" }'),
        (3, "![|300x200](img.png)", '{ width="300" height="200" }'),
        (7, "![stack\\|640](img.png)", '{ width="640" }'),
    ]
    shown = html(note.markdown.replace("asset:", ""))
    assert '<img alt="the layers" src="img.png" width="300" />' in shown
    assert 'height="200"' in shown and 'class="wide"' in shown and 'width="640"' in shown
    assert normalise_text(note.markdown, context(frozenset({"img.png"})))[1] == ()


def test_a_wikilink_to_a_heading_of_its_own_note_names_the_note():
    note = norm("# T\n\nSee [[#Next steps]] and [[#Next steps|below]].\n", path="team/a.md")
    assert body(note) == "See [Next steps](note:team/a.md#Next%20steps) and [below](note:team/a.md#Next%20steps).\n"


def test_the_same_relative_link_in_two_folders_resolves_against_each_note():
    text = "# T\n\nSee [the guide](guide.md) for details.\n"
    first, second = norm(text, path="a/one.md"), norm(text, path="b/two.md")
    assert "(note:a/guide.md)" in first.markdown and "(note:b/guide.md)" in second.markdown


def test_wikilinks_become_note_links_and_note_embeds_are_transclusion_links():
    note = norm("# T\n[[Some Note#My Heading|alias]], [[Other]], [[A#B]] and ![[Included]]\n")
    assert body(note) == (
        "[alias](note:Some%20Note#My%20Heading), [Other](note:Other), [B](note:A#B) and [Included](note:Included)\n"
    )
    assert rules(note).count("obsidian-wikilink") == 3 and "obsidian-transclusion" in rules(note)


def test_wikilinks_with_escaped_pipes_in_tables():
    note = norm("# T\n| a | b |\n|---|---|\n| [[Note\\|shown]] | ![[x.png\\|300]] |\n")
    assert "| [shown](note:Note) | *Image not available: x.png*{ .handbook-missing-image } |" in note.markdown


def test_callouts_become_admonitions_including_foldable_ones():
    note = norm("# T\n> [!warning] Mind this\n> body line\n> - item\n\n> [!faq]- Folded\n> answer\n")
    assert body(note) == '!!! warning "Mind this"\n    body line\n\n    - item\n\n??? question "Folded"\n    answer\n'
    rendered = html(note.markdown)
    assert '<div class="admonition warning">' in rendered and "<details class=\"question\">" in rendered


def test_an_admonition_stays_open_over_blank_lines_as_the_site_reads_it():
    # Python-Markdown keeps indented text after two blank lines in the admonition; read as closed there, the
    # text was taken for indented code (and a callout's code block with two blank lines split on a second pass).
    note = norm('# T\n\n!!! note "D"\n    a\n\n\n    b\n\n\nAfter.\n')
    assert body(note) == '!!! note "D"\n    a\n\n    b\n\nAfter.\n'
    code = norm("# T\n\n> [!note] N\n> ```\n> a\n>\n>\n> b\n> ```\n")
    assert body(code) == '!!! note "N"\n    ```\n    a\n\n\n    b\n    ```\n'
    assert norm(code.markdown).markdown == code.markdown
    assert "a\n\n\nb" in html(code.markdown)


def test_an_admonition_title_keeps_its_text_whatever_it_starts_with(tmp_path):
    # `!!!` before text that names no type kept nothing of it; a folded one's summary starting with `#`
    # became a heading inside the summary, its `#` gone and its id in the page's table of contents.
    note = norm("# T\n\n!!!# 5 steps\n    body\n\n??? note \"#5 step\"\n    more\n\n> [!tip]- #6 tip\n> last\n")
    assert body(note) == ('!!! note "# 5 steps"\n    body\n\n??? note "\\#5 step"\n    more\n\n'
                          '??? tip "\\#6 tip"\n    last\n')
    rendered = mkdocs_markdown(tmp_path).convert(note.markdown)
    assert '<p class="admonition-title"># 5 steps</p>' in rendered
    assert "<summary>#5 step</summary>" in rendered and "<summary>#6 tip</summary>" in rendered
    assert rendered.count("<h1") == 1
    assert normalise_text(note.markdown, context())[1] == ()


def test_an_untitled_callout_keeps_its_type_s_name_as_its_title_and_metadata_is_dropped():
    note = norm("# T\n> [!Resources]\n> - a link\n\n> [!todo]\n> x\n\n> [!tip]\n> y\n\n"
                "> [!note|i:telescope c:e41bde]- Field notes\n> z\n")
    # Obsidian titles an untitled callout with its type's name; Material would say "Note" for both of these.
    assert body(note) == ('!!! note "Resources"\n    - a link\n\n!!! note "Todo"\n    x\n\n!!! tip\n    y\n\n'
                          '??? note "Field notes"\n    z\n')
    assert '<p class="admonition-title">Resources</p>' in html(note.markdown)
    assert normalise_text(note.markdown, context())[1] == ()


def test_inline_tags_are_collected_and_kept_in_prose():
    note = norm("# T\nUse #security/iam here, not C# or #1 or `#code`.\n#organize #concept\n")
    assert note.tags == ("concept", "organize", "security/iam")
    assert body(note) == "Use #security/iam here, not C# or #1 or `#code`.\n"


def test_obsidian_block_ids_are_hidden_and_links_to_blocks_read_as_the_note_name():
    note = norm("# T\nImportant fact. ^fact-1\n\n- item one ^item1\n- item two\n\n^my-list\n\n"
                "Not an id ^x here, nor `code ^y`\n\nSee [[Other#^fact-1]], [[Other#^b|that]] and [[#^item1]].\n")
    assert body(note) == (
        "Important fact.\n\n- item one\n- item two\n\nNot an id ^x here, nor `code ^y`\n\n"
        "See [Other](note:Other#%5Efact-1), [that](note:Other#%5Eb) and [note](note:note.md#%5Eitem1).\n"
    )
    assert [(r.line, r.before) for r in note.repairs if r.rule == "obsidian-block-id"] == [
        (2, "^fact-1"), (4, "^item1"), (7, "^my-list")]
    # Each id travels on the block it names: the last block that starts on or before its line.
    assert [(b.markdown, b.ids) for b in note.sections[0].blocks if b.ids] == [
        ("Important fact.", ("^fact-1",)), ("- item one", ("^item1",)), ("- item two", ("^my-list",))]
    assert norm(note.markdown).markdown == note.markdown


def test_the_title_keeps_its_markup_for_the_links_it_names():
    note = norm("# Keys for [[Vault|the vault]]\ntext\n")
    assert (note.title, note.title_markup) == ("Keys for the vault", "Keys for [the vault](note:Vault)")


@pytest.mark.parametrize(("text", "expected"), [
    ("Fully redundant\nUPS and generators\n", "Fully redundant<br>\nUPS and generators\n"),
    ("Hard break  \nand backslash\\\nend\n", "Hard break<br>\nand backslash<br>\nend\n"),
    ("An escaped \\\\\nstays\n", "An escaped \\\\<br>\nstays\n"),
    ("- item\n  continued\n", "- item<br>\n    continued\n"),
    ("> quoted\n> lines\n", "> quoted<br>\n> lines\n"),
    # Inside a code span the break is a space; a written <br> is not doubled; an image line keeps its own line.
    ("A `code\nspan` here\nnext\n", "A `code\nspan` here<br>\nnext\n"),
    ("Written<br>\nalready\n", "Written<br>\nalready\n"),
    ("Text\n![a](img.png)\nmore\n", "Text\n\n![a](asset:img.png)\n\nmore\n"),
    # Before a line that starts a footnote definition, the line ends the footnote above it.
    ("Cited[^1] and[^2].\n\n[^1]: SOC 2 report,\nsection 3.\n[^2]: KMS guide.\n",
     "Cited[^1] and[^2].\n\n[^1]: SOC 2 report,<br>\nsection 3.\n[^2]: KMS guide.\n"),
])
def test_a_line_break_inside_a_paragraph_shows_as_in_obsidian(text: str, expected: str):
    note = norm("# T\n\n" + text, frozenset({"img.png"}))
    assert body(note) == expected
    assert norm(note.markdown, frozenset({"img.png"})).markdown == note.markdown


def test_a_bare_web_address_becomes_a_link_as_in_obsidian_but_not_inside_link_text_or_code():
    note = norm("# T\n\nSee https://docs.aws.amazon.com/s3/. Or [https://a.b](https://a.b), `https://c.d`, "
                "<https://e.f> and www.g.h\n")
    assert body(note) == ("See <https://docs.aws.amazon.com/s3/>. Or [https://a.b](https://a.b), `https://c.d`, "
                          "<https://e.f> and www.g.h\n")
    assert [(r.line, r.rule, r.before, r.after) for r in note.repairs] == [
        (3, "bare-url", "https://docs.aws.amazon.com/s3/", "<https://docs.aws.amazon.com/s3/>")]
    assert '<a href="https://docs.aws.amazon.com/s3/">' in html(note.markdown)
    assert norm(note.markdown).repairs == ()


def test_each_line_break_is_logged_at_its_line():
    note = norm("# T\n\nFully redundant\nUPS and generators\nand more\n")
    assert [(r.line, r.before, r.after) for r in note.repairs if r.rule == "obsidian-line-break"] == [
        (3, "Fully redundant", "Fully redundant<br>"), (4, "UPS and generators", "UPS and generators<br>")]


def test_lists_of_two_kinds_are_kept_apart_at_the_top_level_where_python_markdown_would_join_them():
    note = norm("# T\n- a\n    - n\n1. b\n\n- c\n")
    assert body(note) == "- a\n    - n\n\n<!-- -->\n\n1. b\n\n<!-- -->\n\n- c\n"
    assert [b.markdown for s in note.sections for b in s.blocks] == ["- a", "- n", "1. b", "- c"]
    # The separator is read back silently; elsewhere an HTML comment is raw HTML as before.
    again = norm(note.markdown)
    assert again.markdown == note.markdown and again.repairs == ()
    assert [r.rule for r in norm("# T\n- a\n\n<!-- -->\n\n- b\n").repairs] == ["html-sanitised"]
    # Inside a callout it would be raw HTML that the next reading removes: the lists stay as written.
    assert "<!--" not in norm("# T\n> [!tip] t\n> - a\n> 1. b\n").markdown


def test_a_block_id_is_taken_off_as_written_never_repaired_as_words():
    note = norm("# T\nA -- dash and securitu. ^a--b\n\nNext one ^securitu ^ec2\n")
    assert body(note) == "A – dash and security.\n\nNext one\n"
    assert [(r.line, r.before) for r in note.repairs if r.rule == "obsidian-block-id"] == [
        (2, "^a--b"), (4, "^securitu ^ec2")]


@pytest.mark.parametrize(("text", "expected", "removed"), [
    ("A `%%x%%` code and %%y%% hidden.\n", "A `%%x%%` code and  hidden.\n", [(2, "%%y%%")]),
    ("A ``a ` %% b`` then %%c%% x\n", "A ``a ` %% b`` then  x\n", [(2, "%%c%%")]),
    ("```\n%%in code%%\n```\nafter %%z%% end\n", "```\n%%in code%%\n```\n\nafter  end\n", [(5, "%%z%%")]),
    ("- item %%note%%\n- two\n", "- item\n- two\n", [(2, "%%note%%")]),
    ("Before\n\n%%\nprivate\nlines\n%%\n\nAfter\n", "Before\n\nAfter\n", [(4, "%%\nprivate\nlines\n%%")]),
    # Left as text, its first `%` an entity so that no later reading pairs it: a marker without a partner, and a
    # comment that would run over a code block.
    ("Open %% only\n", "Open &#37;% only\n", []),
    ("Span %%start\n```\ncode\n```\nend%% x\n", "Span &#37;%start\n\n```\ncode\n```\n\nend&#37;% x\n", []),
    # The marker that would comment out code stays text, and the next two make a comment.
    ("Open %%\n```\ncode\n```\nthen %%c%% x\n", "Open &#37;%\n\n```\ncode\n```\n\nthen  x\n", [(6, "%%c%%")]),
])
def test_obsidian_comments_are_removed_outside_code(text: str, expected: str, removed: list) -> None:
    note = norm("# T\n" + text)
    assert body(note) == expected
    assert [(r.line, r.before) for r in note.repairs if r.rule == "obsidian-comment"] == removed
    assert norm(note.markdown).markdown == note.markdown
    assert "&amp;" not in html(note.markdown)  # the entity shows as `%`


def test_a_marker_left_as_text_never_pairs_with_one_the_layout_brings_near_it():
    # The title moves above the code block, next to the other `%%`: unescaped, a second reading would
    # take the title and that line for one comment.
    note = norm("%%\n\n    # \n%%\n==")
    assert note.markdown == "# &#37;%\n\n&#37;%\n\n```\n# \n```\n"
    assert note.title == "%%"
    assert [r.rule for r in note.repairs].count("comment-marker-escape") == 2
    assert normalise_text(note.markdown, context()) == (note.markdown, ())


def test_a_marker_in_raw_html_that_sanitising_makes_text_is_escaped_as_text_is():
    # Raw HTML keeps a `%%` out of the comment rule; with the comment before it gone, the line is paragraph
    # text, where a second reading would have escaped the marker.
    note = norm("# T\n\n<!-- note --><b>bold</b> 100%%\n")
    assert body(note) == "<b>bold</b> 100&#37;%\n"
    assert [(r.rule, r.before, r.after) for r in note.repairs][-1] == (
        "comment-marker-escape", "<b>bold</b> 100%%", "<b>bold</b> 100&#37;%")
    assert normalise_text(note.markdown, context()) == (note.markdown, ())


# ---- spelling and names ------------------------------------------------------------------------------


def test_seed_misspellings_are_fixed_preserving_case_and_code_is_untouched():
    note = norm("# T\nSecuritu, DEvice and witout, themz in cluding a fire wall; `securitu` http://x.io/securitu\n")
    assert body(note) == "Security, Device and without, them including a firewall; `securitu` <http://x.io/securitu>\n"
    assert {r.rule for r in note.repairs} == {"spelling", "bare-url"}


def test_general_dictionary_fixes_common_misspellings_but_not_abbreviations():
    note = norm("# T\nteh recieve of AWS CAF\n")
    assert body(note) == "the receive of AWS CAF\n"
    assert rules(note) == ["spelling-dictionary", "spelling-dictionary"]


_HINGLISH = ("Jab AWS FSx service deploy karta hai, woh ek hidden instance banata hai jisme ONTAP OS chal raha "
             "hota hai. Isse data har jagah milta hai.")
_SPANISH = ("El paradigma funcional usa funciones puras y transparencia referencial, sin estado mutable ni "
            "efectos secundarios en el programa.")


def test_codespell_fixes_misspellings_in_english_notes_but_not_words_of_notes_in_another_language():
    ctx = context()
    # In Hinglish, "woh" and "isse" are words; in Spanish, "doble" is, even on a line too short to judge alone.
    assert normalise_text(f"# FSx\n\n{_HINGLISH}\n\n- woh\n", ctx)[0] == f"# FSx\n\n{_HINGLISH}\n\n- woh\n"
    assert normalise_text(f"# Comandos\n\n{_SPANISH}\n\n- doble\n", ctx)[0] == f"# Comandos\n\n{_SPANISH}\n\n- doble\n"
    # The same short lines in an English note, with the same context (and its memos), are fixed.
    english, repairs = normalise_text("# Recieve\n\nConnect to instance -> add code -> (moniter workload) -> Stop "
                                      "instance -> check every request that comes in.\n\n- woh\n- doble\n", ctx)
    assert english == ("# Receive\n\nConnect to instance -> add code -> (monitor workload) -> Stop instance -> "
                       "check every request that comes in.\n\n- who\n- double\n")
    assert {r.rule for r in repairs} == {"spelling-dictionary"}


def test_the_team_s_own_corrections_apply_in_any_language(tmp_path: Path):
    ctx = load_context(_data_dir(tmp_path, corrections="corrections:\n  - {wrong: banata, right: banaata}\n"), frozenset())
    once, _ = normalise_text(f"# T\n\n{_HINGLISH}\n", ctx)
    assert "banaata" in once and "woh" in once
    once, _ = normalise_text(f"# T\n\n{_SPANISH} Se banata.\n", ctx)
    assert "banaata" in once and "funcional" in once


@pytest.mark.parametrize("markdown, english", [
    (f"# BGP\n\n{_HINGLISH}", False),
    (f"# Funciones\n\n{_SPANISH} {_SPANISH}", False),
    # AWS names and misspellings are English words; code, link targets and tags say nothing.
    ("# Stack\n\nUse CloudFront, DynamoDB, Lambda, Kinesis, Redshift and Athena together for teh recieving side "
     "of the pipeline, then [docs](https://example.com/xyz/abc/qqq) and `kubectl get pods -n kube-system`.\n\n"
     "```sh\nsudo systemctl restart nginx && journalctl -xeu nginx --no-pager\n```\n<kbd>qwzx</kbd>", True),
    ("VPC NAT IGW SG NACL EIP ENI ALB " * 5, True),  # abbreviations alone: too few words to judge
    ("Jab karta hai woh ek", True),  # too few words to judge
])
def test_a_note_reads_as_english_by_its_share_of_known_words(markdown, english):
    assert context().speller.note_reads_as_english(markdown) is english


def test_words_that_look_wrong_are_reported_not_changed():
    raw_note = raw("# T\nA PArtner typo and a missing.Space here and CloudTrail\n")
    findings = find_suspicious_words(raw_note, context())
    assert [(f.line, f.word) for f in findings] == [(2, "PArtner"), (2, "missing.Space")]
    assert "PArtner" in normalise_note(raw_note, context()).markdown


def test_seed_notes_have_no_suspicious_words_left():
    assert [find_suspicious_words(raw(p.read_text(), p.name), context()) for p in SEEDS] == [()] * len(SEEDS)


def test_service_names_are_canonicalised_once():
    text = (
        "# T\nAmazon Identity and Access Management (IAM), Amazon Identity and Access Management, "
        "AWS Identity and Access Management (IAM), Elastic BeanStalk, cloudTrail, "
        "a virtual private cloud, Virtual Private Cloud\n"
    )
    note = norm(text)
    assert body(note) == (
        "AWS Identity and Access Management (IAM), AWS Identity and Access Management (IAM), "
        "AWS Identity and Access Management (IAM), Elastic Beanstalk, CloudTrail, "
        "a virtual private cloud, Amazon Virtual Private Cloud (Amazon VPC)\n"
    )
    assert "(IAM) (IAM)" not in note.markdown
    assert normalise_text(note.markdown, context())[1] == ()


def test_a_name_spelling_out_the_abbreviation_before_it_is_not_given_the_abbreviation_again():
    note = norm("# T\n\n**EBS (Elastic Block Store)** is a disk; S3 (Simple Storage Service), "
                "Amazon S3 (Amazon Simple Storage Service) and KMS (Key Management Service). "
                "RDS (Elastic Block Store) names another service.\n")
    assert body(note) == (
        "**EBS (Amazon Elastic Block Store)** is a disk; S3 (Amazon Simple Storage Service), "
        "Amazon S3 (Amazon Simple Storage Service) and KMS (AWS Key Management Service). "
        "RDS (Amazon Elastic Block Store (Amazon EBS)) names another service.\n")
    assert normalise_text(note.markdown, context())[1] == ()


# ---- bad input -----------------------------------------------------------------------------------------


def test_empty_note_gets_a_title_and_a_repair():
    note = norm("", path="notes/empty-note.md")
    assert note.markdown == "# Empty note\n"
    assert [s.blocks for s in note.sections] == [()]
    assert "empty-note" in rules(note)


def test_ten_megabyte_note_completes():
    seed = SEEDS[3].read_text()
    text = (seed + "\n") * (10_000_000 // len(seed) + 1)
    note = norm(text)
    assert len(text) >= 10_000_000
    assert note.markdown.count("## Network Security") > 100


def test_template_braces_pass_through_literally():
    note = norm("# T\nUse {{ page.title }} and {% include 'x' %} here\n\n{{ securitu }}\n")
    assert "Use {{ page.title }} and {% include 'x' %} here" in note.markdown
    assert "{{ securitu }}" in note.markdown
    rendered = html(note.markdown)
    assert "{{ page.title }}" in rendered and "{% include 'x' %}" in rendered


def test_script_and_event_handlers_are_sanitised_in_blocks_and_inline():
    text = (
        "# T\n<script>alert(1)</script>\n\nText <img src=x onerror=alert(1)> and <script>bad()</script> end "
        "[x](javascript:alert(1))\n\n<div onclick=\"evil()\">kept <b>bold</b></div>\n"
    )
    note = norm(text)
    assert "<script" not in note.markdown and "onerror" not in note.markdown and "onclick" not in note.markdown
    assert "javascript:" not in note.markdown
    assert '<img src="x">' in note.markdown and "<div>kept <b>bold</b></div>" in note.markdown
    assert rules(note).count("html-sanitised") == 5


def test_a_run_of_backticks_with_no_closing_run_does_not_hide_a_script_as_code():
    # "```" with no closing "```" is text; read as "`" plus "``", it made a code span of the script.
    note = norm("# T\n\n```# `code`\n    <script>x()</script>`code`\n")
    assert "<script" not in note.markdown and "html-sanitised" in rules(note)
    assert "<script" not in markdown.markdown(note.markdown)


def test_a_tag_that_sanitising_makes_is_sanitised_too():
    note = norm("# <<script>x()</script>cloudTrail>\n\nText.\n")
    assert "<" not in note.markdown.split("\n", 1)[0]
    assert normalise_text(note.markdown, context())[1] == ()


def test_braces_holding_a_bare_word_are_text_not_an_attribute_list():
    # attr_list would make `steps` an attribute named steps, and the sanitiser would drop it: text lost.
    note = norm("# T\n\nSee {#5 steps} here.\n\nLast line\n{#id .c word}\n")
    assert body(note) == "See \\{#5 steps} here.\n\nLast line<br>\n\\{#id .c word}\n"
    assert [(r.line, r.before, r.after) for r in note.repairs if r.rule == "attribute-braces"] == [
        (3, "{#5 steps}", "\\{#5 steps}"), (6, "{#id .c word}", "\\{#id .c word}")]
    page = markdown.markdown(note.markdown, extensions=["attr_list"])
    assert "{#5 steps}" in page and "{#id .c word}" in page and 'class="c"' not in page
    assert norm(note.markdown).repairs == ()


def test_braces_right_after_text_stay_text_and_an_attribute_list_there_keeps_to_itself(tmp_path):
    # attr_list reads braces right after an inline element, to the last `}` of the line, as its attributes: the
    # page lost "{y}" after bold text, "{x}" after an address, and, after an image's size, " and {z" as well.
    note = norm("# T\n\nSee **b**{y} and <https://a.example>{x} here.\n\n![i](https://a.example/i.png){ width=\"3\" } "
                "and {z} more.\n")
    assert body(note) == ("See **b**\\{y} and <https://a.example>\\{x} here.\n\n"
                          "![i](https://a.example/i.png){ width=\"3\" } and {z\\} more.\n")
    assert [r.line for r in note.repairs if r.rule == "attribute-braces"] == [3, 3, 5]
    rendered = unescape(mkdocs_markdown(tmp_path).convert(note.markdown))
    assert "<strong>b</strong>{y} and" in rendered and ">https://a.example</a>{x} here" in rendered
    assert 'width="3"' in rendered and " and {z} more." in rendered
    assert norm(note.markdown).repairs == ()


def test_braces_in_the_middle_of_text_are_shown_as_written_not_sanitised_away(tmp_path):
    # "Use tags {Environment=prod} on {Name=web}" lost both: the sanitiser dropped their keys as unsafe attributes,
    # where attr_list reads no attributes at all (only after an element, or at a line's or cell's end).
    note = norm("# T\n\nUse tags {Environment=prod} on {Name=web} and {.x} here; **b**{ onclick=\"x\" .c } ends.\n")
    assert body(note) == ("Use tags \\{Environment=prod} on \\{Name=web} and \\{.x} here; **b**{ .c } ends.\n")
    rendered = unescape(mkdocs_markdown(tmp_path).convert(note.markdown))
    assert "Use tags {Environment=prod} on {Name=web} and {.x} here; " in rendered
    assert '<strong class="c">b</strong> ends.' in rendered and "onclick" not in rendered
    assert norm(note.markdown).repairs == ()


def test_a_definition_under_a_line_of_text_is_shown_as_text_as_commonmark_shows_it(tmp_path):
    # A definition cannot interrupt a paragraph in CommonMark; Python-Markdown took the line away, and inside a
    # code span over two lines, the code's second half with it.
    note = norm("# T\n\nSee the docs\n[1]: https://a.example/docs\nand `a\n[b]: c`\nhere.\n")
    assert body(note) == "See the docs<br>\n[1]&#58; <https://a.example/docs><br>\nand `a\n    [b]: c`<br>\nhere.\n"
    assert [r.line for r in note.repairs if r.rule == "block-escape"] == [4]  # the code looks the same indented
    rendered = unescape(mkdocs_markdown(tmp_path).convert(note.markdown))
    assert "[1]: <a" in rendered and re.search(r"<code>a\s+\[b\]: c</code><br>\s*here", rendered)
    assert norm(note.markdown).repairs == ()


def test_an_html_block_that_starts_with_an_inline_tag_stays_raw_html(tmp_path):
    # CommonMark runs the block from a lone `<br>` to the blank line and shows its lines as written; Python-Markdown
    # read a paragraph, took the definition lines away and failed on the empty footnote.
    note = norm("# T\n\n<br>\n[a]: https://a.example/\n*[AWS]: Amazon\n[^1]: \n\nNext.\n")
    assert body(note) == "<div>\n<br>\n[a]: https://a.example/\n*[AWS]: Amazon\n[^1]:\n</div>\n\nNext.\n"
    shown = mkdocs_markdown(tmp_path).convert(note.markdown)
    assert "<br>\n[a]: https://a.example/\n*[AWS]: Amazon\n[^1]:\n</div>" in shown
    assert norm(note.markdown).markdown == note.markdown


def test_a_line_starting_with_a_colon_is_text_not_a_definition_list(tmp_path):
    # Obsidian has no definition lists: `: text` under a line, or after a paragraph or heading, shows as written.
    # def_list made a list of it, the colon gone (after a heading, with no term at all); in a code span, its half.
    note = norm("# T\n\nTerm\n: its text\n\n## Next\n\n: after a heading\n\n- item\n  : in a list, `a\n  : b`\n")
    assert body(note) == ("Term<br>\n&#58; its text\n\n## Next\n\n&#58; after a heading\n\n"
                          "- item<br>\n    &#58; in a list, `a\n        : b`\n")
    assert [(r.line, r.rule) for r in note.repairs if r.rule == "block-escape"] == [(4, "block-escape"),
                                                                                  (8, "block-escape"),
                                                                                  (11, "block-escape")]
    rendered = unescape(mkdocs_markdown(tmp_path).convert(note.markdown))
    assert "<dl>" not in rendered and "<dd>" not in rendered
    assert "Term<br>\n: its text</p>" in rendered and "<p>: after a heading</p>" in rendered
    assert re.search(r"item<br>\s+: in a list, <code>a\s+: b</code>", rendered)
    assert norm(note.markdown).repairs == ()


def test_a_backtick_run_that_opens_no_code_span_is_shown_as_written(tmp_path):
    # CommonMark leaves `` unclosed as text; Python-Markdown paired one of its backticks with the next one and
    # showed the image between as code, its text gone.
    note = norm("# T\n\n``a`![b](https://a.example/i.png)`c` and ` alone.\n")
    assert body(note) == "\\`\\`a`![b](https://a.example/i.png)`c` and ` alone.\n"
    assert [r.rule for r in note.repairs] == ["backtick-literal"]
    rendered = mkdocs_markdown(tmp_path).convert(note.markdown)
    assert "<p>``a<code>![b](https://a.example/i.png)</code>c<code>and</code> alone.</p>" in rendered
    assert norm(note.markdown).repairs == ()


def test_braces_alone_on_a_line_that_a_split_makes_a_paragraphs_last_are_text(tmp_path):
    # An image line gets a block of its own; the line before it ended the piece above, and braces alone there
    # were that paragraph's attributes to Python-Markdown.
    note = norm("# T\n\nSome text\n{{ x }}\n![i](https://a.example/i.png)\n")
    assert body(note).startswith("Some text<br>\n\\{{ x }}\n\n![i]")
    assert "{{ x }}" in unescape(mkdocs_markdown(tmp_path).convert(note.markdown))
    assert norm(note.markdown).repairs == ()


def test_attribute_lists_keep_classes_ids_and_sizes_only():
    text = (
        "# T\n\nClick me{: onclick=\"alert(1)\" }\n\n"
        "[x](https://a.example){ href=\"javascript:alert(1)\" onmouseover=steal() .ok #id1 }\n\n"
        "## Heading { style=\"color:red\" }\n\nPicture { width=\"5\" .c title='A' }\n"
    )
    note = norm(text)
    assert body(note) == (
        "Click me\n\n[x](https://a.example){ .ok #id1 }\n\n## Heading\n\nPicture { width=\"5\" .c title='A' }\n"
    )
    assert [(r.line, r.before, r.after) for r in note.repairs if r.rule == "html-sanitised"] == [
        (7, '{ style="color:red" }', ""),
        (3, '{: onclick="alert(1)" }', ""),
        (5, '{ href="javascript:alert(1)" onmouseover=steal() .ok #id1 }', "{ .ok #id1 }"),
    ]
    page = markdown.markdown(note.markdown, extensions=["attr_list"])
    assert "javascript:" not in page and "onclick" not in page and "onmouseover" not in page and "style=" not in page


# ---- output shape ----------------------------------------------------------------------------------------


def test_code_is_kept_byte_for_byte_and_indented_code_is_fenced():
    text = "# T\n```python\nsecuritu = 24*7  \n```\n\n    indented securitu\n"
    note = norm(text)
    assert body(note) == "```python\nsecuritu = 24*7  \n```\n\n```\nindented securitu\n```\n"
    assert rules(note) == ["code-fenced"]


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_rejoined_blocks_render_like_the_section_in_the_note(seed: Path):
    note = norm(seed.read_text(), path=seed.name)
    chunks = re.split(r"(?m)^#{1,6} .*\n\n?", note.markdown)[1:]
    assert len(chunks) == len(note.sections)
    for section, chunk in zip(note.sections, chunks):
        assert join_blocks(section.blocks) == chunk.strip("\n")
        assert html(join_blocks(section.blocks)) == html(chunk)


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_seed_golden(seed: Path):
    note = norm(seed.read_text(), path=seed.name)
    assert_golden(f"normalise/{seed.stem}.md", note.markdown)


# ---- data files ------------------------------------------------------------------------------------------


def _data_dir(tmp_path: Path, corrections: str | None = None, names: str | None = None) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    (data / "corrections.yml").write_text(corrections or (DATA / "corrections.yml").read_text())
    (data / "names.yml").write_text(names or (DATA / "names.yml").read_text())
    return data


@pytest.mark.parametrize(
    ("corrections", "message"),
    [
        ("corrections:\n  - wrong: teh\n    rigth: the\n", "data/corrections.yml:2: corrections[0].right: expected a value (the key is missing); received nothing (and 1 more error)"),
        ("corrections:\n  - wrong: teh\n", "data/corrections.yml:2: corrections[0].right: expected a value (the key is missing); received nothing"),
        ("corrections:\n  - {wrong: teh, right: the}\n  - {wrong: Teh, right: The}\n  - {wrong: teh, right: tea}\n", "data/corrections.yml:4: corrections[2].wrong: expected each misspelling once; received 'teh' again (first at line 2)"),
        ("corrections:\n  - {wrong: teh, right: thw}\n  - {wrong: thw, right: the}\n", "data/corrections.yml:2: corrections[0].right: expected a fix that is not itself listed as a misspelling; received 'thw'"),
        ("corrections: {teh: the}\n", "data/corrections.yml:1: corrections: expected a valid list; received a mapping"),
    ],
)
def test_corrections_file_errors_are_pinned(tmp_path: Path, corrections: str, message: str):
    with pytest.raises(BuildError) as error:
        load_context(_data_dir(tmp_path, corrections=corrections), frozenset())
    assert error.value.describe() == message


@pytest.mark.parametrize(
    ("names", "message"),
    [
        ("names:\n  - canonical: CloudTrail\n    case_sensitive: maybe\n", "data/names.yml:3: names[0].case_sensitive: expected a valid boolean, unable to interpret input; received 'maybe'"),
        ("names:\n  - aliases: [x]\n", "data/names.yml:2: names[0].canonical: expected a value (the key is missing); received nothing"),
        ("names:\n  - canonical: CloudTrail\n  - canonical: Trail\n    aliases: [cloudtrail]\n", "data/names.yml:4: names[1].aliases[0]: expected a spelling no other name uses; received 'cloudtrail' again (first at line 2)"),
    ],
)
def test_names_file_errors_are_pinned(tmp_path: Path, names: str, message: str):
    with pytest.raises(BuildError) as error:
        load_context(_data_dir(tmp_path, names=names), frozenset())
    assert error.value.describe() == message


def test_corrections_keep_list_stops_the_general_dictionary(tmp_path: Path):
    corrections = (DATA / "corrections.yml").read_text().replace("keep: []", "keep: [teh]")
    ctx = load_context(_data_dir(tmp_path, corrections=corrections), frozenset())
    assert normalise_text("# T\nteh\n", ctx)[0] == "# T\n\nteh\n"
