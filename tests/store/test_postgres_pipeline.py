"""The whole pipeline on PostgreSQL: ingest the demo corpus, run every stage, read it back with the CLI.

The same commands run on a SQLite file, and every read command must print the same
JSON on both backends (search: the same hits; its ranking and snippets are each engine's own).
Hashing encoders and rule-based quotes keep it fast; the stages' quality is checked elsewhere
(tests/test_demo_e2e.py).
"""
from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner

from echolot.cli import main
from tests.store.conftest import with_schema

pytestmark = pytest.mark.slow  # every stage over the demo corpus on PostgreSQL: an end-to-end run

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo"
# hashing encoders and rule-based quotes: the stages' quality is not under test here, their use of the store is
FAST = [arg for key in ("encoder.backend=hashing", "stories.encoder=hashing", "reuse.encoder=hashing",
                        "quotes.encoder=hashing", "quotes.use_model=false") for arg in ("--set", key)]


class Echolot:
    """Runs `echolot --db DB ...` in-process and returns stdout (JSON parsed when asked)."""

    def __init__(self, db: str, home: Path) -> None:
        self.db, self.home = db, home

    def __call__(self, *args: str, as_json: bool = True):  # type: ignore[no-untyped-def]
        result = CliRunner().invoke(main, ["--db", self.db, *FAST, *args, *(["--json"] if as_json else [])],
                                    env={"ECHOLOT_HOME": str(self.home)}, catch_exceptions=False)
        assert result.exit_code == 0, (args, result.output)
        return json.loads(result.stdout) if as_json else result.stdout


@pytest.fixture(scope="module")
def both(pg_url: str, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The demo corpus ingested and analysed on PostgreSQL and on SQLite."""
    import psycopg

    schema = f"test_e2e_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_url, autocommit=True) as admin:
        admin.execute(f'CREATE SCHEMA "{schema}"')
    tmp = tmp_path_factory.mktemp("e2e")
    pg = Echolot(with_schema(pg_url, schema), tmp / "home")
    lite = Echolot(str(tmp / "demo.db"), tmp / "home")
    summaries = {name: cli("ingest", str(DEMO)) for name, cli in (("pg", pg), ("sqlite", lite))}
    yield pg, lite, summaries
    with psycopg.connect(pg_url, autocommit=True) as admin:
        admin.execute(f'DROP SCHEMA "{schema}" CASCADE')


def test_ingest_and_reingest(both):
    pg, _, summaries = both
    assert summaries["pg"]["ingested"] == summaries["sqlite"]["ingested"] == 43
    assert len(summaries["pg"]["rejected"]) == 3
    for key in ("new_ids", "rejected", "analysed"):  # same ids in the same order, same stage counts
        assert summaries["pg"].get(key) == summaries["sqlite"].get(key), key
    again = pg("ingest", str(DEMO))
    assert again["ingested"] == 0  # content-hash ids: nothing new


def test_read_commands_print_the_same_on_both_backends(both):
    pg, lite, _ = both
    articles = pg("ls")
    assert len(articles) == 43 and articles == lite("ls")
    first = articles[0]["id"]
    stories = pg("stories", "--limit", "100")
    assert stories and stories == lite("stories", "--limit", "100")
    entities = pg("entities", "--top", "50")
    assert entities["entities"] and entities == lite("entities", "--top", "50")
    quotes = pg("quotes")
    assert quotes and quotes == lite("quotes")
    for args in [("show", first[:8]), ("trace", first[:8]), ("story", stories[0]["id"]),
                 ("entity", entities["entities"][0]["name"]), ("narratives",), ("narratives", "--by", "outlet"),
                 ("check",)]:
        assert pg(*args) == lite(*args), args
    assert pg("check")["ok"]
    traces = [pg("trace", a["id"][:10]) for a in articles]
    assert traces == [lite("trace", a["id"][:10]) for a in articles]
    assert sum(len(json.dumps(t)) for t in traces) > 43 * 200  # groups with links and evidence, not empty shells
    for query in ("Brenna", "drones", "Karsk election"):
        hits, expected = pg("search", query), lite("search", query)
        assert hits and sorted(h["id"] for h in hits) == sorted(h["id"] for h in expected), query


def test_text_output_and_export(both, tmp_path):
    pg, _, _ = both
    assert "Brenna" in pg("search", "Brenna", as_json=False)
    out = tmp_path / "graph.graphml"
    pg("export", "-o", str(out), as_json=False)
    assert out.stat().st_size > 0 and "<graphml" in out.read_text("utf-8")


def test_the_rest_api_reads_the_same_on_both_backends(both):
    """`echolot serve --db postgresql://...`: the API answers from PostgreSQL as from SQLite."""
    from fastapi.testclient import TestClient

    from echolot.server import create_app
    from echolot.settings import load_settings
    from dataclasses import replace

    pg, lite, _ = both
    answers = {}
    for name, cli in (("pg", pg), ("sqlite", lite)):
        settings = replace(load_settings(db=cli.db), home=cli.home)
        with TestClient(create_app(settings), client=("127.0.0.1", 50000)) as client:
            listed = client.get("/api/v1/articles", params={"limit": 100}).json()
            first = sorted(a["id"] for a in listed["items"])[0]
            article = client.get(f"/api/v1/articles/{first[:10]}")
            trace = client.get(f"/api/v1/articles/{first}/trace")
            stories = client.get("/api/v1/stories").json()
            assert article.status_code == 200 and trace.status_code == 200
            answers[name] = (listed["total"], sorted(a["id"] for a in listed["items"]),
                             article.json()["title"], stories["total"])
    assert answers["pg"] == answers["sqlite"]
