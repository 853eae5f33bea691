"""Run MkDocs' strict build of the project's mkdocs.yml on a build's private copy of docs/.

The build stages its pages in a folder of its own and swaps them in only once the site built, so
MkDocs must read that copy: `mkdocs build` has no option for the docs folder, so this runs the
same steps as its command through MkDocs' API, with `docs_dir` and `site_dir` overridden.

    python mkdocs_run.py CONFIG_FILE ORIGINAL_DOCS_DIR STAGED_DOCS_DIR SITE_DIR
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path


def _staged(path: str, original_docs: Path, staged_docs: Path) -> str:
    """`path` moved from the original docs folder into the staged one; any other path as it was."""
    resolved = Path(path).resolve()
    try:
        return str(staged_docs / resolved.relative_to(original_docs))
    except ValueError:
        return path


def build(config_file: str, original_docs: Path, staged_docs: Path, site_dir: Path) -> None:
    """`mkdocs build --strict`, reading pages from `staged_docs` and writing into `site_dir`."""
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
    config.plugins.on_startup(command="build", dirty=False)
    try:
        mkdocs_build.build(config)
    finally:
        config.plugins.on_shutdown()


def main(argv: list[str]) -> int:
    """Build; print MkDocs' messages as `LEVEL - message` lines; exit 1 on any failure, without a traceback."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    config_file, original_docs, staged_docs, site_dir = argv
    try:
        build(config_file, Path(original_docs).resolve(), Path(staged_docs).resolve(), Path(site_dir))
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # noqa: BLE001 - MkDocs and its extensions raise anything; the build reports it
        print(f"ERROR   -  {type(error).__name__}: {error}" if str(error) else f"ERROR   -  {type(error).__name__}",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
