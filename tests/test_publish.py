"""Notes kept off the site by their front matter."""

from __future__ import annotations

from handbook.links import NoteIndex, find_missing_links, missing_link
from handbook.publish import UnpublishedNote, split_unpublished
from tests.conftest import norm


def test_drafts_and_notes_not_to_publish_are_split_off_in_order_with_their_field_and_names():
    notes = [
        norm("---\ndraft: true\naliases: [Roadmap]\n---\n# Plans\n\nText.\n", path="a/Plans.md"),
        norm("---\npublish: false\n---\n# Private\n\nText.\n", path="b.md"),
        norm("---\ndraft: false\npublish: true\n---\n# Kept\n\nText.\n", path="c.md"),
        norm("# Plain\n\nText.\n", path="d.md"),
    ]
    published, _, unpublished = split_unpublished(notes)
    assert [n.path for n in published] == ["c.md", "d.md"]
    assert unpublished == [
        UnpublishedNote("a/Plans.md", "draft: true", ("a/Plans.md", "a/Plans", "Plans", "Plans", "Roadmap"), 1),
        UnpublishedNote("b.md", "publish: false", ("b.md", "b", "b", "Private"), 1),
    ]


def test_a_link_to_an_unpublished_note_is_reported_with_its_field_and_links_elsewhere_are_not():
    draft = norm("---\ndraft: true\naliases: [Roadmap]\n---\n# Plans\n\nText.\n", path="Plans.md")
    public = norm("# Public\n\nSee [[Roadmap]], [[Gone]] and [[Public]].\n", path="Public.md")
    published, _, unpublished = split_unpublished([draft, public])
    index = NoteIndex(published, unpublished)
    assert [(m.target, m.unpublished) for m in find_missing_links(published, index)] == [
        ("Roadmap", "draft: true"), ("Gone", "")]
    assert missing_link("the plans", "Roadmap#Goals", "draft: true") == (
        '<span class="handbook-missing-link" title="“Roadmap” is marked draft: true and not published">'
        "the plans</span>")


def test_the_words_reported_in_an_unpublished_note_are_left_out_with_it():
    from handbook.normalise import Finding

    notes = [norm("---\ndraft: true\n---\n# Plans\n\nText.\n", path="plans.md"), norm("# Kept\n\nText.\n", path="kept.md")]
    findings = [Finding("plans.md", 5, "zorp", "not in the dictionary"), Finding("kept.md", 3, "blip", "not in the dictionary")]
    published, kept_findings, _ = split_unpublished(notes, findings)
    assert [n.path for n in published] == ["kept.md"] and kept_findings == [findings[1]]
