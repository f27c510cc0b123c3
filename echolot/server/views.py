"""Response builders the routes need beyond the shared query modules: trace and narratives."""
from __future__ import annotations

from typing import Any

from echolot.store.query import NotFound, QueryError, clean_text, evidence_dict, link_dict, offset_page, resolve_article


def _node(article: Any, article_id: str) -> dict[str, Any]:
    if article is None:
        return {"id": article_id, "kind": "article", "title": None, "outlet": None, "lang": None,
                "published": None, "url": None}
    return {"id": article.id, "kind": "article", "title": article.title, "outlet": article.source,
            "lang": article.lang, "published": article.published, "url": article.url}


def trace(store: Any, prefix: str) -> dict[str, Any]:
    """The article's provenance group: nodes (articles and declared external sources), edges, aligned links.

    Uses echolot.reuse.query.trace when that module exists; otherwise builds the same
    shape from the reuse group (echolot.reuse.group_of).
    """
    article_id = resolve_article(store, prefix)
    try:
        from echolot.reuse.query import trace as group_trace  # type: ignore[import-not-found]
    except ImportError:
        group_trace = None
    if group_trace is not None:
        return group_trace(store, article_id)  # type: ignore[no-any-return]
    from echolot.reuse import group_of

    members, links = group_of(article_id, store)
    members = set(members) | {article_id}
    nodes: dict[str, dict[str, Any]] = {}
    edges: list[dict[str, Any]] = []
    for member in sorted(members):
        article = store.get_article(member)
        nodes[member] = _node(article, member)
        for name in (article.declared_sources if article else []):
            ext = "ext:" + name
            nodes.setdefault(ext, {"id": ext, "kind": "external", "title": name, "outlet": name, "lang": None,
                                   "published": None, "url": None})
            edges.append({"source": ext, "target": member, "kind": "declared", "confidence": None,
                          "reason": f"the article names {name} as its source"})
    directed_targets = {l.target for l in links if l.directed}
    roots = sorted(m for m in members if m not in directed_targets)
    out_links = []
    for link in sorted(links, key=lambda l: (l.source, l.target)):
        edges.append(link_dict(link))
        out_links.append(link_dict(link) | {"aligned": [evidence_dict(p) for p in link.evidence]})
    return {"root": roots[0] if len(members) > 1 and roots else article_id, "article": article_id,
            "nodes": list(nodes.values()), "edges": edges, "links": out_links}


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
