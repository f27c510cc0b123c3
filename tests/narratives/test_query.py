"""query.py: what the CLI and the REST API call, on a small hand-made store."""
from __future__ import annotations

from pathlib import Path

import pytest

from echolot.model import Article
from echolot.narratives.query import (QueryError, article_narratives, catalog_outline, convert_catalog,
                                      frequency_table, narrative_counts, narrative_hits, narrative_spread, with_catalog)
from echolot.settings import Settings
from echolot.store import SQLiteStore


def _store(tmp_path: Path) -> SQLiteStore:
    store = SQLiteStore(tmp_path / "s.db")
    store.add_articles([Article(id=i, text=f"text {i}", source=s, lang="en") for i, s in (("a1", "A"), ("a2", "B"))])
    for aid, outlet, stance, score in (("a1", "A", "endorse", 0.7), ("a2", "B", "report", 0.6)):
        store.put_annotations("narratives", aid, [
            {"article_id": aid, "narrative_id": "n1", "name": "N1", "sentence": "s", "score": score, "stance": stance,
             "outlet": outlet, "lang": "en", "published": None, "root_id": "n1", "parent_id": None,
             "speaker_stance": "endorse" if stance == "report" else None, "speaker": "X" if stance == "report" else None}])
    return store


def test_frequency_and_spread(tmp_path: Path) -> None:
    store = _store(tmp_path)
    table = frequency_table(store, "outlet")
    assert table["narratives"]["n1"]["by"]["A"]["endorse"] == 1 and table["narratives"]["n1"]["by"]["B"]["report"] == 1
    report = narrative_spread(store, "n1")
    assert report["first_endorser"]["article_id"] == "a1" and report["first_speaker"]["speaker"] == "X"
    assert article_narratives(store, "a2")[0]["stance"] == "report"
    store.close()


def test_bad_requests_raise_query_errors(tmp_path: Path) -> None:
    store = _store(tmp_path)
    with pytest.raises(QueryError, match="no hits"):
        narrative_spread(store, "nothing")
    with pytest.raises(QueryError, match="unknown grouping"):
        frequency_table(store, "planet")
    with pytest.raises(QueryError, match="no article"):
        article_narratives(store, "zzz")
    store.close()
    assert with_catalog(Settings(), "my.yaml").narratives.catalog == "my.yaml"


def test_catalog_outline_and_convert(tmp_path: Path) -> None:
    outline = catalog_outline(Settings())
    rows = {r["id"]: r for r in outline["outline"]}
    assert rows["foreign-instigation"]["depth"] == 0 and rows["us-behind-unrest"]["depth"] == 1
    assert "en" in rows["us-behind-unrest"]["languages"] and outline["catalog"]["narratives"]
    taxonomy = tmp_path / "tax.json"
    taxonomy.write_text('{"narratives": ["URW: Blame"], "subnarratives": ["URW: Blame: The West"]}', encoding="utf-8")
    assert convert_catalog("taxonomy", taxonomy, tmp_path / "c.yaml") == 2
    assert [r["id"] for r in catalog_outline(with_catalog(Settings(), str(tmp_path / "c.yaml")))["outline"]]
    with pytest.raises(QueryError, match="not found"):
        catalog_outline(with_catalog(Settings(), str(tmp_path / "missing.yaml")))


def test_api_shapes_and_not_found_is_a_store_query_error(tmp_path: Path) -> None:
    """The API calls these too: its error handler knows echolot.store.query's errors."""
    from echolot.store.query import NotFound

    store = _store(tmp_path)
    counts = narrative_counts(store, "lang")
    assert [g["group"] for g in counts["narratives"][0]["groups"]] == ["en"]
    assert counts["narratives"][0]["groups"][0]["articles"] == 2
    page = narrative_hits(store, "n1", None, "en", 1, None)
    assert page["total"] == 2 and len(page["items"]) == 1
    with pytest.raises(NotFound):
        narrative_hits(store, "zzz", None, None, 10, None)
    with pytest.raises(QueryError, match="unknown stance"):
        narrative_counts(store, "outlet", "love")
    store.close()
