"""No note gives a page a link or tag that runs script: the sanitiser reads links and tags as Python-Markdown
does, the site's last check reads every URL as a browser does, and active attachments are left out."""

from __future__ import annotations

import logging
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from handbook.links import NoteIndex, asset_files, resolve_links, withheld_reason
from handbook.model import Asset, BuildError, GeneratedFile, Note
from handbook.normalise import normalise_text
from handbook.normalise.link_targets import browser_view, link_target_rule, target_prefix
from handbook.normalise.obsidian.math import MATH_ELEMENTS
from handbook.normalise.sanitise import clean_html, sanitise_tag
from handbook.normalise.registry import HTML_SANITISED, LINK_SCHEME
from handbook.urlcheck import browser_url, check_site_urls, page_violations, url_allowed
from tests.conftest import mkdocs_markdown
from tests.conftest import body, context, norm

# Each form gave a live `javascript:` link (or tag) in Chromium before; each must come out inert.
HOSTILE = {
    "space before the target": "[c]( javascript:alert(document.domain))",
    "tab before the target": "[c](\tjavascript:alert(1))",
    "target on the next line": "[c](\njavascript:alert(1))",
    "line end inside the scheme": "[c](java\nscript:alert(1))",
    "tab inside the scheme": "[c](java\tscript:alert(1))",
    "character reference": "[c](jav&#x61;script:alert(1))",
    "decimal reference": "[c](&#106;avascript:alert(1))",
    "named colon": "[c](javascript&colon;alert(1))",
    "tab reference": "[c](java&#9;script:alert(1))",
    "nested parentheses": "[c](javascript:alert((1)))",
    "quoted parenthesis": '[c](javascript:alert("(") )',
    "angle brackets after a space": "[c]( < javascript:alert(1)>)",
    "image": "![c]( javascript:alert(1))",
    "upper case": "[c](JaVaScRiPt:alert(1))",
    "vbscript": "[c](vbscript:msgbox(1))",
    "data page": "[c](data:text/html,<script>alert(1)</script>)",
    "reference": "[r][b] and [b] and [b][]\n\n[b]: javascript:alert(1)",
    "spelt reference": '[r][b]\n\n[b]: <jav&#x61;script:alert(1)> "t"',
    "reference accepted by markdown-it": "[r][b]\n\n[b]: java&#9;script:alert(1)",
    "reference on two lines": "[r]\n\n[r]:\n  javascript:alert(1)",
    "reference inside a paragraph": "text\n[c]: javascript:alert(1)\n\nuse [c]",
    "reference in a quote": "> [q][z]\n>\n> [z]: vbscript:x",
    "autolink": "<javascript:alert(1)>",
    "autolink with slashes": "<javascript://%0Aalert(1)>",
    "autolink with an attribute": "<javascript:x/onclick=alert(1)>click",
    "tag after a slash": "x <svg/onload=alert(1)> y",
    "link tag after a slash": "<a/href=javascript:alert(1)>x</a>",
    "escaped script": "x \\<script>alert(1)//\\</script>",
    "tag with a reference": '<a href="jav&#x61;script:alert(1)">x</a>',
    "table cell": "| a | b |\n|---|---|\n| [x](javascript:alert(1) | c) |",
    "autolink after a `](` that opens no link": "]([a]<javascript://> ",
    "code span Python-Markdown pairs otherwise": "``[a]`](<details/open/ontoggle=alert(1)>)`",
    "script opened by a slash at a line's start": "<script/](<img/src=x/onerror=alert(1)>",
}


_MARKDOWN: list = []  # the site's Python-Markdown, made once


def _page(note: Note) -> str:
    """A normalised note's page as the site writes it: its links resolved, then Python-Markdown."""
    if not _MARKDOWN:
        _MARKDOWN.append(mkdocs_markdown(Path(__file__).parent))  # snippets are not read here
    page = resolve_links([GeneratedFile("notes/note.md", note.markdown)], NoteIndex([note]), lambda *_: None)[0]
    _MARKDOWN[0].reset()
    return _MARKDOWN[0].convert(page.content)


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_a_hostile_link_or_tag_comes_out_inert_and_logged(text: str) -> None:
    note = norm(f"# T\n\n{text}\n")
    html = _page(note)
    assert page_violations(html, "note.html") == [], html  # no such URL, and no event handler
    assert "<svg" not in html and "<script" not in html, html
    assert {"html-sanitised", "link-scheme"} & {repair.rule for repair in note.repairs}
    # A second pass has nothing left to sanitise.
    again = normalise_text(note.markdown, context())[1]
    assert not {"html-sanitised", "link-scheme"} & {repair.rule for repair in again}


# Pieces of the forms above, put together at random: whatever a note makes of them, its page holds no URL
# the site refuses, no event handler and no element that acts.
PIECES = ["[a]", "](", "(", ")", " ", "\t", "\n", "java", "script", ":", "&#x61;", "&#58;", "&colon;", "&#9;", "<",
          ">", "/", "\\", '"', "`", "x", "//", "%0A", "alert(1)", "onload=alert(1)", "svg", "a href=", "data:text/html,",
          "<javascript:", "[b]: ", "[b]", "[b]:\n", "![i](", "|", "=", "<img/src=x/onerror=alert(1)>", "<a/href=",
          "](<details/open/ontoggle=alert(1)>)", "<script>", "</script>", "<iframe ", "\\<", "\\>", "> ", "- ",
          "$", "$$", "<math>", "</math>", "<mi title=", "\\href{javascript:alert(1)}{x}"]
# MathML is let through (math becomes MathML), but only its own presentation elements: see _Elements.in_math.
ACTIVE_ELEMENTS = {"script", "iframe", "object", "embed", "svg", "base", "meta", "form", "style", "link", "frame",
                   "template"}


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()
        self.in_math: set[str] = set()  # the elements inside a <math>
        self._math_depth = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        self.names.add(tag)
        if self._math_depth:
            self.in_math.add(tag)
        self._math_depth += tag == "math"

    def handle_endtag(self, tag: str) -> None:
        if tag == "math" and self._math_depth:
            self._math_depth -= 1


@settings(max_examples=300, suppress_health_check=list(HealthCheck))
@given(st.lists(st.sampled_from(PIECES), max_size=30).map("".join))
# A code span over two lines whose second Python-Markdown takes away as a link reference definition: the rest
# of the line before it was raw HTML.
@example("`<script>\n[b]: `")
@example("`](<details/open/ontoggle=alert(1)>)\n[b]: `")
# A footnote whose text markdown-it reads as a definition's target, kept as written before.
@example("[^1]:](<details/open/ontoggle=alert(1)>)[^1]")
# Math: a link in TeX, and MathML that holds HTML.
@example("$\\href{javascript:alert(1)}{x}$ <math><mi title=<script>x</script></math>")
# A link whose target or `)` is on the next line of a quote or a list item: resolved there too.
@example("> ![i]([a]\n)")
@example("- ![i](\n[a])")
def test_no_mix_of_hostile_pieces_gives_a_page_that_acts(text: str) -> None:
    note = norm(f"# T\n\n{text}\n")
    html = _page(note)
    assert page_violations(html, "note.html") == [], (text, note.markdown, html)
    elements = _Elements()
    elements.feed(html)
    assert not elements.names & ACTIVE_ELEMENTS, (text, note.markdown, html)
    assert elements.in_math <= MATH_ELEMENTS, (text, note.markdown, html)


@pytest.mark.parametrize(("text", "kept"), [
    ("[b]:\n\t<iframe >", "[b]: note:iframe%20"),
    ("[b]:\n    <script>\nalert(1)\n</script>", "[b]: note:script\n\nalert(1)"),
])
def test_a_definition_with_its_target_indented_on_the_next_line_stays_one_definition(text: str, kept: str) -> None:
    # Read without the indentation the target would be a tag: Python-Markdown would write it into the page.
    note = norm(f"# T\n\n{text}\n")
    assert body(note) == kept + "\n"
    elements = _Elements()
    elements.feed(_page(note))
    assert not elements.names & ACTIVE_ELEMENTS


def test_a_declaration_html_parser_cannot_read_is_text_not_a_crash() -> None:
    note = norm("# T\n\n<javascript:<![i](\n")
    assert "<![i](" in body(note) and "<script" not in _page(note)


def test_the_reported_forms_are_logged_as_other_unsafe_links_are() -> None:
    note = norm("# T\n\n[c]( javascript:alert(document.domain))\n\n[r][b]\n\n[b]: javascript:alert(1)\n")
    sanitised = [(r.line, r.rule, r.before, r.after) for r in note.repairs if r.rule == "html-sanitised"]
    # The definition first: it is neutralised before the references are written inline.
    assert sanitised == [(7, "html-sanitised", "[b]: javascript:alert(1)", "[b]: #"),
                         (3, "html-sanitised", "]( javascript:alert(document.domain))", "](#)")]
    # `#` is this note: each link leads to its page, as every neutralised link does.
    assert body(note) == "[c](note:note.md)\n\n[r](note:note.md)\n"


@pytest.mark.parametrize("text", [
    "[a](https://example.com/a_(b)) and [m](mailto:me@example.com) and [r](other.md) and [h](#heading)",
    "<https://example.com/x> and <me@example.com>",
    "![shot](data:image/png;base64,iVBORw0KGgo=)",
    "[s](https://example.com \"javascript: a title\")",
    "`[code](javascript:alert(1))` and `<svg/onload=x>` stay code",
    "Less than: a <= b, 3 < 4 and x<y",
])
def test_ordinary_links_and_text_are_left_alone(text: str) -> None:
    note = norm(f"# T\n\n{text}\n")
    assert not {"html-sanitised", "link-scheme"} & {repair.rule for repair in note.repairs}


def test_a_link_the_site_does_not_open_points_at_its_note() -> None:
    note = norm("# T\n\n[f](file:///etc/passwd), [t](tel:+123), <tel:+123> and <ftp://example.com/a>.\n")
    assert [(r.rule, r.before, r.after) for r in note.repairs if r.rule == "link-scheme"] == [
        ("link-scheme", "](file:///etc/passwd)", "](#)"), ("link-scheme", "](tel:+123)", "](#)"),
        ("link-scheme", "<tel:+123>", "&lt;tel:+123>"),
        ("link-scheme", "<ftp://example.com/a>", "&lt;ftp://example.com/a>")]


def test_a_bare_ftp_address_stays_text() -> None:
    assert "bare-url" not in {r.rule for r in norm("# T\n\nftp://example.com/file and https://example.com/\n").repairs
                              if "ftp" in r.before}


def test_targets_are_read_as_a_browser_reads_them() -> None:
    assert browser_view(" \tjav&#x61;\nscript&colon;x") == "javascript:x"
    assert link_target_rule("java script:x") is HTML_SANITISED
    assert link_target_rule("DATA:text/html,x") is HTML_SANITISED
    assert link_target_rule("data:image/png;base64,AA") is None
    assert link_target_rule("obsidian://open?vault=V") is LINK_SCHEME
    assert link_target_rule("https://example.com") is link_target_rule("note:X") is link_target_rule("../a.md") is None


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from([" ", "\t", "\n", "\\", "<", "&", "#", ";", ":", "x", "j", "a", "v", "s", "c", "r", "i",
                                "p", "t", "(", ")"]), max_size=40), st.integers(0, 600), st.integers(0, 40))
def test_a_targets_prefix_is_judged_as_the_whole_target(target: str, padding: int, start: int) -> None:
    # The sanitiser reads only the prefix, so that text of thousands of unclosed `](` costs its length, not its square.
    text = "x" * start + " " * padding + target + "javascript:" + "y" * 600
    for stop in (len(text), len(text) - 300, start + padding + len(target)):
        assert link_target_rule(target_prefix(text, start, stop)) is link_target_rule(text[start:stop])


def test_a_link_whose_target_holds_a_space_is_text_as_obsidian_shows_it(tmp_path: Path) -> None:
    # Python-Markdown would link it, to a page that does not exist, and the strict build would stop.
    note = norm("# T\n\nSee [the note](My Note.md), [web](https://a.example/x y) and [x]( n # ).\n")
    assert body(note) == "See [the note]\\(My Note.md), [web]\\(<https://a.example/x> y) and [x]\\( n # ).\n"
    assert [(r.rule, r.before, r.after) for r in note.repairs if r.rule == "link-spaced-target"] == [
        ("link-spaced-target", "](My Note.md)", "]\\(My Note.md)"),
        ("link-spaced-target", "](https://a.example/x y)", "]\\(https://a.example/x y)"),
        ("link-spaced-target", "]( n # )", "]\\( n # )"),
    ]
    assert "[the note](My Note.md)" in mkdocs_markdown(tmp_path).convert(note.markdown)
    assert norm(note.markdown).repairs == ()


def test_a_link_whose_target_has_text_after_its_angle_brackets_is_text_as_obsidian_shows_it(tmp_path: Path) -> None:
    # CommonMark reads no target there (a bare one cannot start with `<`), and shows the text with the address as
    # a link of its own; Python-Markdown made all of it the target of a link whose text was empty, shown as nothing.
    note = norm("# T\n\nSee [](<https://a.example/p>x) and [a](<b>c).\n")
    assert body(note) == "See []\\(<https://a.example/p>x) and [a]\\(<b>c).\n"
    assert [r.rule for r in note.repairs] == ["link-spaced-target", "link-spaced-target"]
    shown = mkdocs_markdown(tmp_path).convert(note.markdown)
    assert '<p>See [](<a href="https://a.example/p">https://a.example/p</a>x) and [a](<b>c).</p>' in shown
    assert norm(note.markdown).repairs == ()


def test_quotes_in_a_links_address_stay_in_the_address_as_commonmark_reads_them(tmp_path: Path) -> None:
    # Python-Markdown read a quoted end of the address as the title: the search below lost its term.
    note = norm("# T\n\n[s](https://a.example/search?q=\"term\") [t](https://a.example/p'x' \"T\") "
                "[u](https://a.example/it's)\n")
    assert body(note) == ("[s](https://a.example/search?q=%22term%22) [t](https://a.example/p%27x%27 \"T\") "
                          "[u](https://a.example/it's)\n")
    assert [r.rule for r in note.repairs] == ["link-quotes", "link-quotes"]
    shown = mkdocs_markdown(tmp_path).convert(note.markdown)
    assert '<a href="https://a.example/search?q=%22term%22">s</a>' in shown
    assert '<a href="https://a.example/p%27x%27" title="T">t</a>' in shown
    assert norm(note.markdown).repairs == ()


def test_a_link_commonmark_reads_stays_a_link_however_it_is_spaced() -> None:
    note = norm('# T\n\n[a]( Other%20note.md ) [b](<Other note.md>) [c](https://a.example "Title")\n')
    assert "link-spaced-target" not in {r.rule for r in note.repairs}
    assert body(note) == '[a](note:Other%20note.md ) [b](note:Other%20note.md) [c](https://a.example "Title")\n'


def test_a_link_written_over_lines_stays_one_link_without_a_break_in_it(tmp_path: Path) -> None:
    # CommonMark (and Obsidian) allow one line end before a link's target, before its title and before its
    # `)`; a `<br>` there made the target `url<br>`, and the address inside it a link of its own.
    note = norm('# T\n\nSee [a](https://a.example/x\n"Title") and [b](\nOther.md) and\n[c](https://c.example\n) end.\n')
    assert body(note) == ('See [a](https://a.example/x\n"Title") and [b](\nnote:Other.md) and<br>\n'
                          '[c](https://c.example\n) end.\n')
    assert {r.rule for r in note.repairs} == {"relative-link", "obsidian-line-break"}
    html = mkdocs_markdown(tmp_path).convert(note.markdown)
    assert '<a href="https://a.example/x" title="Title">a</a>' in html
    assert '<a href="note:Other.md">b</a>' in html and '<a href="https://c.example">c</a>' in html
    assert norm(note.markdown).repairs == ()


def test_a_target_with_no_open_bracket_before_it_is_text_not_a_link() -> None:
    # `(my note](Other.md)` is no link in CommonMark or on the site; made a note link, its target showed as
    # `note:Other.md`, and an address inside it lost its link.
    note = norm("# T\n\nsee (my note](Other.md), a] b](Other.md), ]([<https://a.example>) and [ok](Other.md)\n")
    assert body(note) == ("see (my note](Other.md), a] b](Other.md), ]([<https://a.example>) and "
                          "[ok](note:Other.md)\n")
    assert [r.rule for r in note.repairs] == ["relative-link"]


def test_a_line_end_after_a_links_title_moves_before_its_target(tmp_path: Path) -> None:
    # Python-Markdown reads no link where the line end comes after the title; before the target, it does.
    note = norm('# T\n\nSee [a](x\n"t"\n) and\n[b](\ny\n"u"\n) end.\n')
    assert [(r.line, r.before, r.after) for r in note.repairs if r.rule == "link-title-line-end"] == [
        (3, '](x\n"t"\n)', '](\nx\n"t")'),
        (6, '](\ny\n"u"\n)', '](\ny\n"u")\n'),
    ]
    html = mkdocs_markdown(tmp_path).convert(note.markdown)
    assert '<a href="note:x" title="t">a</a>' in html and '<a href="note:y" title="u">b</a>' in html
    assert norm(note.markdown).repairs == ()


def test_inline_tags_keep_only_web_and_mail_addresses() -> None:
    assert sanitise_tag('<a href="tel:123">') == "<a>"
    assert sanitise_tag('<blockquote cite="javascript:alert(1)">') == "<blockquote>"  # nh3 itself keeps it
    assert sanitise_tag('<a href="https://example.com/">') == '<a href="https://example.com/">'
    assert clean_html('<div><a href="ftp://example.com/">f</a></div>') == "<div><a>f</a></div>"


# ---- The site's last check --------------------------------------------------------------------------------


def test_urls_are_read_as_a_browser_reads_them() -> None:
    assert browser_url(" \x00java\tscript:x\n") == "javascript:x"
    assert url_allowed("https://a") and url_allowed("MAILTO:a@b") and url_allowed("../x/") and url_allowed("#top")
    assert url_allowed("data:image/webp;base64,AA") and url_allowed("//example.com/")
    assert not url_allowed("javascript:x") and not url_allowed("data:image/svg+xml,<svg/>")
    assert not url_allowed("ftp://a") and not url_allowed("file:///etc") and not url_allowed("obsidian://open")


@pytest.mark.parametrize("html, found", [
    ('<a href="jav&#x61;script:x">a</a>', ("a", "href", "javascript:x")),
    ('<a href="java&#9;script:x">a</a>', ("a", "href", "javascript:x")),
    ('<img srcset="a.png 1x, javascript:x 2x">', ("img", "srcset", "javascript:x")),
    ('<meta http-equiv="refresh" content="0; url=javascript:x">', ("meta", "content", "javascript:x")),
    ('<svg><a xlink:href="javascript:x"><text>t</text></a></svg>', ("a", "xlink:href", "javascript:x")),
    ('<svg><set attributeName="href" to="javascript:x"/></svg>', ("set", "to", "javascript:x")),
    ('<form action="vbscript:x"></form>', ("form", "action", "vbscript:x")),
    ('<button formaction="javascript:x">b</button>', ("button", "formaction", "javascript:x")),
    ('<object data="data:text/html,x"></object>', ("object", "data", "data:text/html,x")),
    ('<video poster="javascript:x"></video>', ("video", "poster", "javascript:x")),
    ('<div style="background: url(javascript:x)">d</div>', ("div", "style", "javascript:x")),
    ("<img src=x onerror=alert(1)>", ("img", "onerror", "alert(1)")),
    ('<iframe srcdoc="&lt;script&gt;x&lt;/script&gt;"></iframe>', ("iframe", "srcdoc", "<script>x</script>")),
    ("<style>p { background: url('javascript:x') }</style>", ("style", "url()", "javascript:x")),
])
def test_every_url_bearing_attribute_is_checked(html: str, found: tuple[str, str, str]) -> None:
    assert [(v.tag, v.attribute, v.url) for v in page_violations(html, "p.html")] == [found]


@pytest.mark.parametrize("element", ["<script>", "<script/](<img/src=x>", "<iframe>", "<form>", "<style>",
                                     "<object>", "<embed src=x>", "<base href=x>", "<meta>", "<template>"])
def test_an_element_that_acts_in_a_page_s_content_is_a_violation(element: str) -> None:
    name = element[1:].split(">")[0].split("/")[0].split(" ")[0]
    page = f"<article><h1>T</h1><p>{element}</p></article>"
    assert [(v.tag, v.attribute) for v in page_violations(page, "p.html")][:1] == [(name, "")]
    # The theme's own scripts and styles are outside the article.
    theme = '<head><link rel="stylesheet" href="a.css"><script src="b.js"></script></head><article><p>t</p></article>'
    assert page_violations(theme + "<script>x()</script>", "p.html") == []
    assert page_violations("<article><script>", "p.html")[0].problem() == (
        "expected a URL that is http, https, mailto, relative or an anchor, and no script; received the element "
        "<script> in the page's content")


def test_the_theme_s_own_markup_passes() -> None:
    theme = ('<a href="javascript:void(0)" class="md-search__icon md-icon" data-clipboard data-clipboard-text="" '
             'data-md-component="search-share" tabindex="-1"></a><link rel="canonical" href="http://127.0.0.1:8000/">'
             '<img src="data:image/png;base64,AA" alt=""><a href="../x/#y">x</a>')
    assert page_violations(theme, "index.html") == []
    # The exception is the theme's one element, not the URL.
    assert len(page_violations('<a href="javascript:void(0)">x</a>', "index.html")) == 1


def test_a_violation_stops_the_build_naming_page_line_url_and_note(tmp_path: Path) -> None:
    (tmp_path / "ok").mkdir()
    (tmp_path / "ok" / "index.html").write_text('<a href="https://example.com/">fine</a>', encoding="utf-8")
    assert check_site_urls(tmp_path) == 1
    page = tmp_path / "handbook" / "notes" / "bad"
    page.mkdir(parents=True)
    (page / "index.html").write_text(
        "<!-- Generated by scripts/build.py from data/notes/bad.md; edit the note, not this page. -->\n"
        "<p>\n<a href=' javascript:alert(1)'>x</a></p>\n", encoding="utf-8")
    with pytest.raises(BuildError) as error:
        check_site_urls(tmp_path)
    assert error.value.describe() == (
        "site/handbook/notes/bad/index.html:3: expected a URL that is http, https, mailto, relative or an anchor, "
        "and no script; received 'javascript:alert(1)' in <a href> (from the note data/notes/bad.md); "
        "1 in all on 1 page")


# ---- Attachments ---------------------------------------------------------------------------------------------


def test_only_passive_kinds_of_file_are_published() -> None:
    for name in ("a.png", "b.JPG", "c.pdf", "d.mp4", "e.csv", "f.docx"):
        assert withheld_reason(name) == "", name
    for name in ("a.svg", "b.SVGZ", "c.html", "d.htm", "e.xhtml", "f.xht", "g.shtml", "h.mhtml", "i.xml", "j.xsl",
                 "k.js", "l.mjs", "m.kml", "noextension"):
        assert withheld_reason(name), name


def test_an_active_attachment_is_not_copied_and_shows_as_not_published(tmp_path: Path, caplog) -> None:
    for name in ("evil.svg", "page.html", "fine.png"):
        (tmp_path / name).write_text("<svg onload=alert(1)>", encoding="utf-8")
    note = Note(path="n.md", title="N", raw="", markdown="", sections=(), assets=(
        Asset("evil.svg", "n.md", 3), Asset("page.html", "n.md", 4), Asset("fine.png", "n.md", 5)))
    with caplog.at_level(logging.WARNING, logger="handbook"):
        files = asset_files([note], tmp_path, "notes")
    assert [f.path for f in files] == ["assets/fine.png"]
    assert [record.getMessage().split(": expected")[0] for record in caplog.records] == [
        "notes/n.md:3: attached file 'evil.svg' is not published",
        "notes/n.md:4: attached file 'page.html' is not published"]
    page = resolve_links([GeneratedFile("notes/n.md", "![d](asset:evil.svg) [the page](asset:page.html) "
                                                      "![ok](asset:fine.png)")], NoteIndex([note]), lambda *_: None)[0]
    assert page.content == (
        '<span class="handbook-missing-image handbook-withheld-file" title="\u201cevil.svg\u201d is not published: '
        'an SVG image, which runs its script when opened as the site">File not published: evil.svg</span> '
        '<span class="handbook-missing-link handbook-withheld-file" title="\u201cpage.html\u201d is not published: '
        'a web page, which could run script as the site">the page</span> ![ok](../assets/fine.png)')
