"""Every hostile or broken input in tests/hostile/ gives its one clear message and exit code, no traceback,
and a failing build leaves docs/ and site/ exactly as they were."""

from __future__ import annotations

from pathlib import Path

import pytest

from hostile_cases import load_cases, prepare_built_project, run_case

CASES = load_cases()


@pytest.fixture(scope="module")
def built_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project copy holding a good build of the seed notes."""
    return prepare_built_project(tmp_path_factory.mktemp("hostile-built"))


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_hostile_input_gives_its_message_and_leaves_output_alone(case, built_project, tmp_path):
    outcome = run_case(case, built_project, tmp_path)
    assert not outcome.traceback, outcome.output
    assert outcome.exit == case.exit, outcome.output
    assert case.message in outcome.output, outcome.output
    if case.exit != 0:
        assert outcome.unchanged, "a failing build changed docs/ or site/"
