"""The link pass: note:, asset: and page: targets become relative links from the page they land on."""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from handbook.links import NoteIndex, asset_page_path, resolve_links, rewrite_link_targets
from handbook.model import GeneratedFile, Note, Section, Source


def note(path: str, title: str, headings: tuple[str, ...] = (), aliases: tuple[str, ...] = ()) -> Note:
    sections = [Section(title, 1, Source(path, 1), ())]
    sections += [Section(h, 2, Source(path, i + 2), ()) for i, h in enumerate(headings)]
    return Note(path=path, title=title, raw="", markdown="", sections=tuple(sections), aliases=aliases)


NOTES = [
    note("Security/IAM.md", "Identity and Access Management", ("Users and groups",), aliases=("IAM",)),
    note("Storage/S3.md", "Simple Storage Service"),
]


def no_homes(path: str, heading: str | None):
    return None


def resolve(markdown: str, page: str = "topics/a.md", home_of=no_homes):
    files, unresolved = resolve_links([GeneratedFile(page, markdown)], NoteIndex(NOTES), home_of)
    return files[0].content, unresolved


def test_wikilink_goes_where_the_merge_put_the_note() -> None:
    text, _ = resolve("See [IAM](note:IAM).", home_of=lambda p, h: ("topics/iam.md", "users") if p == "Security/IAM.md" else None)
    assert text == "See [IAM](iam.md#users)."


def test_wikilink_falls_back_to_the_note_page_and_heading_anchor() -> None:
    text, _ = resolve("[Users](note:Security/IAM#Users%20and%20groups)", page="other/security/x.md")
    assert text == "[Users](../../notes/security/iam.md#users-and-groups)"


def test_names_are_matched_by_file_title_or_alias_case_insensitively() -> None:
    for target in ("s3", "Storage/S3", "simple%20storage%20service"):
        text, unresolved = resolve(f"[x](note:{target})")
        assert text == "[x](../notes/storage/s3.md)" and unresolved == []


def test_unknown_note_becomes_plain_text_and_is_reported() -> None:
    text, unresolved = resolve("Read [Glacier](note:Glacier) first.")
    assert text == "Read Glacier first."
    assert [(u.page, u.target, u.text) for u in unresolved] == [("topics/a.md", "Glacier", "Glacier")]


def test_a_missing_note_named_twice_on_a_page_is_reported_once() -> None:
    text, unresolved = resolve("[Glacier](note:Glacier) and again [Glacier](note:Glacier), then [Vault](note:Vault).")
    assert text == "Glacier and again Glacier, then Vault."
    assert [u.target for u in unresolved] == ["Glacier", "Vault"]


def test_a_missing_note_is_reported_with_the_words_the_page_text_gives_it() -> None:
    # The repairs table, written as HTML after the text, escapes the same link's words.
    text, unresolved = resolve("[A && B](note:A%20&&%20B)\n\n<td>[A &amp;&amp; B](note:A%20&&%20B)</td>")
    assert text == "A && B\n\n<td>A &amp;&amp; B</td>"
    assert [(u.target, u.text) for u in unresolved] == [("A && B", "A && B")]


def test_assets_and_page_targets_are_relative_to_the_page() -> None:
    text, _ = resolve("![d](asset:img/Pasted%20image%201.PNG) and [m](page:matrix/index.md#legend)", page="notes/x/y.md")
    assert text == "![d](../../assets/img/pasted-image-1.png) and [m](../../matrix/index.md#legend)"
    assert asset_page_path("a b/C.JPG") == "assets/a-b/c.jpg"


def test_reference_definitions_into_the_notes_folder_are_resolved_or_dropped_and_reported() -> None:
    text, unresolved = resolve('See [the bucket][s3] and [gone][g].\n\n[s3]: note:Storage/S3.md "Buckets"\n[g]: note:gone.md\n')
    assert text == 'See [the bucket][s3] and [gone][g].\n\n[s3]: ../notes/storage/s3.md "Buckets"\n\n'
    assert [(u.target, u.text) for u in unresolved] == [("gone.md", "g")]


def test_other_files_pass_through_untouched() -> None:
    files, _ = resolve_links([GeneratedFile("x.html", "[a](note:IAM)")], NoteIndex(NOTES), no_homes)
    assert files[0].content == "[a](note:IAM)"


@settings(max_examples=500)
@example("![a](note:b)")
@example("x![a](page:c)![d](note:e)!")
@example("[a](note:b)![c](asset:d)")
@example("[a](note:b)!")
@example('[a](asset:b "t")')
@given(st.lists(st.sampled_from(["[", "]", "(", ")", "\\", "!", "](note:", "page:", "x", " ", "a b", "#h", "\n", '"t"', "'"]),
                max_size=16).map("".join))
def test_link_targets_are_the_links_a_character_by_character_pattern_finds(text: str) -> None:
    plain = re.compile(r"(!?)\[((?:[^\[\]\\]|\\.)*)\]\((note|asset|page):([^)\s]*)"
                       r"((?:[ \t]+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^()\n]*\)))?)[ \t]*\)")
    expected = plain.sub(lambda m: "<{}|{}|{}|{}|{}>".format(*m.groups()), text)
    assert rewrite_link_targets(text, lambda m, bang: "<{}|{}|{}|{}|{}>".format(bang, *m.groups())) == expected
