"""The SQLite store: idempotent inserts, atomic batches, search, incremental bookkeeping."""
from __future__ import annotations

import sqlite3

import pytest

from echolot.ids import content_id
from echolot.model import AlignedPair, Article, Rejection, ReuseLink, Sentence, StoryAssignment
from echolot.store import SQLiteStore


def _article(text: str, title: str = "T") -> Article:
    return Article(id=content_id(text, title), text=text, title=title, lang="en",
                   declared_sources=["Harbour Herald"],
                   sentences=[Sentence(index=0, paragraph=0, text=text, start=0, end=len(text))])


def test_add_is_idempotent_and_roundtrips(tmp_path):
    store = SQLiteStore(tmp_path / "s.db")
    a = _article("The harbour strike entered its third day.")
    assert store.add_articles([a]) == [a.id]
    assert store.add_articles([a]) == []
    assert store.count_articles() == 1
    loaded = store.get_article(a.id)
    assert loaded is not None
    assert loaded.text == a.text and loaded.declared_sources == ["Harbour Herald"]
    assert [s.text for s in loaded.sentences] == [a.text]


def test_failed_batch_leaves_nothing(tmp_path):
    store = SQLiteStore(tmp_path / "s.db")
    good = _article("A first article about the dam.")
    bad = _article("A second one.")
    bad.sentences = [Sentence(index=0, paragraph=0, text=None)]  # type: ignore[arg-type]
    with pytest.raises(sqlite3.IntegrityError):
        store.add_articles([good, bad])
    assert store.count_articles() == 0
    assert store.search("dam") == []


def test_search_quotes_user_input(tmp_path):
    store = SQLiteStore(tmp_path / "s.db")
    store.add_articles([_article("Dockers in Valdoria stopped work on Monday.", "Strike")])
    hits = store.search('valdoria "AND OR (')
    assert hits == [] or hits[0]["title"] == "Strike"
    assert store.search("Valdoria")[0]["title"] == "Strike"


def test_resolve_id_prefix(tmp_path):
    store = SQLiteStore(tmp_path / "s.db")
    a = _article("Some text for prefix lookup.")
    store.add_articles([a])
    assert store.resolve_id(a.id[:6]) == a.id
    assert store.resolve_id("zzzz") is None


def test_pending_and_mark_done(tmp_path):
    store = SQLiteStore(tmp_path / "s.db")
    a, b = _article("First."), _article("Second.")
    store.add_articles([a, b])
    assert store.pending("reuse") == [a.id, b.id]
    store.mark_done("reuse", [a.id])
    assert store.pending("reuse") == [b.id]
    assert store.pending("stories") == [a.id, b.id]


def test_links_replace_reverse_direction(tmp_path):
    store = SQLiteStore(tmp_path / "s.db")
    ev = [AlignedPair(a_index=0, b_index=0, score=0.9, a_text="x", b_text="y")]
    store.put_links([ReuseLink(source="a", target="b", kind="copy", score=0.9, evidence=ev)])
    store.put_links([ReuseLink(source="b", target="a", kind="copy", score=0.95)])
    links = store.links("a")
    assert len(links) == 1 and links[0].source == "b"
    store.put_links([ReuseLink(source="a", target="b", kind="translation", score=0.8, evidence=ev)])
    (link,) = store.links("b")
    assert link.kind == "translation" and link.evidence[0].b_text == "y"


def test_annotations_state_stories_entities(tmp_path):
    store = SQLiteStore(tmp_path / "s.db")
    store.put_annotations("quotes", "a", [{"content": "x"}])
    store.put_annotations("quotes", "b", [{"content": "y"}, {"content": "z"}])
    assert len(store.annotations("quotes")) == 3
    assert store.annotations("quotes", "a") == [{"content": "x"}]
    store.put_state("k", b"v")
    assert store.get_state("k") == b"v" and store.get_state("missing") is None
    store.put_story("s1", {"id": "s1", "label": "Strike"})
    store.put_story_assignments([StoryAssignment("a", "s1", 0.8, "nearest")])
    assert store.get_story("s1")["label"] == "Strike"
    assert store.story_assignments("s1")[0].article_id == "a"
    store.put_entities([{"id": "e1", "name": "Varnov", "type": "PER"}])
    assert store.list_entities()[0]["name"] == "Varnov"


def test_rejections_and_origins(tmp_path):
    store = SQLiteStore(tmp_path / "s.db")
    store.add_rejections([Rejection("x.bin", "binary file")])
    store.mark_origin("x.txt", "abc", "ingested")
    assert store.origin_status("x.txt") == "ingested"
    assert store.origin_status("y.txt") is None


def test_not_a_store(tmp_path):
    path = tmp_path / "junk.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(ValueError, match="not an echolot store"):
        SQLiteStore(path)
