"""Read side of the entities stage: listing, finding by any variant, and the details view.

Kept apart from the stage so the CLI and the web server share one lookup that
understands folded spellings ("Tokajew" finds "Kassym-Jomart Tokayev") and
follows merged-away ids (a quote may still carry an id that was merged later).
"""
from __future__ import annotations

from collections import Counter
from typing import Any

from echolot.entities import MENTIONS, NER_STATUS
from echolot.entities.canonical import clean_surface, name_keys


def active_entities(store: Any, type_: str | None = None) -> list[dict[str, Any]]:
    """Live entities (no tombstones), most mentioned first."""
    out = [e for e in store.list_entities() if not e.get("merged_into")]
    if type_:
        out = [e for e in out if (e.get("type") or "").upper() == type_.upper()]
    return sorted(out, key=lambda e: (-int(e.get("mention_count") or 0), e.get("name") or ""))


def no_ner_languages(store: Any) -> dict[str, int]:
    """Language -> number of articles with at least one paragraph no NER model covers."""
    counts: Counter[str] = Counter()
    for status in store.annotations(NER_STATUS):
        for lang in (status.get("no_ner") or {}):
            counts[lang] += 1
    return dict(counts)


def find_entity(store: Any, name: str) -> dict[str, Any] | None:
    """The entity `name` refers to: an id, a variant (any case), or a folded spelling of one."""
    entities = store.list_entities()
    by_id = {e["id"]: e for e in entities}
    if name in by_id:
        return _follow(by_id, by_id[name])
    live = [e for e in entities if not e.get("merged_into")]
    lowered = name.strip().lower()
    exact = [e for e in live if any(v.lower() == lowered for v in e.get("variants", []))]
    if exact:
        return max(exact, key=lambda e: e.get("mention_count") or 0)
    keys = name_keys(clean_surface(name)[0])
    probes = {keys.key, keys.stem_key} - {None, ""}
    folded = [e for e in live if probes & (set(e.get("keys", [])) | set(e.get("stems", [])))]
    if not folded and keys.tokens:  # a surname alone: people whose full name ends with it
        folded = [e for e in live if e.get("type") == "PER"
                  and any(name_keys(v).surname == keys.surname for v in e.get("variants", []))]
    return max(folded, key=lambda e: e.get("mention_count") or 0) if folded else None


def _follow(by_id: dict[str, dict[str, Any]], entity: dict[str, Any]) -> dict[str, Any]:
    for _ in range(100):
        target = entity.get("merged_into")
        if not target or target not in by_id:
            break
        entity = by_id[target]
    return entity


def entity_details(store: Any, entity: dict[str, Any], max_articles: int = 50) -> dict[str, Any]:
    """Variants, languages, articles, co-mentioned entities and quotes by this entity."""
    ids = {entity["id"], *entity.get("aliases", [])}
    article_counts = Counter(entity.get("articles") or {})
    names = {e["id"]: e for e in store.list_entities()}
    co: Counter[str] = Counter()
    articles = []
    for article_id, count in article_counts.most_common(max_articles):
        others = {m.get("entity_id") for m in store.annotations(MENTIONS, article_id)} - ids - {None}
        co.update(_live_id(names, o) for o in others)
        meta = _article_meta(store, article_id)
        articles.append({"id": article_id, "mentions": count, **meta})
    co.pop(entity["id"], None)
    quotes = [q for q in store.annotations("quotes") if q.get("speaker_entity") in ids]
    return {
        "id": entity["id"], "name": entity.get("name"), "type": entity.get("type"),
        "mention_count": entity.get("mention_count", 0),
        "variants": [{"text": v, "count": (entity.get("variant_counts") or {}).get(v, 0)}
                     for v in entity.get("variants", [])],
        "languages": entity.get("langs") or {},
        "articles": articles,
        "co_mentioned": [{"id": i, "name": names[i].get("name") if i in names else i, "articles": n}
                         for i, n in co.most_common(15)],
        "quotes": quotes,
        "merge_reasons": entity.get("merge_reasons", []),
    }


def _live_id(by_id: dict[str, dict[str, Any]], entity_id: str) -> str:
    return _follow(by_id, by_id[entity_id])["id"] if entity_id in by_id else entity_id


def _article_meta(store: Any, article_id: str) -> dict[str, Any]:
    article = store.get_article(article_id)
    if article is None:
        return {"title": None, "lang": None, "source": None}
    return {"title": article.title, "lang": article.lang, "source": article.source}
