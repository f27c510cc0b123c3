"""Cross-article matching (entities/matcher.py): acronyms that spell a long name out."""
from __future__ import annotations

import re

from echolot.entities.canonical import name_keys
from echolot.entities.matcher import _spells_out
from echolot.entities.query import find_entity
from echolot.entities.stage import process
from echolot.model import Article, Sentence
from echolot.settings import Settings
from echolot.store import SQLiteStore


def test_an_acronym_spells_out_a_name_of_three_or_more_words_in_one_script() -> None:
    assert _spells_out(name_keys("ЗСУ"), "Збройних сил України")
    assert _spells_out(name_keys("Збройних сил України"), "ЗСУ")
    assert _spells_out(name_keys("CSTO"), "Collective Security Treaty Organization")
    assert not _spells_out(name_keys("AP"), "Associated Press")  # two letters collide too often
    assert not _spells_out(name_keys("ЗСУ"), "Zbroini Syly Ukrainy")  # another script: a transliteration guess
    assert not _spells_out(name_keys("ЗСУ"), "Збройних сил Росії")


class _Tagger:
    def __init__(self, names: dict[str, str]) -> None:
        self.names = names

    def supports(self, lang: str | None) -> bool:
        return True

    def recognize(self, text: str, lang: str | None) -> list[tuple[int, int, str]]:
        return sorted((m.start(), m.end(), t) for n, t in self.names.items()
                      for m in re.finditer(rf"(?<!\w){re.escape(n)}(?!\w)", text))


def _article(article_id: str, text: str) -> Article:
    return Article(id=article_id, text=text, lang="uk", paragraphs=[text], paragraph_langs=["uk"],
                   sentences=[Sentence(index=0, paragraph=0, text=text, lang="uk", start=0, end=len(text))])


def test_an_acronym_joins_its_spelled_out_name_in_an_article_sharing_no_other_entity(store: SQLiteStore) -> None:
    tagger = _Tagger({"ЗСУ": "ORG", "Збройних сил України": "ORG", "Маріуполь": "LOC", "Київ": "LOC"})
    articles = [_article("u1", "Зброя в руках воїнів ЗСУ захищає Київ."),
                _article("u2", "Головнокомандувач Збройних сил України приїхав у Маріуполь.")]
    store.add_articles(articles)
    process(articles, store, Settings(), recognizer=tagger.recognize, supports=tagger.supports, progress=False)
    assert find_entity(store, "ЗСУ")["id"] == find_entity(store, "Збройних сил України")["id"]


def test_an_acronym_joins_a_known_expansion_only_letter_for_letter(store: SQLiteStore) -> None:
    """"США" folds like the initials of "Саудовской Аравии" ("Ш" is "sh"), but has three letters: two
    articles sharing their other entities still keep them apart."""
    tagger = _Tagger({"США": "LOC", "Саудовской Аравии": "LOC", "Майк Помпео": "PER", "Джамаль Хашогги": "PER"})
    articles = [_article("r1", "Майк Помпео и Джамаль Хашогги: визит в Саудовской Аравии."),
                _article("r2", "Майк Помпео и Джамаль Хашогги: позиция США.")]
    store.add_articles(articles)
    process(articles, store, Settings(), recognizer=tagger.recognize, supports=tagger.supports, progress=False)
    assert find_entity(store, "США")["id"] != find_entity(store, "Саудовской Аравии")["id"]


def _process(store: SQLiteStore, tagger: _Tagger, articles: list[Article]) -> None:
    store.add_articles(articles)
    process(articles, store, Settings(), recognizer=tagger.recognize, supports=tagger.supports, progress=False)


def _in(lang: str, article_id: str, text: str) -> Article:
    return Article(id=article_id, text=text, lang=lang, paragraphs=[text], paragraph_langs=[lang],
                   sentences=[Sentence(index=0, paragraph=0, text=text, lang=lang, start=0, end=len(text))])


def test_a_lone_surname_joins_a_full_name_only_with_support_beyond_places(store: SQLiteStore) -> None:
    """names pass: a Portuguese article's "Zakharova" beside "Maria Zakharova" made "zakharova" a key of that
    person, and a Russian article's actress "Захарова" met it by key with Russia as the only shared entity."""
    tagger = _Tagger({"Maria Zakharova": "PER", "Zakharova": "PER", "Захарова": "PER", "Rússia": "LOC",
                      "Россия": "LOC", "России": "LOC", "Sputnik": "ORG", "Спутник": "ORG", "Лией Михайловной": "PER"})
    articles = [_in("pt", "p1", "Maria Zakharova falou à Sputnik sobre a Rússia. Zakharova disse mais."),
                _in("ru", "r1", "Я познакомилась с Лией Михайловной, актрисой Захарова, в России."),
                _in("ru", "r2", "Захарова заявила агентству Спутник, что Россия ответит.")]
    _process(store, tagger, articles)
    zakharova = find_entity(store, "Maria Zakharova")
    assert zakharova is not None
    assert "r1" not in zakharova["articles"]  # Russia alone is no evidence
    assert "r2" in zakharova["articles"]  # Sputnik (the same entity in both scripts) is


def test_a_name_written_by_ear_in_another_script_joins_with_context(store: SQLiteStore) -> None:
    """names pass: "Байден" (folded "baiden") and "Biden" differ in a vowel the ear put there; with two shared
    entities they are one person, in full ("Джо Байден") or alone, even after an article that shares nothing
    ("Лима") made "Байдена" an entity of its own, which the Russian full name then takes along."""
    tagger = _Tagger({"Joe Biden": "PER", "Biden": "PER", "Байден": "PER", "Джо Байден": "PER", "NATO": "ORG",
                      "НАТО": "ORG", "Kyiv": "LOC", "Киев": "LOC", "Donald Trump": "PER", "Трамп": "PER",
                      "Байдена": "PER", "Лима": "LOC", "Киеве": "LOC"})
    articles = [_in("en", "e1", "Joe Biden met Donald Trump before NATO talks on Kyiv. Biden spoke."),
                _in("ru", "r3", "Лима: соседа Байдена зовут так же."),
                _in("ru", "r1", "Байден и Трамп обсудили НАТО и Киев."),
                _in("ru", "r2", "Джо Байден говорил о НАТО и Киеве.")]
    _process(store, tagger, articles)
    biden = find_entity(store, "Joe Biden")
    assert biden is not None
    assert {"e1", "r1", "r2"} <= set(biden["articles"])
    trump, donald = find_entity(store, "Трамп"), find_entity(store, "Donald Trump")
    assert trump is not None and donald is not None and trump["id"] == donald["id"]


def test_a_name_by_ear_stays_apart_without_shared_context_or_in_one_script(store: SQLiteStore) -> None:
    tagger = _Tagger({"Joe Biden": "PER", "Байден": "PER", "NATO": "ORG", "НАТО": "ORG", "Kyiv": "LOC", "Киев": "LOC",
                      "Лима": "LOC", "Joe Baiden": "PER"})
    articles = [_in("en", "e1", "Joe Biden spoke of NATO and Kyiv."),
                _in("ru", "r1", "Байден был в Лима."),
                _in("en", "e2", "Joe Baiden spoke of NATO and Kyiv.")]  # one script: one spelling convention
    _process(store, tagger, articles)
    biden = find_entity(store, "Joe Biden")
    assert biden is not None
    assert set(biden["articles"]) == {"e1"}
