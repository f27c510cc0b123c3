"""The web UI in a real headless Chromium: the page's JavaScript renders stored articles and evidence."""
from __future__ import annotations

import shutil
import socket
import subprocess
import threading
import time
from dataclasses import replace

import pytest
import uvicorn

from echolot.ids import content_id
from echolot.model import AlignedPair, Article, ReuseLink
from echolot.server import create_app
from echolot.settings import Settings
from echolot.store import SQLiteStore

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed (apt-get install chromium)")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture()
def server(tmp_path):
    db = tmp_path / "s.db"
    store = SQLiteStore(db)
    en = Article(id=content_id("The dam at Orsk gave way.", "Dam breaks"), text="The dam at Orsk gave way.",
                 title="Dam breaks", lang="en", paragraphs=["The dam at Orsk gave way."])
    fr = Article(id=content_id("Le barrage d'Orsk a cédé.", "Le barrage cède"), text="Le barrage d'Orsk a cédé.",
                 title="Le barrage cède", lang="fr", paragraphs=["Le barrage d'Orsk a cédé."])
    store.add_articles([en, fr])
    store.put_links([ReuseLink(source=en.id, target=fr.id, kind="translation", score=1.0, confidence=0.8,
                               reason="odd language out", evidence=[AlignedPair(0, 0, 0.91, en.text, fr.text)])])
    store.close()
    port = _free_port()
    config = uvicorn.Config(create_app(replace(Settings(home=tmp_path), db=db)), host="127.0.0.1", port=port,
                            log_level="error")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    for _ in range(100):
        if srv.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", en, fr
    srv.should_exit = True
    thread.join(timeout=5)


def _render(url: str, tmp_path) -> str:
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}",
           "--virtual-time-budget=5000", "--dump-dom", url]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=True).stdout


def test_article_list_and_evidence_render(server, tmp_path):
    base, en, fr = server
    listing = _render(base + "/#/", tmp_path)
    assert "Dam breaks" in listing and "Le barrage cède" in listing
    detail = _render(f"{base}/#/article/{fr.id}", tmp_path)
    assert "is a copy/translation of" in detail
    assert "Le barrage d'Orsk a cédé." in detail and "odd language out" in detail
