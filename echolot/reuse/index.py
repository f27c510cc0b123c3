"""Candidate generation that stays near-linear in corpus size.

Three cheap indexes propose pairs; only proposed pairs are aligned sentence by
sentence:

* MinHash LSH over word shingles (same-language reprints);
* nearest neighbours of a lead vector (title + first sentences), centred per
  detected language so that "same language" stops being the main thing two
  vectors share (exact numpy search for small stores, usearch HNSW beyond);
* shared rare anchors (numbers, folded names) through an inverted index.

The indexes live in memory and are rebuilt from per-article features kept in the
store (`reuse.*` keys of the vector table), so an incremental run only computes
features for the new articles.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, replace

import numpy as np
from datasketch import MinHash, MinHashLSH

from echolot.settings import ReuseSettings


@dataclass
class Features:
    """What the candidate indexes need to know about one article."""

    id: str
    lang: str | None
    signature: MinHash
    anchors: set[str]
    lead: np.ndarray  # unit lead vector (not yet centred), main encoder
    wide: np.ndarray | None = None  # the same from the wide encoder, for articles in its space only


def _unit(matrix: np.ndarray) -> np.ndarray:
    return matrix / np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-12)


def centred(features: list[Features]) -> np.ndarray:
    """Lead vectors minus their language's mean, re-normalised.

    Multilingual encoders place all texts of one language in a common region;
    removing each language's mean leaves mostly what the text is about.
    """
    leads = np.stack([f.lead for f in features]).astype(np.float32)
    langs = [f.lang or "?" for f in features]
    out = leads.copy()
    for lang in set(langs):
        rows = [i for i, l in enumerate(langs) if l == lang]
        if len(rows) >= 2:
            out[rows] -= leads[rows].mean(axis=0)
    return _unit(out)


class CandidateIndex:
    """All stored articles' features; `candidates(new)` proposes pairs for new articles."""

    def __init__(self, features: list[Features], settings: ReuseSettings) -> None:
        self.settings = settings
        self.features = features
        self.position = {f.id: n for n, f in enumerate(features)}
        self.vectors = centred(features) if features else np.zeros((0, 1), dtype=np.float32)
        # the wide encoder's lead vectors, for articles in its space only (languages the main one cannot read)
        self.wide_rows = [n for n, f in enumerate(features) if f.wide is not None]
        self.wide_vectors = (centred([replace(features[n], lead=_wide(features[n])) for n in self.wide_rows])
                             if len(self.wide_rows) >= 2 else np.zeros((0, 1), dtype=np.float32))
        self.lsh = MinHashLSH(threshold=settings.lsh_threshold, num_perm=settings.num_perm)
        for f in features:
            self.lsh.insert(f.id, f.signature, check_duplication=False)
        self.postings: dict[str, list[str]] = defaultdict(list)
        for f in features:
            for token in f.anchors:
                self.postings[token].append(f.id)

    def candidates(self, new_ids: list[str]) -> dict[tuple[str, str], set[str]]:
        """Unordered candidate pairs (sorted id tuples) touching `new_ids`, with why each was proposed."""
        found: dict[tuple[str, str], set[str]] = defaultdict(set)
        for a, b in self._lsh_pairs(new_ids):
            found[_key(a, b)].add("shingles")
        for a, b in self._ann_pairs(new_ids):
            found[_key(a, b)].add("vector")
        for a, b in self._wide_ann_pairs(new_ids):
            found[_key(a, b)].add("wide vector")
        for a, b in self._anchor_pairs(new_ids):
            found[_key(a, b)].add("anchors")
        return dict(found)

    def _lsh_pairs(self, new_ids: list[str]) -> list[tuple[str, str]]:
        """LSH neighbours of each new article, at most `lsh_k` of them (the highest estimated Jaccard).

        A story reprinted by hundreds of outlets, or a stock phrase many articles share, puts
        hundreds of articles in one bucket; all-pairs there would be quadratic. The closest
        `lsh_k` still connect every copy to its group, since copies are closest to each other.
        """
        out: list[tuple[str, str]] = []
        cap = self.settings.lsh_k
        for a in new_ids:
            signature = self.features[self.position[a]].signature
            hits = [b for b in self.lsh.query(signature) if b != a]
            if cap and len(hits) > cap:
                values = np.stack([self.features[self.position[b]].signature.hashvalues for b in hits])
                jaccard = (values == signature.hashvalues).mean(axis=1)
                order = sorted(range(len(hits)), key=lambda n: (-jaccard[n], hits[n]))
                hits = [hits[n] for n in order[:cap]]
            out.extend((a, b) for b in hits)
        return out

    def _ann_pairs(self, new_ids: list[str]) -> list[tuple[str, str]]:
        """Nearest lead vectors in the main encoder's space.

        An article in the wide space (a language the main encoder does not read) sits in
        the main space by its names, numbers and loanwords only: its true partner's centred
        cosine is low and its rank poor (dev-languages: a Ukrainian original's English
        translation at rank 2-7 with cosine 0.27-0.29). Such an article keeps its
        `wide_ann_k` nearest neighbours whatever their cosine (`wide_ann_min_cos`); the
        wide encoder's screen judges them next, so only candidates, not links, grow.
        """
        if len(self.features) < 2:
            return []
        cfg = self.settings
        rows = np.array([self.position[a] for a in new_ids])
        k = min(max(cfg.ann_k, cfg.wide_ann_k) + 1, len(self.features))
        if len(self.features) <= cfg.exact_search_max:
            neighbours, scores = self._exact(rows, k)
        else:
            neighbours, scores = self._hnsw(rows, k)
        out = []
        for row, nbrs, sims in zip(rows, neighbours, scores):
            wide = self.features[row].wide is not None
            keep, floor = (cfg.wide_ann_k, cfg.wide_ann_min_cos) if wide else (cfg.ann_k, cfg.ann_min_cos)
            ranked = sorted((float(-s), int(n)) for n, s in zip(nbrs, sims) if n != row and n >= 0)
            for s, n in ranked[:keep]:
                if -s >= floor:
                    out.append((self.features[row].id, self.features[n].id))
        return out

    def _wide_ann_pairs(self, new_ids: list[str]) -> list[tuple[str, str]]:
        """Nearest neighbours in the wide encoder's space, among the articles that have its vector."""
        if len(self.wide_rows) < 2:
            return []
        local = {row: n for n, row in enumerate(self.wide_rows)}
        rows = np.array([local[self.position[a]] for a in new_ids if self.position[a] in local], dtype=np.int64)
        if not len(rows):
            return []
        k = min(self.settings.ann_k + 1, len(self.wide_rows))
        if len(self.wide_rows) <= self.settings.exact_search_max:
            neighbours, scores = self._exact(rows, k, self.wide_vectors)
        else:
            neighbours, scores = self._hnsw(rows, k, self.wide_vectors)
        out: list[tuple[str, str]] = []
        for row, nbrs, sims in zip(rows, neighbours, scores):
            for n, s in zip(nbrs, sims):
                if n != row and n >= 0 and s >= self.settings.ann_min_cos:
                    out.append((self.features[self.wide_rows[row]].id, self.features[self.wide_rows[int(n)]].id))
        return out

    def _exact(self, rows: np.ndarray, k: int, vectors: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        vectors = self.vectors if vectors is None else vectors
        neighbours, scores = [], []
        for start in range(0, len(rows), 1024):
            chunk = rows[start:start + 1024]
            sims = vectors[chunk] @ vectors.T
            top = np.argpartition(-sims, k - 1, axis=1)[:, :k]
            neighbours.append(top)
            scores.append(np.take_along_axis(sims, top, axis=1))
        return np.concatenate(neighbours), np.concatenate(scores)

    def _hnsw(self, rows: np.ndarray, k: int, vectors: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        from usearch.index import Index

        vectors = self.vectors if vectors is None else vectors
        index = Index(ndim=vectors.shape[1], metric="cos", dtype="f16")
        index.add(np.arange(len(vectors)), vectors)
        matches = index.search(vectors[rows], k)
        return matches.keys.astype(np.int64), 1.0 - matches.distances

    def _anchor_pairs(self, new_ids: list[str]) -> list[tuple[str, str]]:
        cfg = self.settings
        out: list[tuple[str, str]] = []
        for a in new_ids:
            shared: Counter[str] = Counter()
            for token in self.features[self.position[a]].anchors:
                posting = self.postings.get(token, [])
                if len(posting) <= cfg.anchor_max_df:
                    shared.update(posting)
            shared.pop(a, None)
            # ties broken by id, not by the order a set of anchors happened to fill the counter in
            # (string hashes differ between processes: candidate counts varied between runs)
            ranked = sorted(((n, b) for b, n in shared.items() if n >= cfg.anchor_min_shared),
                            key=lambda item: (-item[0], item[1]))
            out.extend((a, b) for _, b in ranked[:cfg.anchor_k])
        return out


def _wide(f: Features) -> np.ndarray:
    if f.wide is None:
        raise ValueError(f"article {f.id} has no wide lead vector")
    return f.wide


def _key(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)
