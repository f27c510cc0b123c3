"""Sentence splitting: German ordinals and abbreviations, Russian initials, offsets."""
from __future__ import annotations

import pytest

from echolot.text import split_paragraphs, split_sentences, split_sentences_in_paragraph


@pytest.mark.parametrize("text,expected", [
    ("Er kam am 5. Januar 2022 nach Berlin. Das war gut.", ["Er kam am 5. Januar 2022 nach Berlin.", "Das war gut."]),
    ("Wir schlagen vor, das 20. Treffen zum letzten zu erklären. Gut.",
     ["Wir schlagen vor, das 20. Treffen zum letzten zu erklären.", "Gut."]),
    ("Das kostet 3 Mio. Euro. Das ist viel.", ["Das kostet 3 Mio. Euro.", "Das ist viel."]),
    ("Der Schaden beträgt 3 Mio. Das ist viel.", ["Der Schaden beträgt 3 Mio.", "Das ist viel."]),
    ("Im Jahr 2022. Das Jahr war gut.", ["Im Jahr 2022.", "Das Jahr war gut."]),
    ("Es gibt z. B. Äpfel. Und Birnen.", ["Es gibt z. B. Äpfel.", "Und Birnen."]),
    ("Dr. Müller kam um 10 Uhr. Er ging.", ["Dr. Müller kam um 10 Uhr.", "Er ging."]),
    ("„Warum?“, fragte er. „Darum!“ Sie lachte.", ["„Warum?“, fragte er.", "„Darum!“", "Sie lachte."]),
    ("Er sagte: „Das ist falsch.“ Dann ging er.", ["Er sagte: „Das ist falsch.“", "Dann ging er."]),
    ("В. В. Путин заявил, что всё хорошо. Потом он ушёл.", ["В. В. Путин заявил, что всё хорошо.", "Потом он ушёл."]),
    ("В 2022 г. он уехал. В 2023 г. Путин вернулся.", ["В 2022 г. он уехал.", "В 2023 г. Путин вернулся."]),
    ("The U.S. said no. Then it said yes.", ["The U.S. said no.", "Then it said yes."]),
    ("He lives at No. 10 Downing Street. It is nice.", ["He lives at No. 10 Downing Street.", "It is nice."]),
    ("He spoke about.The status is clear.", ["He spoke about.", "The status is clear."]),
    ("東京は晴れ。大阪は雨。", ["東京は晴れ。", "大阪は雨。"]),
])
def test_split(text: str, expected: list[str]) -> None:
    assert split_sentences_in_paragraph(text) == expected


def test_ordinal_rule_depends_on_language() -> None:
    text = "Sales rose in 2022. Smith said so."
    assert split_sentences_in_paragraph(text, lang="en") == ["Sales rose in 2022.", "Smith said so."]


def test_offsets_and_paragraphs() -> None:
    text = "Erster Satz. Zweiter Satz.\n\nNeuer Absatz hier. Ende."
    sentences = split_sentences(text, ["de", "en"])
    assert [s.paragraph for s in sentences] == [0, 0, 1, 1]
    assert [s.lang for s in sentences] == ["de", "de", "en", "en"]
    for s in sentences:
        assert text[s.start:s.end] == s.text
    assert split_paragraphs(text) == ["Erster Satz. Zweiter Satz.", "Neuer Absatz hier. Ende."]


def test_polish_abbreviations_do_not_end_a_sentence() -> None:
    text = "Zginęło ok. 20 osób, m.in. dzieci. Minister podał tzw. raport. It was OK. The talks went on."
    assert [text[s.start:s.end] for s in split_sentences(text)] == [
        "Zginęło ok. 20 osób, m.in. dzieci.", "Minister podał tzw. raport.", "It was OK.", "The talks went on."]
