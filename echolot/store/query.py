"""Read side over articles shared by the CLI and the REST API: filtered pages, one article, search, links.

Every function takes any `Store`. On the SQLite store the filters, counts and paging
run as parameterised SQL (user text is only ever bound, never spliced into a
statement); other backends get the same answers from the protocol methods, more
slowly. Paging uses opaque cursors so a client never builds one by hand.
"""
from __future__ import annotations

import base64
import datetime as dt
import html
import json
import re
import sqlite3
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from echolot.model import ReuseLink
    from echolot.store.base import Store

# Indexes the read routes need on a large store (filters by language, outlet and date; links by target).
READ_INDEXES = (
    "CREATE INDEX IF NOT EXISTS articles_lang_seq ON articles(lang, seq)",
    "CREATE INDEX IF NOT EXISTS articles_source_seq ON articles(source, seq)",
    "CREATE INDEX IF NOT EXISTS articles_published ON articles(published)",
    "CREATE INDEX IF NOT EXISTS links_target ON links(target)",
    "CREATE INDEX IF NOT EXISTS story_members_story ON story_members(story_id)",
)

RANK_WINDOW = 2000  # search ranks at most this many (newest) matches; see search()
MARK_OPEN, MARK_CLOSE = "\x02", "\x03"  # snippet sentinels, turned into <mark> after escaping
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class QueryError(ValueError):
    """A request the read side cannot answer; `status` is the HTTP code the API answers with."""

    status = 400


class NotFound(QueryError):
    status = 404


class Ambiguous(QueryError):
    status = 409


def sql_conn(store: Store) -> sqlite3.Connection | None:
    """The SQLite connection behind `store`, or None for other backends (they take the slow path)."""
    conn = getattr(store, "conn", None)
    return conn if isinstance(conn, sqlite3.Connection) else None


def ensure_indexes(store: Store) -> bool:
    """Create READ_INDEXES when missing (idempotent); False when the store is busy or not SQLite."""
    conn = sql_conn(store)
    if conn is None:
        return False
    try:
        for statement in READ_INDEXES:
            conn.execute(statement)
    except sqlite3.OperationalError:
        return False
    return True


# -- cursors -----------------------------------------------------------------------------------
def encode_cursor(value: dict[str, Any]) -> str:
    raw = json.dumps(value, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> dict[str, Any]:
    """The dict inside an opaque cursor; QueryError for anything this module did not write."""
    if not cursor:
        return {}
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        value = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise QueryError(f"invalid cursor {cursor[:40]!r}: pass back a next_cursor from an earlier page") from None
    if not isinstance(value, dict) or not all(isinstance(v, int) and v >= 0 for v in value.values()):
        raise QueryError("invalid cursor: pass back a next_cursor from an earlier page")
    return value


def offset_page(rows: list[Any], limit: int, cursor: str | None) -> dict[str, Any]:
    """{total, items, next_cursor} for a list already in memory (offset cursor)."""
    start = decode_cursor(cursor).get("o", 0)
    items = rows[start:start + limit]
    more = start + limit < len(rows)
    return {"total": len(rows), "items": items, "next_cursor": encode_cursor({"o": start + limit}) if more else None}


# -- small validators ------------------------------------------------------------------------------
def clean_text(value: str | None) -> str | None:
    """User text without control characters (NUL and friends); None when nothing is left."""
    if value is None:
        return None
    value = _CONTROL.sub("", value).strip()
    return value or None


def parse_day(value: str | None, name: str) -> str | None:
    """YYYY-MM-DD (a full ISO timestamp is cut to its date); QueryError for anything else."""
    value = clean_text(value)
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        raise QueryError(f"{name} expects a date like 2025-02-05, got {value[:40]!r}") from None


def _next_day(day: str) -> str:
    try:
        return (dt.date.fromisoformat(day) + dt.timedelta(days=1)).isoformat()
    except OverflowError:  # 9999-12-31: every stored date is before the day after it
        return "\uffff"


# -- ids -------------------------------------------------------------------------------------------
def resolve_prefix(candidates: Iterable[str], prefix: str, what: str) -> str:
    """The one id in `candidates` equal to or starting with `prefix` (NotFound / Ambiguous otherwise)."""
    prefix = clean_text(prefix) or ""
    if not prefix:
        raise QueryError(f"empty {what} id")
    hits: list[str] = []
    for candidate in candidates:
        if candidate == prefix:
            return candidate
        if candidate.startswith(prefix):
            hits.append(candidate)
    return _one(hits, prefix, what)


def _one(hits: list[str], prefix: str, what: str) -> str:
    if not hits:
        raise NotFound(f"no {what} {prefix[:80]!r}")
    if len(set(hits)) > 1:
        raise Ambiguous(f"{what} id prefix {prefix[:80]!r} is ambiguous ({len(set(hits))}+ matches); type more characters")
    return hits[0]


def sql_prefix(conn: sqlite3.Connection, table: str, prefix: str, what: str) -> str:
    """Prefix lookup through the table's primary/unique key index (table is a constant, never user text)."""
    if table not in ("articles", "stories"):  # the one name spliced into SQL: never user text
        raise ValueError(f"no prefix lookup for table {table!r}")
    prefix = clean_text(prefix) or ""
    if not prefix:
        raise QueryError(f"empty {what} id")
    rows = [r[0] for r in conn.execute(
        f"SELECT id FROM {table} WHERE id >= ? AND id < ? ORDER BY id LIMIT 3", (prefix, prefix + "\U0010ffff"))]
    if prefix in rows:
        return prefix
    return _one(rows, prefix, what)


def resolve_article(store: Store, prefix: str) -> str:
    """Full article id for an id or unique prefix."""
    conn = sql_conn(store)
    if conn is not None:
        return sql_prefix(conn, "articles", prefix, "article")
    return resolve_prefix((r["id"] for r in store.list_articles()), prefix, "article")


# -- article lists ------------------------------------------------------------------------------------
def fts_query(text: str, variants: Iterable[str] = ()) -> str | None:
    """An FTS5 MATCH string: every word of `text` quoted (so no user text is FTS syntax), OR any variant.

    Variants (other spellings of a name found in the query, e.g. Токаев for Tokayev) are
    matched as phrase prefixes so inflected forms (Токаева) count too.
    """
    def words(s: str) -> list[str]:
        return [w for w in _CONTROL.sub(" ", s).replace('"', " ").split() if w]

    terms = words(text)
    if not terms:
        return None
    parts = ["(" + " AND ".join(f'"{t}"' for t in terms) + ")"]
    for variant in variants:
        vw = words(variant)
        if vw and [w.lower() for w in vw] != [t.lower() for t in terms]:
            phrase = '"' + " ".join(vw) + '"'
            parts.append(phrase + ("*" if len(vw[-1]) >= 4 else ""))
    return " OR ".join(dict.fromkeys(parts))


_LIST_COLS = "a.seq, a.id, a.title, a.source, a.lang, a.published, a.url, m.story_id"


def _list_row(row: tuple[Any, ...]) -> dict[str, Any]:
    return {"id": row[1], "title": row[2], "outlet": row[3], "lang": row[4], "published": row[5],
            "url": row[6], "story_id": row[7]}


def list_articles(store: Store, *, lang: str | None = None, outlet: str | None = None, since: str | None = None,
                  until: str | None = None, story: str | None = None, q: str | None = None, limit: int = 50,
                  cursor: str | None = None) -> dict[str, Any]:
    """{total, items, next_cursor}: articles in ingest order matching every given filter."""
    since, until = parse_day(since, "since"), parse_day(until, "until")
    lang, outlet, q = clean_text(lang), clean_text(outlet), clean_text(q)
    story_id = None
    if story:
        from echolot.stories.query import resolve_story

        story_id = resolve_story(store, story)
    conn = sql_conn(store)
    if conn is None:
        return _list_articles_slow(store, lang, outlet, since, until, story_id, q, limit, cursor)
    where: list[str] = []
    params: list[object] = []
    if lang:
        where.append("a.lang = ?")
        params.append(lang)
    if outlet:
        where.append("a.source = ?")
        params.append(outlet)
    if since:
        where.append("a.published >= ?")
        params.append(since)
    if until:
        where.append("a.published < ?")
        params.append(_next_day(until))
    if story_id:
        where.append("m.story_id = ?")
        params.append(story_id)
    if q:
        match = fts_query(q)
        if match is None:
            return {"total": 0, "items": [], "next_cursor": None}
        where.append("a.seq IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)")
        params.append(match)
    base = " FROM articles a LEFT JOIN story_members m ON m.article_id = a.id"
    clause = (" WHERE " + " AND ".join(where)) if where else ""
    # the count joins story_members only when it filters by story (the join costs a lookup per row)
    count_base = base if story_id else " FROM articles a"
    total = int(conn.execute("SELECT COUNT(*)" + count_base + clause, params).fetchone()[0])
    after = decode_cursor(cursor).get("s", 0)
    page_clause = (clause + " AND " if clause else " WHERE ") + "a.seq > ?"
    rows = conn.execute(f"SELECT {_LIST_COLS}{base}{page_clause} ORDER BY a.seq LIMIT ?",
                        [*params, after, limit + 1]).fetchall()
    more = len(rows) > limit
    rows = rows[:limit]
    return {"total": total, "items": [_list_row(r) for r in rows],
            "next_cursor": encode_cursor({"s": int(rows[-1][0])}) if more and rows else None}


def _list_articles_slow(store: Store, lang: str | None, outlet: str | None, since: str | None, until: str | None,
                        story_id: str | None, q: str | None, limit: int, cursor: str | None) -> dict[str, Any]:
    story_of = {a.article_id: a.story_id for a in store.story_assignments()}
    hits = {r["id"] for r in store.search(q, limit=10**9)} if q else None
    rows = []
    for article in store.iter_articles():
        published = article.published or ""
        if (lang and article.lang != lang) or (outlet and article.source != outlet) \
                or (since and published < since) or (until and (not published or published >= _next_day(until))) \
                or (story_id and story_of.get(article.id) != story_id) or (hits is not None and article.id not in hits):
            continue
        rows.append({"id": article.id, "title": article.title, "outlet": article.source, "lang": article.lang,
                     "published": article.published, "url": article.url, "story_id": story_of.get(article.id)})
    return offset_page(rows, limit, cursor)


# -- one article ------------------------------------------------------------------------------------------
def story_of(store: Store, article_id: str) -> str | None:
    conn = sql_conn(store)
    if conn is not None:
        row = conn.execute("SELECT story_id FROM story_members WHERE article_id = ?", (article_id,)).fetchone()
        return row[0] if row else None
    return next((a.story_id for a in store.story_assignments() if a.article_id == article_id), None)


def link_dict(link: ReuseLink) -> dict[str, Any]:
    """A reuse link without its sentence evidence (the trace carries that)."""
    return {"source": link.source, "target": link.target, "kind": link.kind, "confidence": link.confidence,
            "reason": link.reason, "score": link.score, "directed": link.directed}


def article_detail(store: Store, prefix: str) -> dict[str, Any]:
    """The full article: text, sentences, entity mentions, quotes, narrative hits and reuse links."""
    from echolot.entities.query import entities_by_id

    article_id = resolve_article(store, prefix)
    article = store.get_article(article_id)
    if article is None:
        raise NotFound(f"no article {prefix[:80]!r}")
    mentions = store.annotations("mentions", article.id)
    known = entities_by_id(store, {m["entity_id"] for m in mentions if m.get("entity_id")})
    quotes = store.annotations("quotes", article.id)
    speakers = entities_by_id(store, {q["speaker_entity"] for q in quotes if q.get("speaker_entity")})
    return {
        "id": article.id, "title": article.title, "text": article.text, "outlet": article.source,
        "lang": article.lang, "published": article.published, "url": article.url,
        "declared_sources": list(article.declared_sources), "story_id": story_of(store, article.id),
        "external_id": article.external_id, "origin": article.origin,
        "sentences": [{"idx": s.index, "paragraph": s.paragraph, "text": s.text, "start": s.start, "end": s.end,
                       "lang": s.lang} for s in article.sentences],
        "entities": [{"entity_id": (known.get(m.get("entity_id") or "") or {}).get("id", m.get("entity_id")),
                      "name": (known.get(m.get("entity_id") or "") or {}).get("name") or m.get("text"),
                      "type": m.get("type"), "start": m.get("start"), "end": m.get("end"), "text": m.get("text")}
                     for m in mentions],
        "quotes": [quote_dict(q, speakers) for q in quotes],
        "narratives": store.annotations("narratives", article.id),
        "links": [link_dict(link) for link in store.links(article.id)],
    }


def quote_dict(q: dict[str, Any], speakers: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """A stored quote in the API's shape (speaker entity followed to its live id)."""
    entity = speakers.get(q.get("speaker_entity") or "") or {}
    span = q.get("content_span") or [None, None]
    return {"id": q.get("id"), "article_id": q.get("article_id"), "speaker": q.get("speaker"),
            "speaker_entity_id": entity.get("id", q.get("speaker_entity")),
            "speaker_name": entity.get("name") or q.get("speaker"), "content": q.get("content"),
            "cue": q.get("cue"), "kind": q.get("kind"), "lang": q.get("lang"), "start": span[0], "end": span[1]}


# -- search ---------------------------------------------------------------------------------------------
def marked_snippet(raw: str) -> str:
    """HTML-escape a snippet, then turn the sentinels around hits into <mark> (safe to insert as HTML)."""
    escaped = html.escape(raw, quote=True)
    out, depth = [], 0
    for char in escaped:
        if char == MARK_OPEN:
            if depth == 0:
                out.append("<mark>")
            depth += 1
        elif char == MARK_CLOSE:
            if depth == 1:
                out.append("</mark>")
            depth = max(0, depth - 1)
        else:
            out.append(char)
    if depth:
        out.append("</mark>")
    return "".join(out)


def search(store: Store, q: str, limit: int = 20, cursor: str | None = None,
           cross_language: bool = True) -> dict[str, Any]:
    """Full-text search; a query that names a known entity also finds its other spellings."""
    q = clean_text(q) or ""
    variants: list[str] = []
    entity = None
    if cross_language and q:
        from echolot.entities.query import find_entity

        entity = find_entity(store, q)
        if entity is not None:
            variants = [entity.get("name") or "", *entity.get("variants", [])][:30]
    match = fts_query(q, variants)
    expanded = {"entity": {"id": entity["id"], "name": entity.get("name"), "variants": variants[1:]}} if entity else {}
    if match is None:
        return {"total": 0, "items": [], "next_cursor": None, **expanded}
    conn = sql_conn(store)
    if conn is None:
        found = [{"id": r["id"], "title": r["title"], "outlet": r.get("source"), "lang": r["lang"],
                  "published": r["published"], "snippet": html.escape(r.get("snippet") or "")}
                 for r in store.search(q, limit=10**6)]
        return offset_page(found, limit, cursor) | expanded
    start = decode_cursor(cursor).get("o", 0)
    total = int(conn.execute("SELECT COUNT(*) FROM articles_fts WHERE articles_fts MATCH ?", (match,)).fetchone()[0])
    # bm25 ranking costs a score per match: a word in a quarter of 100k articles takes ~150 ms to rank.
    # Broad queries are therefore ranked among their newest RANK_WINDOW matches (news search favours
    # recent reports anyway); `total` still counts every match.
    # (pages inside one window share its ranking; a page past it widens the window by whole windows)
    window = RANK_WINDOW * -(-(start + limit) // RANK_WINDOW)
    rows = conn.execute(
        "SELECT a.id, a.title, a.source, a.lang, a.published,"
        " snippet(articles_fts, -1, ?, ?, '…', 16)"
        " FROM articles_fts JOIN articles a ON a.seq = articles_fts.rowid"
        " WHERE articles_fts MATCH ? AND articles_fts.rowid >= coalesce((SELECT rowid FROM articles_fts"
        "   WHERE articles_fts MATCH ? ORDER BY rowid DESC LIMIT 1 OFFSET ?), 0)"
        " ORDER BY rank LIMIT ? OFFSET ?",
        (MARK_OPEN, MARK_CLOSE, match, match, window - 1, limit, start)).fetchall()
    items = [{"id": r[0], "title": r[1], "outlet": r[2], "lang": r[3], "published": r[4],
              "snippet": marked_snippet(r[5] or "")} for r in rows]
    more = start + limit < total
    return {"total": total, "items": items, "next_cursor": encode_cursor({"o": start + limit}) if more else None,
            **expanded}


# -- links ----------------------------------------------------------------------------------------------
def list_links(store: Store, limit: int = 100, cursor: str | None = None) -> dict[str, Any]:
    """Reuse links without evidence, in (source, target) order, paged."""
    conn = sql_conn(store)
    if conn is None:
        found = [link_dict(l) for l in sorted(store.links(), key=lambda l: (l.source, l.target))]
        return offset_page(found, limit, cursor)
    start = decode_cursor(cursor).get("o", 0)
    total = int(conn.execute("SELECT COUNT(*) FROM links").fetchone()[0])
    rows = conn.execute("SELECT source, target, kind, confidence, reason, score, directed FROM links"
                        " ORDER BY source, target LIMIT ? OFFSET ?", (limit, start)).fetchall()
    keys = ("source", "target", "kind", "confidence", "reason", "score", "directed")
    items = [dict(zip(keys, r)) | {"directed": bool(r[6])} for r in rows]
    more = start + limit < total
    return {"total": total, "items": items, "next_cursor": encode_cursor({"o": start + limit}) if more else None}

