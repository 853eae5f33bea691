#!/usr/bin/env python3
"""Live preview: regenerate docs/handbook/ whenever a note, data file or template changes, and serve it.

MkDocs' own server watches docs/ and reloads the browser; this script watches the
pipeline's inputs and reruns the pipeline (without the site stage) when they change,
rewriting only the pages whose text changed so that MkDocs rebuilds just those.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from pathlib import Path

import jinja2
from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

SCRIPTS = Path(__file__).resolve().parent
PROJECT = SCRIPTS.parent
sys.path.insert(0, str(SCRIPTS))

from build import main as build_main  # noqa: E402
from handbook.site import mkdocs_env  # noqa: E402
from mkdocs.commands.serve import serve  # noqa: E402
from mkdocs.theme import Theme  # noqa: E402

# Editors write a file in several steps; wait this long for the burst to end.
DEBOUNCE_SECONDS = 0.1


class CompiledTemplates(jinja2.BytecodeCache):
    """Compiled theme templates kept in memory between rebuilds; Jinja2 recompiles any whose source changed."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


def keep_compiled_theme_templates() -> None:
    """Let every rebuild reuse the theme's compiled templates: MkDocs makes a new environment per build."""
    cache = CompiledTemplates()
    make_env = Theme.get_env

    def get_env(theme: Theme) -> jinja2.Environment:
        env = make_env(theme)
        env.bytecode_cache = cache
        return env

    Theme.get_env = get_env  # type: ignore[method-assign]


class Regenerate(FileSystemEventHandler):
    """Reruns the pipeline once per burst of changes to its inputs."""

    def __init__(self, build_args: list[str]):
        self.build_args = build_args
        self.timer: threading.Timer | None = None
        self.lock = threading.Lock()

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write") or "/." in str(event.src_path):
            return
        with self.lock:
            if self.timer:
                self.timer.cancel()
            self.timer = threading.Timer(DEBOUNCE_SECONDS, self.run)
            self.timer.start()

    def run(self) -> None:
        started = time.perf_counter()
        code = build_main(self.build_args)
        status = "regenerated" if code == 0 else "regeneration failed (previous pages kept)"
        print(f"serve: {status} in {time.perf_counter() - started:.2f} s", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    """Generate once, then watch inputs and run `mkdocs serve` until interrupted."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--notes", type=Path, default=PROJECT / "data" / "notes")
    parser.add_argument("--data", type=Path, default=PROJECT / "data")
    parser.add_argument("--templates", type=Path, default=PROJECT / "templates")
    parser.add_argument("--root", type=Path, default=PROJECT)
    parser.add_argument("--address", default="127.0.0.1:8000")
    args = parser.parse_args(argv)
    # Rebuilds run after the chdir below, so every folder is named absolutely.
    for name in ("notes", "data", "templates", "root"):
        setattr(args, name, getattr(args, name).resolve())
    build_args = ["--notes", str(args.notes), "--data", str(args.data), "--templates", str(args.templates),
                  "--root", str(args.root), "--no-site", "--quiet"]
    if build_main(build_args) != 0:
        return 1
    # After the first full write, only changed pages are rewritten so MkDocs can rebuild just those.
    build_args.append("--in-place")
    handler = Regenerate(build_args)
    observer = Observer()
    for folder in sorted({args.notes.resolve(), args.data.resolve(), args.templates.resolve()}):
        observer.schedule(handler, str(folder), recursive=True)
    observer.start()
    os.environ.update(mkdocs_env())
    keep_compiled_theme_templates()
    os.chdir(args.root)  # the snippets extension reads its files relative to the working folder
    try:
        # A dirty, non-strict rebuild re-renders only the changed pages; `make site` stays strict.
        serve(config_file=str(args.root / "mkdocs.yml"), livereload=True, build_type="dirty",
              dev_addr=args.address, strict=False)
    except KeyboardInterrupt:
        pass
    finally:
        observer.stop()
        observer.join()
    return 0


if __name__ == "__main__":
    sys.exit(main())
