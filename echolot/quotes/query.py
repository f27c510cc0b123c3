"""Read side of quotes shared by the CLI and the REST API: filter by speaker, language and story.

The speaker filter takes either an entity id (or unique id prefix) or a name: an id
keeps the quotes attributed to that entity (and ids merged into it); a name keeps
quotes whose speaker text or speaker entity's name contains it, and the quotes of
the entity that name resolves to in any spelling (Tokajew finds Токаев's quotes).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from echolot.quotes.clusters import load_clusters
from echolot.store.query import clean_text

if TYPE_CHECKING:
    from echolot.store.base import Store


def _speaker_filter(store: Store, speaker: str, entities: list[dict[str, Any]]) -> tuple[set[str], str | None]:
    """(entity ids whose quotes match, lowered name needle or None when `speaker` was an id)."""
    from echolot.entities.query import _follow, find_entity

    by_id = {e["id"]: e for e in entities}
    live = {e["id"]: _follow(by_id, e)["id"] for e in entities}
    target: str | None = None
    if speaker in by_id:
        target = live[speaker]
    else:
        prefixed = {live[i] for i in by_id if i.startswith(speaker)} if len(speaker) >= 4 else set()
        if len(prefixed) == 1:
            target = prefixed.pop()
    if target is not None:
        return {i for i, l in live.items() if l == target}, None
    found = find_entity(store, speaker)
    ids = {i for i, l in live.items() if found is not None and l == found["id"]}
    return ids, speaker.lower()


def collect(store: Store, speaker: str | None = None, lang: str | None = None, story: str | None = None,
            limit: int | None = None) -> list[dict[str, Any]]:
    """Quotes with their article's date/title/outlet and the same quote in other languages, in time order."""
    speaker, lang = clean_text(speaker), clean_text(lang)
    all_entities = store.list_entities()
    entities = {e["id"]: e.get("name") or "" for e in all_entities}
    members: set[str] | None = None
    if story:
        from echolot.stories.query import resolve_story

        members = {a.article_id for a in store.story_assignments(resolve_story(store, story))}
    wanted_ids, needle = _speaker_filter(store, speaker, all_entities) if speaker else (set(), None)
    clusters = load_clusters(store)
    by_cluster = {c["id"]: c for c in clusters["clusters"]}
    all_quotes = store.annotations("quotes")
    by_id = {q["id"]: q for q in all_quotes if q.get("id")}
    meta: dict[str, dict[str, Any]] = {}

    def article(aid: str) -> dict[str, Any]:
        if aid not in meta:
            a = store.get_article(aid)
            meta[aid] = {"published": a.published, "title": a.title, "source": a.source} if a else {}
        return meta[aid]

    def speaker_ok(q: dict[str, Any]) -> bool:
        if q.get("speaker_entity") in wanted_ids:
            return True
        if needle is None:
            return False
        names = [q.get("speaker") or "", entities.get(q.get("speaker_entity") or "", "")]
        return any(needle in n.lower() for n in names if n)

    out = []
    for q in all_quotes:
        if (lang and (q.get("lang") or "") != lang) or (members is not None and q.get("article_id") not in members):
            continue
        if speaker and not speaker_ok(q):
            continue
        cluster = by_cluster.get(clusters["quote_cluster"].get(q.get("id") or "", ""))
        versions = []
        if cluster:
            for mid in cluster["members"]:
                if mid != q["id"] and mid in by_id:
                    other = by_id[mid]
                    versions.append({"id": mid, "article_id": other["article_id"], "lang": other.get("lang"),
                                     "speaker": other.get("speaker"), "content": other["content"],
                                     "published": article(other["article_id"]).get("published"),
                                     "original": mid == cluster["original"]})
        out.append({**q, "speaker_name": entities.get(q.get("speaker_entity") or "") or q.get("speaker"),
                    "article": article(q["article_id"]), "cluster": cluster["id"] if cluster else None,
                    "is_original": bool(cluster and cluster["original"] == q["id"]),
                    "original_reason": cluster["original_reason"] if cluster else None,
                    "versions": versions})
    out.sort(key=lambda r: (r["article"].get("published") or "\uffff", r["article_id"],
                            (r.get("content_span") or [0])[0]))
    return out[:limit] if limit else out


def api_row(row: dict[str, Any], live_ids: dict[str, str] | None = None) -> dict[str, Any]:
    """A collected quote in the REST API's shape."""
    span = row.get("content_span") or [None, None]
    entity = row.get("speaker_entity")
    art = row.get("article") or {}
    return {"id": row.get("id"), "article_id": row.get("article_id"), "speaker": row.get("speaker"),
            "speaker_entity_id": (live_ids or {}).get(entity or "", entity), "speaker_name": row.get("speaker_name"),
            "content": row.get("content"), "cue": row.get("cue"), "kind": row.get("kind"), "lang": row.get("lang"),
            "start": span[0], "end": span[1], "published": art.get("published"), "title": art.get("title"),
            "outlet": art.get("source"), "cluster": row.get("cluster"), "is_original": row.get("is_original"),
            "versions": row.get("versions", [])}


def api_rows(store: Store, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Collected quotes in the REST API's shape, each speaker entity mapped to its live id
    (entities are re-merged on every run, so a stored id may have been folded into another)."""
    from echolot.entities.query import entities_by_id

    wanted = {r["speaker_entity"] for r in rows if r.get("speaker_entity")}
    live = {k: v["id"] for k, v in entities_by_id(store, wanted).items()}
    return [api_row(r, live) for r in rows]

