"""query.py: what the CLI and the REST API call, on a small hand-made store."""
from __future__ import annotations

from pathlib import Path

import pytest

from echolot.model import Article
from echolot.narratives.query import (QueryError, article_narratives, frequency_table, narrative_spread,
                                      with_catalog)
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
