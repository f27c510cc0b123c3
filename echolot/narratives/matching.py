"""Matching article sentences to catalog narratives across languages.

Every catalog statement (examples in any language, or the name and description
when a narrative has none) is embedded once with the multilingual encoder; an
article sentence scores against a narrative by its best cosine to that
narrative's statements. Claim sentences (with an accusation, denial or assertion
cue) get a small bonus: a narrative is something someone asserts, and a bare topical
sentence ("protests began on Sunday") should need a closer match than a claim.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING
from collections.abc import Sequence

import numpy as np

from echolot.model import Article
from echolot.narratives.catalog import Catalog, Narrative
from echolot.narratives.claims import Claim

if TYPE_CHECKING:
    from echolot.encoders.base import Encoder
    from echolot.store.base import VectorStore


@dataclass
class CatalogIndex:
    """The catalog's statements as vectors, with which narrative each belongs to."""

    catalog: Catalog
    nodes: list[Narrative]
    vectors: np.ndarray  # (statements, dim)
    owner: np.ndarray  # statement -> node position
    background: np.ndarray  # (neutral statements, dim); may have 0 rows

    def background_scores(self, sentence_vectors: np.ndarray) -> np.ndarray:
        """Best cosine of each sentence to a neutral statement (-1 without a background)."""
        if not len(self.background):
            return np.full(sentence_vectors.shape[0], -1.0, dtype=np.float32)
        return (sentence_vectors @ self.background.T).max(axis=1)

    def scores(self, sentence_vectors: np.ndarray) -> np.ndarray:
        """(sentences, nodes): best cosine of each sentence to each narrative's statements."""
        sims = sentence_vectors @ self.vectors.T
        out = np.full((sims.shape[0], len(self.nodes)), -1.0, dtype=np.float32)
        for j in range(len(self.nodes)):
            cols = self.owner == j
            if cols.any():
                out[:, j] = sims[:, cols].max(axis=1)
        return out


def build_index(catalog: Catalog, encoder: Encoder, cache: VectorStore | None = None) -> CatalogIndex:
    from echolot.encoders import encode_cached

    nodes = list(catalog.walk())
    texts: list[str] = []
    owner: list[int] = []
    for j, node in enumerate(nodes):
        for _, text in node.statements():
            texts.append(text)
            owner.append(j)
    vectors = encode_cached(texts, encoder, cache)
    neutral = [t for items in catalog.background.values() for t in items]
    background = encode_cached(neutral, encoder, cache) if neutral else np.zeros((0, vectors.shape[1]), np.float32)
    return CatalogIndex(catalog=catalog, nodes=nodes, vectors=vectors, owner=np.array(owner), background=background)


# the proposition of reported speech follows a complementiser: "denied that X", "erklärte, dass X"
_COMPLEMENT = re.compile(r"(?:,\s*|\s)(?:dass|that|что|чтобы|будто|que|qu')\s+|[;:]\s+", re.IGNORECASE)


def units(sentence: str, min_chars: int = 20) -> list[str]:
    """The sentence itself plus its complement clauses.

    Matching the bare clause ("the US government is behind the protests") scores the
    proposition itself, undiluted by the reporting frame around it ("the spokeswoman
    has denied that ... this week"), which stance handles separately.
    """
    cuts = [m.end() for m in _COMPLEMENT.finditer(sentence)]
    starts = [m.start() for m in _COMPLEMENT.finditer(sentence)][1:] + [len(sentence)]
    out = [sentence]
    for begin, stop in zip(cuts, starts):
        for clause in (sentence[begin:stop].strip(), sentence[begin:].strip()):
            if len(clause) >= min_chars and clause not in out:
                out.append(clause)
    return out


@dataclass
class Candidate:
    """One (sentence, narrative) pair above the threshold, before stance."""

    node: Narrative
    sentence_index: int | None  # None: the title
    sentence: str
    score: float
    claim: Claim | None


def article_sentences(article: Article, min_chars: int, max_chars: int) -> list[tuple[int | None, str]]:
    """The title and body sentences worth matching (very short and very long ones are noise)."""
    out: list[tuple[int | None, str]] = []
    if article.title and len(article.title) >= min_chars:
        out.append((None, article.title[:max_chars]))
    for sentence in article.sentences:
        if len(sentence.text) >= min_chars:
            out.append((sentence.index, sentence.text[:max_chars]))
    return out


def sentence_scores(items: Sequence[tuple[int | None, str]], index: CatalogIndex, encoder: Encoder,
                    cache: VectorStore | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(sentences, nodes) best score over each sentence's units, and each sentence's background score."""
    from echolot.encoders import encode_cached

    texts: list[str] = []
    owner: list[int] = []
    for i, (_, text) in enumerate(items):
        for unit in units(text):
            texts.append(unit)
            owner.append(i)
    vectors = encode_cached(texts, encoder, cache)
    per_unit = index.scores(vectors)
    per_unit_bg = index.background_scores(vectors)
    own = np.array(owner)
    scores = np.full((len(items), len(index.nodes)), -1.0, dtype=np.float32)
    background = np.full(len(items), -1.0, dtype=np.float32)
    for i in range(len(items)):
        rows = own == i
        scores[i] = per_unit[rows].max(axis=0)
        background[i] = per_unit_bg[rows].max()
    return scores, background


def match_sentences(items: Sequence[tuple[int | None, str]], scores: np.ndarray, background: np.ndarray,
                    index: CatalogIndex, claims: dict[int | None, Claim], threshold: float, claim_bonus: float,
                    margin: float, max_per_node: int) -> list[Candidate]:
    """Candidates per narrative: sentences above threshold and above the background, best first."""
    if not items:
        return []
    bonus = np.array([claim_bonus if idx in claims else 0.0 for idx, _ in items], dtype=np.float32)
    adjusted = scores + bonus[:, None]
    out: list[Candidate] = []
    for j, node in enumerate(index.nodes):
        cut = node.threshold if node.threshold is not None else threshold
        rows = np.flatnonzero((adjusted[:, j] >= cut) & (scores[:, j] - background >= margin))
        rows = rows[np.argsort(-adjusted[rows, j])][:max_per_node]
        for r in rows:
            idx, text = items[int(r)]
            out.append(Candidate(node=node, sentence_index=idx, sentence=text,
                                 score=float(scores[int(r), j]), claim=claims.get(idx)))
    return out
