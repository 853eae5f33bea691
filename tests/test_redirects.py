"""The redirect map keeps old page addresses working, with their #section part."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from handbook.datafile import parse_yaml, validate
from handbook.model import BuildError
from handbook.redirects import RedirectMap, forwarding_page, page_url, render_redirects
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
