"""Language per article and per paragraph (ISO 639-1)."""
from __future__ import annotations

from echolot.model import Article
from echolot.text import annotate, detect_language, detect_paragraph_languages


def test_detect_language() -> None:
    assert detect_language("Die Regierung hat am Mittwoch neue Maßnahmen beschlossen.")[0] == "de"
    assert detect_language("The government announced new measures on Wednesday.")[0] == "en"
    assert detect_language("Правительство в среду объявило о новых мерах.")[0] == "ru"
    assert detect_language("12 345 !!!") == (None, 0.0)


def test_mixed_article_gets_paragraph_languages() -> None:
    text = ("Die Regierung hat am Mittwoch neue Maßnahmen gegen die Krise beschlossen und sie vorgestellt.\n\n"
            "The government announced new measures against the crisis on Wednesday, officials said.\n\nKurz.")
    article = annotate(Article(id="x", text=text))
    assert article.lang in {"de", "en"}
    assert article.paragraph_langs[:2] == ["de", "en"]
    assert article.paragraph_langs[2] == article.lang  # too short to judge: inherits
    assert detect_paragraph_languages(["ok"], "de") == ["de"]
