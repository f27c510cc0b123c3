"""Read side of the entities stage: listing, finding by any variant, and the details view.

Kept apart from the stage so the CLI and the web server share one lookup that
understands folded spellings ("Tokajew" finds "Kassym-Jomart Tokayev") and
follows merged-away ids (a quote may still carry an id that was merged later).
"""
from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from echolot.entities.canonical import clean_surface, name_keys
from echolot.entities.places import lookup
from echolot.entities.stage import MENTIONS, NER_STATUS

if TYPE_CHECKING:
    from echolot.store.base import Store


def active_entities(store: Store, type_: str | None = None) -> list[dict[str, Any]]:
    """Live entities (no tombstones), most mentioned first."""
    out = [e for e in store.list_entities() if not e.get("merged_into")]
    if type_:
        out = [e for e in out if (e.get("type") or "").upper() == type_.upper()]
    return sorted(out, key=lambda e: (-int(e.get("mention_count") or 0), e.get("name") or ""))


def no_ner_languages(store: Store) -> dict[str, int]:
    """Language -> number of articles with at least one paragraph no NER model covers."""
    counts: Counter[str] = Counter()
    for status in store.annotations(NER_STATUS):
        for lang in (status.get("no_ner") or {}):
            counts[lang] += 1
    return dict(counts)


def find_entity(store: Store, name: str) -> dict[str, Any] | None:
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
    if not folded:  # a known place or institution by any of its names ("МИД России", "Russian Foreign Ministry")
        place = lookup(clean_surface(name)[0], None)
        if place is not None:
            folded = [e for e in live if place.key in e.get("keys", [])]
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


def entity_details(store: Store, entity: dict[str, Any], max_articles: int = 50) -> dict[str, Any]:
    """Variants, languages, articles, co-mentioned entities and quotes by this entity."""
    ids = {entity["id"], *entity.get("aliases", [])}
    article_counts = Counter(entity.get("articles") or {})
    names = {e["id"]: e for e in store.list_entities()}
    co: Counter[str] = Counter()
    articles = []
    for article_id, count in article_counts.most_common(max_articles):
        others = {str(m["entity_id"]) for m in store.annotations(MENTIONS, article_id) if m.get("entity_id")} - ids
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


def _article_meta(store: Store, article_id: str) -> dict[str, Any]:
    article = store.get_article(article_id)
    if article is None:
        return {"title": None, "lang": None, "source": None, "published": None}
    return {"title": article.title, "lang": article.lang, "source": article.source, "published": article.published}


# -- shared with the REST API -------------------------------------------------------------------------
def entities_by_id(store: Store, ids: set[str]) -> dict[str, dict[str, Any]]:
    """Given (possibly merged-away) entity ids -> the live entity each one now belongs to."""
    if not ids:
        return {}
    by_id = {e["id"]: e for e in store.list_entities()}
    return {i: _follow(by_id, by_id[i]) for i in ids if i in by_id}


def _folded(text: str) -> str:
    from unidecode import unidecode

    return unidecode(text).lower()


def list_entities(store: Store, q: str | None = None, type_: str | None = None) -> list[dict[str, Any]]:
    """Live entities, most mentioned first; `q` keeps those with a variant containing it (any script)."""
    rows = active_entities(store, type_)
    if q:
        needle, folded = q.lower(), _folded(q)
        rows = [e for e in rows if any(needle in v.lower() or folded in _folded(v)
                                       for v in [e.get("name") or "", *e.get("variants", [])])]
    return [{"id": e["id"], "name": e.get("name"), "type": e.get("type"),
             "mention_count": int(e.get("mention_count") or 0), "variants": e.get("variants", []),
             "langs": e.get("langs") or {}} for e in rows]


def resolve_entity(store: Store, key: str) -> dict[str, Any]:
    """The live entity for an id, a unique id prefix, or a name in any spelling (NotFound/Ambiguous)."""
    from echolot.store.query import Ambiguous, NotFound, QueryError, clean_text

    key = clean_text(key) or ""
    if not key:
        raise QueryError("empty entity id or name")
    entities = store.list_entities()
    by_id = {e["id"]: e for e in entities}
    if key in by_id:
        return _follow(by_id, by_id[key])
    prefixed = {_follow(by_id, e)["id"] for e in entities if len(key) >= 4 and e["id"].startswith(key)}
    if len(prefixed) == 1:
        return by_id[prefixed.pop()]
    if len(prefixed) > 1:
        raise Ambiguous(f"entity id prefix {key[:80]!r} is ambiguous ({len(prefixed)} entities); type more characters")
    found = find_entity(store, key)
    if found is None:
        raise NotFound(f"no entity matches {key[:80]!r}")
    return found


def entity_view(store: Store, entity: dict[str, Any], max_articles: int = 200) -> dict[str, Any]:
    """The entity page: variants by language, mentions per day, quotes, co-mentions, articles."""
    from echolot.store.query import quote_dict

    details = entity_details(store, entity, max_articles=max_articles)
    ids = {entity["id"], *entity.get("aliases", [])}
    variants: Counter[tuple[str, str]] = Counter()
    by_day: Counter[str] = Counter()
    for article in details["articles"]:
        lang = article.get("lang") or ""
        for m in store.annotations(MENTIONS, article["id"]):
            if m.get("entity_id") in ids:
                variants[(m.get("text") or "", m.get("lang") or lang)] += 1
        day = (article.get("published") or "")[:10]
        if day:
            by_day[day] += article["mentions"]
    names = {e["id"]: e for e in store.list_entities()}
    types = {i: (names.get(i) or {}).get("type") for i in (c["id"] for c in details["co_mentioned"])}
    speakers = {i: entity for i in ids}
    return {
        "id": entity["id"], "name": entity.get("name"), "type": entity.get("type"),
        "mention_count": details["mention_count"], "languages": details["languages"],
        "variants": [{"name": n, "lang": l or None, "count": c} for (n, l), c in variants.most_common()]
        or [{"name": v["text"], "lang": None, "count": v["count"]} for v in details["variants"]],
        "mentions_by_day": [{"date": d, "count": c} for d, c in sorted(by_day.items())],
        "quotes": [quote_dict(q, speakers) for q in details["quotes"]],
        "co_mentions": [{"id": c["id"], "name": c["name"], "type": types.get(c["id"]), "count": c["articles"]}
                        for c in details["co_mentioned"]],
        "articles": [{"id": a["id"], "title": a.get("title"), "outlet": a.get("source"), "lang": a.get("lang"),
                      "published": a.get("published"), "mentions": a["mentions"]} for a in details["articles"]],
        "merge_reasons": details["merge_reasons"],
    }
