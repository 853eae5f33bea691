"""Rendered topic pages from the seeds: golden files, nothing lost, provenance, annotations, audit and report."""

from __future__ import annotations

import json
import re

import pytest

from handbook.merge import GENERATED_BANNER, load_topics, merge_notes, merge_report, render_merge_audit, render_topic_pages
from handbook.merge.render import (
    MISSING_IMAGE_REASON, SourceList, _section_markdown, notice_key, only_missing_images, with_marker,
    without_missing_images,
)
from handbook.merge.result import LEFT_OUT
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
    left_out = {fate.source for account in result.account for fate in account.blocks if fate.status == LEFT_OUT}
    for note in notes:
        for section in note.sections:
            for block in section.blocks:
                total += 1
                page, anchor = result.block_home(block.source)
                assert f"{{ #{anchor} }}" in files[page], (block.source, page, anchor)
                if block.source in left_out:  # a missing image: its note's page shows it, the topic page does not
                    assert only_missing_images(block.markdown) and "Image not available" not in files[page]
                    continue
                assert canonical_text[block.source].split("\n")[0] in files[page], block.source
    assert len(left_out) == 2
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
    # Placed after the list the canonical block (004's text merged into it) announces, not inside it: the list
    # 004 wrote of the same things has joined it, and ends it.
    before, after = text.split(warning)
    assert "This includes:" in before and "\n\n- Protecting and securing AWS Regions" in before.split("This includes:")[1]
    assert before.rstrip().splitlines()[-1].startswith("- Virtualization infrastructure")
    assert after.startswith("\n\n<!-- -->")
    assert text.count(warning) == 1


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
    # The source marker ends the item's text; the attribute line after it still gives the item its id.
    assert re.search(r"\n- Remove unused roles\.\u00a0<sup class=\"handbook-source\">.*</sup>\n  \{: #block-least-privilege \}\n",
                     shown)
    assert re.search(r"\nRotate keys yearly\.\u00a0<sup .*</sup>\n\{: #block-rotate \}\n", shown) and "^" not in shown


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
    # "Costs" holds a block both notes wrote: it is marked with both. "Limits" is the page's own note only.
    assert ('<a href="#handbook-sources-1" title="Lambda pricing" aria-label="Source 1: Lambda pricing">1</a>,'
            '<a href="#handbook-sources-2" title="Step Functions" aria-label="Source 2: Step Functions">2</a>') in costs
    assert "handbook-source" not in limits.split("## Sources")[0]
    assert ("## Sources { #handbook-sources .handbook-sources }\n\n1. [Lambda pricing](../notes/a.md)\n"
            "{: #handbook-sources-1 }\n2. [Step Functions](../notes/b.md)\n{: #handbook-sources-2 }\n") in limits
    assert "From the note [Lambda pricing](../notes/a.md)" in text
    assert "Sources:" not in text


def test_headings_in_other_scripts_keep_their_own_anchors_and_links_find_them():
    from handbook.merge.render import render_other_page

    note = norm("# 笔记\n\n## 第一部分\n\n文字一。\n\n## 第二部分\n\n文字二。\n", path="笔记.md")
    result = merge_notes([note], load_topics(DATA))
    [page] = result.other_pages
    assert [s.id for s in page.sections] == ["笔记", "第一部分", "第二部分"]
    assert result.note_home("笔记.md", "第二部分") == (page.path, "第二部分")
    text = render_other_page(page, result)
    assert "# 笔记 { #笔记 }" in text and "## 第二部分 { #第二部分 }" in text


def test_every_marker_links_to_an_entry_of_the_source_list_and_every_note_is_listed_once(result, files):
    for page in result.pages:
        text = files[page.path]
        body, _, listed = text.partition("## Sources { #handbook-sources .handbook-sources }")
        targets = set(re.findall(r'<a href="#(handbook-sources-\d+)"', body))
        entries = re.findall(r"^(\d+)\. \[.*\]\((.*)\)\n\{: #(handbook-sources-\d+) \}$", listed, flags=re.M)
        # A page from one note is not numbered: the list names its note.
        assert targets == ({anchor for _, _, anchor in entries} if len(entries) > 1 else set()), page.path
        assert len({link for _, link, _ in entries}) == len(entries)
        notes = {s.note for section in page.sections for b in section.blocks
                 if not only_missing_images(b.block.markdown) for s in b.sources}
        assert {link for _, link, _ in entries} == {rel_link(page.path, note_page(n)) for n in notes}
        assert "Sources:" not in text
    assert any(len(re.findall("handbook-sources-", files[p.path])) == 1 for p in result.pages)  # one note, no numbers


def test_a_marker_ends_running_text_and_stands_apart_after_a_table_or_code():
    marker = '<sup class="handbook-source">1</sup>'
    assert with_marker("AWS runs it.", "paragraph", marker) == f"AWS runs it.\u00a0{marker}"
    assert with_marker("- Item\n\n    More.", "list_item", marker) == f"- Item\u00a0{marker}\n\n    More."
    assert with_marker("| a |\n| --- |\n| b |", "table", marker) == f"| a |\n| --- |\n| b |\n\n{marker}"
    assert with_marker("- | a |\n  | --- |", "list_item", marker) == f"- | a |\n  | --- |\n\n{marker}"
    assert with_marker("Text.", "paragraph", "") == "Text."


def test_a_nested_block_is_credited_by_its_item_when_the_same_notes_said_it():
    from handbook.merge.result import MergedBlock, MergedSection
    from handbook.model import Block, Source

    item = Block("list_item", "- AWS runs:", Source("a.md", 3))
    child = Block("list_item", "- Hardware", Source("a.md", 4), depth=1)
    other = Block("list_item", "- Cables", Source("b.md", 5), depth=1)
    section = MergedSection("s", "Security of the cloud", 2, (
        MergedBlock(item, (item.source,)), MergedBlock(child, (child.source,), 1),
        MergedBlock(other, (other.source, Source("a.md", 9)), 1)), ("a.md", "b.md"))
    sources = SourceList.of(["a.md", "b.md"], "topics/t.md", {"a.md": "A", "b.md": "B"})
    text = "\n".join(_section_markdown(section, sources=sources))
    assert "- AWS runs:\u00a0<sup" in text and "    - Hardware\n" in text
    assert re.search(r"    - Cables\u00a0<sup.*>2</a>,<a .*>1</a></sup>", text)


def test_a_notice_shows_once_per_page_after_its_list_never_inside_an_item():
    from handbook.merge.result import MergedBlock, MergedSection
    from handbook.model import Block, Source

    notice = '!!! note "Outdated term"\n\n    Say KMS key.\n'
    blocks = [Block("paragraph", "Keys:", Source("a.md", 2)),
              Block("list_item", "- A CMK per app.", Source("a.md", 3)),
              Block("list_item", "- A CMK per team.", Source("a.md", 4)),
              Block("paragraph", "Rotate each CMK.", Source("a.md", 6))]
    section = MergedSection("s", "Keys", 2, tuple(MergedBlock(b, (b.source,)) for b in blocks), ("a.md",))
    notices = {b.source: (notice,) for b in blocks[1:]}
    text = "\n".join(_section_markdown(section, notices))
    assert text.count("Outdated term") == 1
    assert "- A CMK per app.\n- A CMK per team.\n\n" + notice.rstrip() in text


def test_a_block_of_only_a_missing_image_is_left_out_of_a_topic_page_and_accounted_for():
    text = "# Shared responsibility model\n\n## Overview\n\nAWS secures the cloud.\n\n![[Pasted image 1.png]]\n"
    note = norm(text, path="a.md")
    result = merge_notes([note], load_topics(DATA))
    files = {f.path: f.content for f in render_topic_pages(result)}
    page = next(text for path, text in files.items() if "AWS secures the cloud." in text)
    assert "Image not available" not in page
    [account] = result.account
    [fate] = [f for f in account.blocks if f.status == LEFT_OUT]
    assert fate.reason == MISSING_IMAGE_REASON and account.left_out == 1 and account.shown == 1
    assert without_missing_images("See *Image not available: x.png*{ .handbook-missing-image } here.") == "See here."


def test_a_topic_no_note_covers_gets_no_page_index_entry_or_navigation_entry():
    result = merge_notes([norm("# Shared responsibility model\n\n## Overview\n\nAWS secures the cloud.\n")],
                         load_topics(DATA))
    files = {f.path: f.content for f in render_topic_pages(result)}
    empty = [page for page in result.pages if not page.sections]
    assert empty and len(empty) < len(result.pages)
    for page in empty:
        assert page.path not in files
        name = page.path.rsplit("/", 1)[1]
        assert f"({name})" not in files["topics/SUMMARY.md"] and f"]({name})" not in files["topics/index.md"]
    assert all("No note covers this topic yet" not in text for text in files.values())


def test_two_notices_of_one_kind_that_point_to_the_same_matrix_entry_are_one_claim():
    first = '!!! info "Not mentioned here"\n\n    IAM is yours. [See the responsibility matrix](page:matrix/who-owns.md#customer-iam).\n'
    second = first.replace("IAM is yours.", "You manage IAM users and roles.")
    other = first.replace("#customer-iam", "#customer-data")
    assert notice_key(first) == notice_key(second) != notice_key(other)
    assert notice_key(first) != notice_key(first.replace('info "Not mentioned here"', 'warning "Contradicts"'))
