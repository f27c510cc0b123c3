"""Frequency tables, weeks and spread over the provenance graph, on hand-made hits."""
from __future__ import annotations

from pathlib import Path

import pytest

from echolot.model import Article, ReuseLink
from echolot.narratives.views import article_rollup, frequency, plot, resolve_narrative, spread, week_of
from echolot.store import SQLiteStore


def _hit(aid: str, nid: str, stance: str, outlet: str, published: str | None, score: float = 0.7) -> dict:
    return {"article_id": aid, "narrative_id": nid, "name": nid.title(), "sentence": f"{aid} says {nid}",
            "score": score, "stance": stance, "outlet": outlet, "lang": "de" if outlet == "B" else "en",
            "published": published, "root_id": nid, "parent_id": None}


HITS = [
    _hit("a1", "n1", "endorse", "A", "2022-01-03"),
    _hit("a1", "n1", "report", "A", "2022-01-03", 0.6),
    _hit("a2", "n1", "deny", "B", "2022-01-04"),
    _hit("a3", "n1", "endorse", "B", "2022-01-12"),
    _hit("a3", "n2", "endorse", "B", "2022-01-12"),
]


def test_week_of() -> None:
    assert week_of("2022-01-03T10:00") == "2022-W01"
    assert week_of(None) == week_of("not a date") == "(undated)"


def test_rollup_counts_articles_once() -> None:
    rows = article_rollup(HITS)
    assert len(rows) == 4
    a1 = next(r for r in rows if r["article_id"] == "a1")
    assert a1["stance"] == "endorse" and a1["hits"] == 2 and a1["score"] == 0.7


def test_frequency_by_outlet_week_and_stance() -> None:
    by_outlet = frequency(HITS, "outlet")
    assert list(by_outlet) == ["n1", "n2"]
    assert by_outlet["n1"]["by"]["B"] == {"articles": 2, "endorse": 1, "report": 0, "deny": 1}
    by_week = frequency(HITS, "week")
    assert by_week["n1"]["by"]["2022-W01"]["articles"] == 2
    assert frequency(HITS, "outlet", stance="deny")["n1"]["total"] == 1
    with pytest.raises(ValueError):
        frequency(HITS, "colour")


def test_resolve_narrative() -> None:
    assert resolve_narrative(HITS, "n1") == "n1"
    assert resolve_narrative(HITS, "N2") == "n2"  # by name
    assert resolve_narrative(HITS, "zzz") is None


def test_spread_follows_links_from_endorsers(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "s.db")
    store.add_articles([Article(id=i, text=f"text {i}", source=s, lang="en") for i, s in
                        (("a1", "A"), ("a2", "B"), ("a3", "B"), ("a4", "C"), ("a5", "D"))])
    store.put_links([ReuseLink(source="a1", target="a4", kind="translation", score=0.8),
                     ReuseLink(source="a4", target="a5", kind="copy", score=0.9),
                     ReuseLink(source="a2", target="a3", kind="copy", score=0.9, directed=False)])
    report = spread(store, HITS, "n1")
    assert report["first_endorser"]["article_id"] == "a1"
    steps = {s["to"]: s for s in report["spread"]}
    assert steps["a4"]["hop"] == 1 and steps["a4"]["kind"] == "translation"
    assert steps["a5"]["hop"] == 2 and steps["a5"]["stance_there"].startswith("no hit")
    assert steps["a2"]["stance_there"] == "deny"  # undirected link from endorsing a3
    assert [t["article_id"] for t in report["timeline"]] == ["a1", "a2", "a3"]
    store.close()


def test_plot_rejects_bad_suffix_and_writes_svg(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"\.png or \.svg"):
        plot(HITS, "outlet", tmp_path / "x.pdf")
    out = plot(HITS, "outlet", tmp_path / "x.svg")
    assert out.read_text(encoding="utf-8").lstrip().startswith("<?xml")
