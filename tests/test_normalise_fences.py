"""Code fences keep only an info string the site's fences accept, so their code and the text after stay apart."""

from __future__ import annotations

from pathlib import Path

import pytest

from handbook.normalise.render import fence_info
from tests.conftest import body, mkdocs_markdown, norm, rules


@pytest.mark.parametrize(("info", "kept"), [
    ("", ""),
    ("python", "python"),
    ("shell script", "shell"),
    ("js linenums", "js"),
    ('python title="bubble.py"', 'python title="bubble.py"'),
    ('py title="a b.py" linenums="1"', 'py title="a b.py" linenums="1"'),
    ("{.python .numbered}", "{.python .numbered}"),
    ("c++ example", "c++"),
    ("shell/bash", ""),
])
def test_fence_info_keeps_what_the_site_accepts(info: str, kept: str) -> None:
    assert fence_info(info) == kept


def test_a_fence_with_words_after_its_language_keeps_its_code_and_the_heading_after_it(tmp_path: Path) -> None:
    note = norm("# T\n\n## Call\n\n```shell script\naws s3 ls\n```\n\n## After\n\nText.\n")
    assert "```shell\naws s3 ls\n```" in body(note)
    assert rules(note).count("fence-info") == 1
    repair = next(r for r in note.repairs if r.rule == "fence-info")
    assert (repair.line, repair.before, repair.after) == (5, "shell script", "shell")
    page = mkdocs_markdown(tmp_path).convert(note.markdown)
    assert '<h2 id="after">After' in page
    code = page.split('id="after"')[0].rsplit("<pre", 1)[1]
    assert "aws" in code and "ls" in code and "shell script" not in page
    again = norm(note.markdown)
    assert again.markdown == note.markdown and "fence-info" not in rules(again)


def test_a_fence_the_site_accepts_is_left_as_written() -> None:
    text = '# T\n\n```python title="a.py"\nprint(1)\n```\n'
    note = norm(text)
    assert '```python title="a.py"\nprint(1)\n```' in body(note)
    assert "fence-info" not in rules(note)
