#!/usr/bin/env python3
"""Train the two English attribution taggers (cue heads, source/content roles) on PolNeAR.

Articles are split by id hash (`echolot.quotes.training.is_heldout`): the held-out
fifth is never trained on, so `echolot eval quotes` can report it honestly.

    python scripts/train_quotes_crf.py [--data ../shared/data/quotes/dev/en.polnear.jsonl]
        [--parse-cache /tmp/polnear.spacy] [--out echolot/quotes/models]

The shipped weights: `--c1 0.5 --cue-c1 1.0 --minfreq 2 --iterations 100 --context --context-c 0.05
--context-keep 0.2 --role-context`. `--inner` also leaves
out a second split of the training part (`is_inner_heldout`) on which settings are chosen.

Parsing 924 articles with spaCy's small model takes several minutes; `--parse-cache`
keeps the parses (a spaCy DocBin) for the next run. `--context` also fits the contextual cue
guesses (`echolot.quotes.context`, multilingual-e5 states; encoding the training part takes
~15 minutes on a shared core, `--vector-dir` keeps the vectors per article).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import numpy as np
import pycrfsuite
from tqdm import tqdm

from echolot.quotes import context
from echolot.quotes.english import CUE_MODEL, MODEL_DIR, ROLE_MODEL, load_nlp
from echolot.quotes.features import doc_info
from echolot.quotes.training import (article_sequences, context_labels, is_heldout, is_inner_heldout,
                                     role_context_labels)


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


def article_vectors(doc, text: str, cache: Path | None) -> np.ndarray:
    """[len(doc), DIM] contextual vectors of one article, from `cache` (one .npy per text hash) when there."""
    path = cache / (hashlib.sha1(text.encode("utf-8")).hexdigest() + ".npy") if cache else None
    if path is not None and path.is_file():
        return np.load(path).astype(np.float32)
    from echolot.encoders.e5_tokens import shared

    vecs = context.doc_vectors(doc, doc_info(doc).sents, shared()).astype(np.float16)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.save(path, vecs)
    return vecs.astype(np.float32)  # rounded like the cache: the same weights with or without it


def cross_fitted_guesses(docs: list, records: list[dict], args: argparse.Namespace
                         ) -> tuple[dict[int, np.ndarray], dict[int, np.ndarray]]:
    """Fit the contextual cue guesses (and, with `--role-context`, the role guesses) on the training
    articles, save them next to the CRFs, and return per training article the guesses of the
    models that did not see its fold: (cue guesses, role guesses)."""
    vectors, cue_y, role_y, folds, words = [], [], [], [], []
    for k in tqdm(range(len(docs)), desc="context vectors", file=sys.stderr):
        keep = np.array([not t.is_space for t in docs[k]], bool)
        words.append(keep)
        vecs = article_vectors(docs[k], records[k]["text"], args.vector_dir)
        vectors.append(vecs[keep])
        cue_y.append(context_labels(docs[k], records[k])[keep])
        role_y.append(role_context_labels(docs[k], records[k])[keep])
        folds.append(context.article_fold(records[k]["id"], args.context_folds))
    jobs = [(cue_y, context.LABELS, context.CONTEXT_FILE, args.context_c, args.context_keep)]
    if args.role_context:
        jobs.append((role_y, context.ROLE_LABELS, context.ROLE_CONTEXT_FILE, args.role_context_c, args.role_context_keep))
    else:
        (args.out / context.ROLE_CONTEXT_FILE).unlink(missing_ok=True)
    out: list[dict[int, np.ndarray]] = []
    for labels, names, file, c, keep_outside in jobs:
        if args.reuse_context and (args.out / file).is_file():
            model = context.load(args.out / file)  # fitted by an earlier run with the same data and settings
        else:
            model = context.fit(vectors, labels, folds, args.context_folds, c, keep_outside, names=names)
            model.save(args.out / file)
        guesses = {}
        for k in range(len(docs)):
            probs = np.zeros((len(docs[k]), len(names)), np.float32)
            probs[words[k]] = model.probs(vectors[k], folds[k])
            guesses[k] = probs
        out.append(guesses)
    return out[0], (out[1] if len(out) > 1 else {})


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
    ap.add_argument("--context", action="store_true", help="cue tagger: add contextual (e5) cue guesses")
    ap.add_argument("--vector-dir", type=Path, default=None, help="cache of the e5 vectors, one file per article")
    ap.add_argument("--context-c", type=float, default=0.3, help="inverse L2 weight of the guesses' regression")
    ap.add_argument("--context-keep", type=float, default=0.25, help="share of outside tokens the regression sees")
    ap.add_argument("--context-folds", type=int, default=5)
    ap.add_argument("--role-context", action="store_true", help="role tagger: add contextual content/source guesses")
    ap.add_argument("--role-context-c", type=float, default=0.05, help="inverse L2 weight of the role guesses' regression")
    ap.add_argument("--role-context-keep", type=float, default=0.5, help="share of outside tokens it sees")
    ap.add_argument("--reuse-context", action="store_true",
                    help="load the guess models already in --out instead of fitting them again (same data, settings)")
    args = ap.parse_args()

    records = [json.loads(line) for line in args.data.open(encoding="utf-8") if line.strip()]
    docs = parse_all(records, args.parse_cache)
    keep = [k for k, r in enumerate(records)
            if not (is_heldout(r["id"]) or (args.inner and is_inner_heldout(r["id"])))]
    docs, records = [docs[k] for k in keep], [records[k] for k in keep]
    args.out.mkdir(parents=True, exist_ok=True)
    guesses: dict[int, np.ndarray] = {}
    role_guesses: dict[int, np.ndarray] = {}
    if args.context:
        guesses, role_guesses = cross_fitted_guesses(docs, records, args)
    else:
        for name in (context.CONTEXT_FILE, context.ROLE_CONTEXT_FILE):
            (args.out / name).unlink(missing_ok=True)
    cue_seqs, role_seqs = [], []
    for k, (doc, record) in enumerate(tqdm(list(zip(docs, records)), desc="features", file=sys.stderr)):
        cues, roles = article_sequences(doc, record, guesses.get(k), role_guesses.get(k))
        cue_seqs += cues
        role_seqs += roles
    print(f"training on {len(cue_seqs)} sentences, {len(role_seqs)} cues", file=sys.stderr)
    if args.only != "role":
        cue_c1 = args.c1 if args.cue_c1 is None else args.cue_c1
        train(cue_seqs, args.out / CUE_MODEL, cue_c1, args.c2, args.iterations, args.minfreq)
    if args.only != "cue":
        train(role_seqs, args.out / ROLE_MODEL, args.c1, args.c2, args.iterations, args.minfreq)
    print(f"wrote {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
