"""FastAPI application: a JSON API over the store plus a single-page web UI.

Each request opens its own store connection: SQLite in WAL mode serves many readers
beside the one writer, so `echolot ingest` can run while the UI is open.
"""
from __future__ import annotations

import collections
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Any, Iterator

from fastapi import FastAPI, HTTPException, Query
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

from echolot.settings import Settings
from echolot.store import Store, open_store

STATIC = Path(__file__).parent / "static"


def _article_summary(store: Store, article_id: str) -> dict[str, Any]:
    article = store.get_article(article_id)
    if article is None:
        return {"id": article_id}
    return {"id": article.id, "title": article.title, "lang": article.lang,
            "published": article.published, "source": article.source}


def create_app(settings: Settings) -> FastAPI:
    """Build the app for the store named in `settings`."""
    app = FastAPI(title="echolot", version="0.1.0",
                  description="Where news comes from and how it travels across outlets and languages.")

    @contextmanager
    def store() -> Iterator[Store]:
        handle = open_store(settings)
        try:
            yield handle
        finally:
            handle.close()

    @app.get("/api/health")
    def health() -> dict[str, Any]:
        with store() as s:
            return {"status": "ok", "articles": s.count_articles()}

    @app.get("/api/articles")
    def articles(q: str | None = None, limit: int = Query(100, ge=1, le=10000)) -> list[dict[str, Any]]:
        with store() as s:
            return s.search(q, limit=limit) if q else s.list_articles(limit=limit)

    @app.get("/api/articles/{article_id}")
    def article(article_id: str) -> dict[str, Any]:
        with store() as s:
            full = s.resolve_id(article_id)
            found = s.get_article(full) if full else None
            if found is None:
                raise HTTPException(404, f"no article {article_id!r}")
            data = found.to_dict()
            data["links"] = [asdict(link) for link in s.links(found.id)]
            data["linked"] = {other: _article_summary(s, other) for link in s.links(found.id)
                              for other in (link.source, link.target) if other != found.id}
            data["quotes"] = s.annotations("quotes", found.id)
            data["narratives"] = s.annotations("narratives", found.id)
            data["mentions"] = s.annotations("mentions", found.id)
            return data

    @app.get("/api/links")
    def links() -> list[dict[str, Any]]:
        with store() as s:
            return [{k: v for k, v in asdict(l).items() if k != "evidence"} for l in s.links()]

    @app.get("/api/stories")
    def stories(limit: int = Query(200, ge=1, le=10000)) -> list[dict[str, Any]]:
        with store() as s:
            live = [x for x in s.list_stories() if int(x.get("count") or 0) > 0]  # merged-away stories have 0
            found = sorted(live, key=lambda x: (-int(x.get("count") or 0), x.get("first_seen") or ""))
            return found[:limit]

    @app.get("/api/stories/{story_id}")
    def story(story_id: str) -> dict[str, Any]:
        with store() as s:
            data = s.get_story(story_id)
            if data is None:
                raise HTTPException(404, f"no story {story_id!r}")
            members = [_article_summary(s, a.article_id) | {"reason": a.reason, "score": a.score}
                       for a in s.story_assignments(story_id)]
            data["timeline"] = sorted(members, key=lambda m: (m.get("published") or "", m["id"]))
            return data

    @app.get("/api/entities")
    def entities(limit: int = Query(100, ge=1, le=10000), type: str | None = None) -> list[dict[str, Any]]:
        from echolot.entities.query import active_entities

        with store() as s:
            return active_entities(s, type)[:limit]

    @app.get("/api/quotes")
    def quotes(speaker: str | None = None, limit: int = Query(200, ge=1, le=10000)) -> list[dict[str, Any]]:
        with store() as s:
            found = s.annotations("quotes")
            if speaker:
                needle = speaker.lower()
                found = [q for q in found if needle in (q.get("speaker") or "").lower()
                         or needle in (q.get("speaker_entity") or "").lower()]
            return found[:limit]

    @app.get("/api/narratives")
    def narratives() -> dict[str, Any]:
        with store() as s:
            hits = s.annotations("narratives")
            counts = collections.Counter((h.get("narrative_id"), h.get("stance")) for h in hits)
            return {"hits": hits, "counts": [{"narrative": n, "stance": st, "count": c}
                                             for (n, st), c in counts.most_common()]}

    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(STATIC / "index.html")

    return app
