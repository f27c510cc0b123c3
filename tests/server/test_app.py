"""REST API over a small hand-made store (no analysis stages needed)."""
from __future__ import annotations

from dataclasses import replace

import pytest
from fastapi.testclient import TestClient

from echolot.ids import content_id
from echolot.model import AlignedPair, Article, ReuseLink, StoryAssignment
from echolot.server import create_app
from echolot.settings import Settings
from echolot.store import SQLiteStore


@pytest.fixture()
def client(tmp_path):
    db = tmp_path / "s.db"
    store = SQLiteStore(db)
    en = Article(id=content_id("Dockers stopped work.", "Strike"), text="Dockers stopped work.",
                 title="Strike", lang="en", paragraphs=["Dockers stopped work."])
    de = Article(id=content_id("Hafenarbeiter legten die Arbeit nieder.", "Streik"),
                 text="Hafenarbeiter legten die Arbeit nieder.", title="Streik", lang="de",
                 paragraphs=["Hafenarbeiter legten die Arbeit nieder."], declared_sources=["Harbour Herald"])
    store.add_articles([en, de])
    store.put_links([ReuseLink(source=en.id, target=de.id, kind="translation", score=1.0, confidence=0.9,
                               reason="declared source", evidence=[AlignedPair(0, 0, 0.9, en.text, de.text)])])
    store.put_story("s1", {"id": "s1", "label": "Strike", "count": 2, "languages": {"de": 1, "en": 1}})
    store.put_story_assignments([StoryAssignment(en.id, "s1", 1.0, "opened the story"),
                                 StoryAssignment(de.id, "s1", 0.9, "translation of a member")])
    store.put_annotations("quotes", en.id, [{"article_id": en.id, "content": "We stop", "speaker": "Ana Varn",
                                             "kind": "direct"}])
    store.close()
    app = create_app(replace(Settings(home=tmp_path), db=db))
    return TestClient(app, client=("127.0.0.1", 50000)), en, de


def test_articles_and_search(client):
    c, en, de = client
    assert c.get("/api/health").json() == {"status": "ok", "articles": 2}
    assert {a["id"] for a in c.get("/api/articles").json()} == {en.id, de.id}
    assert [a["id"] for a in c.get("/api/articles", params={"q": "Hafenarbeiter"}).json()] == [de.id]


def test_article_with_evidence(client):
    c, en, de = client
    data = c.get(f"/api/articles/{de.id[:8]}").json()
    assert data["id"] == de.id
    assert data["links"][0]["source"] == en.id
    assert data["links"][0]["evidence"][0]["b_text"] == de.text
    assert data["linked"][en.id]["title"] == "Strike"
    assert c.get("/api/articles/nope").status_code == 404


def test_stories_quotes_ui(client):
    c, en, de = client
    assert c.get("/api/stories").json()[0]["label"] == "Strike"
    story = c.get("/api/stories/s1").json()
    assert {m["id"] for m in story["timeline"]} == {en.id, de.id}
    assert c.get("/api/quotes", params={"speaker": "varn"}).json()[0]["content"] == "We stop"
    assert c.get("/api/quotes", params={"speaker": "nobody"}).json() == []
    page = c.get("/")
    assert page.status_code == 200 and "echolot" in page.text
    assert c.get("/static/app.js").status_code == 200
