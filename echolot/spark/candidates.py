"""Reuse candidates as Spark shuffles instead of in-memory indexes.

The laptop stage (`echolot.reuse.index.CandidateIndex`) keeps three indexes in one
process; here each becomes a distributed step with the same definition, so both
propose the same pairs:

* MinHash LSH: one key per (band, band values); a `groupByKey` on the keys is the
  bucket table, and every pair inside a bucket is a candidate;
* rare anchors: document frequency by `reduceByKey`, anchors above
  `reuse.anchor_max_df` dropped, shared-anchor counts per pair by `reduceByKey`,
  then the `reuse.anchor_k` best partners per article;
* nearest lead vectors: per-language means by `reduceByKey`, centred vectors
  collected once and broadcast (exact search up to `reuse.exact_search_max`
  articles, a usearch HNSW index built on the driver beyond), each partition
  searching for its own articles; the same again among the articles in the wide
  encoder's space, on its lead vectors ("wide vector").
"""
from __future__ import annotations

import uuid
from operator import add
from typing import Any

import numpy as np

from echolot.settings import ReuseSettings
from echolot.spark.tasks import (Limits, band_keys, bucket_pairs, centre, hnsw_task, knn_task, lsh_bands,
                                 posting_pairs, top_anchor_partners)


def lsh_pairs(features: Any, cfg: ReuseSettings, max_bucket: int, skipped: Any) -> Any:
    """Pairs of articles sharing an LSH bucket (RDD of sorted id tuples)."""
    bands, rows = lsh_bands(cfg)

    def pairs(bucket: tuple[Any, Any]) -> Any:
        members = list(bucket[1])
        if max_bucket and len(set(members)) > max_bucket:
            skipped.add(1)
        return bucket_pairs(members, max_bucket)

    return features.flatMap(lambda f: band_keys(f, bands, rows)).groupByKey().flatMap(pairs).distinct()


def anchor_pairs(features: Any, cfg: ReuseSettings) -> Any:
    """Pairs sharing at least `anchor_min_shared` rare anchors, the `anchor_k` best per article."""
    tokens = features.flatMap(lambda f: ((t, f.id) for t in f.anchors))
    max_df = cfg.anchor_max_df
    rare = tokens.mapValues(lambda _: 1).reduceByKey(add).filter(lambda kv: 2 <= kv[1] <= max_df)
    postings = tokens.join(rare).mapValues(lambda v: v[0]).groupByKey()
    min_shared, k = cfg.anchor_min_shared, cfg.anchor_k
    shared = (postings.flatMap(lambda kv: posting_pairs(kv[1], max_df)).reduceByKey(add)
              .filter(lambda kv: kv[1] >= min_shared))
    both_ways = shared.flatMap(lambda kv: [(kv[0][0], (kv[1], kv[0][1])), (kv[0][1], (kv[1], kv[0][0]))])
    return both_ways.groupByKey().flatMap(lambda kv: top_anchor_partners(kv[0], kv[1], k)).distinct()


def language_means(rows: Any) -> dict[str, np.ndarray]:
    """Mean vector of each detected language with at least two articles (rows: id, lang, vector, flag)."""
    sums = (rows.map(lambda r: (r[1] or "?", (r[2].astype(np.float64), 1)))
            .reduceByKey(lambda x, y: (x[0] + y[0], x[1] + y[1])).collect())
    return {lang: (total / count).astype(np.float32) for lang, (total, count) in sums if count >= 2}


def neighbour_pairs(sc: Any, rows: Any, total: int, k: int, limits: Limits, cfg: ReuseSettings) -> Any:
    """Pairs of articles whose language-centred vectors are among each other's nearest.

    `rows`: (id, lang, unit vector, wide flag); each article's `k` nearest are searched, and
    `limits` says how many of them it keeps, above which cosine (`tasks.knn_task`)."""
    if total < 2 or k < 2:
        return sc.emptyRDD()
    means = language_means(rows)
    centred = rows.mapPartitions(lambda it: centre(it, means)).persist()
    if total <= cfg.exact_search_max:
        found = centred.collect()
        shared = sc.broadcast(([i for i, _, _ in found], np.stack([v for _, v, _ in found])))
        return centred.mapPartitions(lambda it: knn_task(it, shared.value[0], shared.value[1], k, limits)).distinct()
    ids, blob = _hnsw_index(centred)
    shared = sc.broadcast((ids, blob))
    token = uuid.uuid4().hex
    return centred.mapPartitions(lambda it: hnsw_task(it, shared.value[0], shared.value[1], token, k, limits)).distinct()


def vector_pairs(sc: Any, features: Any, total: int, cfg: ReuseSettings) -> Any:
    """Nearest lead vectors of the main encoder (as `CandidateIndex._ann_pairs`): an article in the wide
    space keeps its `wide_ann_k` nearest above `wide_ann_min_cos`, any other its `ann_k` above `ann_min_cos`."""
    k = min(max(cfg.ann_k, cfg.wide_ann_k) + 1, total)
    rows = features.map(lambda f: (f.id, f.lang, f.lead, f.wide is not None))
    return neighbour_pairs(sc, rows, total, k, ((cfg.ann_k, cfg.ann_min_cos), (cfg.wide_ann_k, cfg.wide_ann_min_cos)),
                           cfg)


def wide_vector_pairs(sc: Any, features: Any, cfg: ReuseSettings) -> Any:
    """Nearest wide-encoder lead vectors among the articles in the wide space (`CandidateIndex._wide_ann_pairs`)."""
    rows = features.filter(lambda f: f.wide is not None).map(lambda f: (f.id, f.lang, f.wide, True))
    total = rows.count()
    k = min(cfg.ann_k + 1, total)
    return neighbour_pairs(sc, rows, total, k, ((k, cfg.ann_min_cos), (k, cfg.ann_min_cos)), cfg)


def _hnsw_index(centred: Any) -> tuple[list[str], bytes]:
    """Build the approximate index once, on the driver, streaming the vectors in (as the laptop stage)."""
    from usearch.index import Index

    ids: list[str] = []
    index: Any = None
    batch_ids: list[str] = []
    batch: list[np.ndarray] = []

    def flush() -> None:
        index.add(np.arange(len(ids) - len(batch_ids), len(ids)), np.stack(batch))
        batch_ids.clear()
        batch.clear()

    for article_id, vec, _ in centred.toLocalIterator():
        if index is None:
            index = Index(ndim=len(vec), metric="cos", dtype="f16")
        ids.append(article_id)
        batch_ids.append(article_id)
        batch.append(vec)
        if len(batch) >= 10000:
            flush()
    if batch:
        flush()
    return ids, bytes(index.save())


def all_candidates(sc: Any, features: Any, total: int, cfg: ReuseSettings, max_bucket: int,
                   skipped: Any) -> dict[str, Any]:
    """The candidate RDDs by source name ("shingles", "vector", "wide vector", "anchors")."""
    return {
        "shingles": lsh_pairs(features, cfg, max_bucket, skipped),
        "vector": vector_pairs(sc, features, total, cfg),
        "wide vector": wide_vector_pairs(sc, features, cfg),
        "anchors": anchor_pairs(features, cfg),
    }


__all__ = ["all_candidates", "anchor_pairs", "language_means", "lsh_pairs", "neighbour_pairs", "vector_pairs",
           "wide_vector_pairs"]
