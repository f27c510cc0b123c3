"""Evidence against joining: name phrases of the lead, and undated articles dated from their text."""
from __future__ import annotations

import numpy as np

from echolot.model import Article
from echolot.settings import StoriesSettings
from echolot.stories.cluster import Item, StoryClusterer
from echolot.stories.features import names, parse_time
from echolot.stories.stage import _times

DIM = 16


def _vector(seed: int, base: np.ndarray, share: float = 0.8) -> np.ndarray:
    """A unit vector with cosine `share` to `base`; two of them have a cosine near share**2."""
    other = np.random.default_rng(seed).normal(size=DIM)
    other -= (other @ base) * base
    other /= np.linalg.norm(other)
    return (share * base + np.sqrt(1 - share**2) * other).astype(np.float32)


def test_name_phrases_leave_sentence_starts_and_punctuation_out() -> None:
    text = "USA weisen Rolle zurück. Die Sprecherin des Weißen Hauses, Jen Psaki, sagte. US-Präsident Joe Biden"
    assert names(text) == ["biden", "hauses", "jen", "joe", "prasident", "psaki", "weissen"]
    assert names("ASTANA, Kasachstan: US-Außenminister Antony Blinken kam") == ["antony", "aussenminister",
                                                                                  "blinken"]
    assert names("Ein Satz ohne Namen. Noch einer.") == []


def _clusterer(name_penalty: float = 0.3, threshold: float = 0.4) -> tuple[StoryClusterer, np.ndarray]:
    settings = StoriesSettings(global_warmup=1e9, debias_warmup=1e9, name_penalty=name_penalty,
                               name_dated_share=0.5, threshold=threshold)  # raw cosines, no centring
    base = np.ones(DIM, dtype=np.float32) / np.sqrt(DIM)
    clusterer = StoryClusterer(settings, DIM)
    lead = ["psaki", "biden", "white", "house", "washington"]
    clusterer.add(Item("a", _vector(1, base), "en", 100.0, lead, lead=True, names=lead))
    return clusterer, base


def test_a_lead_naming_nobody_of_the_story_opens_its_own() -> None:
    clusterer, base = _clusterer()
    same = clusterer.add(Item("b", _vector(2, base), "de", 100.0, ["psaki", "biden"], lead=True,
                              names=["psaki", "biden"]))
    assert not same.new and "evidence against" not in same.reason
    other = clusterer.add(Item("c", _vector(3, base), "de", 100.0, ["blinken"], lead=True, names=["blinken",
                                                                                               "astana"],
                               timed=False))
    assert other.new  # same words around Kazakhstan, but another visit by another man
    titles_only = clusterer.add(Item("d", _vector(4, base), "de", 100.0, ["blinken"]))  # no lead: no evidence
    assert not titles_only.new


def test_a_dated_name_miss_weighs_half() -> None:
    clusterer, base = _clusterer(name_penalty=0.5, threshold=0.3)
    dated = clusterer.add(Item("b", _vector(2, base), "de", 100.1, ["ovks"], lead=True, names=["ovks"]))
    assert not dated.new and "evidence against -0.25 (names none of the story's names)" in dated.reason
    undated = clusterer.add(Item("c", _vector(3, base), "de", 100.0, ["kiew"], lead=True, names=["kiew"],
                                 timed=False))
    assert undated.new  # the full penalty: 0.5


def _article(aid: str, text: str, published: str | None = None) -> Article:
    return Article(id=aid, text=text, title=aid, published=published)


def test_undated_articles_take_a_date_or_a_lower_bound_from_their_text() -> None:
    articles = [
        _article("dated", "Protests in Almaty.", "2022-01-05T22:10:00"),
        _article("dateline", "5 Jan, 2022 22:10. Protests in Almaty."),
        _article("later", "Seit dem Einmarsch im Februar 2022 ist das Land vorsichtig."),
        _article("earlier-bound", "Seit 2017 Gastgeber der Gespräche."),
        _article("nothing", "Blinken traf Tokajew vor einem Jahr."),
    ]
    timed = {t.article.id: t for t in _times(articles, float("-inf"))}
    assert timed["dated"].source == "published"
    assert timed["dateline"].source == "text" and timed["dateline"].time == parse_time("2022-01-05")
    assert timed["later"].source == "bound" and timed["later"].time == parse_time("2022-02-01")
    # a bound before the newest dated article says nothing new: the article stands "now"
    assert timed["earlier-bound"].source == "none" and timed["earlier-bound"].time == timed["dated"].time
    assert timed["nothing"].source == "none"
    order = [t.article.id for t in _times(articles, float("-inf"))]
    assert order[-2:] == ["earlier-bound", "nothing"]  # no time evidence: last, after every dated story


def _placed(penalty: float) -> tuple[StoryClusterer, np.ndarray]:
    """A story on Moscow's weather (no name phrases, one place), and the clusterer that holds it."""
    settings = StoriesSettings(global_warmup=1e9, debias_warmup=1e9, threshold=0.4, place_penalty=penalty)
    base = np.ones(DIM, dtype=np.float32) / np.sqrt(DIM)
    clusterer = StoryClusterer(settings, DIM)
    clusterer.add(Item("a", _vector(1, base), "ru", 100.0, ["moskve"], lead=True, places=["RU/524901"]))
    return clusterer, base


def test_a_lead_naming_another_town_opens_its_own_story() -> None:
    clusterer, base = _placed(0.3)
    same = clusterer.add(Item("b", _vector(2, base), "en", 100.0, ["moscow"], lead=True, places=["RU/524901"]))
    country = clusterer.add(Item("c", _vector(3, base), "de", 100.0, ["russland"], lead=True, places=["RU"]))
    assert not same.new and not country.new  # the same town; the country that holds it
    other = clusterer.add(Item("d", _vector(4, base), "ru", 100.0, ["peterburge"], lead=True,
                               places=["RU/498817"]))
    assert other.new  # St Petersburg is not Moscow, though Russia holds both
    nowhere = clusterer.add(Item("e", _vector(5, base), "en", 100.0, [], lead=True))
    assert not nowhere.new  # naming no place is no evidence


def test_the_place_penalty_is_named_in_the_reason_and_off_by_setting() -> None:
    clusterer, base = _placed(0.1)
    joined = clusterer.add(Item("b", _vector(2, base), "ru", 100.0, [], lead=True, places=["EE"]))
    assert not joined.new and "evidence against -0.10 (names none of the story's places)" in joined.reason
    clusterer, base = _placed(0.0)
    assert not clusterer.add(Item("b", _vector(4, base), "ru", 100.0, [], lead=True, places=["RU/498817"])).new
