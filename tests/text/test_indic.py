"""Brahmic words written as English spellings of names write them."""
from __future__ import annotations

import pytest

from echolot.text.indic import is_indic, romanize, script_of


@pytest.mark.parametrize("word, latin", [
    ("पुतिन", "putin"),  # final inherent vowel dropped
    ("मोदी", "modi"),  # long vowels as plain letters
    ("वाशिंगटन", "vashingtan"),  # medial vowel dropped between single consonants, after a nasalised vowel
    ("डोनाल्ड", "donald"),
    ("कमला", "kamla"),  # ka-ma-la: the middle vowel goes, as Hindi speaks it
    ("नरेंद्र", "narendra"),  # kept after a conjunct ending in r
    ("मिश्र", "mishra"),
    ("सत्य", "satya"),
    ("न", "na"),  # a word of one syllable keeps its vowel
])
def test_inherent_vowel_spoken_where_hindi_speaks_it(word: str, latin: str) -> None:
    assert romanize(word) == latin


@pytest.mark.parametrize("word, latin", [
    ("ज़ेलेंस्की", "zelenski"),  # nukta letters as their loanword sounds
    ("फ़्रांस", "frans"),
    ("सड़क", "sarak"),
    ("ट्रंप", "tramp"),  # anusvara before a lip consonant: m
    ("ट्रम्प", "tramp"),
    ("हाँ", "han"),  # chandrabindu
    ("दुःख", "duhkh"),  # visarga
    ("मैक्रों", "maikron"),
])
def test_nukta_nasals_and_visarga(word: str, latin: str) -> None:
    assert romanize(word) == latin


def test_precomposed_and_decomposed_nukta_read_alike() -> None:
    assert romanize("\u095b") == romanize("\u091c\u093c") == "za"


@pytest.mark.parametrize("word, latin", [
    ("বাংলাদেশ", "bangladesh"),  # Bengali: anusvara is "ng"
    ("হাসিনা", "hasina"),
    ("ঢাকা", "dhaka"),
    ("ਪੰਜਾਬ", "panjab"),  # Gurmukhi: tippi is a nasal
    ("ਸਿੰਘ", "singh"),
    ("ગાંધી", "gandhi"),  # Gujarati
    ("ଓଡ଼ିଶା", "orisha"),  # Odia: nukta letter
    ("சென்னை", "chennai"),  # Tamil: the inherent vowel is spoken, never dropped
    ("తెలంగాణ", "telangana"),  # Telugu
    ("ಬೆಂಗಳೂರು", "bengaluru"),  # Kannada
    ("കേരളം", "keralam"),  # Malayalam: final anusvara is "m"
])
def test_other_brahmic_scripts_share_the_table(word: str, latin: str) -> None:
    assert romanize(word) == latin


@pytest.mark.parametrize("word, latin", [
    ("जेलेंस्की", "zelenski"),  # the nukta left out
    ("प्रिगोझिन", "prigozhin"),
    ("बाइडेन", "biden"),  # आइ: English "i"
    ("हैरिस", "haris"),  # ै: English "a"
    ("ब्लिंकन", "blinken"),  # a spoken inherent vowel: English "e"
    ("ट्रंप", "trump"),  # one syllable, nasal + consonant after it: English "u"
    ("मस्क", "musk"),
    ("पुतिन", "putin"),  # nothing to re-read
    ("येल्तसिन", "yeltsin"),  # a foreign cluster written without its virama
    ("अलेक्सांद्र", "aleksandr"),  # a loan ends as spelt
    ("एंटनी", "antni"),  # a first ए: English "a"
])
def test_loan_reading_writes_foreign_names_as_english_does(word: str, latin: str) -> None:
    assert romanize(word, loan=True) == latin


def test_loan_reading_is_hindi_only() -> None:
    assert romanize("சென்னை", loan=True) == "chennai"  # Tamil ை is "ai"


def test_other_characters_pass_through() -> None:
    assert romanize("Putin") == "Putin"
    assert romanize("२०२४") == "2024"
    assert romanize("G-20") == "G-20"
    assert romanize("") == ""


def test_script_detection() -> None:
    assert script_of("प") == "deva" and script_of("ক") == "beng" and script_of("a") is None
    assert is_indic("पुतिन") and is_indic("x-ক") and not is_indic("Путин") and not is_indic("Putin")
