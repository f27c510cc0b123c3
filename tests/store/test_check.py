"""Stage failure bookkeeping and `echolot check` / `--repair` on a store broken on purpose."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from echolot.model import Article, ReuseLink, Sentence, StoryAssignment
from echolot.store import SQLiteStore
from echolot.store.check import check, repair


def _article(i: int) -> Article:
    text = f"Nachricht {i}: der Rat tagte am Montag."
    return Article(id=f"art{i:03d}", text=text, title=f"Titel {i}", lang="de",
                   sentences=[Sentence(index=0, paragraph=0, text=text, lang="de", end=len(text))])


def _complete(store: SQLiteStore, ids: list[str]) -> None:
    """Give every article the results each stage always writes, and mark it done."""
    import numpy as np

    store.put_vectors({f"reuse.lv:{a}": np.zeros(4, dtype=np.float16).tobytes() for a in ids})
    store.put_story_assignments([StoryAssignment(a, "s1", 1.0, "") for a in ids])
    for a in ids:
        for kind in ("ner_status", "quotes", "narratives"):
            store.put_annotations(kind, a, [])
    for stage in ("reuse", "stories", "entities", "quotes", "narratives"):
        store.mark_done(stage, ids)


def test_failures_are_recorded_cleared_and_superseded(store: SQLiteStore) -> None:
    store.add_articles([_article(i) for i in range(3)])
    store.mark_failed("quotes", {"art001": "ValueError: boom"})
    assert store.pending("quotes") == ["art000", "art002"]
    [row] = store.failed()
    assert row["stage"] == "quotes" and row["article_id"] == "art001" and row["error"] == "ValueError: boom"
    store.mark_failed("quotes", {"art001": "KeyError: again"})  # newer error replaces the old
    assert [f["error"] for f in store.failed("quotes")] == ["KeyError: again"]
    assert store.failed("reuse") == []
    assert store.clear_failed("quotes") == 1 and store.pending("quotes") == ["art000", "art001", "art002"]
    store.mark_failed("quotes", {"art002": "x"})
    store.mark_done("quotes", ["art002"])  # a later success forgets the failure
    assert store.failed() == [] and store.done_ids("quotes") == {"art002"}
    assert store.unmark("quotes", ["art002", "nope"]) == 1 and store.done_ids("quotes") == set()


def test_clean_store_passes(store: SQLiteStore) -> None:
    ids = store.add_articles([_article(i) for i in range(4)])
    _complete(store, ids)
    report = check(store)
    assert report.ok, report.text()
    assert report.stages["quotes"] == {"done": 4, "failed": 0, "pending": 0}


def test_failed_articles_are_listed_and_strict_fails(store: SQLiteStore) -> None:
    ids = store.add_articles([_article(i) for i in range(2)])
    _complete(store, ids[:1])
    for stage in ("reuse", "stories", "entities", "quotes", "narratives"):
        store.mark_failed(stage, {ids[1]: f"{stage} error"})
    report = check(store)
    assert report.ok and len(report.failed) == 5 and "reuse error" in report.text()
    assert not check(store, strict=True).ok


def test_broken_store_is_reported_then_repaired(store: SQLiteStore) -> None:
    ids = store.add_articles([_article(i) for i in range(5)])
    _complete(store, ids)
    conn = store.conn
    # orphans: results of an article that is gone (deleted behind the store's back: no FTS delete)
    conn.execute("DELETE FROM articles WHERE id='art004'")
    store.put_links([ReuseLink(source="art000", target="ghost", kind="copy", score=1.0, confidence=1.0,
                               directed=True, reason="", evidence=[])])
    store.put_annotations("quotes", "ghost2", [])
    # a mark without its result: the stories row of art002 lost
    conn.execute("DELETE FROM story_members WHERE article_id='art002'")
    # pending work: a new article nobody analysed
    store.add_articles([_article(9)])
    report = check(store)
    assert not report.ok
    kinds = {p.kind for p in report.problems}
    assert {"orphans", "index", "untrusted_marks", "pending"} <= kinds, report.text()
    text = report.text()
    assert "sentences" in text and "links" in text and "vectors" in text and "stories: 1 article(s) marked done" in text

    fixed = repair(store)
    assert any("dropped" in r and "links" in r for r in fixed.repaired)
    assert any("rebuilt the full-text index" in r for r in fixed.repaired)
    assert any(r.startswith("stories: reset 1 mark") for r in fixed.repaired)
    left = {p.kind for p in fixed.problems}
    assert left == {"pending"}, fixed.text()  # only analysis is left, for the next ingest
    assert "art002" in store.pending("stories") and store.orphans() == {} and store.index_problems() == []
    assert [r["id"] for r in store.search("Nachricht")] and len(store.search("Nachricht", limit=50)) == 5


def test_cli_check_exit_codes_and_json(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    with SQLiteStore(db) as store:
        ids = store.add_articles([_article(i) for i in range(3)])
        _complete(store, ids)
    base = [sys.executable, "-m", "echolot", "--db", str(db), "check"]
    good = subprocess.run(base + ["--json"], capture_output=True, text=True)
    assert good.returncode == 0, good.stderr
    assert json.loads(good.stdout)["ok"] is True
    with SQLiteStore(db) as store:
        store.conn.execute("INSERT INTO sentences VALUES ('ghost', 0, 0, 'de', 'x', 0, 1)")
        store.mark_failed("quotes", {ids[0]: "RuntimeError: kaputt"})
    bad = subprocess.run(base, capture_output=True, text=True)
    assert bad.returncode == 1 and "PROBLEM orphans" in bad.stdout and "kaputt" in bad.stdout
    fixed = subprocess.run(base + ["--repair", "--json"], capture_output=True, text=True)
    data = json.loads(fixed.stdout)
    assert fixed.returncode == 0 and data["ok"] and any("sentences" in r for r in data["repaired"])
    assert [f["error"] for f in data["failed"]] == ["RuntimeError: kaputt"]
    assert subprocess.run(base + ["--strict"], capture_output=True, text=True).returncode == 1
    missing = subprocess.run([sys.executable, "-m", "echolot", "--db", str(tmp_path / "none.db"), "check"],
                             capture_output=True, text=True)
    assert missing.returncode != 0 and "no store" in missing.stderr
