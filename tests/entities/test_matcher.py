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
