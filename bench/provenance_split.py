"""Score provenance predictions on the parts of a dev set that `echolot.eval.splits` defines.

    python bench/provenance_split.py ../shared/data/provenance/dev-languages PRED.jsonl

* halves A and B: `splits.provenance_halves` (gold groups, seeded shuffle; singletons by a hash
  of their id). Both halves of both shared dev sets were consulted for decisions: dev figures.
* final: `splits.provenance_is_final` (aggregates only). The dev sets' groups were all seen
  before this part was carved out, so on them it is a dev figure too; it is held out only on
  data added later (or a fresh generated corpus).
"""
from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from echolot.eval import splits
from echolot.eval.provenance import aggregates, half_member, restricted_figures, split_groups


def main(task: Path, pred: Path) -> dict[str, dict[str, Any]]:
    corpus, gold = task / "corpus.jsonl", task / "gold.jsonl"
    half_a, half_b = split_groups(gold)
    out: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for label in ("A", "B"):
            out[f"half {label} (dev)"] = aggregates(restricted_figures(task.parent, corpus, gold, pred,
                                                                       half_member(half_a, half_b, label), Path(tmp) / label))
        out["final carve-out (dev on these sets)"] = aggregates(
            restricted_figures(task.parent, corpus, gold, pred, splits.provenance_is_final, Path(tmp) / "final"))
    for name, figures in out.items():
        print(name, json.dumps(figures))
    return out


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
