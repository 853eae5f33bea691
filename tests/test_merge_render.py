"""Rendered topic pages from the seeds: golden files, nothing lost, provenance, annotations, audit and report."""

from __future__ import annotations

import json
import re

import pytest

from handbook.merge import GENERATED_BANNER, load_topics, merge_notes, merge_report, render_merge_audit, render_topic_pages
from handbook.paths import note_page, rel_link
from tests.conftest import DATA, mkdocs_markdown, norm, seed_notes
from tests.golden import assert_golden


@pytest.fixture(scope="module")
def notes():
    return seed_notes()


@pytest.fixture(scope="module")
def result(notes):
    return merge_notes(notes, load_topics(DATA))


@pytest.fixture(scope="module")
def files(result):
    return {f.path: f.content for f in render_topic_pages(result)}


def test_generated_files(files, result):
    pages = [f"topics/{p.id}.md" for p in result.pages]
    assert sorted(files) == sorted(pages + ["topics/SUMMARY.md", "topics/index.md", "other/SUMMARY.md",
                                            "other/index.md"])
    for path, content in files.items():
        # Front matter must come first, so the banner follows it when a page has some.
        body = content.split("\n---\n", 1)[1] if content.startswith("---\n") else content
        assert body.startswith(GENERATED_BANNER), path


@pytest.mark.parametrize("name", [
    "topics/shared-responsibility-model.md", "topics/aws-responsibilities.md", "topics/customer-responsibilities.md",
    "topics/service-categories.md", "topics/global-infrastructure.md", "topics/physical-security.md",
    "topics/business-continuity.md", "topics/network-security.md", "topics/identity-and-access-management.md",
    "topics/encryption-and-key-management.md", "topics/compliance.md", "topics/index.md", "topics/SUMMARY.md",
    "other/index.md", "other/SUMMARY.md",
])
def test_golden_pages(files, name):
    assert_golden(f"merge/{name}", files[name])


def test_golden_audit(result):
    assert_golden("merge/audit.md", render_merge_audit(result, "report/index.md"))


def test_nothing_is_lost(notes, result, files):
    canonical_text = {s: b.block.markdown for p in result.pages for sec in p.sections for b in sec.blocks
                      for s in b.sources}
    canonical_text |= {s: b.block.markdown for p in result.other_pages for sec in p.sections for b in sec.blocks
                       for s in b.sources}
    total = 0
    for note in notes:
        for section in note.sections:
            for block in section.blocks:
                total += 1
                page, anchor = result.block_home(block.source)
                assert f"{{ #{anchor} }}" in files[page], (block.source, page, anchor)
                assert canonical_text[block.source].split("\n")[0] in files[page], block.source
    counts = result.counts
    assert counts.input_blocks == total == counts.kept + counts.merged
    # 003's unindented "power" after a list item continues that item, as CommonMark reads it: no block of its own.
    # 004's "Physical security of data centers" is said by 001's item on AWS's list: one item of one list.
    assert (counts.input_blocks, counts.kept, counts.merged) == (177, 150, 27)


def test_every_section_credits_its_notes(result, files):
    for page in result.pages:
        text = files[page.path]
        for section in page.sections:
            if section.blocks:
                for note in section.sources:
                    assert f"]({rel_link(page.path, note_page(note))})" in text
    overview = next(s for s in result.pages[0].sections if s.id == "overview")
    assert [n[:3] for n in overview.sources] == ["000", "001", "002", "003", "004"]


def test_each_fact_once(files):
    site = "\n".join(files[p] for p in files if p.startswith("topics/") and p.count("/") == 1)
    assert site.count("AWS is responsible for the security **of** the cloud") == 1
    assert "AWS is responsible for security" not in site  # 004's shorter wording merged into 001's
    assert site.count("Manages the infrastructure, foundation services, operating system") == 1
    assert site.count("housed in nondescript facilities") == 1  # 002 and 003 both said it


def test_headings_have_stable_anchors(files, result):
    for page in result.pages:
        headings = re.findall(r"^(#+) (.+) \{ #([a-z0-9-]+) \}$", files[page.path], flags=re.M)
        assert headings[0][2] == page.id
        assert [h[2] for h in headings[1:]] == [s.id for s in page.sections]


def test_annotations_follow_the_block_they_annotate(result, notes):
    note_004 = next(n for n in notes if n.path.startswith("004"))
    said_of_cloud = next(b.source for s in note_004.sections for b in s.blocks if "security _of_" in b.markdown)
    warning = '!!! warning "Contradiction"\n    Another note disagrees.'
    files = {f.path: f.content for f in render_topic_pages(result, {said_of_cloud: [warning]})}
    text = files["topics/aws-responsibilities.md"]
    assert "This includes:\n\n" + warning in text  # placed after the canonical block 004's text was merged into


def test_audit_and_report_describe_every_merge(result):
    audit = render_merge_audit(result, "report/index.md")
    assert "more words first" in audit and "`near-duplicate>=0.9`" in audit
    assert "[002\\_41b9f734ce314636.md:1](../notes/002_41b9f734ce314636.md)" in audit
    report = merge_report(result)
    assert json.loads(json.dumps(report)) == report
    assert report["counts"] == {"notes": 5, "duplicate_notes": 1, "input_blocks": 177, "kept": 150, "merged": 27,
                                "unassigned_sections": 0, "guarded_pairs": 0}
    assert [m["rule"] for m in report["merges"]] == [
        "note-contained>=0.9", "sentences-contained", "list-item", "near-duplicate>=0.9", "exact-hash", "exact-hash"]


def test_note_home_resolves_notes_and_headings(result):
    assert result.note_home("004_ef0476a4f866c9ca.md") == ("topics/shared-responsibility-model.md", "overview")
    assert result.note_home("004_ef0476a4f866c9ca.md", "AWS KMS") == (
        "topics/encryption-and-key-management.md", "aws-kms")
    assert result.note_home("002_41b9f734ce314636.md", "Power") == ("topics/physical-security.md", "power")
    assert result.note_home("missing.md") is None


def test_a_block_id_leads_to_its_block_or_its_section_never_to_a_heading_it_spells():
    from handbook.merge.render import render_other_page

    text = ("# Notes\n\n## Least privilege\n\nGrant only what a role needs. ^a-b\n\n## Review\n\n"
            "- Review access each quarter.\n- Remove unused roles.\n^least-privilege\n\n"
            "Rotate keys yearly. ^rotate ^yearly\n\n| Key | Age |\n| --- | --- |\n| k1 | 1 |\n\n^table\n\n"
            "Other words. ^a--b\n")
    note, copy = norm(text, path="a.md"), norm(text.replace("# Notes", "# Copy"), path="b.md")
    result = merge_notes([note, copy], load_topics(DATA))
    [page] = result.other_pages
    assert result.note_home("a.md", "^least-privilege") == (page.path, "block-least-privilege")
    assert result.note_home("a.md", "^ROTATE") == result.note_home("a.md", "^yearly") == (page.path, "block-rotate")
    assert result.note_home("b.md", "^rotate") == (page.path, "block-rotate")  # the copy's block is a.md's
    assert result.note_home("a.md", "^a-b") == (page.path, "block-a-b")
    assert result.note_home("a.md", "^a--b") == (page.path, "block-a-b-2")  # one page, one id each
    assert result.note_home("a.md", "^table") == (page.path, "review")  # a table takes no id: its section
    assert result.note_home("a.md", "^gone") == result.note_home("a.md")
    assert result.note_home("a.md", "Least privilege") == (page.path, "least-privilege")
    shown = render_other_page(page, result)
    assert "- Remove unused roles.\n  {: #block-least-privilege }\n" in shown
    assert "Rotate keys yearly.\n{: #block-rotate }\n" in shown and "^" not in shown


def test_a_numbered_list_after_a_bulleted_one_on_a_merged_page_is_a_list_of_its_own():
    from handbook.merge.render import render_other_page

    note = norm("# Steps\n\n- Bullet about widgets.\n\n1. First numbered step.\n2. Second step.\n", path="s.md")
    result = merge_notes([note], load_topics(DATA))
    [page] = result.other_pages
    shown = render_other_page(page, result)
    assert "- Bullet about widgets.\n\n<!-- -->\n\n1. First numbered step.\n2. Second step." in shown


def test_an_item_after_an_item_of_several_blocks_stays_an_item_of_its_own(tmp_path):
    from handbook.merge.render import render_other_page

    note = norm("# Tools\n\n- ###### Well-Architected Tool\n  Answers questions about a workload.\n"
                "- ###### Carbon footprint tool\n  Tracks emissions.\n- Plain item.\n", path="t.md")
    result = merge_notes([note], load_topics(DATA))
    [page] = result.other_pages
    html = mkdocs_markdown(tmp_path).convert(render_other_page(page, result))
    items = re.findall(r"<li>(.*?)</li>", html, re.S)
    assert len(items) == 3, html
    assert "<h6 id=\"carbon-footprint-tool\">Carbon footprint tool" in items[1] and "Tracks emissions." in items[1]
    assert "- #" not in html and "- Plain" not in html


NESTED_PIECES = ("# Cipher setup\n\n## Steps\n\n- Step 1: open the console\n    - a listener\n    - b target\n\n"
                 "    We then select the cipher\n\n    - c policy\n- Step 2: save\n\nAfter text.\n")


def _top_items(page_html: str) -> list[str]:
    """The texts of the first list's own items, nested lists left out."""
    depth, items = 0, []
    for match in re.finditer(r"<(/?)(ul|li)>", page_html):
        closing, tag = match.groups()
        if tag == "ul":
            depth += -1 if closing else 1
        elif tag == "li" and not closing and depth == 1:
            items.append(re.sub(r"<[^>]+>", "", page_html[match.end():]).strip().split("\n")[0])
    return items


def test_an_item_after_a_paragraph_inside_the_item_before_stays_at_its_own_level(tmp_path):
    from handbook.merge.render import render_other_page

    note = norm(NESTED_PIECES, path="n.md")
    assert _top_items(mkdocs_markdown(tmp_path).convert(note.markdown)) == ["Step 1: open the console",
                                                                            "Step 2: save"]
    result = merge_notes([note], load_topics(DATA))
    [page] = result.other_pages
    shown = mkdocs_markdown(tmp_path).convert(render_other_page(page, result))
    assert _top_items(shown) == ["Step 1: open the console", "Step 2: save"]
    assert re.search(r"<li>a listener</li>\s*<li>b target</li>\s*</ul>\s*<p>We then select the cipher</p>\s*<ul>"
                     r"\s*<li>c policy</li>\s*</ul>", shown), shown


def test_an_other_page_credits_a_section_only_when_other_notes_said_it_too():
    from handbook.merge.render import render_other_page

    shared = "Lambda bills every request and each millisecond of compute time it uses."
    one = norm(f"# Lambda pricing\n\n## Costs\n\n{shared}\n\n## Limits\n\nFifteen minutes per invocation at most.\n",
               path="a.md")
    two = norm(f"# Step Functions\n\n## Billing\n\n{shared}\n\nState transitions are billed too.\n", path="b.md")
    result = merge_notes([one, two], load_topics(DATA))
    pages = {page.note: page for page in result.other_pages}
    text = render_other_page(pages["a.md"], result)
    costs, limits = text.split("## Limits")
    # "Costs" holds a block both notes wrote: it names both. "Limits" is the page's own note only.
    assert "Sources: [Lambda pricing](../notes/a.md) · [Step Functions](../notes/b.md)" in costs
    assert "Sources:" not in limits
    assert "From the note [Lambda pricing](../notes/a.md)" in text


def test_headings_in_other_scripts_keep_their_own_anchors_and_links_find_them():
    from handbook.merge.render import render_other_page

    note = norm("# 笔记\n\n## 第一部分\n\n文字一。\n\n## 第二部分\n\n文字二。\n", path="笔记.md")
    result = merge_notes([note], load_topics(DATA))
    [page] = result.other_pages
    assert [s.id for s in page.sections] == ["笔记", "第一部分", "第二部分"]
    assert result.note_home("笔记.md", "第二部分") == (page.path, "第二部分")
    text = render_other_page(page, result)
    assert "# 笔记 { #笔记 }" in text and "## 第二部分 { #第二部分 }" in text


def test_a_section_from_many_notes_names_the_first_few_and_folds_the_rest_away():
    from handbook.merge.render import SOURCES_SHOWN, _section_markdown
    from handbook.merge.result import MergedBlock, MergedSection
    from handbook.model import Block, Source

    notes = tuple(f"team/note-{i:02d}.md" for i in range(SOURCES_SHOWN + 3))
    block = Block("paragraph", "AWS secures the cloud.", Source(notes[0], 3))
    section = MergedSection("s", "Security of the cloud", 2, (MergedBlock(block, (block.source,)),), notes)
    text = "\n".join(_section_markdown(section, "topics/a.md", {n: n[5:-3] for n in notes}, {}))
    line, details = text.split("\n\n")[-3:-1]
    assert line.startswith("<small>Sources: [note-00](../notes/team/note-00.md) · ")
    assert line.endswith(f" · [note-{SOURCES_SHOWN - 1:02d}](../notes/team/note-{SOURCES_SHOWN - 1:02d}.md) and 3 more</small>")
    assert details == '??? quote "3 more source notes"'
    rest = text.split(details, 1)[1]
    # Every note stays linked, each once.
    assert all(text.count(f"(../notes/{n})") == 1 for n in notes)
    assert f"note-{SOURCES_SHOWN:02d}" in rest and "note-00" not in rest
