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
