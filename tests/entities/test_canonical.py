"""Folding, cleaning and in-article grouping on name lists in German, English and Russian."""
from __future__ import annotations

import pytest

from echolot.entities.align import consistent, order_share, pair_gaps
from echolot.entities.canonical import (
    acronym_matches, clean_surface, fold_token, given_names_compatible, is_acronym, name_keys, of_phrase_key,
    same_person_name, sound_key,
)
from echolot.entities.local import group_article, make_draft, paragraph_spans


def key(surface: str) -> str:
    return name_keys(clean_surface(surface)[0]).key


def probes(surface: str) -> set[str]:
    names = name_keys(clean_surface(surface)[0])
    return {names.key, names.stem_key} - {None}


@pytest.mark.parametrize("variants", [
    ["Tokayev", "Tokajew", "Toqajew", "Токаев", "Tokayev's", "Tokayev’s"],
    ["Psaki", "Псаки"],
    ["Kazakhstan", "Kasachstan", "Казахстан"],
    ["Putin", "Путин"],
    ["Selenskyj", "Zelensky", "Зеленский"],
    ["Lawrow", "Lavrov", "Лавров"],
    ["Gorbatschow", "Gorbachev", "Горбачёв"],
    ["Kiev", "Kiew", "Kyiv", "Киев"],
    ["Wladimir Putin", "Vladimir Putin", "Владимир Путин"],
    ["Schewtsow", "Shevtsov", "Шевцов"],
])
def test_spellings_across_languages_and_scripts_fold_to_one_key(variants: list[str]) -> None:
    assert len({key(v) for v in variants}) == 1, {v: key(v) for v in variants}


@pytest.mark.parametrize("inflected, base", [
    ("Токаева", "Токаев"), ("Токаевым", "Токаев"), ("Путину", "Путин"), ("Казахстане", "Казахстан"),
    ("Kasachstans", "Kasachstan"), ("Putins", "Putin"), ("Vereinigten Staaten", "Vereinigte Staaten"),
])
def test_declined_forms_reach_their_base_through_the_stem(inflected: str, base: str) -> None:
    assert probes(inflected) & probes(base)


@pytest.mark.parametrize("a, b", [
    ("Kazakhstan", "Kazakh"), ("Kasachstan", "Kasachische"), ("Russia", "Russian"), ("Putin", "Psaki"),
    ("Biden", "Blinken"), ("Austria", "Australia"),
])
def test_different_names_keep_different_keys(a: str, b: str) -> None:
    assert not probes(a) & probes(b)


def test_clean_surface_drops_titles_possessives_and_quotes() -> None:
    assert clean_surface("Kazakh President Kassym-Jomart Tokayev") == ("Kassym-Jomart Tokayev", True)
    assert clean_surface("US-Außenminister Antony Blinken") == ("Antony Blinken", True)
    assert clean_surface("Joe Biden’s") == ("Joe Biden", False)
    assert clean_surface("«Путин»") == ("Путин", False)
    assert clean_surface("Präsident") == ("Präsident", False)  # nothing left to strip down to


def test_determiners_do_not_change_the_key() -> None:
    assert key("The White House") == key("White House")


def test_acronyms_read_off_expansions_in_any_language() -> None:
    assert acronym_matches("CSTO", "Collective Security Treaty Organization")
    assert acronym_matches("OVKS", "Organisation des Vertrags über kollektive Sicherheit")
    assert not acronym_matches("NATO", "Collective Security Treaty Organization")
    # letters, not sounds: "Ш" transliterates to two letters, but "США" has three letters, not two initials
    assert not acronym_matches("США", "Саудовской Аравии")
    assert acronym_matches("США", "Соединённые Штаты Америки")
    assert acronym_matches("ЦИК", "Центральная избирательная комиссия Карска")  # without its owner
    assert not acronym_matches("ALM", "Association lorrénienne des malades cardiaques")  # no owner's name
    assert is_acronym("ОДКБ") and is_acronym("NATO") and is_acronym("AfD")
    assert not is_acronym("Putin") and not is_acronym("A")


def test_given_names_tell_people_apart() -> None:
    assert given_names_compatible([fold_token("Kassym"), fold_token("Jomart")],
                                  [fold_token("Qassym"), fold_token("Schomart")])
    assert given_names_compatible([fold_token("J")], [fold_token("Joe")])
    assert not given_names_compatible([fold_token("Joe")], [fold_token("Hunter")])
    assert not given_names_compatible([fold_token("Joe")], [fold_token("Jen")])
    assert same_person_name(name_keys("Jen Psaki"), name_keys("Jen Psaki"))
    assert not same_person_name(name_keys("Joe Biden"), name_keys("Hunter Biden"))


# -- in-article grouping ---------------------------------------------------------------------

def drafts_for(text: str, names: list[tuple[str, str]], lang: str = "en") -> list:
    """Drafts at every occurrence of the given (surface, type) pairs, like a tagger would give."""
    import re

    out = []
    for surface, type_ in names:
        for m in re.finditer(rf"(?<!\w){re.escape(surface)}(?!\w)", text):
            if not any(d.start <= m.start() < d.end for d in out):
                out.append(make_draft("a1", text, m.start(), m.end(), type_, lang))
    return [d for d in out if d is not None]


def groups_as_sets(groups: list) -> list[set[str]]:
    return [{d.names.surface for d in g.members} for g in groups]


def test_surname_joins_the_full_name_in_the_article() -> None:
    text = "Jen Psaki said so. Later Psaki added more. Joe Biden agreed with Psaki."
    groups = group_article(drafts_for(text, [("Jen Psaki", "PER"), ("Joe Biden", "PER"), ("Psaki", "ORG")]), text)
    assert {"Jen Psaki", "Psaki"} in groups_as_sets(groups)
    assert {"Joe Biden"} in groups_as_sets(groups)


def test_two_people_with_one_surname_stay_apart_and_surname_goes_to_the_nearest() -> None:
    text = "Joe Biden spoke. Hunter Biden did not. Biden then left."
    groups = group_article(drafts_for(text, [("Joe Biden", "PER"), ("Hunter Biden", "PER"), ("Biden", "PER")]), text)
    sets = groups_as_sets(groups)
    assert {"Hunter Biden", "Biden"} in sets and {"Joe Biden"} in sets


def test_parenthesised_acronym_is_defined_added_and_propagated() -> None:
    text = ("Moskau ruft die Organisation des Vertrags über kollektive Sicherheit (OVKS) an. "
            "Die OVKS schickt Truppen. OVKS-Soldaten landen.")
    drafts = drafts_for(text, [("Organisation des Vertrags über kollektive Sicherheit", "ORG")], "de")
    groups = group_article(drafts, text)
    org = next(g for g in groups if g.type == "ORG")
    assert sum(d.names.surface == "OVKS" for d in org.members) == 3
    assert any("acronym of" in d.reason for d in org.members)


def test_a_place_glued_before_a_full_name_is_split_off() -> None:
    text = "МИД Норвалена заявил. Министр Норвалена Хенрик Ааланд ответил."
    spans = [("Норвалена Хенрик Ааланд", "PER"), ("Норвалена", "ORG")]
    groups = group_article(drafts_for(text, spans, "ru"), text)
    surfaces = sorted(d.names.surface for g in groups for d in g.members)
    assert surfaces == ["Норвалена", "Норвалена", "Хенрик Ааланд"]
    kim = "Kim Jong Un spoke. Kim left."  # a surname used alone as a person is no place glued to a name
    kept = group_article(drafts_for(kim, [("Kim Jong Un", "PER"), ("Kim", "PER")], "en"), kim)
    assert "Kim Jong Un" in {d.names.surface for g in kept for d in g.members}


def test_a_name_shortened_to_its_first_word_is_no_person() -> None:
    from collections import Counter

    from echolot.entities.index import EntityRecord

    company = EntityRecord(id="e1", created=0, variants=Counter({"Orlund Biopharm": 3, "Orlund": 2}),
                           types=Counter({"PER": 3, "ORG": 2}))
    assert company.type == "ORG"
    person = EntityRecord(id="e2", created=0, variants=Counter({"Jen Psaki": 1, "Psaki": 4}),
                          types=Counter({"PER": 3, "ORG": 2}))
    assert person.type == "PER"


def test_an_organisation_is_shown_by_its_written_out_name_not_its_repeated_acronym() -> None:
    from collections import Counter

    from echolot.entities.index import EntityRecord

    agency = EntityRecord(id="e1", created=0, types=Counter({"ORG": 9}),
                          variants=Counter({"LAB": 6, "Lorrenian Medicines Authority": 2, "LMA": 1}))
    assert agency.name == "Lorrenian Medicines Authority"
    only_acronym = EntityRecord(id="e2", created=0, types=Counter({"ORG": 3}), variants=Counter({"TASS": 3}))
    assert only_acronym.name == "TASS"


def test_a_name_written_untagged_on_the_other_side_is_no_gap_partner() -> None:
    from echolot.entities.align import written_in

    assert written_in(["Lunevo"], "Der Bruch des Lunevo-Damms im Selvatal")
    assert not written_in(["Russia", "US"], "Russland und die USA")  # "US" is too short to look for


def test_a_translations_kept_acronym_defines_its_name() -> None:
    text = "La Autoridad Lorrenia de Medicamentos (LAB) retiró el lote. La LAB informó. Ministerio (RU) no."
    spans = [("Autoridad Lorrenia de Medicamentos", "ORG"), ("LAB", "ORG"), ("LAB", "ORG")]
    groups = group_article(drafts_for(text, spans, "es"), text)
    org = next(g for g in groups if "Autoridad Lorrenia de Medicamentos" in {d.names.surface for d in g.members})
    assert sum(d.names.surface == "LAB" for d in org.members) == 2
    assert not any(d.names.surface == "RU" for g in groups for d in g.members)  # a country code is no acronym


def test_elided_articles_are_no_part_of_a_name() -> None:
    assert clean_surface("l'Autorité lorrénienne du médicament")[0] == "Autorité lorrénienne du médicament"
    assert clean_surface("d'Orlund Biopharm")[0] == "Orlund Biopharm"
    assert clean_surface("dell'Unione")[0] == "Unione"
    assert clean_surface("O'Brien")[0] == "O'Brien" and clean_surface("D'Alema")[0] == "D'Alema"


def test_glued_tagger_output_is_split_into_two_names() -> None:
    text = "Jen Psaki spoke. Then Psaki Moskau accused."
    groups = group_article(drafts_for(text, [("Jen Psaki", "PER"), ("Psaki Moskau", "PER")]), text)
    sets = groups_as_sets(groups)
    assert {"Jen Psaki", "Psaki"} in sets and {"Moskau"} in sets


def test_a_lone_place_is_not_taken_for_a_surname() -> None:
    text = "George Washington was president. Washington is a city."
    groups = group_article(drafts_for(text, [("George Washington", "PER"), ("Washington", "LOC")]), text)
    assert len(groups) == 2


def test_paragraph_spans_are_offsets_into_the_text() -> None:
    text = "First para.\n\n  Second para  \nThird"
    assert [text[a:b] for a, b in paragraph_spans(text)] == ["First para.", "Second para", "Third"]


# -- translation alignment -------------------------------------------------------------------

def test_names_between_anchors_pair_up_one_per_type() -> None:
    a = [("tok", "PER"), ("russia", "LOC"), ("csto", "ORG"), ("almaty", "LOC")]
    b = [("tok", "PER"), ("russland", "LOC"), ("ovks", "ORG"), ("almaty", "LOC")]
    assert sorted(pair_gaps(a, b)) == [("csto", "ovks"), ("russia", "russland")]
    ambiguous = [("tok", "PER"), ("x", "LOC"), ("y", "LOC"), ("almaty", "LOC")]
    assert pair_gaps(a[:1] + [("russia", "LOC")] + a[3:], ambiguous) == []
    assert order_share(a, b) == 0.5


def test_conflicting_pairings_keep_the_better_supported_one() -> None:
    proposals = [("russia", "russland"), ("russia", "russland"), ("russia", "kreml"), ("x", "y"), ("x", "z")]
    assert consistent(proposals) == [("russia", "russland")]


def test_transliteration_folds_and_stems_across_scripts() -> None:
    def same(a: str, b: str) -> bool:
        ka, kb = name_keys(a), name_keys(b)
        return bool({ka.key, ka.stem_key} & {kb.key, kb.stem_key} - {None})

    for a, b in [("Lena Sørvik", "Лена Сёрвик"), ("Jonas Ekdahl", "Йонас Экдаль"), ("Schröder", "Шрёдер"),
                 ("Schroeder", "Schröder"), ("Fyodor", "Фёдор"), ("Pyotr", "Пётр"), ("Tavra", "Тавры"),
                 ("Dravia", "Дравии"), ("Dravien", "Dravia"), ("Morvénie", "Morvenia"), ("Lunevo", "Луневе")]:
        assert same(a, b), (a, b)
    for a, b in [("Joe", "Jen"), ("Anna", "Anne"), ("Tavra", "Tavria")]:
        assert not same(a, b), (a, b)


@pytest.mark.parametrize("text, name, lang, expected", [
    ("die Schals des Bündnisses Freies Karsk", "Bündnisses", "de", True),
    ("Kredite der Europäischen Bank", "Europäischen", "de", True),
    ("Das Bündnis Freies Karsk", "Bündnis", "de", False),
    ("Путин встретился с Токаевым", "Токаевым", "ru", True),
    ("сообщил «Токаев»", "Токаев", "ru", False),
    ("the Bank of England", "Bank", "en", False),  # English names do not inflect
])
def test_oblique_context_reads_the_word_before_the_name(text: str, name: str, lang: str, expected: bool) -> None:
    from echolot.entities.canonical import oblique_context

    assert oblique_context(text, text.index(name), lang) is expected


# -- the reader's check on real articles (docs/ner.md, "Reader's check") -------------------------------

def test_short_acronyms_are_keyed_by_their_letters_not_their_sounds() -> None:
    """Folded like words, "OSZE" and the Baltic Sea "Ostsee" were one key; letters keep them apart,
    and an acronym still meets itself in another script."""
    assert name_keys("OSZE").key != name_keys("Ostsee").key
    assert name_keys("NATO").key == name_keys("НАТО").key
    assert name_keys("ASTANA").key == name_keys("Astana").key  # a shouted dateline word is a word
    assert name_keys("Collective Security Treaty Organization").initials_key == name_keys("CSTO").key


@pytest.mark.parametrize("inflected, base", [
    ("Маріуполі", "Маріуполь"), ("Бучі", "Буча"), ("Україною", "Україна"), ("Словаччиною", "Словаччина"),
    ("Чехії", "Чехія"),
])
def test_ukrainian_case_endings_reach_the_nominative(inflected: str, base: str) -> None:
    assert probes(inflected) & probes(base), (inflected, base)


def test_a_declined_cyrillic_full_name_is_the_same_person_but_latin_names_do_not_decline() -> None:
    assert same_person_name(name_keys("Василем Щуром"), name_keys("Vasyl Shchur"))
    assert same_person_name(name_keys("Давидом Манукяном"), name_keys("David Manukyan"))
    assert not same_person_name(name_keys("Ivana Petrova"), name_keys("Ivan Petrov"))
    # a Latin "-o" is the ending a declined Cyrillic form replaces; a Latin "-a" marks a woman's name
    assert same_person_name(name_keys("Volodymyr Labutenko"), name_keys("Володимиру Лабутенку"))
    assert not same_person_name(name_keys("Anna Petrova"), name_keys("Анна Петров"))


def test_a_ukrainian_g_is_romanised_h_as_an_extra_key() -> None:
    from echolot.entities.local import ukrainian_key

    assert ukrainian_key("Гостомель", "uk") == key("Hostomel")
    assert ukrainian_key("Гостомель", "ru") is None  # Russian romanises "Г" as "G": the plain key
    assert ukrainian_key("Київ", "uk") is None  # no "Г": nothing to add


def test_compound_acronym_reads_the_letters_of_acronyms_and_words() -> None:
    from echolot.entities.canonical import compound_acronym

    assert compound_acronym("ГУР МОУ") == "ГУРМОУ"
    assert compound_acronym("ГУР МО України") == "ГУРМОУ"
    assert compound_acronym("U.S. DOJ") == "USDOJ"
    # an ordinary name, or a word before the acronym, reads as no acronym
    assert compound_acronym("Nice Matin") == ""
    assert compound_acronym("Pilotengewerkschaft VC") == ""
    assert compound_acronym("NATO") == ""  # one token: an ordinary acronym


def test_an_institution_named_after_its_owner_has_one_key_both_ways() -> None:
    assert of_phrase_key("Office of the President") == of_phrase_key("Presidential Office") is not None
    assert of_phrase_key("Court of the Constitution") == of_phrase_key("the Constitutional Court") is not None
    assert of_phrase_key("America Bank") is None  # only an adjective in -al / -ial is read back to its noun
    assert of_phrase_key("Head of the Office of the President") is None
    assert of_phrase_key("Presidential Office") != of_phrase_key("Regional Office")
    # ninth pass: a field before "Department" / "Ministry" is its of-phrase ("Justice Department" stayed apart)
    assert of_phrase_key("Justice Department") == of_phrase_key("Department of Justice") is not None
    assert of_phrase_key("the Defense Ministry") == of_phrase_key("Ministry of Defense") is not None
    assert of_phrase_key("Justice Department") != of_phrase_key("Department of State")
    assert clean_surface("Justice Department") == ("Justice Department", False)  # "Justice" is no judge's title here
    assert clean_surface("Justice Christine Lambrecht") == ("Christine Lambrecht", True)


def test_a_given_name_used_alone_does_not_split_the_full_name() -> None:
    """"Dmitry" alone later in the article is the given name of "Dmitry Lomsadze", not another person's
    surname glued to a word; "Psaki Moskau" after a lone "Psaki" still splits (Moskau is a place)."""
    text = "Dmitry Lomsadze scored 400 points. Since the first grade Dmitry has shown talent."
    groups = group_article(drafts_for(text, [("Dmitry Lomsadze", "PER"), ("Dmitry", "PER")]), text)
    assert any("Dmitry Lomsadze" in group for group in groups_as_sets(groups))
    assert not any("Lomsadze" in group for group in groups_as_sets(groups))
    text = "Psaki spoke. Then Psaki Moskau accused."
    groups = group_article(drafts_for(text, [("Psaki Moskau", "PER"), ("Psaki", "PER")]), text)
    assert {"Moskau"} in groups_as_sets(groups)


def test_adjectival_cyrillic_surnames_decline_to_their_nominative() -> None:
    """"-ским", "-ського" are cases of "-ский" / "-ський": the full name meets its Latin form."""
    assert same_person_name(name_keys("Konstantin Zakharevsky"), name_keys("Константином Захаревским"))
    assert same_person_name(name_keys("Volodymyr Zelensky"), name_keys("Володимира Зеленського"))
    assert not same_person_name(name_keys("Konstantin Zakharevsky"), name_keys("Константином Захаровым"))


def test_a_translation_may_render_a_surnames_vowel_its_own_way() -> None:
    """Only for names a translation pairs (`surname_ratio`): "Donald Trump" ~ "Дональда Трампа"; a
    different given name or a short surname still keeps two people apart."""
    trump, tramp = name_keys("Donald Trump"), name_keys("Дональда Трампа")
    assert not same_person_name(trump, tramp)
    assert same_person_name(trump, tramp, 75.0, 75.0)
    assert not same_person_name(name_keys("Melania Trump"), tramp, 75.0, 75.0)
    assert not same_person_name(name_keys("Jan Lis"), name_keys("Jan Las"), 75.0, 75.0)


def test_a_party_members_noun_before_a_full_name_is_a_role() -> None:
    assert clean_surface("Démocrate Nancy Pelosi") == ("Nancy Pelosi", True)
    assert clean_surface("Republican Mitch McConnell") == ("Mitch McConnell", True)
    assert clean_surface("Republican Party")[0] == "Republican Party"  # the party's own name
    assert clean_surface("Démocrates")[0] == "Démocrates"


def test_a_cyrillic_adjective_modifier_loses_its_whole_ending() -> None:
    """"Саудовской Аравии" and "Саудовская Аравия" share one stem, so the declined country is found."""
    assert name_keys("Саудовской Аравии").stem_key == name_keys("Саудовская Аравия").stem_key
    assert name_keys("Южной Кореи").stem_key == name_keys("Южная Корея").stem_key


@pytest.mark.parametrize("forms", [
    ["Зеленський", "Зеленский", "Selenskyj", "Zelensky", "Zełenski", "Zelenskyy"],
    ["Київ", "Киев", "Kyiv", "Kiew", "Kijów"],
    ["Токаєв", "Токаев", "Tokajew", "Tokayev", "Toqajew", "Тоқаев"],
])
def test_the_briefs_cross_language_names_share_one_key(forms: list[str]) -> None:
    """Issue #14's cross-language merges that matter most to users: one folded key per thing."""
    assert len({key(f) for f in forms}) == 1


def test_declined_full_names_meet_their_other_language_forms() -> None:
    for a, b in (("Володимира Зеленського", "Wolodymyr Selenskyj"), ("Володимиром Зеленським", "Volodymyr Zelensky"),
                 ("Касима-Жомарта Токаєва", "Kassym-Jomart Tokayev"), ("Касымом-Жомартом Токаевым", "Qassym-Schomart Toqajew")):
        assert same_person_name(name_keys(a), name_keys(b)), (a, b)


# -- names in Brahmic scripts (Hindi) --------------------------------------------------------

@pytest.mark.parametrize("variants", [
    ["पुतिन", "Putin", "Путин"],
    ["मोदी", "Modi"],
    ["नरेंद्र मोदी", "Narendra Modi"],
    ["यानुकोविच", "Yanukovych", "Янукович"],
    ["ज़ेलेंस्की", "Zelensky", "Selenskyj", "Зеленский"],  # with its nukta: the same key
    ["बेलगोरोद", "Belgorod", "Белгород"],
    ["डोनेत्स्क", "Donetsk", "Донецк"],
])
def test_hindi_spellings_fold_with_latin_and_cyrillic(variants: list[str]) -> None:
    assert len({key(v) for v in variants}) == 1, {v: key(v) for v in variants}


@pytest.mark.parametrize("hindi, latin", [
    ("जेलेंस्की", "Zelensky"),  # nukta left out: found through its foreign-name reading
    ("ट्रंप", "Trump"),
    ("ब्लिंकन", "Blinken"),
    ("बाइडेन", "Biden"),
    ("डोनाल्ड ट्रंप", "Donald Trump"),
    ("प्रिगोझिन", "Prigozhin"),
])
def test_hindi_loan_reading_probes_the_latin_key(hindi: str, latin: str) -> None:
    assert key(latin) in probes(hindi)
    assert key(latin) != key(hindi)  # only a probe: the Hindi name keeps its own reading as its key


def test_hindi_full_name_is_the_same_person_as_the_latin_one() -> None:
    assert same_person_name(name_keys("डोनाल्ड ट्रंप"), name_keys("Donald Trump"))
    assert same_person_name(name_keys("Donald Trump"), name_keys("डोनाल्ड ट्रंप"))
    assert same_person_name(name_keys("एंटनी ब्लिंकन"), name_keys("Antony Blinken"))
    assert not same_person_name(name_keys("डोनाल्ड ट्रंप"), name_keys("Donald Tusk"))


def test_indian_names_keep_their_own_reading() -> None:
    assert key("जयशंकर") == fold_token("Jayshankar") and key("कैलाश") == fold_token("Kailash")


@pytest.mark.parametrize("surface, name", [
    ("पीएम मोदी", "मोदी"),
    ("प्रधानमंत्री नरेंद्र मोदी", "नरेंद्र मोदी"),
    ("राष्ट्रपति व्लादिमीर पुतिन", "व्लादिमीर पुतिन"),
    ("विदेश मंत्री एस जयशंकर", "एस जयशंकर"),
    ("रक्षामंत्री राजनाथ सिंह", "राजनाथ सिंह"),
])
def test_hindi_titles_are_cut_from_names(surface: str, name: str) -> None:
    assert clean_surface(surface) == (name, True)


def test_caseless_words_make_no_acronym() -> None:
    keys = name_keys("उत्तर कोरिया")  # North Korea: its initials are no "UK"
    assert not keys.initials and not keys.initials_key and not keys.acronym
    assert name_keys("नाटो").key == name_keys("NATO").key.lstrip("^")


# Keys of Latin and Cyrillic tokens before Brahmic romanisation existed (tokens of the NER dev files and of
# a Hindi / English / Russian store): the Indic path must leave them exactly as they were.
_LATIN_AND_CYRILLIC_KEYS = """
    ABABA=ababa Administration=administraten Algarve=algarve Anna=ana Asien=asien BEOGRAD=beograd
    Bandundu=bandundu Bekila=bekila Birch=birh Boskalis=boskalis Brunner=bruner CFDT=kfdt Cardiff=kardif
    Chateaubriand=hateaubriand Cliff=klif Corey=korei Cynthia=kintia Davidson=davidson Dionysius=denisius
    Duluth=dulut Eggenpfad=egenpfad Erickson=erikson FTSE=fse Fire=fire Frenz=frens Garret=garet Giroix=giroiks
    Green=gren HARRISON=harison Harmon=harmon Hernandez=hernandes Housing=husing Ickler=ikler Irish=iris
    Jarrett=iaret Julen=iulen Karina=karina Kirchberg=kirhberg Kreml=kreml Labourers=laburers Legend=legend
    Lithuania=lituania Lyon=len Mailand=mailand Marokkos=marokos McRae=mkrae Miltiadis=miltiadis Moreno=moreno
    NBA=nba Neeson=neson Nordhessen=nordhesen Oksana=oksana PARAMARIBO=paramaribo Parrots=paros Petry=petri
    Popow=popv Qalandia=kalandia Ranatunga=ranatunga Reynald=reinald Ronan=ronan SCOTLAND=skotland
    Salzburg=salsburg Schönlein=senlein Shaxson=sakson Sletten=sleten Split=split Straeten=straeten
    System=sistem Tarrytown=taritovn Thüringen=turingen Treng=treng Umbria=umbria Venter=venter Vukasin=vukasin
    Welfare=velfare Wolpe=volpe ZIFA=sifa bovinen=bovinen van=van Белград=belgrad ГАБТ=gabt
    Екатеринбурга=ekaterinburga Килинг=kiling Лукашенко=lukasenko Нателашвили=natelasvili Равиль=ravil
    Союза=sousa Хильдебранд=hildebrand бин=bin молодёжи=molodesi ARSENAL=arsenal Associate=asokiate
    Blinken=blinken Chinese=hinese Department=department FBI=fbi Germany=germani Hypocrisy=hipokrisi
    Jeanne=ieane Kozinka=kosinka Lyudmila=liudmila Morgan=morgan Oleksandr=oleksandr Republican=republikan
    Scholz=sols South=sut The=te United=united West=vest and=and Вашингтон=vasington Грушко=grusko Захар=sahar
    Кремль=kreml Москва=moskva Покровске=pokrovske Ростислава=rostislava Татарского=tatarskogo Цзиньпин=sinpin
    паблик=pablik
"""


def test_latin_and_cyrillic_folds_unchanged() -> None:
    pairs = [item.split("=", 1) for item in _LATIN_AND_CYRILLIC_KEYS.split()]
    assert len(pairs) >= 100
    assert {token: fold_token(token) for token, _ in pairs} == dict(pairs)


def test_a_bulgarian_definite_neuter_noun_meets_its_bare_form() -> None:
    # ninth pass: "Министерството на отбраната на РФ" and "Министерство на отбраната на РФ" were two entities
    assert name_keys("Министерството на отбраната на РФ").stem_key == name_keys("Министерство на отбраната на РФ").stem_key
    bare = name_keys("Управление за сигурност")
    assert name_keys("Управлението за сигурност").stem_key in {bare.key, bare.stem_key}


def test_bulgarian_definite_articles_leave_the_bare_name_in_stems() -> None:
    # names pass: the article is a suffix on the adjective ("Руската", "Белият", "Обединените") and on the noun
    # ("федерацията", "Кремълът"); the stems of both forms agree
    for definite, bare in (("Руската федерация", "Руска федерация"), ("Белият дом", "Бели дом"),
                           ("Обединените нации", "Обединени нации"), ("Европейския съюз", "Европейски съюз"),
                           ("Кремълът", "Кремъл"), ("Руската федерацията", "Руска федерация")):
        assert name_keys(definite).stem_key in {name_keys(bare).key, name_keys(bare).stem_key}, definite
    assert (name_keys("Рената Литвинова").stem_key or "").startswith("renat ")  # a short "-ата" word keeps its letters


def test_french_transcriptions_of_russian_names_fold_like_the_english_ones() -> None:
    # names pass: French writes "ш" as "ch" beside "ou" for "у" ("Loukachenko", "Choïgou") and "-ин" as "-ine"
    assert fold_token("Loukachenko") == fold_token("Lukashenko") == fold_token("Лукашенко")
    assert fold_token("Choïgou") == fold_token("Shoigu") == fold_token("Шойгу")
    assert fold_token("Joukov") == fold_token("Zhukov") == fold_token("Жуков")
    assert fold_token("Tchernobyl")[:1] == fold_token("Chernobyl")[:1]  # "tch" is "ч" as before
    assert fold_token("Kirchberg") == "kirhberg"  # no "ou": German "ch" stays
    for french in ("Vladimir Poutine", "Joseph Staline"):
        english = french.replace("Poutine", "Putin").replace("Staline", "Stalin")
        assert same_person_name(name_keys(french), name_keys(english))
    assert same_person_name(name_keys("Vladimir Poutine"), name_keys("Владимира Путина"))
    assert not same_person_name(name_keys("Marc Poutine"), name_keys("Vladimir Putin"))  # given names still agree


def test_cyrillic_dzh_is_the_english_j() -> None:
    # names pass: "Джон Керри" and "John Kerry" had incompatible given names ("dson" / "ion")
    assert same_person_name(name_keys("Джон Керри"), name_keys("John Kerry"))
    assert same_person_name(name_keys("Джанет Йеллен"), name_keys("Janet Yellen"))
    assert name_keys("Джонсон").key == name_keys("Johnson").key
    assert name_keys("Таджикистан").key == name_keys("Tajikistan").key
    assert name_keys("Джон Сміт").key == name_keys("John Smith").key  # Ukrainian writes "дж" too
    assert not same_person_name(name_keys("Джон Керри"), name_keys("Dan Kerry"))


def test_a_sound_key_drops_inner_vowels_only() -> None:
    # names pass: Russian writes English names by ear ("Байден", "Трамп"); the consonants agree
    assert sound_key(fold_token("Байден")) == sound_key(fold_token("Biden"))
    assert sound_key(fold_token("Трамп")) == sound_key(fold_token("Trump"))
    assert sound_key(fold_token("Petrova")) != sound_key(fold_token("Петров"))  # the last letter stays
    assert sound_key("lee") == ""  # too short to say anything
