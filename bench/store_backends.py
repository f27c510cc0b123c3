"""Store operations on SQLite beside the same operations on PostgreSQL (the SQLite file is the baseline).

    python bench/store_backends.py [--n 5000] [--pg-url postgresql://...]

Builds N synthetic articles (three languages, 8-20 sentences each) in memory, then on each
backend: add them in batches of 200 (one transaction each), re-add them (all duplicates),
read them all back (`iter_articles`), list pending ids, 200 `get_article`, 100 searches,
and 20,000 vectors written and read back. Without --pg-url (or $ECHOLOT_TEST_PG_URL) a
throwaway cluster is started (tests/store/pgserver.py). PostgreSQL runs on the same machine
over TCP on 127.0.0.1, so the figures include a local round trip per statement.
"""
from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from echolot.ids import content_id
from echolot.model import Article, Sentence

WORDS = {
    "en": [
        "harbour", "strike", "minister", "talks", "report", "week", "city", "agency", "police", "treaty", "prices", "summit",
        "election"
    ],
    "de": [
        "Hafen", "Streik", "Minister", "Gespräche", "Bericht", "Woche", "Stadt", "Behörde", "Polizei", "Vertrag", "Preise",
        "Gipfel", "Wahl"
    ],
    "ru": ["порт", "забастовка", "министр", "переговоры", "доклад", "неделя", "город", "ведомство", "полиция", "договор", "цены", "выборы"],
}


def articles(n: int, seed: int) -> list[Article]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        lang = rng.choice(list(WORDS))
        sents = [" ".join(rng.choices(WORDS[lang], k=rng.randint(8, 16))).capitalize() + "."
                 for _ in range(rng.randint(8, 20))]
        text, title = " ".join(sents) + f" ({i})", " ".join(rng.sample(WORDS[lang], 4))
        pos, sentences = 0, []
        for j, s in enumerate(sents):
            sentences.append(Sentence(index=j, paragraph=j // 4, text=s, start=pos, end=pos + len(s), lang=lang))
            pos += len(s) + 1
        out.append(Article(id=content_id(text, title), text=text, title=title, lang=lang, source="bench",
                           sentences=sentences))
    return out


def run(store, items: list[Article], rng: random.Random) -> dict[str, float]:
    t: dict[str, float] = {}
    start = time.perf_counter()
    for i in range(0, len(items), 200):
        store.add_articles(items[i:i + 200])
    t["add (articles/s)"] = len(items) / (time.perf_counter() - start)
    start = time.perf_counter()
    for i in range(0, len(items), 200):
        assert store.add_articles(items[i:i + 200]) == []
    t["re-add duplicates (articles/s)"] = len(items) / (time.perf_counter() - start)
    start = time.perf_counter()
    assert sum(1 for _ in store.iter_articles()) == len(items)
    t["iter_articles (articles/s)"] = len(items) / (time.perf_counter() - start)
    start = time.perf_counter()
    assert len(store.pending("bench")) == len(items)
    t["pending (ms)"] = (time.perf_counter() - start) * 1000
    picks = rng.sample([a.id for a in items], 200)
    start = time.perf_counter()
    for pick in picks:
        store.get_article(pick)
    t["get_article (ms each)"] = (time.perf_counter() - start) * 1000 / len(picks)
    queries = [" ".join(rng.sample(WORDS[rng.choice(list(WORDS))], 2)) for _ in range(100)]
    start = time.perf_counter()
    for q in queries:
        store.search(q)
    t["search, 20 hits (ms each)"] = (time.perf_counter() - start) * 1000 / len(queries)
    vectors = {f"v{i}": rng.randbytes(512) for i in range(20000)}
    start = time.perf_counter()
    store.put_vectors(vectors)
    assert len(store.get_vectors(list(vectors))) == len(vectors)
    t["vectors put+get (vectors/s)"] = len(vectors) / (time.perf_counter() - start)
    return t


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--pg-url", default=os.environ.get("ECHOLOT_TEST_PG_URL"))
    args = parser.parse_args()

    import psycopg

    from echolot.store import SQLiteStore
    from echolot.store.postgres import PostgresStore
    from tests.store import pgserver
    from tests.store.conftest import with_schema

    items = articles(args.n, args.seed)
    folder = None
    url = args.pg_url
    if not url:
        folder = tempfile.mkdtemp(prefix="echolot-pg-bench-")
        url = pgserver.start(folder)
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'CREATE SCHEMA "{schema}"')
    try:
        with tempfile.TemporaryDirectory() as tmp, SQLiteStore(Path(tmp) / "bench.db") as lite:
            base = run(lite, items, random.Random(args.seed))
        with PostgresStore(with_schema(url, schema)) as pg:
            got = run(pg, items, random.Random(args.seed))
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f'DROP SCHEMA "{schema}" CASCADE')
        if folder:
            pgserver.stop(folder)
    print(f"{args.n} articles, {sum(len(a.sentences) for a in items)} sentences")
    print(f"{'operation':32s} {'SQLite':>10s} {'PostgreSQL':>11s}")
    for key in base:
        print(f"{key:32s} {base[key]:10.1f} {got[key]:11.1f}")


if __name__ == "__main__":
    main()
