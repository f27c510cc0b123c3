"""The store contract, run on every backend: idempotent inserts, atomic batches, search, bookkeeping.

`make_store` (tests/store/conftest.py) opens the test's store on SQLite and on PostgreSQL in turn.
"""
from __future__ import annotations

import pytest

from echolot.ids import content_id
from echolot.model import AlignedPair, Article, Rejection, ReuseLink, Sentence, StoryAssignment


def _article(text: str, title: str = "T") -> Article:
    return Article(id=content_id(text, title), text=text, title=title, lang="en",
                   declared_sources=["Harbour Herald"],
                   sentences=[Sentence(index=0, paragraph=0, text=text, start=0, end=len(text))])


def test_add_is_idempotent_and_roundtrips(make_store):
    store = make_store()
    a = _article("The harbour strike entered its third day.")
    assert store.add_articles([a]) == [a.id]
    assert store.add_articles([a]) == []
    b = _article("A second article, sent twice in one batch.")
    assert store.add_articles([b, a, b]) == [b.id]
    assert store.count_articles() == 2
    loaded = store.get_article(a.id)
    assert loaded is not None
    assert loaded.text == a.text and loaded.declared_sources == ["Harbour Herald"]
    assert [s.text for s in loaded.sentences] == [a.text]
    assert loaded == a


def test_failed_batch_leaves_nothing(make_store):
    store = make_store()
    good = _article("A first article about the dam.")
    bad = _article("A second one.")
    bad.sentences = [Sentence(index=0, paragraph=0, text=None)]  # type: ignore[arg-type]
    with pytest.raises(make_store.integrity_error):
        store.add_articles([good, bad])
    assert store.count_articles() == 0
    assert store.search("dam") == []
    assert store.add_articles([good]) == [good.id]  # the store is usable after the failure


def test_search_quotes_user_input(make_store):
    store = make_store()
    store.add_articles([_article("Dockers in Valdoria stopped work on Monday.", "Strike")])
    hits = store.search('valdoria "AND OR (')
    assert hits == [] or hits[0]["title"] == "Strike"
    (hit,) = store.search("Valdoria")
    assert hit["title"] == "Strike" and "[Valdoria]" in hit["snippet"]
    assert set(hit) == {"id", "title", "lang", "published", "source", "snippet"}
    assert store.search("valdoria monday")[0]["title"] == "Strike"  # every term, any case
    assert store.search("valdoria tuesday") == []
    assert store.search("   ") == []


def test_resolve_id_prefix(make_store):
    store = make_store()
    a = _article("Some text for prefix lookup.")
    store.add_articles([a])
    assert store.resolve_id(a.id[:6]) == a.id
    assert store.resolve_id(a.id) == a.id
    assert store.resolve_id("zzzz") is None


def test_pending_and_mark_done(make_store):
    store = make_store()
    a, b = _article("First."), _article("Second.")
    store.add_articles([a, b])
    assert store.pending("reuse") == [a.id, b.id]
    store.mark_done("reuse", [a.id])
    store.mark_done("reuse", [a.id])  # twice is fine
    assert store.pending("reuse") == [b.id]
    assert store.pending("stories") == [a.id, b.id]
    assert [x.id for x in store.iter_articles()] == [a.id, b.id]
    assert [x.id for x in store.iter_articles([b.id, "missing", a.id])] == [b.id, a.id]
    assert [x["id"] for x in store.list_articles(limit=1)] == [a.id]


def test_links_replace_reverse_direction(make_store):
    store = make_store()
    ev = [AlignedPair(a_index=0, b_index=0, score=0.9, a_text="x", b_text="y")]
    store.put_links([ReuseLink(source="a", target="b", kind="copy", score=0.9, evidence=ev)])
    store.put_links([ReuseLink(source="b", target="a", kind="copy", score=0.95)])
    links = store.links("a")
    assert len(links) == 1 and links[0].source == "b"
    store.put_links([ReuseLink(source="a", target="b", kind="translation", score=0.8, evidence=ev)])
    (link,) = store.links("b")
    assert link.kind == "translation" and link.evidence[0].b_text == "y"


def test_annotations_state_stories_entities(make_store):
    store = make_store()
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
    store.clear_entities()
    assert store.list_entities() == []


def test_vectors_roundtrip(make_store):
    store = make_store()
    blobs = {f"k{i}": bytes([i % 256]) * (i + 1) for i in range(1200)}  # more than one query chunk
    store.put_vectors(blobs)
    store.put_vectors({"k0": b"\x00\xff"})
    got = store.get_vectors(list(blobs) + ["nope"])
    assert got == {**blobs, "k0": b"\x00\xff"}


def test_rejections_and_origins(make_store):
    store = make_store()
    store.add_rejections([Rejection("x.bin", "binary file")])
    store.add_rejections([Rejection("x.bin", "binary file")])
    store.mark_origin("x.txt", "abc", "ingested")
    assert store.origin_status("x.txt") == "ingested"
    store.mark_origin("x.txt", None, "rejected")
    assert store.origin_status("x.txt") == "rejected"
    assert store.origin_status("y.txt") is None


def test_second_connection_sees_committed_writes(make_store):
    writer, reader = make_store(), make_store()
    a = _article("Written by one connection, read by another.")
    writer.add_articles([a])
    assert reader.has_article(a.id) and reader.count_articles() == 1


def test_failures_recorded_cleared_and_superseded(make_store):
    store = make_store()
    a, b, c = (_article(f"Article {i} about the council.") for i in range(3))
    store.add_articles([a, b, c])
    store.mark_failed("quotes", {b.id: "ValueError: boom"})
    assert store.pending("quotes") == [a.id, c.id]
    [row] = store.failed()
    assert (row["stage"], row["article_id"], row["error"]) == ("quotes", b.id, "ValueError: boom")
    assert isinstance(row["at"], float)
    store.mark_failed("quotes", {b.id: "KeyError: again"})  # the newer error replaces the old
    assert [f["error"] for f in store.failed("quotes")] == ["KeyError: again"] and store.failed("reuse") == []
    assert store.clear_failed("quotes") == 1 and store.pending("quotes") == [a.id, b.id, c.id]
    store.mark_failed("quotes", {c.id: "x"})
    store.mark_failed("reuse", {c.id: "y"})
    store.mark_done("quotes", [c.id])  # a later success forgets the failure of that stage only
    assert [f["stage"] for f in store.failed()] == ["reuse"] and store.done_ids("quotes") == {c.id}
    assert store.unmark("quotes", [c.id, "nope"]) == 1 and store.done_ids("quotes") == set()
    assert store.clear_failed() == 1 and store.failed() == []


def test_orphans_counted_and_dropped(make_store):
    store = make_store()
    a = _article("The one article that exists.")
    store.add_articles([a])
    store.put_links([ReuseLink(source=a.id, target="ghost", kind="copy", score=1.0)])
    store.put_annotations("quotes", "ghost2", [])
    store.put_annotations("quotes", a.id, [])
    store.put_story_assignments([StoryAssignment("ghost3", "s1", 1.0, "")])
    store.mark_done("reuse", [a.id, "ghost4"])
    store.mark_failed("stories", {"ghost5": "x"})
    store.put_vectors({f"reuse.lv:{a.id}": b"1", "reuse.lv:ghost6": b"2", "usem3:some text": b"3"})
    expected = {"links": 1, "annotations": 1, "story_members": 1, "stage_done": 1, "stage_failed": 1, "vectors": 1}
    assert store.orphans() == expected
    assert store.annotated_ids("quotes") == {a.id, "ghost2"}
    assert store.drop_orphans() == expected
    assert store.orphans() == {} and store.index_problems() == []
    assert store.get_vectors([f"reuse.lv:{a.id}", "usem3:some text"]).keys() == {f"reuse.lv:{a.id}", "usem3:some text"}
    store.rebuild_index()
    assert store.search("exists")[0]["id"] == a.id


def test_analysis_lock_is_exclusive_between_connections(make_store):
    one, two = make_store(), make_store()
    with one.exclusive(timeout=1), pytest.raises(TimeoutError, match="another process"), two.exclusive(timeout=0.3):
        pass
    with two.exclusive(timeout=1):  # released by the first holder
        pass


def test_search_splits_words_the_same_way(make_store):
    """Host names, hyphens, apostrophes, underscores and numbers split into words on every backend."""
    store = make_store()
    a = _article("Dockers in Valdoria read brennacourier.example/news on the harbour-strike, 3.5 l'homme snake_case.")
    store.add_articles([a])
    for query in ("brennacourier", "example news", "harbour-strike", "strike", "3", "homme", "snake_case", "case",
                  "valdoria (", "read-brennacourier"):
        assert [h["id"] for h in store.search(query)] == [a.id], query
    for query in ("(", "harbour-dockers", "read-news"):  # a term with inner punctuation is a phrase
        assert store.search(query) == [], query


def test_published_times_reads_only_the_asked_ids(make_store):
    """`published_times` (stories' order of pending work): each asked id's stored date, None where the
    article has none, nothing for ids not in the store; more ids than one query takes."""
    store = make_store()
    dated = [Article(id=f"d{k:04d}", text=f"Dated report {k}.", title="T", published=f"2024-06-{1 + k % 28:02d}")
             for k in range(1200)]
    undated = _article("A report without a date.")
    store.add_articles([*dated, undated])
    asked = [a.id for a in dated[::-1]] + [undated.id, "not-stored", dated[0].id]
    got = store.published_times(asked)
    assert got == {**{a.id: a.published for a in dated}, undated.id: None}
    assert store.published_times([]) == {}
