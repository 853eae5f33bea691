"""Every vault of the shared corpora builds as it is, site and all (MkDocs' strict build included); each warning
it gives is one its author can fix, naming the note and line, so that --strict stops on those alone."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

from tests.conftest import copy_project, run_build
from tests.corpus import corpus_or_skip

pytestmark = [pytest.mark.corpus, pytest.mark.slow]

VAULTS = ["obsidian-aws", "aws-exam-qa", "aws-services"]
# The warnings a note's author can act on: a link to a note that is not there or not published.
FIXABLE = re.compile(r"^WARNING\s+-\s+(?P<note>.+\.md):(?P<line>\d+): link to (?:(?:a missing|an unpublished) note|a note left out of the site): ")


@pytest.mark.parametrize("name", VAULTS)
def test_the_vault_builds_as_it_is_and_warns_only_of_what_its_notes_can_fix(name: str, tmp_path: Path) -> None:
    vault = corpus_or_skip(name)
    root = copy_project(tmp_path / "project")
    output = io.StringIO()
    with contextlib.redirect_stderr(output):
        code = run_build(root, notes=vault)
    warnings = [line for line in output.getvalue().splitlines() if line.startswith("WARNING")]
    assert code == 0, output.getvalue()[-3000:]
    assert (root / "site" / "index.html").is_file()
    for warning in warnings:
        found = FIXABLE.match(warning)
        assert found, warning
        note = Path(found.group("note"))
        assert note.is_relative_to(vault) and note.is_file(), warning
        assert 1 <= int(found.group("line")) <= len(note.read_text(encoding="utf-8").splitlines()), warning
