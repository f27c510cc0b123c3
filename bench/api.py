"""REST API read latency and throughput on a store of 100k articles, from a bounded load generator on loopback.

    python bench/api.py --dir /tmp/echolot-bench-api                 # 100k articles, 600 requests per route
    python bench/api.py --dir /tmp/b --articles 20000 --requests 200 --threads 2

The store is synthetic and written directly through the Store (`add_articles`,
`put_story`, `put_story_assignments`, `put_links`): generated multilingual-looking
text (Zipf-distributed pseudo-words, 6-14 sentences), 60 outlets, 4 languages, dates
over 2025, stories of 3-15 articles with copy/translation links (with aligned
sentence evidence) inside them. No analysis stage runs (no encoder, NER or quotes),
so the figures measure the API and the store's reads, not the analysis. The store
is cached under --dir and reused when it already holds the requested count.

The server runs in its own process (uvicorn, one worker, bound to 127.0.0.1 only);
the load generator runs N client threads, each sending a fixed share of a fixed
number of requests per route, and reports requests/s and p50/p99 latency. The
baseline in the same run is GET /api/v1/health (a one-row count: the framework's
floor), so figures from a loaded machine can be compared to it.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from collections.abc import Callable

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from echolot.ids import content_id
from echolot.model import AlignedPair, Article, ReuseLink, Sentence, StoryAssignment
from echolot.store import SQLiteStore

LANGS = ("en", "de", "ru", "fr")
SYLLABLES = {"en": "ka ro mi sel dan tor ber ing ath wen", "de": "sch au ei ber gen lich ung keit stra wer",
             "fr": "ou eau ment ion tre que gne vre lle ais", "ru": "ов ка ни ст ра ло ем ди жа ть"}


def _vocabulary(rng: random.Random, lang: str, size: int = 6000) -> list[str]:
    parts = SYLLABLES[lang].split()
    return ["".join(rng.choice(parts) for _ in range(rng.randint(2, 4))) for _ in range(size)]


def _sentence(rng: random.Random, vocab: list[str], weights: list[float]) -> str:
    words = rng.choices(vocab, weights=weights, k=rng.randint(6, 18))
    return " ".join(words).capitalize() + "."


def _article(rng: random.Random, n: int, lang: str, vocab: list[str], weights: list[float],
             outlets: list[str]) -> Article:
    sentences = [_sentence(rng, vocab, weights) for _ in range(rng.randint(6, 14))]
    groups = [sentences[i:i + 3] for i in range(0, len(sentences), 3)]
    paragraphs = [" ".join(g) for g in groups]
    text = "\n\n".join(paragraphs)
    title = _sentence(rng, vocab, weights)[:-1] + f" {n}"
    out, pos = [], 0
    for p_index, group in enumerate(groups):
        pos += 2 if p_index else 0
        for j, s in enumerate(group):
            pos += 1 if j else 0
            out.append(Sentence(index=len(out), paragraph=p_index, text=s, lang=lang, start=pos, end=pos + len(s)))
            pos += len(s)
    day = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(365))
    published = day.isoformat() if rng.random() > 0.05 else None  # some undated, as in real feeds
    return Article(id=content_id(text, title), text=text, title=title, published=published,
                   source=rng.choice(outlets), lang=lang, paragraphs=paragraphs, paragraph_langs=[lang] * len(paragraphs),
                   sentences=out, origin=f"bench:{n}")


def build_store(path: Path, count: int, seed: int = 7) -> dict[str, list[str]]:
    """Write `count` synthetic articles, stories and links; returns sample ids for the load generator."""
    rng = random.Random(seed)
    vocab = {lang: _vocabulary(rng, lang) for lang in LANGS}
    weights = [1.0 / (rank + 1) for rank in range(6000)]
    outlets = [f"outlet{n:02d}.example" for n in range(60)]
    store = SQLiteStore(path)
    done, story_n = 0, 0
    t0 = time.time()
    try:
        while done < count:
            batch: list[Article] = []
            assignments: list[StoryAssignment] = []
            links: list[ReuseLink] = []
            stories: list[tuple[str, dict[str, object]]] = []
            while len(batch) < 2000 and done + len(batch) < count:
                size = min(rng.randint(3, 15), count - done - len(batch))
                lang = rng.choice(LANGS)
                members = [_article(rng, done + len(batch) + k, rng.choice((lang, lang, rng.choice(LANGS))),
                                    vocab[lang], weights, outlets) for k in range(size)]
                story_id = f"s{story_n:08x}{rng.getrandbits(32):08x}"
                story_n += 1
                batch += members
                assignments += [StoryAssignment(m.id, story_id, 0.9, "bench") for m in members]
                for copy in members[1:min(size, 4)]:
                    pairs = [AlignedPair(i, i, 0.95, a.text, b.text)
                             for i, (a, b) in enumerate(zip(members[0].sentences[:5], copy.sentences[:5]))]
                    kind = "copy" if copy.lang == members[0].lang else "translation"
                    links.append(ReuseLink(members[0].id, copy.id, kind, 0.9, 0.8, True, "bench link", pairs))
                dates = sorted(m.published for m in members if m.published)
                stories.append((story_id, {
                    "id": story_id, "label": members[0].title, "labels": {}, "count": size,
                    "languages": {l: sum(m.lang == l for m in members) for l in {m.lang for m in members}},
                    "outlets": {}, "first_seen": dates[0] if dates else None, "last_seen": dates[-1] if dates else None,
                    "reuse_groups": []}))
            store.add_articles(batch)
            store.put_story_assignments(assignments)
            store.put_links(links)
            with store._tx():  # one transaction for the batch's story summaries
                for story_id, data in stories:
                    store.put_story(story_id, data)
            done += len(batch)
            print(f"  built {done}/{count} articles ({time.time() - t0:.0f} s)", file=sys.stderr)
    finally:
        store.close()
    return sample_ids(path)


def sample_ids(path: Path, n: int = 2000, seed: int = 3) -> dict[str, list[str]]:
    import sqlite3

    rng = random.Random(seed)
    with sqlite3.connect(path) as conn:
        total = conn.execute("SELECT MAX(seq) FROM articles").fetchone()[0] or 0
        seqs = [rng.randint(1, total) for _ in range(n)]
        ids = [r[0] for s in seqs for r in conn.execute("SELECT id FROM articles WHERE seq=?", (s,))]
        marks = ",".join("?" * len(ids[:500]))
        stories = [r[0] for r in conn.execute(f"SELECT story_id FROM story_members WHERE article_id IN ({marks})",
                                              ids[:500])]
        words = []
        for (text,) in conn.execute(f"SELECT title FROM articles WHERE seq IN ({','.join('?' * 300)})", seqs[:300]):
            words.append(rng.choice(text.split()[:-1]))
    return {"articles": ids, "stories": stories, "words": words}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


SERVER = """
import sys, uvicorn
from pathlib import Path
from echolot.server import create_app
from echolot.settings import Settings
settings = Settings(home=Path(sys.argv[1]), db=Path(sys.argv[2]))
if int(sys.argv[4]) > 0:
    import echolot.store.query as q
    q.RANK_WINDOW = int(sys.argv[4])
uvicorn.run(create_app(settings), host="127.0.0.1", port=int(sys.argv[3]), log_level="warning", access_log=False)
"""


def load(base: str, name: str, urls: Callable[[random.Random], str], requests: int, threads: int) -> dict[str, object]:
    """Send `requests` GETs from `threads` threads; latency per request, errors counted."""
    import httpx

    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def worker(k: int) -> None:
        rng = random.Random(k)
        mine: list[float] = []
        with httpx.Client(base_url=base, timeout=60) as client:
            for _ in range(requests // threads):
                url = urls(rng)
                t = time.perf_counter()
                r = client.get(url)
                mine.append(time.perf_counter() - t)
                if r.status_code != 200:
                    with lock:
                        errors[0] += 1
        with lock:
            latencies.extend(mine)

    t0 = time.perf_counter()
    pool = [threading.Thread(target=worker, args=(k,)) for k in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    wall = time.perf_counter() - t0
    latencies.sort()
    q = statistics.quantiles(latencies, n=100)
    return {"route": name, "requests": len(latencies), "errors": errors[0], "rps": round(len(latencies) / wall, 1),
            "p50_ms": round(q[49] * 1000, 1), "p99_ms": round(q[98] * 1000, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dir", type=Path, required=True, help="Cache folder for the synthetic store.")
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=600, help="Requests per route.")
    parser.add_argument("--threads", type=int, default=4, help="Client threads.")
    parser.add_argument("--rank-window", type=int, default=0,
                        help="Override echolot.store.query.RANK_WINDOW in the server (e.g. 1000000000: rank every "
                             "match, the behaviour before the window); 0 keeps the default.")
    parser.add_argument("--only", default="", help="Run only the routes whose name contains this (e.g. search).")
    args = parser.parse_args()

    args.dir.mkdir(parents=True, exist_ok=True)
    db = args.dir / f"bench-{args.articles}.db"
    if db.exists():
        with SQLiteStore(db) as store:
            have = store.count_articles()
        if have != args.articles:
            raise SystemExit(f"{db} holds {have} articles, not {args.articles}: delete it to rebuild")
        print(f"reusing {db} ({have} articles)", file=sys.stderr)
        samples = sample_ids(db)
    else:
        t = time.time()
        samples = build_store(db, args.articles)
        print(f"built {db} in {time.time() - t:.0f} s", file=sys.stderr)

    port = _free_port()
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1]), ECHOLOT_API_TOKEN="")
    server = subprocess.Popen([sys.executable, "-c", SERVER, str(args.dir), str(db), str(port),
                               str(args.rank_window)], env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        import httpx

        for _ in range(600):
            try:
                if httpx.get(base + "/api/v1/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            raise SystemExit("server did not start")
        arts, stories, words = samples["articles"], samples["stories"], samples["words"]
        routes: list[tuple[str, Callable[[random.Random], str]]] = [
            ("baseline GET /api/v1/health", lambda r: "/api/v1/health"),
            ("GET /api/v1/articles/{id}", lambda r: f"/api/v1/articles/{r.choice(arts)}"),
            ("GET /api/v1/articles/{10-char prefix}", lambda r: f"/api/v1/articles/{r.choice(arts)[:10]}"),
            ("GET /api/v1/articles?lang=&limit=50", lambda r: f"/api/v1/articles?lang={r.choice(LANGS)}&limit=50"),
            ("GET /api/v1/search?q={word}", lambda r: f"/api/v1/search?q={r.choice(words)}&limit=20"),
            ("GET /api/v1/stories/{id}", lambda r: f"/api/v1/stories/{r.choice(stories)}"),
            ("GET /api/v1/articles/{id}/trace", lambda r: f"/api/v1/articles/{r.choice(arts)}/trace"),
        ]
        routes = [r for r in routes if args.only in r[0] or r[0].startswith("baseline")]
        for _, make in routes:  # warm-up: caches, page cache, lazy imports
            for k in range(5):
                httpx.get(base + make(random.Random(k)), timeout=60)
        results = [load(base, name, make, args.requests, args.threads) for name, make in routes]
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(json.dumps({"articles": args.articles, "threads": args.threads, "requests_per_route": args.requests,
                      "rank_window": args.rank_window or "default",
                      "db_mb": round(db.stat().st_size / 1e6), "results": results}, indent=2))
    print("\n| route | requests | errors | req/s | p50 ms | p99 ms |\n|---|---|---|---|---|---|")
    for r in results:
        print(f"| {r['route']} | {r['requests']} | {r['errors']} | {r['rps']} | {r['p50_ms']} | {r['p99_ms']} |")


if __name__ == "__main__":
    main()
