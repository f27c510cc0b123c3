"""Search on a hand-made store: escaped snippets, ranking window on broad queries, paging."""
from __future__ import annotations

from dataclasses import replace

from fastapi.testclient import TestClient

from echolot.ids import content_id
from echolot.model import Article
from echolot.server import create_app
from echolot.settings import Settings
from echolot.store import SQLiteStore
from echolot.store import query as q
from tests.server.conftest import LOCAL


def _client(tmp_path, texts):  # type: ignore[no-untyped-def]
    db = tmp_path / "s.db"
    with SQLiteStore(db) as store:
        store.add_articles([Article(id=content_id(t, f"t{n}"), text=t, title=f"t{n}", lang="en", paragraphs=[t])
                            for n, t in enumerate(texts)])
    return TestClient(create_app(replace(Settings(home=tmp_path), db=db)), client=LOCAL)


def test_snippets_escape_the_text_and_mark_only_hits(tmp_path) -> None:  # type: ignore[no-untyped-def]
    c = _client(tmp_path, ['<script>alert("x")</script> the harbour <img src=x onerror=alert(1)> <mark>fake</mark>'
                           " harbour strike continues \x02 stray sentinel"])
    item = c.get("/api/v1/search", params={"q": "harbour"}).json()["items"][0]
    snippet = item["snippet"]
    assert "<script" not in snippet and "<img" not in snippet and "&lt;script&gt;" in snippet
    assert snippet.count("<mark>") == snippet.count("</mark>") == 2
    assert "<mark>harbour</mark>" in snippet and "<mark>fake" not in snippet
    assert "\x02" not in snippet and "\x03" not in snippet


def test_broad_queries_rank_within_a_window_and_page_without_repeats(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(q, "RANK_WINDOW", 4)
    texts = [("dam " * (1 + n % 3)) + f"report number {n} about the river" for n in range(10)]
    c = _client(tmp_path, texts)
    seen = []
    cursor = None
    for _ in range(2):  # two pages of 2 inside the first window of 4
        page = c.get("/api/v1/search", params={"q": "dam", "limit": 2, **({"cursor": cursor} if cursor else {})}).json()
        assert page["total"] == 10
        seen += [i["id"] for i in page["items"]]
        cursor = page["next_cursor"]
    assert len(seen) == len(set(seen)) == 4
    newest = {content_id(t, f"t{n}") for n, t in enumerate(texts)} - \
        {content_id(t, f"t{n}") for n, t in enumerate(texts[:6])}
    assert set(seen) == newest  # ranked among the newest 4 matches
    everything = c.get("/api/v1/search", params={"q": "dam", "limit": 20}).json()
    assert len(everything["items"]) == 10
