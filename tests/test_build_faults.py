"""Faults around a build: a kill, Ctrl-C or a failing MkDocs leave docs/ and site/ as they were, and no process or
private folder behind."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from hostile_cases import tree_digest
from tests.conftest import PROJECT, BuiltSite

BUILD = PROJECT / "scripts" / "build.py"
pytestmark = pytest.mark.slow


@pytest.fixture
def project(built_site: BuiltSite, tmp_path: Path) -> Path:
    """A private copy of a built project."""
    root = tmp_path / "project"
    shutil.copytree(built_site.root, root, symlinks=True)
    return root


def _ctrl_c_as_in_a_terminal() -> None:
    """Let Ctrl-C reach the build: a shell that runs the tests in the background ignores it, and children inherit that."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def start_build(root: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(BUILD), "--root", str(root), "-q"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, "CI": "true"},
                            preexec_fn=_ctrl_c_as_in_a_terminal)


def wait_for_mkdocs(root: Path, build: subprocess.Popen) -> Path:
    """The staged site folder once MkDocs has started writing it."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        found = [p / "site" for p in root.glob(".handbook-build-*") if (p / "site").is_dir()]
        if found:
            return found[0]
        assert build.poll() is None, "the build ended before MkDocs started"
        time.sleep(0.02)
    raise AssertionError("MkDocs did not start within 120 s")


@contextmanager
def mkdocs_held(staged_site: Path) -> Iterator[None]:
    """MkDocs stopped (SIGSTOP) while the block runs, so the build is still in its site stage when it is signalled."""
    # Without this, a small site could finish between seeing the staged folder and the signal, and the build
    # would rightly complete instead of being interrupted.
    held = processes_naming(str(staged_site))
    for pid in held:
        _signal(pid, signal.SIGSTOP)
    try:
        yield
    finally:
        for pid in held:
            _signal(pid, signal.SIGCONT)


def _signal(pid: int, sig: signal.Signals) -> None:
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        pass


def processes_naming(text: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if text in (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace"):
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def wait_until_gone(text: str) -> list[int]:
    deadline = time.monotonic() + 10
    while (left := processes_naming(text)) and time.monotonic() < deadline:
        time.sleep(0.05)
    return left


def outputs(root: Path) -> str:
    return tree_digest(root / "docs", root / "site")


def test_a_killed_build_leaves_outputs_and_no_process_and_the_next_build_cleans_up(project: Path):
    before = outputs(project)
    build = start_build(project)
    staged_site = wait_for_mkdocs(project, build)
    with mkdocs_held(staged_site):
        build.kill()
        build.wait(30)
    assert wait_until_gone(str(staged_site)) == [], "MkDocs outlived the build that started it"
    assert outputs(project) == before
    assert list(project.glob(".handbook-build-*"))  # left behind by the kill ...
    again = subprocess.run([sys.executable, str(BUILD), "--root", str(project)], capture_output=True, text=True,
                           env={**os.environ, "CI": "true"})
    assert again.returncode == 0, again.stderr
    assert "removed .handbook-build-" in again.stderr  # ... and removed by the next build
    assert list(project.glob(".handbook-build-*")) == []


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "terminate"])
def test_an_interrupted_build_says_so_and_leaves_everything_as_it_was(project: Path, stop: signal.Signals):
    before = outputs(project)
    build = start_build(project)
    staged_site = wait_for_mkdocs(project, build)
    with mkdocs_held(staged_site):
        build.send_signal(stop)
        time.sleep(0.5)  # the build's handler runs while MkDocs is held
    _, errors = build.communicate(timeout=60)
    assert build.returncode == 130
    assert "Traceback" not in errors
    assert "ERROR   -  build interrupted; docs/handbook and site/ were left as they were" in errors
    assert wait_until_gone(str(staged_site)) == []
    assert outputs(project) == before
    assert list(project.glob(".handbook-build-*")) == []


def test_a_failing_mkdocs_build_leaves_docs_and_site_as_they_were(project: Path):
    before = outputs(project)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  - abbr\n", "  - abbr\n  - no_such_extension\n"),
                      encoding="utf-8")
    result = subprocess.run([sys.executable, str(BUILD), "--root", str(project), "-q"], capture_output=True,
                            text=True, env={**os.environ, "CI": "true"})
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "ERROR   -  mkdocs.yml: mkdocs build --strict failed:" in result.stderr
    assert "no_such_extension" in result.stderr
    assert outputs(project) == before
    assert list(project.glob(".handbook-build-*")) == []
