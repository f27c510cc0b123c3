"""Sentence splitting: German ordinals and abbreviations, Russian initials, offsets, every script's marks."""
from __future__ import annotations

import itertools
import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from echolot.text import sentences as sentences_module
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
    text = "Zginęło ok. 20 osób, m.in. dzieci. Minister podał tzw. raport.\nIt was OK. The talks went on."
    assert [text[s.start:s.end] for s in split_sentences(text, ["pl", "en"])] == [
        "Zginęło ok. 20 osób, m.in. dzieci.", "Minister podał tzw. raport.", "It was OK.", "The talks went on."]


# every script's own sentence marks (issue #12): sentences written for these tests
@pytest.mark.parametrize("text,expected", [
    # Devanagari danda
    ("मंत्री कल दिल्ली पहुँचे। उन्होंने बैठक की अध्यक्षता की।",
     ["मंत्री कल दिल्ली पहुँचे।", "उन्होंने बैठक की अध्यक्षता की।"]),
    # Armenian full stop, and its Latin-keyboard stand-in ":" before a capital
    ("Վարչապետը ժամանեց Երևան։ Նա հանդիպեց նախարարներին։",
     ["Վարչապետը ժամանեց Երևան։", "Նա հանդիպեց նախարարներին։"]),
    ("Վարչապետը ժամանեց Երևան: Նա հանդիպեց նախարարներին:",
     ["Վարչապետը ժամանեց Երևան:", "Նա հանդիպեց նախարարներին:"]),
    # Ethiopic full stop and question mark
    ("ሚኒስትሩ ትናንት አዲስ አበባ ገቡ። ስብሰባውን መሩ፧ አዎ።", ["ሚኒስትሩ ትናንት አዲስ አበባ ገቡ።", "ስብሰባውን መሩ፧", "አዎ።"]),
    # Urdu full stop; Arabic question mark; the Arabic semicolon does not end a sentence
    ("وزیر اعظم کل لاہور پہنچے۔ انہوں نے اجلاس کی صدارت کی۔",
     ["وزیر اعظم کل لاہور پہنچے۔", "انہوں نے اجلاس کی صدارت کی۔"]),
    ("هل وصل الوزير؟ نعم، وصل أمس؛ ثم عقد اجتماعا.", ["هل وصل الوزير؟", "نعم، وصل أمس؛ ثم عقد اجتماعا."]),
    # Burmese section mark ends, its little section (a comma) does not
    ("ဝန်ကြီး၊ ဒုဝန်ကြီးတို့ ရောက်ရှိခဲ့သည်။ အစည်းအဝေး စတင်ခဲ့သည်။",
     ["ဝန်ကြီး၊ ဒုဝန်ကြီးတို့ ရောက်ရှိခဲ့သည်။", "အစည်းအဝေး စတင်ခဲ့သည်။"]),
    # Khmer khan, Tibetan shad
    ("រដ្ឋមន្ត្រីបានមកដល់ភ្នំពេញ។ លោកបានជួបប្រជុំ។", ["រដ្ឋមន្ត្រីបានមកដល់ភ្នំពេញ។", "លោកបានជួបប្រជុំ។"]),
    ("བོད་ལྗོངས་ལ་ཆར་པ་བབས། ས་ཞིང་ལ་ཕན་ཐོགས།", ["བོད་ལྗོངས་ལ་ཆར་པ་བབས།", "ས་ཞིང་ལ་ཕན་ཐོགས།"]),
    # a full stop before a letter of a script without capitals (Georgian's small letters count as none)
    ("მინისტრი თბილისში ჩავიდა. მან შეხვედრა გამართა.", ["მინისტრი თბილისში ჩავიდა.", "მან შეხვედრა გამართა."]),
    ("השר הגיע לירושלים. הוא נפגש עם ראש העיר.", ["השר הגיע לירושלים.", "הוא נפגש עם ראש העיר."]),
    ("وصل الوزير إلى القاهرة. ثم عقد اجتماعا.", ["وصل الوزير إلى القاهرة.", "ثم عقد اجتماعا."]),
    # East Asian: half-width marks break, a full-width decimal point does not
    ("東京は晴れ｡大阪は雨｡", ["東京は晴れ｡", "大阪は雨｡"]),
    ("成長率は３．５％だった。来年も続く。", ["成長率は３．５％だった。", "来年も続く。"]),
    # Latin-style marks beyond ASCII behave like "!" and "?"
    ("Sie haben gewonnen‼ Das Team feierte.", ["Sie haben gewonnen‼", "Das Team feierte."]),
    ("„Wirklich⁈“, fragte er. Dann ging er.", ["„Wirklich⁈“, fragte er.", "Dann ging er."]),
    # a mark between digits is a time or a number ("25-го июля в 01։23": Armenian full stop as a colon)
    ("25-го июля в 01։23 часов поступил сигнал. Помощь пришла.",
     ["25-го июля в 01։23 часов поступил сигнал.", "Помощь пришла."]),
    # Greek's question mark is the semicolon (ASCII or U+037E) before a capital; "·" is its semicolon
    ("Ποιος το αποφάσισε; Η κυβέρνηση απάντησε χθες.", ["Ποιος το αποφάσισε;", "Η κυβέρνηση απάντησε χθες."]),
    ("Γιατί\u037e «Δεν γνωρίζουμε», είπε.", ["Γιατί\u037e", "«Δεν γνωρίζουμε», είπε."]),
    ("Ήρθε ο υπουργός· Η συνάντηση άρχισε.", ["Ήρθε ο υπουργός· Η συνάντηση άρχισε."]),
    ("Ρώτησε τι έγινε; ο υπουργός δεν απάντησε.", ["Ρώτησε τι έγινε; ο υπουργός δεν απάντησε."]),
    # a semicolon after any other script stays inside its sentence
    ("The vote was close; The Times called it a draw.", ["The vote was close; The Times called it a draw."]),
])
def test_split_every_script(text: str, expected: list[str]) -> None:
    assert split_sentences_in_paragraph(text) == expected


@pytest.mark.parametrize("text,lang,expected", [
    ("Przyszło ok. 300 osób, np. Jan Kowalski z tzw. Komitetu. To dużo.", "pl",
     ["Przyszło ok. 300 osób, np. Jan Kowalski z tzw. Komitetu.", "To dużo."]),
    ("The plan was ok. Smith agreed.", "en", ["The plan was ok.", "Smith agreed."]),  # "ok." is Polish only
    ("Das Buch von J. R. R. Tolkien ist alt. Es ist gut.", "de", ["Das Buch von J. R. R. Tolkien ist alt.", "Es ist gut."]),
    ("Это было, т. е. неправда. Да.", "ru", ["Это было, т. е. неправда.", "Да."]),
])
def test_abbreviations_stay_intact(text: str, lang: str, expected: list[str]) -> None:
    assert split_sentences_in_paragraph(text, lang=lang) == expected


# Thai without marks: sentences separated by spaces (written for this test)
THAI = ("นายกรัฐมนตรีเดินทางถึงเชียงใหม่เมื่อเช้าวันนี้เพื่อพบปะกับผู้นำท้องถิ่นและประชาชน "
        "การประชุมครั้งนี้มุ่งเน้นเรื่องการพัฒนาโครงสร้างพื้นฐานและการท่องเที่ยวในภาคเหนือ "
        "ผู้ว่าราชการจังหวัดกล่าวว่าโครงการใหม่จะช่วยสร้างงานให้กับคนในพื้นที่จำนวนมาก "
        "หลังจากนั้นคณะผู้แทนได้เยี่ยมชมโรงเรียนและโรงพยาบาลประจำอำเภอ "
        "ประชาชนจำนวนมากมารอต้อนรับตลอดเส้นทางแม้ว่าฝนจะตกหนักตั้งแต่ช่วงบ่าย")


def test_long_unmarked_thai_is_cut_at_spaces() -> None:
    sentences = split_sentences_in_paragraph(THAI)
    assert len(sentences) >= 3
    assert all(len(s) <= sentences_module._WINDOW_MAX for s in sentences)
    assert " ".join(sentences) == THAI  # cut only at spaces: nothing lost, nothing reordered
    short = THAI.split(" ")[0] + " " + THAI.split(" ")[1]
    assert split_sentences_in_paragraph(short) == [short]  # a short run stays whole


def test_thai_without_spaces_is_cut_hard_but_bounded() -> None:
    text = THAI.replace(" ", "") * 2
    pieces = split_sentences_in_paragraph(text)
    assert "".join(pieces) == text
    assert all(len(p) <= sentences_module._WINDOW_MAX for p in pieces)
    assert all(unicodedata.category(p[0])[0] != "M" for p in pieces)  # no piece starts with a vowel sign


def test_latin_paragraphs_are_never_windowed() -> None:
    text = " ".join(["word"] * 200)
    assert split_sentences_in_paragraph(text) == [text]


_ALPHABET = st.sampled_from(list("abc XYZ.!?:;,\n\t") + list("।։።۔؟။၊。．３ ") + list("มีการประชุม") + list("ეა") + ["J. ", "z. B. ", "ok. "])


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=400).map("".join), st.sampled_from([None, "de", "en", "pl", "ru"]))
def test_splitting_never_loses_or_reorders_characters(text: str, lang: str | None) -> None:
    sentences = split_sentences(text, [lang] * len(split_paragraphs(text)))
    covered = "".join(text[s.start:s.end] for s in sentences)
    assert "".join(covered.split()) == "".join(text.split())
    assert all(a.end <= b.start for a, b in itertools.pairwise(sentences))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(list("มีการประชุมใหญ่ ") + ["่", "ั"]), min_size=300, max_size=900).map("".join))
def test_windows_never_lose_characters(text: str) -> None:
    sentences = split_sentences(text)
    covered = "".join(text[s.start:s.end] for s in sentences)
    assert "".join(covered.split()) == "".join(text.split())
    assert all(s.end - s.start <= sentences_module._WINDOW_MAX for s in sentences)


def test_generated_hindi_georgian_armenian_stories_split_into_their_sentences() -> None:
    """The provenance benchmark's extra-language articles (bench/provenance_corpus.py): one sentence per mark."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    try:
        from provenance_corpus import extra_records
    finally:
        sys.path.pop(0)

    marks = {"hi": "।", "ka": ".", "hy": "։"}
    records = [r for r in extra_records(60, 0, ("hi", "ka", "hy")) if r["lang"] in marks]
    assert {r["lang"] for r in records} == set(marks)
    for record in records:
        text, mark = str(record["text"]), marks[str(record["lang"])]
        sentences = split_sentences(text)
        assert all(s.text.endswith(mark) for s in sentences)
        assert len(sentences) == text.count(mark)


def test_sentence_terminal_table_matches_unicode() -> None:
    """The written-out table holds every Sentence_Terminal punctuation mark this Python's Unicode knows, and
    nothing else (`regex` knows the property; the table saves scanning the code points at import)."""
    regex = pytest.importorskip("regex")
    table = set(sentences_module._sentence_terminals())
    everything = "".join(map(chr, range(0x20000)))
    derived = {ch for ch in regex.findall(r"\p{Sentence_Terminal}", everything) if unicodedata.category(ch) == "Po"}
    assert derived <= table
    assert all(regex.fullmatch(r"\p{Sentence_Terminal}", ch) for ch in table)
