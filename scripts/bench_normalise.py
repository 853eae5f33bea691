"""Print how many notes per second the normalise stage handles: the obsidian-aws vault and 10,000 synthetic notes.

Run as `.venv/bin/python scripts/bench_normalise.py [--vault PATH] [--notes N]`. Figures only; nothing is asserted.
"""

from __future__ import annotations

import argparse
import random
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
          f"= {len(notes) / elapsed:.0f} notes/s ({size / elapsed:.2f} MB/s)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--vault", type=Path, default=DEFAULT_VAULT)
    parser.add_argument("--notes", type=int, default=10_000)
    args = parser.parse_args()
    if args.vault.is_dir():
        notes, files = vault_notes(args.vault)
        measure("obsidian-aws vault", notes, files)
    else:
        print(f"obsidian-aws vault: skipped (no folder at {args.vault})")
    measure("synthetic corpus", synthetic_notes(args.notes), frozenset({"diagram.png"}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
