"""Print the repairs each vault gets, by rule, and the precision of the text-changing repairs on a labelled sample.

Usage: python scripts/bench_repairs.py [--draw FILE] [NOTES_FOLDER ...]   (default: every vault in the shared
corpora beside the project). The labels live in tests/labels/repairs.yml: each names a repair by vault, note, line,
rule, before and after, says whether it is right or wrong and why. A label whose hash falls in the held-out part
was set aside when the sample was drawn, before the rules were tuned on the rest; both parts are reported.
`--draw FILE` writes a fresh sample of unlabelled repairs (fixed seed), with the line each stands on, to label.
"""

from __future__ import annotations

import hashlib
import random
import sys
import time
from collections import Counter
from pathlib import Path

import yaml

from workbench import ROOT, build_in_memory

CORPORA = ROOT.parent / "shared" / "corpora"
LABELS = ROOT / "tests" / "labels" / "repairs.yml"
# The rules that change the words a note says; the others change only its layout or markup.
TEXT_RULES = ("spelling", "spelling-dictionary", "service-name", "copy-paste-leftover", "dash")
SAMPLE_SEED = 20261206
SAMPLE_SIZE = 200
HELD_OUT_SHARE = 4  # one label in four, by hash, is held out


def repair_key(vault: str, note: str, line: int, rule: str, before: str, after: str) -> tuple:
    """What names one repair in the labels."""
    return (vault, note, int(line), rule, before, after)


def held_out(key: tuple) -> bool:
    """Whether a label is in the held-out part: decided by its hash alone, never by its content's label."""
    digest = hashlib.sha256("\x1f".join(map(str, key)).encode("utf-8")).digest()
    return digest[0] % HELD_OUT_SHARE == 0


def vault_repairs(folder: Path) -> tuple[list, float]:
    """Every repair of a vault built in memory, and the seconds the build took."""
    started = time.perf_counter()
    built = build_in_memory(folder)
    seconds = time.perf_counter() - started
    return [repair for note in built.normalised.notes for repair in note.repairs], seconds


def load_labels(path: Path = LABELS) -> dict[tuple, dict]:
    """The labels by repair key."""
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))["labels"] if path.exists() else []
    return {repair_key(e["vault"], e["note"], e["line"], e["rule"], e["before"], e["after"]): e for e in entries}


def precision(keys: list[tuple], labels: dict[tuple, dict]) -> tuple[int, int]:
    """(right, labelled) among the repairs made that have a label."""
    labelled = [labels[key] for key in keys if key in labels]
    return sum(entry["label"] == "right" for entry in labelled), len(labelled)


def _line(folder: Path, note: str, line: int) -> str:
    lines = (folder / note).read_text(encoding="utf-8").splitlines()
    return lines[line - 1].strip() if 0 < line <= len(lines) else ""


def draw(folders: list[Path], out: Path) -> None:
    """Write a sample of the text-changing repairs, with their lines, for labelling."""
    candidates = []
    for folder in folders:
        repairs, _ = vault_repairs(folder)
        candidates += [(folder, r) for r in repairs if r.rule in TEXT_RULES]
    candidates.sort(key=lambda c: repair_key(c[0].name, c[1].note, c[1].line, c[1].rule, c[1].before, c[1].after))
    sample = random.Random(SAMPLE_SEED).sample(candidates, min(SAMPLE_SIZE, len(candidates)))
    entries = [{"vault": folder.name, "note": r.note, "line": r.line, "rule": r.rule, "before": r.before,
                "after": r.after, "text": _line(folder, r.note, r.line), "label": None, "reason": None}
               for folder, r in sorted(sample, key=lambda c: repair_key(c[0].name, c[1].note, c[1].line, c[1].rule,
                                                                         c[1].before, c[1].after))]
    out.write_text(yaml.safe_dump({"labels": entries}, allow_unicode=True, sort_keys=False, width=120),
                   encoding="utf-8")
    print(f"{len(entries)} repairs drawn from {len(candidates)} into {out}")


def main(folders: list[Path]) -> None:
    """Print the repairs by rule per vault, then the precision on the labelled sample, and every wrong one."""
    labels = load_labels()
    made: list[tuple] = []
    for folder in folders:
        repairs, seconds = vault_repairs(folder)
        by_rule = Counter(r.rule for r in repairs)
        print(f"## {folder.name}: {len(repairs)} repairs in {seconds:.1f} s")
        print(", ".join(f"{rule} {n}" for rule, n in sorted(by_rule.items(), key=lambda kv: (-kv[1], kv[0]))))
        made += [repair_key(folder.name, r.note, r.line, r.rule, r.before, r.after) for r in repairs
                 if r.rule in TEXT_RULES]
    print()
    for part, keys in (("tuning", [k for k in made if not held_out(k)]), ("held out", [k for k in made if held_out(k)])):
        right, labelled = precision(keys, labels)
        share = f"{100 * right / labelled:.1f} %" if labelled else "–"
        print(f"precision ({part}): {right}/{labelled} right = {share}")
    gone = [key for key in labels if key not in set(made)]
    print(f"labelled repairs no longer made: {len(gone)} "
          f"({sum(labels[k]['label'] == 'wrong' for k in gone)} of them labelled wrong)")
    for key in made:
        if key in labels and labels[key]["label"] == "wrong":
            print(f"WRONG {key[0]}/{key[1]}:{key[2]} {key[3]}: {key[4]!r} -> {key[5]!r} ({labels[key]['reason']})")


if __name__ == "__main__":
    arguments = sys.argv[1:]
    target = None
    if arguments[:1] == ["--draw"]:
        target, arguments = Path(arguments[1]), arguments[2:]
    chosen = [Path(a) for a in arguments] or sorted(p for p in CORPORA.iterdir() if p.is_dir())
    if target is not None:
        draw(chosen, target)
    else:
        main(chosen)
