"""The driver's half: stream the job's results into an ordinary echolot store.

Everything is written with the Store interface the laptop pipeline uses, in the
same shape (articles in input order, the reuse stage's feature blobs, undirected
links first and oriented links after), so `echolot trace`, `serve`, `export` and a
later incremental `echolot ingest` all work on a store the cluster filled.
"""
from __future__ import annotations

from typing import Any
from collections.abc import Iterable

from echolot.model import Article, Rejection
from echolot.settings import ReuseSettings
from echolot.store import Store
from echolot.util import batched


def write_articles(store: Store, articles: Iterable[Article], batch_size: int) -> tuple[list[str], int]:
    """Insert articles batch by batch; return (all ids written or already there, how many were new)."""
    ids: list[str] = []
    new = 0
    for batch in batched(articles, batch_size):
        new += len(store.add_articles(batch))
        ids.extend(a.id for a in batch)
    return ids, new


def write_features(store: Store, rows: Iterable[tuple[str, dict[str, bytes]]], batch_size: int = 2000) -> None:
    """Keep the reuse stage's per-article features, so later laptop runs link against these articles."""
    for batch in batched(rows, batch_size):
        store.put_vectors({f"reuse.{kind}:{aid}": blob for aid, row in batch for kind, blob in row.items()})


def write_rejections(store: Store, rejections: list[Rejection]) -> None:
    if rejections:
        store.add_rejections(rejections)


def write_links(store: Store, results: Iterable[Any], cfg: ReuseSettings, batch_size: int = 1000) -> dict[str, int]:
    """Persist verified pairs as undirected links, then orient every group on the driver.

    Direction needs the whole group (its dates, declared sources, versions per
    language); groups are small, so deciding them here costs little next to the
    candidate search and alignment done in the tasks.
    """
    from echolot.reuse import ArticlePool, orient, raw_link

    touched: set[str] = set()
    kinds: dict[str, int] = {}
    for batch in batched(results, batch_size):
        store.put_links([raw_link(p) for p in batch])
        for p in batch:
            touched |= {p.a, p.b}
            kinds[p.kind] = kinds.get(p.kind, 0) + 1
    links = orient(touched, store, ArticlePool(store, []), cfg)
    store.put_links(links)
    return {"pairs": sum(kinds.values()), **kinds, "directed": sum(1 for l in links if l.directed)}
