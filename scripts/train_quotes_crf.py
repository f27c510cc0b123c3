#!/usr/bin/env python3
"""Train the two English attribution taggers (cue heads, source/content roles) on PolNeAR.

Articles are split by id hash (`echolot.quotes.training.is_heldout`): the held-out
fifth is never trained on, so `echolot eval quotes` can report it honestly.

    python scripts/train_quotes_crf.py [--data ../shared/data/quotes/dev/en.polnear.jsonl]
        [--parse-cache /tmp/polnear.spacy] [--out echolot/quotes/models]

The shipped weights: `--c1 0.5 --cue-c1 1.0 --minfreq 2 --iterations 100`. `--inner` also leaves
out a second split of the training part (`is_inner_heldout`) on which settings are chosen.

Parsing 924 articles with spaCy's small model takes several minutes; `--parse-cache`
keeps the parses (a spaCy DocBin) for the next run.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pycrfsuite
from tqdm import tqdm

from echolot.quotes.english import CUE_MODEL, MODEL_DIR, ROLE_MODEL, load_nlp
from echolot.quotes.training import article_sequences, is_heldout, is_inner_heldout


def parse_all(records: list[dict], cache: Path | None) -> list:
    """spaCy docs of every record, from the cache when it matches."""
    from spacy.tokens import DocBin

    nlp = load_nlp()
    if cache and cache.is_file():
        docs = list(DocBin().from_disk(cache).get_docs(nlp.vocab))
        if len(docs) == len(records) and all(d.text == r["text"] for d, r in zip(docs, records)):
            return docs
    docs = list(tqdm(nlp.pipe((r["text"] for r in records), batch_size=16), total=len(records),
                     desc="parse", file=sys.stderr))
    if cache:
        bin_ = DocBin()
        for doc in docs:
            bin_.add(doc)
        bin_.to_disk(cache)
    return docs


def train(sequences: list, path: Path, c1: float, c2: float, iterations: int, minfreq: float = 0.0) -> None:
    """L-BFGS with elastic net; `minfreq` drops attributes seen fewer times (rare words,
    rare word pairs), which is where the taggers memorised the training articles."""
    trainer = pycrfsuite.Trainer(verbose=False)
    for feats, labels in sequences:
        trainer.append(feats, labels)
    trainer.set_params({"c1": c1, "c2": c2, "max_iterations": iterations,
                        "feature.possible_transitions": True, "feature.minfreq": minfreq})
    trainer.train(str(path))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared/data/quotes/dev/en.polnear.jsonl")
    ap.add_argument("--parse-cache", type=Path, default=None)
    ap.add_argument("--out", type=Path, default=MODEL_DIR)
    ap.add_argument("--c1", type=float, default=0.2)
    ap.add_argument("--cue-c1", type=float, default=None, help="L1 weight of the cue tagger (default: --c1)")
    ap.add_argument("--c2", type=float, default=0.01)
    ap.add_argument("--iterations", type=int, default=150)
    ap.add_argument("--minfreq", type=float, default=0.0)
    ap.add_argument("--inner", action="store_true",
                    help="also leave out the inner split (is_inner_heldout) to choose settings on it")
    ap.add_argument("--only", choices=("cue", "role"), default=None, help="train one of the two taggers")
    args = ap.parse_args()

    records = [json.loads(line) for line in args.data.open(encoding="utf-8") if line.strip()]
    docs = parse_all(records, args.parse_cache)
    cue_seqs, role_seqs = [], []
    for doc, record in tqdm(list(zip(docs, records)), desc="features", file=sys.stderr):
        if is_heldout(record["id"]) or (args.inner and is_inner_heldout(record["id"])):
            continue
        cues, roles = article_sequences(doc, record)
        cue_seqs += cues
        role_seqs += roles
    args.out.mkdir(parents=True, exist_ok=True)
    print(f"training on {len(cue_seqs)} sentences, {len(role_seqs)} cues", file=sys.stderr)
    if args.only != "role":
        cue_c1 = args.c1 if args.cue_c1 is None else args.cue_c1
        train(cue_seqs, args.out / CUE_MODEL, cue_c1, args.c2, args.iterations, args.minfreq)
    if args.only != "cue":
        train(role_seqs, args.out / ROLE_MODEL, args.c1, args.c2, args.iterations, args.minfreq)
    print(f"wrote {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
