"""The fourth reader's check (issue #14): speakers that were places, objects or clause fragments, and
contents that were a speaker's own description, on real German, Russian and English articles."""
from __future__ import annotations

from typing import Any

import pytest

from echolot.quotes.rules import RuleExtractor


def _found(lang: str, text: str, names: tuple[tuple[str, str], ...] = ()) -> list[tuple[str | None, str, str]]:
    """(speaker, cue, content) of every attribution the rule extractor finds."""
    entities = [(text.index(w), text.index(w) + len(w), kind) for w, kind in names]
    out = []
    for a in RuleExtractor(lang).extract(text, entities):
        out.append((text[slice(*a.source)] if a.source else None, text[slice(*a.cue)] if a.cue else "",
                    " … ".join(text[s:e] for s, e in a.content)))
    return out


def test_a_charged_name_followed_by_an_adverb_is_the_accused_not_the_speaker() -> None:
    found = _found("de", "Chinesische Medien beschuldigten HSBC daher, Huawei in eine Falle gelockt zu haben.",
                   (("HSBC", "ORG"),))
    assert [s for s, cue, _ in found if cue == "beschuldigten"] == ["Chinesische Medien"]
    # an inverted subject with its accused after it still speaks
    found = _found("de", "Am Freitag beschuldigte Psaki Moskau, die Bedrohungen zu schaffen.", (("Psaki", "PER"),))
    assert [(s, c) for s, cue, c in found if cue == "beschuldigte"] == [("Psaki", "Moskau … die Bedrohungen zu schaffen.")]


def test_a_name_in_quotation_marks_right_before_the_verb_is_no_quote() -> None:
    assert _found("ru", '34-летний нападающий "Кэпз" отметил готовность своих партнеров к матчам.') == []
    assert _found("ru", '"Мы готовы ко всему", - отметил нападающий.')[0][2] == "Мы готовы ко всему"
    # an exclamation or question ends in its own mark: the cue may follow it directly
    assert _found("de", "„Das ist völlig falsch!“ sagte der Minister.")[0][1] == "sagte"


def test_a_cue_inside_a_statement_takes_both_parts_and_its_inverted_subject() -> None:
    text = ('Он подчеркнул, что "гордится работой". В то же время, добавил американец, его пугает реакция '
            "некоторых людей на сюжетную линию сериала.")
    found = [f for f in _found("ru", text) if f[1] == "добавил"]
    assert found == [("американец", "добавил",
                      "В то же время … его пугает реакция некоторых людей на сюжетную линию сериала.")]
    # the longer part before the cue stays the statement ("…, sagte er in einer Erklärung, ohne …")
    found = _found("de", "Die Regierung habe die Lage falsch eingeschätzt, sagte er in einer Erklärung, ohne Details "
                         "zu nennen.")
    assert found == [("er", "sagte", "Die Regierung habe die Lage falsch eingeschätzt")]


def test_a_subordinate_clause_before_the_cue_is_no_speaker() -> None:
    text = ("Nachdem er in den Medien versichert hatte, dass er den Verein nicht verkaufen wolle, lehnte der "
            "Eigentümer ein Angebot ab.")
    assert [s for s, cue, _ in _found("de", text) if cue == "versichert"] == ["er"]
    text = "Weil die Regierung in Berlin erklärte, dass die Steuern steigen würden, protestierten viele."
    assert [s for s, cue, _ in _found("de", text) if cue == "erklärte"] == [None]


def test_an_english_source_loses_the_place_it_opens_with(english_nlp: Any) -> None:
    from echolot.quotes.english import _without_settings

    doc = english_nlp("In Vladivostok a man refused to pay for parking.")
    source = [t.i for t in doc if t.i < 4]  # "In Vladivostok a man", as the tagger labelled it
    assert [doc[i].text for i in _without_settings(doc, source)] == ["a", "man"]
    assert _without_settings(doc, [1]) == []  # "Vladivostok" alone: no speaker
    doc = english_nlp("The minister in Moscow said that the talks would go on.")
    source = [0, 1, 2, 3]
    assert _without_settings(doc, source) == source  # a place after the speaker qualifies it


def test_the_addressee_is_not_the_speaker_and_an_apposition_is_not_a_second_statement() -> None:
    text = ("„Für einige, an die der Bonus irrtümlich ausgezahlt wurde, müssen Anpassungen vorgenommen werden“, "
            "sagte Juliette Andrès, Direktorin für medizinische Angelegenheiten am Universitätskrankenhaus, "
            "gegenüber AFP und gab an, dass der Fehler etwa 70 Studenten betraf.")
    found = _found("de", text, (("Juliette Andrès", "PER"), ("AFP", "ORG")))
    assert [(s, cue) for s, cue, _ in found] == [("Juliette Andrès", "sagte"), ("Juliette Andrès", "gab")]
    assert not any(c.startswith("Direktorin") for _, _, c in found)


def test_a_name_qualifying_a_noun_is_not_the_speaker_the_phrase_is() -> None:
    """Demo: a resident's quote was given to "Marn", a place the NER took for a person."""
    text = ("„Es gab keine Sirene, und dann stand das Wasser im Erdgeschoss“, sagte eine Bewohnerin von Marn, "
            "die sich mit ihren Kindern auf den Dachboden retten konnte.")
    assert _speakers("de", text, (("Marn", "PER"),)) == ["eine Bewohnerin von Marn"]


def test_selon_laquelle_is_what_a_claim_says_not_an_attribution() -> None:
    text = "Notre conclusion : l'affirmation selon laquelle des agents étrangers auraient organisé la grève est infondée."
    assert _found("fr", text) == []
    assert _found("fr", "Selon Belski, ce n'est pas une coïncidence, mais une campagne bien planifiée.")[0][0] == "Belski"


def test_a_quoted_phrase_inside_its_own_cues_statement_is_no_quote_of_its_own() -> None:
    text = ("Belski a ajouté que la Morvénie était prête à une enquête conjointe, mais qu'elle « ne se laissera pas "
            "désigner comme coupable ».")
    assert [(s, cue) for s, cue, _ in _found("fr", text, (("Belski", "PER"), ("Morvénie", "LOC")))] == [
        ("Belski", "ajouté")]


def _speakers(lang: str, text: str, names: tuple[tuple[str, str], ...] = ()) -> list[str | None]:
    """The speakers `_found` gives, in order."""
    return [s for s, _, _ in _found(lang, text, names)]


@pytest.mark.parametrize(("lang", "text", "names", "speaker"), [
    ("de", "Zwei Menschen seien verletzt worden, teilte die Polizei der Nachrichtenagentur AFP mit.",
     (("AFP", "ORG"),), "die Polizei"),
    ("de", "Der Minister sagte der AFP, die Lage sei ernst.", (("AFP", "ORG"),), "Der Minister"),
    ("de", "Die Polizei teilte AFP mit, dass zwei Menschen verletzt worden seien.", (("AFP", "ORG"),), "Die Polizei"),
    ("de", "Das Ministerium sagte dem Sender NTV, man prüfe die Vorwürfe.", (("NTV", "ORG"),), "Das Ministerium"),
    ("ru", "Песков сообщил ТАСС, что встреча состоится в пятницу.", (("ТАСС", "ORG"),), "Песков"),
])
def test_a_news_agency_told_is_the_addressee_not_the_speaker(lang: str, text: str, names: tuple[tuple[str, str], ...],
                                                             speaker: str) -> None:
    """Reader's check leftovers: "teilte die Polizei der Nachrichtenagentur AFP mit", "sagte … der AFP",
    "Die Polizei teilte AFP mit": the agency in the dative was told; the subject spoke."""
    assert _speakers(lang, text, names) == [speaker]


def test_a_news_agency_that_is_the_only_subject_still_speaks() -> None:
    """"…, teilte AFP mit" and "Am Montag teilte AFP mit": no other subject, the agency spoke."""
    assert _speakers("de", "Zwei Menschen seien verletzt worden, teilte AFP mit.", (("AFP", "ORG"),)) == ["AFP"]
    assert _speakers("de", "Am Montag teilte AFP mit, dass zwei Menschen verletzt worden seien.",
                     (("AFP", "ORG"),)) == ["AFP"]
    assert _speakers("ru", "Встреча состоится в пятницу, сообщил ТАСС.", (("ТАСС", "ORG"),)) == ["ТАСС"]


def test_the_quoted_person_speaks_not_the_one_quoting() -> None:
    """"X zitiert Y mit den Worten", "X цитирует Y", "X quotes Y as saying": Y is the speaker."""
    found = _found("de", "Die Zeitung zitiert Müller mit den Worten, die Lage sei ernst.", (("Müller", "PER"),))
    assert found == [("Müller", "zitiert", "die Lage sei ernst.")]
    found = _found("de", "Die Bild zitierte den Minister mit den Worten: „Wir sind bereit.“", (("Bild", "ORG"),))
    assert [(s, c) for s, _, c in found] == [("den Minister", "Wir sind bereit.")]
    text = "«Вечерняя Москва» цитирует Кириленко: «Мы готовы ко всему»."
    found = _found("ru", text, (("Вечерняя Москва", "ORG"), ("Кириленко", "PER")))
    assert [(s, c) for s, _, c in found] == [("Кириленко", "Мы готовы ко всему")]
    assert _speakers("ru", "Газета цитирует министра: «Мы готовы ко всему».") == ["министра"]
    assert _speakers("ru", "Издание цитирует слова министра: «Мы готовы ко всему».") == ["министра"]
    # a news agency or its report after the verb quotes someone it does not name: the agency is the source
    text = "«Мы рады сообщить, что домой смогли вернуться 106 россиян», ― цитирует сообщение ТАСС."
    assert [(s, cue) for s, cue, _ in _found("ru", text, (("ТАСС", "ORG"),))] == [("ТАСС", "цитирует")]
    # a passive "zitiert" before a comma opens no statement (only "zitiert X mit den Worten, …" does)
    text = "In der Anklageschrift wird ein belgisches Unternehmen zitiert, schreibt Le Soir."
    assert not [cue for _, cue, _ in _found("de", text, (("Le Soir", "ORG"),)) if cue == "zitiert"]
    text = "Vechernaya Moskva quotes Kirilenko as saying that the team is ready."
    found = _found("en", text, (("Vechernaya Moskva", "ORG"), ("Kirilenko", "PER")))
    assert [(s, c) for s, _, c in found] == [("Kirilenko", "the team is ready.")]


def test_an_english_quoted_person_is_the_speaker_a_reader_sees(english_nlp: Any) -> None:
    """"Vechernaya Moskva quotes Kirilenko as saying …": PolNeAR's source stays the paper (the scored one);
    the speaker shown is the quoted person, up to an apposition's comma."""
    from echolot.quotes.english import _quoted_speaker

    def speaker(text: str, verb: str) -> str | None:
        doc = english_nlp(text)
        span = _quoted_speaker(doc, next(t.i for t in doc if t.text == verb))
        return text[slice(*span)] if span else None

    assert speaker("Vechernaya Moskva quotes Kirilenko as saying that the team is ready.", "quotes") == "Kirilenko"
    assert speaker("The Associated Press quoted Wassim Bouhlel, a Nice native, as saying that the driver fled.",
                   "quoted") == "Wassim Bouhlel"
    assert speaker("The Post quoted the report in full.", "quoted") is None  # no "as saying": nobody quoted
    assert speaker("Jones said that the team is ready.", "said") is None


def test_a_name_in_a_german_roles_genitive_qualifies_the_role() -> None:
    """"sagte die Sprecherin der AFP": the spokeswoman speaks, not the agency (a genitive, not an addressee)."""
    found = _found("de", "Die Lage sei ernst, sagte die Sprecherin der AFP.", (("AFP", "ORG"),))
    assert [s for s, _, _ in found] == ["die Sprecherin der AFP"]


@pytest.mark.parametrize(("lang", "text", "names", "speaker"), [
    ("ru", "Встреча состоится в пятницу, заявил в интервью ТАСС министр обороны.", (("ТАСС", "ORG"),), "министр обороны"),
    ("ru", "Встреча состоится в пятницу, сообщил РИА Новости источник в правительстве.", (("РИА Новости", "ORG"),),
     "источник в правительстве"),
    ("ru", "Встреча состоится в пятницу, сообщил ТАСС в субботу.", (("ТАСС", "ORG"),), "ТАСС"),
    ("de", "Ein Sprecher sagte der Deutschen Presse-Agentur, die Lage sei ernst.", (("Deutschen Presse-Agentur", "ORG"),),
     "Ein Sprecher"),
])
def test_an_agency_told_in_an_interview_or_before_an_inverted_subject_is_no_speaker(
        lang: str, text: str, names: tuple[tuple[str, str], ...], speaker: str) -> None:
    """"заявил в интервью ТАСС министр": the minister; "сообщил РИА Новости источник …": not the agency, the
    anonymous source with its description; "сообщил ТАСС в субботу": the agency reported; a medium named by
    what it is ("der Deutschen Presse-Agentur") is told."""
    assert _speakers(lang, text, names) == [speaker]


def test_a_relative_clause_after_the_source_of_laut_is_no_content() -> None:
    """"laut einer E-Mail, die AFP gesehen hat, will …": the relative clause says which e-mail; the content
    is the rest of the sentence, around the phrase when it stands inside."""
    text = "Laut einer E-Mail, die AFP gesehen hat, will der Konzern 500 Stellen streichen."
    assert _found("de", text, (("AFP", "ORG"),)) == [("einer E-Mail", "Laut", "will der Konzern 500 Stellen streichen.")]
    text = "Der Konzern will laut einer E-Mail, die AFP gesehen hat, 500 Stellen streichen."
    assert _found("de", text, (("AFP", "ORG"),)) == [("einer E-Mail", "laut", "Der Konzern will … 500 Stellen streichen.")]
    assert _found("de", "Die Preise sind gestiegen, laut dem Bericht des Amtes.") == [
        ("dem Bericht des Amtes", "laut", "Die Preise sind gestiegen")]


@pytest.mark.parametrize(("lang", "text", "names", "speaker"), [
    # "«…», ― цитирует сообщение ТАСС" gave no speaker: with no person named, the agency (its report) speaks
    ("ru", "«Рейс вылетел из аэропорта по расписанию», ― цитирует заявление агентства Интерфакс.",
     (("Интерфакс", "ORG"),), "Интерфакс"),
    ("ru", "«Все туристы вернулись домой», ― цитирует ТАСС.", (("ТАСС", "ORG"),), "ТАСС"),
    # a report the phrase says is another's is that one's
    ("ru", "«Все туристы вернулись домой», ― цитирует ТАСС сообщение консульства.", (("ТАСС", "ORG"),),
     "консульства"),
    ("de", "„Alle Flüge starten planmäßig“, zitiert die dpa eine Mitteilung des Flughafens.", (("dpa", "ORG"),),
     "Flughafens"),
])
def test_an_agency_quoting_a_report_is_the_source_unless_the_report_is_someone_elses(
        lang: str, text: str, names: tuple[tuple[str, str], ...], speaker: str) -> None:
    assert _speakers(lang, text, names) == [speaker]


@pytest.mark.parametrize(("lang", "text", "names", "speaker"), [
    # the role with its description speaks, not the nearest name nor a name inside the description
    ("de", "Die Verhandlungen würden in der nächsten Woche weitergehen, sagte eine Quelle aus dem Umfeld von Merz.",
     (("Merz", "PER"),), "eine Quelle aus dem Umfeld von Merz"),
    ("de", "Die Verhandlungen würden in der nächsten Woche weitergehen, sagte eine Quelle aus Regierungskreisen.",
     (), "eine Quelle aus Regierungskreisen"),
    ("ru", "Поставки газа возобновятся в понедельник, сообщил РИА Новости источник в правительстве.",
     (("РИА Новости", "ORG"),), "источник в правительстве"),
    ("ru", "Источник, близкий к Минобороны, сообщил Интерфаксу, что учения продлятся неделю.",
     (("Минобороны", "ORG"), ("Интерфаксу", "ORG")), "Источник, близкий к Минобороны"),
    ("ru", "Поставки газа возобновятся в понедельник, сообщил собеседник агентства в окружении Лукашенко.",
     (("Лукашенко", "PER"),), "собеседник агентства в окружении Лукашенко"),
    # a source noun after a preposition is no speaker: the pronoun before it is
    ("de", "Die Verhandlungen würden in der nächsten Woche weitergehen, sagte er unter Berufung auf Quellen.",
     (), "er"),
])
def test_an_anonymous_source_is_the_speaker_with_its_description_never_a_name(
        lang: str, text: str, names: tuple[tuple[str, str], ...], speaker: str) -> None:
    assert _speakers(lang, text, names) == [speaker]


@pytest.mark.parametrize(("text", "names", "speaker"), [
    ("„Wir sind zu Gesprächen bereit“, sagte im Gespräch mit AFP der Verteidigungsminister.", (("AFP", "ORG"),),
     "der Verteidigungsminister"),
    ("Die Lage an der Grenze sei sehr ernst, sagte gegenüber der Zeitung die Innenministerin.", (),
     "die Innenministerin"),
    ("Die Lage an der Grenze sei sehr ernst, sagte im Interview mit der dpa Ministerin Anna Berg.",
     (("dpa", "ORG"), ("Anna Berg", "PER")), "Anna Berg"),
])
def test_an_inverted_subject_after_who_was_told_is_the_speaker(text: str, names: tuple[tuple[str, str], ...],
                                                              speaker: str) -> None:
    """"sagte im Gespräch mit AFP der Minister": the subject after the addressee phrase speaks."""
    assert _speakers("de", text, names) == [speaker]


def test_an_anonymous_sources_description_ends_before_its_next_verb() -> None:
    """"sagte die Quelle und bestätigte damit einen Bericht": the coordinated verb is no description."""
    text = "Drei Beamte seien im Jahr 2015 angeklagt worden, sagte die Quelle und bestätigte damit einen Bericht."
    assert [s for s, cue, _ in _found("de", text) if cue == "sagte"] == ["die Quelle"]
    text = "Les trois agents ont été inculpés en 2015, a précisé cette source, confirmant une information du journal."
    assert [s for s, cue, _ in _found("fr", text, ) if cue == "précisé"] == ["cette source"]


def test_the_verb_of_an_according_phrase_is_no_second_attribution() -> None:
    """"Как сообщили в МЧС, …" was found twice, once as "сообщили" with the wrong speaker ("Как")."""
    text = "Как сообщили в МЧС, водитель грузовика скончался на месте происшествия."
    found = _found("ru", text, (("МЧС", "ORG"),))
    assert [(cue, c) for _, cue, c in found] == [("Как сообщили", "водитель грузовика скончался на месте происшествия.")]
