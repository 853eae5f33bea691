"""The redirect map keeps old page addresses working, with their #section part."""

from __future__ import annotations

import posixpath
import re
import shutil
from pathlib import Path

import pytest

from handbook.datafile import parse_yaml, validate
from handbook.model import BuildError
from handbook.redirects import MovedPage, RedirectMap, forwarding_page, moved_note_pages, page_url, render_redirects
from tests.conftest import PROJECT, copy_project, run_build, serve

PAGES = {"topics/aws-responsibilities.md", "topics/index.md", "services/rds.md"}


def redirect_map(text: str) -> tuple[RedirectMap, object]:
    document = parse_yaml(text, "data/redirects.yml")
    return validate(document, RedirectMap), document


def test_page_urls_follow_directory_urls() -> None:
    assert page_url("topics/aws-responsibilities.md") == "topics/aws-responsibilities/"
    assert page_url("topics/index.md") == "topics/"
    assert page_url("report/index.md") == "report/"


def test_forwarding_page_points_relative_to_the_old_address() -> None:
    page = forwarding_page("topics/security-of-the-cloud/", "topics/aws-responsibilities/", "AWS <side>")
    assert '<meta http-equiv="refresh" content="0; url=../aws-responsibilities/">' in page
    assert 'location.replace("../aws-responsibilities/" + location.hash)' in page
    assert "AWS &lt;side&gt;" in page


def test_renders_one_forwarding_page_per_redirect() -> None:
    redirects, document = redirect_map(
        "redirects:\n  - from: topics/security-of-the-cloud.md\n    to: topics/aws-responsibilities.md\n"
    )
    files = render_redirects(redirects, document, PAGES, {})
    assert [f.path for f in files] == ["topics/security-of-the-cloud/index.html"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("redirects:\n  - from: topics/old.md\n    to: topics/nowhere.md\n",
         "data/redirects.yml:3: redirects[0].to: expected the path of a generated page; received 'topics/nowhere.md'"),
        ("redirects:\n  - from: services/rds.md\n    to: topics/index.md\n",
         "data/redirects.yml:2: redirects[0].from: expected an old path that is no longer a page; "
         "received 'services/rds.md'"),
        ("redirects:\n  - from: topics/old.md\n    to: topics/index.md\n  - from: topics/old.md\n    to: topics/index.md\n",
         "data/redirects.yml:4: redirects[1].from: expected each old path once; received 'topics/old.md'"),
    ],
    ids=["unknown-target", "old-path-still-a-page", "duplicate"],
)
def test_bad_redirects_name_file_line_and_key(text: str, message: str) -> None:
    redirects, document = redirect_map(text)
    with pytest.raises(BuildError) as caught:
        render_redirects(redirects, document, PAGES, {})
    assert caught.value.describe() == message


def test_schema_errors_are_pinned() -> None:
    with pytest.raises(BuildError) as caught:
        redirect_map("redirects:\n  - from: Topics/Old Page.md\n    to: topics/index.md\n")
    assert caught.value.describe() == (
        "data/redirects.yml:2: redirects[0].from: expected a string matching the pattern "
        "'^[a-z0-9][a-z0-9/_-]*\\.md$'; received 'Topics/Old Page.md'"
    )


@pytest.mark.browser
@pytest.mark.slow
def test_an_old_address_lands_on_the_new_page_and_section(tmp_path: Path, page) -> None:
    root = copy_project(tmp_path / "project")
    data = tmp_path / "data"
    shutil.copytree(PROJECT / "data", data, ignore=shutil.ignore_patterns("notes"))
    (data / "redirects.yml").write_text(
        "redirects:\n  - from: topics/security-of-the-cloud.md\n    to: topics/aws-responsibilities.md\n",
        encoding="utf-8",
    )
    assert run_build(root, "--data", str(data), notes=PROJECT / "data" / "notes") == 0
    with serve(root / "site", "/wiki-target/") as url:
        page.goto(f"{url}handbook/topics/security-of-the-cloud/#security-of-the-cloud")
        page.wait_for_url(f"{url}handbook/topics/aws-responsibilities/#security-of-the-cloud")
        assert page.locator("h1").inner_text().startswith("AWS responsibilities")


def test_moved_note_pages_pair_old_and_new_addresses() -> None:
    moved = moved_note_pages({"5. Storage _ Database/S3_Basics.md": "S3 basics", "メモ/日本_一.md": "一",
                              "Заметки/Первая.md": "Первая", "plain notes.md": "Plain"})
    assert moved == [
        MovedPage("notes/5-storage-database/s3-basics.md", "notes/5-storage-_-database/s3_basics.md", "S3 basics"),
        MovedPage("other/5-storage-database/s3-basics.md", "other/5-storage-_-database/s3_basics.md", "S3 basics"),
        MovedPage("notes/メモ/日本-一.md", "notes/メモ/日本_一.md", "一"),
        MovedPage("other/メモ/日本-一.md", "other/メモ/日本_一.md", "一"),
    ]


def test_a_moved_page_never_takes_the_address_of_a_page_or_of_another_redirect() -> None:
    redirects, document = redirect_map("redirects:\n  - from: notes/c-d.md\n    to: topics/index.md\n")
    moved = [MovedPage("notes/a-b.md", "notes/a_b.md", "A"), MovedPage("notes/x-y.md", "notes/x_y.md", "X"),
             MovedPage("notes/x-y.md", "notes/x__y.md", "X2"), MovedPage("notes/c-d.md", "notes/c_d.md", "C"),
             MovedPage("other/x-y.md", "other/x_y.md", "X")]
    pages = {"notes/a_b.md", "notes/a-b.md", "notes/x_y.md", "notes/x__y.md", "notes/c_d.md", "topics/index.md"}
    files = render_redirects(redirects, document, pages, {}, moved)
    assert [f.path for f in files] == ["notes/c-d/index.html", "notes/x-y/index.html"]
    assert "url=../x_y/" in files[1].content


_CANONICAL = re.compile(r'<link rel="canonical" href="([^"]+)">')


@pytest.mark.slow
def test_every_old_note_address_still_resolves(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    named = {
        "5. Storage _ Database/S3_Basics.md": "# S3_Basics\n\n## Buckets _ Objects\n\nA bucket holds objects.\n",
        "5. Storage _ Database/x_y-z.md": "# x_y-z\n\n## 第二部分\n\nSee [[S3_Basics#Buckets _ Objects]].\n",
        "メモ/日本_一.md": "# 日本_一\n\n## メモ_二\n\nNotes in Japanese.\n",
        "Заметки/Первая заметка.md": "# Первая заметка\n\nA note in Russian.\n",
        "plain note.md": "# Plain note\n\nNothing to move.\n",
    }
    for name, text in named.items():
        (notes / name).parent.mkdir(parents=True, exist_ok=True)
        (notes / name).write_text(text, encoding="utf-8")
    root = copy_project(tmp_path / "project")
    assert run_build(root, notes=notes) == 0
    site = root / "site" / "handbook"

    moved = moved_note_pages({name: name for name in named})
    assert {m.old for m in moved} >= {"notes/5-storage-database/s3-basics.md", "notes/5-storage-database/x-y-z.md",
                                      "notes/メモ/日本-一.md"}
    resolved = 0
    for move in moved:
        if not (site / page_url(move.new) / "index.html").is_file():
            assert move.old.startswith("other/")  # a note whose every section went to a topic has no such page
            continue
        forwarding = (site / page_url(move.old) / "index.html").read_text(encoding="utf-8")
        target = _CANONICAL.search(forwarding).group(1)
        assert posixpath.normpath(posixpath.join(page_url(move.old), target)) + "/" == page_url(move.new)
        resolved += 1
    assert resolved >= 3
    for unmoved in ("notes/заметки/первая-заметка/", "notes/plain-note/"):
        assert (site / unmoved / "index.html").is_file()
