"""Shared fixtures: a private copy of the project to build into, a built site, a local server, a browser."""

from __future__ import annotations

import functools
import http.server
import os
import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import markdown
import pytest
import yaml
from hypothesis import settings

from handbook.load import load_notes
from handbook.model import Note, RawNote
from handbook.normalise import NormaliseContext, load_context, normalise_note

# Speed is measured by the benchmark scripts, never by tests: a property example may take as long as it
# takes on a loaded machine.
settings.register_profile("handbook", deadline=None)
# In CI every run draws the same examples, so that a run's result depends on the change alone; local runs
# draw new ones each time and find what is left (the shapes found so far are pinned as known examples).
settings.register_profile("ci", deadline=None, derandomize=True)
settings.load_profile("ci" if os.environ.get("CI", "").lower() in ("1", "true", "yes") else "handbook")

PROJECT = Path(__file__).resolve().parents[1]
DATA = PROJECT / "data"
SEEDS = sorted((DATA / "notes").glob("*.md"))
WORDS = re.compile(r"\w+")
SITE_EXTENSIONS = ["admonition", "attr_list", "tables", "pymdownx.details", "pymdownx.superfences", "pymdownx.betterem"]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# ---- notes as the real normaliser makes them ------------------------------------------------------------


@functools.lru_cache(maxsize=4)
def context(files: frozenset[str] = frozenset()) -> NormaliseContext:
    """The context built from the project's own data files."""
    return load_context(DATA, files)


def raw(text: str, path: str = "note.md") -> RawNote:
    """A RawNote as the loader hands it over."""
    return RawNote(path, text, len(text.encode("utf-8")))


def norm(text: str, files: frozenset[str] = frozenset(), path: str = "note.md") -> Note:
    """Normalise a text with the project's data."""
    return normalise_note(raw(text, path), context(files))


def folder_notes(notes_dir: Path) -> list[Note]:
    """Every note of a notes folder as the build loads and normalises it (hidden folders left out)."""
    folder = load_notes(notes_dir)
    found = context(folder.other_files)
    return [normalise_note(note, found) for note in folder.notes]


def seed_notes() -> list[Note]:
    """The five seed notes as the build normalises them."""
    return folder_notes(DATA / "notes")


def render_notes(notes: list[Note], texts: dict[str, str], data: Path = DATA):
    """Every page of a site made of `notes` (their texts by path), with the data files in `data`."""
    from handbook.glossary import load_glossary
    from handbook.matrix import load_matrix
    from handbook.merge import load_topics, merge_notes
    from handbook.render import BuildState, render_site

    return render_site(BuildState(notes, {path: len(text) for path, text in texts.items()}, [],
                                  merge_notes(notes, load_topics(data)), load_matrix(data), load_glossary(data),
                                  data.parent / "templates", Path("."), "notes"))


def rules(note: Note) -> list[str]:
    """The rule ids of a note's repairs, in order."""
    return [r.rule for r in note.repairs]


def body(note: Note) -> str:
    """Note.markdown without the title line."""
    return note.markdown.split("\n", 2)[2] if note.markdown.count("\n") >= 2 else ""


def unaccounted_words(text: str, note: Note) -> Counter:
    """Words of the input that are neither in the output nor in a logged repair (nor moved to a field)."""
    source = Counter(WORDS.findall(unicodedata.normalize("NFC", text)))
    kept = Counter(WORDS.findall(note.markdown))
    logged: Counter = Counter()
    for repair in note.repairs:
        logged.update(WORDS.findall(repair.before))
    for value in (*note.tags, *note.aliases, note.author or "", *(f"{k} {v}" for k, v in note.meta)):
        logged.update(WORDS.findall(value))
    return source - kept - logged


def html(markdown_text: str) -> str:
    """Render with the Python-Markdown extensions the site uses."""
    return markdown.markdown(markdown_text, extensions=SITE_EXTENSIONS)


def mkdocs_markdown(snippets_dir: Path) -> markdown.Markdown:
    """Python-Markdown configured with the extensions listed in mkdocs.yml (snippets pointed at a temp folder)."""
    loader = type("EnvLoader", (yaml.SafeLoader,), {})
    loader.add_constructor("!ENV", lambda ld, node: None)
    config = yaml.load((PROJECT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=loader)
    names, configs = [], {}
    for entry in config["markdown_extensions"]:
        name, options = (entry, {}) if isinstance(entry, str) else next(iter(entry.items()))
        names.append(name)
        configs[name] = dict(options or {})
    if "pymdownx.snippets" in configs:
        configs["pymdownx.snippets"]["base_path"] = [str(snippets_dir)]
    return markdown.Markdown(extensions=names, extension_configs=configs)


def copy_project(destination: Path) -> Path:
    """Copy what MkDocs reads (mkdocs.yml, the hand-written docs/ and the theme overrides) into `destination`."""
    from workbench import prepare_root  # scripts/ is on sys.path through pytest's pythonpath

    return prepare_root(destination)


def run_build(root: Path, *extra: str, notes: Path | None = None, env: dict[str, str] | None = None) -> int:
    """Run scripts/build.py in-process against a project copy; returns its exit code."""
    from build import main  # scripts/ is on sys.path through pytest's pythonpath

    args = ["--root", str(root), "--quiet", *extra]
    if notes is not None:
        args += ["--notes", str(notes)]
    saved = dict(os.environ)
    os.environ.update(env or {})
    try:
        return main(args)
    finally:
        os.environ.clear()
        os.environ.update(saved)


@dataclass(frozen=True)
class BuiltSite:
    """A project copy that has been built: its root, docs/ and site/."""

    root: Path

    @property
    def docs(self) -> Path:
        return self.root / "docs"

    @property
    def site(self) -> Path:
        return self.root / "site"


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The seed notes built once into a private project copy."""
    root = copy_project(tmp_path_factory.mktemp("built"))
    assert run_build(root) == 0
    return BuiltSite(root)


class _SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a built site under a path prefix, answering unknown paths with 404.html like GitHub Pages."""

    prefix = "/"

    def log_message(self, format: str, *args) -> None:  # noqa: A002
        pass

    def send_head(self):
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        if not path.startswith(self.prefix) and path + "/" != self.prefix:
            return self._not_found()
        self.path = "/" + path[len(self.prefix):] if path.startswith(self.prefix) else "/"
        translated = Path(self.translate_path(self.path))
        if translated.is_dir() and not (translated / "index.html").exists() or not translated.exists():
            return self._not_found()
        return super().send_head()

    def _not_found(self):
        page = Path(self.directory) / "404.html"
        body = page.read_bytes() if page.exists() else b"not found"
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return _BytesReader(body)


class _BytesReader:
    def __init__(self, data: bytes):
        self.data = data

    def read(self, *_args) -> bytes:
        data, self.data = self.data, b""
        return data

    def close(self) -> None:
        pass


@contextmanager
def serve(directory: Path, prefix: str = "/") -> Iterator[str]:
    """Serve `directory` on 127.0.0.1 under `prefix`; yields the base URL (ending in '/')."""
    handler = type("Handler", (_SiteHandler,), {"prefix": prefix})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def site_url(built_site: BuiltSite) -> Iterator[str]:
    """The built seed site served at the root of a local address."""
    with serve(built_site.site) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright (never a downloaded browser)."""
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing at /usr/bin/chromium; .ci/run installs the Debian package")
        pytest.skip("Chromium is not installed at /usr/bin/chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()


@pytest.fixture
def page(browser):
    """A fresh browser tab that fails the test on any JavaScript error."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    yield tab
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"
