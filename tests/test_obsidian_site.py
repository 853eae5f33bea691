"""Obsidian notes end to end: embedded images copied into the site, missing ones marked, wikilinks
followed, template-looking text shown literally and raw HTML sanitised."""

from __future__ import annotations

import base64
import html
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import BuiltSite, copy_project, run_build

pytestmark = pytest.mark.slow

# A 1x1 transparent PNG.
PIXEL = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=")

NETWORK_NOTE = """---
tags: [network]
---
# Network diagrams

#organize

Our VPC layout:

![[vpc diagram.png|800]]

The old one is gone: ![[old layout.png]]

See [[Access control#Least privilege|least privilege]] and [[Nowhere note]].

Jinja-looking text stays as written: {{ user.name }} and {% if x %}.

<p onclick="steal()">Inline HTML</p><script>alert("x")</script>

[A link](https://example.com/){ onclick="steal()" href="javascript:alert(1)" }
"""

# Text that HTML, Markdown or a template would each read differently; its page must show it as it is.
RAW_NOTE = (
    "# Raw text\n\nClose tags in code: `</code></pre></details>` and `-->`; entities &amp; &lt;b&gt; & <b>bold</b>.\n"
    "\n````text\n```\n{{ not.a.template }} {% raw %}\n--8<-- \"abbreviations.md\"\n````\n\n"
    "--8<-- \"missing-file.md\"\n\nCut here --8<-- [start:cut] or not.\n\n"
    "\tA tab, trailing spaces   \n   \nCafé – naïve ✓\n\n\n"
)

LINKS_NOTE = """# Markdown links

See [access control](../Access%20control.md#least-privilege), [the diagrams](<Network diagrams.md>),
[a heading here](#more), [[#More|a wikilink here]], [by reference][acc] and [a missing page](missing.md).

[acc]: ../Access%20control.md

![The VPC](../images/vpc%20diagram.png "VPC layout")

## More

[The web](https://example.com/) and [mail](mailto:team@example.com); the guide is at https://docs.example.com/guide.

Keep ==this== and drop ~~that~~, but ~5 minutes and ~10 stay as written.

The [[Access control#^least-privilege|quarterly review]] is a block, not the heading its id spells.

[Open in Obsidian](obsidian://open?vault=Team%20vault&file=Access%20control%23Least%20privilege), as the app copies it.
"""

# Code spans make these titles plain text with HTML tags in it; on every page they, and the note's
# tags, must stay text.
TAG_NOTE = (
    '---\ntags: ["<img src=x onerror=alert(3)>"]\n---\n'
    "# The `</title><script>alert(1)</script>` tag\n\n## The `<img src=x onerror=alert(2)>` tag\n\nC# & more.\n"
)

# File and folder names are text too: a backtick, a tag or the end of an HTML comment in them.
HOSTILE_FOLDER = "dir <b onmouseover=alert(4)>x"
HOSTILE_NAME = "evil`<img src=x onerror=alert(5)>` --><b onmouseover=alert(6)>.md"

ACCESS_NOTE = """# Access control

## Least privilege

Grant only the permissions a role needs.

## Review

Review the access of every role each quarter. ^least-privilege
"""


# Lists as Obsidian numbers them: a numbered list after a bulleted one, and one that goes on after an image.
STEPS_NOTE = "# Steps\n\n- A bullet.\n1. First step.\n2. Second step.\n\n![[vpc diagram.png]]\n\n3. Third step.\n\na. not a list\n"


# A note in numbered and underscored folders, as vaults name them, with a year for a tag and an emoji
# in its title (JSON would write it as a surrogate pair, which is not YAML).
KEY_NOTE = "---\ntags: [2024]\n---\n# Key rotation 🔑\n\nRotate customer managed keys yearly.\n"


@pytest.fixture(scope="module")
def vault_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    notes = tmp_path_factory.mktemp("vault")
    (notes / "images").mkdir()
    (notes / "images" / "vpc diagram.png").write_bytes(PIXEL)
    (notes / "Networking").mkdir()
    (notes / "Networking" / "Network diagrams.md").write_text(NETWORK_NOTE, encoding="utf-8")
    (notes / "Access control.md").write_text(ACCESS_NOTE, encoding="utf-8")
    (notes / "Raw text.md").write_text(RAW_NOTE, encoding="utf-8")
    (notes / "Networking" / "Links.md").write_text(LINKS_NOTE, encoding="utf-8")
    (notes / "Tags.md").write_text(TAG_NOTE, encoding="utf-8")
    (notes / "Steps.md").write_text(STEPS_NOTE, encoding="utf-8")
    (notes / "1. Security" / "_general").mkdir(parents=True)
    (notes / "1. Security" / "_general" / "Key rotation.md").write_text(KEY_NOTE, encoding="utf-8")
    (notes / HOSTILE_FOLDER).mkdir()
    (notes / HOSTILE_FOLDER / HOSTILE_NAME).write_text("# Fine\n\nText.\n", encoding="utf-8")
    root = copy_project(tmp_path_factory.mktemp("project"))
    assert run_build(root, notes=notes) == 0
    return BuiltSite(root)


def note_html(site: BuiltSite) -> str:
    return (site.site / "handbook" / "notes" / "networking" / "network-diagrams" / "index.html").read_text(encoding="utf-8")


def article(html: str) -> str:
    """The page's own content, without the raw text shown under 'As written'."""
    body = html.split('<article', 1)[1]
    return body.split('id="repairs"', 1)[0].split('id="as-written"', 1)[0]


def test_embedded_image_is_copied_and_shown(vault_site: BuiltSite) -> None:
    copied = vault_site.site / "handbook" / "assets" / "images" / "vpc-diagram.png"
    assert copied.read_bytes() == PIXEL
    assert re.search(r'<img[^>]+src="\.\./\.\./\.\./assets/images/vpc-diagram\.png"[^>]*width="800"', note_html(vault_site))


def test_missing_image_is_a_visible_styled_note(vault_site: BuiltSite) -> None:
    shown = article(note_html(vault_site))
    assert '<em class="handbook-missing-image">Image not available: old layout.png</em>' in shown
    assert "old layout.png" not in "".join(re.findall(r"<img[^>]*>", shown))


def test_wikilinks_lead_to_the_note_and_heading(vault_site: BuiltSite) -> None:
    shown = article(note_html(vault_site))
    link = re.search(r'<a href="([^"]+)">least privilege</a>', shown)
    assert link is not None
    target = (vault_site.site / "handbook" / "notes" / "networking" / "network-diagrams" / link.group(1).split("#")[0]).resolve()
    assert (target / "index.html").exists() or target.exists()
    assert link.group(1).endswith("#least-privilege")
    assert 'href="Nowhere' not in shown
    # A link to a missing note is its text, marked the way Obsidian marks one, with a tooltip.
    assert ('<span class="handbook-missing-link" title="“Nowhere note” is not in the notes folder">'
            "Nowhere note</span>") in shown


def test_template_syntax_is_shown_literally_and_html_is_sanitised(vault_site: BuiltSite) -> None:
    shown = article(note_html(vault_site))
    assert "{{ user.name }}" in shown and "{% if x %}" in shown
    assert "<script" not in shown and "onclick" not in shown and "alert(" not in shown and "javascript:" not in shown
    assert "Inline HTML" in shown


def test_the_note_as_written_is_shown_character_for_character(vault_site: BuiltSite) -> None:
    page = (vault_site.site / "handbook" / "notes" / "raw-text" / "index.html").read_text(encoding="utf-8")
    written = page.split('id="as-written"', 1)[1]
    code = re.search(r"<pre[^>]*>(.*?)</pre>", written, re.S)
    assert code is not None
    shown = html.unescape(re.sub(r"<[^>]+>", "", code.group(1)))
    assert shown == RAW_NOTE.removesuffix("\n")


def test_snippet_markers_in_a_note_are_text_not_includes(vault_site: BuiltSite) -> None:
    page = (vault_site.site / "handbook" / "notes" / "raw-text" / "index.html").read_text(encoding="utf-8")
    shown = article(page)
    assert '<p>--8&lt;-- "missing-file.md"</p>' in shown
    assert "<p>Cut here --8&lt;-- [start:cut] or not.</p>" in shown
    assert '--8&lt;-- "abbreviations.md"' in shown and "*[EC2]" not in shown


def test_obsidian_highlights_and_strikethrough_show_as_marked_and_deleted_text(vault_site: BuiltSite) -> None:
    shown = article((vault_site.site / "handbook" / "notes" / "networking" / "links" / "index.html").read_text(
        encoding="utf-8"))
    assert "Keep <mark>this</mark> and drop <del>that</del>, but ~5 minutes and ~10 stay as written." in shown


def test_markdown_links_to_notes_files_and_headings_lead_where_their_text_went(vault_site: BuiltSite) -> None:
    page_dir = vault_site.site / "handbook" / "notes" / "networking" / "links"
    shown = article((page_dir / "index.html").read_text(encoding="utf-8"))
    links = dict((text, href) for href, text in re.findall(r'<a href="([^"]+)">([^<]+)</a>', shown))
    assert links["access control"].endswith("#least-privilege")
    assert links["Open in Obsidian"].endswith("#least-privilege")  # an obsidian:// link, as the site's own link
    for text in ("access control", "the diagrams", "a heading here", "a wikilink here", "by reference",
                 "Open in Obsidian"):
        target = (page_dir / links[text].split("#")[0]).resolve()
        assert (target / "index.html").exists() or target.is_file(), text
    assert links["The web"] == "https://example.com/" and links["mail"] == "mailto:team@example.com"
    assert links["https://docs.example.com/guide"] == "https://docs.example.com/guide"  # a bare address, as Obsidian links it
    assert "a missing page" in shown and "a missing page" not in links
    assert re.search(r'<img alt="The VPC" src="\.\./\.\./\.\./assets/images/vpc-diagram\.png" title="VPC layout"', shown)
    report = json.loads((vault_site.docs / "report.json").read_text(encoding="utf-8"))
    assert report["unresolved_links"] == [
        {"note": "Networking/Links.md", "line": 4, "target": "Networking/missing.md", "text": "a missing page"},
        {"note": "Networking/Network diagrams.md", "line": 14, "target": "Nowhere note", "text": "Nowhere note"},
    ]


def test_a_link_to_a_block_leads_to_the_block_itself(vault_site: BuiltSite) -> None:
    page_dir = vault_site.site / "handbook" / "notes" / "networking" / "links"
    shown = article((page_dir / "index.html").read_text(encoding="utf-8"))
    href = re.search(r'<a href="([^"]+)">quarterly review</a>', shown).group(1)
    page, _, anchor = href.partition("#")
    assert anchor == "block-least-privilege"  # never the heading "Least privilege" that the id spells
    target = (page_dir / page).resolve() / "index.html"
    assert f'<p id="{anchor}">Review the access of every role each quarter.</p>' in target.read_text(encoding="utf-8")


def test_lists_are_numbered_as_in_obsidian(vault_site: BuiltSite) -> None:
    for page in ("notes/steps", "other/steps"):
        shown = article((vault_site.site / "handbook" / page / "index.html").read_text(encoding="utf-8"))
        shown = shown.split('id="handbook-sources"')[0]  # the page's source list is a numbered list of its own
        lists = re.findall(r"<(ul|ol)((?: [a-z]+=\"[^\"]*\")*)>", shown)
        assert [(tag, attrs) for tag, attrs in lists if tag in ("ul", "ol")] == [
            ("ul", ""), ("ol", ' type="1"'), ("ol", ' start="3" type="1"')], page
        assert "<p>a. not a list</p>" in shown


def test_titles_headings_tags_and_file_names_with_html_in_them_are_text_on_every_page(vault_site: BuiltSite) -> None:
    pages = {path: path.read_text(encoding="utf-8") for path in vault_site.site.rglob("*.html")}
    live = re.compile(r"<script>alert|<img[^>]*onerror|<b onmouseover")
    assert not [path for path, text in pages.items() if live.search(text)]
    listing = pages[vault_site.site / "handbook" / "notes" / "index.html"]
    assert "The &lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; tag" in listing


def test_tags_become_page_tags(vault_site: BuiltSite) -> None:
    page = (vault_site.docs / "handbook" / "notes" / "networking" / "network-diagrams.md").read_text(encoding="utf-8")
    assert re.search(r'^tags:\n  - "network"\n  - "organize"', page, re.M)


def test_folder_names_in_the_navigation_show_as_written(vault_site: BuiltSite) -> None:
    # A backslash escape in a section title reached the page as control characters ("1\x0246\x03 Security").
    pages = {path: path.read_text(encoding="utf-8") for path in vault_site.site.rglob("*.html")}
    assert not [path for path, text in pages.items() if "\x02" in text or "\x03" in text]
    sections = {html.unescape(label.strip()) for text in pages.values() for label in re.findall(
        r'<label class="md-nav__link"[^>]*>\s*<span class="md-ellipsis">([^<]*)</span>', text)}
    assert {"1.\u00a0Security", "_general"} <= sections


def test_zensical_builds_the_vault_docs_strictly_too(vault_site: BuiltSite, tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy2(vault_site.root / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copytree(vault_site.docs, project / "docs")
    shutil.copytree(vault_site.root / "templates", project / "templates")
    done = subprocess.run([str(Path(sys.executable).with_name("zensical")), "build", "--strict"], cwd=project,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    page = (vault_site.docs / "handbook" / "notes" / "1-security" / "_general" / "key-rotation.md").read_text(encoding="utf-8")
    assert 'title: "Key rotation 🔑"' in page and '  - "2024"' in page
