"""The one interface every stage uses to persist and read results.

SQLite is the default backend; a PostgreSQL backend implements the same protocol.
Stage results that are per-article lists (mentions, quotes, narrative hits) go
through the generic `put_annotations`/`annotations` pair so that a new stage needs
no schema change; pairwise and grouped results (reuse links, stories, entities)
have their own methods because they are queried across articles.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from typing import Any, Protocol, Self

from echolot.model import Article, Rejection, ReuseLink, StoryAssignment


class VectorStore(Protocol):
    """The part of a store that caches vectors: what encoders and feature code need, so an
    in-memory cache (Spark tasks) can stand in for a whole store."""

    def get_vectors(self, keys: list[str]) -> dict[str, bytes]: ...

    def put_vectors(self, items: dict[str, bytes]) -> None: ...


class Store(Protocol):
    # articles -------------------------------------------------------------
    def has_article(self, article_id: str) -> bool: ...
    def add_articles(self, articles: Iterable[Article]) -> list[str]:
        """Insert articles atomically; return the ids that were new."""
    def get_article(self, article_id: str) -> Article | None: ...
    def iter_articles(self, ids: Iterable[str] | None = None) -> Iterator[Article]: ...
    def list_articles(self, limit: int | None = None) -> list[dict[str, Any]]: ...
    def count_articles(self) -> int: ...
    def published_times(self, ids: Iterable[str]) -> dict[str, str | None]:
        """Stored `published` value of each of `ids` that is in the store, without reading the articles
        (what ordering pending work by time needs)."""
    def search(self, query: str, limit: int = 20) -> list[dict[str, Any]]: ...
    def resolve_id(self, prefix: str) -> str | None: ...

    # ingest bookkeeping -----------------------------------------------------
    def add_rejections(self, rejections: Iterable[Rejection]) -> None: ...
    def mark_origin(self, origin: str, article_id: str | None, status: str) -> None: ...
    def origin_status(self, origin: str) -> str | None: ...

    # incremental stage bookkeeping -----------------------------------------------
    def pending(self, stage: str) -> list[str]:
        """Article ids neither processed by `stage` nor failed in it, in ingest order."""
    def mark_done(self, stage: str, article_ids: Iterable[str]) -> None:
        """Record `stage` as done for these articles (and forget any earlier failure of theirs)."""
    def unmark(self, stage: str, article_ids: Iterable[str]) -> int:
        """Forget that `stage` was done for these articles, so the next run redoes them; returns how many."""
    def done_ids(self, stage: str) -> set[str]:
        """Ids of the articles `stage` is marked done for."""

    # stage failures: an article a stage raised on is skipped by later runs until retried ---------
    def mark_failed(self, stage: str, errors: dict[str, str]) -> None:
        """Record `stage` as failed for each article id with its error text (replacing older errors)."""
    def failed(self, stage: str | None = None) -> list[dict[str, Any]]:
        """Failures as {"stage", "article_id", "error", "at"} (unix seconds), oldest first."""
    def clear_failed(self, stage: str | None = None) -> int:
        """Forget the failures (of one stage, or all) so the articles are pending again; returns how many."""

    # consistency (`echolot check`) ------------------------------------------------------
    def orphans(self) -> dict[str, int]:
        """Rows that point at an article id that is not stored, counted per table (only tables with any).

        Covers sentences, origins, links (either end), story members, annotations, stage marks and
        failures, and the per-article vectors keyed `reuse.<kind>:<article id>`."""
    def drop_orphans(self) -> dict[str, int]:
        """Delete the rows `orphans` counts, in one transaction; returns how many per table."""
    def index_problems(self) -> list[str]:
        """What the backend finds wrong in its own structures (page integrity, the full-text index
        against the articles); one line each, [] when all is well."""
    def rebuild_index(self) -> None:
        """Rebuild the full-text index from the stored articles."""
    def annotated_ids(self, kind: str) -> set[str]:
        """Ids of the articles that have annotations of `kind` (even an empty list)."""
    def exclusive(self, timeout: float | None = None) -> AbstractContextManager[None]:
        """Held by one process at a time while the analysis stages run (SQLite: a lock file beside the
        store; PostgreSQL: an advisory lock), so two ingests never analyse the same articles at once.
        Waits up to `timeout` seconds (None: as long as it takes), then raises TimeoutError."""

    # vectors --------------------------------------------------------------
    def get_vectors(self, keys: list[str]) -> dict[str, bytes]: ...
    def put_vectors(self, items: dict[str, bytes]) -> None: ...

    # reuse ------------------------------------------------------------------
    def put_links(self, links: Iterable[ReuseLink]) -> None: ...
    def links(self, article_id: str | None = None) -> list[ReuseLink]: ...

    # stories ------------------------------------------------------------------
    def put_story_assignments(self, assignments: Iterable[StoryAssignment]) -> None: ...
    def story_assignments(self, story_id: str | None = None) -> list[StoryAssignment]: ...
    def put_story(self, story_id: str, data: dict[str, Any]) -> None: ...
    def get_story(self, story_id: str) -> dict[str, Any] | None: ...
    def list_stories(self) -> list[dict[str, Any]]: ...

    # entities -------------------------------------------------------------------
    def put_entities(self, entities: Iterable[dict[str, Any]]) -> None: ...
    def list_entities(self) -> list[dict[str, Any]]: ...
    def clear_entities(self) -> None: ...

    # per-article annotations (mentions, quotes, narrative hits, ...) -------------
    def put_annotations(self, kind: str, article_id: str, records: list[dict[str, Any]]) -> None: ...
    def annotations(self, kind: str, article_id: str | None = None) -> list[dict[str, Any]]: ...

    # small persistent state of incremental stages (e.g. story centroids) ----------
    def get_state(self, key: str) -> bytes | None: ...
    def put_state(self, key: str, value: bytes) -> None: ...

    def close(self) -> None: ...

    # `with open_store(settings) as store:` closes it at the end of the block
    def __enter__(self) -> Self: ...
    def __exit__(self, *exc: object) -> None: ...
