"""Text written into generated pages: YAML front matter, counts and identifiers."""

from __future__ import annotations

import pytest
import yaml

from handbook.templating import id_code, number, yaml_string


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
