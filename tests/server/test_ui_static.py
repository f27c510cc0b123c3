"""The web UI's static files: served from the package with the right types, nothing loaded from elsewhere."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from echolot.server import create_app
from echolot.settings import Settings

STATIC = Path(__file__).resolve().parents[2] / "echolot" / "server" / "static"
MODULES = sorted(p.name for p in STATIC.glob("*.js"))


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    home = tmp_path_factory.mktemp("ui_static")
    return TestClient(create_app(Settings(home=home, db=home / "empty.db")), client=("127.0.0.1", 50000))


def test_index_loads_the_app_module(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert '<script type="module" src="/static/app.js">' in page.text
    refs = re.findall(r'(?:src|href)="([^"#]+)"', page.text)
    assert "/static/style.css" in refs and all(r.startswith(("/static/", "/api/", "data:")) for r in refs), refs
    for ref in refs:
        if ref.startswith("/"):
            assert client.get(ref).status_code == 200, ref


@pytest.mark.parametrize("name", MODULES)
def test_modules_are_served_as_javascript_and_import_only_siblings(client: TestClient, name: str) -> None:
    res = client.get(f"/static/{name}")
    assert res.status_code == 200
    assert "javascript" in res.headers["content-type"]  # browsers refuse modules served as anything else
    for target in re.findall(r'^import .*? from "([^"]+)";', res.text, re.M | re.S):
        assert target.startswith("./") and (STATIC / target[2:]).is_file(), target


@pytest.mark.parametrize("path", sorted(p for p in STATIC.rglob("*") if p.is_file()), ids=lambda p: p.name)
def test_nothing_is_fetched_from_another_host(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", text), "remote src/href"
    assert not re.search(r"""(?:import|fetch)\s*\(?\s*["'`](?:https?:)?//""", text), "remote import/fetch"
    assert not re.search(r"url\(\s*['\"]?(?:https?:)?//", text), "remote CSS url()"
    assert "@import" not in text
