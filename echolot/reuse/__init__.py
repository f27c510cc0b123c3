"""Provenance: which articles are reprints or translations of which, and which way.

The stage lives in `echolot.reuse.stage` (orchestration); its parts are `features`
(per-article features), `index` (candidates), `screen` (lead screen), `align`
(sentence alignment), `direction` (originals and reasons) and `encoding` (which
encoder reads which language). The names below are re-exported for callers
(`pipeline`, the Spark job, `eval`) that import them from the package.
"""
from __future__ import annotations

from echolot.reuse.align import PairResult
from echolot.reuse.direction import orient_group
from echolot.reuse.features import article_features, containment, sentence_texts
from echolot.reuse.stage import ArticlePool, group_of, orient, process, raw_link, verify_pairs

__all__ = [
    "ArticlePool",
    "PairResult",
    "article_features",
    "containment",
    "group_of",
    "orient",
    "orient_group",
    "process",
    "raw_link",
    "sentence_texts",
    "verify_pairs",
]
