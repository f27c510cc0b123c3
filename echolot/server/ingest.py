"""POST /api/v1/ingest: documents given as JSON or uploaded as files go through the normal pipeline.

JSON documents become RawDocuments (their `url` is metadata only: nothing is
fetched); uploaded files are written under the store's home in a fresh folder with
a sanitised name (so no upload name can point outside it), read by the same
readers as `echolot ingest`, and removed afterwards. One lock serialises writes.
"""
from __future__ import annotations

import re
import shutil
import threading
import uuid
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from echolot.model import RawDocument, Rejection
from echolot.pipeline import IngestSummary, prepare, run_stages
from echolot.settings import Settings
from echolot.store import open_store

WRITE_LOCK = threading.Lock()
_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


class Document(BaseModel):
    """One document to ingest; only `text` is required."""

    text: str = Field(..., description="Plain text, or HTML when kind is 'html'.")
    title: str | None = None
    url: str | None = Field(None, description="Where it was published (stored, never fetched).")
    outlet: str | None = None
    published: str | None = Field(None, description="ISO 8601 date or timestamp.")
    lang: str | None = Field(None, description="Declared language: kept as metadata; the detected one is stored"
                                               " unless the server runs with text.lang=declared.")
    kind: str = Field("text", pattern="^(text|html)$")
    id: str | None = Field(None, description="Your own id for this document (kept as external_id).")


class IngestRequest(BaseModel):
    documents: list[Document]


def safe_name(name: str | None, fallback: str = "upload.txt") -> str:
    """A file name with no directory part and only [A-Za-z0-9._-] (never '.', '..' or empty)."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = _SAFE.sub("_", base).strip("._")[:120]
    return base or fallback


def ingest_documents(docs: list[Document], settings: Settings, analyze: bool = True) -> dict[str, Any]:
    """Clean and store `docs`, then (optionally) run the analysis stages over what is new."""
    from echolot.clean import CleanError

    summary = IngestSummary()
    articles = []
    seen: set[str] = set()
    for n, doc in enumerate(docs):
        origin = f"documents[{n}]" + (f" {doc.title[:60]!r}" if doc.title else "")
        raw = RawDocument(origin=origin, body=doc.text, kind=doc.kind, title=doc.title, published=doc.published,
                          source=doc.outlet, url=doc.url, lang=doc.lang, external_id=doc.id)
        try:
            article = prepare(raw, settings)
        except CleanError as exc:
            summary.rejected.append(Rejection(origin, str(exc)))
            continue
        except Exception as exc:
            summary.rejected.append(Rejection(origin, f"internal error: {type(exc).__name__}"))
            continue
        if article.id in seen:
            summary.duplicates += 1
            continue
        seen.add(article.id)
        articles.append(article)
    with WRITE_LOCK:
        store = open_store(settings)
        try:
            fresh = [a for a in articles if not store.has_article(a.id)]
            summary.duplicates += len(articles) - len(fresh)
            new = store.add_articles(fresh) if fresh else []
            summary.ingested = len(new)
            summary.duplicates += len(fresh) - len(new)
            summary.new_ids = new
            if summary.rejected:
                store.add_rejections(summary.rejected)
            analysed = run_stages(store, settings, progress=False) if analyze and new else {}
        finally:
            store.close()
    return summary.to_dict() | {"analysed": analysed}


def ingest_files(files: list[tuple[str | None, bytes]], settings: Settings, outlet: str | None = None,
                 analyze: bool = True) -> dict[str, Any]:
    """Store uploaded (name, content) pairs through the file readers; origins are reported by upload name."""
    from echolot.pipeline import ingest

    folder = Path(settings.home) / "uploads" / uuid.uuid4().hex
    folder.mkdir(parents=True, exist_ok=False)
    names: dict[str, str] = {}
    try:
        for n, (name, content) in enumerate(files):
            target = folder / f"{n:04d}_{safe_name(name)}"
            target.write_bytes(content)
            names[str(target)] = name or target.name
        with WRITE_LOCK:
            store = open_store(settings)
            try:
                summary = ingest([str(folder)], store, settings, source=outlet, progress=False)
                analysed = run_stages(store, settings, progress=False) if analyze and summary.new_ids else {}
            finally:
                store.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    rejected = [{"origin": _upload_origin(r.origin, names), "reason": r.reason} for r in summary.rejected]
    return summary.to_dict() | {"rejected": rejected, "analysed": analysed}


def _upload_origin(origin: str, names: dict[str, str]) -> str:
    """`origin` with the temporary file's path replaced by the name it was uploaded under."""
    for path, name in names.items():
        if origin.startswith(path):
            return name + origin[len(path):]
    return origin
