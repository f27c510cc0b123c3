"""Read and re-match narratives in a store: what the CLI and the REST API both call.

Each function takes a store and settings and returns plain data (dicts and lists), or
raises `QueryError` with a message fit for the user; printing is the caller's job.
"""
from __future__ import annotations

from dataclasses import asdict, replace
from typing import Any

from echolot.settings import Settings


class QueryError(ValueError):
    """A request that cannot be answered (unknown article or narrative, bad catalog)."""


def with_catalog(settings: Settings, catalog_path: str | None) -> Settings:
    """Settings with `narratives.catalog` set (unchanged when no path is given)."""
    if not catalog_path:
        return settings
    return replace(settings, narratives=replace(settings.narratives, catalog=catalog_path))


def load(settings: Settings) -> Any:
    """The configured catalog (or the shipped one); QueryError with the catalog's own message."""
    from echolot.narratives.catalog import CatalogError, load_catalog

    try:
        return load_catalog(settings.narratives.catalog or None)
    except CatalogError as exc:
        raise QueryError(str(exc)) from None


def rematch(store: Any, settings: Settings, only_pending: bool = False) -> int:
    """Match articles against the configured catalog (and model), persist the hits; returns the count."""
    from echolot.narratives import process

    catalog = load(settings)
    ids = store.pending("narratives") if only_pending else None
    articles = list(store.iter_articles(ids))
    if not articles:
        return 0
    process(articles, store, settings, catalog=catalog, progress=False)
    store.mark_done("narratives", [a.id for a in articles])
    return len(articles)


def frequency_table(store: Any, by: str = "outlet", stance: str | None = None) -> dict[str, Any]:
    """{"by", "stance", "narratives": {id: {"name", "total", "by": {group: counts}}}}."""
    from echolot.narratives.views import GROUPS, frequency

    if by not in GROUPS:
        raise QueryError(f"unknown grouping {by!r}; choose one of {', '.join(GROUPS)}")
    if stance not in (None, "endorse", "report", "deny"):
        raise QueryError(f"unknown stance {stance!r}; choose endorse, report or deny")
    return {"by": by, "stance": stance, "narratives": frequency(store.annotations("narratives"), by=by, stance=stance)}


def narrative_spread(store: Any, query: str) -> dict[str, Any]:
    """First endorser, first speaker, timeline and spread of the narrative `query` (id, id prefix or name)."""
    from echolot.narratives.views import narrative_candidates, spread

    hits = store.annotations("narratives")
    found = narrative_candidates(hits, query)
    if not found:
        raise QueryError(f"no hits for narrative {query!r} (see `echolot narratives` for the ids with hits)")
    if len(found) > 1:
        raise QueryError(f"{query!r} is ambiguous: {', '.join(found[:8])}")
    return spread(store, hits, found[0])


def article_claims(store: Any, article: str, settings: Settings) -> list[dict[str, Any]]:
    """Claim sentences of one article (id or prefix): kind, cue, actor, target, quote."""
    from echolot.narratives.claims import default_recognizer, detect_claims

    aid = store.resolve_id(article)
    art = store.get_article(aid) if aid else None
    if art is None:
        raise QueryError(f"no article {article!r}")
    claims = detect_claims(art, store.annotations("mentions", art.id), store.annotations("quotes", art.id),
                           default_recognizer() if settings.narratives.use_ner else None)
    return [asdict(c) for c in claims]


def article_narratives(store: Any, article: str) -> list[dict[str, Any]]:
    """Stored narrative hits of one article (id or prefix), best first."""
    aid = store.resolve_id(article)
    if not aid:
        raise QueryError(f"no article {article!r}")
    return sorted(store.annotations("narratives", aid), key=lambda h: -h.get("score", 0.0))
