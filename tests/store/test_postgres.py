"""What is particular to the PostgreSQL backend, and a check that it answers exactly as SQLite does."""
from __future__ import annotations

import random
import threading
import uuid
from pathlib import Path

import pytest

from echolot.ids import content_id
from echolot.model import AlignedPair, Article, ReuseLink, Sentence, StoryAssignment
from echolot.settings import Settings, load_settings
from echolot.store import SQLiteStore, open_store
from echolot.store.postgres import PostgresStore, redact, snippet
from tests.store.conftest import with_schema


def _article(text: str, title: str = "T", **kw) -> Article:
    sentences = [Sentence(index=i, paragraph=0, text=s, start=None, end=None, lang="en")
                 for i, s in enumerate(text.split(". "))]
    return Article(id=content_id(text, title), text=text, title=title, sentences=sentences, **kw)


def test_open_store_picks_postgres_for_urls(pg_schema_url, tmp_path):
    settings = load_settings(db=pg_schema_url)
    assert settings.db == pg_schema_url  # not folded into a Path
    with open_store(settings) as store:
        assert isinstance(store, PostgresStore)
    legacy = Settings(home=tmp_path, db=Path(pg_schema_url))  # a URL that went through Path()
    with open_store(legacy) as store:
        assert isinstance(store, PostgresStore)
    with open_store(Settings(home=tmp_path)) as store:
        assert isinstance(store, SQLiteStore)


def test_unreachable_server_is_a_clear_error():
    with pytest.raises(ValueError, match=r"cannot connect to PostgreSQL at postgresql://u:\*\*\*@127.0.0.1:9/x"):
        PostgresStore("postgresql://u:secret@127.0.0.1:9/x?connect_timeout=2")
    assert redact("postgres://me:pw@host/db") == "postgres://me:***@host/db"


def test_missing_schema_is_a_clear_error(pg_url):
    with pytest.raises(ValueError, match="no schema"):
        PostgresStore(with_schema(pg_url, "no_such_schema_here"))


def test_schemas_do_not_share_rows(pg_schema_url, pg_url):
    import psycopg

    with PostgresStore(pg_schema_url) as one:
        one.add_articles([_article("Only in the first schema.")])
        assert one.count_articles() == 1
    other = f"test_other_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_url, autocommit=True) as admin:
        admin.execute(f'CREATE SCHEMA "{other}"')
    try:
        with PostgresStore(with_schema(pg_url, other)) as two:
            assert two.count_articles() == 0 and two.schema == other
            two.add_articles([_article("Only in the second schema.")])
        with PostgresStore(pg_schema_url) as one:
            assert one.count_articles() == 1
    finally:
        with psycopg.connect(pg_url, autocommit=True) as admin:
            admin.execute(f'DROP SCHEMA "{other}" CASCADE')


def test_search_folds_case_and_diacritics_in_any_script(pg_schema_url):
    with PostgresStore(pg_schema_url) as store:
        store.add_articles([
            _article("Bürgermeisterin Müller eröffnete die Brücke am Montag.", "Brücke"),
            _article("Мэр Иванова открыла новый мост в понедельник.", "Мост"),
        ])
        (hit,) = store.search("muller")
        assert hit["title"] == "Brücke" and "[Müller]" in hit["snippet"]
        assert store.search("BRUCKE")[0]["title"] == "Brücke"  # the title is indexed too
        (hit,) = store.search("МОСТ")
        assert hit["title"] == "Мост" and "[мост]" in hit["snippet"]
        assert store.search('"die Brücke"')[0]["title"] == "Brücke"
        assert store.search("'); DROP TABLE articles; --") == []
        assert store.count_articles() == 2


def test_snippet_shape():
    words = " ".join(f"w{i}" for i in range(40))
    assert snippet(words, {"w20"}).startswith("…") and snippet(words, {"w20"}).endswith("…")
    assert "[w20]" in snippet(words, {"w20"})
    assert snippet(words, {"w0"}).startswith("[w0]")
    assert snippet("short text", {"nothing"}) == "short text"


def test_nul_in_metadata_is_kept_in_the_article(pg_schema_url):
    with PostgresStore(pg_schema_url) as store:
        a = _article("A text whose title came with a NUL byte.", "Bad\x00title", source="x\x00y")
        store.add_articles([a])
        assert store.get_article(a.id).title == "Bad\x00title"
        assert store.list_articles()[0]["title"] == "Bad\ufffdtitle"
        assert store.resolve_id("ab\x00") is None


def test_concurrent_writers_each_article_new_once(pg_schema_url):
    """Two connections ingest overlapping batches at once: no error, every article reported new once."""
    articles = [_article(f"Article number {i} about the harbour.") for i in range(60)]
    results: list[list[str]] = [[], []]
    errors: list[BaseException] = []

    def work(slot: int, batch: list[Article]) -> None:
        try:
            with PostgresStore(pg_schema_url) as store:
                for i in range(0, len(batch), 5):
                    results[slot] += store.add_articles(batch[i:i + 5])
                    store.mark_done("reuse", [a.id for a in batch[i:i + 5]])
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(0, articles[:40])),
               threading.Thread(target=work, args=(1, articles[20:][::-1]))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(results[0] + results[1]) == sorted(a.id for a in articles)
    with PostgresStore(pg_schema_url) as store:
        assert store.count_articles() == 60 and store.pending("reuse") == []


def _random_operations(store, seed: int) -> None:
    """The same pseudo-random writes, in the same order, on any backend."""
    rng = random.Random(seed)
    words = ["harbour", "strike", "dam", "river", "election", "observers", "drone", "Valdoria", "Karsk", "Brenna", "ministry"]
    articles = [_article(". ".join(" ".join(rng.choices(words, k=6)) for _ in range(3)) + f" n{i}",
                         title=rng.choice(words), lang=rng.choice(["en", "de", None]), source="S")
                for i in range(30)]
    ids = [a.id for a in articles]
    for i in range(0, 30, 7):
        store.add_articles(articles[i:i + 7] + articles[:2])
    for _ in range(40):
        a, b = rng.sample(ids, 2)
        ev = [AlignedPair(a_index=0, b_index=1, score=rng.random(), a_text="x", b_text="y")]
        store.put_links([ReuseLink(source=a, target=b, kind=rng.choice(["copy", "translation"]),
                                   score=rng.random(), confidence=rng.random(), directed=rng.random() < 0.5,
                                   reason="r", evidence=ev if rng.random() < 0.5 else [])])
    for _ in range(3):
        store.put_story_assignments(
            [StoryAssignment(x, f"s{rng.randrange(4)}", rng.random(), "nearest") for x in rng.sample(ids, 12)])
    for s in rng.sample(range(6), 6) + [1, 3]:
        store.put_story(f"s{s}", {"id": f"s{s}", "count": rng.randrange(9)})
    store.put_entities([{"id": f"e{rng.randrange(8)}", "name": rng.choice(words), "type": "PER"}
                        for _ in range(12)])
    for x in rng.sample(ids, 15):
        store.put_annotations(rng.choice(["quotes", "mentions"]), x, [{"n": rng.randrange(5)}] * rng.randrange(3))
    store.put_vectors({f"v{i}": bytes(rng.randrange(256) for _ in range(8)) for i in range(20)})
    store.put_state("centroids", b"\x00\x01")
    store.mark_done("reuse", rng.sample(ids, 10))
    store.mark_failed("reuse", {x: f"E{rng.randrange(3)}" for x in rng.sample(ids, 5)})
    store.mark_failed("quotes", {x: "boom" for x in rng.sample(ids, 4)})
    store.unmark("reuse", rng.sample(ids, 3))
    store.mark_done("quotes", rng.sample(ids, 6))


def _everything(store) -> dict[str, object]:
    ids = [a["id"] for a in store.list_articles()]
    return {
        "list": store.list_articles(), "count": store.count_articles(), "articles": list(store.iter_articles()),
        "some": list(store.iter_articles(ids[::-3])), "pending": store.pending("reuse"),
        "one_by_one": [store.get_article(x) for x in ids] + [store.get_article("missing")],
        "links": store.links(), "links_of": [store.links(x) for x in ids],
        "members": store.story_assignments(), "members_of": [store.story_assignments(f"s{i}") for i in range(6)],
        "stories": store.list_stories(), "story": store.get_story("s3"), "entities": store.list_entities(),
        "annotations": [store.annotations(k) for k in ("quotes", "mentions")],
        "annotations_of": [store.annotations("quotes", x) for x in ids],
        "vectors": store.get_vectors([f"v{i}" for i in range(25)]), "state": store.get_state("centroids"),
        "pending_quotes": store.pending("quotes"), "done": store.done_ids("reuse"),
        "failed": [{k: v for k, v in f.items() if k != "at"} for f in store.failed()],
        "annotated": store.annotated_ids("quotes"), "orphans": store.orphans(), "index": store.index_problems(),
        "prefixes": [store.resolve_id(x[:n]) for x in ids for n in (1, 3)],
        "search": [sorted(h["id"] for h in store.search(q, limit=100)) for q in ("harbour", "dam river", "valdoria")],
    }


@pytest.mark.parametrize("seed", [1, 2])
def test_answers_exactly_as_sqlite_does(pg_schema_url, tmp_path, seed):
    with SQLiteStore(tmp_path / "s.db") as lite, PostgresStore(pg_schema_url) as pg:
        _random_operations(lite, seed)
        _random_operations(pg, seed)
        expected, got = _everything(lite), _everything(pg)
    for key in expected:
        assert got[key] == expected[key], key


def test_check_and_repair_a_store_broken_behind_its_back(pg_schema_url):
    """`echolot check` finds rows written around the store (orphans, unindexed rows, lost results);
    --repair fixes them."""
    import json
    import subprocess
    import sys

    from echolot.store.check import check

    with PostgresStore(pg_schema_url) as store:
        arts = [_article(f"Nachricht {i}: der Rat tagte am Montag.", f"Titel {i}") for i in range(4)]
        ids = store.add_articles(arts)
        store.put_vectors({f"reuse.lv:{a}": b"\x00" * 8 for a in ids})
        store.put_story_assignments([StoryAssignment(a, "s1", 1.0, "") for a in ids])
        for a in ids:
            for kind in ("ner_status", "quotes", "narratives"):
                store.put_annotations(kind, a, [])
        for stage in ("reuse", "stories", "entities", "quotes", "narratives"):
            store.mark_done(stage, ids)
        assert check(store).ok, check(store).text()
        store.conn.execute("DELETE FROM articles WHERE id=%s", (ids[3],))  # its rows elsewhere are orphans now
        store.conn.execute("DELETE FROM story_members WHERE article_id=%s", (ids[2],))  # a mark without result
        store.conn.execute("UPDATE articles SET fts = ''::tsvector WHERE id=%s", (ids[1],))  # unindexed
        report = check(store)
        kinds = {p.kind for p in report.problems}
        assert {"orphans", "index", "untrusted_marks"} <= kinds, report.text()
        assert ids[1] not in {h["id"] for h in store.search("Nachricht", limit=50)}

    base = [sys.executable, "-m", "echolot", "--db", pg_schema_url, "check"]
    bad = subprocess.run(base, capture_output=True, text=True)
    assert bad.returncode == 1 and "PROBLEM orphans" in bad.stdout, bad.stderr
    fixed = subprocess.run(base + ["--repair", "--json"], capture_output=True, text=True)
    data = json.loads(fixed.stdout)
    assert any("rebuilt the full-text index" in r for r in data["repaired"]), data
    assert any(r.startswith("stories: reset 1 mark") for r in data["repaired"]), data
    assert {p["kind"] for p in data["problems"]} == {"pending"}, data  # only analysis is left
    with PostgresStore(pg_schema_url) as store:
        assert store.orphans() == {} and store.index_problems() == []
        assert {h["id"] for h in store.search("Nachricht", limit=50)} == set(ids[:3])
        assert ids[2] in store.pending("stories")


_HOLD = """
import sys, time
from echolot.store.postgres import PostgresStore
with PostgresStore(sys.argv[1]) as store, store.exclusive():
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def test_analysis_lock_across_processes_and_after_a_kill(pg_schema_url):
    import subprocess
    import sys
    import time

    holder = subprocess.Popen([sys.executable, "-c", _HOLD, pg_schema_url, "60"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with PostgresStore(pg_schema_url) as store:
            with pytest.raises(TimeoutError, match="another process"), store.exclusive(timeout=0.3):
                pass
            holder.kill()  # the server ends the dead session and its lock with it
            holder.wait()
            started = time.monotonic()
            with store.exclusive(timeout=10):
                assert time.monotonic() - started < 10
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait()


def deadlocked(articles, store, settings):  # a fake stage: the server, not the article, is to blame
    import psycopg

    raise psycopg.errors.DeadlockDetected("deadlock detected")


def test_server_errors_stop_the_run_and_mark_nothing(pg_schema_url, monkeypatch):
    import psycopg

    from echolot import pipeline

    monkeypatch.setattr(pipeline, "STAGES", [("deadlocked", __name__, "deadlocked")])
    with PostgresStore(pg_schema_url) as store:
        store.add_articles([_article(f"Article {i} for the stage that cannot run.") for i in range(3)])
        with pytest.raises(psycopg.OperationalError, match="deadlock"):
            pipeline.analyse(store, Settings(), progress=False)
        assert store.failed() == [] and len(store.pending("deadlocked")) == 3


def test_lost_connection_stops_ingest_without_rejecting_articles(pg_schema_url, pg_url, tmp_path):
    import psycopg

    from echolot.pipeline import ingest

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("Harbour workers in Valdoria stopped work on Monday morning.\n" * 3)
    with PostgresStore(pg_schema_url) as store:
        with psycopg.connect(pg_url, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (store.conn.info.backend_pid,))
        with pytest.raises(psycopg.OperationalError):
            ingest([str(tmp_path / "in")], store, Settings(home=tmp_path / "home"), progress=False)
    with PostgresStore(pg_schema_url) as store:
        assert store.count_articles() == 0


def test_readers_and_openers_never_wait_for_a_writer(pg_schema_url):
    """A write transaction in progress (holding the write lock) blocks neither opening the store nor reading it."""
    import time

    with PostgresStore(pg_schema_url) as writer:
        writer.add_articles([_article("Committed before the long write.")])
        with writer._tx():  # a writer in the middle of a batch
            writer.add_articles([_article("Not committed yet.")])
            started = time.monotonic()
            with PostgresStore(pg_schema_url) as reader:
                assert reader.count_articles() == 1  # the last committed state
                assert reader.search("committed")[0]["title"] == "T"
            assert time.monotonic() - started < 5
    with PostgresStore(pg_schema_url) as reader:
        assert reader.count_articles() == 2


def test_an_older_store_gains_the_new_tables_on_open(pg_schema_url):
    with PostgresStore(pg_schema_url) as store:
        store.add_articles([_article("Stored before the failures table existed.")])
        store.conn.execute("DROP TABLE stage_failed")
    with PostgresStore(pg_schema_url) as store:
        store.mark_failed("quotes", {"x": "boom"})
        assert store.count_articles() == 1 and store.failed()[0]["error"] == "boom"
