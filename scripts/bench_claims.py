"""Print the claims every rule flags in each vault, and their precision against the hand-checked labels.

Usage: python scripts/bench_claims.py [NOTES_FOLDER ...]   (default: the seeds and the public vaults beside the
project). The rules are those of data/matrix/contradictions.yml and data/claims.yml, run on the notes as the
normaliser leaves them, as the build runs them; tests/labels/claims.yml holds one verdict per hit (note, line,
rule: correct or wrong, and why). A hit without a verdict is listed so that someone checks it.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml

from handbook import stages
from handbook.load import Limits
from handbook.matrix import Contradiction, find_contradictions, load_matrix
from workbench import ROOT

VAULTS = [ROOT / "data" / "notes", *(ROOT.parent / "shared" / "corpora" / name
                                     for name in ("obsidian-aws", "aws-exam-qa", "aws-services"))]
LABELS = ROOT / "tests" / "labels" / "claims.yml"


def vault_name(folder: Path) -> str:
    """How the labels name a vault: 'seeds' for the project's own notes, else the folder's name."""
    return "seeds" if folder.resolve() == VAULTS[0].resolve() else folder.name


def flagged(folder: Path) -> list[Contradiction]:
    """Every claim the rules flag in a notes folder, as the build finds them."""
    limits = Limits()
    loaded = stages.load(folder, limits)
    notes = stages.normalise(loaded, ROOT / "data", limits, lambda *progress: None).notes
    sections = [section for note in notes for section in note.sections]
    return find_contradictions([block for section in sections for block in section.blocks],
                               load_matrix(ROOT / "data"), sections)


@dataclass(frozen=True)
class Score:
    """A vault's hits by verdict."""

    hits: int
    correct: int
    wrong: int
    unlabelled: tuple[str, ...]

    @property
    def precision(self) -> float | None:
        """The share of labelled hits that are correct."""
        judged = self.correct + self.wrong
        return self.correct / judged if judged else None


def load_labels(path: Path = LABELS) -> dict[tuple[str, str, int, str], str]:
    """(vault, note, line, rule) -> 'correct' or 'wrong'."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {(entry["vault"], entry["note"], entry["line"], entry["rule"]): entry["verdict"] for entry in data["hits"]}


def score(vault: str, hits: list[Contradiction], labels: dict[tuple[str, str, int, str], str]) -> Score:
    """How many of a vault's hits the labels call correct or wrong, and which have no verdict."""
    verdicts = Counter()
    unlabelled = []
    for hit in hits:
        verdict = labels.get((vault, hit.source.note, hit.source.line, hit.rule))
        if verdict is None:
            unlabelled.append(f"{hit.source.note}:{hit.source.line} {hit.rule}")
        else:
            verdicts[verdict] += 1
    return Score(len(hits), verdicts["correct"], verdicts["wrong"], tuple(unlabelled))


def main(folders: list[Path]) -> None:
    """Print one row per vault, then the hits by rule and any hit without a verdict."""
    labels = load_labels()
    print("| Vault | Hits | Correct | Wrong | Unlabelled | Precision | Seconds |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    by_rule: Counter[tuple[str, str]] = Counter()
    unchecked = []
    for folder in folders:
        if not folder.is_dir():
            print(f"| {folder.name} | absent | | | | | |")
            continue
        started = time.perf_counter()
        hits = flagged(folder)
        seconds = time.perf_counter() - started
        name = vault_name(folder)
        result = score(name, hits, labels)
        by_rule.update((name, hit.rule) for hit in hits)
        unchecked += [f"{name}: {item}" for item in result.unlabelled]
        precision = "–" if result.precision is None else f"{result.precision:.1%}"
        print(f"| {name} | {result.hits} | {result.correct} | {result.wrong} | {len(result.unlabelled)} "
              f"| {precision} | {seconds:.1f} |", flush=True)
    print("\n| Vault | Rule | Hits |\n| --- | --- | ---: |")
    for (name, rule), hits in sorted(by_rule.items()):
        print(f"| {name} | {rule} | {hits} |")
    if unchecked:
        print("\nHits without a verdict in tests/labels/claims.yml:")
        print("\n".join(unchecked))


if __name__ == "__main__":
    main([Path(arg) for arg in sys.argv[1:]] or VAULTS)
