"""Text written into generated pages: YAML front matter, counts and identifiers."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from handbook.templating import id_code, md_title, number, yaml_string


@pytest.mark.parametrize(
    "text",
    ["Key rotation 🔑", "2024", "true", "null", "a\\b", 'say "hi"', "tab\there", "line\u2028separator",
     "\x85next line", "bom\ufeff", "Café – naïve"],
)
def test_yaml_string_reads_back_as_the_same_string(text: str) -> None:
    assert yaml.safe_load(f"key: {yaml_string(text)}") == {"key": text}


def test_yaml_string_writes_characters_outside_the_basic_plane_as_themselves() -> None:
    # JSON's "\ud83d\udd11" is two surrogates, which YAML readers other than PyYAML refuse.
    assert yaml_string("Key rotation 🔑") == '"Key rotation 🔑"'
    assert yaml_string("x\u2028y") == '"x\\u2028y"'


def test_counts_and_rule_ids() -> None:
    assert number(19808) == "19,808" and number(7) == "7"
    assert id_code("near-duplicate>=0.9") == "`near-duplicate>=0.9`{ .handbook-id }"


def test_a_count_names_one_thing_in_the_singular() -> None:
    from handbook.templating import count

    assert [count(n, "repair") for n in (0, 1, 2, 1204)] == ["0 repairs", "1 repair", "2 repairs", "1,204 repairs"]
    assert count(1, "analysis", "analyses") == "1 analysis" and count(3, "analysis", "analyses") == "3 analyses"


@given(st.text(alphabet="ab ()'\"\\[]<>&*_`=~^{}:|#!", min_size=1, max_size=14).filter(str.strip))
def test_a_link_title_reads_back_as_written_whatever_its_punctuation(text: str) -> None:
    import html
    import re

    import markdown

    converted = markdown.markdown(f'[a](page.md#x "{md_title(text)}")', extensions=["attr_list", "pymdownx.betterem"])
    found = re.fullmatch(r'<p><a href="page.md#x" title="(.*)">a</a></p>', converted)
    assert found, converted
    assert html.unescape(found.group(1)) == " ".join(text.split())


@pytest.mark.parametrize(("template", "expected"), [
    ("Line one\n{% if %}\n", "templates/page.md.j2:2: template syntax error: Expected an expression, got 'end of statement block'"),
    ("Line one\n\n{{ nothing_here }}\n", "templates/page.md.j2:3: template error: 'nothing_here' is undefined"),
])
def test_a_broken_template_is_named_with_its_line(tmp_path, monkeypatch, template: str, expected: str) -> None:
    from handbook.model import BuildError
    from handbook.templating import make_env, template_errors

    monkeypatch.chdir(tmp_path)
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "page.md.j2").write_text(template, encoding="utf-8")
    with pytest.raises(BuildError) as stopped, template_errors(tmp_path / "templates", "templates"):
        make_env(tmp_path / "templates").get_template("page.md.j2").render()
    assert stopped.value.describe() == expected


def test_a_missing_template_is_named(tmp_path) -> None:
    from handbook.model import BuildError
    from handbook.templating import make_env, template_errors

    with pytest.raises(BuildError) as stopped, template_errors(tmp_path, "templates"):
        make_env(tmp_path).get_template("notes/note.md.j2")
    assert stopped.value.describe() == "templates: expected a template named 'notes/note.md.j2' in this folder; received none"
