"""The tokenizer and sentence grouping on scripts without capitals: a word keeps its combining marks
(Devanagari vowel signs and viramas, Bengali, Arabic vowel points) and its zero-width joiners, and
the danda, the Arabic question mark and the CJK full stop end sentences."""
from __future__ import annotations

import pytest

from echolot.entities.ner.tokens import group_sentences, tokenize


def _words(text: str) -> list[str]:
    return [text[a:b] for a, b in tokenize(text)]


@pytest.mark.parametrize(("text", "words"), [
    ("रूसी राष्ट्रपति व्लादिमीर पुतिन से बात", ["रूसी", "राष्ट्रपति", "व्लादिमीर", "पुतिन", "से", "बात"]),
    ("প্রধানমন্ত্রী শেখ হাসিনা", ["প্রধানমন্ত্রী", "শেখ", "হাসিনা"]),
    ("مُحَمَّد في القاهرة", ["مُحَمَّد", "في", "القاهرة"]),
    ("می\u200cشود", ["می\u200cشود"]),  # Persian: the zero-width non-joiner sits inside the word
    ("रूस-यूक्रेन", ["रूस-यूक्रेन"]),
])
def test_a_word_keeps_its_combining_marks(text: str, words: list[str]) -> None:
    assert _words(text) == words


def test_cased_scripts_tokenize_as_before() -> None:
    text = "U.S. O'Neill z.B. 1.000,50 Müller-Lüdenscheidt won't Токаев."
    assert _words(text) == ["U.S.", "O'Neill", "z.B.", "1.000,50", "Müller-Lüdenscheidt", "won't", "Токаев", "."]
    assert _words("e\u0301te\u0301") == ["e\u0301te\u0301"]  # decomposed accents stay in the word too
    assert _words("\u0301x") == ["\u0301", "x"]  # a mark with no letter before it is a token of its own


def _sentences(text: str) -> list[str]:
    offsets = tokenize(text)
    words = [text[a:b] for a, b in offsets]
    return [" ".join(words[a:b]) for a, b in group_sentences(words, [a for a, _ in offsets], text)]


def test_danda_and_other_stops_end_sentences() -> None:
    assert _sentences("अमेरिका ने चीन पर आरोप लगाया है। रूस और यूक्रेन के बीच जंग जारी है।") == [
        "अमेरिका ने चीन पर आरोप लगाया है ।", "रूस और यूक्रेन के बीच जंग जारी है ।"]
    assert len(_sentences("ما الذي يحدث؟ السودان بلد كبير.")) == 2
    assert len(_sentences("He came. then left.")) == 1  # a lower-case word after a stop still continues
