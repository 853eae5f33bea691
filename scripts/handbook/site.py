"""Site stage: run `mkdocs build --strict` on the generated docs and swap the result into site/."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from .model import BuildError
from .write import has_marker, replace_folder


def _looks_like_a_built_site(folder: Path) -> bool:
    # A site/ left by a plain `mkdocs build` has no marker but is just as safe to replace.
    return has_marker(folder) or (folder / "sitemap.xml").exists() or (folder / "404.html").exists()


def mkdocs_env() -> dict[str, str]:
    """The environment for MkDocs: quiet about its own future, deterministic otherwise."""
    env = dict(os.environ)
    env["NO_MKDOCS_2_WARNING"] = "1"
    env.setdefault("SOURCE_DATE_EPOCH", "0")
    return env


def run_mkdocs(root: Path, site_dir: Path) -> str:
    """Build the site strictly into `site_dir`; raise with MkDocs' own warnings when it fails."""
    command = [
        sys.executable, "-m", "mkdocs", "build", "--strict",
        "--config-file", str(root / "mkdocs.yml"), "--site-dir", str(site_dir),
    ]
    result = subprocess.run(command, cwd=root, env=mkdocs_env(), capture_output=True, text=True)
    output = (result.stdout + result.stderr).strip()
    if result.returncode != 0:
        problems = [line for line in output.splitlines() if line.startswith(("WARNING", "ERROR", "Error", "Aborted"))]
        detail = "\n".join(problems) or output[-2000:]
        raise BuildError("mkdocs.yml", f"mkdocs build --strict failed:\n{detail}")
    return output


def build_site(root: Path, site_dir: Path, finish: Callable[[Path], None] | None = None) -> None:
    """Build into a fresh folder, let `finish` adjust it (e.g. the search index), then replace site/."""

    def fill(folder: Path) -> None:
        run_mkdocs(root, folder)
        if finish is not None:
            finish(folder)

    replace_folder(site_dir, fill, is_generated=_looks_like_a_built_site)
