"""One quote, many languages: matching quotations across articles and naming the original.

The same statement is quoted in translation ("absolutely false" / "absolut falsch")
and trimmed differently by each outlet, so string matching fails. We embed quote
contents with the multilingual encoder, keep pairs of quotes from *different*
articles that are each other's nearest neighbour in the other article and pass a
cosine threshold (a lower one when a reuse link already says the two articles
are copies or translations), and join the pairs into clusters with union-find.

Clusters are stored as one JSON document under state key `quotes:clusters`:
`{"clusters": [{"id", "members": [quote ids], "original": quote id | null,
"original_reason": str}], "quote_cluster": {quote id: cluster id}}`. They are
recomputed over all stored quotes after each run (vectors are cached, so a re-run
only encodes new quotes).
"""
from __future__ import annotations

import json
import re
from collections import defaultdict
from typing import TYPE_CHECKING, Any

import numpy as np
import xxhash

from echolot.settings import QuotesSettings
from echolot.util import UnionFind

if TYPE_CHECKING:
    from echolot.store.base import Store

STATE_KEY = "quotes:clusters"
_WORD = re.compile(r"\w+")


def _link_index(store: Store) -> dict[frozenset[str], Any]:
    """Reuse links by unordered article pair (empty when the reuse stage has not run)."""
    try:
        links = store.links()
    except Exception:
        return {}
    return {frozenset((link.source, link.target)): link for link in links}


def match_pairs(quotes: list[dict[str, Any]], vectors: np.ndarray, links: dict[frozenset[str], Any],
                settings: QuotesSettings, chunk: int = 1024) -> list[tuple[int, int, float]]:
    """(i, j, cosine) for quotes of different articles that are mutual nearest neighbours
    across their two articles and pass the (link-dependent) threshold.

    Similarities are computed in row chunks so memory stays at chunk x N floats.
    """
    article = [q["article_id"] for q in quotes]
    floor = min(settings.match_threshold, settings.linked_threshold)
    # best[i][other article] = (cosine, j): i's nearest quote in that article, above the floor
    best: list[dict[str, tuple[float, int]]] = [{} for _ in quotes]
    for start in range(0, len(quotes), chunk):
        block = vectors[start:start + chunk] @ vectors.T
        rows, cols = np.nonzero(block >= floor)
        for r, j in zip(rows.tolist(), cols.tolist()):
            i = start + r
            if article[i] == article[j]:
                continue
            sim = float(block[r, j])
            current = best[i].get(article[j])
            if current is None or sim > current[0]:
                best[i][article[j]] = (sim, j)
    pairs: list[tuple[int, int, float]] = []
    for i, per_article in enumerate(best):
        for other, (sim, j) in per_article.items():
            if j <= i or best[j].get(article[i], (0.0, -1))[1] != i:
                continue
            linked = frozenset((article[i], other)) in links
            if sim >= (settings.linked_threshold if linked else settings.match_threshold):
                pairs.append((i, j, sim))
    return pairs


def _original(members: list[dict[str, Any]], articles: dict[str, dict[str, Any]],
              links: dict[frozenset[str], Any]) -> tuple[str | None, str]:
    """The earliest published member; else the source side of a directed reuse link; else unknown."""
    dated = sorted(((articles.get(q["article_id"], {}).get("published") or "", q) for q in members),
                   key=lambda x: x[0])
    if all(d for d, _ in dated) and dated[0][0] < dated[1][0]:
        return dated[0][1]["id"], f"earliest published ({dated[0][0]})"
    ids = {q["article_id"] for q in members}
    for pair, link in links.items():
        if pair <= ids and getattr(link, "directed", False):
            for q in members:
                if q["article_id"] == link.source:
                    return q["id"], f"source side of a {link.kind} link ({link.reason or 'reuse stage'})"
    known = [(d, q) for d, q in dated if d]
    if known:  # an undated copy could be older than the earliest dated one: say so, do not guess
        return None, f"unknown: {len(dated) - len(known)} of {len(dated)} undated; earliest dated {known[0][1]['id']} ({known[0][0]})"
    return None, "unknown: no publication dates and no directed reuse link"


def build_clusters(quotes: list[dict[str, Any]], vectors: np.ndarray, articles: dict[str, dict[str, Any]],
                   links: dict[frozenset[str], Any], settings: QuotesSettings) -> dict[str, Any]:
    """Clusters of two or more quotes from different articles, with their original."""
    uf = UnionFind(len(quotes))
    scores: dict[tuple[int, int], float] = {}
    for i, j, score in match_pairs(quotes, vectors, links, settings):
        uf.union(i, j)
        scores[(i, j)] = score
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(quotes)):
        groups[uf.find(i)].append(i)
    clusters, quote_cluster = [], {}
    for members in groups.values():
        if len(members) < 2:
            continue
        records = [quotes[i] for i in members]
        cid = "qc_" + xxhash.xxh3_64_hexdigest("|".join(sorted(q["id"] for q in records)).encode())[:12]
        original, reason = _original(records, articles, links)
        clusters.append({
            "id": cid,
            "members": [q["id"] for q in records],
            "languages": sorted({q.get("lang") or "?" for q in records}),
            "original": original,
            "original_reason": reason,
            "pairs": [{"a": quotes[i]["id"], "b": quotes[j]["id"], "cosine": round(s, 3)}
                      for (i, j), s in scores.items() if uf.find(i) == uf.find(members[0])],
        })
        for q in records:
            quote_cluster[q["id"]] = cid
    return {"clusters": clusters, "quote_cluster": quote_cluster}


def update_clusters(store: Store, settings: QuotesSettings, encoder: Any = None) -> dict[str, Any]:
    """Recompute clusters over every stored quote and persist them under `STATE_KEY`."""
    from echolot.encoders import encode_cached, get_encoder

    quotes = [q for q in store.annotations("quotes")
              if q.get("id") and len(_WORD.findall(q.get("content") or "")) >= settings.min_match_words]
    if len({q["article_id"] for q in quotes}) < 2:
        result: dict[str, Any] = {"clusters": [], "quote_cluster": {}}
    else:
        encoder = encoder or get_encoder(settings.encoder)
        vectors = encode_cached([q["content"] for q in quotes], encoder, store)
        vectors = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        articles = {q["article_id"]: _article_meta(store, q["article_id"]) for q in quotes}
        result = build_clusters(quotes, vectors, articles, _link_index(store), settings)
    store.put_state(STATE_KEY, json.dumps(result, ensure_ascii=False).encode("utf-8"))
    return result


def _article_meta(store: Store, article_id: str) -> dict[str, Any]:
    article = store.get_article(article_id)
    return {"published": article.published, "title": article.title, "source": article.source} if article else {}


def load_clusters(store: Store) -> dict[str, Any]:
    raw = store.get_state(STATE_KEY)
    return json.loads(raw) if raw else {"clusters": [], "quote_cluster": {}}
