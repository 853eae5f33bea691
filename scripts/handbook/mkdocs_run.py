"""Run MkDocs' strict build of the project's mkdocs.yml on a build's private copy of docs/.

The build stages its pages in a folder of its own and swaps them in only once the site built, so
MkDocs must read that copy: `mkdocs build` has no option for the docs folder, so this runs the
same steps as its command through MkDocs' API, with `docs_dir` and `site_dir` overridden.

    python mkdocs_run.py CONFIG_FILE ORIGINAL_DOCS_DIR STAGED_DOCS_DIR SITE_DIR [PAGE_CACHE_DIR CODE_VERSION]

With a page cache folder, each page's Markdown is converted once for as long as what the conversion reads
stays the same (see PageCache); MkDocs still builds every page, its navigation and the search index.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from handbook.feedback import WarningCount  # noqa: E402
from handbook.packs import digest, read_pack, write_pack  # noqa: E402

PAGES_PACK = "pages.pack"
PAGES_MAGIC = b"handbook-page-cache 1\n"


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
            key = digest(cache.common, page.file.src_uri, page.file.url, page.file.inclusion.name,
                         page.markdown or "")
            found = cache.stored.get(key)
            if found is not None and cache.restore(page, found, files, get_toc):
                cache.kept[key] = found
                cache.reused += 1
                return
            before, lookups = counter.count, {}
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
            if counter.count == before:
                cache.kept[key] = (*cache.entry(page), sorted(lookups.items()))

        Page.render = render  # type: ignore[method-assign]

        def uninstall() -> None:
            Page.render = convert  # type: ignore[method-assign]
            logging.getLogger("mkdocs").removeHandler(counter)

        return uninstall

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


def tuple_or_none(found) -> tuple | None:
    """A kept lookup's result as _found gives it (marshal keeps tuples, but an entry may come from elsewhere)."""
    return None if found is None else tuple(found)


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
    cache, uninstall = None, lambda: None
    if page_cache is not None:
        cache = PageCache(*page_cache, config, config_file, list(snippets.get("base_path", [])))
        uninstall = cache.install()
    config.plugins.on_startup(command="build", dirty=False)
    try:
        mkdocs_build.build(config)
    finally:
        uninstall()
        config.plugins.on_shutdown()
    if cache is not None:
        logging.getLogger("mkdocs").info("page cache: %d of %d pages' Markdown reused", cache.reused, len(cache.kept))
        try:
            cache.save()
        except OSError as error:  # the next build converts every page again, nothing worse
            logging.getLogger("mkdocs").info("page cache not written: %s", error)


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
