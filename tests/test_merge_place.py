"""Blocks whose meaning depends on where they stand (options, steps, commands) never merge one by one."""

from __future__ import annotations

import pytest

from handbook.merge import load_topics, merge_notes
from handbook.merge.place import depends_on_place, is_label
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


# ---- raw HTML, collapsible admonitions, questions --------------------------------------------------------
@pytest.mark.parametrize(("markdown", "kind"), [
    ("<details><summary>Answer</summary>\n\nB is correct.\n\n</details>", "html"),
    ('??? note "Answer"\n    B is correct.', "admonition"),
    ("Which approach should the solutions architect recommend?", "paragraph"),
    ("Which combination of services should the architect use? **(Select THREE.)**", "paragraph"),
    ("- What does it do ?", "list_item"),
])
def test_html_folded_answers_and_questions_depend_on_their_place(markdown: str, kind: str) -> None:
    assert depends_on_place(block(markdown, kind))


@pytest.mark.parametrize(("markdown", "kind"), [
    ('!!! note "Remember"\n    AWS owns the facilities.', "admonition"),
    ("Which service is cheapest is a question of usage. Measure first.", "paragraph"),
])
def test_open_admonitions_and_statements_do_not(markdown: str, kind: str) -> None:
    assert not depends_on_place(block(markdown, kind))


QUESTION = ("# Question {n}\n\nA company stores monthly reports in a bucket and must check every account against best "
            "practices for cost, security and fault tolerance, with one weekly summary for the finance team and one "
            "for the operators who run the production workloads in three regions.\n\n"
            "Which service should the solutions architect use?\n\n"
            "- **A.** Amazon Inspector scans the workloads.\n- **B.** {b}\n- **C.** Amazon Macie finds sensitive data.\n"
            "- **D.** AWS Config records the configuration.\n")


def test_a_whole_question_said_twice_merges_whole() -> None:
    text = QUESTION.format(n=1, b="AWS Trusted Advisor checks the account.")
    result = merge_notes([norm(text, path="q1.md"), norm(text, path="q2.md")], load_topics(DATA))
    assert [d.note for d in result.duplicate_notes] == ["q2.md"]
    assert result.counts.merged == 6  # the question, its stem and its four options


@pytest.mark.parametrize("other", ["AWS Shield protects the account.", "AWS Trusted Advisor checks the accounts."])
def test_a_question_that_differs_in_one_option_never_merges(other: str) -> None:
    first = QUESTION.format(n=1, b="AWS Trusted Advisor checks the account.")
    assert merged_sources(("q1.md", first), ("q2.md", QUESTION.format(n=1, b=other))) == set()


@pytest.mark.parametrize(("left", "right"), [("B", "C"), ("B", "B")])
def test_an_option_never_merges_with_the_option_of_another_question(left: str, right: str) -> None:
    question = ("# {topic}\n\n{stem}\n\n- {letter}. AWS Trusted Advisor.\n- D. Amazon Inspector scans the hosts.\n")
    assert merged_sources(
        ("q1.md", question.format(topic="Cost checks", stem="Which service reports idle resources?", letter=left)),
        ("q2.md", question.format(topic="Limits", stem="Which service warns before a quota is reached?", letter=right)),
    ) == set()


def test_a_raw_html_block_stays_in_its_place() -> None:
    answer = '<div class="answer">\n<p>The answer is B: it checks every account against the best practices.</p>\n</div>'
    assert merged_sources(("a.md", f"# Shared responsibility model\n\nFirst quiz.\n\n{answer}\n"),
                          ("b.md", f"# Shared responsibility model\n\nSecond quiz.\n\n{answer}\n")) == set()


# ---- tables -------------------------------------------------------------------------------------------------
TABLE = "| Layer | Owner |\n| --- | --- |\n| Facilities | AWS |\n| {row} | Customer |\n"


def test_a_table_merges_only_whole() -> None:
    note = "# Shared responsibility model\n\n{intro}\n\n" + TABLE
    merged = merged_sources(("a.md", note.format(intro="From the workshop.", row="Guest OS")),
                            ("b.md", note.format(intro="From the exam guide.", row="Guest OS")))
    assert len(merged) == 1
    assert merged_sources(("a.md", note.format(intro="From the workshop.", row="Guest OS")),
                          ("b.md", note.format(intro="From the exam guide.", row="Firewall"))) == set()


# ---- labels ---------------------------------------------------------------------------------------------
ROADMAP = ("# {title}\n\n{intro}\n\n## Phase 1\n\n✅ What to Learn:\n\n- Linux basics and the shell\n"
           "- Networking basics and DNS\n\n🧪 Projects:\n\n- Build a static site on a server\n\n## Phase 2\n\n"
           "✅ What to Learn:\n\n- Containers and their images\n- Networking basics and DNS\n\n🧪 Projects:\n\n"
           "- Build a static site on a server\n")


def test_a_repeated_label_and_what_stands_under_it_keep_their_place() -> None:
    roadmap = ROADMAP.format(title="DevOps roadmap", intro="Six months, one phase at a time.")
    other = ROADMAP.format(title="Cloud roadmap", intro="What the team learns this year.")
    assert merged_sources(("a.md", roadmap), ("b.md", other)) == set()


def test_a_label_is_short_and_heads_what_follows() -> None:
    listing = block("- Cross-account roles for the auditors")
    assert is_label(block("Use cases:", "paragraph"), ("use", "cases"), listing)
    assert is_label(block("- **Use cases:**"), ("use", "cases"), None)
    assert is_label(block("When Not to Use", "paragraph"), ("when", "not", "to", "use"), listing)
    assert not is_label(block("When Not to Use", "paragraph"), ("when", "not", "to", "use"), None)
    assert not is_label(block("IAM is free.", "paragraph"), ("iam", "is", "free"), listing)
    long = "The customer is responsible for everything listed in the table below:"
    assert not is_label(block(long, "paragraph"), tuple(long.lower().split()), listing)


def test_a_statement_under_a_label_said_once_still_merges() -> None:
    fact = "- AWS is responsible for the physical security of the data centers that run every region."
    merged = merged_sources(("a.md", f"# Physical security\n\nWhat AWS does:\n\n{fact}\n"),
                            ("b.md", f"# Data centers\n\nWho guards the buildings:\n\n{fact}\n"))
    assert len(merged) == 1


def test_list_items_of_different_lists_never_merge_one_by_one() -> None:
    # The same line under two lead-ins (a fragment), under two parent items, under two headings: each belongs
    # to its list.
    item = "- AWS is responsible for the physical security of the data centers that run every region."
    fragment = "- only available for instances launched in a VPC with the default tenancy"
    cases = [
        (f"# Networking modes\n\nBridge mode:\n\n{fragment}\n", f"# Networking modes\n\nHost mode:\n\n{fragment}\n"),
        (f"# Regions\n\n- On-demand\n    {item}\n", f"# Regions\n\n- Spot\n    {item}\n"),
        (f"# Exam one\n\nNetworking tasks.\n\n## Knowledge of:\n\n{item}\n",
         f"# Exam two\n\nSecurity tasks.\n\n## Knowledge of:\n\n{item}\n"),
    ]
    for first, second in cases:
        assert merged_sources(("a.md", first), ("b.md", second)) == set(), (first, second)


def test_items_under_a_repeated_label_do_not() -> None:
    fact = "- AWS is responsible for the physical security of the data centers that run every region."
    merged = merged_sources(("a.md", f"# Physical security\n\nFrom the whitepaper.\n\nUse cases:\n\n{fact}\n"),
                            ("b.md", f"# Data centers\n\nFrom a talk.\n\nUse cases:\n\n{fact}\n"))
    assert merged == set()
