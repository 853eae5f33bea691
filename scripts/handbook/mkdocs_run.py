"""Run MkDocs' strict build of the project's mkdocs.yml on a build's private copy of docs/.

The build stages its pages in a folder of its own and swaps them in only once the site built, so
MkDocs must read that copy: `mkdocs build` has no option for the docs folder, so this runs the
same steps as its command through MkDocs' API, with `docs_dir` and `site_dir` overridden.

    python mkdocs_run.py CONFIG_FILE ORIGINAL_DOCS_DIR STAGED_DOCS_DIR SITE_DIR [PAGE_CACHE_DIR CODE_VERSION]

With a page cache folder, each page's Markdown is converted once for as long as what the conversion reads
stays the same (see PageCache), and each page's HTML is made once for as long as everything that goes into it
stays the same (see BuiltPageCache); the navigation, the links' checks and the search index are made as always.
With or without it, on a machine with a core to spare a second process converts pages while this one converts
others (see HelperConversion).
"""

from __future__ import annotations

import json
import logging
import marshal
import mmap
import os
import re
import sys
import threading
import zlib
from collections.abc import Callable, Mapping
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from handbook.feedback import WarningCount  # noqa: E402
from handbook.packs import digest, read_pack, write_pack  # noqa: E402
from handbook.process import die_with_parent  # noqa: E402

PAGES_PACK = "pages.pack"
PAGES_MAGIC = b"handbook-page-cache 1\n"
BUILT_PACK = "built.pack"
BUILT_MAGIC = b"handbook-built-page-cache 1\n"
# The plugins whose part in a page's HTML BuiltPageCache can account for, by the class that makes them: the
# search index takes entries from each page (kept with the page and given back when it is reused), the tags
# plugin only adds the page's tags to its context (a page it gives tags is always built), the literate
# navigation only makes the navigation (part of every page's key). With any other plugin every page is built.
KNOWN_PLUGINS = {
    "material.plugins.search.plugin.SearchPlugin": "search",
    "material.plugins.tags.plugin.TagsPlugin": "context",
    "mkdocs_literate_nav.plugin.LiterateNavPlugin": "navigation",
}
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")
# Below this many pages a second process costs more to start than it saves.
HELPED_FROM = 50


class PageCache:
    """What Python-Markdown made of each page in the last build, reused when nothing it read has changed.

    A page's conversion reads its Markdown (after the plugins' changes), its own address, the configuration, the
    snippet files it may include and the code (MkDocs, Python-Markdown and its extensions, pinned in the
    requirements: `version`), which make the key; and the files its links name, which MkDocs looks up by path:
    each lookup and what it found are kept with the page, which is reused only while every one finds the same.
    Only the conversion is skipped: the navigation, the page's template and the search index are made as always.
    A conversion that logged a warning is not kept, so a reused page never hides one.
    """

    def __init__(self, folder: Path, version: str, config, config_file: str, snippet_folders: list[str]) -> None:
        self.path = folder / PAGES_PACK
        stored = read_pack(self.path, PAGES_MAGIC)
        self.stored: dict = stored if isinstance(stored, dict) else {}
        self.kept: dict = {}
        # By their place in their folder: the folders themselves are a new private copy in every build.
        snippets = sorted((file.relative_to(folder_name).as_posix(), file) for folder_name in snippet_folders
                          for file in Path(folder_name).rglob("*") if file.is_file())
        # The snippets' folders are a new private copy in every build, so their names are left out.
        settings = {name: {k: v for k, v in values.items() if not (name == "pymdownx.snippets" and k == "base_path")}
                    for name, values in config["mdx_configs"].items()}
        self.common = digest(version, Path(config_file).read_bytes(), repr(sorted(settings.items())),
                             repr(config["markdown_extensions"]), str(config["site_url"]),
                             str(config["use_directory_urls"]),
                             *(part for name, file in snippets for part in (name, file.read_bytes())))
        self.reused = 0

    def install(self) -> Callable[[], None]:
        """Convert pages through this cache; returns what puts MkDocs' own conversion back."""
        from mkdocs.structure.pages import Page
        from mkdocs.structure.toc import get_toc

        convert = Page.render
        cache = self
        counter = WarningCount()
        logging.getLogger("mkdocs").addHandler(counter)

        def render(page: Page, config, files) -> None:
            key = cache.key(page)
            found = cache.stored.get(key)
            if found is not None and cache.restore(page, found, files, get_toc):
                cache.kept[key] = found
                cache.reused += 1
                return
            before = counter.count
            lookups = _converted_recording_lookups(convert, page, config, files)
            if counter.count == before:
                cache.kept[key] = (*cache.entry(page), sorted(lookups.items()))

        Page.render = render  # type: ignore[method-assign]

        def uninstall() -> None:
            Page.render = convert  # type: ignore[method-assign]
            logging.getLogger("mkdocs").removeHandler(counter)

        return uninstall

    def key(self, page) -> str:
        """The key of the page's conversion, from what it reads but the files its links name."""
        return digest(self.common, page.file.src_uri, page.file.url, page.file.inclusion.name, page.markdown or "")

    def has(self, page) -> bool:
        """Whether the page's conversion may be reused (the files its links name are checked when it is)."""
        return self.key(page) in self.stored

    @staticmethod
    def entry(page) -> tuple:
        """What the conversion gave the page, as values marshal can write."""
        links = page.links_to_anchors
        return (page.content, _toc_tokens(page.toc), page._title_from_render, list(page.present_anchor_ids or ()),
                None if links is None else {file.src_uri: dict(found) for file, found in links.items()})

    @staticmethod
    def restore(page, entry: tuple, files, get_toc) -> bool:
        """Give the page what its conversion gave it last time; False when the entry cannot be used."""
        try:
            content, toc_tokens, title, anchors, links, lookups = entry
            if any(_found(files.get_file_from_path(path)) != tuple_or_none(found) for path, found in lookups):
                return False
            linked = None if links is None else {files.get_file_from_path(src): found for src, found in links.items()}
            if linked is not None and None in linked:
                return False
            toc = get_toc(toc_tokens)
        except (TypeError, ValueError, KeyError, AttributeError):
            return False
        page.content, page.toc, page._title_from_render = content, toc, title
        page.present_anchor_ids = set(anchors)
        if logging.getLogger("mkdocs.structure.pages").getEffectiveLevel() > logging.DEBUG:
            page.links_to_anchors = linked
        return True

    def save(self) -> None:
        """Keep this build's pages, and only them."""
        if self.kept.keys() != self.stored.keys():
            write_pack(self.path, PAGES_MAGIC, self.kept)


class SecondProcess:
    """A fork of this process doing part of a list of MkDocs' tasks while this one does the rest.

    Made once MkDocs holds the configuration, files, navigation and pages, and only when the machine has a core for
    it: it takes the tasks (converting pages, building them) from the last one back while this process takes them
    from the first on, and hands back what each gave; the two meet in the middle. The helper prints nothing: its
    results are used only where nothing was logged, and this process does every task whose result it does not use,
    logging what it logs.
    """

    def __init__(self) -> None:
        self.pid = 0
        self.order: dict[str, int] = {}
        self.results: dict[int, object] = {}
        self.arrived = threading.Condition()
        self.finished = False
        self.receiver: threading.Thread | None = None
        # Where each process has got to: this one's last task and the helper's.
        self.places = mmap.mmap(-1, 16)
        self.helped = 0

    def start(self, names: list[str], work: Callable[[int, WarningCount], object]) -> None:
        """Fork the helper for the tasks of these names, when the machine has a core for it and there are enough
        tasks to be worth one; `work(index, counter)` does a task in the helper and gives what to hand back."""
        if not hasattr(os, "fork") or _cores() < 2 or len(names) < HELPED_FROM:
            return
        self.order = {name: index for index, name in enumerate(names)}
        self._place(0, -1)
        self._place(1, len(names))
        reading, writing = os.pipe()
        pid = os.fork()
        if pid == 0:  # the helper: work, hand back, and leave without running anything of the build's
            os.close(reading)
            code = 0
            try:
                die_with_parent()
                self._help(len(names), work, writing)
            except BaseException:  # noqa: BLE001 - this process does whatever the helper did not hand back
                code = 1
            os._exit(code)
        os.close(writing)
        self.pid = pid
        self.receiver = threading.Thread(target=self._receive, args=(reading,), daemon=True)
        self.receiver.start()

    def result(self, name: str) -> object:
        """What the helper's task of this name gave; None when this process does it."""
        index = self.order.get(name)
        if index is None:
            return None
        self._place(0, index)
        if self._at(1) > index:  # not reached by the helper: this process does it
            return None
        with self.arrived:
            while index not in self.results and not self.finished:
                self.arrived.wait()
            return self.results.pop(index, None)

    def stop(self) -> None:
        """Let the helper finish the task it is doing (it may be writing a file) and wait for it."""
        if self.pid:
            self._place(0, len(self.order))
            os.waitpid(self.pid, 0)
            self.pid = 0
        if self.receiver is not None:
            self.receiver.join()
            self.receiver = None

    def _help(self, count: int, work: Callable[[int, WarningCount], object], writing: int) -> None:
        """The helper's part: the tasks from the last one back, until it meets this process."""
        mkdocs_log = logging.getLogger("mkdocs")
        for handler in list(mkdocs_log.handlers):  # this process prints the messages; the helper only counts them
            mkdocs_log.removeHandler(handler)
        counter = WarningCount()
        logging.getLogger().handlers = [counter]
        with os.fdopen(writing, "wb") as out:
            for index in range(count - 1, -1, -1):
                self._place(1, index)
                result = work(index, counter) if self._at(0) < index else None
                frame = marshal.dumps((index, result))
                out.write(len(frame).to_bytes(8, "little") + frame)
                out.flush()
                if result is None and self._at(0) >= index:
                    return

    def _receive(self, reading: int) -> None:
        """Take the helper's results as they come."""
        with os.fdopen(reading, "rb") as stream:
            while len(size := stream.read(8)) == 8:
                index, result = marshal.loads(stream.read(int.from_bytes(size, "little")))
                with self.arrived:
                    self.results[index] = result
                    self.arrived.notify_all()
        with self.arrived:
            self.finished = True
            self.arrived.notify_all()

    def _place(self, process: int, index: int) -> None:
        """Say where a process has got to (0 this one, 1 the helper)."""
        self.places[process * 8:process * 8 + 8] = index.to_bytes(8, "little", signed=True)

    def _at(self, process: int) -> int:
        """Where a process has got to."""
        return int.from_bytes(self.places[process * 8:process * 8 + 8], "little", signed=True)


class HelperConversion:
    """Pages' Markdown converted by a SecondProcess while this process converts others.

    The helper reads each page as MkDocs does (the plugins' events before the conversion included) and hands back
    what the conversion gave the page, as PageCache keeps it. A conversion is used only for the very page and
    Markdown this process is about to convert, and only while each of its links' lookups finds the same file here;
    one that logged a warning is not handed back, so this process converts that page itself and logs it. Every page
    comes out as if converted here.
    """

    def __init__(self, skip: Callable[[object], bool] = lambda page: False) -> None:
        self.skip = skip  # pages this process will not convert (a page cache has them)
        self.helper = SecondProcess()
        self.started = False

    def install(self) -> Callable[[], None]:
        """Convert pages with the helper's help; returns what puts MkDocs' own conversion back and ends the helper."""
        from mkdocs.structure.files import InclusionLevel
        from mkdocs.structure.pages import Page
        from mkdocs.structure.toc import get_toc

        convert = Page.render
        this, helper = self, self.helper

        def render(page: Page, config, files) -> None:
            if not this.started:
                this.started = True
                pages = list(files.documentation_pages(inclusion=InclusionLevel.is_included))
                helper.start([file.src_uri for file in pages],
                             lambda index, counter: _converted(pages[index], convert, config, files, counter, this.skip))
            found = helper.result(page.file.src_uri)
            if isinstance(found, tuple) and found[0] == _conversion_key(page) \
                    and PageCache.restore(page, found[1], files, get_toc):
                helper.helped += 1
                return
            convert(page, config, files)

        Page.render = render  # type: ignore[method-assign]

        def uninstall() -> None:
            Page.render = convert  # type: ignore[method-assign]
            helper.stop()

        return uninstall


class HelperBuilding:
    """Pages' HTML built by a SecondProcess while this process builds others.

    Once every page is converted, what MkDocs writes for a page reads nothing another page's building changes but the
    search index, to which each page adds its entries: the helper writes a page's HTML and hands back its entries,
    which are added in the page's place. A page the helper's building logged a warning for is built here again.
    """

    def __init__(self, skip: Callable[[], bool] = lambda: False) -> None:
        self.skip = skip  # whether the pages are built from a cache instead
        self.helper = SecondProcess()
        self.started = False

    def install(self, config) -> Callable[[], None]:
        """Build pages with the helper's help; returns what puts MkDocs' own page building back and ends the helper."""
        from mkdocs.commands import build as mkdocs_build

        roles = _plugin_roles(config)
        build_page = mkdocs_build._build_page
        this, helper = self, self.helper
        search = None if isinstance(roles, str) else next((plugin for plugin, role in roles if role == "search"), None)

        def built(page, config, doc_files, nav, env, dirty=False, excluded=False) -> None:
            index = getattr(search, "search_index", None)
            if not this.started:
                this.started = True
                if not isinstance(roles, str) and not dirty and not this.skip():
                    files = list(doc_files)
                    helper.start([file.src_uri for file in files], lambda number, counter: _built(
                        files[number], build_page, (config, doc_files, nav, env), index, counter))
            found = helper.result(page.file.src_uri)
            if isinstance(found, str) and (index is not None or found == "[]"):
                if index is not None:
                    index.entries.extend(json.loads(found))
                helper.helped += 1
                return
            build_page(page, config, doc_files, nav, env, dirty, excluded)

        mkdocs_build._build_page = built

        def uninstall() -> None:
            mkdocs_build._build_page = build_page
            helper.stop()

        return uninstall


def _built(file, build_page: Callable, site: tuple, index, counter: WarningCount) -> str | None:
    """Build the page in the helper; its search entries as JSON, or None when its building logged a warning or
    failed."""
    config, doc_files, nav, env = site
    try:
        made = _entries_built(lambda: build_page(file.page, config, doc_files, nav, env, False,
                                                 file.inclusion.is_excluded()), index, counter)
    except Exception:  # noqa: BLE001 - this process builds the page again and reports the problem
        return None
    return None if made is None else json.dumps(made)


def _entries_built(build: Callable[[], None], index, counter: WarningCount) -> list | None:
    """Build one page; the search entries its building added, or None when it logged a warning."""
    before, entries = counter.count, len(index.entries) if index is not None else 0
    build()
    if counter.count != before:
        return None
    return [] if index is None else index.entries[entries:]


def _cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _conversion_key(page) -> str:
    """What a conversion reads of the page itself: its address, whether it is built, its Markdown."""
    return digest(page.file.src_uri, page.file.url, page.file.inclusion.name, page.markdown or "")


def _converted(file, convert: Callable, config, files, counter: WarningCount, skip: Callable) -> tuple | None:
    """Read the page as MkDocs does and convert it; (its key, what PageCache keeps of it), or None when the
    conversion logged a warning, failed, or is one this process will not need."""
    from mkdocs.structure.pages import Page

    page = file.page if file.page is not None else Page(None, file, config)
    config._current_page = page
    try:
        page = config.plugins.on_pre_page(page, config=config, files=files)
        page.read_source(config)
        page.markdown = config.plugins.on_page_markdown(page.markdown, page=page, config=config, files=files)
        if skip(page):
            return None
        before = counter.count
        lookups = _converted_recording_lookups(convert, page, config, files)
        if counter.count != before:
            return None
        return _conversion_key(page), (*PageCache.entry(page), sorted(lookups.items()))
    except Exception:  # noqa: BLE001 - this process converts the page again and reports the problem
        return None
    finally:
        config._current_page = None


class BuiltPageCache:
    """The HTML MkDocs wrote for each page in the last build, and its search entries, reused when nothing that goes
    into them has changed.

    A page's HTML is its template filled from the page (its content, table of contents, title, metadata, address and
    neighbours), the whole navigation and every page's title and metadata (the theme lists them), the configuration,
    the theme's files, the build date and the plugins: all of them make its key, so a change to any one that is not
    the page's own (a title, the navigation, the theme) builds every page again. The search index's entries for a
    page are kept with it and added in the page's place. Only building from the template is skipped: every page's
    Markdown is still read (see PageCache) and its links and anchors checked; a page whose building logged a
    warning is not kept, so a reused page never hides one.
    """

    def __init__(self, folder: Path, common: str, project: Path) -> None:
        self.path = folder / BUILT_PACK
        stored = read_pack(self.path, BUILT_MAGIC)
        self.stored: dict = stored if isinstance(stored, dict) else {}
        self.kept: dict = {}
        self.common, self.project = common, project
        self.reused = self.pages = 0
        self.unknown = ""  # the first plugin whose part is not known, when there is one

    def install(self, config) -> Callable[[], None]:
        """Build pages through this cache, when every plugin's part can be accounted for; returns what puts MkDocs'
        own page building back."""
        from mkdocs.commands import build as mkdocs_build

        roles = _plugin_roles(config)
        if isinstance(roles, str):
            self.unknown = roles
            return lambda: None
        build_page = mkdocs_build._build_page
        cache, site = self, {}
        counter = WarningCount()
        logging.getLogger("mkdocs").addHandler(counter)
        search = next((plugin for plugin, role in roles if role == "search"), None)
        context_plugins = [plugin for plugin, role in roles if role == "context"]

        def built(page, config, doc_files, nav, env, dirty=False, excluded=False) -> None:
            index = getattr(search, "search_index", None)  # made once the configuration is read, if enabled
            cache.pages += 1
            if id(nav) not in site:  # the same for every page of the build
                site.clear()
                site[id(nav)] = _site_key(cache.common, config, nav, doc_files, roles, cache.project)
            key = None
            if not dirty and not any(_adds_to_context(plugin, page, config, nav, doc_files) for plugin in context_plugins):
                key = digest(site[id(nav)], _page_key(page, excluded))
            found = cache.stored.get(key) if key is not None else None
            if found is not None and cache.restore(page, found, index):
                cache.kept[key] = found
                cache.reused += 1
                return
            made = _entries_built(lambda: build_page(page, config, doc_files, nav, env, dirty, excluded), index,
                                  counter)
            output = Path(page.file.abs_dest_path)
            if key is not None and made is not None and output.is_file():
                cache.kept[key] = (zlib.compress(output.read_bytes(), 1), json.dumps(made))

        mkdocs_build._build_page = built

        def uninstall() -> None:
            mkdocs_build._build_page = build_page
            logging.getLogger("mkdocs").removeHandler(counter)

        return uninstall

    @staticmethod
    def restore(page, entry, index) -> bool:
        """Write the page's HTML and give the search index its entries as last time; False when the entry cannot
        be used."""
        from mkdocs import utils

        try:
            html, entries = entry
            output, made = zlib.decompress(html), json.loads(entries)
        except (TypeError, ValueError, zlib.error):
            return False
        if not isinstance(made, list) or (made and index is None):
            return False
        utils.write_file(output, page.file.abs_dest_path)
        if index is not None:
            index.entries.extend(made)
        return True

    def save(self) -> None:
        """Keep this build's pages, and only them."""
        if self.kept.keys() != self.stored.keys():
            write_pack(self.path, BUILT_MAGIC, self.kept)


def _plugin_roles(config) -> list[tuple[object, str]] | str:
    """Each plugin with the part it plays in a page's HTML; the name of the first whose part is not known if any."""
    roles = []
    for name, plugin in config.plugins.items():
        role = KNOWN_PLUGINS.get(f"{type(plugin).__module__}.{type(plugin).__qualname__}")
        if role is None:
            return name
        roles.append((plugin, role))
    return roles


def _adds_to_context(plugin, page, config, nav, doc_files) -> bool:
    """Whether the plugin adds anything to the page's template context (then the page is always built)."""
    from mkdocs.commands.build import get_context

    context = get_context(nav, doc_files, config, page)
    before = dict(context)
    result = plugin.on_page_context(context, page=page, config=config, nav=nav)
    return (result if result is not None else context) != before


def _text(value) -> str:
    """A value as text that is the same in every run: sets in order, objects without their addresses."""
    try:
        return json.dumps(value, sort_keys=True, ensure_ascii=False, default=_plain)
    except (TypeError, ValueError):  # keys of mixed kinds
        return _ADDRESS.sub("", repr(value))


def _plain(value):
    """What _text writes for a value JSON has no form for."""
    if isinstance(value, (set, frozenset)):
        return sorted(_text(item) for item in value)
    if hasattr(value, "static_templates") and hasattr(value, "dirs"):  # a theme: its settings are its items
        return {"name": value.name, "dirs": list(value.dirs), "static_templates": sorted(value.static_templates),
                "settings": dict(value.items())}
    if isinstance(value, Mapping):
        return dict(value)
    return _ADDRESS.sub("", repr(value))


def _site_key(common: str, config, nav, doc_files, roles, project: Path) -> str:
    """What goes into every page's HTML: the configuration, the plugins, the theme, the navigation and every
    page's address, title and metadata, the build date."""
    from mkdocs.utils import get_build_datetime

    settings = [(name, _text(value)) for name, value in sorted(config.items())
                if name not in ("config_file_path", "docs_dir", "site_dir", "plugins", "mdx_configs")]
    plugins = [(name, type(plugin).__module__, type(plugin).__qualname__, _text(dict(plugin.config)))
               for name, plugin in config.plugins.items()]
    pages = [(file.src_uri, file.url, file.dest_uri, file.inclusion.name,
              *(() if file.page is None else (str(file.page.title), _text(file.page.meta))))
             for file in doc_files]
    return digest(common, repr(settings), repr(plugins), repr([role for _, role in roles]),
                  *_theme_files(config.theme.dirs, project), repr(_navigation(nav.items)),
                  str(None if nav.homepage is None else nav.homepage.url), repr(pages),
                  get_build_datetime().isoformat())


def _navigation(items) -> list:
    """The navigation as the theme reads it: each item's kind, title, address and children."""
    return [(type(item).__name__, str(item.title), str(getattr(item, "url", "")),
             _navigation(getattr(item, "children", None) or [])) for item in items]


def _theme_files(folders: list[str], project: Path) -> list[str]:
    """The theme's files: the project's own by their bytes, an installed theme's by name, size and time (it holds
    thousands of icons, and it changes only when it is installed again)."""
    parts = []
    for folder in folders:
        inside = Path(folder).resolve().is_relative_to(project)
        parts.append(folder)
        for path, folder_names, names in os.walk(folder):
            folder_names.sort()
            for name in sorted(names):
                file = os.path.join(path, name)
                stat = os.stat(file)
                parts.append(f"{file[len(folder):]} {stat.st_size}"
                             + (f" {digest(Path(file).read_bytes())}" if inside else f" {stat.st_mtime_ns}"))
    return parts


def _page_key(page, excluded: bool) -> str:
    """What of the page itself goes into its HTML."""
    neighbours = [(str(other.title), other.url) if other is not None else None
                  for other in (page.previous_page, page.next_page)]
    parents = [str(parent.title) for parent in page.ancestors]
    return digest(page.file.src_uri, page.file.url, page.file.dest_uri, str(page.canonical_url),
                  str(page.edit_url), str(page.abs_url), str(page.title), _text(page.meta), page.markdown or "",
                  page.content or "", repr(_toc_tokens(page.toc)), repr(neighbours), repr(parents),
                  str(page.is_homepage), str(excluded))


def tuple_or_none(found) -> tuple | None:
    """A kept lookup's result as _found gives it (marshal keeps tuples, but an entry may come from elsewhere)."""
    return None if found is None else tuple(found)


def _converted_recording_lookups(convert: Callable, page, config, files) -> dict[str, tuple | None]:
    """Convert the page, returning each file its links looked up and what they found (to tell later whether
    the same lookups still find the same files)."""
    lookups: dict[str, tuple | None] = {}
    look_up = files.get_file_from_path

    def recorded(path: str):
        file = look_up(path)
        lookups[path] = _found(file)
        return file

    files.get_file_from_path = recorded  # the links' lookups, for this conversion only
    try:
        convert(page, config, files)
    finally:
        del files.get_file_from_path
    return lookups


def _found(file) -> tuple[str, str, str] | None:
    """What a link's conversion reads of the file a lookup found: its path, address and whether it is built."""
    return None if file is None else (file.src_uri, file.url, file.inclusion.name)


def _toc_tokens(links) -> list[dict]:
    """A table of contents as the tokens MkDocs' get_toc makes it from (all it keeps of them)."""
    return [{"name": link.title, "id": link.id, "level": link.level, "children": _toc_tokens(link.children)}
            for link in links]


def _staged(path: str, original_docs: Path, staged_docs: Path) -> str:
    """`path` moved from the original docs folder into the staged one; any other path as it was."""
    resolved = Path(path).resolve()
    try:
        return str(staged_docs / resolved.relative_to(original_docs))
    except ValueError:
        return path


def build(config_file: str, original_docs: Path, staged_docs: Path, site_dir: Path,
          page_cache: tuple[Path, str] | None = None) -> None:
    """`mkdocs build --strict`, reading pages from `staged_docs` and writing into `site_dir`, converting pages
    through a PageCache in the folder `page_cache` names, under the code version it gives, if any."""
    from mkdocs.commands import build as mkdocs_build
    from mkdocs.config import load_config

    config = load_config(config_file, docs_dir=str(staged_docs), site_dir=str(site_dir), strict=True)
    # Snippets are read from folders named relative to the working folder; those inside docs/ must be
    # read from the staged copy too, or pages would take the previous build's abbreviations.
    snippets = config.mdx_configs.get("pymdownx.snippets", {})
    if "base_path" in snippets:
        paths = snippets["base_path"]
        paths = [paths] if isinstance(paths, str) else paths
        snippets["base_path"] = [_staged(p, original_docs, staged_docs) for p in paths]
    cache, pages, uninstall = None, None, []
    if page_cache is not None:
        cache = PageCache(*page_cache, config, config_file, list(snippets.get("base_path", [])))
        pages = BuiltPageCache(page_cache[0], cache.common, Path(config_file).resolve().parent)
    # Installed first, so that the page caches' pages come before the helpers'.
    uninstall = [HelperConversion(cache.has if cache is not None else lambda page: False).install(),
                 HelperBuilding(lambda: pages is not None and bool(pages.stored)).install(config)]
    if cache is not None and pages is not None:
        uninstall += [cache.install(), pages.install(config)]
    config.plugins.on_startup(command="build", dirty=False)
    try:
        mkdocs_build.build(config)
    finally:
        for undo in reversed(uninstall):
            undo()
        config.plugins.on_shutdown()
    if cache is not None and pages is not None:
        log = logging.getLogger("mkdocs")
        log.info("page cache: %d of %d pages' Markdown reused", cache.reused, len(cache.kept))
        if pages.unknown:
            log.info("page cache: every page's HTML built: the cache does not know what the plugin %r does to it",
                     pages.unknown)
        else:
            log.info("page cache: %d of %d pages' HTML reused", pages.reused, pages.pages)
        try:
            cache.save()
            pages.save()
        except OSError as error:  # the next build converts and builds every page again, nothing worse
            log.info("page cache not written: %s", error)


def main(argv: list[str]) -> int:
    """Build; print MkDocs' messages as `LEVEL - message` lines; exit 1 on any failure, without a traceback."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    config_file, original_docs, staged_docs, site_dir, *cached = argv
    page_cache = (Path(cached[0]), cached[1]) if cached else None
    try:
        build(config_file, Path(original_docs).resolve(), Path(staged_docs).resolve(), Path(site_dir), page_cache)
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # noqa: BLE001 - MkDocs and its extensions raise anything; the build reports it
        print(f"ERROR   -  {type(error).__name__}: {error}" if str(error) else f"ERROR   -  {type(error).__name__}",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
