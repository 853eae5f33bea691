"""Print how merging by meaning does: on the labelled statements, and on the topic pages of each vault.

Usage: python scripts/bench_meaning.py [--part tuning|held-out|both] [NOTES_FOLDER ...]
(default: both parts; the seeds and the public vaults beside the project).

Labels (tests/labels/paraphrases.yml) are split once by a hash of their id (label_part): the held-out third is
never looked at while tuning. For each part: clusters' pairs judged the same (recall), pairs judged the same
that are labelled the same (precision), and trap pairs judged the same (must be 0). A pair is judged on its
quoted text alone, by the paraphrase rule (handbook.merge.meaning) and every fact guard; IDF weights come
from the statements of the label's vault (the seeds for hand-made ones).

A *visible repeat* is a shown block on a topic page that says what another block shown on the same page says:
either a labelled cluster holds both (by note and line), or the paraphrase rule and every fact guard judge them
the same. Each page's shown blocks are grouped by those pairs; a group of n blocks is n - 1 repeats. Counted
before (the merge without the meaning stage) and after, with the blocks the account leaves unaccounted.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

import yaml

from handbook import stages
from handbook.account import account_totals
from handbook.load import Limits
from handbook.merge import MergeResult, merge_notes
from handbook.merge.corpus import read_corpus
from handbook.merge.guards import Lexicon, meaning_conflict, meaning_signature
from handbook.merge.meaning import Concepts, MeaningJudge, load_meaning_terms, meaning_judge
from handbook.merge.outline import load_topics
from handbook.merge.settings import PARAPHRASE_MIN_WORDS, PARAPHRASE_RULE
from handbook.merge.text import link_targets, words
from workbench import ROOT

LABELS = ROOT / "tests" / "labels" / "paraphrases.yml"
CORPORA = ROOT.parent / "shared" / "corpora"
VAULTS = {"seeds": ROOT / "data" / "notes",
          **{name: CORPORA / name for name in ("obsidian-aws", "aws-exam-qa", "aws-services")}}
HELD_OUT = "held-out"
TUNING = "tuning"


@dataclass(frozen=True)
class Statement:
    """One quoted statement of a label: where it stands and its text."""

    vault: str
    note: str
    line: int
    text: str


@dataclass(frozen=True)
class Label:
    """Statements that say the same thing (`same`), or a trap pair that must never merge."""

    id: str
    same: bool
    statements: tuple[Statement, ...]

    @property
    def part(self) -> str:
        """The part of the set this label belongs to."""
        return label_part(self.id)


def label_part(label_id: str) -> str:
    """A fixed third of the labels is held out: those whose id hashes to 0 mod 3."""
    return HELD_OUT if hashlib.blake2b(label_id.encode(), digest_size=8).digest()[0] % 3 == 0 else TUNING


def load_labels(path: Path = LABELS) -> tuple[Label, ...]:
    """The labelled set, in file order."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return tuple(Label(entry["id"], bool(entry["same"]), tuple(Statement(**s) for s in entry["statements"]))
                 for entry in data["labels"])


class PairJudge:
    """Judges two quoted statements as the merge would: the paraphrase rule and every fact guard."""

    def __init__(self, judge: MeaningJudge, lexicon: Lexicon):
        self.judge, self.lexicon = judge, lexicon

    def same(self, left: str, right: str) -> bool:
        """True when the merge would take the two texts for one statement."""
        a, b = words(left), words(right)
        if " ".join(a) == " ".join(b):
            return True
        if not link_targets(left) <= link_targets(right) and not link_targets(right) <= link_targets(left):
            return False
        if min(len(a), len(b)) < PARAPHRASE_MIN_WORDS:
            return False
        concepts = self.judge.concepts
        if self.judge.same(concepts.of(a), concepts.of(b)) is None:
            return False
        return meaning_conflict(meaning_signature(a, left, self.lexicon, self.lexicon.named(a)),
                                meaning_signature(b, right, self.lexicon, self.lexicon.named(b))) is None


def vault_judges(vaults: dict[str, Path]) -> dict[str, PairJudge]:
    """A pair judge per vault, with IDF weights over that vault's statements."""
    data = ROOT / "data"
    limits = Limits()
    terms = load_meaning_terms(data, limits)
    lexicon = Lexicon(load_topics(data, limits).fact_terms)
    judges = {}
    for name, folder in vaults.items():
        if not folder.is_dir():
            continue
        loaded = stages.load(folder, limits)
        normalised = stages.normalise(loaded, data, limits, lambda *progress: None)
        judges[name] = PairJudge(meaning_judge(read_corpus(normalised.notes), terms), lexicon)
    judges.setdefault("issue", judges.get("seeds") or PairJudge(MeaningJudge(Concepts(terms), []), lexicon))
    return judges


@dataclass(frozen=True)
class Scores:
    """What the judge made of one part of the labels."""

    cluster_pairs: int
    found: int  # cluster pairs judged the same
    trap_pairs: int
    traps_merged: tuple[str, ...]  # ids of the trap labels judged the same

    @property
    def recall(self) -> float:
        """Share of the labelled same-meaning pairs judged the same."""
        return self.found / self.cluster_pairs if self.cluster_pairs else 1.0

    @property
    def precision(self) -> float:
        """Share of the pairs judged the same that are labelled the same."""
        judged = self.found + len(self.traps_merged)
        return self.found / judged if judged else 1.0


def score(labels: list[Label], judges: dict[str, PairJudge]) -> Scores:
    """Judge every pair of every label whose vault is at hand."""
    cluster_pairs = found = trap_pairs = 0
    merged: list[str] = []
    for label in labels:
        judge = judges.get(label.statements[0].vault)
        if judge is None:
            continue
        pairs = list(combinations(label.statements, 2))
        hits = sum(judge.same(a.text, b.text) for a, b in pairs)
        if label.same:
            cluster_pairs += len(pairs)
            found += hits
        else:
            trap_pairs += len(pairs)
            if hits:
                merged.append(label.id)
    return Scores(cluster_pairs, found, trap_pairs, tuple(merged))


def visible_repeats(result: MergeResult, labels: list[Label], vault: str, judge: PairJudge, show: bool = False
                    ) -> int:
    """Shown blocks on topic pages that repeat another shown block of the same page (see the docstring)."""
    cluster_of: dict[tuple[str, int], set[str]] = defaultdict(set)
    for label in labels:
        if label.same:
            for s in label.statements:
                if s.vault == vault:
                    cluster_of[(s.note, s.line)].add(label.id)
    repeats = 0
    for page in result.pages:
        shown = [b for section in page.sections for b in section.blocks if b.block.kind in ("paragraph", "list_item",
                                                                                               "quote")]
        parent = list(range(len(shown)))

        def find(x: int) -> int:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        tags = [set().union(*(cluster_of.get((s.note, s.line), set()) for s in b.sources)) for b in shown]
        by_tag: dict[str, int] = {}
        for index, found in enumerate(tags):
            for tag in found:
                if tag in by_tag:
                    parent[find(index)] = find(by_tag[tag])
                else:
                    by_tag[tag] = index
        long_enough = [i for i, b in enumerate(shown) if len(words(b.block.markdown)) >= 4]
        for x, y in combinations(long_enough, 2):
            if find(x) != find(y) and shown[x].sources[0].note != shown[y].sources[0].note \
                    and judge.same(shown[x].block.markdown, shown[y].block.markdown):
                parent[find(x)] = find(y)
        repeats += len(shown) - len({find(i) for i in range(len(shown))})
        if show:
            groups: dict[int, list[int]] = defaultdict(list)
            for index in range(len(shown)):
                groups[find(index)].append(index)
            for members in groups.values():
                if len(members) > 1:
                    print(f"  {page.id}: " + " | ".join(
                        f"{shown[i].sources[0].note}:{shown[i].sources[0].line} {shown[i].block.markdown[:60]!r}"
                        for i in members))
    return repeats


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--part", choices=(TUNING, HELD_OUT, "both"), default="both")
    parser.add_argument("--no-pages", action="store_true", help="only the labelled pairs")
    parser.add_argument("--show", action="store_true", help="list the repeats left on the pages")
    parser.add_argument("vaults", nargs="*", type=Path)
    args = parser.parse_args(argv)
    vaults = {folder.name if folder.name != "notes" else "seeds": folder for folder in args.vaults} or VAULTS
    labels = load_labels()
    judges = vault_judges(VAULTS)
    parts = (TUNING, HELD_OUT) if args.part == "both" else (args.part,)
    print(f"{'part':<9} {'labels':>6} {'pairs':>6} {'recall':>7} {'precision':>9} {'traps':>6} {'merged':>6}")
    for part in parts:
        chosen = [label for label in labels if label.part == part]
        s = score(chosen, judges)
        print(f"{part:<9} {len(chosen):>6} {s.cluster_pairs:>6} {s.recall:>7.2f} {s.precision:>9.2f} "
              f"{s.trap_pairs:>6} {len(s.traps_merged):>6}  {' '.join(s.traps_merged)}")
    if args.no_pages:
        return 0
    print()
    print(f"{'vault':<14} {'repeats before':>14} {'after':>6} {'paraphrase merges':>17} {'unaccounted':>11} {'s':>6}")
    data = ROOT / "data"
    limits = Limits()
    outline, terms = load_topics(data, limits), load_meaning_terms(data, limits)
    for name, folder in vaults.items():
        if not folder.is_dir():
            continue
        start = time.perf_counter()
        judge = judges.get(name) or judges["seeds"]
        normalised = stages.normalise(stages.load(folder, limits), data, limits, lambda *progress: None)
        notes = list(normalised.notes)
        before = merge_notes(notes, outline, terms=terms, by_meaning=False)
        after = merge_notes(notes, outline, terms=terms)
        merges = sum(1 for m in after.merges if m.rule == PARAPHRASE_RULE)
        unaccounted = account_totals(notes, after, normalised.unpublished).unaccounted
        chosen = [label for label in labels if label.part in parts]
        print(f"{name:<14} {visible_repeats(before, chosen, name, judge):>14} "
              f"{visible_repeats(after, chosen, name, judge):>6} {merges:>17} {unaccounted:>11} "
              f"{time.perf_counter() - start:>6.1f}")
        if args.show:
            visible_repeats(after, chosen, name, judge, show=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
