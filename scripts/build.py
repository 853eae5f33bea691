#!/usr/bin/env python3
"""Build the Shared Responsibility handbook: notes in, a strict MkDocs site out.

Stages, in order:
  load       read every note under the notes folder (strict UTF-8)
  normalise  repair each note's structure, spelling, names and syntax
  merge      deduplicate and merge note sections into topic pages
  data       load the responsibility matrix, topics and glossary
  render     turn everything into plain Markdown pages
  write      swap the pages into docs/handbook/ in one step
  site       mkdocs build --strict into site/
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from handbook.feedback import Feedback, configure_logging  # noqa: E402
from handbook.glossary import load_glossary, render_abbreviations  # noqa: E402
from handbook.load import NotesFolder, display_path, load_notes  # noqa: E402
from handbook.model import BuildError, GeneratedFile, Note, RawNote, Section  # noqa: E402
from handbook.pages import note_view, render_note_pages, render_report_page, report_json  # noqa: E402
from handbook.paths import GENERATED_DIR  # noqa: E402
from handbook.site import build_site  # noqa: E402
from handbook.write import write_generated  # noqa: E402

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
    parser.add_argument("-v", "--verbose", action="store_true", help="log every repair, merge and decision")
    parser.add_argument("-q", "--quiet", action="store_true", help="print warnings and errors only")
    return parser.parse_args(argv)


def read_as_written(raw: RawNote) -> Note:
    """The note as one untouched section (the normalise stage replaces this)."""
    title = next((line[2:].strip() for line in raw.text.splitlines() if line.startswith("# ")), raw.path)
    return Note(path=raw.path, title=title, raw=raw.text, markdown=raw.text, sections=(
        Section(title=title, level=1, source=__import__("handbook.model").model.Source(raw.path, 1), blocks=()),
    ))


def main(argv: list[str] | None = None) -> int:
    """Run every stage in order; a BuildError stops the build with a message naming file and line."""
    args = parse_args(argv)
    configure_logging(args.verbose, args.quiet)
    feedback = Feedback(quiet=args.quiet, verbose=args.verbose)
    docs_out = args.root / "docs" / GENERATED_DIR
    try:
        with feedback.stage("load"):
            folder: NotesFolder = load_notes(args.notes)
            log.info("load: %d notes, %d other files from %s", len(folder.notes), len(folder.other_files),
                     display_path(args.notes))

        with feedback.stage("normalise"):
            notes = [read_as_written(raw) for raw in folder.notes]

        with feedback.stage("data"):
            glossary = load_glossary(args.data)

        with feedback.stage("render"):
            sizes = {raw.path: raw.size for raw in folder.notes}
            views = [note_view(note, sizes[note.path]) for note in notes]
            counts = [("notes read", len(notes))]
            pages: list[GeneratedFile] = []
            pages += render_note_pages(views, args.templates, notes_label=display_path(args.notes))
            pages.append(render_report_page(views, counts, [], args.templates))
            pages.append(render_abbreviations(glossary))
            exports = [GeneratedFile("report.json", report_json({"counts": dict(counts)}))]

        with feedback.stage("write"):
            written = write_generated(docs_out, pages, exports)
            log.info("write: %d files into %s", written, display_path(docs_out))

        if not args.no_site:
            with feedback.stage("site"):
                build_site(args.root, args.root / "site", {})
                log.info("site: built %s", display_path(args.root / "site"))
    except BuildError as error:
        log.error("%s", error.describe())
        log.error("build stopped; docs/%s and site/ were left as they were", GENERATED_DIR)
        return 1
    feedback.summary(counts)
    return 0


if __name__ == "__main__":
    sys.exit(main())
