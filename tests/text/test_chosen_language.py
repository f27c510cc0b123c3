"""`text.lang` / `--lang`: detection decides unless the user chose a language (or asked for the records' own)."""
from __future__ import annotations

from dataclasses import replace

import pytest

from echolot.model import Article
from echolot.settings import TextSettings
from echolot.text import annotate, chosen_language, language_code

GERMAN = "Die Regierung hat am Mittwoch neue Maßnahmen gegen die Krise beschlossen.\n\nDer Minister sprach von Hilfe."


def test_language_code() -> None:
    assert [language_code(v) for v in ("de", " EN-us ", "pt_BR", "sah")] == ["de", "en", "pt", "sah"]
    assert [language_code(v) for v in ("German", "", "d", None, 7, "12")] == [None] * 6


def test_chosen_language() -> None:
    assert chosen_language("", "en") is None  # default: the declared value is not used
    assert chosen_language("ru", "en") == "ru"  # the user's code wins over the record's
    assert chosen_language("declared", "EN") == "en"
    assert chosen_language("declared", "English") is None  # not a code: detect
    assert chosen_language("declared", None) is None
    with pytest.raises(ValueError, match="not a language code"):
        chosen_language("deutsch")


def _annotated(lang_setting: str, declared: str | None) -> Article:
    meta = {"declared_lang": declared} if declared else {}
    return annotate(Article(id="x", text=GERMAN, meta=meta), replace(TextSettings(), lang=lang_setting))


def test_detection_decides_by_default_even_against_a_declared_lang() -> None:
    article = _annotated("", "en")
    assert article.lang == "de" and set(article.paragraph_langs) == {"de"}


def test_a_chosen_code_covers_article_paragraphs_and_sentences() -> None:
    article = _annotated("fr", None)
    assert article.lang == "fr" and article.paragraph_langs == ["fr", "fr"]
    assert {s.lang for s in article.sentences} == {"fr"}


def test_declared_uses_the_record_field_where_it_is_a_code() -> None:
    assert _annotated("declared", "en").lang == "en"
    assert _annotated("declared", "unknown").lang == "de"
    assert _annotated("declared", None).lang == "de"
