"""A vault of the shapes real vaults hold (tests/fixtures/nasty-vault/) builds strictly as it is: empty notes,
names that clash once made addresses, headings inside HTML blocks, links in link text, other tools' template
syntax and HTML of every kind; and nothing of the machine that built it reaches the site."""

from __future__ import annotations

import contextlib
import getpass
import html
import io
import re
import shutil
import socket
from dataclasses import dataclass
from pathlib import Path

import pytest

from handbook.diagnose import site_markdown
from tests.conftest import PROJECT, BuiltSite, copy_project, norm, run_build

NASTY = Path(__file__).parent / "fixtures" / "nasty-vault"
CLASHING = "Clashing names"


@dataclass(frozen=True)
class NastyBuild:
    """The vault's site, built as it is, and the warnings the build gave."""

    site: BuiltSite
    warnings: list[str]


def build_quietly(root: Path, vault: Path, *extra: str) -> tuple[int, list[str]]:
    """Build a vault; its exit code and the warnings it logged."""
    output = io.StringIO()
    with contextlib.redirect_stderr(output):
        code = run_build(root, *extra, notes=vault)
    return code, [line for line in output.getvalue().splitlines() if line.startswith("WARNING")]


@pytest.fixture(scope="module")
def nasty(tmp_path_factory: pytest.TempPathFactory) -> NastyBuild:
    # Copied to a folder of the test's own, so that the leak check below has a path to look for.
    vault = tmp_path_factory.mktemp("nasty-vault-source") / "vault"
    shutil.copytree(NASTY, vault)
    root = copy_project(tmp_path_factory.mktemp("nasty-site"))
    code, warnings = build_quietly(root, vault)
    assert code == 0, warnings
    return NastyBuild(BuiltSite(root), warnings)


@pytest.fixture(scope="module")
def nasty_site(nasty: NastyBuild) -> BuiltSite:
    return nasty.site


@pytest.mark.slow
def test_the_vault_builds_strictly_but_for_its_clashing_names(tmp_path: Path) -> None:
    # Notes whose names make one address each get their own, and the build says so: a warning, which
    # --strict stops on, as the names are the user's to change. Without them, the vault builds strictly.
    vault = tmp_path / "vault"
    shutil.copytree(NASTY, vault, ignore=shutil.ignore_patterns(CLASHING))
    code, warnings = build_quietly(copy_project(tmp_path / "site"), vault, "--strict")
    assert (code, warnings) == (0, [])


@pytest.mark.slow
def test_notes_whose_names_clash_each_get_a_page_and_one_warning(nasty: NastyBuild) -> None:
    assert len(nasty.warnings) == 3, nasty.warnings
    assert "Clashing names/a b.md: its name makes the same page address as 'Clashing names/a-b.md'" in nasty.warnings[0]
    assert "Clashing names/a.b.md: its name makes the same page address as 'Clashing names/ab.md'" in nasty.warnings[1]
    assert ("Clashing names/Links.md:5: the embedded file 'Clashing names/pic a.png' makes the same address as "
            "'Clashing names/pic-a.png'") in nasty.warnings[2]
    html = article(page_html(nasty.site, "other", "clashing-names/links"))
    targets = re.findall(r'<a href="\.\./([^"/]+)/">([^<]+)</a>', html)
    pages = dict((text, target) for target, text in targets)
    assert pages["ab"] == "ab" and pages["a-b"] == "a-b"
    assert re.fullmatch(r"ab-[0-9a-f]{6}", pages["a.b"]) and re.fullmatch(r"a-b-[0-9a-f]{6}", pages["a b"])
    assert pages["the dotted one"] == pages["a.b"]
    images = re.findall(r'<img[^>]* src="([^"]+)"', html)
    assert len(set(images)) == 2
    copies = {(nasty.site.site / "handbook" / "other" / "clashing-names" / "links" / src).resolve().read_bytes()
              for src in images}
    assert copies == {(NASTY / CLASHING / name).read_bytes() for name in ("pic a.png", "pic-a.png")}
    for text, target in pages.items():
        title = page_html(nasty.site, "notes", f"clashing-names/{target}").split("<title>", 1)[1]
        assert title.startswith({"ab": "AB", "a-b": "A hyphen B", "a.b": "A dot B", "a b": "A space B",
                                 "the dotted one": "A dot B"}[text]), (text, title)


def page_html(site: BuiltSite, folder: str, slug: str) -> str:
    return (site.site / "handbook" / folder / slug / "index.html").read_text(encoding="utf-8")


def article(html: str) -> str:
    """The page's article, without a source note's repairs and 'As written' text (which quote the note)."""
    text = html.split("<article", 1)[1].split("</article>", 1)[0]
    return re.split(r'id="(?:repairs|as-written)"', text, maxsplit=1)[0]


@pytest.mark.slow
def test_every_note_gets_a_page_and_every_link_to_one_lands(nasty_site: BuiltSite) -> None:
    notes = list(NASTY.rglob("*.md"))
    pages = [p for p in (nasty_site.site / "handbook" / "notes").rglob("index.html")
             if p.parent != nasty_site.site / "handbook" / "notes"]
    assert len(pages) == len(notes)
    index = article(page_html(nasty_site, "other", "index-note"))
    for link in re.findall(r'href="(\.\./\.\./notes/[^"#]+)"', index):
        assert (nasty_site.site / "handbook" / "other" / "index-note" / link / "index.html").resolve().is_file(), link


@pytest.mark.slow
def test_empty_notes_have_pages_their_links_reach(nasty_site: BuiltSite) -> None:
    index = article(page_html(nasty_site, "other", "index-note"))
    for slug in ("empty", "sub-folder/empty-too", "only-front-matter", "blank", "sub-folder/index-note"):
        assert f'href="../../notes/{slug}/"' in index, slug
        assert (nasty_site.site / "handbook" / "notes" / slug / "index.html").is_file(), slug


@pytest.mark.slow
def test_a_heading_inside_an_html_block_keeps_its_anchor(nasty_site: BuiltSite) -> None:
    html = article(page_html(nasty_site, "other", "html-headings"))
    for anchor in ("inside-a-div", "after-the-div", "after-the-unclosed-div"):
        assert re.search(rf'<h2 id="{anchor}"', html), anchor
    assert 'href="../html-headings/#inside-a-div"' in article(page_html(nasty_site, "other", "index-note"))


@pytest.mark.slow
def test_a_link_in_link_text_shows_as_written_and_its_inner_link_works(nasty_site: BuiltSite) -> None:
    html = article(page_html(nasty_site, "other", "nested-links"))
    assert '[x](<a href="https://example.com/y">y</a>)' in html
    # A link inside another's text: Python-Markdown links the outer one and shows the inner one as written.
    assert '<a href="https://example.com/outer">outer [inner](https://example.com/inner) text</a>' in html


@pytest.mark.slow
def test_a_link_whose_target_holds_a_space_is_text_and_a_spaced_out_one_a_link(nasty_site: BuiltSite) -> None:
    html = article(page_html(nasty_site, "other", "spaced-links"))
    assert "[the index page](Index page.md) is text" in html
    assert re.search(r'<a href="[^"]*index-note/">the index</a> is a link', html)


@pytest.mark.slow
def test_a_link_written_over_lines_is_one_link_with_no_break_inside(nasty_site: BuiltSite) -> None:
    html = article(page_html(nasty_site, "other", "wrapped-links"))
    assert re.search(r'<a href="[^"]*index-note/">the index</a> still links its note', html)
    assert '<a href="https://a.example/docs" title="The docs">the docs</a> keep their title' in html
    assert re.search(r'<a href="[^"]*index-note/" title="Index">the index again</a> still links too', html)
    assert "<br" not in html.split("An editor", 1)[1].split("</p>", 1)[0]


@pytest.mark.slow
def test_braces_and_a_definition_under_text_show_as_written(nasty_site: BuiltSite) -> None:
    text = html.unescape(re.sub(r"<[^>]+>", "", article(page_html(nasty_site, "other", "braces-and-definitions"))))
    for shown in ("Tag the instances {Environment=prod} and {Name=web}", "bold{next to braces}",
                  "https://a.example{right after a link}", "[1]: https://docs.aws.amazon.com/"):
        assert shown in text, shown
    assert re.search(r"aws s3 ls\s+\[bucket\]: x", text)


@pytest.mark.slow
def test_math_shows_as_mathml_and_prices_as_written(nasty_site: BuiltSite) -> None:
    html = article(page_html(nasty_site, "other", "math"))
    assert html.count("<math ") == 4 and '<math display="block">' in html
    text = re.sub(r"<[^>]+>", "", html)
    assert "it costs $5 a month, or $50 a year" in text and "$x^$" in text
    assert "<em>" not in html.split("A formula", 1)[1]


@pytest.mark.slow
def test_other_tools_syntax_is_shown_as_written(nasty_site: BuiltSite) -> None:
    html = article(page_html(nasty_site, "other", "other-tools"))
    for written in ("{{ site.title }}", "{% include footer.html %}", "{% raw %}", "{{ page.content }}",
                    "{% endraw %}", "{{&lt; ref \"other.md\" &gt;}}", "{{% notice tip %}}", "{{ 7*7 }}",
                    "&lt;%= user.name %&gt;", "${HOME}", "$(whoami)", "--8&lt;-- \"README.md\""):
        assert written in html, written
    assert "49" not in html  # never evaluated


@pytest.mark.slow
def test_html_of_every_kind_is_sanitised(nasty_site: BuiltSite) -> None:
    html = article(page_html(nasty_site, "notes", "html-of-every-kind"))
    for active in ("<script", "<style", "<iframe", "onerror", "onclick", "onload", "javascript:", "<form", "<svg",
                   "<object", "<embed", "<base", "<meta", 'style="'):
        assert active not in html, active
    for kept in ("<kbd>Ctrl</kbd>", "H<sub>2</sub>O", "<b>bold</b>"):
        assert kept in html, kept


@pytest.mark.slow
def test_nothing_of_the_build_machine_reaches_the_site(nasty_site: BuiltSite, tmp_path_factory) -> None:
    source = str(tmp_path_factory.getbasetemp())
    generated = [*(nasty_site.docs / "handbook").rglob("*"), *(nasty_site.site / "handbook").rglob("*"),
                 *nasty_site.docs.glob("*.json"), nasty_site.site / "search" / "search_index.json"]
    texts = {p: p.read_text(encoding="utf-8", errors="replace") for p in generated if p.is_file()}
    assert not [p for p, text in texts.items() if source in text]
    # A user or host name counts where it stands as a word of its own and is no word the project's own
    # pages use (a user named "root" and the "root account" of the data are told apart that way).
    project = " ".join(p.read_text(encoding="utf-8") for p in [*PROJECT.joinpath("data").rglob("*.yml"),
                                                              *PROJECT.joinpath("docs").glob("*.md")])
    for name in {getpass.getuser(), socket.gethostname()}:
        word = re.compile(rf"(?<![\w.-]){re.escape(name)}(?![\w-])", re.I)
        if len(name) < 3 or word.search(project):
            continue
        assert not [p for p, text in texts.items() if word.search(text)], name


# ---- the rules behind it, case by case ------------------------------------------------------------------


def test_a_link_written_as_a_links_target_keeps_its_text_and_links_the_inner_target():
    note = norm("# T\n\nSee [x]([y](https://example.com/y)) and [k]([z](Other.md)).\n")
    text = note.sections[0].blocks[0].markdown
    assert r"[x]\([y](https://example.com/y))" in text
    assert r"[k]\([z](note:Other.md))" in text


def test_a_plain_relative_link_is_still_a_note_link():
    text = norm("# T\n\nSee [k](a(b).md).\n").sections[0].blocks[0].markdown
    assert "[k](note:a%28b%29.md)" in text


@pytest.mark.parametrize("tag, written", [
    ("<div>", '<div markdown="1">'),
    ('<div class="note" onclick="x()">', '<div markdown="1">'),
    ("<blockquote>", '<blockquote markdown="1">'),
    ("<p>", "<p></p>"),
    ("<h2>", "<h2></h2>"),
    ("<hr>", "<hr>"),
    ("<span>", "<span>"),
])
def test_a_lone_block_tag_lets_what_follows_read_as_markdown(tag, written):
    note = norm(f"# T\n\n{tag}\n\n## Heading\n\nText.\n")
    assert note.markdown.split("\n")[2] == written
    html = site_markdown(PROJECT / "mkdocs.yml")(note.markdown)
    assert '<h2 id="heading"' in html


def test_a_closed_html_block_is_left_as_it_was():
    note = norm("# T\n\n<div>\nText in it.\n</div>\n")
    assert "<div>\nText in it.\n</div>" in note.markdown


def test_a_liquid_statement_ending_its_line_is_shown_not_read_as_attributes():
    note = norm("# T\n\n{% raw %}\n{{ page.content }}\n{% endraw %}\n\nText {% if x %} mid-line.\n")
    html = site_markdown(PROJECT / "mkdocs.yml")(note.markdown)
    assert "{% endraw %}" in html and "{% raw %}" in html and "{{ page.content }}" in html
    assert "{% if x %} mid-line" in html
    assert "endraw=" not in html and " _ " not in html


# ---- a note's title ------------------------------------------------------------------------------------


@pytest.mark.parametrize("path, text, title", [
    # A `#` heading below other headings is a section: the file names the note.
    ("AWS S3.md", "S3 stores objects.\n\n## Buckets\n\nText.\n\n# Usage\n\nMore.\n", "AWS S3"),
    ("5. Docker images.md", "## Building\n\nText.\n\n## Pushing image\n\nMore.\n", "5. Docker images"),
    ("2.3 ALB vs NLB.md", "ALB works at layer 7.\n\n### 🔹 Quick Comparison Table\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
     "2.3 ALB vs NLB"),
    # The note's top heading names it.
    ("IAM.md", "# Identity and Access Management\n\n## Users\n\nText.\n", "Identity and Access Management"),
    ("AMI.md", "![[banner.png]]\n# Amazon Machine Image\n\n## Samples\n\nText.\n", "Amazon Machine Image"),
    ("Setup.md", "#howto\n\n## Getting started\n\n### Step one\n\nText.\n", "Getting started"),
    # A name that says nothing yields to the note's `#` heading, wherever it stands.
    ("3f2a9c1b7d4e5f60.md", "Intro.\n\n## Part\n\n# Real title\n\nText.\n", "Real title"),
])
def test_a_notes_title_is_its_top_heading_or_its_file_name(path, text, title):
    assert norm(text, path=path).title == title


def test_a_heading_that_does_not_title_the_note_stays_a_section():
    note = norm("S3 stores objects.\n\n## Buckets\n\nText.\n\n# Usage\n\nMore.\n", path="AWS S3.md")
    assert [s.title for s in note.sections] == ["AWS S3", "Buckets", "Usage"]
