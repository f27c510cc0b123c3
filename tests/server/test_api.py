"""/api/v1 on the demo store: every route's happy path, id prefixes, paging, filters, errors."""
from __future__ import annotations

import json

import pytest

from tests.server.conftest import article_ids


def _get(client, url, **params):  # type: ignore[no-untyped-def]
    response = client.get(url, params=params)
    assert response.status_code == 200, (url, response.status_code, response.text[:300])
    return response.json()


def test_health_and_openapi(client) -> None:  # type: ignore[no-untyped-def]
    health = _get(client, "/api/v1/health")
    assert health["status"] == "ok" and health["articles"] == 43 and health["writes_enabled"] is True
    paths = _get(client, "/openapi.json")["paths"]
    for route in ("/api/v1/articles", "/api/v1/articles/{article_id}", "/api/v1/articles/{article_id}/trace",
                  "/api/v1/search", "/api/v1/ingest", "/api/v1/stories", "/api/v1/stories/{story_id}",
                  "/api/v1/entities", "/api/v1/entities/{entity_id}", "/api/v1/quotes", "/api/v1/narratives",
                  "/api/v1/narratives/hits", "/api/v1/links", "/api/v1/export"):
        assert route in paths, route


def test_docs_are_served_offline(client) -> None:  # type: ignore[no-untyped-def]
    for page, asset in (("/docs", "/docs-assets/swagger-ui-bundle.js"), ("/redoc", "/docs-assets/redoc.standalone.js")):
        html = client.get(page).text
        assert asset in html and "cdn" not in html.lower() and "https://" not in html
        assert client.get(asset).status_code == 200
    assert client.get("/docs-assets/swagger-ui.css").status_code == 200


def test_articles_page_through_everything_with_cursor(client) -> None:  # type: ignore[no-untyped-def]
    first = _get(client, "/api/v1/articles", limit=10)
    assert first["total"] == 43 and len(first["items"]) == 10 and first["next_cursor"]
    assert set(first["items"][0]) >= {"id", "title", "outlet", "lang", "published", "url", "story_id"}
    seen, cursor = [], None
    while True:
        page = _get(client, "/api/v1/articles", limit=10, **({"cursor": cursor} if cursor else {}))
        assert page["total"] == 43
        seen += [a["id"] for a in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(seen) == len(set(seen)) == 43
    assert article_ids(client) == seen


def test_article_filters(client) -> None:  # type: ignore[no-untyped-def]
    de = _get(client, "/api/v1/articles", lang="de", limit=500)
    assert de["total"] == len(de["items"]) > 0 and {a["lang"] for a in de["items"]} == {"de"}
    outlet = next(a["outlet"] for a in de["items"] if a["outlet"])
    by_outlet = _get(client, "/api/v1/articles", outlet=outlet, limit=500)
    assert by_outlet["total"] > 0 and {a["outlet"] for a in by_outlet["items"]} == {outlet}
    window = _get(client, "/api/v1/articles", since="2025-09-21", until="2025-09-22", limit=500)
    assert window["total"] > 0
    assert all("2025-09-21" <= a["published"][:10] <= "2025-09-22" for a in window["items"])
    story = _get(client, "/api/v1/stories", limit=1)["items"][0]
    members = _get(client, "/api/v1/articles", story=story["id"][:6], limit=500)
    assert members["total"] == story["size"] and {a["story_id"] for a in members["items"]} == {story["id"]}
    assert _get(client, "/api/v1/articles", until="9999-12-31")["total"] == 43 - sum(
        not a["published"] for a in _get(client, "/api/v1/articles", limit=500)["items"])
    assert _get(client, "/api/v1/articles", since="0001-01-01", until="0001-01-01")["total"] == 0
    found = _get(client, "/api/v1/articles", q="Brenna", lang="en", limit=500)
    assert found["total"] > 0 and all(a["lang"] == "en" for a in found["items"])


def test_article_detail_by_prefix(client) -> None:  # type: ignore[no-untyped-def]
    linked = _get(client, "/api/v1/links", limit=1)["items"][0]["target"]
    data = _get(client, f"/api/v1/articles/{linked[:6]}")
    assert data["id"] == linked
    for key in ("title", "text", "outlet", "lang", "published", "url", "declared_sources", "story_id", "sentences",
                "entities", "quotes", "narratives", "links"):
        assert key in data, key
    s = data["sentences"][0]
    assert set(s) >= {"idx", "paragraph", "text", "start", "end"} and data["text"][s["start"]:s["end"]] == s["text"]
    assert data["links"] and {"source", "target", "kind", "confidence", "reason"} <= set(data["links"][0])
    with_entities = next(i for i in article_ids(client) if _get(client, f"/api/v1/articles/{i}")["entities"])
    ent = _get(client, f"/api/v1/articles/{with_entities}")["entities"][0]
    assert set(ent) >= {"entity_id", "name", "type", "start", "end", "text"}


def test_ambiguous_and_unknown_prefixes(client) -> None:  # type: ignore[no-untyped-def]
    ids = article_ids(client)
    shared = next(c for c in "0123456789abcdef" if sum(i.startswith(c) for i in ids) > 1)
    for url in (f"/api/v1/articles/{shared}", f"/api/v1/articles/{shared}/trace"):
        r = client.get(url)
        assert r.status_code == 409 and "ambiguous" in r.json()["detail"]
    r = client.get("/api/v1/articles/zzzz")
    assert r.status_code == 404 and r.json()["detail"].startswith("no article")
    assert client.get("/api/v1/stories/s").status_code == 409
    assert client.get("/api/v1/stories/nope").status_code == 404
    assert client.get("/api/v1/entities/zzzz-nobody").status_code == 404


def test_trace(client) -> None:  # type: ignore[no-untyped-def]
    link = _get(client, "/api/v1/links", limit=1)["items"][0]
    data = _get(client, f"/api/v1/articles/{link['target'][:8]}/trace")
    ids = {n["id"] for n in data["nodes"]}
    assert {link["source"], link["target"]} <= ids and data["root"] in ids
    assert all(n["kind"] in ("article", "external") for n in data["nodes"])
    assert any(e["source"] == link["source"] and e["target"] == link["target"] for e in data["edges"])
    aligned = [p for l in data["links"] for p in l["aligned"]]
    assert aligned and set(aligned[0]) >= {"source_sentence", "target_sentence", "score", "op"}
    declared = [a for a in article_ids(client) if _get(client, f"/api/v1/articles/{a}")["declared_sources"]]
    if declared:  # a declared source is an external node, or an edge from the stored article it names
        edges = _get(client, f"/api/v1/articles/{declared[0]}/trace")["edges"]
        assert any(e["kind"] == "declared" for e in edges)


def test_search_marks_hits_and_finds_other_spellings(client) -> None:  # type: ignore[no-untyped-def]
    data = _get(client, "/api/v1/search", q="Brenna", limit=5)
    assert data["total"] >= len(data["items"]) > 0
    assert all("<mark>" in r["snippet"] or "brenna" in (r["title"] or "").lower() for r in data["items"])
    assert set(data["items"][0]) >= {"id", "title", "outlet", "lang", "published", "snippet"}
    # an entity whose variants are in two scripts: the Latin name also finds the Cyrillic articles
    entities = _get(client, "/api/v1/entities", limit=500)["items"]
    mixed = next(e for e in entities if any(v.isascii() for v in e["variants"])
                 and any(any("\u0400" <= ch <= "\u04ff" for ch in v) for v in e["variants"]))
    latin = next(v for v in mixed["variants"] if v.isascii())
    found = _get(client, "/api/v1/search", q=latin, limit=100)
    assert found.get("entity", {}).get("id") == mixed["id"]
    assert "ru" in {r["lang"] for r in found["items"]}, (latin, found["items"])
    plain = _get(client, "/api/v1/articles", q=latin, limit=500)
    assert found["total"] > plain["total"]


def test_stories(client) -> None:  # type: ignore[no-untyped-def]
    page = _get(client, "/api/v1/stories", limit=3)
    assert page["total"] > 3 and len(page["items"]) == 3 and page["next_cursor"]
    assert set(page["items"][0]) >= {"id", "title", "size", "languages", "first", "last"}
    rest = _get(client, "/api/v1/stories", limit=500, cursor=page["next_cursor"])
    assert len(rest["items"]) == page["total"] - 3
    biggest = page["items"][0]
    story = _get(client, f"/api/v1/stories/{biggest['id'][:6]}")
    assert story["id"] == biggest["id"] and len(story["articles"]) == biggest["size"]
    assert {a["role"] for a in story["articles"]} <= {"original", "copy", "translation", "independent"}
    dated = [a["published"] for a in story["articles"] if a["published"]]
    undated_at = [i for i, a in enumerate(story["articles"]) if not a["published"]]
    assert all(i >= len(dated) for i in undated_at)  # undated last
    assert sum(t["count"] for t in story["timeline"]) + story["undated"] == len(story["articles"])
    assert {"nodes", "edges"} <= set(story["propagation"])
    with_reuse = next(s for s in rest["items"] + page["items"]
                      if _get(client, f"/api/v1/stories/{s['id']}")["propagation"]["edges"])
    view = _get(client, f"/api/v1/stories/{with_reuse['id']}")
    assert {"original", "copy"} & {a["role"] for a in view["articles"]} or \
        "translation" in {a["role"] for a in view["articles"]}


def test_entities(client) -> None:  # type: ignore[no-untyped-def]
    page = _get(client, "/api/v1/entities", limit=5)
    assert page["total"] > 5 and page["next_cursor"]
    top = page["items"][0]
    data = _get(client, f"/api/v1/entities/{top['id'][:8]}")
    assert data["id"] == top["id"]
    for key in ("name", "type", "variants", "mentions_by_day", "quotes", "co_mentions", "articles"):
        assert key in data
    assert set(data["variants"][0]) == {"name", "lang", "count"} and data["mentions_by_day"]
    by_name = _get(client, f"/api/v1/entities/{top['variants'][-1]}")
    assert by_name["id"] == top["id"]
    per = _get(client, "/api/v1/entities", type="PER", limit=500)
    assert per["total"] > 0 and {e["type"] for e in per["items"]} == {"PER"}
    filtered = _get(client, "/api/v1/entities", q=top["name"][:4], limit=500)
    assert top["id"] in {e["id"] for e in filtered["items"]}


def test_quotes_filter_by_speaker_id_or_name_language_and_story(client) -> None:  # type: ignore[no-untyped-def]
    everything = _get(client, "/api/v1/quotes", limit=500)
    quote = next(q for q in everything["items"] if q["speaker_entity_id"] and q["speaker_name"])
    by_id = _get(client, "/api/v1/quotes", speaker=quote["speaker_entity_id"], limit=500)
    by_name = _get(client, "/api/v1/quotes", speaker=quote["speaker_name"].lower(), limit=500)
    assert quote["id"] in {q["id"] for q in by_id["items"]} and quote["id"] in {q["id"] for q in by_name["items"]}
    assert all(q["speaker_entity_id"] == quote["speaker_entity_id"] for q in by_id["items"])
    assert _get(client, "/api/v1/quotes", speaker="nobody-at-all-xyz")["total"] == 0
    de = _get(client, "/api/v1/quotes", lang="de", limit=500)
    assert de["total"] > 0 and {q["lang"] for q in de["items"]} == {"de"}
    story = _get(client, f"/api/v1/articles/{quote['article_id']}")["story_id"]
    in_story = _get(client, "/api/v1/quotes", story=story, limit=500)
    assert quote["id"] in {q["id"] for q in in_story["items"]}
    assert set(quote) >= {"speaker", "speaker_entity_id", "content", "cue", "start", "end"}


def test_cli_quotes_speaker_takes_an_entity_id_too(client, demo_settings) -> None:  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    from echolot.cli import main

    quote = next(q for q in _get(client, "/api/v1/quotes", limit=500)["items"] if q["speaker_entity_id"])
    for speaker in (quote["speaker_entity_id"], quote["speaker_name"]):
        out = CliRunner().invoke(main, ["--db", str(demo_settings.db), "quotes", "--speaker", speaker, "--json"])
        assert out.exit_code == 0, out.output
        assert quote["id"] in {q["id"] for q in json.loads(out.output)}


def test_narratives(client) -> None:  # type: ignore[no-untyped-def]
    for by in ("outlet", "lang", "week"):
        data = _get(client, "/api/v1/narratives", by=by)
        assert data["by"] == by and data["narratives"]
        row = data["narratives"][0]
        assert row["total"] == sum(g["articles"] for g in row["groups"])
    hits = _get(client, "/api/v1/narratives/hits", limit=500)
    assert hits["total"] > 0
    nid = hits["items"][0]["narrative_id"]
    only = _get(client, "/api/v1/narratives/hits", narrative=nid, limit=500)
    assert only["total"] > 0 and {h["narrative_id"] for h in only["items"]} == {nid}
    lang = hits["items"][0]["lang"]
    assert {h["lang"] for h in _get(client, "/api/v1/narratives/hits", lang=lang, limit=500)["items"]} == {lang}
    assert client.get("/api/v1/narratives/hits", params={"narrative": "no-such-narrative"}).status_code == 404


def test_links_and_export(client) -> None:  # type: ignore[no-untyped-def]
    links = _get(client, "/api/v1/links", limit=2)
    assert links["total"] > 2 and len(links["items"]) == 2 and links["next_cursor"]
    rest = _get(client, "/api/v1/links", limit=500, cursor=links["next_cursor"])
    assert len(rest["items"]) == links["total"] - 2
    lines = client.get("/api/v1/export", params={"format": "jsonl"}).text.strip().splitlines()
    edges = [json.loads(l) for l in lines if json.loads(l)["type"] == "link"]
    assert sum(e["kind"] in ("copy", "translation") for e in edges) == links["total"]
    for fmt in ("graphml", "gexf"):
        r = client.get("/api/v1/export", params={"format": fmt})
        assert r.status_code == 200 and r.text.startswith("<?xml")


@pytest.mark.parametrize("url", [
    "/api/v1/articles?limit=0", "/api/v1/articles?limit=100000", "/api/v1/articles?limit=abc",
    "/api/v1/articles?since=yesterday", "/api/v1/articles?until=2025-13-40", "/api/v1/articles?cursor=%%%",
    "/api/v1/articles?cursor=eyJzIjotMX0", "/api/v1/search", "/api/v1/search?q=", "/api/v1/narratives?by=planet",
    "/api/v1/export?format=exe", "/api/v1/entities?type=ANIMAL", "/api/v1/stories?since=soon",
    "/api/v1/quotes?story=zzzz", "/api/v1/articles?story=zzzz", "/api/v1/links?cursor=bm90IGpzb24",
])
def test_bad_parameters_are_4xx_json_with_a_message(client, url) -> None:  # type: ignore[no-untyped-def]
    r = client.get(url)
    assert 400 <= r.status_code < 500, (url, r.status_code, r.text[:200])
    body = r.json()
    assert isinstance(body["detail"], str) and body["detail"]


def test_legacy_routes_still_answer(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/api/health").json()["articles"] == 43
    assert len(client.get("/api/articles").json()) == 43
    story = client.get("/api/stories").json()[0]
    assert client.get(f"/api/stories/{story['id'][:6]}").json()["id"] == story["id"]
    assert client.get("/api/links").status_code == 200 and client.get("/api/narratives").status_code == 200
