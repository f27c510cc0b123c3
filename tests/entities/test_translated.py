"""Translated organisation names join by meaning only when every guard holds (a scripted encoder)."""
from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from echolot.entities.canonical import name_keys
from echolot.entities.index import EntityIndex
from echolot.entities.translated import join_translated, one_word_apart
from echolot.settings import EntitiesSettings


class Vectors:
    """A test double for a sentence encoder: fixed vectors by name."""

    name = "scripted"
    dim = 3

    def __init__(self, vectors: dict[str, tuple[float, float, float]]) -> None:
        self.vectors = vectors

    def encode(self, texts: list[str]) -> np.ndarray:
        rows = np.array([self.vectors[t] for t in texts], dtype=np.float32)
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def entity(index: EntityIndex, surface: str, type_: str, lang: str, articles: Iterable[str]) -> str:
    record = index.new_entity(f"{surface}\x00{lang}")
    for article_id in articles:
        index.add_variant(record, name_keys(surface), type_, lang, article_id)
    return record.id


def world(lang_b: str = "es", articles_b: tuple[str, ...] = ("b1",), shared_places: int = 2) -> tuple[EntityIndex, str, str]:
    """An English and a second-language organisation in different articles, with `shared_places`
    co-mentioned places in common."""
    index = EntityIndex()
    a = entity(index, "Lorrenian Medicines Authority", "ORG", "en", ["a1"])
    b = entity(index, "Autoridad Lorrenia de Medicamentos" if lang_b == "es" else "Lorrenische Arzneimittelbehörde",
               "ORG", lang_b, articles_b)
    for i in range(shared_places):
        entity(index, f"Place{i}", "LOC", "en", ["a1", *articles_b])
    return index, a, b


def named_in(index: EntityIndex):  # type: ignore[no-untyped-def]
    def lookup(article_id: str) -> set[str]:
        return {r.id for r in index.active() if article_id in r.articles}
    return lookup


CLOSE = {"Lorrenian Medicines Authority": (1.0, 0.1, 0.0), "Autoridad Lorrenia de Medicamentos": (1.0, 0.2, 0.0),
         "Lorrenische Arzneimittelbehörde": (1.0, 0.15, 0.0), "Asociación Lorrenia de Farmacéuticos": (1.0, 0.25, 0.05)}


def join(index: EntityIndex, vectors: dict[str, tuple[float, float, float]] = CLOSE) -> int:
    return join_translated(index, [r.id for r in index.active()], named_in(index), EntitiesSettings(),
                           lambda: Vectors(vectors))


def test_a_translated_name_with_shared_context_joins_and_says_why() -> None:
    index, a, b = world()
    assert join(index) == 1
    assert index.resolve(a) == index.resolve(b)
    assert any("translated name" in r and "Autoridad Lorrenia" in r for r in index.get(a).merge_reasons)


def test_without_enough_shared_context_names_stay_apart() -> None:
    index, a, b = world(shared_places=1)
    assert join(index) == 0 and index.resolve(a) != index.resolve(b)


def test_names_side_by_side_in_one_article_are_two_things() -> None:
    index, a, b = world(articles_b=("a1",))
    assert join(index) == 0 and index.resolve(a) != index.resolve(b)


def test_two_names_in_one_language_are_two_organisations() -> None:
    index, a, b = world(lang_b="de")
    german = entity(index, "Lorrenian Medicines Authority Board", "ORG", "de", ["a1"])
    index.merge(a, german, "test: the English entity already has a German name")
    assert join(index, {**CLOSE, "Lorrenian Medicines Authority Board": (1.0, 0.1, 0.0)}) == 0
    assert index.resolve(a) != index.resolve(b)


def test_low_cosine_is_no_match() -> None:
    index, a, b = world()
    far = {**CLOSE, "Autoridad Lorrenia de Medicamentos": (0.0, 1.0, 0.0)}
    assert join(index, far) == 0 and index.resolve(a) != index.resolve(b)


def test_a_close_rival_in_the_same_language_is_a_doubt() -> None:
    index, a, b = world()
    rival = entity(index, "Asociación Lorrenia de Farmacéuticos", "ORG", "es", ["b2"])
    for record in index.active():
        if record.id not in {a, b, rival} and record.type == "LOC":
            index.add_variant(record, name_keys(record.name), "LOC", "en", "b2")
    assert join(index) == 0 and index.resolve(a) not in {index.resolve(b), index.resolve(rival)}


def test_people_never_join_by_meaning() -> None:
    index = EntityIndex()
    a = entity(index, "Anna Berg", "PER", "en", ["a1"])
    b = entity(index, "Anna Berga", "PER", "es", ["b1"])
    for i in range(3):
        entity(index, f"Place{i}", "LOC", "en", ["a1", "b1"])
    assert join(index, {"Anna Berg": (1, 0, 0), "Anna Berga": (1, 0, 0)}) == 0 and index.resolve(a) != index.resolve(b)


def test_two_names_made_of_common_words_name_a_category_not_one_thing() -> None:
    """The British "Ministry of Defence" and a Russian "Министерство обороны" share a war's context."""
    index = EntityIndex()
    a = entity(index, "Ministry of Defence", "ORG", "en", ["a1"])
    b = entity(index, "Министерство обороны", "ORG", "ru", ["b1"])
    for i in range(3):
        entity(index, f"Place{i}", "LOC", "en", ["a1", "b1"])
    assert join(index, {"Ministry of Defence": (1, 0.1, 0), "Министерство обороны": (1, 0.12, 0)}) == 0
    assert index.resolve(a) != index.resolve(b)


def _two_in_shared_context(first: tuple[str, str], second: tuple[str, str]) -> tuple[EntityIndex, str, str]:
    """Two organisations (name, language) in two articles that share three places."""
    index = EntityIndex()
    a = entity(index, first[0], "ORG", first[1], ["a1"])
    b = entity(index, second[0], "ORG", second[1], ["b1"])
    for i in range(3):
        entity(index, f"Place{i}", "LOC", "en", ["a1", "b1"])
    return index, a, b


def test_names_whose_own_words_differ_stay_apart() -> None:
    index, a, b = _two_in_shared_context(("Ministry of Defence of Norvalen", "en"),
                                         ("Verteidigungsministerium Morveniens", "de"))
    close = {"Ministry of Defence of Norvalen": (1, 0.1, 0), "Verteidigungsministerium Morveniens": (1, 0.12, 0)}
    assert join(index, close) == 0 and index.resolve(a) != index.resolve(b)


def test_two_names_one_word_apart_are_two_things_in_any_language() -> None:
    # ninth pass: "The Washington Times" in a Bulgarian article is no translation of "The Washington Post"
    index, a, b = _two_in_shared_context(("The Washington Post", "en"), ("The Washington Times", "bg"))
    assert join(index, {"The Washington Post": (1, 0.1, 0), "The Washington Times": (1, 0.12, 0)}) == 0
    assert index.resolve(a) != index.resolve(b)
    assert one_word_apart("Bank of England", "Bank of France")
    assert not one_word_apart("Lorrenian Medicines Authority", "Autoridad Lorrenia de Medicamentos")
    assert not one_word_apart("CSTO", "OVKS")
