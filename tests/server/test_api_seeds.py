"""Search across spellings on the shared seed articles (skipped when the data folder is missing)."""
from __future__ import annotations

from dataclasses import replace

import pytest
from fastapi.testclient import TestClient

from echolot.server import create_app
from tests.server.conftest import LOCAL, fast_settings


@pytest.fixture(scope="module")
def seeds_client(seeds_dir, tmp_path_factory):  # type: ignore[no-untyped-def]
    from echolot.pipeline import ingest, run_stages
    from echolot.store import open_store

    home = tmp_path_factory.mktemp("seeds")
    settings = replace(fast_settings(home), db=home / "seeds.db")
    store = open_store(settings)
    try:
        ingest([str(seeds_dir)], store, settings, progress=False)
        run_stages(store, settings, only=["entities"], progress=False)
    finally:
        store.close()
    return TestClient(create_app(settings), client=LOCAL)


@pytest.mark.parametrize("query", ["Tokayev", "Tokajew", "Токаев"])
def test_a_name_finds_its_other_spellings(seeds_client, query) -> None:  # type: ignore[no-untyped-def]
    found = seeds_client.get("/api/v1/search", params={"q": query}).json()
    words_only = seeds_client.get("/api/v1/articles", params={"q": query}).json()["total"]
    assert found["entity"]["name"] == "Kassym-Jomart Tokayev"
    assert found["total"] == 4 and found["total"] > words_only
    assert {"de", "en"} <= {i["lang"] for i in found["items"]}
    assert all("<mark>" in i["snippet"] for i in found["items"])
