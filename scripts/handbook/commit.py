"""One commit point for everything a build publishes: docs/handbook/, the exports and site/.

A build writes all of it into a private folder beside the outputs, builds the site from that copy,
and only then swaps each piece into place. The swap is decided by writing a journal first, so a
build killed half-way through it is finished by the next build: readers see either the old outputs
or the new ones, never a mix. One build at a time holds the project's lock.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .model import BuildError, GeneratedFile
from .paths import GENERATED_DIR
from .write import MARKER, MARKER_TEXT, has_marker, write_into

LOCK_FILE = ".handbook.lock"
JOURNAL = ".handbook-commit.json"
STAGING_PREFIX = ".handbook-build-"
# Private folders of builds before the commit point existed; a new build removes them too.
_LEGACY_TEMPORARIES = (".site-new-*", ".site-old-*", "docs/.handbook-new-*", "docs/.handbook-old-*")


@dataclass(frozen=True)
class Staging:
    """A build's private folder: a copy of docs/ with the new pages and exports, and the new site."""

    root: Path  # the project: mkdocs.yml, docs/, site/
    folder: Path
    exports: tuple[str, ...]  # export file names, beside the generated folder in docs/

    @property
    def docs(self) -> Path:
        return self.folder / "docs"

    @property
    def site(self) -> Path:
        return self.folder / "site"


def _looks_like_a_built_site(folder: Path) -> bool:
    # A site/ left by a plain `mkdocs build` has no marker but is just as safe to replace.
    return has_marker(folder) or (folder / "sitemap.xml").exists() or (folder / "404.html").exists()


def _refuse_foreign(folder: Path, is_generated) -> None:
    if folder.exists() and not is_generated(folder):
        raise BuildError(folder.as_posix(),
                         f"refusing to replace a folder that was not generated (no {MARKER} file in it)")


@contextmanager
def build_lock(root: Path) -> Iterator[None]:
    """Hold the project's build lock; a second build in the same project stops with a clear message."""
    root.mkdir(parents=True, exist_ok=True)
    path = root / LOCK_FILE
    handle = open(path, "a+", encoding="utf-8")  # noqa: SIM115 - held for the whole build
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            raise BuildError(LOCK_FILE, f"expected no other build running in this project; received a build "
                                        f"running as process {holder}: wait for it to finish") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        yield
    finally:
        handle.close()  # closing releases the lock; the kernel releases it too when a build is killed


def _roll_forward(root: Path, journal: dict) -> None:
    """Move every staged piece the journal lists into place; safe to run again after a kill."""
    aside = root / journal["staging"] / "replaced"
    aside.mkdir(parents=True, exist_ok=True)
    for number, (staged, final) in enumerate(journal["items"]):
        staged_path, final_path = root / staged, root / final
        if not staged_path.exists() and not staged_path.is_symlink():
            continue  # already moved by the build that wrote the journal
        final_path.parent.mkdir(parents=True, exist_ok=True)
        if staged_path.is_dir():
            if final_path.exists():
                os.rename(final_path, aside / str(number))
            os.rename(staged_path, final_path)
        else:
            os.replace(staged_path, final_path)


def _write_journal(root: Path, journal: dict) -> None:
    temp = root / f"{JOURNAL}.new"
    with open(temp, "w", encoding="utf-8") as file:
        json.dump(journal, file)
        file.flush()
        os.fsync(file.fileno())
    os.replace(temp, root / JOURNAL)


def recover(root: Path) -> list[str]:
    """Finish a commit a killed build had decided, then remove every build's leftovers; returns what was done."""
    done = []
    journal_path = root / JOURNAL
    if journal_path.exists():
        try:
            journal = json.loads(journal_path.read_text(encoding="utf-8"))
            _roll_forward(root, journal)
            done.append(f"finished the commit of an interrupted build ({journal['staging']})")
        except (ValueError, KeyError, TypeError, OSError):
            done.append("dropped the unreadable journal of an interrupted build")
        journal_path.unlink()
    (root / f"{JOURNAL}.new").unlink(missing_ok=True)
    for pattern in (f"{STAGING_PREFIX}*", *_LEGACY_TEMPORARIES):
        for leftover in sorted(root.glob(pattern)):
            shutil.rmtree(leftover, ignore_errors=True)
            done.append(f"removed {leftover.relative_to(root).as_posix()}, left by an interrupted build")
    return done


def _copy_hand_written(docs: Path, into: Path, skip: frozenset[str]) -> None:
    """Copy docs/ without the generated folder, the exports and hidden files (hard links where possible)."""

    def ignore(folder: str, names: list[str]) -> set[str]:
        top = Path(folder) == docs
        return {n for n in names if n.startswith(".") or (top and n in skip)}

    def link_or_copy(source: str, target: str) -> None:
        try:
            os.link(source, target)
        except OSError:
            shutil.copy2(source, target)

    if docs.is_dir():
        shutil.copytree(docs, into, ignore=ignore, copy_function=link_or_copy)
    else:
        into.mkdir(parents=True)


def stage(root: Path, pages: Iterable[GeneratedFile], exports: Iterable[GeneratedFile]) -> Staging:
    """A private folder holding docs/ as the new build will leave it; nothing visible changes yet."""
    _refuse_foreign(root / "docs" / GENERATED_DIR, has_marker)
    _refuse_foreign(root / "site", _looks_like_a_built_site)
    exports = tuple(exports)
    folder = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=root))
    try:
        staging = Staging(root, folder, tuple(item.path for item in exports))
        _copy_hand_written(root / "docs", staging.docs, frozenset({GENERATED_DIR, *staging.exports}))
        generated = staging.docs / GENERATED_DIR
        generated.mkdir()
        write_into(generated, pages)
        (generated / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
        write_into(staging.docs, exports)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return staging


def commit(staging: Staging, with_site: bool) -> None:
    """Swap the staged pages, exports and (when built) site into place, as one decision."""
    root = staging.root
    relative = staging.folder.relative_to(root).as_posix()
    items = [(f"{relative}/docs/{GENERATED_DIR}", f"docs/{GENERATED_DIR}")]
    items += [(f"{relative}/docs/{name}", f"docs/{name}") for name in staging.exports]
    if with_site:
        (staging.site / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
        items.append((f"{relative}/site", "site"))
    journal = {"staging": relative, "items": items}
    _write_journal(root, journal)
    _roll_forward(root, journal)
    (root / JOURNAL).unlink()
    shutil.rmtree(staging.folder, ignore_errors=True)


def discard(staging: Staging) -> None:
    """Remove a build's private folder; the outputs stay as they were."""
    shutil.rmtree(staging.folder, ignore_errors=True)
