#!/usr/bin/env python3
"""Build the Shared Responsibility handbook: notes in, a strict MkDocs site out.

Stages, in order:
  load       read every note under the notes folder (strict UTF-8)
  normalise  repair each note's structure, spelling, names and syntax; leave out
             the notes marked `draft: true` or `publish: false`
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
from collections import Counter
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from handbook.commit import build_lock, commit, discard, recover, stage  # noqa: E402
from handbook.diagnose import note_locator  # noqa: E402
from handbook.feedback import Feedback, configure_logging  # noqa: E402
from handbook.glossary import load_glossary  # noqa: E402
from handbook.load import (  # noqa: E402
    DATA_SIZE_VARIABLE, DEFAULT_LIMITS, NOTE_SIZE_VARIABLE, Limits, display_path, format_size, load_notes, parse_size,
)
from handbook.matrix import load_matrix  # noqa: E402
from handbook.merge import load_topics, merge_notes  # noqa: E402
from handbook.model import BuildError  # noqa: E402
from handbook.normalise import load_context, normalise_all, worker_count  # noqa: E402
from handbook.paths import GENERATED_DIR  # noqa: E402
from handbook.process import stop_on_terminate  # noqa: E402
from handbook.publish import split_unpublished  # noqa: E402
from handbook.redirects import load_redirects  # noqa: E402
from handbook.render import BuildState, render_site  # noqa: E402
from handbook.search import add_search_keywords  # noqa: E402
from handbook.site import build_site  # noqa: E402
from handbook.templating import count, template_errors  # noqa: E402
from handbook.urlcheck import check_site_urls  # noqa: E402
from handbook.write import sync_generated  # noqa: E402

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


def main(argv: list[str] | None = None) -> int:
    """Run every stage in order; a BuildError stops the build with a message naming file and line."""
    args = parse_args(argv)
    collect_garbage_less_often()
    configure_logging(args.verbose, args.quiet)
    feedback = Feedback(quiet=args.quiet, verbose=args.verbose)
    args.root = args.root.resolve()
    stop_on_terminate()
    held, staging = ExitStack(), None
    try:
        held.enter_context(build_lock(args.root))
        for leftover in recover(args.root):
            log.info("start: %s", leftover)
        with feedback.stage("load"):
            folder = load_notes(args.notes, args.limits)
            log.info("load: %d notes and %d other files from %s",
                     len(folder.notes), len(folder.other_files), display_path(args.notes))
            for skipped in folder.skipped:
                (log.warning if skipped.warning else log.info)(
                    "%s/%s: skipped: %s; not read", display_path(args.notes), skipped.path, skipped.reason)
            for hidden in folder.hidden:
                log.info("load: skipped %s (%s): hidden, not published", hidden.path, count(hidden.notes, "note"))
            if folder.hidden:
                log.info("load: %d hidden notes skipped in all", sum(h.notes for h in folder.hidden))

        with feedback.stage("normalise"), feedback.progress("normalise") as progress:
            context = load_context(args.data, folder.other_files, args.limits)
            workers = worker_count(len(folder.notes))
            log.info("normalise: %d notes in %s", len(folder.notes), count(workers, "process", "processes"))
            notes, findings = [], []
            try:
                for done, (note, found) in enumerate(normalise_all(folder.notes, context, workers), 1):
                    notes.append(note)
                    findings.extend(found)
                    progress("notes", done, len(folder.notes))
                    for repair in note.repairs:
                        log.debug("repair %s:%d %s: %r -> %r", repair.note, repair.line, repair.rule,
                                  repair.before, repair.after)
            except BuildError as error:  # a note's front matter: named by its path inside the notes folder
                raise error.inside(display_path(args.notes)) from None
            log.info("normalise: %d repairs, %d words reported", sum(len(n.repairs) for n in notes), len(findings))
            notes, findings, unpublished = split_unpublished(notes, findings)
            for left_out in unpublished:
                log.info("normalise: left out %s (%s): not published", left_out.path, left_out.field)
            if unpublished:
                log.info("normalise: %s left out in all", count(len(unpublished), "unpublished note"))

        with feedback.stage("merge"), feedback.progress("merge") as progress:
            result = merge_notes(notes, load_topics(args.data, args.limits), progress=progress)
            for duplicate in result.duplicate_notes:
                log.info("merge: %s is a%s duplicate of %s", duplicate.note,
                         "n exact" if duplicate.kind == "exact" else " contained", duplicate.duplicate_of)
            for record in result.merges:
                log.debug("merge %s (%s, %s %.2f): kept %s, merged %s", record.id, record.level, record.rule,
                          record.score, record.canonical, ", ".join(map(str, record.merged)))
            for section in result.unassigned:
                log.info("merge: unassigned %s:%d %r (%s)", section.note, section.line, section.title, section.reason)
            log.info("merge: %d input blocks, %d kept, %d merged", result.counts.input_blocks,
                     result.counts.kept, result.counts.merged)

        with feedback.stage("data"):
            matrix = load_matrix(args.data, args.limits)
            glossary = load_glossary(args.data, args.limits)
            redirects = load_redirects(args.data, args.limits)

        with feedback.stage("render"):
            state = BuildState(notes, {raw.path: raw.size for raw in folder.notes}, findings, result, matrix, glossary,
                               args.templates, folder.root, display_path(args.notes), redirects, folder.hidden,
                               unpublished)
            with template_errors(args.templates, display_path(args.templates)):
                site = render_site(state)
            for item in site.contradictions:
                log.debug("contradiction %s: %s %s", item.source, item.rule, item.message)
            for rule, found in sorted(Counter(item.rule for item in site.contradictions).items()):
                log.info("render: %s of %s", count(found, "contradiction"), rule)
            for link in site.missing_links:
                if link.unpublished:
                    log.warning("%s/%s:%d: link to an unpublished note: %r is marked %s and left out of the site; "
                                "shown as text, not as a link", display_path(args.notes), link.note, link.line,
                                link.target, link.unpublished)
                    continue
                log.warning("%s/%s:%d: link to a missing note: expected a note or file named %r (path, file name, "
                            "title or alias) in the notes folder; shown as text, not as a link",
                            display_path(args.notes), link.note, link.line, link.target)

        if args.strict and feedback.warnings.count:
            raise BuildError(display_path(args.notes),
                             f"{count(feedback.warnings.count, 'warning')} above; --strict stops the build on warnings")

        with feedback.stage("write"):
            if args.in_place:
                target = args.root / "docs" / GENERATED_DIR
                log.info("write: %d files changed in docs/%s", sync_generated(target, site.pages, site.exports),
                         GENERATED_DIR)
            else:
                staging = stage(args.root, site.pages, site.exports)
                log.info("write: %d files staged for docs/%s and %d exports", len(site.pages), GENERATED_DIR,
                         len(site.exports))

        if staging is not None and not args.no_site:
            with feedback.stage("site"):
                build_site(staging, locate=note_locator(notes, args.root / "mkdocs.yml", display_path(args.notes)),
                           finish=lambda built: log.info("site: %d pages' URLs checked; %d sections gained search "
                                                         "keywords", check_site_urls(built),
                                                         add_search_keywords(built, glossary)))
        if staging is not None:
            with feedback.stage("commit"):
                commit(staging, with_site=not args.no_site)
                log.info("commit: docs/%s, %d exports%s in place", GENERATED_DIR, len(staging.exports),
                         "" if args.no_site else " and site/")
    except BuildError as error:
        log.error("%s", error.describe())
        log.error("build stopped; docs/%s and site/ were left as they were", GENERATED_DIR)
        return 1
    except KeyboardInterrupt:
        log.error("build interrupted; docs/%s and site/ were left as they were", GENERATED_DIR)
        return 130
    finally:
        if staging is not None:
            discard(staging)
        held.close()
    feedback.summary(list(site.counts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
