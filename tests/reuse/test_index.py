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


def test_anchor_candidates_break_ties_by_id_whatever_the_insertion_order():
    """Equal shared-anchor counts are ranked by id, so a run's candidates do not depend on the order a
    set of anchors iterates in (it changes with each process's string hashing)."""
    cfg = replace(Settings().reuse, ann_k=0, anchor_k=2, anchor_min_shared=2)
    sig = minhash(shingles("x", 3), 64)
    vec = np.ones(4, dtype=np.float32) / 2
    anchors = {"volgo", "#2024", "mosko"}
    others = [f"b{k}" for k in range(5)]
    picked = []
    for order in (others, others[::-1], others[2:] + others[:2]):
        feats = [Features("a0", "en", sig, anchors, vec)] + [Features(b, "de", sig, anchors, vec) for b in order]
        picked.append(sorted(CandidateIndex(feats, cfg)._anchor_pairs(["a0"])))
    assert picked[0] == picked[1] == picked[2] == [("a0", "b0"), ("a0", "b1")]
