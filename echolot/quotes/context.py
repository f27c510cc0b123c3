"""Contextual cue guesses for the English cue tagger: P(cue head | multilingual-e5 hidden states).

Why: the cue tagger's misses are PolNeAR's long tail of stance cues ("backs", "is expected",
"commitments to") whose lemma and parse look like plain uses; the word's contextual vector
(multilingual-e5-small, layers 6 and 8, run by `echolot.encoders.e5_tokens`) says more about
what the sentence does with it. A logistic regression over those vectors gives per token
P(head of a cue), P(other cue token), P(outside); the CRF gets the likeliest label and bucketed
probabilities as features (stacking, as `echolot.entities.ner_context` does for German NER).

Leakage guard: a training article gets its guesses from a model fitted without its fold
(article id hash mod `folds`), so the CRF learns how far to trust guesses on unseen text;
tagging uses the model fitted on all. Stored as `cue_context.npz` next to the CRFs.
"""
from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import numpy as np
import xxhash

log = logging.getLogger(__name__)

CONTEXT_FILE = "cue_context.npz"
LAYERS = (6, 8)
DIM = 384 * len(LAYERS)


def article_fold(article_id: str, folds: int) -> int:
    """Cross-fitting fold of an article (a hash different from the held-out splits)."""
    return xxhash.xxh64_intdigest(f"cuecx:{article_id}".encode("utf-8")) % folds


def doc_vectors(doc: Any, sents: Sequence[Any], encoder: Any) -> np.ndarray:
    """[len(doc), DIM] float32: each non-space token's contextual vector within its sentence
    (space tokens, which the encoder cannot read, stay zero)."""
    out = np.zeros((len(doc), DIM), np.float32)
    words = [[i for i in range(s.start, s.end) if not doc[i].is_space] for s in sents]
    words = [w for w in words if w]
    if not words:
        return out
    vecs = encoder.word_vectors([[doc[i].text for i in w] for w in words], LAYERS)
    for idx, v in zip(words, vecs):
        out[idx] = v
    return out
