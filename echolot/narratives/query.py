"""Read and re-match narratives in a store: what the CLI and the REST API both call.

Each function takes a store (and settings where it needs them) and returns plain data
(dicts and lists), or raises `QueryError` (a `echolot.store.query.QueryError`, so the API
maps it to an HTTP error) with a message fit for the user; printing is the caller's job.
"""
from __future__ import annotations

from dataclasses import asdict, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from echolot.settings import Settings
from echolot.store import query as store_query

if TYPE_CHECKING:
    from echolot.narratives.catalog import Catalog
    from echolot.store.base import Store


class QueryError(store_query.QueryError):
    """A request that cannot be answered (unknown article or narrative, bad catalog)."""


class NotFound(QueryError, store_query.NotFound):
    """No such article or narrative (the API answers 404)."""


class Ambiguous(QueryError, store_query.Ambiguous):
    """A prefix or name that fits several narratives."""


STANCES = ("endorse", "report", "deny")
# API spelling -> views.GROUPS spelling
_BY = {"outlet": "outlet", "lang": "language", "language": "language", "week": "week"}


def with_catalog(settings: Settings, catalog_path: str | None) -> Settings:
    """Settings with `narratives.catalog` set (unchanged when no path is given)."""
    if not catalog_path:
        return settings
    return replace(settings, narratives=replace(settings.narratives, catalog=catalog_path))


def load(settings: Settings) -> Catalog:
    """The configured catalog (or the shipped one); QueryError with the catalog's own message."""
    from echolot.narratives.catalog import CatalogError, load_catalog

    try:
        return load_catalog(settings.narratives.catalog or None)
    except CatalogError as exc:
        raise QueryError(str(exc)) from None


def catalog_outline(settings: Settings) -> dict[str, Any]:
    """The configured catalog as data plus an outline: every narrative with its depth and the
    languages of its examples ("zero-shot" when it has none)."""
    catalog = load(settings)
    index = catalog.by_id()
    rows = []
    for node in catalog.walk():
        depth, parent = 0, node.parent
        while parent:
            depth += 1
            parent = index[parent].parent
        rows.append({"id": node.id, "name": node.name, "depth": depth,
                     "languages": sorted(node.examples) or ["zero-shot"]})
    return {"path": str(catalog.path), "catalog": catalog.to_dict(), "outline": rows}


def convert_catalog(kind: str, source: Path, output: Path, **options: Any) -> int:
    """Build a catalog from a taxonomy label list or a claims JSONL, write it; returns its narrative count."""
    from echolot.narratives.catalog import CatalogError, convert

    try:
        catalog = convert(kind, source, **options)
    except CatalogError as exc:
        raise QueryError(str(exc)) from None
    catalog.dump(output)
    return sum(1 for _ in catalog.walk())


def rematch(store: Store, settings: Settings, only_pending: bool = False) -> int:
    """Match articles against the configured catalog (and model), persist the hits; returns the count."""
    from echolot.narratives.stage import process

    catalog = load(settings)
    ids = store.pending("narratives") if only_pending else None
    articles = list(store.iter_articles(ids))
    if not articles:
        return 0
    process(articles, store, settings, catalog=catalog, progress=False)
    store.mark_done("narratives", [a.id for a in articles])
    return len(articles)


def _check(by: str, stance: str | None) -> str:
    if by not in _BY:
        raise QueryError(f"unknown grouping {by[:40]!r}; choose one of outlet, language (lang), week")
    if stance not in (None, *STANCES):
        raise QueryError(f"unknown stance {str(stance)[:40]!r}; choose endorse, report or deny")
    return _BY[by]


def frequency_table(store: Store, by: str = "outlet", stance: str | None = None) -> dict[str, Any]:
    """{"by", "stance", "narratives": {id: {"name", "total", "by": {group: counts}}}}."""
    from echolot.narratives.views import frequency

    group = _check(by, stance)
    return {"by": by, "stance": stance, "narratives": frequency(store.annotations("narratives"), by=group,
                                                                stance=stance)}


def narrative_counts(store: Store, by: str, stance: str | None = None) -> dict[str, Any]:
    """The frequency table as lists (the API's shape): per narrative its groups, most articles first."""
    table = frequency_table(store, by, stance)["narratives"]
    return {"by": by, "stance": stance, "narratives": [
        {"id": nid, "name": entry["name"], "total": entry["total"],
         "groups": [{"group": g, **cell} for g, cell in sorted(entry["by"].items(), key=lambda kv: -kv[1]["articles"])]}
        for nid, entry in table.items()]}


def frequency_plot(store: Store, by: str, path: Path) -> Path:
    """Draw narrative frequency over time per group (.png or .svg)."""
    from echolot.narratives.views import plot

    group = _check(by, None)
    try:
        return Path(plot(store.annotations("narratives"), group, path))
    except ValueError as exc:
        raise QueryError(str(exc)) from None


def _one_narrative(hits: list[dict[str, Any]], query: str) -> str:
    """The narrative id `query` names (id, id prefix or name); NotFound / Ambiguous otherwise."""
    from echolot.narratives.views import narrative_candidates

    found = narrative_candidates(hits, query)
    if not found:
        raise NotFound(f"no hits for narrative {query[:80]!r} "
                                   "(see `echolot narratives` for the ids with hits)")
    if len(found) > 1:
        raise Ambiguous(f"narrative {query[:80]!r} matches {len(found)} narratives: "
                                    f"{', '.join(found[:8])}")
    return found[0]


def narrative_spread(store: Store, query: str) -> dict[str, Any]:
    """First endorser, first speaker, timeline and spread of the narrative `query` (id, id prefix or name)."""
    from echolot.narratives.views import spread

    hits = store.annotations("narratives")
    return spread(store, hits, _one_narrative(hits, query))


def narrative_hits(store: Store, narrative: str | None, outlet: str | None, lang: str | None, limit: int,
                   cursor: str | None) -> dict[str, Any]:
    """Stored hits (one per evidence sentence) filtered by narrative (id, prefix or name), outlet and
    language, oldest first, one page of `limit` after `cursor`."""
    hits = store.annotations("narratives")
    narrative = store_query.clean_text(narrative)
    outlet, lang = store_query.clean_text(outlet), store_query.clean_text(lang)
    if narrative:
        nid = _one_narrative(hits, narrative)
        hits = [h for h in hits if h.get("narrative_id") == nid]
    if outlet:
        hits = [h for h in hits if h.get("outlet") == outlet]
    if lang:
        hits = [h for h in hits if h.get("lang") == lang]
    hits.sort(key=lambda h: (h.get("published") or "\uffff", h.get("article_id") or "", h.get("sentence_index") or 0))
    return store_query.offset_page(hits, limit, cursor)


def article_claims(store: Store, article: str, settings: Settings) -> list[dict[str, Any]]:
    """Claim sentences of one article (id or prefix): kind, cue, actor, target, quote."""
    from echolot.narratives.claims import default_recognizer, detect_claims

    aid = store.resolve_id(article)
    art = store.get_article(aid) if aid else None
    if art is None:
        raise NotFound(f"no article {article[:80]!r}")
    claims = detect_claims(art, store.annotations("mentions", art.id), store.annotations("quotes", art.id),
                           default_recognizer() if settings.narratives.use_ner else None)
    return [asdict(c) for c in claims]


def article_narratives(store: Store, article: str) -> list[dict[str, Any]]:
    """Stored narrative hits of one article (id or prefix), best first."""
    aid = store.resolve_id(article)
    if not aid:
        raise NotFound(f"no article {article[:80]!r}")
    return sorted(store.annotations("narratives", aid), key=lambda h: -h.get("score", 0.0))
