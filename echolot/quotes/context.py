"""Contextual cue guesses for the English cue tagger: P(cue head | multilingual-e5 hidden states).

Why: the cue tagger's misses are PolNeAR's long tail of stance cues ("backs", "is expected",
"commitments to") whose lemma and parse look like plain uses; the word's contextual vector
(multilingual-e5-small, layers 6 and 8, run by `echolot.encoders.e5_tokens`) says more about
what the sentence does with it. A logistic regression over those vectors gives per token
P(head of a cue), P(other cue token), P(outside); the CRF gets the likeliest label and bucketed
probabilities as features (stacking, as `echolot.entities.ner.context` does for German NER).

The role tagger gets the same kind of guess for its own question, cue-independent: P(token is
content of some attribution), P(source of some attribution), P(neither) (`ROLE_LABELS`,
`role_context.npz`). Which cue a token belongs to stays the CRF's job (its dependency-path
features); the guess says where statements and speakers are at all, which the parse alone
tells badly at the edges (trailing adjuncts, a second coordinated statement).

Leakage guard: a training article gets its guesses from a model fitted without its fold
(article id hash mod `folds`), so the CRF learns how far to trust guesses on unseen text;
tagging uses the model fitted on all. Stored as `cue_context.npz` / `role_context.npz` next to
the CRFs.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import xxhash

from echolot.quotes.memo import MemoTable

CONTEXT_FILE = "cue_context.npz"
ROLE_CONTEXT_FILE = "role_context.npz"
LAYERS = (6, 8)
DIM = 384 * len(LAYERS)


def article_fold(article_id: str, folds: int) -> int:
    """Cross-fitting fold of an article (a hash different from the held-out splits)."""
    return xxhash.xxh64_intdigest(f"cuecx:{article_id}".encode()) % folds


# sentences whose vectors are kept (`quotes/memo.py`): 3 KB a word, so about 60 MB per process
MEMO_WORDS = 20_000
_memo = MemoTable(MEMO_WORDS)  # per encoder: vectors of one encoder are never served for another


def doc_vectors(doc: Any, sents: Sequence[Any], encoder: Any) -> np.ndarray:
    """[len(doc), DIM] float32: each non-space token's contextual vector within its sentence
    (space tokens, which the encoder cannot read, stay zero)."""
    out = np.zeros((len(doc), DIM), np.float32)
    words = [[i for i in range(s.start, s.end) if not doc[i].is_space] for s in sents]
    words = [w for w in words if w]
    if not words:
        return out
    vecs = _memo(encoder).get([[doc[i].text for i in w] for w in words],
                              lambda todo: encoder.word_vectors(todo, LAYERS))
    for idx, v in zip(words, vecs):
        out[idx] = v
    return out


LABELS = ("H", "O", "T")  # head of a cue, outside, other token of a cue span
ROLE_LABELS = ("C", "O", "S")  # in some attribution's content, outside, in some attribution's source
_EDGES = (0.02, 0.05, 0.1, 0.2, 0.35, 0.5, 0.7, 0.9)


def fit(vectors: Sequence[np.ndarray], labels: Sequence[np.ndarray], folds_of: Sequence[int], folds: int = 5,
        c: float = 0.3, keep_outside: float = 0.25, iterations: int = 300,
        names: Sequence[str] = LABELS) -> Any:
    """One softmax model per left-out article fold plus one on all (`ContextTags` layout).

    `vectors`/`labels` per article, rows of space tokens already dropped; labels index `names`
    (`LABELS` for the cue guesses, `ROLE_LABELS` for the role guesses; both have an "O").
    Outside tokens are subsampled (`keep_outside`, they are ~97% of the rows and the slow part)
    and the O bias is shifted by -log(keep_outside) so the probabilities stay calibrated."""
    from echolot.learn import ContextTags, fit_fold_models

    rng = np.random.default_rng(0)
    x = np.concatenate(vectors).astype(np.float32)
    y = np.concatenate(labels)
    fold = np.concatenate([np.full(len(lab), f) for lab, f in zip(labels, folds_of)])
    outside = list(names).index("O")
    keep = (y != outside) | (rng.random(len(y)) < keep_outside)
    x, y, fold = x[keep], y[keep], fold[keep]
    coef, bias = fit_fold_models(x, y, fold, len(names), folds, c, iterations)
    bias[:, outside] -= np.log(keep_outside)
    return ContextTags(coef, bias, names, LAYERS, folds)


def load(path: Any) -> Any:
    from echolot.learn import ContextTags

    return ContextTags.load(path)


def prob_bucket(p: float) -> str:
    """Which of the 9 probability buckets (`_EDGES`) `p` falls in, as a feature value."""
    return str(sum(p >= e for e in _EDGES))


def add_features(f: dict[str, Any], p: np.ndarray) -> None:
    """The guess for one token: likeliest label, bucketed P(head) and P(any cue token), and P(head)
    as a real-valued feature (the CRF can weigh a sure guess more than a bucket edge)."""
    head, inside = float(p[0]), float(p[0] + p[2])
    f["cx"] = LABELS[int(np.argmax(p))]
    f["cxh"] = prob_bucket(head)
    f["cxc"] = prob_bucket(inside)
    f["cxp"] = head


def add_role_features(f: dict[str, Any], p: np.ndarray) -> None:
    """The role guess for one token (`ROLE_LABELS` probabilities): likeliest label and bucketed
    P(content) and P(source), and both as real values."""
    content, source = float(p[0]), float(p[2])
    f["rx"] = ROLE_LABELS[int(np.argmax(p))]
    f["rxc"] = prob_bucket(content)
    f["rxs"] = prob_bucket(source)
    f["rxcp"] = content
    f["rxsp"] = source
