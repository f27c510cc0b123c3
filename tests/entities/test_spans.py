"""Span repairs and the in-article grouping rules behind "one entity per thing" (no models: drafts by hand)."""
from __future__ import annotations

import re

import pytest

from echolot.entities.canonical import name_keys
from echolot.entities.local import Draft, group_article, make_draft
from echolot.entities.spans import tidy_spans


def drafts(text: str, spans: list[tuple[str, str]], lang: str) -> list[Draft]:
    """One draft per (surface, type), at the surface's first occurrence after the previous one."""
    out: list[Draft] = []
    cursor = 0
    for surface, type_ in spans:
        m = re.compile(re.escape(surface)).search(text, cursor)
        assert m, surface
        draft = make_draft("a1", text, m.start(), m.end(), type_, lang)
        assert draft is not None
        out.append(draft)
        cursor = m.end()
    return out


def surfaces(text: str, spans: list[tuple[str, str]], lang: str) -> list[str]:
    return [d.names.surface for d in tidy_spans(drafts(text, spans, lang), text)]


def test_abbreviation_joins_the_next_name_and_short_fragments_go() -> None:
    text = "Das Forum fand in St. Petersburg statt, sagte Xi. Dann kam Mo. Berlin blieb leer."
    spans = [("St", "LOC"), ("Petersburg", "LOC"), ("Xi", "PER"), ("Dann", "MISC"), ("Mo", "MISC")]
    assert surfaces(text, spans, "de") == ["St. Petersburg", "Xi", "Dann"]


def test_a_title_case_headline_is_no_name() -> None:
    text = ("Zelensky Seeks To Cancel Russia At UN. The Committee to Protect Journalists and the Bank of "
            "America commented; Organization For Security And Cooperation came later.")
    spans = [("Zelensky Seeks To Cancel Russia At UN", "ORG"), ("Committee to Protect Journalists", "ORG"),
             ("Bank of America", "ORG"), ("Organization For Security And Cooperation", "ORG")]
    assert surfaces(text, spans, "en") == ["Committee to Protect Journalists", "Bank of America",
                                           "Organization For Security And Cooperation"]


def test_a_three_word_title_case_headline_is_no_name_but_a_three_word_name_stays() -> None:
    text = ("Putin Says No. Biden Is Wrong. The Bank of England, the New York Times and Vladimir Vladimirovich "
            "Putin spoke; Made In Germany stays a slogan.")
    spans = [("Putin Says No", "MISC"), ("Biden Is Wrong", "MISC"), ("Bank of England", "ORG"),
             ("New York Times", "ORG"), ("Vladimir Vladimirovich Putin", "PER"), ("Made In Germany", "MISC")]
    assert surfaces(text, spans, "en") == ["Bank of England", "New York Times", "Vladimir Vladimirovich Putin",
                                           "Made In Germany"]


def test_a_common_word_after_a_dash_opens_a_clause_and_is_no_name() -> None:
    text = "“Il trend non ha mai visto un calo – aggiunge De Corato – Anzi è in leggera crescita”, disse a Milano."
    assert surfaces(text, [("De Corato", "PER"), ("Anzi", "LOC"), ("Milano", "LOC")], "it") == ["De Corato", "Milano"]


def test_short_names_in_a_script_without_capitals_are_no_fragments() -> None:
    # "रूस" (Russia) and "चीन" (China): two letters and a vowel sign each, and no letter has a case
    text = "रूस और चीन ने बयान जारी किया।"
    assert surfaces(text, [("रूस", "LOC"), ("चीन", "LOC")], "hi") == ["रूस", "चीन"]


def test_common_nouns_are_trimmed_off_a_genitive_place() -> None:
    text = ("Er sprach in Kasachstans Hauptstadt mit den Sowjetrepubliken Zentralasiens "
            "über die Unterstützung der USA und den Ukraine-Krieg.")
    spans = [("Kasachstans Hauptstadt", "LOC"), ("Sowjetrepubliken Zentralasiens", "LOC"),
             ("Unterstützung der USA", "ORG"), ("Ukraine-Krieg", "MISC")]
    assert surfaces(text, spans, "de") == ["Kasachstans", "Zentralasiens", "USA", "Ukraine"]
    english = "The Russia-led alliance met."
    assert surfaces(english, [("Russia-led", "MISC")], "en") == ["Russia"]


def test_names_that_contain_common_words_stay_whole() -> None:
    text = ("Die Europäische Bank für Wiederaufbau und Entwicklung tagte am Golf von Mexiko, "
            "die Republik Moldau schickte Beobachter.")
    spans = [("Europäische Bank für Wiederaufbau und Entwicklung", "ORG"), ("Golf von Mexiko", "LOC")]
    assert surfaces(text, spans, "de") == [s for s, _ in spans]
    english = "The Bank of England and the Central Electoral Commission agreed."
    spans = [("Bank of England", "ORG"), ("Central Electoral Commission", "ORG")]
    assert surfaces(english, spans, "en") == [s for s, _ in spans]


def test_the_owner_before_a_bare_ministry_makes_it_that_ministry() -> None:
    text = "Russia’s Foreign Ministry said so, and later the Foreign Ministry of nobody in particular."
    found = tidy_spans(drafts(text, [("Foreign Ministry", "ORG"), ("Foreign Ministry", "ORG")], "en"), text)
    assert found[0].names.surface == "Russia’s Foreign Ministry" and text[found[0].start:found[0].end] == "Foreign Ministry"
    assert found[1].names.surface == "Foreign Ministry"


def test_glued_news_agency_and_genitive_surname_split() -> None:
    text = "Nikolai Petrow reiste ab. Die Agentur TASS meldete, zitierte TASS Petrows Stellvertreter."
    groups = group_article(drafts(text, [("Nikolai Petrow", "PER"), ("TASS", "ORG"), ("TASS Petrows", "ORG")], "de"),
                           text)
    by_surface = {d.names.surface: g for g in groups for d in g.members}
    assert "TASS Petrows" not in by_surface
    assert by_surface["Petrows"] is by_surface["Nikolai Petrow"] and by_surface["TASS"].type == "ORG"


def test_short_form_joins_the_longer_name_but_a_place_does_not() -> None:
    text = "Kelvar Biotech recalled pills. Kelvar said sorry. Jordan Peters flew to Jordan."
    groups = group_article(drafts(text, [("Kelvar Biotech", "ORG"), ("Kelvar", "LOC"), ("Jordan Peters", "PER"),
                                         ("Jordan", "LOC")], "en"), text)
    by_surface = {d.names.surface: g for g in groups for d in g.members}
    assert by_surface["Kelvar"] is by_surface["Kelvar Biotech"]
    assert by_surface["Jordan"] is not by_surface["Jordan Peters"]
    text = "Crowds met in Tarnow. Tarnow voted. The Tarnow Institute for Polling said more."
    groups = group_article(drafts(text, [("Tarnow", "LOC"), ("Tarnow", "LOC"), ("Tarnow Institute for Polling", "ORG")],
                                  "en"), text)
    assert len(groups) == 2  # a place named alone first is no short form of an institute named after it


def test_acronym_defined_across_scripts_and_demonym_modifiers() -> None:
    text = "Члены Тарнийского союза механиков (TSM) бастуют. TSM требует денег."
    groups = group_article(drafts(text, [("Тарнийского союза механиков", "ORG"), ("TSM", "ORG")], "ru"), text)
    assert len(groups) == 1 and name_keys("TSM").key in groups[0].alias_keys  # the Latin acronym names it
    assert name_keys("Tarnian Mechanics Union").stem_key == name_keys("Tarnia Mechanics Union").key


def test_inflected_place_variant_shows_the_nominative() -> None:
    text = "Die Regierung Syriens und die Lage in Syrien."
    groups = group_article(drafts(text, [("Syriens", "LOC"), ("Syrien", "LOC")], "de"), text)
    assert len(groups) == 1
    assert {d.names.surface for d in groups[0].members} == {"Syrien"}
    assert {d.raw for d in groups[0].members} == {"Syriens", "Syrien"}  # the article's own words stay on the mention


def test_names_start_with_a_capital_and_keep_their_closing_quote_mark() -> None:
    text = "Депутаты в парламенте Норвалии и сотрудники министерства поддержали Альянс «Новый Тарн» и Ульриха фон Штайна."
    spans = [("парламенте Норвалии", "ORG"), ("министерства", "ORG"), ("Альянс «Новый Тарн", "ORG")]
    assert surfaces(text, spans, "ru") == ["Норвалии", "Альянс «Новый Тарн»"]
    german = "Ein Brief an von Stein und an die Regierung in Bonn."
    assert surfaces(german, [("von Stein", "PER"), ("die Regierung in Bonn", "ORG")], "de") == [
        "von Stein", "Regierung in Bonn"]


def test_a_person_glued_to_an_organisation_is_two_mentions() -> None:
    text = "Ada Lorn said so. Ada Lorn of the League for a Green Tarn agreed."
    found = surfaces(text, [("Ada Lorn", "PER"), ("Ada Lorn of the League for a Green Tarn", "ORG")], "en")
    assert found == ["Ada Lorn", "Ada Lorn", "League for a Green Tarn"]
    unseen = "Ada Lorn of the League for a Green Tarn agreed."  # never named alone, but no word of English
    assert surfaces(unseen, [("Ada Lorn of the League for a Green Tarn", "ORG")], "en") == [
        "Ada Lorn", "League for a Green Tarn"]
    court = "The Supreme Court of the United States ruled."
    assert surfaces(court, [("Supreme Court of the United States", "ORG")], "en") == [
        "Supreme Court of the United States"]
    kept = "The League for a Green Tarn of the North met."
    assert surfaces(kept, [("League for a Green Tarn of the North", "ORG")], "en") == [
        "League for a Green Tarn of the North"]


def test_two_places_joined_by_a_hyphen_are_two_mentions() -> None:
    text = "Before the US-Russia talks, the Baden-Baden meeting and the Coca-Cola deal."
    found = surfaces(text, [("US-Russia", "LOC"), ("Baden-Baden", "LOC"), ("Coca-Cola", "ORG")], "en")
    assert found == ["US", "Russia", "Baden-Baden", "Coca-Cola"]


# -- the reader's check on real articles (docs/ner.md, "Reader's check") -------------------------------

def test_a_particle_begins_only_peoples_names_and_no_name_ends_on_a_function_word() -> None:
    text = "selon l'agence de presse Reuters, la Salle Pleyel et Charles de Gaulle; un faux Janus de Max Ernst."
    spans = [("de presse Reuters", "ORG"), ("la Salle Pleyel", "ORG"), ("de Gaulle", "PER"), ("Janus de", "PER"),
             ("Max Ernst", "PER")]
    assert surfaces(text, spans, "fr") == ["Reuters", "Salle Pleyel", "de Gaulle", "Janus", "Max Ernst"]


def test_a_role_is_no_name_and_a_role_of_a_known_place_leaves_the_place() -> None:
    text = ("Andriy Yermak, Head of the Office, met the Mayor of Bucha and the Mayor of Kyiv. "
            "Head of the Office of the President spoke.")
    found = tidy_spans(drafts(text, [("Andriy Yermak", "PER"), ("Head", "PER"), ("Mayor of Bucha", "PER"),
                                     ("Mayor of Kyiv", "PER"), ("Head of the Office of the President", "PER")],
                              "en"), text)
    assert [(d.names.surface, d.type) for d in found] == [("Andriy Yermak", "PER"), ("Kyiv", "LOC"),
                                                          ("Office of the President", "ORG")]


def test_a_sentence_initial_common_word_is_no_name_outside_german() -> None:
    text = "Irpin was freed. Mass killings followed. The Mass Media Institute spoke. Reuters reported it."
    spans = [("Irpin", "LOC"), ("Mass", "LOC"), ("Mass Media Institute", "ORG"), ("Reuters", "ORG")]
    assert surfaces(text, spans, "en") == ["Irpin", "Mass Media Institute", "Reuters"]
    text = "Apple said so. Shares of Apple fell."  # written capitalised inside a sentence too: a name
    assert surfaces(text, [("Apple", "ORG"), ("Apple", "ORG")], "en") == ["Apple", "Apple"]
    text = "Die Regierung sprach. Bayern stimmte zu."  # German capitalises nouns: nothing is read from it
    assert surfaces(text, [("Bayern", "LOC")], "de") == ["Bayern"]


def test_a_demonym_or_an_ambiguous_first_word_is_no_short_form() -> None:
    text = "Russian troops left the Russian Federation. The European Union and European Pravda said so. European aid."
    groups = group_article(drafts(text, [("Russian", "MISC"), ("Russian Federation", "LOC"), ("European Union", "ORG"),
                                         ("European Pravda", "ORG"), ("European", "MISC")], "en"), text)
    by_surface = {d.names.surface: g for g in groups for d in g.members}
    assert by_surface["Russian"] is not by_surface["Russian Federation"]
    assert "geo:RU" not in by_surface["Russian"].alias_keys
    assert len({id(by_surface[s]) for s in ("European", "European Union", "European Pravda")}) == 3


def test_an_acronym_the_article_spells_out_is_no_country_code() -> None:
    text = "Die Pilotengewerkschaft Vereinigung Cockpit (VC) streikt. VC fordert mehr Geld."
    groups = group_article(drafts(text, [("Vereinigung Cockpit", "ORG"), ("VC", "ORG"), ("VC", "LOC")], "de"), text)
    assert len(groups) == 1 and not any(k.startswith("geo:") for k in groups[0].alias_keys)
    assert groups[0].type == "ORG"


def test_a_site_name_cut_at_its_dot_is_the_whole_web_address() -> None:
    text = "The KP.ru website reported it. Lenta.ru too. Kyiv."
    found = tidy_spans(drafts(text, [("KP", "LOC"), ("Lenta", "ORG"), ("Kyiv", "LOC")], "en"), text)
    assert [(d.names.surface, d.type) for d in found] == [("KP.ru", "ORG"), ("Lenta.ru", "ORG"), ("Kyiv", "LOC")]


def test_a_place_the_word_list_holds_as_a_proper_noun_stays_at_a_sentence_start() -> None:
    """simplemma's lists hold some place names too ("гостомель" -> "Гостомель"): a capitalised dictionary
    form is a name, so "Гостомель" starting a sentence stays; "Mass" (dictionary form "mass") goes."""
    text = "Гостомель звільнено. Буча теж."
    assert surfaces(text, [("Гостомель", "LOC"), ("Буча", "LOC")], "uk") == ["Гостомель", "Буча"]


def test_two_names_joined_by_a_conjunction_or_a_comma_are_two_mentions() -> None:
    text = "Selon Nice Matin et La Provence, Le Lido, les Pianos Pleyel et Heuliez ont fermé."
    spans = [("Nice Matin et La Provence", "ORG"), ("Le Lido, les Pianos Pleyel", "ORG")]
    assert surfaces(text, spans, "fr") == ["Nice Matin", "La Provence", "Le Lido", "Pianos Pleyel"]
    text = "Laut Nice Matin und La Provence sank die Auflage."
    assert surfaces(text, [("Nice Matin und La Provence", "LOC")], "de") == ["Nice Matin", "La Provence"]


def test_one_name_with_a_conjunction_or_a_comma_inside_stays_whole() -> None:
    text = ("Procter and Gamble, the Department of Health and Human Services, Bosnia and Herzegovina and "
            "Paris, Texas were named; so was John Smith, Jane Doe, and the Federal Ministry for Economic "
            "Affairs and Climate Action.")
    spans = [("Procter and Gamble", "ORG"), ("Department of Health and Human Services", "ORG"),
             ("Bosnia and Herzegovina", "LOC"), ("Paris, Texas", "LOC"), ("John Smith, Jane Doe", "PER"),
             ("Federal Ministry for Economic Affairs and Climate Action", "ORG")]
    # one-word sides, a conjunction inside a complement, a known country, a place with its region, people
    assert surfaces(text, spans, "en") == [s for s, _ in spans]


def test_an_acronym_of_acronyms_joins_its_expansion_and_its_other_spellings() -> None:
    text = ("Про це Головне управління розвідки Міністерства оборони України повідомляє у Фейсбуці. "
            "ГУР МО України здобуло список. У ГУР МОУ зазначають, що всі постануть перед судом.")
    spans = [("Головне управління розвідки Міністерства оборони України", "ORG"), ("ГУР МО України", "ORG"),
             ("ГУР МОУ", "ORG")]
    groups = group_article(drafts(text, spans, "uk"), text)
    assert [[d.raw for d in g.members] for g in groups] == [[s for s, _ in spans]]
    # without the expansion, the two spellings of the same letters are still one
    later = text[text.index("ГУР МО"):]
    groups = group_article(drafts(later, spans[1:], "uk"), later)
    assert len(groups) == 1


def test_a_description_before_a_name_in_another_script_is_no_part_of_the_name() -> None:
    text = "Сайт KP.ru сообщил, что Авиакомпания Norvalair отменила рейсы, а Центральный банк России молчит."
    spans = [("Сайт KP.ru", "ORG"), ("Авиакомпания Norvalair", "ORG"), ("Центральный банк России", "ORG")]
    # one script throughout ("Центральный банк России") is a name as the tagger read it
    assert surfaces(text, spans, "ru") == ["KP.ru", "Norvalair", "Центральный банк России"]
    text = "Die Reederei Норвален Лайн und Konzern Gazprom."
    spans = [("Reederei Норвален Лайн", "ORG"), ("Konzern Gazprom", "ORG")]
    assert surfaces(text, spans, "de") == ["Норвален Лайн", "Konzern Gazprom"]


def test_a_cyrillic_title_before_a_genitive_name_leaves_the_organisation() -> None:
    text = "Про це заявив Головнокомандувач Збройних сил України Валерій Залужний. ЗСУ тримають оборону."
    spans = [("Головнокомандувач Збройних сил України", "ORG"), ("Валерій Залужний", "PER"), ("ЗСУ", "ORG")]
    groups = group_article(drafts(text, spans, "uk"), text)
    assert [[d.names.surface for d in g.members] for g in groups] == [["Збройних сил України", "ЗСУ"],
                                                                       ["Валерій Залужний"]]


def test_a_german_first_part_before_a_hyphen_and_a_conjunction_takes_the_shared_head() -> None:
    text = "Der Windstrom aus Nord- und Ostsee stieg; Bundes- und Landesregierung stritten."
    spans = [("Nord", "LOC"), ("Ostsee", "LOC")]
    assert surfaces(text, spans, "de") == ["Nordsee", "Ostsee"]
    draft = tidy_spans(drafts(text, spans, "de"), text)[0]
    assert text[draft.start:draft.end] == "Nord"  # the mention stays on the words written
    # only in German, and never for a person
    assert surfaces("Nord- and Baltic Sea", [("Nord", "LOC")], "en") == ["Nord"]
    assert surfaces("Anna- und Ostsee", [("Anna", "PER")], "de") == ["Anna"]
    # the head is the next word's only when that word is a capitalised compound; an acronym stays itself
    text = "ein Anstieg der EU- und britischen Exporte; Mittel- und osteuropäische Staaten"
    assert surfaces(text, [("EU", "ORG"), ("Mittel", "LOC")], "de") == ["EU", "Mittel"]


def test_two_surnames_of_the_articles_people_joined_by_a_conjunction_are_two_people() -> None:
    text = "Andrei Fedotov and Konstantin Zakharevsky were detained. Fedotov and Zakharevsky are 27."
    spans = [("Andrei Fedotov", "PER"), ("Konstantin Zakharevsky", "PER"), ("Fedotov and Zakharevsky", "ORG")]
    found = tidy_spans(drafts(text, spans, "en"), text)
    assert [(d.names.surface, d.type) for d in found][2:] == [("Fedotov", "PER"), ("Zakharevsky", "PER")]
    # one-word sides that are no surnames here stay one name
    text = "Procter and Gamble said so; John Procter agreed."
    assert surfaces(text, [("Procter and Gamble", "ORG"), ("John Procter", "PER")], "en")[0] == "Procter and Gamble"


def test_a_place_read_with_the_known_place_it_lies_near_is_two_places() -> None:
    text = "У Бородянці під Києвом знайшли тіла."
    assert surfaces(text, [("Бородянці під Києвом", "LOC")], "uk") == ["Бородянці", "Києвом"]
    text = "Bodies were found in Borodyanka near Kyiv."
    assert surfaces(text, [("Borodyanka near Kyiv", "LOC")], "en") == ["Borodyanka", "Kyiv"]
    # the right side no known place: one name
    text = "Они приехали в Ростов под Ярославлем."
    assert surfaces(text, [("Ростов под Ярославлем", "LOC")], "ru") == ["Ростов под Ярославлем"]


def test_a_german_common_noun_before_an_acronym_is_a_description() -> None:
    text = "Pelosi sagte dem Sender CBS, die Partei AfD und die Siemens AG seien schuld."
    spans = [("Sender CBS", "ORG"), ("Partei AfD", "ORG"), ("Siemens AG", "ORG")]
    assert surfaces(text, spans, "de") == ["CBS", "AfD", "Siemens AG"]


def test_a_romance_generic_noun_before_a_sea_or_lake_is_part_of_its_name() -> None:
    text = "Les éoliennes de la mer du Nord et le lac Léman; le Nord a voté."
    found = tidy_spans(drafts(text, [("Nord", "LOC"), ("Léman", "ORG"), ("Nord", "LOC")], "fr"), text)
    assert [(d.names.surface, d.type) for d in found] == [("mer du Nord", "LOC"), ("lac Léman", "LOC"),
                                                         ("Nord", "LOC")]
    text = "selon les informations du ministère du Travail, plus de personnes"
    found = tidy_spans(drafts(text, [("Travail", "ORG")], "fr"), text)
    assert [(d.names.surface, d.type) for d in found] == [("ministère du Travail", "ORG")]


def test_a_word_that_also_ends_another_name_is_no_short_form() -> None:
    """"Handelsblatt" begins "Handelsblatt Disrupt" (a podcast) and ends "Institut de recherche du
    Handelsblatt": it names the newspaper both belong to, not the podcast."""
    text = ("Il parle au podcast du Handelsblatt Disrupt et à l'Institut de recherche du Handelsblatt. "
            "La correspondante du Handelsblatt Astrid Dörner répond.")
    spans = [("Handelsblatt Disrupt", "ORG"), ("Institut de recherche du Handelsblatt", "ORG"),
             ("Handelsblatt", "ORG"), ("Astrid Dörner", "PER")]
    groups = group_article(drafts(text, spans, "fr"), text)
    by_surface = {d.names.surface: g for g in groups for d in g.members}
    assert by_surface["Handelsblatt"] is not by_surface["Handelsblatt Disrupt"]


def test_a_german_role_noun_with_its_article_is_no_name() -> None:
    text = ("Der Buchautor und Gründer der Agentur SinnerSchrader, Tim Kraus, widerspricht. "
            "Der Spiegel berichtete, der Unternehmensberater sei skeptisch.")
    spans = [("Der Buchautor", "PER"), ("SinnerSchrader", "ORG"), ("Tim Kraus", "PER"), ("Der Spiegel", "ORG"),
             ("Unternehmensberater", "PER")]
    assert surfaces(text, spans, "de") == ["SinnerSchrader", "Tim Kraus", "Der Spiegel"]


def test_a_german_common_noun_before_a_name_the_article_uses_alone_goes() -> None:
    text = "Chef des Fondshauses Union Investment Real Estate wird er. Bei Union Investment Real Estate übernimmt er."
    spans = [("Fondshauses Union Investment Real Estate", "ORG"), ("Union Investment Real Estate", "ORG")]
    assert surfaces(text, spans, "de") == ["Union Investment Real Estate", "Union Investment Real Estate"]


def test_a_middle_initial_and_its_full_stop_stay_inside_the_persons_name() -> None:
    # ninth pass: "Jóhann K" + "Jóhannsson", "John T" + "Bennett", "Брандън Дж" + "Уайчерт" were six junk halves
    text = "Jóhann K. Jóhannsson, samskiptastjóri hjá almannavarnadeild, segir það vel hægt."
    assert surfaces(text, [("Jóhann K", "PER"), ("Jóhannsson", "PER")], "is") == ["Jóhann K. Jóhannsson"]
    text = "— John T. Bennett"
    assert surfaces(text, [("John T", "PER"), ("Bennett", "PER")], "en") == ["John T. Bennett"]
    text = "Това пише анализаторът Брандън Дж. Уайчерт в статия."
    assert surfaces(text, [("Брандън Дж", "PER"), ("Уайчерт", "PER")], "bg") == ["Брандън Дж. Уайчерт"]
    # a person's one-word name before a full stop is no initial: the next sentence's name stays apart
    text = "Das sagte Xi. Li kam später."
    assert surfaces(text, [("Xi", "PER"), ("Li", "PER")], "de") == ["Xi", "Li"]


def test_a_lower_case_word_glued_by_a_hyphen_is_no_part_of_a_persons_name() -> None:
    text = "the support of President Donald Trump-has become not only the worst"
    assert surfaces(text, [("Donald Trump-has", "PER")], "en") == ["Donald Trump"]
    text = "Jean-Clair Todibo and Bashar al-Assad"
    assert surfaces(text, [("Jean-Clair Todibo", "PER"), ("Bashar al-Assad", "PER")], "en") == \
        ["Jean-Clair Todibo", "Bashar al-Assad"]


@pytest.mark.parametrize(("text", "spans", "lang", "groups"), [
    # a family name written first joins its full name (ninth pass: "Dong" ~ "Dong Jun"), a given name does not
    ("Dong Jun disse ao seu homólogo que a cooperação é um pilar. Dong criticou ainda os EUA.",
     [("Dong Jun", "PER"), ("Dong", "PER")], "pt", 1),
    ("Jordan Peters spoke first. Later Jordan arrived.", [("Jordan Peters", "PER"), ("Jordan", "PER")], "en", 2),
    # a town named alone is no short form of the region named after it ("Khabarovsk Territory")
    ("The acting governor of the Khabarovsk Territory came out. Two protests took place in Khabarovsk.",
     [("Khabarovsk Territory", "LOC"), ("Khabarovsk", "LOC")], "en", 2),
    # a town with its region after it is still the town
    ("Росіяни окупували Буча Київської області. У Бучі загинули люди, Буча стала символом.",
     [("Буча Київської області", "ORG"), ("Буча", "LOC")], "uk", 1),
    # an unknown word still is a short form ("Orlund" ~ "Orlund Biopharm")
    ("Orlund Biopharm said it would sue. Orlund declined to comment.",
     [("Orlund Biopharm", "ORG"), ("Orlund", "ORG")], "en", 1),
])
def test_which_lone_words_join_a_longer_name_of_the_article(text: str, spans: list[tuple[str, str]], lang: str,
                                                            groups: int) -> None:
    assert len(group_article(drafts(text, spans, lang), text)) == groups


def test_a_personal_pronoun_read_as_a_name_is_no_mention() -> None:
    text = "Брандън Уайчерт е бивш служител на Конгреса. Той е автор на три книги."
    assert surfaces(text, [("Брандън Уайчерт", "PER"), ("Той", "PER")], "bg") == ["Брандън Уайчерт"]
