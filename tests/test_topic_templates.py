"""The contract of templates/topics/: which values the topic and other-notes templates read, how they lay
them out, and that note text reaches them as values, never as template source."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from jinja2 import UndefinedError

from handbook.merge import GENERATED_BANNER, load_topics, merge_notes, render_topic_pages
from handbook.merge.render import (
    OTHER_INDEX_TEMPLATE, OTHER_TEMPLATE, TOPIC_SEARCH_BOOST, TOPIC_TEMPLATE, TOPICS_INDEX_TEMPLATE, BlockView, NavEntry,
    OtherPageView, SectionView, SourceNote, TopicEntry, TopicPageView, render_other_page,
)
from handbook.normalise import LIST_SEPARATOR
from handbook.templating import TEMPLATES, make_env
from tests.conftest import DATA, norm

# Text a note may hold that Jinja2 would read as a value, a statement or a comment if it were template source.
TEMPLATE_SYNTAX = "{{ secret }} {% include 'x' %} {# gone #} {%- raw %}"


def block(text: str, **fields) -> BlockView:
    """A block that follows the one before after a blank line, with no notices."""
    return BlockView(**({"starts_list": False, "blank_before": True, "text": text, "annotations": ()} | fields))


def render(template: str, **values) -> str:
    """A topics template rendered with the values render_topic_pages gives every one of them."""
    return make_env(TEMPLATES).get_template(template).render(
        banner=GENERATED_BANNER, search_boost=TOPIC_SEARCH_BOOST, list_separator=LIST_SEPARATOR, **values)


def test_a_topic_page_lays_out_its_view() -> None:
    sections = (
        SectionView(True, 2, "Security of the cloud", "security-of-the-cloud", (
            block("AWS runs the hardware. <sup>1</sup>", blank_before=False),
            block("- Data centres"),
            block("- Cables", blank_before=False, annotations=('!!! warning "Check"',)),
            block("1. First", starts_list=True, blank_before=False),
        ), ("<small>See in the matrix</small>",)),
        SectionView(True, 3, "How it *works* — ops", "how-it-works-ops", (block("Racks.", blank_before=False),), ()),
        SectionView(True, 9, "Deep", "deep", (), ()),
    )
    page = TopicPageView("Shared <model>", "shared-model", ("cloud", "2024"), "What each side secures.", sections,
                         ("[^1-a]: A borrowed footnote.",),
                         (SourceNote(1, "a_b", "../notes/a.md", "handbook-sources-1"),
                          SourceNote(2, "5. ops", "../notes/ops.md", "handbook-sources-2")))
    assert render(TOPIC_TEMPLATE, page=page) == (
        f'---\ntags:\n  - "cloud"\n  - "2024"\nsearch:\n  boost: {TOPIC_SEARCH_BOOST}\n---\n' + GENERATED_BANNER + "\n\n"
        "# Shared &lt;model&gt; { #shared-model }\n\n"
        "What each side secures.\n\n"
        "## Security of the cloud { #security-of-the-cloud }\n\n"
        "AWS runs the hardware. <sup>1</sup>\n\n"
        "- Data centres\n"
        "- Cables\n\n"
        '!!! warning "Check"\n\n'
        "<!-- -->\n\n"
        "1. First\n\n"
        "<small>See in the matrix</small>\n\n"
        "### How it \\*works\\* — ops { #how-it-works-ops }\n\n"
        "Racks.\n\n"
        "###### Deep { #deep }\n\n"
        "## Sources { #handbook-sources .handbook-sources }\n\n"
        "1. [a\\_b](../notes/a.md)\n{: #handbook-sources-1 }\n"
        "2. [5\\. ops](../notes/ops.md)\n{: #handbook-sources-2 }\n\n"
        "[^1-a]: A borrowed footnote.\n\n"
    )


def test_a_topic_page_without_tags_has_only_its_boost_and_no_source_list_without_sources() -> None:
    page = TopicPageView("Empty", "empty", (), "", (), ())
    assert render(TOPIC_TEMPLATE, page=page) == (
        f"---\nsearch:\n  boost: {TOPIC_SEARCH_BOOST}\n---\n{GENERATED_BANNER}\n\n# Empty {{ #empty }}\n\n")


def test_an_other_page_lists_its_sources_only_when_a_block_names_them() -> None:
    section = SectionView(False, 1, "Own", "own", (block("Text.", blank_before=False),), ())
    page = OtherPageView("Note", "note", (), "../notes/note.md", (section,), ())
    assert render(OTHER_TEMPLATE, page=page) == (
        f"{GENERATED_BANNER}\n\n# Note {{ #note }}\n\n"
        "From the note [Note](../notes/note.md); what it shares with other notes is on the topic pages.\n\n"
        "Text.\n\n"
    )


def test_note_text_is_written_as_it_is_and_titles_as_text() -> None:
    section = SectionView(True, 2, TEMPLATE_SYNTAX, "s", (block(TEMPLATE_SYNTAX, annotations=(TEMPLATE_SYNTAX,)),),
                          (TEMPLATE_SYNTAX,))
    page = TopicPageView(TEMPLATE_SYNTAX, "t", (TEMPLATE_SYNTAX,), TEMPLATE_SYNTAX, (section,), (TEMPLATE_SYNTAX,),
                         (SourceNote(1, TEMPLATE_SYNTAX, "a.md", "handbook-sources-1"),))
    text = render(TOPIC_TEMPLATE, page=page)
    # Block text, summary, footers, warnings and borrowed footnotes are Markdown already: written unchanged.
    assert text.count(f"\n{TEMPLATE_SYNTAX}\n") == 5
    # Titles are plain text: escaped for Markdown, never read by Jinja2.
    escaped = r"\{\{ secret \}\} \{% include 'x' %\} \{\# gone \#\} \{%- raw %\}"
    assert f"# {escaped} {{ #t }}" in text and f"## {escaped} {{ #s }}" in text and f"1. [{escaped}](a.md)" in text
    assert '  - "{{ secret }} {% include \'x\' %} {# gone #} {%- raw %}"' in text


def test_note_text_that_looks_like_a_template_reaches_the_built_pages_unchanged() -> None:
    on_topic = norm(f"# Shared responsibility model\n\n## Overview\n\nAWS secures the cloud: {TEMPLATE_SYNTAX}.\n",
                    path="a.md")
    off_topic = norm(f"# Lambda pricing\n\n{TEMPLATE_SYNTAX} is billed per request.\n", path="b.md")
    result = merge_notes([on_topic, off_topic], load_topics(DATA))
    files = {f.path: f.content for f in render_topic_pages(result)}
    assert any(f"AWS secures the cloud: {TEMPLATE_SYNTAX}." in text for path, text in files.items()
               if path.startswith("topics/"))
    [other] = result.other_pages
    assert f"{TEMPLATE_SYNTAX} is billed per request." in files[other.path] == render_other_page(other, result)


def test_the_indexes_and_the_navigation_list_topics_sections_folders_and_notes() -> None:
    topics = (TopicEntry("IAM", "iam.md", "Who may do what.", (NavEntry("Roles", "iam.md#roles", 0),
                                                                NavEntry("Trust", "iam.md#trust", 1))),
              TopicEntry("5. Keys", "keys.md", "", ()))
    assert render(TOPICS_INDEX_TEMPLATE, topics=topics, index_title="Handbook").split("came from.\n\n", 1)[1] == (
        "## [IAM](iam.md)\n\nWho may do what.\n\n- [Roles](iam.md#roles)\n    - [Trust](iam.md#trust)\n\n"
        "## [5\\. Keys](keys.md)\n\n\n")
    entries = (NavEntry("team", "", 0), NavEntry("<Lambda>", "team/lambda.md", 1))
    assert render(OTHER_INDEX_TEMPLATE, entries=entries, index_title="More notes").endswith(
        "again.\n\n- team\n    - [&lt;Lambda&gt;](team/lambda.md)\n")
    assert render(OTHER_INDEX_TEMPLATE, entries=(), index_title="More notes").endswith(
        "again.\n\nEvery section of every note fits a topic.\n")
    assert render("topics/SUMMARY.md.j2", index_title="More notes", entries=entries) == (
        f"{GENERATED_BANNER}\n\n* [More notes](index.md)\n* team\n    * [‹Lambda›](team/lambda.md)\n")


def test_the_templates_are_strict_and_come_from_the_folder_the_build_names(tmp_path: Path) -> None:
    shutil.copytree(TEMPLATES / "topics", tmp_path / "topics")
    topic = tmp_path / TOPIC_TEMPLATE
    topic.write_text(topic.read_text(encoding="utf-8").replace("{{ page.summary }}", "Custom: {{ page.summary }}"),
                     encoding="utf-8")
    result = merge_notes([norm("# Shared responsibility model\n\n## Overview\n\nAWS secures the cloud.\n")],
                         load_topics(DATA))
    assert any("Custom: " in f.content for f in render_topic_pages(result, templates_dir=tmp_path))
    topic.write_text(topic.read_text(encoding="utf-8").replace("{{ banner }}", "{{ no_such_value }}"), encoding="utf-8")
    with pytest.raises(UndefinedError, match="no_such_value"):
        render_topic_pages(result, templates_dir=tmp_path)
