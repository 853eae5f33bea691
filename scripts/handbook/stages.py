"""The build's stages as functions, each returning a record that says in the log what the stage did.

scripts/build.py calls them in order; every stage that leaves something out or merges it logs one line per
item and a total, so that the log accounts for every note.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .glossary import Glossary, load_glossary
from .load import Limits, NotesFolder, display_path, load_notes
from .matrix import load_matrix
from .matrix.model import Matrix
from .merge import MergeResult, load_topics, merge_notes
from .merge.meaning import load_meaning_terms
from .model import BuildError, Note
from .normalise import Finding, load_context, normalise_all, worker_count
from .paths import GENERATED_DIR, same_looking_names
from .publish import UnpublishedNote, split_unpublished
from .cache import CacheUse, NoCache, NoteCache, code_version, normalise_key
from .commit import Staging, commit, stage
from .datafile import YamlDocument
from .diagnose import note_locator
from .redirects import RedirectMap, load_redirects
from .render import BuildState, RenderedSite, render_site
from .site import build_site, check_urls, index_for_search
from .templating import count, template_errors
from .words import vocabulary
from .write import sync_generated

log = logging.getLogger("handbook")

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Loaded:
    """The load stage's result: the notes folder as read."""

    folder: NotesFolder
    shown: str  # the notes folder as messages name it

    def describe(self) -> None:
        """Log what was read and what was skipped, one line each, and the totals."""
        folder = self.folder
        log.info("load: %d notes and %d other files from %s", len(folder.notes), len(folder.other_files), self.shown)
        for skipped in folder.skipped:
            (log.warning if skipped.warning else log.info)(
                "%s/%s: skipped: %s; not read", self.shown, skipped.path, skipped.reason)
        for clash in folder.address_clashes:
            log.warning("%s/%s: its name makes the same page address as %s; each note gets an address of its own, "
                        "all but one with a short suffix; to choose which, %s", self.shown, clash[0],
                        " and ".join(repr(path) for path in clash[1:]), same_looking_names(clash[0], clash[1]))
        for hidden in folder.hidden:
            log.info("load: skipped %s (%s): %s, not published", hidden.path, count(hidden.notes, "note"),
                     hidden.reason)
        if folder.hidden:
            log.info("load: %d hidden notes skipped in all", sum(h.notes for h in folder.hidden))


def load(notes_dir: Path, limits: Limits) -> Loaded:
    """Read every note under the notes folder."""
    return Loaded(load_notes(notes_dir, limits), display_path(notes_dir))


@dataclass(frozen=True)
class Normalised:
    """The normalise stage's result: the notes to publish, the words reported, the notes left out."""

    notes: tuple[Note, ...]
    findings: tuple[Finding, ...]
    unpublished: tuple[UnpublishedNote, ...]
    repairs: int  # in every note read, published or not
    reported: int  # words reported in every note read
    cache: CacheUse = CacheUse(0, 0)  # notes taken from the cache and notes normalised

    def describe(self) -> None:
        """Log the totals, what the cache saved and one line per note left out."""
        log.info("normalise: %d repairs, %d words reported", self.repairs, self.reported)
        log.info("normalise: %s normalised, %d taken from the cache", count(self.cache.normalised, "note"),
                 self.cache.reused)
        for left_out in self.unpublished:
            log.info("normalise: left out %s (%s): not published", left_out.path, left_out.field)
        if self.unpublished:
            log.info("normalise: %s left out in all", count(len(self.unpublished), "unpublished note"))


def normalise(loaded: Loaded, data_dir: Path, limits: Limits, progress: Progress,
              cache: NoteCache | NoCache = NoCache(), version: str = "") -> Normalised:
    """Repair every note, or take its result from the cache; leave out the ones marked not to be published.

    `version` is the code's version (cache.code_version), part of every cached result's key.
    """
    folder = loaded.folder
    context = load_context(data_dir, folder.other_files, limits, vocabulary(raw.text for raw in folder.notes))
    if cache.enabled:
        cache.open(folder.root, normalise_key(data_dir, folder.other_files, version or code_version()))
    results: list[tuple[Note, tuple[Finding, ...]] | None] = [cache.lookup(raw, context) for raw in folder.notes]
    missing = [raw for raw, result in zip(folder.notes, results) if result is None]
    workers = worker_count(len(missing), chars=sum(len(raw.text) for raw in missing))
    log.info("normalise: %d notes in %s", len(missing), count(workers, "process", "processes"))
    done = len(folder.notes) - len(missing)
    made = iter(normalise_all(missing, context, workers, with_choices=cache.enabled))
    notes: list[Note] = []
    findings: list[Finding] = []
    debugging = log.isEnabledFor(logging.DEBUG)  # one check, not one per repair
    try:
        for raw, result in zip(folder.notes, results):
            if result is None:
                result = next(made)
                if cache.enabled:
                    note, found, choices, packed = result
                    cache.keep(raw, packed, found, choices)
                    result = note, found
                done += 1
                progress("notes", done, len(folder.notes))
            note, found = result
            notes.append(note)
            findings.extend(found)
            for repair in note.repairs if debugging else ():
                log.debug("repair %s:%d %s: %r -> %r", repair.note, repair.line, repair.rule,
                          repair.before, repair.after)
    except BuildError as error:  # a note's front matter: named by its path inside the notes folder
        raise error.inside(loaded.shown) from None
    cache.save()
    published, kept_findings, unpublished = split_unpublished(notes, findings)
    return Normalised(tuple(published), tuple(kept_findings), tuple(unpublished),
                      sum(len(n.repairs) for n in notes), len(findings),
                      CacheUse(len(folder.notes) - len(missing), len(missing)))


@dataclass(frozen=True)
class Merged:
    """The merge stage's result: topic pages' content and what was merged or left unassigned."""

    result: MergeResult

    def describe(self) -> None:
        """Log each duplicate note and unassigned section (each merge with -v), then the totals."""
        result = self.result
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


def merge(normalised: Normalised, data_dir: Path, limits: Limits, progress: Progress) -> Merged:
    """Deduplicate the notes' blocks and sections and assign them to topic pages."""
    return Merged(merge_notes(list(normalised.notes), load_topics(data_dir, limits), progress=progress,
                              terms=load_meaning_terms(data_dir, limits)))


@dataclass(frozen=True)
class Data:
    """The data stage's result: the structured files the pages are rendered from."""

    matrix: Matrix
    glossary: Glossary
    redirects: RedirectMap
    redirects_file: YamlDocument  # where each redirect stands, for messages

    def describe(self) -> None:
        """Log what the data files hold."""
        log.info("data: %s, %s, %s", count(len(self.matrix.services), "service"),
                 count(len(self.glossary.terms), "glossary term"), count(len(self.redirects.redirects), "redirect"))


def load_data(data_dir: Path, limits: Limits) -> Data:
    """Load the responsibility matrix, the glossary and the redirect map."""
    matrix, glossary = load_matrix(data_dir, limits), load_glossary(data_dir, limits)
    return Data(matrix, glossary, *load_redirects(data_dir, limits))


@dataclass(frozen=True)
class Rendered:
    """The render stage's result: every page and export, and what the pages' checks found."""

    site: RenderedSite
    shown: str  # the notes folder as messages name it

    def describe(self) -> None:
        """Log the contradictions found per rule and warn once per link to a missing or unpublished note."""
        site = self.site
        for item in site.contradictions:
            log.debug("contradiction %s: %s %s", item.source, item.rule, item.message)
        for rule, found in sorted(Counter(item.rule for item in site.contradictions).items()):
            log.info("render: %s of %s", count(found, "contradiction"), rule)
        for link in site.missing_links:
            if link.unpublished:
                log.warning("%s/%s:%d: link to an unpublished note: %r is marked %s and left out of the site; "
                            "shown as text, not as a link", self.shown, link.note, link.line,
                            link.target, link.unpublished)
                continue
            if link.hidden:
                log.warning("%s/%s:%d: link to a note left out of the site: %r names %s, which the build leaves out "
                            "(%s); shown as text, not as a link", self.shown, link.note, link.line, link.target,
                            link.hidden.path, link.hidden.reason)
                continue
            log.warning("%s/%s:%d: link to a missing note: expected a note or file named %r (path, file name, "
                        "title or alias) in the notes folder; shown as text, not as a link",
                        self.shown, link.note, link.line, link.target)


def render(loaded: Loaded, normalised: Normalised, merged: Merged, data: Data, templates_dir: Path) -> Rendered:
    """Turn notes, merge result and data into plain Markdown pages and exports."""
    folder = loaded.folder
    state = BuildState(list(normalised.notes), {raw.path: raw.size for raw in folder.notes},
                       list(normalised.findings), merged.result, data.matrix, data.glossary, templates_dir,
                       folder.root, loaded.shown, (data.redirects, data.redirects_file), folder.hidden, list(normalised.unpublished),
                       pages_as_bytes=True)
    with template_errors(templates_dir, display_path(templates_dir)):
        return Rendered(render_site(state), loaded.shown)



@dataclass(frozen=True)
class Written:
    """The write stage's result: the private folder the pages went to, or how many changed in place."""

    staging: Staging | None  # None when docs/ was updated in place
    pages: int
    exports: int
    changed: int = 0  # files changed in place

    def describe(self) -> None:
        """Log where the pages went."""
        if self.staging is None:
            log.info("write: %d files changed in docs/%s", self.changed, GENERATED_DIR)
        else:
            log.info("write: %d files staged for docs/%s and %d exports", self.pages, GENERATED_DIR, self.exports)


def write(root: Path, rendered: Rendered, in_place: bool) -> Written:
    """Stage the pages and exports in a private folder beside docs/, or update docs/ in place (live preview)."""
    site = rendered.site
    if in_place:
        changed = sync_generated(root / "docs" / GENERATED_DIR, site.pages, site.exports)
        return Written(None, len(site.pages), len(site.exports), changed)
    return Written(stage(root, site.pages, site.exports), len(site.pages), len(site.exports))


@dataclass(frozen=True)
class Built:
    """The site stage's result: what the checks after MkDocs read and added."""

    pages_checked: int
    sections_with_keywords: int

    def describe(self) -> None:
        """Log what the checks after MkDocs did."""
        log.info("site: %d pages' URLs checked; %d sections gained search keywords", self.pages_checked,
                 self.sections_with_keywords)


def build(staging: Staging, normalised: Normalised, data: Data, root: Path, notes_shown: str,
          page_cache: tuple[Path, str] | None = None) -> Built:
    """mkdocs build --strict of the staged docs (through a page cache: its folder and the code's version, if
    given), then check every page's URLs and split and weigh the search index (through the same cache)."""
    built = build_site(staging, locate=note_locator(normalised.notes, root / "mkdocs.yml", notes_shown),
                       page_cache=page_cache)
    return Built(check_urls(built, page_cache), index_for_search(built, data.glossary, page_cache))


@dataclass(frozen=True)
class Committed:
    """The commit stage's result: what was swapped into place."""

    exports: int
    with_site: bool

    def describe(self) -> None:
        """Log what is now in place."""
        log.info("commit: docs/%s, %d exports%s in place", GENERATED_DIR, self.exports,
                 " and site/" if self.with_site else "")


def commit_outputs(staging: Staging, with_site: bool) -> Committed:
    """Swap docs/handbook/, the exports and (when built) site/ into place together."""
    commit(staging, with_site=with_site)
    return Committed(len(staging.exports), with_site)
