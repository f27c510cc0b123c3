"""The distributed job, step by step (the laptop pipeline's stages 1-5 for reuse):

    1. read      input files spread over tasks; `read_sources` per file
    2. prepare   clean + language + sentences per document (`pipeline.prepare`), dedupe by content id
    3. features  MinHash, anchors, lead vector(s) per article (`reuse.article_features`), encoders once per worker
    4. candidates LSH bands, rare anchors, nearest lead vectors, nearest wide lead vectors (see `candidates.py`)
    5. verify    copies on their text, the rest on sentence vectors (`reuse.verify_pairs`), in tasks; pairs
                 with an article the main encoder cannot read through the stage's wide screen,
                 alignment and rescue (see `wide.py`)
    6. store     on the driver: articles, features, links, direction (`reuse.orient`), stage bookkeeping
    7. analyse   optionally the remaining stages over the store (`pipeline.run_stages`)
"""
from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field, replace
from typing import Any
from collections.abc import Iterable, Iterator

from echolot.model import Article, Rejection
from echolot.settings import Settings
from echolot.spark import candidates as cand
from echolot.spark import sink
from echolot.spark.session import SparkOptions, start_session
from echolot.spark.tasks import (copy_task, encode_task, feature_task, first_seen, prepare_task, read_task,
                                 semantic_task, wide_space)
from echolot.spark.wide import verify_wide
from echolot.store import Store


@dataclass
class JobSummary:
    """What one Spark run did; printed to the user and returned as JSON."""

    master: str = ""
    partitions: int = 0
    read: int = 0
    ingested: int = 0
    duplicates: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    candidates: dict[str, int] = field(default_factory=dict)
    links: dict[str, int] = field(default_factory=dict)
    analysed: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    wide: dict[str, Any] = field(default_factory=dict)  # the wide space's encoder and pair counts (`spark.wide`)

    def to_dict(self) -> dict[str, Any]:
        return {
            "master": self.master, "partitions": self.partitions, "read": self.read,
            "ingested": self.ingested, "duplicates": self.duplicates,
            "rejected": [{"origin": r.origin, "reason": r.reason} for r in self.rejected],
            "candidates": self.candidates, "links": self.links, "analysed": self.analysed,
            "seconds": self.seconds, "warnings": self.warnings, "wide": self.wide,
        }


class _Clock:
    """Seconds per step, reported in the summary (and on stderr when asked)."""

    def __init__(self, summary: JobSummary, progress: bool) -> None:
        self.summary, self.progress, self.last = summary, progress, time.perf_counter()

    def done(self, step: str, note: str = "") -> None:
        now = time.perf_counter()
        self.summary.seconds[step] = round(now - self.last, 2)
        self.last = now
        if self.progress:
            print(f"spark: {step} done in {self.summary.seconds[step]:.1f}s {note}".rstrip(), file=sys.stderr)


def with_encoder(settings: Settings, encoder: str | None) -> Settings:
    """Use one encoder for the whole run (reuse alignment and, with --analyze, the later stages)."""
    if not encoder:
        return settings
    return replace(settings, encoder=replace(settings.encoder, backend=encoder),
                   reuse=replace(settings.reuse, encoder=encoder))


def expand_inputs(inputs: list[str]) -> tuple[list[str], list[Rejection]]:
    """Files under the inputs, in the order `read_sources` would visit them (URLs pass through)."""
    from echolot.ingest.feeds import is_url
    from echolot.ingest.files import walk

    files: list[str] = []
    rejected: list[Rejection] = []
    for path in inputs:
        if is_url(path):
            files.append(path)
            continue
        for item in walk([path]):
            if isinstance(item, Rejection):
                rejected.append(item)
            else:
                files.append(str(item))
    return files, rejected


def run_job(inputs: list[str], store: Store, settings: Settings, options: SparkOptions,
            session: Any = None, progress: bool = True) -> JobSummary:
    """Ingest and link `inputs` on Spark, writing into `store`; `session` reuses a running SparkSession."""
    settings = with_encoder(settings, options.encoder)
    own = session is None
    spark = session or start_session(options)
    try:
        return _run(spark.sparkContext, inputs, store, settings, options, progress)
    finally:
        if own:
            spark.stop()


def _run(sc: Any, inputs: list[str], store: Store, settings: Settings, options: SparkOptions,
         progress: bool) -> JobSummary:
    from pyspark import StorageLevel

    keep = StorageLevel.MEMORY_AND_DISK
    n = options.partitions or max(2, 2 * sc.defaultParallelism)
    summary = JobSummary(master=sc.master, partitions=n)
    clock = _Clock(summary, progress)
    if store.count_articles():
        summary.warnings.append("the store already holds articles: the job links its inputs among themselves only; "
                                "use `echolot ingest` to link new articles against stored ones")
    files, summary.rejected = expand_inputs(inputs)
    if not files:
        sink.write_rejections(store, summary.rejected)
        return summary

    # 1.-2. read, prepare, dedupe
    source = options.source
    raw = sc.parallelize(list(enumerate(files)), min(len(files), n)).mapPartitions(lambda it: read_task(it, settings))
    prepared = raw.repartition(n).mapPartitions(lambda it: prepare_task(it, settings, source)).persist(keep)
    for rejections, count in prepared.mapPartitions(_rejections_and_count).collect():
        summary.rejected += rejections
        summary.read += count
    kept = prepared.filter(lambda x: isinstance(x[1], Article))
    articles = kept.map(lambda x: (x[1].id, x)).reduceByKey(first_seen, n).persist(keep)
    total = articles.count()
    summary.duplicates = summary.read - total
    clock.done("prepare", f"({total} articles, {summary.duplicates} duplicates, {len(summary.rejected)} rejected)")
    if not total:
        sink.write_rejections(store, summary.rejected)
        return summary
    by_id = articles.mapValues(lambda x: x[1])

    # 3. features
    threads, cfg = options.encoder_threads, settings.reuse
    features = by_id.values().mapPartitions(lambda it: feature_task(it, settings, threads)).persist(keep)

    # 4. candidates (the features are computed by the first of these jobs)
    skipped = sc.accumulator(0)
    sources = cand.all_candidates(sc, features, total, cfg, options.max_bucket, skipped)
    tagged = sc.union([rdd.map(lambda p, name=name: (p, name)) for name, rdd in sources.items()]).persist(keep)
    summary.candidates = {name: 0 for name in sources} | dict(tagged.values().countByValue())
    pairs = tagged.keys().distinct(n).persist(keep)
    summary.candidates["total"] = pairs.count()
    if skipped.value:
        summary.warnings.append(f"{skipped.value} LSH bucket(s) above --max-bucket {options.max_bucket} skipped")
    clock.done("features+candidates", f"({summary.candidates['total']} pairs)")

    # 5. verify: copies on text, the rest on sentence vectors
    results, scratch = _verify(pairs, by_id, features, settings, threads, n, keep, summary)
    results = results.persist(keep)
    verified = results.count()
    clock.done("verify", f"({verified} verified pairs)")

    # 6. driver: store
    ordered = articles.values().sortBy(lambda x: x[0], numPartitions=n).values()
    ids, summary.ingested = sink.write_articles(store, ordered.toLocalIterator(), settings.ingest.batch_size)
    summary.duplicates += total - summary.ingested
    sink.write_rejections(store, summary.rejected)
    sink.write_features(store, features.map(lambda f: (f.id, f.blobs)).toLocalIterator())
    summary.links = sink.write_links(store, results.toLocalIterator(), cfg)
    store.mark_done("reuse", ids)
    clock.done("store", f"({summary.links.get('pairs', 0)} links)")

    # 7. the remaining stages, on the driver
    if options.analyze:
        from echolot.pipeline import run_stages

        summary.analysed = run_stages(store, settings, progress=progress)
        clock.done("analyse")
    for rdd in (prepared, articles, features, tagged, pairs, results, *scratch):
        rdd.unpersist()
    return summary


def _rejections_and_count(items: Iterable[tuple[Any, Article | Rejection]]) -> Iterator[tuple[list[Rejection], int]]:
    """One partition's rejections and its number of articles: one pass instead of two jobs."""
    rejections: list[Rejection] = []
    count = 0
    for _, item in items:
        if isinstance(item, Rejection):
            rejections.append(item)
        else:
            count += 1
    yield rejections, count


def _verify(pairs: Any, by_id: Any, features: Any, settings: Settings, threads: int, n: int, keep: Any,
            summary: JobSummary) -> tuple[Any, list[Any]]:
    """RDD of verified `reuse.PairResult`s for the candidate pairs, and the cached RDDs to release later.

    Copies are verified on their text, pairs the main encoder reads on its sentence vectors
    (`reuse.verify_pairs`, pair by pair), pairs with an article in the wide space by `spark.wide`."""
    cfg = settings.reuse
    name = cfg.encoder or settings.encoder.backend
    batch = settings.encoder.batch_size
    space = wide_space(settings)
    reads = None if space is None else space[1]
    with_articles = _join_both(pairs, by_id)
    checked = with_articles.mapPartitions(lambda it: copy_task(it, cfg, reads)).persist(keep)
    copies = checked.filter(lambda x: x[0] == "link").values()
    semantic = checked.filter(lambda x: x[0] == "semantic").values()
    needed = semantic.flatMap(lambda p: p).distinct(n).map(lambda i: (i, None)).join(by_id).mapValues(lambda v: v[1])
    vectors = needed.mapPartitions(lambda it: encode_task(it, name, threads, batch)).persist(keep)
    aligned = _join_both(semantic, vectors).mapPartitions(lambda it: semantic_task(it, cfg, name, threads))
    main = copies.union(aligned).persist(keep)
    if space is None:
        return main, [checked, vectors, main]
    wide_pairs = checked.filter(lambda x: x[0] == "wide").values()
    wide, scratch, summary.wide = verify_wide(pairs.context, wide_pairs, by_id, features, main, settings, n, keep,
                                              summary.warnings)
    return main.union(wide), [checked, vectors, main, *scratch]


def _join_both(pairs: Any, values: Any) -> Any:
    """(a, b) pairs -> (a, b, value of a, value of b) through two joins on the article id."""
    left = pairs.join(values).map(lambda kv: (kv[1][0], (kv[0], kv[1][1])))
    return left.join(values).map(lambda kv: (kv[1][0][0], kv[0], kv[1][0][1], kv[1][1]))
