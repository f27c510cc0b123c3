"""Read side of stories shared by the CLI and the REST API: list, resolve an id prefix, one story's page.

A story's page says for each member whether it is original reporting, a copy or a
translation (from the reuse links inside the story), counts articles per day per
language for the timeline, and gives the propagation graph: members and the
external sources they declare as nodes, reuse links and declarations as edges.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from collections import Counter
from typing import Any

from echolot.store.query import NotFound, sql_prefix, clean_text, offset_page, resolve_prefix, sql_conn

if TYPE_CHECKING:
    from echolot.store.base import Store


def live_stories(store: Store) -> list[dict[str, Any]]:
    """Stories with members (merged-away ones keep a record with count 0)."""
    return [s for s in store.list_stories() if int(s.get("count") or 0) > 0]


def resolve_story(store: Store, prefix: str) -> str:
    """Full story id for an id or unique prefix."""
    conn = sql_conn(store)
    if conn is not None:
        return sql_prefix(conn, "stories", prefix, "story")
    return resolve_prefix((s["id"] for s in store.list_stories()), prefix, "story")


def label(story: dict[str, Any], lang: str | None = None) -> str:
    """The story's label in `lang` when one of its members is in that language."""
    if lang and lang in story.get("labels", {}):
        return str(story["labels"][lang])
    return str(story.get("label", ""))


def sorted_stories(store: Store, since: str | None = None) -> list[dict[str, Any]]:
    """Live stories, biggest and most recent first (the CLI's and the API's order)."""
    stories = live_stories(store)
    if since:
        stories = [s for s in stories if (s.get("last_seen") or "") >= since]
    stories.sort(key=lambda s: (int(s.get("count", 0)), s.get("last_seen") or "", s["id"]), reverse=True)
    return stories


def list_stories(store: Store, since: str | None = None, lang: str | None = None, limit: int = 50,
                 cursor: str | None = None) -> dict[str, Any]:
    """{total, items:[{id,title,size,languages,first,last}], next_cursor}."""
    from echolot.store.query import parse_day

    rows = [{"id": s["id"], "title": label(s, clean_text(lang)), "size": int(s.get("count") or 0),
             "languages": s.get("languages") or {}, "outlets": s.get("outlets") or {},
             "first": s.get("first_seen"), "last": s.get("last_seen")}
            for s in sorted_stories(store, parse_day(since, "since"))]
    return offset_page(rows, limit, cursor)


_ROLES = ("original", "copy", "translation")


def role_of(text: str) -> str:
    """The timeline's free-text role ("copy of X", "translation pair with ...") as one word."""
    head = (text or "").split(" ", 1)[0]
    return head if head in _ROLES else "independent"


def story_view(store: Store, prefix: str, lang: str | None = None) -> dict[str, Any]:
    """One story: members in time order (undated last) with roles, timeline counts, propagation graph."""
    from echolot.stories.summary import timeline

    story_id = resolve_story(store, prefix)
    story = store.get_story(story_id)
    if story is None:
        raise NotFound(f"no story {prefix[:80]!r}")
    rows = timeline(store, story_id)
    members = {r["id"] for r in rows}
    articles = [{"id": r["id"], "title": r["title"], "outlet": r["source"], "lang": r["lang"],
                 "published": r["published"], "role": role_of(r["role"]), "role_detail": r["role"],
                 "score": r["score"], "reason": r["reason"]} for r in rows]
    per_day: Counter[tuple[str, str]] = Counter()
    undated = 0
    for r in rows:
        if r["published"]:
            per_day[(r["published"][:10], r["lang"] or "?")] += 1
        else:
            undated += 1
    return {
        "id": story_id, "title": label(story, clean_text(lang)), "labels": story.get("labels", {}),
        "size": len(rows), "languages": story.get("languages", {}), "outlets": story.get("outlets", {}),
        "first": story.get("first_seen"), "last": story.get("last_seen"),
        "articles": articles,
        "timeline": [{"date": d, "lang": l, "count": c} for (d, l), c in sorted(per_day.items())],
        "undated": undated,
        "propagation": propagation(store, members),
    }


def propagation(store: Store, members: set[str]) -> dict[str, Any]:
    """Nodes (members, plus external sources they declare) and edges (reuse links inside, declarations),
    in the shape of the provenance trace (echolot.reuse.query)."""
    from echolot.reuse.query import _link_edge, article_node, declared_edges

    articles = {a.id: a for a in store.iter_articles(sorted(members))}
    links: dict[tuple[str, str], Any] = {}
    for article_id in sorted(articles):
        for link in store.links(article_id):
            if link.source in articles and link.target in articles:
                links[(link.source, link.target)] = link
    inside = [links[k] for k in sorted(links)]
    external, declared = declared_edges(articles, inside)
    nodes = [article_node(articles[m], m) for m in sorted(articles)] + sorted(external, key=lambda n: n["id"])
    return {"nodes": nodes, "edges": [_link_edge(l) for l in inside] + declared}
