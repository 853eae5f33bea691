"""The link pass: note:, asset: and page: targets become relative links from the page they land on."""

from __future__ import annotations

import re
import tempfile
from html import unescape
from pathlib import Path
from urllib.parse import quote

from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from handbook.links import (
    MissingLink, NoteIndex, asset_page_path, find_missing_links, link_matches, resolve_links, rewrite_link_targets,
)
from handbook.model import Block, GeneratedFile, Note, Section, Source
from tests.conftest import mkdocs_markdown, render_notes


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


def resolve(markdown: str, page: str = "topics/a.md", home_of=no_homes) -> str:
    return resolve_links([GeneratedFile(page, markdown)], NoteIndex(NOTES), home_of)[0].content


def linking_note(path: str, *lines: tuple[int, str], heading: tuple[int, str] | None = None,
                 title_markup: str = "") -> Note:
    """A note whose blocks start at the given raw lines; `heading` adds a section with a heading line."""
    blocks = tuple(Block("paragraph", text, Source(path, line)) for line, text in lines)
    sections = [Section("Links", 1, Source(path, 1), blocks)]
    if heading is not None:
        sections.append(Section("H", 2, Source(path, heading[0]), (), heading=heading[1]))
    return Note(path=path, title="Links", raw="", markdown="", sections=tuple(sections),
                title_markup=title_markup)


def missing(*notes: Note) -> list[tuple[str, int, str, str]]:
    index = NoteIndex([*NOTES, *notes])
    return [(m.note, m.line, m.target, m.text) for m in find_missing_links([*notes], index)]


def test_a_link_finds_a_note_whose_name_encodes_its_accents_differently() -> None:
    import unicodedata

    decomposed = note(unicodedata.normalize("NFD", "Café.md"), unicodedata.normalize("NFD", "Café"))
    index = NoteIndex([decomposed])
    assert index.find("Café") is decomposed and index.find("CAFÉ.md") is decomposed


def test_wikilink_goes_where_the_merge_put_the_note() -> None:
    text = resolve("See [IAM](note:IAM).", home_of=lambda p, h: ("topics/iam.md", "users") if p == "Security/IAM.md" else None)
    assert text == "See [IAM](iam.md#users)."


def test_wikilink_falls_back_to_the_note_page_and_heading_anchor() -> None:
    text = resolve("[Users](note:Security/IAM#Users%20and%20groups)", page="other/security/x.md")
    assert text == "[Users](../../notes/security/iam.md#users-and-groups)"


def test_names_are_matched_by_file_title_or_alias_case_insensitively() -> None:
    for target in ("s3", "Storage/S3", "simple%20storage%20service"):
        text = resolve(f"[x](note:{target})")
        assert text == "[x](../notes/storage/s3.md)"
        assert missing(linking_note("a.md", (3, f"[x](note:{target})"))) == []


def test_a_link_to_a_missing_note_becomes_its_text_marked_as_missing() -> None:
    assert resolve("Read [Glacier](note:Glacier#Tiers) first.") == (
        'Read <span class="handbook-missing-link" title="“Glacier” is not in the notes folder">Glacier</span> first.'
    )
    # The repairs table, written as HTML after the text, escapes the same link's words.
    text = resolve("[A && B](note:A%20&&%20B)\n\n<td>[A &amp;&amp; B](note:A%20&&%20B)</td>")
    tooltip = 'title="“A &#38;&#38; B” is not in the notes folder"'
    assert text == (f'<span class="handbook-missing-link" {tooltip}>A && B</span>\n\n'
                    f'<td><span class="handbook-missing-link" {tooltip}>A &amp;&amp; B</span></td>')


@settings(max_examples=200)
@example("a|b")
@example('[x](y) `c` *e* _u_ \\* <b> "q" \'s\'')
@given(st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30).filter(
    lambda name: name.strip() and "#" not in name and name.strip().lower() not in NoteIndex(NOTES).by_name))
def test_a_missing_note_s_name_shows_whole_in_its_tooltip_in_text_and_tables(name: str) -> None:
    md = mkdocs_markdown(Path(tempfile.gettempdir()))
    target = quote(name, safe="")
    page = resolve(f"See [the note](note:{target}) here.\n\n| A | B |\n| --- | --- |\n| [cell](note:{target}) | 2 |\n")
    html = md.convert(page)
    titles = re.findall(r'<span class="handbook-missing-link" title="([^"]*)">(the note|cell)</span>', html)
    assert [(unescape(title), text) for title, text in titles] == [
        (f"“{name.strip()}” is not in the notes folder", "the note"),
        (f"“{name.strip()}” is not in the notes folder", "cell"),
    ]
    assert "<td>2</td>" in html


def test_a_missing_note_is_reported_at_the_note_line_that_links_it() -> None:
    note = linking_note("Storage/Vault.md", (4, "Read [Glacier](note:Glacier) first."),
                        (6, "One\nTwo [Deep](note:Deep%20Archive#Tiers) and [S3](note:S3)\n"
                            "three [Glacier](note:Glacier)"))
    assert missing(note) == [
        ("Storage/Vault.md", 4, "Glacier", "Glacier"),
        ("Storage/Vault.md", 7, "Deep Archive#Tiers", "Deep"),
        ("Storage/Vault.md", 8, "Glacier", "Glacier"),
    ]


def test_a_missing_note_named_twice_on_a_line_is_reported_once_and_per_note() -> None:
    first = linking_note("b.md", (2, "[Glacier](note:Glacier) and again [Glacier](note:Glacier), "
                                     "then [Vault](note:Vault)."))
    copy = linking_note("a.md", (2, "[Glacier](note:Glacier)"))
    assert missing(first, copy) == [("b.md", 2, "Glacier", "Glacier"), ("b.md", 2, "Vault", "Vault"),
                                    ("a.md", 2, "Glacier", "Glacier")]


def test_missing_links_in_headings_definitions_and_the_title_are_reported() -> None:
    note = linking_note("t.md", (5, "See [gone][g]."), (7, "[g]: note:gone.md"),
                        heading=(9, "## About [Nothing](note:Nothing)"), title_markup="Links to [Gone](note:Gone)")
    assert missing(note) == [
        ("t.md", 1, "Gone", "Gone"), ("t.md", 7, "gone.md", "g"), ("t.md", 9, "Nothing", "Nothing"),
    ]
    assert find_missing_links([note], NoteIndex([note]))[0] == MissingLink("t.md", 1, "Gone", "Gone")


def test_assets_and_page_targets_are_relative_to_the_page() -> None:
    text = resolve("![d](asset:img/Pasted%20image%201.PNG) and [m](page:matrix/index.md#legend)", page="notes/x/y.md")
    assert text == "![d](../../assets/img/pasted-image-1.png) and [m](../../matrix/index.md#legend)"
    assert asset_page_path("a b/C.JPG") == "assets/a-b/c.jpg"
    # Names in other scripts keep their letters, so that two images never share one address.
    assert asset_page_path("图片/图一.png") == "assets/图片/图一.png" != asset_page_path("图片/图二.png")


def test_embedded_files_whose_names_make_one_address_each_get_their_own(tmp_path: Path) -> None:
    import logging

    from handbook.links import asset_addresses, asset_files
    from handbook.model import Asset

    (tmp_path / "img").mkdir()
    for name in ("a b.png", "a-b.png", "c.png"):
        (tmp_path / "img" / name).write_bytes(name.encode())
    pictures = Note(path="pics.md", title="Pics", raw="", markdown="", sections=(), assets=(
        Asset("img/c.png", "pics.md", 3), Asset("img/a-b.png", "pics.md", 5), Asset("img/a b.png", "pics.md", 7)))
    addresses = asset_addresses([pictures])
    records: list[logging.LogRecord] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = records.append
    logging.getLogger("handbook").addHandler(handler)
    try:
        files = {f.path: f.content for f in asset_files([pictures], tmp_path, "notes", addresses)}
    finally:
        logging.getLogger("handbook").removeHandler(handler)
    suffixed = addresses.address("img/a b.png")
    assert re.fullmatch(r"assets/img/a-b-[0-9a-f]{6}\.png", suffixed)
    assert files == {"assets/img/a-b.png": b"a-b.png", suffixed: b"a b.png", "assets/img/c.png": b"c.png"}
    assert [r.getMessage() for r in records] == [
        "notes/pics.md:7: the embedded file 'img/a b.png' makes the same address as 'img/a-b.png'; each file is "
        "copied to an address of its own, all but one with a short suffix; to choose which, rename one of the two"]
    page = resolve_links([GeneratedFile("notes/pics.md", "![x](asset:img/a%20b.png) ![y](asset:img/a-b.png)")],
                         NoteIndex([pictures]), no_homes, assets=addresses)[0].content
    assert page == f"![x](../{suffixed}) ![y](../assets/img/a-b.png)"
    kept = Note(path="pics.md", title="Pics", raw="", markdown="", sections=(), assets=pictures.assets[:2])
    assert [(f.path, f.content) for f in asset_files([kept], tmp_path)] == [
        ("assets/img/a-b.png", b"a-b.png"), ("assets/img/c.png", b"c.png")]


def test_reference_definitions_into_the_notes_folder_are_resolved_or_dropped() -> None:
    text = resolve('See [the bucket][s3] and [gone][g].\n\n[s3]: note:Storage/S3.md "Buckets"\n[g]: note:gone.md\n')
    assert text == 'See [the bucket][s3] and [gone][g].\n\n[s3]: ../notes/storage/s3.md "Buckets"\n\n'
    # A definition of the folder itself (`[b]: /`) names no note: dropped too, not left as a `note:` address.
    assert resolve("See [b].\n\n[b]: note:\n") == "See [b].\n\n\n"


def test_other_files_pass_through_untouched() -> None:
    files = resolve_links([GeneratedFile("x.html", "[a](note:IAM)")], NoteIndex(NOTES), no_homes)
    assert files[0].content == "[a](note:IAM)"


@settings(max_examples=500)
@example("![a](note:b)")
@example("x![a](page:c)![d](note:e)!")
@example("[a](note:b)![c](asset:d)")
@example("[a](note:b)!")
@example('[a](asset:b "t")')
@example("*[[a][a]](note:b)")
@example("[[a](note:b)](note:c)")
@example("\\[a](note:b) \\\\[c](note:d)")
@example('[a](\nnote:b\n"t"\n)')
@given(st.lists(st.sampled_from(["[", "]", "(", ")", "\\", "!", "](note:", "](\nnote:", "page:", "x", " ", "a b", "#h", "\n", '"t"', "'"]),
                max_size=16).map("".join))
def test_link_targets_are_the_links_a_character_by_character_pattern_finds(text: str) -> None:
    # Link text: characters, escapes and brackets in balanced pairs two deep; no link opens at a bracket that one
    # backslash escapes; a link in another's text is found on a later pass. (The look-behind below tells one
    # backslash from two, not three: the test of escaped brackets below has those.)
    assume("\\\\\\[" not in text)
    plain = re.compile(r"(!?)\[(?<!(?<!\\)\\.)((?:[^\[\]\\]|\\.|\[(?:[^\[\]\\]|\\.|\[(?:[^\[\]\\]|\\.)*\])*\])*)"
                       r"\]\(\n?(note|asset|page):([^)\s]*)"
                       r"((?:(?:[ \t]+(?:\n(?![ \t]*\n)[ \t]*)?|\n(?![ \t]*\n)[ \t]*)"
                       r"(?:\"[^\"\n]*\"|'[^'\n]*'|\([^()\n]*\)))?)[ \t]*(?:\n(?![ \t]*\n)[ \t]*)?\)")
    expected = text
    for _ in range(4):
        expected = plain.sub(lambda m: "<{}|{}|{}|{}|{}>".format(*m.groups()), expected)
    assert rewrite_link_targets(text, lambda m, bang: "<{}|{}|{}|{}|{}>".format(bang, *m.groups())) == expected


def test_an_escaped_bracket_opens_no_link_and_an_escaped_backslash_does() -> None:
    text = "\\[a](note:b) \\\\[c](note:d) \\\\\\[e](note:f) \\\\\\\\[g](note:h)"
    found = [m.group(1) for m in link_matches(text)]
    assert found == ["c", "g"]
    # A line of escaped brackets is read once, not once from each bracket.
    assert list(link_matches("[" + "\\\\\\[" * 20_000 + "[a](note:x)")) != []


_MISSING_TITLE = re.compile(r'<span class="handbook-missing-link" title="([^"]*)">')
# Lines a note may hold: links to a note that exists and to ones that do not, in every place a link can
# be (prose, headings, list items, quotes, tables, callouts, definitions), and the same text in code.
# Each with the missing note its links name.
_LINK_LINES = {
    "See [[Known]] and [[Gone A]].": "Gone A", "## About [[Gone B|b]]": "Gone B", "- item [[Gone C#Part]]": "Gone C",
    "> quoted [[Gone D]]": "Gone D", "| x | [[Gone E]] |": "Gone E", "[text](gone-f.md) and [ok](Known.md)": "gone-f.md",
    "`[[Gone G]]` in code": None, "```\n[[Gone H]]\n```": None, "> [!note] Callout [[Gone I]]": "Gone I",
    "Ref [r][r].\n\n[r]: gone-j.md": "gone-j.md", "1. first [[Gone K]]\n2. second": "Gone K", "": None,
    "[app](obsidian://open?vault=V&file=Gone-L) and [ok](obsidian://open?vault=V&file=Known)": "Gone-L",
}


@settings(max_examples=60)
@given(st.lists(st.lists(st.sampled_from(sorted(_LINK_LINES)), min_size=1, max_size=5), min_size=1, max_size=3))
def test_every_link_shown_as_missing_is_reported_and_every_report_is_shown(bodies: list[list[str]]) -> None:
    from handbook.model import RawNote
    from handbook.normalise import load_context, normalise_note

    data = Path(__file__).resolve().parents[1] / "data"
    texts = {"Known.md": "# Known\n\nHere.\n"}
    texts |= {f"n{i}.md": f"# Note {i}\n\n" + "\n\n".join(lines) + "\n" for i, lines in enumerate(bodies)}
    context = load_context(data, frozenset())
    notes = [normalise_note(RawNote(path, text, len(text)), context) for path, text in texts.items()]
    site = render_notes(notes, texts, data)
    shown = {unescape(title)[1:].split("\u201d")[0] for page in site.pages if isinstance(page.content, str)
             for title in _MISSING_TITLE.findall(page.content)}
    reported = {link.target.partition("#")[0] for link in site.missing_links}
    assert reported == {_LINK_LINES[line] for lines in bodies for line in lines} - {None}
    assert shown == reported
    for link in site.missing_links:
        written = texts[link.note].split("\n")[link.line - 1]
        # A reference-style link is reported where it is used, which names its target by a label.
        assert link.target.partition("#")[0] in written.replace("|b]]", "]]").replace("[r][r]", "[gone-j.md]")
