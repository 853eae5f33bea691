"""Hostile and broken YAML in data files and front matter: refused quickly, with file, line, expected and received."""

from __future__ import annotations

import os
import pickle
import signal
from pathlib import Path

import pytest
from pydantic import BaseModel

from handbook.datafile import MAX_DEPTH, parse_yaml, read_yaml, validate
from handbook.glossary import Glossary, load_glossary
from handbook.load import Limits
from handbook.model import BuildError
from handbook.normalise.frontmatter import split_front_matter
from handbook.redirects import load_redirects

LETTERS = "abcdefghi"
BOMB = 'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n' + "".join(
    f"{b}: &{b} [" + ", ".join(f"*{a}" for _ in range(9)) + "]\n" for a, b in zip(LETTERS, LETTERS[1:]))


def error_of(text: str, path: str = "data/x.yml") -> str:
    with pytest.raises(BuildError) as caught:
        parse_yaml(text, path)
    return caught.value.describe()


# ---- anchors and aliases ------------------------------------------------------------------------------


def test_an_alias_bomb_is_refused_at_its_first_anchor() -> None:
    assert error_of("# a billion laughs\n" + BOMB) == (
        "data/x.yml:2: expected plain YAML without anchors or aliases; received the anchor '&a'"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("a: *x\n", "data/x.yml:1: expected plain YAML without anchors or aliases; received the alias '*x'",
                     id="alias"),
        pytest.param("base: &base {owner: aws}\n", "data/x.yml:1: expected plain YAML without anchors or aliases; "
                     "received the anchor '&base'", id="anchor"),
        pytest.param("items:\n  - &one x\n", "data/x.yml:2: expected plain YAML without anchors or aliases; "
                     "received the anchor '&one'", id="anchored-scalar"),
        pytest.param("a: {x: 1}\nb:\n  <<: *a\n", "data/x.yml:3: expected plain YAML without anchors or aliases; "
                     "received the alias '*a'", id="merge-key"),
    ],
)
def test_anchors_and_aliases_are_refused(text: str, message: str) -> None:
    assert error_of(text) == message


# ---- nesting depth ------------------------------------------------------------------------------------


def test_nesting_up_to_the_limit_is_read() -> None:
    inside = MAX_DEPTH - 1  # the top-level mapping is the first level
    value = parse_yaml("a: " + "[" * inside + "]" * inside + "\n", "data/x.yml").data["a"]
    for _ in range(inside - 2):
        value = value[0]
    assert value == [[]]


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 1000, 50_000])
def test_deeper_flow_nesting_is_refused_before_anything_recurses(depth: int) -> None:
    assert error_of("a: " + "[" * depth + "]" * depth + "\n") == (
        "data/x.yml:1: expected lists and mappings nested at most 64 deep; received a 65th level"
    )


def test_unclosed_nesting_is_refused_for_its_depth_first() -> None:
    assert error_of("x: 1\ny: " + "{a: " * 50_000 + "\n") == (
        "data/x.yml:2: expected lists and mappings nested at most 64 deep; received a 65th level"
    )


def test_deep_block_nesting_is_refused_on_the_line_of_the_level_too_many() -> None:
    text = "".join("  " * level + f"k{level}:\n" for level in range(MAX_DEPTH + 5))
    assert error_of(text) == "data/x.yml:65: expected lists and mappings nested at most 64 deep; received a 65th level"


# ---- syntax errors: where the parser stopped and where the bracket or quote was opened -----------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("a: 1\nb: [x, y\nc: 2\n", "data/x.yml:3: invalid YAML: expected ',' or ']', but got ':'; "
                     "the '[' opened on line 2 is never closed", id="list"),
        pytest.param("a: {x: 1\n\nc: 2\n", "data/x.yml:3: invalid YAML: expected ',' or '}', but got ':'; "
                     "the '{' opened on line 1 is never closed", id="mapping"),
        pytest.param("a: [x,\n y\n", "data/x.yml:3: invalid YAML: expected ',' or ']', but got '<stream end>'; "
                     "the '[' opened on line 1 is never closed", id="at-the-end"),
        pytest.param('a: "abc\nb: 2\n', 'data/x.yml:3: invalid YAML: found unexpected end of stream; '
                     'the quote " opened on line 1 is never closed', id="quote"),
        pytest.param("a: [x, y: z\n", "data/x.yml:2: invalid YAML: expected ',' or ']', but got '<stream end>'; "
                     "the '[' opened on line 1 is never closed", id="same-line"),
        pytest.param("a: [x, y}\n", "data/x.yml:1: invalid YAML: expected ',' or ']', but got '}'",
                     id="stopped-on-the-opening-line"),
        pytest.param("a: 1\n---\nb: 2\n", "data/x.yml:2: invalid YAML: expected a single document in the stream, "
                     "but found another document", id="two-documents"),
        pytest.param("a:\n\t- b\n", "data/x.yml:2: invalid YAML: found character '\\t' that cannot start any token",
                     id="tab"),
    ],
)
def test_syntax_errors_name_where_the_parser_stopped_and_what_was_left_open(text: str, message: str) -> None:
    assert error_of(text) == message


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("created: 2024-13-45\n", "data/x.yml:1: expected a real date or time (month must be in 1..12), "
                     "or text in quotes; received '2024-13-45'", id="impossible-date"),
        pytest.param("n: " + "1" * 5000 + "\n", "data/x.yml:1: expected a number of at most 4300 digits, or text in "
                     "quotes; received '" + "1" * 76 + "...", id="long-number"),
        pytest.param("n: 0x" + "f" * 5000 + "\n", "data/x.yml:1: expected a number of at most 4300 digits, or text "
                     "in quotes; received '0x" + "f" * 74 + "...", id="long-hexadecimal-number"),
    ],
)
def test_values_yaml_cannot_construct_are_errors_not_tracebacks(text: str, message: str) -> None:
    assert error_of(text) == message


# ---- front matter -------------------------------------------------------------------------------------


def front_matter_error(text: str) -> str:
    with pytest.raises(BuildError) as caught:
        split_front_matter(text, "bomb.md")
    return caught.value.inside("notes").describe()


def test_an_alias_bomb_in_front_matter_names_the_note_and_its_line() -> None:
    assert front_matter_error(f"---\ntitle: Bomb\n{BOMB}---\n# Bomb\n") == (
        "notes/bomb.md:3: front matter: expected plain YAML without anchors or aliases; received the anchor '&a'"
    )


@pytest.mark.parametrize("depth", [1000, 50_000])
def test_deep_front_matter_names_the_note_and_its_line(depth: int) -> None:
    assert front_matter_error("---\ntitle: Deep\nlevels: " + "[" * depth + "]" * depth + "\n---\n# Deep\n") == (
        "notes/bomb.md:3: front matter: expected lists and mappings nested at most 64 deep; received a 65th level"
    )


def test_an_unclosed_bracket_in_front_matter_names_the_note_lines_of_both_ends() -> None:
    assert front_matter_error("---\ntitle: T\ntags: [aws,\n  iam\nauthor: Sam\n---\n# T\n") == (
        "notes/bomb.md:5: front matter: invalid YAML: expected ',' or ']', but got ':'; "
        "the '[' opened on line 3 is never closed"
    )


def test_a_repeated_front_matter_key_names_both_lines_of_the_note() -> None:
    assert front_matter_error("---\ntitle: A\ntags: [x]\ntitle: B\n---\n") == (
        "notes/bomb.md:4: front matter: title: expected each key once; received it again (first on line 2)"
    )


# ---- data files: what is read, and messages that name the file ----------------------------------------


def read_error(file: Path, display: str = "data/glossary.yml", limits: Limits = Limits()) -> str:
    with pytest.raises(BuildError) as caught:
        read_yaml(file, display, limits)
    return caught.value.describe()


def test_a_data_file_that_is_a_folder_is_named(tmp_path: Path) -> None:
    (tmp_path / "glossary.yml").mkdir()
    with pytest.raises(BuildError) as caught:
        load_glossary(tmp_path)
    assert caught.value.describe() == f"{tmp_path.name}/glossary.yml: expected a YAML file; received a folder"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_data_file_that_is_a_pipe_is_refused_without_waiting(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "glossary.yml")
    signal.signal(signal.SIGALRM, lambda *_: pytest.fail("waited for a writer"))
    signal.alarm(20)
    try:
        assert read_error(tmp_path / "glossary.yml") == (
            "data/glossary.yml: expected a YAML file; received a named pipe (FIFO)"
        )
    finally:
        signal.alarm(0)


def test_a_missing_data_file_is_named(tmp_path: Path) -> None:
    assert read_error(tmp_path / "glossary.yml") == "data/glossary.yml: file not found"


def test_a_data_file_over_the_size_limit_says_how_to_raise_it(tmp_path: Path) -> None:
    (tmp_path / "glossary.yml").write_bytes(b"terms: []\n" + b"#" * 1_200_000)
    assert read_error(tmp_path / "glossary.yml") == (
        "data/glossary.yml: expected a data file of at most 1 MB; received 1.2 MB (1,200,010 bytes); "
        "raise the limit with --max-data-size 2MB or HANDBOOK_MAX_DATA_SIZE=2MB"
    )
    assert read_yaml(tmp_path / "glossary.yml", limits=Limits(data_bytes=2_000_000)).data == {"terms": []}


def test_a_data_file_size_limit_reaches_the_loaders(tmp_path: Path) -> None:
    (tmp_path / "glossary.yml").write_text("terms:\n  - term: AWS\n    expansion: Amazon Web Services\n",
                                           encoding="utf-8")
    assert load_glossary(tmp_path, Limits(data_bytes=100)).terms[0].term == "AWS"
    with pytest.raises(BuildError) as caught:
        load_glossary(tmp_path, Limits(data_bytes=10))
    assert caught.value.message.startswith("expected a data file of at most 10 bytes; received 56 bytes; ")
    (tmp_path / "redirects.yml").write_text("redirects: []\n", encoding="utf-8")
    with pytest.raises(BuildError):
        load_redirects(tmp_path, Limits(data_bytes=10))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param("terms: []\n".encode("utf-16"), "data/glossary.yml: expected UTF-8 text; received UTF-16 "
                     "(little-endian, with a byte-order mark): save the file as UTF-8", id="utf16"),
        pytest.param(b"terms:\n  - term: caf\xe9\n", "data/glossary.yml:2:14: expected UTF-8 text; received the "
                     "invalid byte 0xe9", id="latin-1"),
    ],
)
def test_a_data_file_in_another_encoding_is_named(tmp_path: Path, data: bytes, message: str) -> None:
    (tmp_path / "glossary.yml").write_bytes(data)
    assert read_error(tmp_path / "glossary.yml") == message


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("", "data/glossary.yml: expected a mapping with the key 'terms'; received an empty file",
                     id="empty"),
        pytest.param("# only a comment\n", "data/glossary.yml: expected a mapping with the key 'terms'; "
                     "received an empty file", id="comments-only"),
        pytest.param("# terms\n- AWS\n", "data/glossary.yml:2: expected a mapping with the key 'terms'; "
                     "received a list", id="list"),
        pytest.param("AWS\n", "data/glossary.yml:1: expected a mapping with the key 'terms'; received 'AWS'",
                     id="text"),
    ],
)
def test_a_data_file_without_a_mapping_names_the_keys_not_a_class(text: str, message: str) -> None:
    with pytest.raises(BuildError) as caught:
        validate(parse_yaml(text, "data/glossary.yml"), Glossary)
    assert caught.value.describe() == message


def test_the_keys_of_a_schema_with_several_are_listed_by_their_names_in_the_file() -> None:
    class Schema(BaseModel):
        first: int
        from_: int = 0

        model_config = {"populate_by_name": True}

    Schema.model_fields["from_"].alias = "from"
    with pytest.raises(BuildError) as caught:
        validate(parse_yaml("", "data/x.yml"), Schema)
    assert caught.value.message == "expected a mapping with the keys 'first', 'from'; received an empty file"


# ---- BuildError ---------------------------------------------------------------------------------------


def test_build_error_keeps_its_column_across_processes_and_older_calls_still_work() -> None:
    error = BuildError("notes/a.md", "expected UTF-8 text", line=3, offset=40, column=7)
    again = pickle.loads(pickle.dumps(error))
    assert (again.path, again.line, again.offset, again.column, again.describe()) == (
        "notes/a.md", 3, 40, 7, "notes/a.md:3:7: expected UTF-8 text")
    assert BuildError("a.md", "m", 2).describe() == "a.md:2: m"
    assert BuildError("a.md", "m", offset=5).describe() == "a.md (byte 5): m"
    assert BuildError("a.md", "m", 2).inside("notes").describe() == "notes/a.md:2: m"
