"""Turning gold attributions (PolNeAR format) into tagger training sequences.

Kept in the package, not the script, so the split and the label mapping are the
same for training, the held-out evaluation and the tests.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np
import xxhash

from echolot.quotes.context import LABELS, ROLE_LABELS
from echolot.quotes.features import DocInfo, cue_features, doc_info, role_features, role_window

HELDOUT_MODULO = 5  # one article in five is held out of training, chosen by id hash


def is_heldout(article_id: str) -> bool:
    """Deterministic split by article id: the same articles are held out on every machine."""
    return xxhash.xxh64_intdigest(str(article_id).encode("utf-8")) % HELDOUT_MODULO == 0


def is_inner_heldout(article_id: str) -> bool:
    """A second split *inside* the training part (a different hash) for choosing settings and
    features without looking at the held-out fifth: `train_quotes_crf.py --inner` leaves it out."""
    key = f"inner:{article_id}".encode()
    return not is_heldout(article_id) and xxhash.xxh64_intdigest(key) % HELDOUT_MODULO == 0


def _token_indices(doc: Any, spans: Iterable[tuple[int, int]]) -> set[int]:
    out: set[int] = set()
    for s, e in spans:
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is not None:
            out.update(range(span.start, span.end))
    return out


def _fragments(q: dict[str, Any], name: str) -> list[tuple[int, int]]:
    fr = q.get(f"{name}_fragments")
    if fr:
        return [tuple(x) for x in fr]
    return [tuple(q[name])] if q.get(name) else []


def cue_head(doc: Any, cue: tuple[int, int]) -> int | None:
    """The syntactic head of a (possibly multi-word) cue span."""
    idx = sorted(i for i in _token_indices(doc, [cue]) if not doc[i].is_space)
    if not idx:
        return None
    members = set(idx)
    heads = [i for i in idx if doc[i].head.i not in members or doc[i].head.i == i]
    verbs = [i for i in heads if doc[i].pos_ in {"VERB", "AUX"}]
    return (verbs or heads or idx)[0]


def gold_heads(doc: Any, quotes: list[dict[str, Any]]) -> dict[int, dict[str, Any]]:
    """Cue head token -> gold quote (the first one when two share a head)."""
    out: dict[int, dict[str, Any]] = {}
    for q in quotes:
        if not q.get("cue") or not q.get("content"):
            continue
        head = cue_head(doc, tuple(q["cue"]))
        if head is not None and head not in out:
            out[head] = q
    return out


def cue_sequences(doc: Any, info: DocInfo, heads: dict[int, Any], context: np.ndarray | None = None,
                  role_context: np.ndarray | None = None) -> Iterator[tuple[list[dict], list[str]]]:
    for sent in info.sents:
        feats = cue_features(doc, info, sent.start, sent.end, context, role_context)
        labels = ["CUE" if i in heads else "O" for i in range(sent.start, sent.end)]
        yield feats, labels


def role_sequence(doc: Any, info: DocInfo, cue_i: int, q: dict[str, Any],
                  context: np.ndarray | None = None) -> tuple[list[dict], list[str]]:
    start, end = role_window(doc, info, cue_i)
    content = _token_indices(doc, _fragments(q, "content"))
    source = _token_indices(doc, _fragments(q, "source"))
    labels = []
    for i in range(start, end):
        if i == cue_i:
            labels.append("O")
        elif i in source:
            labels.append("S")
        elif i in content and not doc[i].is_space:
            labels.append("C")
        else:
            labels.append("O")
    return role_features(doc, info, cue_i, start, end, context), labels


def context_labels(doc: Any, record: dict[str, Any]) -> np.ndarray:
    """Per doc token the index in `context.LABELS` (cue head, other cue token, outside): the
    targets of the contextual cue guesses."""
    quotes = [q for q in record.get("quotes") or [] if q.get("cue") and q.get("content")]
    y = np.full(len(doc), LABELS.index("O"), np.int64)
    y[sorted(_token_indices(doc, [f for q in quotes for f in _fragments(q, "cue")]))] = LABELS.index("T")
    y[sorted(gold_heads(doc, quotes))] = LABELS.index("H")
    return y


def role_context_labels(doc: Any, record: dict[str, Any]) -> np.ndarray:
    """Per doc token the index in `context.ROLE_LABELS`: inside some gold content, inside some
    gold source (source wins where the two overlap), or outside: targets of the role guesses."""
    quotes = [q for q in record.get("quotes") or [] if q.get("content")]
    y = np.full(len(doc), ROLE_LABELS.index("O"), np.int64)
    y[sorted(_token_indices(doc, [f for q in quotes for f in _fragments(q, "content")]))] = ROLE_LABELS.index("C")
    y[sorted(_token_indices(doc, [f for q in quotes for f in _fragments(q, "source")]))] = ROLE_LABELS.index("S")
    return y


def article_sequences(doc: Any, record: dict[str, Any], context: np.ndarray | None = None,
                      role_context: np.ndarray | None = None) -> tuple[list, list]:
    """(cue sequences, role sequences) of one gold article; `context` / `role_context`: its
    cross-fitted cue / role guesses."""
    info = doc_info(doc)
    heads = gold_heads(doc, record.get("quotes") or [])
    cues = list(cue_sequences(doc, info, heads, context, role_context))
    roles = [role_sequence(doc, info, i, q, role_context) for i, q in heads.items()]
    return cues, roles
