"""Auth, write limits, hostile parameters and paths: the API refuses cleanly and the store stays intact."""
from __future__ import annotations

import logging
import re
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from echolot.server import create_app
from echolot.settings import ApiSettings
from tests.server.conftest import LOCAL, TOKEN

AUTH = {"Authorization": f"Bearer {TOKEN}"}
DOC = {"title": "Harbour cranes stand still", "outlet": "test.example", "published": "2025-10-01",
       "text": "Dockers in the port of Velmar stopped work on Monday to protest against new shift rules. "
               "The harbour authority said talks would resume on Wednesday."}

INJECTIONS = ["'; DROP TABLE articles; --", "\" OR 1=1 --", "NEAR(", "NEAR(a b", "\"", "*", "a*", "AND", "OR NOT",
              "title:x", "^x", "x\x00y", "\x00", "%", "_", "\\", "../../etc/passwd", "<script>alert(1)</script>",
              "😀" * 50, "ﷺ\u202e\u200b", "a" * 499, "{}", "()", ")", "-1", "0", "1e309",
              "9999-12-31", "0001-01-01", "2025-02-30", "2025-02-05T25:99"]

TEXT_PARAMS = {
    "/api/v1/articles": ["lang", "outlet", "since", "until", "story", "q", "cursor"],
    "/api/v1/search": ["q", "cursor"],
    "/api/v1/stories": ["since", "lang", "cursor"],
    "/api/v1/entities": ["q", "cursor"],
    "/api/v1/quotes": ["speaker", "lang", "story", "cursor"],
    "/api/v1/narratives/hits": ["narrative", "outlet", "lang", "cursor"],
    "/api/v1/links": ["cursor"],
    "/api/articles": ["q"],
    "/api/quotes": ["speaker"],
    "/api/entities": ["type"],
}
PATH_ROUTES = ["/api/v1/articles/{}", "/api/v1/articles/{}/trace", "/api/v1/stories/{}", "/api/v1/entities/{}",
               "/api/articles/{}", "/api/stories/{}"]


def _tables(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        return {n: conn.execute(f'SELECT COUNT(*) FROM "{n}"').fetchone()[0] for n in names}


def test_injection_strings_in_every_text_parameter_leave_the_store_intact(client, demo_settings) -> None:  # type: ignore[no-untyped-def]
    before = _tables(demo_settings.db)
    tried = 0
    for route, params in TEXT_PARAMS.items():
        for param in params:
            for value in INJECTIONS:
                r = client.get(route, params={param: value})
                tried += 1
                assert r.status_code < 500, (route, param, value, r.status_code, r.text[:200])
                assert r.headers["content-type"].startswith("application/json")
    for route in PATH_ROUTES:
        for value in INJECTIONS:
            if value in ("\x00", "x\x00y"):
                continue  # httpx refuses NUL in a URL path; the query tests above send NUL
            r = client.get(route.format(value.replace("/", "%2F").replace("?", "%3F").replace("#", "%23")))
            tried += 1
            assert r.status_code < 500, (route, value, r.status_code, r.text[:200])
    assert tried > 300
    assert _tables(demo_settings.db) == before
    assert client.get("/api/v1/health").json()["articles"] == 43


def test_fts_syntax_is_searched_as_text(client) -> None:  # type: ignore[no-untyped-def]
    for q in ('NEAR(', '"', '*', 'Brenna OR', 'Brenna"'):
        r = client.get("/api/v1/search", params={"q": q})
        assert r.status_code == 200, (q, r.text)
    assert client.get("/api/v1/search", params={"q": "Brenna*"}).json()["total"] == \
        client.get("/api/v1/search", params={"q": "Brenna"}).json()["total"]


@pytest.mark.parametrize("path", [
    "/static/../../../../etc/passwd", "/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/static/..%2F..%2Fapp.py",
    "/static/%2e%2e/app.py", "/docs-assets/..%2F__init__.py", "/docs-assets/%2e%2e/core.py",
    "/api/v1/articles/..%2F..%2F..%2Fetc%2Fpasswd", "/api/v1/export?format=..%2F..%2Fetc%2Fpasswd",
])
def test_paths_never_escape(client, path) -> None:  # type: ignore[no-untyped-def]
    r = client.get(path)
    assert r.status_code in (400, 403, 404, 405, 409, 422), (path, r.status_code)
    assert "root:" not in r.text and "import " not in r.text and "SQLite format" not in r.text


def test_reads_refused_for_other_hosts_unless_public(demo_settings) -> None:  # type: ignore[no-untyped-def]
    remote = TestClient(create_app(demo_settings), client=("203.0.113.9", 4000))
    r = remote.get("/api/v1/articles")
    assert r.status_code == 403 and "--public" in r.json()["detail"]
    assert remote.get("/").status_code == 403
    assert TestClient(create_app(demo_settings), client=("::1", 4000)).get("/api/v1/health").status_code == 200
    public = TestClient(create_app(demo_settings, public=True), client=("203.0.113.9", 4000))
    assert public.get("/api/v1/articles").status_code == 200
    assert public.post("/api/v1/ingest", json={"documents": [DOC]}).status_code == 401


def test_writes_need_the_token(writable_settings) -> None:  # type: ignore[no-untyped-def]
    c = TestClient(create_app(writable_settings), client=LOCAL)
    body = {"documents": [DOC]}
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {TOKEN}"},
                    {"Authorization": TOKEN}, {"Authorization": f"Bearer {TOKEN}x"}):
        r = c.post("/api/v1/ingest", json=body, headers=headers)
        assert r.status_code == 401, headers
        assert TOKEN not in r.text
    assert c.get("/api/v1/health").json()["articles"] == 43
    off = TestClient(create_app(replace(writable_settings, api=ApiSettings(token=""))), client=LOCAL)
    r = off.post("/api/v1/ingest", json=body, headers=AUTH)
    assert r.status_code == 403 and "ECHOLOT_API_TOKEN" in r.json()["detail"]


def test_token_from_the_environment(writable_settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("ECHOLOT_API_TOKEN", "from-env")
    c = TestClient(create_app(replace(writable_settings, api=ApiSettings(token=""))), client=LOCAL)
    ok = c.post("/api/v1/ingest", params={"analyze": "false"}, json={"documents": [DOC]},
                headers={"Authorization": "Bearer from-env"})
    assert ok.status_code == 200 and ok.json()["ingested"] == 1


def test_token_compared_in_constant_time_and_never_logged(writable_settings, monkeypatch, caplog) -> None:  # type: ignore[no-untyped-def]
    import hmac

    from echolot.server import auth

    calls = []
    real = hmac.compare_digest
    monkeypatch.setattr(auth.hmac, "compare_digest", lambda a, b: calls.append(1) or real(a, b))
    c = TestClient(create_app(writable_settings), client=LOCAL, raise_server_exceptions=False)
    caplog.set_level(logging.DEBUG)
    c.post("/api/v1/ingest", json={"documents": [DOC]}, headers={"Authorization": "Bearer guess"})
    assert calls
    monkeypatch.setattr("echolot.server.api_v1.ingest_documents", lambda *a: 1 / 0)
    r = c.post("/api/v1/ingest", json={"documents": [DOC]}, headers=AUTH)
    assert r.status_code == 500 and r.json()["detail"].startswith("internal error")
    assert "ZeroDivisionError" in caplog.text and TOKEN not in caplog.text and "guess" not in caplog.text
    assert TOKEN not in repr(writable_settings)


def test_ingest_json_documents_runs_the_stages(writable_settings) -> None:  # type: ignore[no-untyped-def]
    c = TestClient(create_app(writable_settings), client=LOCAL)
    r = c.post("/api/v1/ingest", json={"documents": [DOC, {"text": ""}, DOC]}, headers=AUTH)
    assert r.status_code == 200, r.text
    data = r.json()
    assert data["ingested"] == 1 and data["duplicates"] == 1 and len(data["new_ids"]) == 1
    assert data["rejected"] and data["rejected"][0]["origin"].startswith("documents[1]")
    assert data["analysed"]["reuse"] == 1 and data["analysed"]["entities"] == 1
    new = c.get(f"/api/v1/articles/{data['new_ids'][0]}").json()
    assert new["title"] == DOC["title"] and new["outlet"] == "test.example" and new["story_id"]
    again = c.post("/api/v1/ingest", json={"documents": [DOC]}, headers=AUTH).json()
    assert again["ingested"] == 0 and again["duplicates"] == 1
    assert c.get("/api/v1/health").json()["articles"] == 44


def test_ingest_uploaded_files_stay_inside_the_home(writable_settings) -> None:  # type: ignore[no-untyped-def]
    c = TestClient(create_app(writable_settings), client=LOCAL)
    home = Path(writable_settings.home)
    escape = home.parent / "evil.txt"
    files = [("files", ("../evil.txt", DOC["text"].encode(), "text/plain")),
             ("files", ("..", b"\x00\x01\x02\xff" * 50, "application/octet-stream"))]
    r = c.post("/api/v1/ingest", params={"analyze": "false"}, files=files, data={"outlet": "upload.example"},
               headers=AUTH)
    assert r.status_code == 200, r.text
    data = r.json()
    assert data["ingested"] == 1 and len(data["rejected"]) == 1
    assert not escape.exists()
    assert not any((home / "uploads").iterdir())  # uploads are removed after the ingest
    assert c.get(f"/api/v1/articles/{data['new_ids'][0]}").json()["outlet"] == "upload.example"


@pytest.mark.parametrize("kwargs,status", [
    ({"content": b"{not json", "headers": {"Content-Type": "application/json"}}, 422),
    ({"json": {"documents": "x"}}, 422),
    ({"json": {"documents": [{"title": "no text"}]}}, 422),
    ({"json": {"documents": []}}, 422),
    ({"json": {"documents": [DOC] * 6}}, 413),
    ({"content": b"x" * 300_000, "headers": {"Content-Type": "application/json"}}, 413),
    ({"content": b"hello", "headers": {"Content-Type": "text/plain"}}, 415),
    ({"content": b"--x\r\nbroken", "headers": {"Content-Type": "multipart/form-data; boundary=x"}}, 422),
    ({"content": b"abc", "headers": {"Content-Type": "multipart/form-data"}}, 400),
    ({"files": [("other", ("a.txt", b"abc", "text/plain"))]}, 422),
])
def test_malformed_ingest_requests(writable_settings, kwargs, status) -> None:  # type: ignore[no-untyped-def]
    c = TestClient(create_app(writable_settings), client=LOCAL, raise_server_exceptions=False)
    kwargs = dict(kwargs)
    headers = {**AUTH, **kwargs.pop("headers", {})}
    r = c.post("/api/v1/ingest", headers=headers, **kwargs)
    assert r.status_code == status, (r.status_code, r.text[:300])
    assert isinstance(r.json()["detail"], str)
    assert c.get("/api/v1/health").json()["articles"] == 43


def test_body_limit_holds_without_content_length(writable_settings) -> None:  # type: ignore[no-untyped-def]
    c = TestClient(create_app(writable_settings), client=LOCAL, raise_server_exceptions=False)

    def chunks():  # type: ignore[no-untyped-def]
        for _ in range(30):
            yield b"x" * 10_000

    r = c.post("/api/v1/ingest", content=chunks(), headers={**AUTH, "Content-Type": "application/json"})
    assert r.status_code == 413


def test_serve_refuses_a_public_bind_without_public(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    from echolot.cli import main

    out = CliRunner().invoke(main, ["--db", str(tmp_path / "x.db"), "serve", "--host", "0.0.0.0"])
    assert out.exit_code != 0 and "--public" in out.output


def test_injection_strings_in_the_query_cli_commands(writable_settings) -> None:  # type: ignore[no-untyped-def]
    """The CLI verbs that now share the query layer take the same hostile strings without harm."""
    from click.testing import CliRunner

    from echolot.cli import main

    db = writable_settings.db
    before = _tables(db)
    runner = CliRunner()
    for value in ("'; DROP TABLE articles; --", "NEAR(", '"', "*", "x\x00y", "../../etc/passwd"):
        for args in (["quotes", "--speaker", value], ["quotes", "--story", value], ["story", value],
                     ["entity", value], ["entities", "--q", value], ["stories", "--since", value],
                     ["stories", "--lang", value], ["show", value], ["search", value]):
            out = runner.invoke(main, ["--db", str(db), *args])
            assert out.exit_code in (0, 1, 2), (args, out.output)
            assert "Traceback" not in out.output and not re.search(r"error: \w+(Error|Exception)\b", out.output), \
                (args, out.output)  # a clear message, never an unexpected exception
    assert _tables(db) == before
