"""Candidate generation: a crowded LSH bucket yields only the closest neighbours."""
from __future__ import annotations

from dataclasses import replace

import numpy as np

from echolot.reuse.features import minhash, shingles
from echolot.reuse.index import CandidateIndex, Features
from echolot.settings import Settings

BASE = ("the harbour authority said the eastern pier will stay closed for repairs until the end of "
        "the month while divers inspect the damaged pillars and the ferry moves to the western quay")


def _features(n_variants: int) -> list[Features]:
    """One article and `n_variants` copies, each with one more word replaced (less and less similar)."""
    words = BASE.split()
    out = []
    for k in range(n_variants + 1):
        text = " ".join(f"x{i}" if 3 <= i < 3 + k else w for i, w in enumerate(words))
        sig = minhash(shingles(text, 3), 64)
        out.append(Features(f"a{k:02d}", "en", sig, set(), np.ones(4, dtype=np.float32) / 2))
    return out


def test_lsh_keeps_the_most_similar_neighbours_only():
    cfg = replace(Settings().reuse, lsh_threshold=0.1, ann_k=0, anchor_k=0)
    feats = _features(12)
    all_hits = CandidateIndex(feats, replace(cfg, lsh_k=0))._lsh_pairs(["a00"])
    capped = CandidateIndex(feats, replace(cfg, lsh_k=3))._lsh_pairs(["a00"])
    assert len(all_hits) > 3
    assert len(capped) == 3
    # the three closest copies are those with the fewest replaced words
    assert {b for _, b in capped} == {"a01", "a02", "a03"}
