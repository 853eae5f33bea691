"""Page paths and links between generated pages."""

from __future__ import annotations

import posixpath

from hypothesis import given, settings
from hypothesis import strategies as st

from markdown.extensions.toc import slugify as toc_slugify

from handbook.paths import distinct_titles, heading_anchor, note_page, note_slug, path_slug, rel_link


def test_slugs_are_lowercase_ascii_words() -> None:
    assert path_slug("AWS Glocal Infrastructure – Security!") == "aws-glocal-infrastructure-security"
    assert path_slug("Ünïcode café") == "unicode-cafe"
    assert path_slug("???") == "untitled"


def test_slugs_are_the_anchors_toc_gives_headings() -> None:
    assert path_slug("5. Storage _ Database") == heading_anchor("5. Storage _ Database") == "5-storage-_-database"
    assert path_slug("x_y-z") == "x_y-z"
    assert path_slug("What's S3?") == "whats-s3"


@settings(max_examples=500)
@given(st.text())
def test_slugs_of_names_with_latin_letters_or_digits_are_toc_anchors(name: str) -> None:
    anchor = toc_slugify(name, "-")
    assert heading_anchor(name) == anchor
    if any(c.isalnum() for c in anchor):
        assert path_slug(name) == anchor


def test_note_slugs_keep_the_folder_structure() -> None:
    assert note_slug("1. Security/General/IAM.md") == "1-security/general/iam"
    assert note_page("000_d8822c3029f94220.md") == "notes/000_d8822c3029f94220.md"


def test_notes_named_like_index_files_do_not_collide_with_them() -> None:
    assert note_page("index.md") == "notes/index-note.md"
    assert note_page("Guides/SUMMARY.md") == "notes/guides/summary-note.md"


def test_relative_links_between_generated_pages() -> None:
    assert rel_link("topics/a.md", "notes/b.md") == "../notes/b.md"
    assert rel_link("topics/a.md", "topics/a.md", "x") == "a.md#x"
    assert rel_link("other/deep/page.md", "matrix/index.md", "legend") == "../../matrix/index.md#legend"
    assert rel_link("index.md", "report/index.md") == "report/index.md"
    assert rel_link("notes/a/b.md", "notes/a") == "."


_PAGE_PATHS = st.lists(st.sampled_from(["notes", "topics", "a", "b", "index.md", "x.md", ".", ".."]),
                       min_size=1, max_size=4).map("/".join)


@settings(max_examples=1000)
@given(_PAGE_PATHS, _PAGE_PATHS)
def test_relative_links_agree_with_posixpath(from_page: str, to_page: str) -> None:
    expected = posixpath.relpath(to_page, posixpath.dirname(from_page) or ".")
    assert rel_link(from_page, to_page) == (expected if to_page != from_page else posixpath.basename(to_page))


def test_names_without_latin_letters_keep_their_own_letters():
    assert path_slug("日本 メモ") == "日本-メモ"
    assert path_slug("Заметки") == "заметки"
    assert path_slug("???") == "untitled"
    assert path_slug("Café notes") == "cafe-notes"
    assert path_slug("日本_メモ") == "日本_メモ"
    assert note_slug("メモ/日本.md") == "メモ/日本"


def test_notes_that_share_a_title_are_told_apart_by_file_name():
    labels = distinct_titles([("a/002_x.md", "Model"), ("b/003_y.md", "model"), ("c.md", "Other"),
                              ("d/same.md", "Twin"), ("e/same.md", "Twin")])
    assert labels == {"a/002_x.md": "Model (002_x)", "b/003_y.md": "model (003_y)", "c.md": "Other",
                      "d/same.md": "Twin (d/same.md)", "e/same.md": "Twin (e/same.md)"}
