"""The unversioned /api/* routes of the first web UI, kept with their shapes so nothing breaks.

New clients use /api/v1 (paging, totals, filters). These answer as before, now with
id prefixes for stories too and the same JSON errors.
"""
from __future__ import annotations

import collections
from dataclasses import asdict
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Query

from echolot.settings import Settings

if TYPE_CHECKING:
    from echolot.server.deps import Backend
    from echolot.store.base import Store


def _article_summary(store: Store, article_id: str) -> dict[str, Any]:
    article = store.get_article(article_id)
    if article is None:
        return {"id": article_id}
    return {"id": article.id, "title": article.title, "lang": article.lang,
            "published": article.published, "source": article.source}


def build_legacy_router(settings: Settings, backend: Backend) -> APIRouter:
    router = APIRouter(prefix="/api", tags=["legacy (unversioned)"])

    def store() -> AbstractContextManager[Store]:
        return backend.store()

    @router.get("/health")
    def health() -> dict[str, Any]:
        with store() as s:
            return {"status": "ok", "articles": s.count_articles()}

    @router.get("/articles")
    def articles(q: str | None = Query(None, max_length=500),
                 limit: int = Query(100, ge=1, le=10000)) -> list[dict[str, Any]]:
        from echolot.store.query import clean_text

        q = clean_text(q)
        with store() as s:
            return s.search(q, limit=limit) if q else s.list_articles(limit=limit)

    @router.get("/articles/{article_id}")
    def article(article_id: str) -> dict[str, Any]:
        from echolot.store.query import NotFound, resolve_article

        with store() as s:
            found = s.get_article(resolve_article(s, article_id))
            if found is None:  # deleted between the two reads
                raise NotFound(f"no article {article_id[:80]!r}")
            data = found.to_dict()
            links = s.links(found.id)
            data["links"] = [asdict(link) for link in links]
            data["linked"] = {other: _article_summary(s, other) for link in links
                              for other in (link.source, link.target) if other != found.id}
            data["quotes"] = s.annotations("quotes", found.id)
            data["narratives"] = s.annotations("narratives", found.id)
            data["mentions"] = s.annotations("mentions", found.id)
            return data

    @router.get("/links")
    def links() -> list[dict[str, Any]]:
        with store() as s:
            return [{k: v for k, v in asdict(l).items() if k != "evidence"} for l in s.links()]

    @router.get("/stories")
    def stories(limit: int = Query(200, ge=1, le=10000)) -> list[dict[str, Any]]:
        from echolot.stories.query import live_stories

        with store() as s:  # the first UI's order: biggest first, then oldest
            found = sorted(live_stories(s), key=lambda x: (-int(x.get("count") or 0), x.get("first_seen") or ""))
            return found[:limit]

    @router.get("/stories/{story_id}")
    def story(story_id: str) -> dict[str, Any]:
        from echolot.stories.query import resolve_story
        from echolot.stories.features import parse_time

        with store() as s:
            full = resolve_story(s, story_id)
            data = dict(s.get_story(full) or {"id": full})
            members = [_article_summary(s, a.article_id) | {"reason": a.reason, "score": a.score}
                       for a in s.story_assignments(full)]
            data["timeline"] = sorted(members, key=lambda m: (parse_time(m.get("published")) or float("inf"), m["id"]))
            return data

    @router.get("/entities")
    def entities(limit: int = Query(100, ge=1, le=10000), type: str | None = Query(None, max_length=10)) -> list[dict[str, Any]]:
        from echolot.entities.query import active_entities

        with store() as s:
            return active_entities(s, type)[:limit]

    @router.get("/quotes")
    def quotes(speaker: str | None = Query(None, max_length=500),
               limit: int = Query(200, ge=1, le=10000)) -> list[dict[str, Any]]:
        from echolot.quotes.query import collect

        with store() as s:
            rows = collect(s, speaker=speaker, limit=limit)
        return [{k: v for k, v in r.items() if k not in ("article", "versions")} for r in rows]

    @router.get("/narratives")
    def narratives() -> dict[str, Any]:
        with store() as s:
            hits = s.annotations("narratives")
            counts = collections.Counter((h.get("narrative_id"), h.get("stance")) for h in hits)
            return {"hits": hits, "counts": [{"narrative": n, "stance": st, "count": c}
                                             for (n, st), c in counts.most_common()]}

    return router
