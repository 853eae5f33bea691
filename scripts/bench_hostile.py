#!/usr/bin/env python3
"""Print how the build's time grows with hostile input: each family at 1x, 2x and 4x of a base size.

Each family is one note made to break a naive parser (unclosed `[`, `](` over and over, thousands of
headings, a long line without spaces, deep nesting, stray `**`, backticks, `<`, `%%`, `==`, `^[`...),
plus a long note of ordinary text and a big glossary. Every size runs the stages that read notes and
data (normalise, merge, data and render, in one process, as `scripts/build.py --no-site` runs them
for one note) in a forked process that starts with empty memos, and is stopped after a time limit.
Each time is net of the same stages on a one-line note; the slope is time(4x) / time(1x): about 4
is linear, 16 quadratic. Prints figures only; nothing is asserted.

    .venv/bin/python scripts/bench_hostile.py [--base 1.0] [--limit 15] [FAMILY ...]
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT / "scripts"))

from handbook.glossary import Glossary, Term, load_glossary  # noqa: E402
from handbook.matrix import load_matrix  # noqa: E402
from handbook.merge import load_topics, merge_notes  # noqa: E402
from handbook.model import RawNote  # noqa: E402
from handbook.normalise import load_context, normalise_all  # noqa: E402
from handbook.publish import split_unpublished  # noqa: E402
from handbook.redirects import load_redirects  # noqa: E402
from handbook.render import BuildState, render_site  # noqa: E402

DATA = PROJECT / "data"
NOTES = DATA / "notes"
MULTIPLES = (1, 2, 4)
STAGES = ("normalise", "merge", "render")


def repeat(unit: Callable[[int], str], size: int) -> str:
    """Units 0, 1, 2... joined until the text is `size` characters long (the last one cut)."""
    parts, length, index = [], 0, 0
    while length < size:
        part = unit(index)
        parts.append(part)
        length += len(part)
        index += 1
    return "".join(parts)[:size]


def staircase(size: int, step: str, item: str, depth: int = 60) -> str:
    """Lines that nest one level deeper each time, `depth` levels, then start again at the top."""
    return repeat(lambda i: step * (i % depth) + item + "\n", size)


def seed_text(size: int) -> str:
    """Ordinary notes: the seed notes one after another, repeated to `size` characters."""
    seeds = [p.read_text(encoding="utf-8") for p in sorted(NOTES.glob("*.md"))]
    return repeat(lambda i: seeds[i % len(seeds)] + "\n", size)


@dataclass(frozen=True)
class Family:
    """One kind of hostile note: a text of about `size` characters, and the base size it is measured at."""

    name: str
    base: int
    text: Callable[[int], str]


KB = 1000
FAMILIES = (
    Family("unclosed [", 100 * KB, lambda n: "[" * n),
    Family("[ then ]( repeated", 100 * KB, lambda n: "[" + "](" * (n // 2)),
    Family("[a]( unclosed", 100 * KB, lambda n: "[a](" * (n // 4)),
    Family("[a](b unclosed", 100 * KB, lambda n: "[a](b" * (n // 5)),
    Family("](x: unclosed", 100 * KB, lambda n: "[a" + "](x:" * (n // 4)),
    Family("links over lines", 100 * KB, lambda n: '[a](x\n"t"\n) ' * (n // 12)),
    Family("[a](\\n unclosed", 100 * KB, lambda n: "[a](\n" * (n // 5)),
    Family("[r]( of a defined r", 50 * KB, lambda n: "[r]: https://example.com/\n\nSee " + "[r](x " * (n // 6)),
    Family("many headings", 50 * KB, lambda n: repeat(lambda i: f"## Heading {i}\n\nText {i}.\n\n", n)),
    Family("normal text", 300 * KB, seed_text),
    Family("long line, no spaces", 500 * KB, lambda n: "x" * n),
    Family("long web address", 500 * KB, lambda n: "https://example.com/" + "a/" * (n // 2)),
    Family("nested list lines", 100 * KB, lambda n: staircase(n, "  ", "- item")),
    Family("nested quote lines", 50 * KB, lambda n: staircase(n, "> ", "text")),
    Family("deep list, one line", 50 * KB, lambda n: "- " * (n // 2) + "x"),
    Family("deep quote, one line", 200 * KB, lambda n: ">" * n + " x"),
    Family("many footnotes", 25 * KB, lambda n: repeat(lambda i: f"Text[^{i}].\n\n[^{i}]: Note {i}.\n\n", n)),
    Family("unclosed [^", 10 * KB, lambda n: "[^" * (n // 2)),
    Family("inline footnotes ^[", 10 * KB, lambda n: repeat(lambda i: f"a^[b{i} ", n)),
    Family("unclosed ^[", 10 * KB, lambda n: "^[" * (n // 2)),
    Family("^[ between code spans", 10 * KB, lambda n: "a^[b `c` " * (n // 9)),
    Family("many **", 100 * KB, lambda n: "**a " * (n // 4)),
    Family("many `", 200 * KB, lambda n: "``a`" * (n // 4)),
    Family("` runs, all lengths", 400 * KB, lambda n: repeat(lambda i: "`" * (i + 1) + "a", n)),
    Family("many <", 100 * KB, lambda n: "<a " * (n // 3)),
    Family("many HTML tags", 100 * KB, lambda n: "<span>" * (n // 6)),
    Family("unclosed <!--", 100 * KB, lambda n: "a " + "<!--a" * (n // 5)),
    Family("<!--a---> (no close)", 200 * KB, lambda n: "a <!--a--->" * (n // 11)),
    Family("unclosed <?", 100 * KB, lambda n: "a " + "<?" * (n // 2)),
    Family("unclosed {{", 100 * KB, lambda n: "a " + "{{" * (n // 2)),
    Family("table rows", 100 * KB, lambda n: "| a | b |\n| --- | --- |\n" + repeat(lambda i: f"| x{i} | y |\n", n)),
    Family("%% markers", 200 * KB, lambda n: "%%a " * (n // 4)),
    Family("== markers", 200 * KB, lambda n: "==a " * (n // 4)),
    Family("unclosed [[", 100 * KB, lambda n: "[[" * (n // 2)),
    Family("unclosed [[a#", 100 * KB, lambda n: "[[a#" * (n // 4)),
    Family("unclosed ![", 100 * KB, lambda n: "![" * (n // 2)),
    Family("[ on every line", 20 * KB, lambda n: "[\n" * (n // 2)),
    Family("image, then [ line", 20 * KB, lambda n: "![a](i.png)\n[x\n" * (n // 15)),
    Family("a misspelling a line", 50 * KB, lambda n: "teh\n" * (n // 4)),
    Family("attribute lists {", 200 * KB, lambda n: "{#a " * (n // 4)),
    Family("braces after elements", 200 * KB, lambda n: "**a**{b} " * (n // 9)),
    Family("many formulas", 50 * KB, lambda n: "$x_1^2$ " * (n // 8)),
    Family("unclosed $", 200 * KB, lambda n: "$a " * (n // 3)),
    Family("a formula over many lines", 50 * KB, lambda n: "$$\n" + "x +\n" * (n // 4) + "$$"),
    Family("attribute list, then }", 200 * KB, lambda n: "**b**{.c}" + " }" * (n // 2)),
    Family("heading ending in braces", 200 * KB, lambda n: "## T" + " {a}" * (n // 4)),
    Family("table cell of braces", 200 * KB, lambda n: "| a | b |\n| --- | --- |\n| x |" + " {a" * (n // 3) + "} |\n"),
    Family("backslashes", 200 * KB, lambda n: "\\" * n),
)
GLOSSARY_BASE = 5000  # terms


def glossary_of(count: int) -> Glossary:
    """The project's glossary and `count` made-up terms after it (some with a hyphen, as SSE-KMS)."""
    real = load_glossary(DATA).terms
    rng = random.Random(count)
    taken = {term.term for term in real}
    made: list[Term] = []
    while len(made) < count:
        word = "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") for _ in range(rng.randint(2, 6)))
        if rng.random() < 0.1:
            word += "-" + "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(rng.randint(2, 4)))
        if word[0].isalpha() and word not in taken:
            taken.add(word)
            made.append(Term(term=word, expansion=f"Made-up term {len(made)}"))
    return Glossary(terms=(*real, *made))


def run_stages(raws: list[RawNote], glossary: Glossary | None) -> dict[str, float]:
    """The seconds of each stage, as build.py runs them for these notes (in this process)."""
    times: dict[str, float] = {}
    started = time.perf_counter()
    context = load_context(DATA, frozenset())
    notes, findings = [], []
    for note, found in normalise_all(raws, context, 1):
        notes.append(note)
        findings.extend(found)
    notes, findings, unpublished = split_unpublished(notes, findings)
    times["normalise"] = time.perf_counter() - started
    started = time.perf_counter()
    result = merge_notes(notes, load_topics(DATA))
    times["merge"] = time.perf_counter() - started
    started = time.perf_counter()
    matrix, redirects = load_matrix(DATA), load_redirects(DATA)
    glossary = glossary or load_glossary(DATA)
    render_site(BuildState(notes, {raw.path: raw.size for raw in raws}, findings, result, matrix, glossary,
                           PROJECT / "templates", NOTES, "notes", redirects, (), unpublished))
    times["render"] = time.perf_counter() - started
    return times


def _family_input(name: str, size: int) -> tuple[list[RawNote], Glossary | None]:
    if name == "big glossary":
        raws = [RawNote(p.name, p.read_text(encoding="utf-8"), p.stat().st_size) for p in sorted(NOTES.glob("*.md"))]
        return raws, glossary_of(size)
    family = next(f for f in FAMILIES if f.name == name)
    text = family.text(size) if size else "One line.\n"
    return [RawNote("hostile.md", text, len(text.encode("utf-8")))], None


def _child(name: str, size: int, pipe) -> None:
    raws, glossary = _family_input(name, size)
    pipe.send(run_stages(raws, glossary))


def measure(name: str, size: int, limit: float) -> dict[str, float] | None:
    """The stage times of one input in a fresh forked process, or None when it ran past `limit` seconds."""
    # A fork starts from this process's imports but with none of a former run's memos.
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(name, size, send))
    process.start()
    send.close()
    times = receive.recv() if receive.poll(limit) else None
    process.join(1 if times is None else None)
    if process.is_alive():
        process.kill()
        process.join()
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("families", nargs="*", help="names of families to run (default: all)")
    parser.add_argument("--base", type=float, default=1.0, help="scale every base size by this factor")
    parser.add_argument("--limit", type=float, default=15.0, help="seconds one size may take before it is stopped")
    args = parser.parse_args()
    chosen = [(f.name, f.base) for f in FAMILIES] + [("big glossary", GLOSSARY_BASE)]
    if args.families:
        chosen = [(name, base) for name, base in chosen if name in args.families]
    run_stages(*_family_input(chosen[0][0], 0))  # imports and templates, so that forks start warm
    empty = measure("unclosed [", 0, args.limit) or {}
    baseline = sum(empty.values())
    glossary_baseline = measure("big glossary", 0, args.limit) or {}
    print(f"one-line note: {baseline:.2f} s (normalise {empty.get('normalise', 0):.2f}, merge "
          f"{empty.get('merge', 0):.2f}, render {empty.get('render', 0):.2f}); seed notes with the project's "
          f"glossary: {sum(glossary_baseline.values()):.2f} s; times below are net of these")
    print(f"{'family':<24}{'base':>10}{'1x':>9}{'2x':>9}{'4x':>9}{'slope':>7}  slowest stage at 4x")
    for name, base in chosen:
        size = max(1, int(base * args.base))
        offset = sum(glossary_baseline.values()) if name == "big glossary" else baseline
        cells, last = [], None
        for multiple in MULTIPLES:
            times = measure(name, size * multiple, args.limit)
            if times is None:
                cells.append(f">{args.limit:.0f}s")
                break
            last = times
            cells.append(max(sum(times.values()) - offset, 0.001))
        done = [c for c in cells if isinstance(c, float)]
        slope = f"{done[-1] / done[0]:.1f}" if len(done) == len(MULTIPLES) else "-"
        shown = [f"{c:.2f}" if isinstance(c, float) else c for c in cells] + [""] * (len(MULTIPLES) - len(cells))
        unit = "terms" if name == "big glossary" else "chars"
        slowest = max(last, key=last.get) if last else "-"
        print(f"{name:<24}{size:>8}{unit[0]:>2}" + "".join(f"{c:>9}" for c in shown) + f"{slope:>7}  {slowest}",
              flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
