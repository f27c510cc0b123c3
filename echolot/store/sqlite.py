"""SQLite backend: one file, WAL journal, one writer and many readers.

Every write is one short `BEGIN IMMEDIATE` transaction, so a crash (even kill -9)
leaves either the whole batch or none of it, writers queue behind each other
(busy timeout, then a few retries) instead of failing, and readers never wait:
in WAL mode they read the last committed state while a write is in progress.
Articles are keyed by their content hash, which makes re-ingesting a no-op.
"""
from __future__ import annotations

import json
import os
import re
import sqlite3
import threading
import time
from contextlib import contextmanager
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any
from collections.abc import Iterable, Iterator

try:  # POSIX; elsewhere the analysis lock is per process only
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]

from echolot.model import AlignedPair, Article, Rejection, ReuseLink, Sentence, StoryAssignment

SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT UNIQUE NOT NULL,
    title TEXT, text TEXT NOT NULL, lang TEXT, published TEXT, source TEXT, url TEXT,
    declared_sources TEXT NOT NULL DEFAULT '[]',
    data TEXT NOT NULL,
    ingested_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS sentences (
    article_id TEXT NOT NULL, idx INTEGER NOT NULL, paragraph INTEGER NOT NULL,
    lang TEXT, text TEXT NOT NULL, start INTEGER, end INTEGER,
    PRIMARY KEY (article_id, idx)
);
CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5(
    title, text, content='articles', content_rowid='seq', tokenize='unicode61 remove_diacritics 2'
);
CREATE TABLE IF NOT EXISTS origins (
    origin TEXT PRIMARY KEY, article_id TEXT, status TEXT NOT NULL, at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS rejections (
    origin TEXT NOT NULL, reason TEXT NOT NULL, at REAL NOT NULL, PRIMARY KEY (origin, reason)
);
CREATE TABLE IF NOT EXISTS stage_done (
    stage TEXT NOT NULL, article_id TEXT NOT NULL, PRIMARY KEY (stage, article_id)
);
CREATE TABLE IF NOT EXISTS stage_failed (
    stage TEXT NOT NULL, article_id TEXT NOT NULL, error TEXT NOT NULL, at REAL NOT NULL,
    PRIMARY KEY (stage, article_id)
);
CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, data BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS links (
    source TEXT NOT NULL, target TEXT NOT NULL, kind TEXT NOT NULL, score REAL,
    confidence REAL, directed INTEGER, reason TEXT, evidence TEXT,
    PRIMARY KEY (source, target)
);
CREATE INDEX IF NOT EXISTS links_target ON links(target);
CREATE TABLE IF NOT EXISTS stories (id TEXT PRIMARY KEY, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS story_members (
    article_id TEXT PRIMARY KEY, story_id TEXT NOT NULL, score REAL, reason TEXT
);
CREATE INDEX IF NOT EXISTS story_members_story ON story_members(story_id);
CREATE TABLE IF NOT EXISTS entities (id TEXT PRIMARY KEY, name TEXT, type TEXT, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS annotations (
    kind TEXT NOT NULL, article_id TEXT NOT NULL, data TEXT NOT NULL,
    PRIMARY KEY (kind, article_id)
);
CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value BLOB);
"""

BUSY_TIMEOUT_S = 60.0  # a writer waits this long for another writer's transaction before retrying
BEGIN_RETRIES = 3  # ... and retries BEGIN IMMEDIATE this many times more before giving up
_IN_CHUNK = 500  # ids per `IN (...)` query (SQLite allows 999 host parameters in older builds)

# tables whose rows name an article, with the column(s) holding its id (for `echolot check`)
ARTICLE_REFS: list[tuple[str, tuple[str, ...]]] = [
    ("sentences", ("article_id",)),
    ("origins", ("article_id",)),
    ("links", ("source", "target")),
    ("story_members", ("article_id",)),
    ("annotations", ("article_id",)),
    ("stage_done", ("article_id",)),
    ("stage_failed", ("article_id",)),
]
# per-article vectors are keyed "reuse.<kind>:<article id>"; text-keyed encoder caches are not
_VECTOR_ARTICLE = "substr(key, instr(key, ':') + 1)"
_VECTOR_ORPHANS = (f"FROM vectors WHERE key LIKE 'reuse.%:%'"
                   f" AND {_VECTOR_ARTICLE} NOT IN (SELECT id FROM articles)")

_FTS_TRIGGER = """
CREATE TRIGGER IF NOT EXISTS articles_ai AFTER INSERT ON articles BEGIN
  INSERT INTO articles_fts(rowid, title, text) VALUES (new.seq, new.title, new.text);
END;
"""


# every table, index and trigger the scripts create: when one is missing, the scripts run on open
_SCHEMA_NAMES = set(re.findall(r"CREATE (?:VIRTUAL )?(?:TABLE|INDEX|TRIGGER) IF NOT EXISTS (\w+)",
                               SCHEMA + _FTS_TRIGGER))


def _article_row(article: Article) -> tuple[Any, ...]:
    data = asdict(replace(article, sentences=[]))  # sentences have their own table
    data.pop("sentences")
    return (
        article.id, article.title, article.text, article.lang, article.published,
        article.source, article.url, json.dumps(article.declared_sources, ensure_ascii=False),
        json.dumps(data, ensure_ascii=False), time.time(),
    )



def fts_phrase_query(query: str) -> str:
    """A user's words as an FTS5 query of quoted terms: quotes and NUL/control characters (which
    end an FTS5 string early) become spaces, so no input is read as FTS5 syntax."""
    cleaned = "".join(" " if ch == '"' or ord(ch) < 32 else ch for ch in query)
    return " ".join(f'"{term}"' for term in cleaned.split())

class SQLiteStore:
    """The default store. Not thread-safe: open one per thread or process."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if str(self.path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.conn = sqlite3.connect(str(self.path), timeout=BUSY_TIMEOUT_S, isolation_level=None)
            self.conn.execute("PRAGMA journal_mode=WAL")
            present = {r[0] for r in self.conn.execute("SELECT name FROM sqlite_master")}
        except sqlite3.DatabaseError as exc:
            raise ValueError(f"{self.path} is not an echolot store ({exc})") from exc
        self.conn.execute("PRAGMA synchronous=NORMAL")
        self.conn.execute("PRAGMA foreign_keys=ON")
        if not present >= _SCHEMA_NAMES:  # new or older store; opening a current one writes nothing
            self.conn.executescript(SCHEMA + _FTS_TRIGGER)
        self._thread_lock = threading.Lock()

    # -- plumbing -------------------------------------------------------------------
    def _tx(self) -> _Transaction:
        return _Transaction(self.conn)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> SQLiteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- articles -------------------------------------------------------------------
    def has_article(self, article_id: str) -> bool:
        row = self.conn.execute("SELECT 1 FROM articles WHERE id=?", (article_id,)).fetchone()
        return row is not None

    def add_articles(self, articles: Iterable[Article]) -> list[str]:
        new: list[str] = []
        with self._tx():
            for article in articles:
                cur = self.conn.execute(
                    "INSERT OR IGNORE INTO articles (id, title, text, lang, published, source, url,"
                    " declared_sources, data, ingested_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
                    _article_row(article),
                )
                if cur.rowcount == 0:
                    continue
                new.append(article.id)
                self.conn.executemany(
                    "INSERT OR REPLACE INTO sentences VALUES (?,?,?,?,?,?,?)",
                    [(article.id, s.index, s.paragraph, s.lang, s.text, s.start, s.end)
                     for s in article.sentences],
                )
        return new

    def _load(self, row: sqlite3.Row | tuple[Any, ...]) -> Article:
        data = json.loads(row[0])
        sentences = [
            Sentence(index=r[0], paragraph=r[1], lang=r[2], text=r[3], start=r[4], end=r[5])
            for r in self.conn.execute(
                "SELECT idx, paragraph, lang, text, start, end FROM sentences"
                " WHERE article_id=? ORDER BY idx", (data["id"],))
        ]
        return Article(**data, sentences=sentences)

    def get_article(self, article_id: str) -> Article | None:
        row = self.conn.execute("SELECT data FROM articles WHERE id=?", (article_id,)).fetchone()
        return self._load(row) if row else None

    def iter_articles(self, ids: Iterable[str] | None = None) -> Iterator[Article]:
        if ids is None:
            rows = self.conn.execute("SELECT data FROM articles ORDER BY seq").fetchall()
            for row in rows:
                yield self._load(row)
            return
        for article_id in ids:
            article = self.get_article(article_id)
            if article is not None:
                yield article

    def list_articles(self, limit: int | None = None) -> list[dict[str, Any]]:
        sql = "SELECT id, title, lang, published, source FROM articles ORDER BY seq"
        params: tuple[Any, ...] = ()
        if limit is not None:
            sql += " LIMIT ?"
            params = (limit,)
        keys = ("id", "title", "lang", "published", "source")
        return [dict(zip(keys, row)) for row in self.conn.execute(sql, params)]

    def count_articles(self) -> int:
        return int(self.conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0])

    def published_times(self, ids: Iterable[str]) -> dict[str, str | None]:
        wanted = list(dict.fromkeys(ids))
        out: dict[str, str | None] = {}
        for i in range(0, len(wanted), _IN_CHUNK):
            chunk = wanted[i:i + _IN_CHUNK]
            marks = ",".join("?" * len(chunk))
            out.update(self.conn.execute(f"SELECT id, published FROM articles WHERE id IN ({marks})", chunk))
        return out

    def search(self, query: str, limit: int = 20) -> list[dict[str, Any]]:
        """Full-text search; the query is quoted term by term so user input never breaks FTS syntax."""
        fts_query = fts_phrase_query(query)
        if not fts_query:
            return []
        rows = self.conn.execute(
            "SELECT a.id, a.title, a.lang, a.published, a.source,"
            " snippet(articles_fts, 1, '[', ']', '…', 12)"
            " FROM articles_fts JOIN articles a ON a.seq = articles_fts.rowid"
            " WHERE articles_fts MATCH ? ORDER BY rank LIMIT ?",
            (fts_query, limit),
        ).fetchall()
        keys = ("id", "title", "lang", "published", "source", "snippet")
        return [dict(zip(keys, row)) for row in rows]

    def resolve_id(self, prefix: str) -> str | None:
        """Full id for a unique id prefix (users type the first few characters)."""
        rows = self.conn.execute(
            "SELECT id FROM articles WHERE id >= ? AND id < ? LIMIT 2", (prefix, prefix + "\uffff")
        ).fetchall()
        if len(rows) == 1:
            return str(rows[0][0])
        return prefix if any(r[0] == prefix for r in rows) else None

    # -- ingest bookkeeping -------------------------------------------------------------
    def add_rejections(self, rejections: Iterable[Rejection]) -> None:
        with self._tx():
            self.conn.executemany(
                "INSERT OR REPLACE INTO rejections VALUES (?,?,?)",
                [(r.origin, r.reason, time.time()) for r in rejections],
            )

    def mark_origin(self, origin: str, article_id: str | None, status: str) -> None:
        with self._tx():
            self.conn.execute(
                "INSERT OR REPLACE INTO origins VALUES (?,?,?,?)", (origin, article_id, status, time.time())
            )

    def origin_status(self, origin: str) -> str | None:
        row = self.conn.execute("SELECT status FROM origins WHERE origin=?", (origin,)).fetchone()
        return row[0] if row else None

    # -- incremental stages ----------------------------------------------------------------
    def pending(self, stage: str) -> list[str]:
        rows = self.conn.execute(
            "SELECT id FROM articles WHERE id NOT IN (SELECT article_id FROM stage_done WHERE stage=?)"
            " AND id NOT IN (SELECT article_id FROM stage_failed WHERE stage=?)"
            " ORDER BY seq", (stage, stage),
        )
        return [r[0] for r in rows]

    def mark_done(self, stage: str, article_ids: Iterable[str]) -> None:
        rows = [(stage, a) for a in article_ids]
        with self._tx():
            self.conn.executemany("INSERT OR IGNORE INTO stage_done VALUES (?,?)", rows)
            self.conn.executemany("DELETE FROM stage_failed WHERE stage=? AND article_id=?", rows)

    def unmark(self, stage: str, article_ids: Iterable[str]) -> int:
        rows = [(stage, a) for a in article_ids]
        with self._tx():
            before = self.conn.total_changes
            self.conn.executemany("DELETE FROM stage_done WHERE stage=? AND article_id=?", rows)
            return self.conn.total_changes - before

    def done_ids(self, stage: str) -> set[str]:
        return {r[0] for r in self.conn.execute("SELECT article_id FROM stage_done WHERE stage=?", (stage,))}

    # -- stage failures ------------------------------------------------------------------------
    def mark_failed(self, stage: str, errors: dict[str, str]) -> None:
        now = time.time()
        with self._tx():
            self.conn.executemany(
                "INSERT OR REPLACE INTO stage_failed VALUES (?,?,?,?)",
                [(stage, article_id, error, now) for article_id, error in errors.items()],
            )

    def failed(self, stage: str | None = None) -> list[dict[str, Any]]:
        sql = "SELECT stage, article_id, error, at FROM stage_failed"
        params: tuple[Any, ...] = ()
        if stage is not None:
            sql += " WHERE stage=?"
            params = (stage,)
        keys = ("stage", "article_id", "error", "at")
        return [dict(zip(keys, row)) for row in self.conn.execute(sql + " ORDER BY at, stage, article_id", params)]

    def clear_failed(self, stage: str | None = None) -> int:
        with self._tx():
            if stage is None:
                cur = self.conn.execute("DELETE FROM stage_failed")
            else:
                cur = self.conn.execute("DELETE FROM stage_failed WHERE stage=?", (stage,))
            return int(cur.rowcount)

    # -- consistency ----------------------------------------------------------------------------
    def _orphan_where(self, columns: tuple[str, ...]) -> str:
        return " OR ".join(f"({c} IS NOT NULL AND {c} NOT IN (SELECT id FROM articles))" for c in columns)

    def orphans(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for table, columns in ARTICLE_REFS:
            where = self._orphan_where(columns)
            n = int(self.conn.execute(f"SELECT COUNT(*) FROM {table} WHERE {where}").fetchone()[0])
            if n:
                out[table] = n
        n = int(self.conn.execute(f"SELECT COUNT(*) {_VECTOR_ORPHANS}").fetchone()[0])
        if n:
            out["vectors"] = n
        return out

    def drop_orphans(self) -> dict[str, int]:
        out: dict[str, int] = {}
        with self._tx():
            for table, columns in ARTICLE_REFS:
                cur = self.conn.execute(f"DELETE FROM {table} WHERE {self._orphan_where(columns)}")
                if cur.rowcount:
                    out[table] = int(cur.rowcount)
            cur = self.conn.execute(f"DELETE {_VECTOR_ORPHANS}")
            if cur.rowcount:
                out["vectors"] = int(cur.rowcount)
        return out

    def index_problems(self) -> list[str]:
        problems: list[str] = []
        try:
            rows = [r[0] for r in self.conn.execute("PRAGMA integrity_check")]
        except sqlite3.DatabaseError as exc:
            return [f"integrity check failed: {exc}"]
        if rows != ["ok"]:
            problems += [f"integrity check: {r}" for r in rows[:20]]
        articles = self.count_articles()
        indexed = int(self.conn.execute("SELECT COUNT(*) FROM articles_fts_docsize").fetchone()[0])
        if indexed != articles:
            problems.append(f"full-text index holds {indexed} document(s) for {articles} article(s)")
        try:  # rank 1: also compare the index with the articles table it indexes
            self.conn.execute("INSERT INTO articles_fts(articles_fts, rank) VALUES('integrity-check', 1)")
        except sqlite3.DatabaseError as exc:
            problems.append(f"full-text index does not match the articles ({exc})")
        return problems

    def rebuild_index(self) -> None:
        with self._tx():
            self.conn.execute("INSERT INTO articles_fts(articles_fts) VALUES('rebuild')")

    def annotated_ids(self, kind: str) -> set[str]:
        return {r[0] for r in self.conn.execute("SELECT article_id FROM annotations WHERE kind=?", (kind,))}

    @contextmanager
    def exclusive(self, timeout: float | None = None) -> Iterator[None]:
        """A lock file `<store>.lock` (flock: released by the kernel even when the holder is killed)."""
        if str(self.path) == ":memory:" or fcntl is None:
            with self._thread_lock:
                yield
            return
        deadline = None if timeout is None else time.monotonic() + timeout
        fd = os.open(str(self.path) + ".lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if deadline is not None and time.monotonic() >= deadline:
                        raise TimeoutError(f"another process is analysing {self.path}; "
                                           f"waited {timeout:g} s") from None
                    time.sleep(0.1)
            try:
                yield
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    # -- vectors ------------------------------------------------------------------------
    def get_vectors(self, keys: list[str]) -> dict[str, bytes]:
        out: dict[str, bytes] = {}
        for i in range(0, len(keys), 500):
            chunk = keys[i:i + 500]
            marks = ",".join("?" * len(chunk))
            for key, data in self.conn.execute(f"SELECT key, data FROM vectors WHERE key IN ({marks})", chunk):
                out[key] = data
        return out

    def put_vectors(self, items: dict[str, bytes]) -> None:
        with self._tx():
            self.conn.executemany("INSERT OR REPLACE INTO vectors VALUES (?,?)", list(items.items()))

    # -- reuse ---------------------------------------------------------------------------
    def put_links(self, links: Iterable[ReuseLink]) -> None:
        with self._tx():
            for link in links:
                self.conn.execute(
                    "DELETE FROM links WHERE source=? AND target=?", (link.target, link.source)
                )
                self.conn.execute(
                    "INSERT OR REPLACE INTO links VALUES (?,?,?,?,?,?,?,?)",
                    (link.source, link.target, link.kind, link.score, link.confidence,
                     int(link.directed), link.reason,
                     json.dumps([asdict(e) for e in link.evidence], ensure_ascii=False)),
                )

    def links(self, article_id: str | None = None) -> list[ReuseLink]:
        if article_id is None:
            rows = self.conn.execute("SELECT * FROM links").fetchall()
        else:
            rows = self.conn.execute(
                "SELECT * FROM links WHERE source=? OR target=?", (article_id, article_id)
            ).fetchall()
        return [
            ReuseLink(source=r[0], target=r[1], kind=r[2], score=r[3], confidence=r[4],
                      directed=bool(r[5]), reason=r[6] or "",
                      evidence=[AlignedPair(**e) for e in json.loads(r[7] or "[]")])
            for r in rows
        ]

    # -- stories -------------------------------------------------------------------------
    def put_story_assignments(self, assignments: Iterable[StoryAssignment]) -> None:
        with self._tx():
            self.conn.executemany(
                "INSERT OR REPLACE INTO story_members VALUES (?,?,?,?)",
                [(a.article_id, a.story_id, a.score, a.reason) for a in assignments],
            )

    def story_assignments(self, story_id: str | None = None) -> list[StoryAssignment]:
        if story_id is None:
            rows = self.conn.execute("SELECT * FROM story_members").fetchall()
        else:
            rows = self.conn.execute("SELECT * FROM story_members WHERE story_id=?", (story_id,)).fetchall()
        return [StoryAssignment(article_id=r[0], story_id=r[1], score=r[2], reason=r[3] or "") for r in rows]

    def put_story(self, story_id: str, data: dict[str, Any]) -> None:
        with self._tx():
            self.conn.execute(
                "INSERT OR REPLACE INTO stories VALUES (?,?)", (story_id, json.dumps(data, ensure_ascii=False))
            )

    def get_story(self, story_id: str) -> dict[str, Any] | None:
        row = self.conn.execute("SELECT data FROM stories WHERE id=?", (story_id,)).fetchone()
        return json.loads(row[0]) if row else None

    def list_stories(self) -> list[dict[str, Any]]:
        return [json.loads(r[0]) for r in self.conn.execute("SELECT data FROM stories")]

    # -- entities ------------------------------------------------------------------------
    def put_entities(self, entities: Iterable[dict[str, Any]]) -> None:
        with self._tx():
            self.conn.executemany(
                "INSERT OR REPLACE INTO entities VALUES (?,?,?,?)",
                [(e["id"], e.get("name"), e.get("type"), json.dumps(e, ensure_ascii=False)) for e in entities],
            )

    def list_entities(self) -> list[dict[str, Any]]:
        return [json.loads(r[0]) for r in self.conn.execute("SELECT data FROM entities")]

    def clear_entities(self) -> None:
        with self._tx():
            self.conn.execute("DELETE FROM entities")

    # -- annotations -----------------------------------------------------------------------
    def put_annotations(self, kind: str, article_id: str, records: list[dict[str, Any]]) -> None:
        with self._tx():
            self.conn.execute(
                "INSERT OR REPLACE INTO annotations VALUES (?,?,?)",
                (kind, article_id, json.dumps(records, ensure_ascii=False)),
            )

    def annotations(self, kind: str, article_id: str | None = None) -> list[dict[str, Any]]:
        if article_id is None:
            rows = self.conn.execute("SELECT data FROM annotations WHERE kind=?", (kind,)).fetchall()
        else:
            rows = self.conn.execute(
                "SELECT data FROM annotations WHERE kind=? AND article_id=?", (kind, article_id)
            ).fetchall()
        return [record for row in rows for record in json.loads(row[0])]

    # -- state -------------------------------------------------------------------------------
    def get_state(self, key: str) -> bytes | None:
        row = self.conn.execute("SELECT value FROM state WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    def put_state(self, key: str, value: bytes) -> None:
        with self._tx():
            self.conn.execute("INSERT OR REPLACE INTO state VALUES (?,?)", (key, value))


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, rolled back on any exception (nested calls join the outer one)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.outer = False

    def __enter__(self) -> None:
        if self.conn.in_transaction:
            return
        for attempt in range(BEGIN_RETRIES + 1):
            try:  # the busy timeout already waited; a writer that held on longer gets a few more chances
                self.conn.execute("BEGIN IMMEDIATE")
                break
            except sqlite3.OperationalError as exc:
                if attempt == BEGIN_RETRIES or ("locked" not in str(exc) and "busy" not in str(exc)):
                    raise
                time.sleep(0.5 * (attempt + 1))
        self.outer = True

    def __exit__(self, exc_type: object, *rest: object) -> None:
        if not self.outer:
            return
        if exc_type is None:
            self.conn.execute("COMMIT")
        else:
            self.conn.execute("ROLLBACK")
