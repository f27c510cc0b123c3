"""Cross-fitted softmax regressions over contextual vectors: the one helper behind every
"contextual guess" feature (German NER tag guesses, the English quote cue/role guesses, the
multilingual fallback NER tagger).

Why cross-fitting: a CRF that is trained on guesses made by a model which saw the very same
rows learns to trust the guesses blindly; on unseen text they are worse, so it over-trusts
them. Each training row therefore gets its guess from a model fitted without its fold, and
tagging uses the model fitted on all rows. One array layout for all users:
``coef (folds + 1, labels, dim)``, ``bias (folds + 1, labels)``; the last model saw everything.

Runtime code only loads and applies these models (numpy); fitting needs scikit-learn and is
called from training code.
"""
from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)


def _softmax_rows(coef: np.ndarray, intercept: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """sklearn keeps one row for a two-class problem (the logit of class 1); split it into two
    softmax rows (-w/2, +w/2) so every model has one row per class."""
    if coef.shape[0] == 1:
        return np.concatenate([-coef / 2, coef / 2]), np.concatenate([-intercept / 2, intercept / 2])
    return coef, intercept


def fit_fold_models(x: np.ndarray, y: np.ndarray, fold: np.ndarray, n_labels: int, folds: int, c: float,
                    max_iter: int, sample_weight: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Softmax regressions over rows `x` with label ids `y`: one without each fold (cross-fitting)
    and, last, one on all rows. Returns coefficients (folds + 1, n_labels, dim) and biases
    (folds + 1, n_labels); a label missing from a fit gets a bias of -30 (never predicted)."""
    from sklearn.linear_model import LogisticRegression

    coefs, biases = [], []
    for k in [*range(folds), -1]:
        keep = fold != k
        weights = None if sample_weight is None else sample_weight[keep]
        model = LogisticRegression(C=c, max_iter=max_iter).fit(x[keep], y[keep], sample_weight=weights)
        coef = np.zeros((n_labels, x.shape[1]), np.float32)
        bias = np.full(n_labels, -30.0, np.float32)
        coef[model.classes_], bias[model.classes_] = _softmax_rows(model.coef_, model.intercept_)
        coefs.append(coef)
        biases.append(bias)
        log.info("fold model %s fitted", k)
    return np.stack(coefs), np.stack(biases)


class ContextTags:
    """Softmax models over contextual word vectors: one per held-out fold (training) and one on all.

    `labels` name the classes (BIO tags for NER, cue labels for quotes); `layers` the encoder
    layers whose states make a row (so a loaded model asks the encoder for the right ones)."""

    def __init__(self, coef: np.ndarray, bias: np.ndarray, labels: Sequence[str], layers: Sequence[int],
                 folds: int) -> None:
        self.coef = coef.astype(np.float32)  # (folds + 1, labels, dim); the last one saw everything
        self.bias = bias.astype(np.float32)  # (folds + 1, labels)
        self.labels = list(labels)
        self.layers = tuple(int(x) for x in layers)
        self.folds = folds

    def save(self, path: Path) -> None:
        """npz with float16 coefficients (small enough to ship in the repository)."""
        np.savez_compressed(path, coef=self.coef.astype(np.float16), bias=self.bias, labels=np.array(self.labels),
                            layers=np.array(self.layers), folds=np.array(self.folds))

    @classmethod
    def load(cls, path: Path) -> ContextTags:
        with np.load(path, allow_pickle=False) as z:
            return cls(z["coef"], z["bias"], [str(x) for x in z["labels"]], z["layers"].tolist(), int(z["folds"]))

    def probs(self, vectors: np.ndarray, model: int = -1) -> np.ndarray:
        """(rows, labels) probabilities from model `model` (-1: fitted on all, for tagging)."""
        logits = vectors @ self.coef[model].T + self.bias[model]
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        return p / p.sum(axis=1, keepdims=True)

    def sentence_probs(self, vectors: Sequence[np.ndarray], cross_fit: bool = False) -> list[np.ndarray]:
        """Probabilities per sentence; `cross_fit`: sentence i uses the model without fold i % folds."""
        return [self.probs(v, i % self.folds if cross_fit else -1) for i, v in enumerate(vectors)]
