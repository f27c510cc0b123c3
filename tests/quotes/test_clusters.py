"""Cross-article quote matching: mutual nearest neighbours, link-aware threshold, original."""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from echolot.quotes.clusters import build_clusters
from echolot.settings import QuotesSettings


def unit(*xs: float) -> np.ndarray:
    v = np.array(xs, dtype=np.float32)
    return v / np.linalg.norm(v)


QUOTES = [
    {"id": "en1", "article_id": "A", "lang": "en", "content": "that is absolutely false"},
    {"id": "en2", "article_id": "A", "lang": "en", "content": "calls for calm"},
    {"id": "de1", "article_id": "B", "lang": "de", "content": "das ist absolut falsch"},
    {"id": "de2", "article_id": "B", "lang": "de", "content": "Aufrufe zur Ruhe"},
    {"id": "x1", "article_id": "C", "lang": "ru", "content": "совсем другое"},
]
VECTORS = np.stack([unit(1, 0, 0, 0.1), unit(0, 1, 0, 0), unit(1, 0.05, 0, 0), unit(0, 1, 0.6, 0), unit(0, 0, 0, 1)])


def test_mutual_nearest_pairs_form_clusters_with_the_earliest_as_original() -> None:
    articles = {"A": {"published": "2022-01-05"}, "B": {"published": "2022-01-06"}, "C": {"published": "2022-01-01"}}
    result = build_clusters(QUOTES, VECTORS, articles, {}, QuotesSettings(match_threshold=0.9))
    groups = sorted(sorted(c["members"]) for c in result["clusters"])
    assert groups == [["de1", "en1"]]  # en2/de2 cosine ~0.86 is below 0.9, x1 matches nothing
    (cluster,) = result["clusters"]
    assert cluster["original"] == "en1" and cluster["original_reason"].startswith("earliest published")


def test_reuse_link_lowers_the_threshold_and_gives_direction() -> None:
    link = SimpleNamespace(source="A", target="B", kind="translation", directed=True, reason="dates")
    result = build_clusters(QUOTES, VECTORS, {}, {frozenset(("A", "B")): link},
                            QuotesSettings(match_threshold=0.9, linked_threshold=0.8))
    groups = sorted(sorted(c["members"]) for c in result["clusters"])
    assert groups == [["de1", "en1"], ["de2", "en2"]]
    assert all(c["original"] in {"en1", "en2"} and "translation link" in c["original_reason"]
               for c in result["clusters"])


def test_same_article_never_matches_and_unknown_original_is_said() -> None:
    quotes = [dict(q, article_id="A") for q in QUOTES[:2]] + [dict(QUOTES[2], article_id="B")]
    vectors = np.stack([VECTORS[0], VECTORS[0], VECTORS[2]])
    result = build_clusters(quotes, vectors, {}, {}, QuotesSettings(match_threshold=0.5))
    (cluster,) = result["clusters"]
    assert len(cluster["members"]) == 2 and cluster["original"] is None
    assert cluster["original_reason"].startswith("unknown")
