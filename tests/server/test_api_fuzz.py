"""Schema-driven fuzzing: requests generated from /openapi.json (hypothesis) never get a 5xx.

Every GET operation of the schema is called with generated path and query values
(the types the schema declares, values outside its bounds, hostile strings, real id
prefixes); POST /api/v1/ingest gets generated JSON bodies on a private copy of the
store. Bounded to a few hundred requests so it runs in seconds.
"""
from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from echolot.server import create_app
from tests.server.conftest import LOCAL, TOKEN
from tests.server.test_api_security import INJECTIONS

HOSTILE = st.sampled_from(INJECTIONS)


def _operations(client: TestClient) -> list[tuple[str, list[dict[str, Any]]]]:
    schema = client.get("/openapi.json").json()
    return [(path, op.get("parameters", [])) for path, item in sorted(schema["paths"].items())
            for method, op in item.items() if method == "get"]


def _values(schema: dict[str, Any], hints: list[str]) -> st.SearchStrategy[Any]:
    options = schema.get("anyOf", [schema])
    out: list[st.SearchStrategy[Any]] = [st.text(max_size=40), HOSTILE]
    for option in options:
        kind = option.get("type")
        if "enum" in option:
            out.append(st.sampled_from(option["enum"]))
        if kind == "integer":
            low, high = option.get("minimum", -5), option.get("maximum", 10**6)
            out += [st.integers(low - 3, high + 3), st.integers(-(2**70), 2**70)]
        if kind == "boolean":
            out.append(st.booleans())
    if hints:
        out.append(st.sampled_from(hints).flatmap(lambda h: st.integers(1, len(h)).map(lambda n: h[:n])))
    return st.one_of(out)


def test_generated_get_requests_never_5xx(client) -> None:  # type: ignore[no-untyped-def]
    ops = _operations(client)
    assert len(ops) >= 20
    hints = [a["id"] for a in client.get("/api/v1/articles", params={"limit": 20}).json()["items"]]
    hints += [s["id"] for s in client.get("/api/v1/stories", params={"limit": 10}).json()["items"]]
    hints += [e["id"] for e in client.get("/api/v1/entities", params={"limit": 10}).json()["items"]]
    seen_status: set[int] = set()

    @settings(max_examples=400, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        path, params = data.draw(st.sampled_from(ops), label="operation")
        url, query = path, {}
        for p in params:
            value = data.draw(_values(p.get("schema", {}), hints), label=p["name"])
            if p["in"] == "path":
                text = str(value).replace("\x00", "") or "x"
                url = url.replace("{" + p["name"] + "}", quote(text, safe=""))
            elif p.get("required") or data.draw(st.booleans()):
                query[p["name"]] = value if not isinstance(value, bool) else str(value).lower()
        r = client.get(url, params=query)
        seen_status.add(r.status_code)
        assert r.status_code < 500, (url, query, r.status_code, r.text[:300])

    run()
    assert 200 in seen_status and any(400 <= s < 500 for s in seen_status)


_DOC = st.fixed_dictionaries({"text": st.one_of(st.text(max_size=400), HOSTILE)}, optional={
    "title": st.one_of(st.none(), st.text(max_size=50), HOSTILE), "url": st.one_of(st.none(), HOSTILE),
    "outlet": st.one_of(st.none(), st.text(max_size=20)), "published": st.one_of(st.none(), st.text(max_size=30)),
    "lang": st.one_of(st.none(), st.text(max_size=5)), "kind": st.sampled_from(["text", "html", "pdf"]),
    "id": st.one_of(st.none(), st.integers(), HOSTILE)})
_BODY = st.one_of(st.fixed_dictionaries({"documents": st.lists(_DOC, max_size=4)}),
                  st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=10),
                               lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                                          max_size=3), max_leaves=8))


def test_generated_ingest_bodies_never_5xx(writable_settings) -> None:  # type: ignore[no-untyped-def]
    c = TestClient(create_app(writable_settings), client=LOCAL, raise_server_exceptions=False)
    auth = {"Authorization": f"Bearer {TOKEN}"}

    @settings(max_examples=60, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(body=_BODY)
    def run(body: Any) -> None:
        r = c.post("/api/v1/ingest", params={"analyze": "false"}, json=body, headers=auth)
        assert r.status_code < 500, (body, r.status_code, r.text[:300])

    run()
    assert c.get("/api/v1/health").status_code == 200
