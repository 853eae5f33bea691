"""Blocks whose meaning depends on where they stand (options, steps, commands) never merge one by one."""

from __future__ import annotations

import pytest

from handbook.merge import load_topics, merge_notes
from handbook.merge.place import depends_on_place
from handbook.model import Block, Source
from tests.conftest import DATA, norm


def block(markdown: str, kind: str = "list_item") -> Block:
    return Block(kind, markdown, Source("n.md", 1))  # type: ignore[arg-type]


@pytest.mark.parametrize("markdown", [
    "- B. AWS Trusted Advisor.", "- **C.** AWS Trusted Advisor.", "(d) Amazon Inspector", "A) Amazon GuardDuty",
    "1. sudo apt-get update", "12) Restart the service", "- __E.__ None of the above",
])
def test_options_and_steps_depend_on_their_place(markdown: str) -> None:
    assert depends_on_place(block(markdown))


@pytest.mark.parametrize(("markdown", "kind"), [
    ("- AWS Trusted Advisor checks service limits.", "list_item"),
    ("A customer owns the data.", "paragraph"),  # a sentence that starts with a capital and a space
    ("- Amazon S3 stores objects.", "list_item"),
    ("2024 was the year the region opened.", "paragraph"),
    ("| a | b |\n| - | - |\n| 1 | 2 |", "table"),
])
def test_statements_stand_on_their_own(markdown: str, kind: str) -> None:
    assert not depends_on_place(block(markdown, kind))


def test_code_depends_on_its_place() -> None:
    assert depends_on_place(block("```sh\nsudo systemctl status docker\n```", "code"))


def merged_sources(*texts: tuple[str, str]) -> set[tuple[str, int]]:
    """The (note, line) of every block the merge took away, for notes given as (path, text)."""
    result = merge_notes([norm(text, path=path) for path, text in texts], load_topics(DATA))
    return {(source.note, source.line) for record in result.merges for source in record.merged}


def test_the_same_option_under_two_questions_stays_under_each() -> None:
    question = ("# Question {n}\n\nWhich service checks your account against best practices for cost and "
                "security in question {n}?\n\n- **A.** Amazon Inspector scans workloads.\n"
                "- **B.** AWS Trusted Advisor checks the account against best practices.\n")
    assert merged_sources(("q1.md", question.format(n=1)), ("q2.md", question.format(n=2).replace("**B.**", "**C.**"))
                          ) == set()


def test_a_repeated_step_stays_in_its_procedure() -> None:
    procedure = ("# Install Docker on {host}\n\n{intro}\n\n"
                 "1. sudo apt-get update\n2. sudo apt-get install docker.io\n3. sudo apt-get update\n"
                 "4. sudo systemctl status docker\n")
    web = procedure.format(host="web", intro="The web servers get Docker first.")
    database = procedure.format(host="database", intro="Databases follow once the web tier runs.")
    assert merged_sources(("a.md", web), ("b.md", database)) == set()


def test_a_statement_repeated_in_two_notes_still_merges() -> None:
    fact = "AWS is responsible for the physical security of the data centers that run every region."
    merged = merged_sources(("a.md", f"# Physical security\n\n{fact}\n"), ("b.md", f"# Data centers\n\n{fact}\n"))
    assert len(merged) == 1
