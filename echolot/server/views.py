"""Response builders the routes need beyond the shared query modules: trace and narratives."""
from __future__ import annotations

from typing import Any

from echolot.store.query import NotFound, QueryError, clean_text, offset_page, resolve_article


def trace(store: Any, prefix: str) -> dict[str, Any]:
    """The article's provenance group (echolot.reuse.query.trace) for an id or unique prefix."""
    from echolot.reuse.query import trace as group_trace

    return group_trace(store, resolve_article(store, prefix))


_BY = {"outlet": "outlet", "lang": "language", "language": "language", "week": "week"}


def narrative_counts(store: Any, by: str, stance: str | None = None) -> dict[str, Any]:
    """Articles per narrative and group (outlet, language or ISO week) with stance counts."""
    from echolot.narratives.views import frequency

    if by not in _BY:
        raise QueryError(f"by must be one of outlet, lang, week (got {by[:40]!r})")
    table = frequency(store.annotations("narratives"), by=_BY[by], stance=stance)
    return {"by": by, "stance": stance, "narratives": [
        {"id": nid, "name": entry["name"], "total": entry["total"],
         "groups": [{"group": g, **cell} for g, cell in sorted(entry["by"].items(), key=lambda kv: -kv[1]["articles"])]}
        for nid, entry in table.items()]}


def narrative_hits(store: Any, narrative: str | None, outlet: str | None, lang: str | None, limit: int,
                   cursor: str | None) -> dict[str, Any]:
    """Stored narrative hits (one per evidence sentence) filtered by narrative (id, prefix or name), outlet, lang."""
    from echolot.narratives.views import narrative_candidates

    hits = store.annotations("narratives")
    narrative, outlet, lang = clean_text(narrative), clean_text(outlet), clean_text(lang)
    if narrative:
        found = narrative_candidates(hits, narrative)
        if not found:
            raise NotFound(f"no narrative hits for {narrative[:80]!r}")
        if len(found) > 1:
            from echolot.store.query import Ambiguous

            raise Ambiguous(f"narrative {narrative[:80]!r} matches {len(found)} narratives: {', '.join(found[:8])}")
        hits = [h for h in hits if h.get("narrative_id") == found[0]]
    if outlet:
        hits = [h for h in hits if h.get("outlet") == outlet]
    if lang:
        hits = [h for h in hits if h.get("lang") == lang]
    hits.sort(key=lambda h: (h.get("published") or "\uffff", h.get("article_id") or "", h.get("sentence_index") or 0))
    return offset_page(hits, limit, cursor)
