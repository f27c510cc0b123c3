"""The reader's check on charges: "accuse X of Y" shows Y with X as its subject, not "X of Y"."""
from __future__ import annotations

import re
from typing import Any

import pytest

from echolot.quotes import english


def _charge(nlp: Any, text: str, verb: str, content_words: str) -> list[str]:
    """`_charge_content` of the cue `verb` given a tagger content starting at `content_words`."""
    doc = nlp(text)
    cue_i = next(t.i for t in doc if t.text == verb)
    first = text.index(content_words)
    content = [t.i for t in doc if t.idx >= first and not t.is_punct]
    return [doc[i].text for i in english._charge_content(doc, cue_i, content)]


@pytest.mark.parametrize(("text", "verb", "start", "expected"), [
    ("Psaki accused Moscow of creating the security threats.", "accused", "Moscow of creating",
     ["Moscow", "creating", "the", "security", "threats"]),
    # other charge verbs take their own preposition
    ("Trump criticized Clinton for using a private server.", "criticized", "Clinton for using",
     ["Clinton", "using", "a", "private", "server"]),
])
def test_a_charged_action_is_shown_with_the_accused_as_subject(english_nlp: Any, text: str, verb: str, start: str,
                                                               expected: list[str]) -> None:
    assert _charge(english_nlp, text, verb, start) == expected


def test_passive_charge_keeps_the_accused_and_leaves_the_agent_out(english_nlp: Any) -> None:
    words = _charge(english_nlp, "Moscow was accused by Psaki of creating threats to Europe.", "accused",
                    "by Psaki of creating")
    assert words[0] == "Moscow" and "creating" in words
    assert "Psaki" not in words and "of" not in words and "by" not in words



def test_a_nominal_charge_is_left_as_labelled(english_nlp: Any) -> None:
    """"blamed Russia for the attack": no action, so no subject to give; the content stays."""
    words = _charge(english_nlp, "The minister blamed Russia for the attack on the port.", "blamed",
                    "Russia for the attack")
    assert words == ["Russia", "for", "the", "attack", "on", "the", "port"]


def test_other_verbs_are_untouched(english_nlp: Any) -> None:
    words = _charge(english_nlp, "Psaki spoke of creating new threats.", "spoke", "of creating")
    assert words == ["of", "creating", "new", "threats"]


def test_end_to_end_the_seed_sentence(english_quote_models: Any) -> None:
    text = ("The situation comes ahead of talks next week. When asked about the talks, Psaki accused "
            "Moscow of creating the European security threats that it has been raising concerns about.")
    found = english.extract(text)
    accused = [a for a in found if a.cue and text[a.cue[0]:a.cue[1]] == "accused"]
    assert accused, "the shipped taggers find the cue 'accused'"
    a = accused[0]
    shown = " ".join(text[s:e] for s, e in a.content)
    assert shown.startswith("Moscow creating the European security threats")
    assert a.source is not None and text[a.source[0]:a.source[1]] == "Psaki"


def _rules(lang: str, text: str, entities: list[tuple[int, int, str]] | None = None
           ) -> list[tuple[str | None, str | None, list[str]]]:
    from echolot.quotes.rules import RuleExtractor

    out = []
    for a in RuleExtractor(lang).extract(text, entities or []):
        out.append((text[a.source[0]:a.source[1]] if a.source else None,
                    text[a.cue[0]:a.cue[1]] if a.cue else None, [text[s:e] for s, e in a.content]))
    return out


def _person(text: str, name: str) -> tuple[int, int, str]:
    start = text.index(name)
    return start, start + len(name), "PER"


def test_german_charge_with_an_inverted_subject() -> None:
    text = ("Auf die Gespräche angesprochen, beschuldigte Psaki Moskau, die europäischen "
            "Sicherheitsbedrohungen zu schaffen.")
    got = _rules("de", text, [_person(text, "Psaki")])
    assert ("Psaki", "beschuldigte", ["Moskau", "die europäischen Sicherheitsbedrohungen zu schaffen."]) in got


def test_german_vorwerfen_drops_its_particle() -> None:
    got = _rules("de", "Lawrow warf Washington vor, die Proteste zu organisieren.")
    assert got == [("Lawrow", "warf", ["Washington", "die Proteste zu organisieren."])]


def test_german_without_an_infinitive_is_no_charge() -> None:
    assert not [g for g in _rules("de", "Die Ministerin beschuldigte die Opposition, sagte aber nichts.")
                if g[1] == "beschuldigte"]


def test_german_verb_final_charge_is_left_alone() -> None:
    """"… Washington beschuldigt hätten, …": the auxiliary after the cue is no accused."""
    text = 'Sie behauptete, dass Russen Washington fälschlicherweise beschuldigt hätten, die Unruhen ausgelöst zu haben.'
    assert not [g for g in _rules("de", text) if g[1] == "beschuldigt"]


def test_russian_charge_the_accused_is_not_the_speaker() -> None:
    got = _rules("ru", "Псаки обвинила Москву в создании угроз европейской безопасности.")
    assert got == [("Псаки", "обвинила", ["Москву", "создании угроз европейской безопасности."])]
    clause = _rules("ru", "Лавров обвинил Вашингтон в том, что он организовал протесты.")
    assert clause == [("Лавров", "обвинил", ["он организовал протесты."])]  # the clause has its own subject


def test_russian_inverted_subject_speaks() -> None:
    text = "Вчера обвинил Лавров Вашингтон в организации протестов."
    got = _rules("ru", text, [_person(text, "Лавров")])
    assert got == [("Лавров", "обвинил", ["Вашингтон", "организации протестов."])]


def test_french_and_spanish_charges() -> None:
    assert _rules("fr", "Psaki a accusé Moscou de créer les menaces.") == [
        ("Psaki", "accusé", ["Moscou", "créer les menaces."])]
    assert _rules("es", "Psaki acusó a Moscú de crear las amenazas.") == [
        ("Psaki", "acusó", ["Moscú", "crear las amenazas."])]


def test_russian_accusation_of_something_names_no_agent() -> None:
    """"Обвинение в том, что …" is the accusation *of* a thing: "в том" is no speaker (the demo showed it as one)."""
    text = "Обвинение в том, что забастовку подстроили иностранные агенты, министр во вторник не повторил."
    assert not [g for g in _rules("ru", text) if g[0] == "в том"]
    claim = _rules("ru", "Заявления министра о том, что забастовку подстроили агенты, не подтвердились.")
    assert claim and claim[0][0] == "министра"


def test_english_rules_read_the_parse_paths_charge_verbs_each_with_its_own_preposition() -> None:
    """One list of English charge verbs (`EN_CHARGE_VERBS`) serves the parse path and the rule extractor."""
    from echolot.quotes.lexicon import CHARGE_VERBS, EN_CHARGE_FORMS, EN_CHARGE_VERBS

    assert set(EN_CHARGE_FORMS.values()) == set(EN_CHARGE_VERBS.values())
    assert all(re.fullmatch(CHARGE_VERBS["en"][0], form) for form in EN_CHARGE_FORMS)
    assert _rules("en", "Psaki accused Moscow of creating the threats.") == [
        ("Psaki", "accused", ["Moscow", "creating the threats."])]
    assert _rules("en", "Psaki blamed Moscow for creating the threats.") == [
        ("Psaki", "blamed", ["Moscow", "creating the threats."])]
    assert _rules("en", "Psaki blamed Moscow of creating the threats.") == []  # "blame" takes "for"
    assert _rules("en", "He charged the battery with power from the grid.") == []  # no charged action
