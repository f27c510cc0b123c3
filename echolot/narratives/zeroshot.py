"""Zero-shot narrative labelling of whole articles against a label taxonomy.

There are no labelled articles for the SemEval-2025 narrative taxonomy in the dev
data, so nothing can be trained: labels (which read like statements, e.g. "Ukraine
is a puppet of the West") are embedded and compared with the article's sentences.

* The domain comes first (climate vs. Ukraine war in SemEval-2025): each domain's
  labels are averaged against the article, and only the better domain's labels
  compete. Articles are about one topic; letting both domains compete doubles the
  false positives.
* A narrative scores by its best sentence over its own label and its
  sub-narratives' labels (mean of the top two sentences, so one stray sentence
  is not enough); above a threshold and within `relative` of the best one it is
  predicted, at most `max_labels` of them (labels overlap in wording, so a clear
  winner drags its neighbours over any absolute cut).
* Sub-narratives must pass their own threshold under a predicted narrative, else
  "<narrative>: Other". Nothing predicted: "Other".
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from collections.abc import Sequence

import numpy as np

from echolot.narratives.catalog import Catalog, Narrative

if TYPE_CHECKING:
    from echolot.encoders.base import Encoder
    from echolot.store.base import Store


@dataclass
class LabelIndex:
    catalog: Catalog
    roots: list[Narrative]
    subs: list[list[Narrative]]
    root_vecs: np.ndarray  # one row per statement of a root narrative
    root_owner: np.ndarray
    sub_vecs: np.ndarray
    sub_owner: np.ndarray  # statement -> (root, sub) flattened sub id
    sub_root: np.ndarray  # flattened sub id -> root position
    flat_subs: list[Narrative]


def _domain(node: Narrative) -> str:
    label = node.display_label
    return label.split(":", 1)[0].strip() if ":" in label else ""


def build_label_index(catalog: Catalog, encoder: Encoder, cache: Store | None = None) -> LabelIndex:
    from echolot.encoders import encode_cached

    roots = list(catalog.narratives)
    texts, owner = [], []
    for j, node in enumerate(roots):
        for _, text in node.statements():
            texts.append(text)
            owner.append(j)
    flat: list[Narrative] = []
    sub_texts, sub_owner, sub_root = [], [], []
    for j, node in enumerate(roots):
        for child in node.subnarratives:
            k = len(flat)
            flat.append(child)
            sub_root.append(j)
            for _, text in child.statements():
                sub_texts.append(text)
                sub_owner.append(k)
    root_vecs = encode_cached(texts, encoder, cache)
    sub_vecs = encode_cached(sub_texts, encoder, cache) if sub_texts else np.zeros((0, root_vecs.shape[1]), np.float32)
    return LabelIndex(catalog, roots, [r.subnarratives for r in roots], root_vecs, np.array(owner), sub_vecs,
                      np.array(sub_owner, dtype=np.int64), np.array(sub_root, dtype=np.int64), flat)


def _top2_mean(column: np.ndarray) -> float:
    if column.size == 0:
        return -1.0
    if column.size == 1:
        return float(column[0])
    top = np.partition(column, -2)[-2:]
    return float(top.mean())


def _node_scores(sims: np.ndarray, owner: np.ndarray, n: int) -> np.ndarray:
    """(n,) per node: top-2 mean over sentences of the best statement of that node."""
    out = np.full(n, -1.0, dtype=np.float32)
    for j in range(n):
        cols = owner == j
        if cols.any():
            out[j] = _top2_mean(sims[:, cols].max(axis=1))
    return out


def label_article(sentence_vectors: np.ndarray, index: LabelIndex, threshold: float, sub_threshold: float,
                  max_labels: int, relative: float = 1.0) -> tuple[list[str], list[str], dict[str, float]]:
    """(narratives, subnarratives, scores) for one article's sentence vectors."""
    if sentence_vectors.shape[0] == 0:
        return ["Other"], ["Other"], {}
    root_scores = _node_scores(sentence_vectors @ index.root_vecs.T, index.root_owner, len(index.roots))
    sub_scores = _node_scores(sentence_vectors @ index.sub_vecs.T, index.sub_owner, len(index.flat_subs)) \
        if len(index.flat_subs) else np.zeros(0, np.float32)
    combined = root_scores.copy()
    for k, j in enumerate(index.sub_root):
        combined[j] = max(combined[j], sub_scores[k])
    domains = [_domain(n) for n in index.roots]
    allowed = np.ones(len(index.roots), dtype=bool)
    if len(set(domains)) > 1:
        means = {d: float(np.mean([combined[j] for j in range(len(domains)) if domains[j] == d])) for d in set(domains)}
        best = max(means, key=lambda d: means[d])
        allowed = np.array([d == best for d in domains])
    top = float(combined[allowed].max())
    order = [j for j in np.argsort(-combined)
             if allowed[j] and combined[j] >= threshold and combined[j] >= top - relative][:max_labels]
    narratives: list[str] = []
    subnarratives: list[str] = []
    for j in order:
        root = index.roots[int(j)]
        narratives.append(root.display_label)
        picked = [index.flat_subs[k].display_label for k in range(len(index.flat_subs))
                  if index.sub_root[k] == j and sub_scores[k] >= sub_threshold]
        subnarratives.extend(picked or [f"{root.display_label}: Other"])
    scores = {index.roots[j].display_label: float(combined[j]) for j in range(len(index.roots))}
    if not narratives:
        return ["Other"], ["Other"], scores
    return narratives, subnarratives, scores


def article_texts(title: str | None, text: str, min_chars: int = 25, max_sentences: int = 80) -> list[str]:
    """Title and sentences of a raw article, capped (the lead carries the narrative)."""
    from echolot.text.sentences import split_paragraphs, split_sentences_in_paragraph

    out = [title.strip()] if title and title.strip() else []
    for paragraph in split_paragraphs(text or ""):
        for sentence in split_sentences_in_paragraph(paragraph):
            if len(sentence) >= min_chars:
                out.append(sentence[:600])
    return out[:max_sentences] or [(text or title or ".")[:600]]


def label_corpus(records: Sequence[dict[str, Any]], catalog: Catalog, encoder: Encoder, cache: Store | None,
                 threshold: float, sub_threshold: float, max_labels: int, relative: float = 1.0) -> list[dict[str, Any]]:
    """Predictions in the scorer's format for raw {id, title, text} records."""
    from echolot.encoders import encode_cached

    index = build_label_index(catalog, encoder, cache)
    out = []
    for record in records:
        texts = article_texts(record.get("title"), record.get("text") or "")
        vectors = encode_cached(texts, encoder, cache)
        narratives, subs, _ = label_article(vectors, index, threshold, sub_threshold, max_labels, relative)
        out.append({"id": record["id"], "narratives": narratives, "subnarratives": subs})
    return out
