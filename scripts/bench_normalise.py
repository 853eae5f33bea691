"""Print how fast the normalise stage is: the obsidian-aws vault, 10,000 synthetic notes and one 10 MB note.

Run as `.venv/bin/python scripts/bench_normalise.py [--vault PATH] [--notes N] [--big-mb N]`. Each corpus gets
a fresh context (as a build loads it once), so memos start empty. The synthetic notes are variations of the
five seed notes, so they repeat a lot of text; the vault is the figure for notes that do not repeat.
Peak memory is the process's maximum resident size. Figures only; nothing is asserted.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from handbook.model import RawNote  # noqa: E402
from handbook.normalise import load_context, normalise_note  # noqa: E402

PROJECT = Path(__file__).resolve().parents[1]
DEFAULT_VAULT = PROJECT.parent / "shared" / "corpora" / "obsidian-aws"
VARIATIONS = (
    lambda text, rng: text.replace("\n", "\r\n"),
    lambda text, rng: text.replace("    - ", "\t- "),
    lambda text, rng: "---\ntitle: Variant %d\ntags: [aws, study]\n---\n" % rng.randrange(10**6) + text,
    lambda text, rng: text + "\n> [!tip] Remember\n> securitu is everyone's job -- 24*7*365\n",
    lambda text, rng: text + "\nSee [[Shared Responsibility#Customers|the model]] and ![[diagram.png|600]] #review\n",
    lambda text, rng: "\ufeff" + text,
)


def synthetic_notes(count: int, seed: int = 7) -> list[RawNote]:
    """`count` notes made from the seed notes with random, repeatable variations."""
    seeds = [p.read_text(encoding="utf-8") for p in sorted((PROJECT / "data" / "notes").glob("*.md"))]
    rng = random.Random(seed)
    notes = []
    for index in range(count):
        text = seeds[index % len(seeds)]
        for variation in rng.sample(VARIATIONS, rng.randrange(len(VARIATIONS) + 1)):
            text = variation(text, rng)
        notes.append(RawNote(f"synthetic/{index:05d}.md", text, len(text.encode("utf-8"))))
    return notes


def vault_notes(vault: Path) -> tuple[list[RawNote], frozenset[str]]:
    """The vault's notes and the other files beside them."""
    files = frozenset(p.relative_to(vault).as_posix() for p in vault.rglob("*") if p.is_file() and p.suffix != ".md")
    notes = []
    for path in sorted(vault.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        notes.append(RawNote(path.relative_to(vault).as_posix(), text, len(text.encode("utf-8"))))
    return notes, files


def big_note(megabytes: float) -> RawNote:
    """One note of about `megabytes` MB: a seed note repeated (as in the ten-megabyte test)."""
    seed = sorted((PROJECT / "data" / "notes").glob("*.md"))[3].read_text(encoding="utf-8")
    text = (seed + "\n") * (int(megabytes * 1_000_000) // len(seed) + 1)
    return RawNote("big.md", text, len(text.encode("utf-8")))


def peak_memory_mb() -> float:
    """The process's peak resident memory so far (ru_maxrss is in KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1e6 if sys.platform == "darwin" else peak / 1024


def measure(label: str, notes: list[RawNote], files: frozenset[str]) -> None:
    """Normalise every note once and print the rate."""
    context = load_context(PROJECT / "data", files)
    started = time.perf_counter()
    repairs = 0
    for note in notes:
        repairs += len(normalise_note(note, context).repairs)
    elapsed = time.perf_counter() - started
    size = sum(n.size for n in notes) / 1e6
    print(f"{label}: {len(notes)} notes, {size:.1f} MB, {repairs} repairs in {elapsed:.2f} s "
          f"= {len(notes) / elapsed:.{0 if len(notes) > 10 else 2}f} notes/s ({size / elapsed:.2f} MB/s); "
          f"peak memory so far {peak_memory_mb():.0f} MB")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--vault", type=Path, default=DEFAULT_VAULT)
    parser.add_argument("--notes", type=int, default=10_000)
    parser.add_argument("--big-mb", type=float, default=10.0, help="size of the single large note (0 skips it)")
    args = parser.parse_args()
    if args.vault.is_dir():
        notes, files = vault_notes(args.vault)
        measure("obsidian-aws vault", notes, files)
    else:
        print(f"obsidian-aws vault: skipped (no folder at {args.vault})")
    measure("synthetic corpus", synthetic_notes(args.notes), frozenset({"diagram.png"}))
    if args.big_mb > 0:
        measure(f"one {args.big_mb:g} MB note", [big_note(args.big_mb)], frozenset())
    print(f"peak memory: {peak_memory_mb():.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
