#!/usr/bin/env python3
"""Build the Shared Responsibility handbook: notes in, a strict MkDocs site out.

Stages, in order:
  load       read every note under the notes folder (strict UTF-8)
  normalise  repair each note's structure, spelling, names and syntax; leave out
             the notes marked `draft: true` or `publish: false`; a note unchanged
             since the last build is taken from the cache (.cache/handbook/)
  merge      deduplicate and merge note sections into topic pages
  data       load the responsibility matrix, glossary and redirect map
  render     turn everything into plain Markdown pages and exports
  write      stage the pages and exports in a private folder beside docs/
  site       mkdocs build --strict of the staged docs
  commit     swap docs/handbook/, the exports and site/ into place together
"""

from __future__ import annotations

import argparse
import gc
import logging
import os
import sys
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from handbook import stages  # noqa: E402
from handbook.cache import (  # noqa: E402
    CACHE_DIR, PAGES_DIR, BuildInputs, LastBuild, LastBuildRecord, NoCache, NoteCache, build_inputs, code_version,
    output_manifest,
)
from handbook.commit import build_lock, discard, recover  # noqa: E402
from handbook.feedback import Feedback, configure_logging, is_ci  # noqa: E402
from handbook.load import (  # noqa: E402
    DATA_SIZE_VARIABLE, DEFAULT_LIMITS, NOTE_SIZE_VARIABLE, Limits, display_path, format_size, parse_size,
)
from handbook.model import BuildError  # noqa: E402
from handbook.paths import GENERATED_DIR  # noqa: E402
from handbook.process import stop_on_terminate  # noqa: E402
from handbook.templating import count  # noqa: E402

PROJECT = Path(__file__).resolve().parent.parent
log = logging.getLogger("handbook")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Command-line options; every folder defaults to the project's own."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--notes", type=Path, default=PROJECT / "data" / "notes",
                        help="folder of Markdown notes, e.g. an Obsidian vault (default: data/notes)")
    parser.add_argument("--data", type=Path, default=PROJECT / "data", help="folder of data files (default: data)")
    parser.add_argument("--templates", type=Path, default=PROJECT / "templates", help="Jinja2 templates folder")
    parser.add_argument("--root", type=Path, default=PROJECT,
                        help="folder holding mkdocs.yml, docs/ and site/ (default: the project)")
    parser.add_argument("--no-site", action="store_true", help="write docs/handbook/ but skip mkdocs build")
    parser.add_argument("--in-place", action="store_true",
                        help="update docs/handbook/ file by file instead of swapping it, and build no site "
                             "(for the live preview, which serves docs/ itself)")
    parser.add_argument("--strict", action="store_true",
                        help="stop on warnings (links to missing or unpublished notes) before writing anything, as for CI")
    parser.add_argument("--no-cache", action="store_true",
                        help="normalise every note again, neither reading nor writing the cache")
    parser.add_argument("--cache-dir", type=Path, default=None,
                        help=f"folder of the cache kept between builds (default: {CACHE_DIR.as_posix()}/ under --root)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log every repair, merge and decision")
    parser.add_argument("-q", "--quiet", action="store_true", help="print warnings and errors only")
    parser.add_argument("--max-note-size", type=_size, metavar="SIZE",
                        default=os.environ.get(NOTE_SIZE_VARIABLE) or format_size(DEFAULT_LIMITS.note_bytes),
                        help=f"stop on a note larger than this, e.g. 20MB (default: ${NOTE_SIZE_VARIABLE} "
                             f"or {format_size(DEFAULT_LIMITS.note_bytes)})")
    parser.add_argument("--max-data-size", type=_size, metavar="SIZE",
                        default=os.environ.get(DATA_SIZE_VARIABLE) or format_size(DEFAULT_LIMITS.data_bytes),
                        help=f"stop on a data file larger than this (default: ${DATA_SIZE_VARIABLE} "
                             f"or {format_size(DEFAULT_LIMITS.data_bytes)})")
    args = parser.parse_args(argv)
    args.limits = Limits(note_bytes=args.max_note_size, data_bytes=args.max_data_size)
    return args


def _size(text: str) -> int:
    """A size option's value in bytes; argparse shows the ValueError's wording."""
    try:
        return parse_size(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def collect_garbage_less_often() -> None:
    """Let Python's cycle collector run once per 100,000 new objects instead of once per 700."""
    # The stages build hundreds of thousands of small records that live until the end, and each full
    # collection walks all of them: with the default thresholds, normalising 1,000 notes in one process
    # took 2.6 s instead of 1.8 s, and the gap grew faster than the notes. Few records form cycles (a
    # full collection after rendering 1,000 notes finds a few thousand unreachable objects).
    gc.set_threshold(100_000, 50, 1000)


class WarningLines(logging.Handler):
    """The build's warnings as logged, kept for the record of the build: a skipped build says them again."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def inputs_of(args: argparse.Namespace, version: str) -> BuildInputs | None:
    """Digests of what this build reads, with the options that change what it writes; None when a file cannot be
    read (the stages then say which, and why)."""
    options = [f"notes {args.notes.resolve()}", f"data {args.data.resolve()}", f"templates {args.templates.resolve()}",
               f"no-site {args.no_site}", f"in-place {args.in_place}", f"strict {args.strict}",
               f"limits {args.limits.note_bytes} {args.limits.data_bytes}"]
    try:
        return build_inputs(options, args.root, [args.notes, args.data, args.templates], GENERATED_DIR, version)
    except OSError:
        return None


def main(argv: list[str] | None = None) -> int:
    """Run every stage in order; a BuildError stops the build with a message naming file and line."""
    args = parse_args(argv)
    collect_garbage_less_often()
    configure_logging(args.verbose, args.quiet)
    feedback = Feedback(quiet=args.quiet, verbose=args.verbose)
    args.root = args.root.resolve()
    stop_on_terminate()
    held, staging, warning_lines = ExitStack(), None, None
    try:
        held.enter_context(build_lock(args.root))
        for leftover in recover(args.root):
            log.info("start: %s", leftover)
        cache_dir = args.cache_dir or args.root / CACHE_DIR
        version = code_version()
        record = None if args.no_cache else LastBuildRecord(cache_dir, args.root)
        inputs = None
        if record is not None:
            with feedback.stage("check"):
                inputs = inputs_of(args, version)
                last = None if inputs is None else record.unchanged(inputs)
            if last is not None:
                log.info("check: nothing changed since the last build; docs/%s%s are up to date", GENERATED_DIR,
                         "" if args.no_site or args.in_place else " and site/")
                for line in last.warnings:
                    log.warning("%s", line)
                feedback.summary(list(last.counts))
                return 0
        warning_lines = WarningLines()
        log.addHandler(warning_lines)
        with feedback.stage("load"):
            loaded = stages.load(args.notes, args.limits)
            loaded.describe()
        with feedback.stage("normalise"), feedback.progress("normalise") as progress:
            cache = NoCache() if args.no_cache else NoteCache(cache_dir)
            normalised = stages.normalise(loaded, args.data, args.limits, progress, cache, version)
            normalised.describe()
        with feedback.stage("merge"), feedback.progress("merge") as progress:
            merged = stages.merge(normalised, args.data, args.limits, progress)
            merged.describe()
        with feedback.stage("data"):
            data = stages.load_data(args.data, args.limits)
            data.describe()
        with feedback.stage("render"):
            rendered = stages.render(loaded, normalised, merged, data, args.templates)
            rendered.describe()

        if args.strict and feedback.warnings.count:
            raise BuildError(display_path(args.notes),
                             f"{count(feedback.warnings.count, 'warning')} above; --strict stops the build on warnings")

        with feedback.stage("write"):
            written = stages.write(args.root, rendered, args.in_place)
            staging = written.staging
            written.describe()
        if staging is not None and not args.no_site:
            with feedback.stage("site"):
                # CI and the Pages workflow build every page from scratch; a local build reuses the pages whose
                # Markdown and everything its conversion reads are unchanged.
                page_cache = None if args.no_cache or is_ci() else (cache_dir / PAGES_DIR, version)
                stages.build(staging, normalised, data, args.root, loaded.shown, page_cache).describe()
        if staging is not None:
            with feedback.stage("commit"):
                stages.commit_outputs(staging, with_site=not args.no_site).describe()
        if record is not None and inputs is not None:
            generated = (GENERATED_DIR, *(item.path for item in rendered.site.exports))
            with_site = staging is not None and not args.no_site
            record.write(LastBuild(inputs.key(generated), generated, with_site,
                                   output_manifest(args.root, generated, with_site), tuple(warning_lines.lines),
                                   tuple(rendered.site.counts)))
    except BuildError as error:
        log.error("%s", error.describe())
        log.error("build stopped; docs/%s and site/ were left as they were", GENERATED_DIR)
        return 1
    except KeyboardInterrupt:
        log.error("build interrupted; docs/%s and site/ were left as they were", GENERATED_DIR)
        return 130
    finally:
        if warning_lines is not None:
            log.removeHandler(warning_lines)
        if staging is not None:
            discard(staging)
        held.close()
    feedback.summary(list(rendered.site.counts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
