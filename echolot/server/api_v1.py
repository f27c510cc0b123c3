"""The versioned REST API under /api/v1 (see docs/api.md for shapes, limits and curl examples).

Routes are thin: they validate parameters, open a store for the request and call
the query modules the CLI uses too (echolot/store/query.py, stories/query.py,
entities/query.py, quotes/query.py). Those raise QueryError subclasses, which the
app turns into 400/404/409 JSON answers.
"""
from __future__ import annotations

import json
import os
import tempfile
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import Response

from echolot.server.auth import require_token
from echolot.server.ingest import IngestRequest, ingest_documents, ingest_files
from echolot.settings import Settings
from echolot.store import query as articles_q

if TYPE_CHECKING:
    from echolot.server.deps import Backend
    from echolot.store.base import Store

_INGEST_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/IngestRequest"}},
            "multipart/form-data": {"schema": {
                "type": "object",
                "properties": {"files": {"type": "array", "items": {"type": "string", "format": "binary"}},
                               "outlet": {"type": "string"}},
                "required": ["files"]}},
        },
    }
}


def build_router(settings: Settings, backend: Backend) -> APIRouter:
    """All /api/v1 routes bound to one store and its caches."""
    router = APIRouter(prefix="/api/v1")
    max_page = settings.api.max_page

    # FastAPI needs a fresh Query object per parameter (a shared one would bind one name for all)
    def Limit(default: int = 50):  # type: ignore[no-untyped-def]
        return Query(default, ge=1, le=max_page, description=f"Page size (1..{max_page}).")

    def Cursor():  # type: ignore[no-untyped-def]
        return Query(None, max_length=200, description="next_cursor of the previous page.")

    def Text(max_length: int = 500):  # type: ignore[no-untyped-def]
        return Query(None, max_length=max_length)

    def store() -> AbstractContextManager[Store]:
        return backend.store()

    @router.get("/health", tags=["meta"])
    def health(request: Request) -> dict[str, Any]:
        """Liveness and a few counts."""
        with store() as s:
            return {"status": "ok", "articles": s.count_articles(), "version": request.app.version,
                    "writes_enabled": bool(request.app.state.api_token), "public": request.app.state.public}

    # -- articles -------------------------------------------------------------------------------------
    @router.get("/articles", tags=["articles"])
    def articles(lang: str | None = Text(), outlet: str | None = Text(), since: str | None = Text(),
                 until: str | None = Text(), story: str | None = Text(), q: str | None = Text(),
                 limit: int = Limit(), cursor: str | None = Cursor()) -> dict[str, Any]:
        """Articles in ingest order, filtered by language, outlet, publication date range, story, full text."""
        with store() as s:
            return articles_q.list_articles(s, lang=lang, outlet=outlet, since=since, until=until, story=story,
                                            q=q, limit=limit, cursor=cursor)

    @router.get("/articles/{article_id}", tags=["articles"])
    def article(article_id: str) -> dict[str, Any]:
        """One article (an id prefix is enough): text, sentences, entities, quotes, narratives, links."""
        with store() as s:
            return articles_q.article_detail(s, article_id)

    @router.get("/articles/{article_id}/trace", tags=["provenance"])
    def article_trace(article_id: str) -> dict[str, Any]:
        """The article's reuse group: who copied or translated whom, declared sources, aligned sentences."""
        from echolot.reuse.query import trace

        with store() as s:  # as `echolot trace ID`
            return trace(s, articles_q.resolve_article(s, article_id))

    @router.get("/search", tags=["articles"])
    def search(q: str = Query(..., min_length=1, max_length=500), limit: int = Limit(20),
               cursor: str | None = Cursor()) -> dict[str, Any]:
        """Full-text search; names also match their spellings in other languages. Snippets are HTML-escaped
        with hits in <mark>."""
        with store() as s:
            return articles_q.search(s, q, limit=limit, cursor=cursor)

    @router.get("/links", tags=["provenance"])
    def links(limit: int = Limit(100), cursor: str | None = Cursor()) -> dict[str, Any]:
        """Every reuse link (without aligned sentences), paged."""
        with store() as s:
            return articles_q.list_links(s, limit=limit, cursor=cursor)

    @router.get("/export", tags=["provenance"])
    def export(format: Literal["graphml", "gexf", "jsonl"] = "jsonl") -> Response:
        """The provenance graph as GraphML, GEXF or JSON lines (as `echolot export`)."""
        from echolot.reuse.graph import provenance_graph, write_graph

        with store() as s:
            graph = provenance_graph(s)
        handle, path = tempfile.mkstemp(suffix="." + format)
        os.close(handle)
        try:
            write_graph(graph, format, path)  # type: ignore[arg-type]
            with open(path, "rb") as f:
                body = f.read()
        finally:
            os.unlink(path)
        media = {"graphml": "application/xml", "gexf": "application/xml", "jsonl": "application/x-ndjson"}[format]
        return Response(body, media_type=media,
                        headers={"Content-Disposition": f'attachment; filename="echolot.{format}"'})

    # -- stories -------------------------------------------------------------------------------------------
    @router.get("/stories", tags=["stories"])
    def stories(since: str | None = Text(), lang: str | None = Text(20), limit: int = Limit(),
                cursor: str | None = Cursor()) -> dict[str, Any]:
        """Stories, biggest and most recent first."""
        from echolot.stories.query import list_stories

        with store() as s:
            return list_stories(s, since=since, lang=lang, limit=limit, cursor=cursor)

    @router.get("/stories/{story_id}", tags=["stories"])
    def story(story_id: str, lang: str | None = Text(20)) -> dict[str, Any]:
        """One story: members in time order (undated last) with roles, timeline counts, propagation graph."""
        from echolot.stories.query import story_view

        with store() as s:
            return story_view(s, story_id, lang=lang)

    # -- entities -------------------------------------------------------------------------------------------
    @router.get("/entities", tags=["entities"])
    def entities(q: str | None = Text(), type: Literal["PER", "ORG", "LOC", "MISC"] | None = None,
                 limit: int = Limit(), cursor: str | None = Cursor()) -> dict[str, Any]:
        """Canonical entities, most mentioned first; q keeps those with a variant containing it."""
        from echolot.entities.query import list_entities

        with store() as s:
            rows = list_entities(s, articles_q.clean_text(q), type)
        return articles_q.offset_page(rows, limit, cursor)

    @router.get("/entities/{entity_id}", tags=["entities"])
    def entity(entity_id: str) -> dict[str, Any]:
        """One entity by id, id prefix or any spelling: variants by language, mentions per day, quotes,
        co-mentions, articles."""
        from echolot.entities.query import entity_view, resolve_entity

        with store() as s:
            return entity_view(s, resolve_entity(s, entity_id))

    # -- quotes ----------------------------------------------------------------------------------------------
    @router.get("/quotes", tags=["quotes"])
    def quotes(speaker: str | None = Text(), lang: str | None = Text(20),
               story: str | None = Text(), limit: int = Limit(), cursor: str | None = Cursor()) -> dict[str, Any]:
        """Quotes in time order; speaker is an entity id (or prefix) or a name in any spelling."""
        from echolot.quotes.query import api_rows, collect

        with store() as s:
            rows = api_rows(s, collect(s, speaker=speaker, lang=lang, story=story))
        return articles_q.offset_page(rows, limit, cursor)

    # -- narratives ---------------------------------------------------------------------------------------------
    @router.get("/narratives", tags=["narratives"])
    def narratives(by: Literal["outlet", "lang", "week"] = "outlet",
                   stance: Literal["endorse", "report", "deny"] | None = None) -> dict[str, Any]:
        """Articles per narrative by outlet, language or ISO week, with stance counts."""
        from echolot.narratives.query import narrative_counts

        with store() as s:
            return narrative_counts(s, by, stance)

    @router.get("/narratives/hits", tags=["narratives"])
    def narrative_hits(narrative: str | None = Text(), outlet: str | None = Text(),
                       lang: str | None = Text(20), limit: int = Limit(),
                       cursor: str | None = Cursor()) -> dict[str, Any]:
        """Evidence sentences of narratives, filtered by narrative (id, prefix or name), outlet, language."""
        from echolot.narratives.query import narrative_hits as hits

        with store() as s:
            return hits(s, narrative, outlet, lang, limit, cursor)

    # -- writes -------------------------------------------------------------------------------------------------
    @router.post("/ingest", tags=["writes"], dependencies=[Depends(require_token)], openapi_extra=_INGEST_BODY)
    async def ingest(request: Request, analyze: bool = True) -> dict[str, Any]:
        """Ingest JSON documents or uploaded files (bearer token required); runs the analysis stages."""
        from starlette.concurrency import run_in_threadpool

        kind = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
        limit = settings.api.max_documents
        if kind == "application/json":
            try:
                payload = IngestRequest.model_validate(json.loads(await request.body()))
            except (ValueError, UnicodeDecodeError) as exc:
                raise HTTPException(422, f"invalid ingest request: {_short(exc)}") from None
            if len(payload.documents) > limit:
                raise HTTPException(413, f"{len(payload.documents)} documents: the limit is {limit} per request")
            if not payload.documents:
                raise HTTPException(422, "documents is empty")
            return await run_in_threadpool(ingest_documents, payload.documents, settings, analyze)
        if kind == "multipart/form-data":
            try:
                form = await request.form(max_files=limit + 1, max_fields=limit + 10)
            except Exception as exc:
                raise HTTPException(400, f"invalid multipart body: {_short(exc)}") from None
            files = [f for f in form.getlist("files") if hasattr(f, "read")] + \
                    [f for f in form.getlist("file") if hasattr(f, "read")]
            if not files:
                raise HTTPException(422, "no files: send them as multipart field 'files'")
            if len(files) > limit:
                raise HTTPException(413, f"{len(files)} files: the limit is {limit} per request")
            outlet = form.get("outlet")
            contents = [(f.filename, await f.read()) for f in files]  # type: ignore[union-attr]
            return await run_in_threadpool(ingest_files, contents, settings,
                                           outlet if isinstance(outlet, str) else None, analyze)
        raise HTTPException(415, "send application/json ({documents: [...]}) or multipart/form-data (files)")

    return router


def _short(exc: Exception) -> str:
    text = str(exc).replace("\n", " ")
    return text if len(text) <= 300 else text[:297] + "..."
