"""Training the learned check of the English attributions (`echolot.quotes.verify`) on PolNeAR's train part.

The shipped English path (taggers, lexicon, noun claims, rule quotes; the check itself off) runs over
every training article; each attribution it finds is labelled by the scorer's own matching
(`../shared/data/quotes/score.py`: content token-overlap F1 >= 0.5, one-to-one, greedy): 1 when it
is matched to a gold attribution, 0 when not. Gradient-boosted trees over `verify.features` learn
P(matched). Which articles: `quotes_part(id) == "train"` (dev and final are never read here; the
threshold `quotes.verify_min_prob` is chosen on dev with `scripts/quotes_errors.py`).

    python -m echolot.training.quotes_verify [--parse-cache FILE] [--cache DIR] [--out DIR]

`--cache` keeps the path's predictions (the slow part: an e5 pass per article), so that a refit
takes seconds. Writes `verify.json` (sorted keys, leaf values rounded, one thread: a rerun writes the same bytes)
and `verify.record.json`.
"""
from __future__ import annotations

import argparse
import bisect
import hashlib
import pickle
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from echolot.quotes.spans import Attribution

RECORD_NAME = "verify"
TOKEN = re.compile(r"\w+")


# --- the scorer's matching ------------------------------------------------------------------

def fragments(q: dict[str, Any], name: str) -> list[tuple[int, int]]:
    """The character fragments of a record's `name` (content, source, cue): its `*_fragments`, else its extent."""
    fr = q.get(name + "_fragments")
    if fr:
        return [(int(s), int(e)) for s, e in fr]
    sp = q.get(name)
    return [(int(sp[0]), int(sp[1]))] if sp else []


def _token_ids(starts: list[int], ends: list[int], frags: list[tuple[int, int]]) -> set[int]:
    out: set[int] = set()
    for s, e in frags:
        i = bisect.bisect_right(ends, s)
        while i < len(starts) and starts[i] < e:
            out.add(i)
            i += 1
    return out


def match(text: str, gold: list[dict[str, Any]], pred: list[dict[str, Any]]) -> list[tuple[int, int, float]]:
    """The scorer's one-to-one greedy matching: (pred index, gold index, token F1)."""
    starts, ends = [], []
    for m in TOKEN.finditer(text):
        starts.append(m.start())
        ends.append(m.end())
    gt = [_token_ids(starts, ends, fragments(q, "content")) for q in gold]
    pt = [_token_ids(starts, ends, fragments(q, "content")) for q in pred]
    cands = []
    for i, a in enumerate(pt):
        for j, b in enumerate(gt):
            inter = len(a & b)
            if inter:
                f = 2 * inter / (len(a) + len(b))
                if f >= 0.5:
                    cands.append((f, i, j))
    cands.sort(key=lambda x: (-x[0], x[1], x[2]))
    used_p: set[int] = set()
    used_g: set[int] = set()
    out = []
    for f, i, j in cands:
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            out.append((i, j, f))
    return out


def labels(text: str, gold: list[dict[str, Any]], found: Sequence[Attribution]) -> list[int]:
    """1 for each found attribution the scorer matches to a gold one, else 0."""
    gq = [q for q in gold if fragments(q, "content")]
    matched = {i for i, _, _ in match(text, gq, [a.to_prediction() for a in found])}
    return [int(i in matched) for i in range(len(found))]


# --- the path's predictions ------------------------------------------------------------------

def predictions(records: Sequence[dict[str, Any]], docs: Sequence[Any], cache: Path | None = None
                ) -> list[list[Attribution]]:
    """The shipped English path's attributions of every record (the check off), from `cache` when it
    holds them for exactly these texts and this code's models (keyed by texts and model digests)."""
    from dataclasses import replace

    from echolot.quotes.extract import extract_attributions
    from echolot.settings import load_settings

    settings = replace(load_settings({}).quotes, verify_min_prob=0.0)
    key = hashlib.sha1("\x00".join([r["text"] for r in records] + [_models_digest(), repr(settings)]).encode()).hexdigest()
    path = cache / f"predictions-{key[:16]}.pkl" if cache else None
    if path and path.is_file():
        return list(pickle.loads(path.read_bytes()))
    out = []
    for k, (record, doc) in enumerate(zip(records, docs)):
        out.append(extract_attributions(record["text"], "en", settings, None, doc))
        if k % 25 == 0:
            print(f"predict {k}/{len(records)}", file=sys.stderr, flush=True)
    if path:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pickle.dumps(out))
    return out


def _models_digest() -> str:
    """One digest of the shipped quote model files the path reads (the check's own file left out)."""
    from echolot.quotes.english import MODEL_DIR
    from echolot.training.record import sha256_file

    names = sorted(p.name for p in MODEL_DIR.iterdir() if p.is_file() and not p.name.startswith("verify"))
    return hashlib.sha256("".join(sha256_file(MODEL_DIR / n) for n in names).encode()).hexdigest()


# --- the model ---------------------------------------------------------------------------------

MIN_LEMMA = 10  # a cue lemma is a feature of its own when the path found it this often in train
TREES = 200  # boosting iterations
LEAVES = 15  # leaves per tree
RATE = 0.05  # learning rate
MIN_LEAF = 40  # training attributions per leaf at least


def defaults(name: str) -> dict[str, Any]:
    """The settings of the shipped record."""
    command(name)
    return {"split": "train", "min_lemma": MIN_LEMMA, "trees": TREES, "leaves": LEAVES, "rate": RATE,
            "min_leaf": MIN_LEAF, "model": "sklearn HistGradientBoostingClassifier, seed 0, no early stopping"}


def command(name: str) -> str:
    """The command that rebuilds the shipped record `name` (a KeyError for any other name)."""
    from echolot.training.record import module_command

    return module_command(name, RECORD_NAME, "echolot.training.quotes_verify", "verify training")


def examples(records: Sequence[dict[str, Any]], docs: Sequence[Any], found: Sequence[list[Attribution]],
             lemmas: dict[str, int]) -> tuple[list[dict[str, float]], list[int]]:
    """(feature rows, labels) of every attribution the English taggers made (`verify.checked`)."""
    from echolot.quotes import verify
    from echolot.quotes.features import doc_info

    rows: list[dict[str, float]] = []
    ys: list[int] = []
    for record, doc, attributions in zip(records, docs, found):
        y = labels(record["text"], record.get("quotes") or [], attributions)
        own = [k for k, a in enumerate(attributions) if verify.checked(a)]
        rows += verify.features(doc, doc_info(doc), [attributions[k] for k in own], lemmas)
        ys += [y[k] for k in own]
    return rows, ys


def cue_lemmas(docs: Sequence[Any], found: Sequence[list[Attribution]], min_count: int) -> dict[str, int]:
    """The cue lemmas found at least `min_count` times (sorted)."""
    from collections import Counter

    from echolot.quotes import verify

    counts: Counter[str] = Counter()
    for doc, attributions in zip(docs, found):
        for a in attributions:
            cue = verify.cue_token(doc, a) if verify.checked(a) else None
            if cue is not None:
                counts[cue.lemma_.lower()] += 1
    return {lemma: k for k, lemma in enumerate(sorted(x for x, n in counts.items() if n >= min_count))}


def matrix(rows: list[dict[str, float]]) -> tuple[list[str], Any]:
    """(sorted feature names, dense matrix) of the rows; a name a row lacks is 0."""
    import numpy as np

    names = sorted({n for r in rows for n in r})
    index = {n: k for k, n in enumerate(names)}
    x = np.zeros((len(rows), len(names)))
    for i, row in enumerate(rows):
        for n, v in row.items():
            x[i, index[n]] = v
    return names, x


def fit(rows: list[dict[str, float]], ys: list[int], trees: int = TREES, leaves: int = LEAVES,
        min_leaf: int = MIN_LEAF) -> dict[str, Any]:
    """The model body of `verify.json`: sklearn's HistGradientBoostingClassifier (fixed seed, no early
    stopping, one thread), its trees exported as flat node arrays (`verify.Verifier` walks them)."""
    import numpy as np
    from sklearn.ensemble import HistGradientBoostingClassifier
    from threadpoolctl import threadpool_limits

    if len(set(ys)) < 2:
        raise ValueError("verify training: the labels need both a kept and a dropped attribution")
    names, x = matrix(rows)
    model = HistGradientBoostingClassifier(max_iter=trees, learning_rate=RATE, max_leaf_nodes=leaves,
                                           min_samples_leaf=min_leaf, early_stopping=False, random_state=0)
    with threadpool_limits(1):
        model.fit(x, np.asarray(ys))
    return export(model, names)


def export(model: Any, names: list[str]) -> dict[str, Any]:
    """A fitted binary HistGradientBoostingClassifier as `verify.json`'s body: every tree's nodes in one
    flat list (children as absolute indices, -1 at a leaf), leaf values rounded to 6 digits."""
    import numpy as np

    body: dict[str, list[Any]] = {k: [] for k in ("feature", "threshold", "left", "right", "value", "roots")}
    for (tree,) in model._predictors:
        nodes, offset = tree.nodes, len(body["feature"])
        body["roots"].append(offset)
        for node in nodes:
            leaf = bool(node["is_leaf"])
            body["feature"].append(0 if leaf else int(node["feature_idx"]))
            body["threshold"].append(0.0 if leaf else float(node["num_threshold"]))
            body["left"].append(-1 if leaf else offset + int(node["left"]))
            body["right"].append(-1 if leaf else offset + int(node["right"]))
            body["value"].append(round(float(node["value"]), 6) if leaf else 0.0)
    return {"names": names, "bias": round(float(np.ravel(model._baseline_prediction)[0]), 6), **body}


def train(data: Path, out: Path | None = None, parse_cache: Path | None = None, cache: Path | None = None) -> Path:
    """Run the path over the training part of `data`, fit, write `verify.json` and its record into `out`."""
    import json

    from echolot.quotes.english import MODEL_DIR
    from echolot.quotes.verify import VERIFY_FILE
    from echolot.training.quotes import _data_root, parse_all, read_gold, training_ids
    from echolot.training.record import write_record

    out = out or MODEL_DIR
    records = read_gold(data)
    train_records = [records[k] for k in training_ids(records)]
    docs = parse_all(train_records, parse_cache)
    found = predictions(train_records, docs, cache)
    lemmas = cue_lemmas(docs, found, MIN_LEMMA)
    rows, ys = examples(train_records, docs, found, lemmas)
    body = fit(rows, ys)
    out.mkdir(parents=True, exist_ok=True)
    (out / VERIFY_FILE).write_text(json.dumps(body, sort_keys=True, separators=(",", ":")) + "\n", encoding="utf-8")
    notes = {"split": "echolot.eval.splits.quotes_part(id) == 'train'", "articles": len(train_records),
             "attributions": len(ys), "matched": int(sum(ys)), "features": len(body["names"]),
             "labels": "matched by score.py's rule (content token F1 >= 0.5, one-to-one greedy)"}
    return write_record(out, RECORD_NAME, "quotes_verify", command(RECORD_NAME), defaults(RECORD_NAME),
                        _data_root(data), [data], [VERIFY_FILE], notes)


_OPTIONS = (("--data", "gold articles (default: <shared data>/quotes/dev/en.polnear.jsonl)"),
            ("--out", "model folder (default: the shipped one)"),
            ("--parse-cache", "spaCy DocBin of the training parses (cache)"),
            ("--cache", "folder for the path's cached predictions"))


def _parser() -> argparse.ArgumentParser:
    """Every option is a path, absent by default."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    for flag, text in _OPTIONS:
        ap.add_argument(flag, type=Path, default=None, help=text)
    return ap


def main(argv: Sequence[str] | None = None) -> None:
    from echolot.eval.common import find_data_dir
    from echolot.training.quotes import DATA_FILE

    args = _parser().parse_args(argv)
    record = train(args.data or find_data_dir() / DATA_FILE, args.out, args.parse_cache, args.cache)
    print(f"wrote {record.parent / 'verify.json'} and {record.name}", file=sys.stderr)


if __name__ == "__main__":
    main()
