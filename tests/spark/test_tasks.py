"""The task functions alone (no JVM): they must reproduce the laptop indexes' decisions."""
from __future__ import annotations

from pathlib import Path

import numpy as np
from datasketch import MinHashLSH

from echolot.encoders import encode_cached
from echolot.encoders.hashing import HashingEncoder
from echolot.model import RawDocument, Rejection
from echolot.reuse.index import CandidateIndex, Features
from echolot.settings import Settings
from echolot.spark.job import expand_inputs
from echolot.spark.tasks import (VectorCache, band_keys, bucket_pairs, centre, feature_task, knn_task, lsh_bands,
                                 posting_pairs, prepare_task, read_task, top_anchor_partners, vector_key)


def _settings() -> Settings:
    from dataclasses import replace

    s = Settings()
    return replace(s, encoder=replace(s.encoder, backend="hashing"), reuse=replace(s.reuse, encoder="hashing"))


def _rows(corpus: list[str], settings: Settings) -> list:
    files, _ = expand_inputs(corpus)
    prepared = list(prepare_task(read_task(enumerate(files), settings), settings))
    articles = {}
    for _, item in prepared:
        if not isinstance(item, Rejection):
            articles.setdefault(item.id, item)
    return list(feature_task(articles.values(), settings))


def test_read_and_prepare_number_items_and_reject_without_raising(corpus: list[str]) -> None:
    settings = _settings()
    files, rejected = expand_inputs(corpus)
    assert not rejected and len(files) == 6  # jsonl, four text files, one html page
    items = list(prepare_task(read_task(enumerate(files), settings), settings, source="Desk"))
    orders = [o for o, _ in items]
    assert orders == sorted(orders) and len(set(orders)) == len(orders)
    reasons = [i.reason for _, i in items if isinstance(i, Rejection)]
    assert reasons == ["empty file"]
    articles = [i for _, i in items if not isinstance(i, (Rejection, RawDocument))]
    assert len(articles) == 9 and len({a.id for a in articles}) == 8  # one duplicate record
    assert all(a.sentences and a.lang for a in articles)
    assert {a.source for a in articles if a.origin and a.origin.endswith(".txt")} == {"Desk"}


def test_lsh_bands_meet_exactly_where_the_laptop_lsh_does(corpus: list[str]) -> None:
    settings = _settings()
    rows = _rows(corpus, settings)
    bands, width = lsh_bands(settings.reuse)
    buckets: dict = {}
    for row in rows:
        for key, article_id in band_keys(row, bands, width):
            buckets.setdefault(key, []).append(article_id)
    ours = {p for ids in buckets.values() for p in bucket_pairs(ids)}
    lsh = MinHashLSH(threshold=settings.reuse.lsh_threshold, num_perm=settings.reuse.num_perm)
    index = CandidateIndex([_features(r, settings) for r in rows], settings.reuse)
    for f in index.features:
        lsh.insert(f.id, f.signature)
    laptop = {tuple(sorted((f.id, b))) for f in index.features for b in lsh.query(f.signature) if b != f.id}
    assert ours == laptop and ours  # the reprint and its original share buckets


def _features(row, settings: Settings) -> Features:
    from echolot.reuse.features import signature_from_bytes

    return Features(row.id, row.lang, signature_from_bytes(row.blobs["mh"], settings.reuse.num_perm),
                    set(row.anchors), row.lead)


def test_exact_neighbours_match_the_candidate_index(corpus: list[str]) -> None:
    settings = _settings()
    rows = _rows(corpus, settings)
    index = CandidateIndex([_features(r, settings) for r in rows], settings.reuse)
    laptop = {tuple(sorted(p)) for p in index._ann_pairs([r.id for r in rows])}
    sums: dict = {}
    for r in rows:
        total, count = sums.get(r.lang or "?", (0.0, 0))
        sums[r.lang or "?"] = (total + r.lead.astype(np.float64), count + 1)
    means = {k: (t / c).astype(np.float32) for k, (t, c) in sums.items() if c >= 2}
    centred = list(centre(((r.id, r.lang, r.lead, False) for r in rows), means))
    ids, matrix = [i for i, _, _ in centred], np.stack([v for _, v, _ in centred])
    cfg = settings.reuse
    k = min(max(cfg.ann_k, cfg.wide_ann_k) + 1, len(rows))
    limits = ((cfg.ann_k, cfg.ann_min_cos), (cfg.wide_ann_k, cfg.wide_ann_min_cos))
    ours = set(knn_task(centred, ids, matrix, k, limits, block=3))
    assert ours == laptop and ours


def test_anchor_helpers_cap_document_frequency_and_rank_partners() -> None:
    assert list(posting_pairs(["b", "a", "c"], max_df=2)) == []  # too common: not an anchor
    assert list(posting_pairs(["b", "a", "a"], max_df=2)) == [(("a", "b"), 1)]
    partners = [(3, "z"), (5, "y"), (3, "c"), (4, "x")]
    assert list(top_anchor_partners("m", partners, 3)) == [("m", "y"), ("m", "x"), ("c", "m")]


def test_bucket_cap_skips_oversized_buckets() -> None:
    assert len(list(bucket_pairs(["a", "b", "c"]))) == 3
    assert list(bucket_pairs(["a", "b", "c"], max_bucket=2)) == []


def test_vector_cache_keys_are_the_encoder_cache_keys() -> None:
    encoder = HashingEncoder()
    cache = VectorCache()
    vectors = encode_cached(["Ein Satz.", "Another one."], encoder, cache)
    assert set(cache.items) == {vector_key("hashing", "Ein Satz."), vector_key("hashing", "Another one.")}
    again = encode_cached(["Another one."], encoder, cache)  # served from the cache (float16)
    assert np.allclose(again[0], vectors[1], atol=1e-3)


def test_expand_inputs_reports_missing_paths(tmp_path: Path) -> None:
    files, rejected = expand_inputs([str(tmp_path / "nope.jsonl")])
    assert files == [] and rejected[0].reason == "no such file or directory"


class _Local:
    """Just enough of an RDD for the driver-side index builder."""

    def __init__(self, rows: list) -> None:
        self.rows = rows

    def toLocalIterator(self):
        return iter(self.rows)


def test_hnsw_index_finds_the_exact_neighbours_on_a_small_set() -> None:
    from echolot.spark.candidates import _hnsw_index
    from echolot.spark.tasks import hnsw_task

    rng = np.random.default_rng(7)
    base = rng.normal(size=(6, 32)).astype(np.float32)
    vectors = np.concatenate([base, base + rng.normal(scale=0.05, size=base.shape).astype(np.float32)])
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    rows = [(f"id{i:02d}", v, False) for i, v in enumerate(vectors)]
    ids, blob = _hnsw_index(_Local(rows))
    limits = ((2, 0.5), (2, 0.5))
    approx = set(hnsw_task(rows, ids, blob, "t1", 2, limits))
    exact = set(knn_task(rows, ids, vectors, 2, limits))
    assert approx == exact == {(f"id{i:02d}", f"id{i + 6:02d}") for i in range(6)}
