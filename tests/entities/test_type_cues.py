"""Type evidence beyond the tagger's vote (entities/type_cues.py), on one article's groups."""
from __future__ import annotations

import re

from echolot.entities.local import Group, group_article, make_draft
from echolot.entities.type_cues import trained_types


def _groups(text: str, lang: str, names: dict[str, str]) -> dict[str, Group]:
    """Group the article's mentions of `names` (tagged with the given types); one group per first surface."""
    drafts = []
    for name, type_ in names.items():
        for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text):
            draft = make_draft("a1", text, m.start(), m.end(), type_, lang)
            assert draft is not None
            drafts.append(draft)
    return {g.first().names.surface: g for g in group_article(drafts, text)}


def test_a_descriptor_before_a_name_makes_every_mention_an_organisation() -> None:
    text = "Das teilte der Netzbetreiber Tennet in Bayreuth mit. Tennet ist für die Leitungen zuständig."
    assert _groups(text, "de", {"Tennet": "LOC", "Bayreuth": "LOC"})["Tennet"].type == "ORG"
    text = "a indiqué l'exploitant du réseau Tennet à Bayreuth. Tennet est compétent pour le courant."
    assert _groups(text, "fr", {"Tennet": "LOC"})["Tennet"].type == "ORG"
    # without the descriptor the tagger's vote stands
    assert _groups("Tennet liegt in Bayern.", "de", {"Tennet": "LOC"})["Tennet"].type == "LOC"


def test_an_account_on_a_platform_makes_it_an_organisation() -> None:
    text = "The actor posted a photo on his official Instagram account on Saturday."
    assert _groups(text, "en", {"Instagram": "LOC"})["Instagram"].type == "ORG"
    text = "Он опубликовал фото в своём аккаунте в Instagram в субботу."
    assert _groups(text, "ru", {"Instagram": "LOC"})["Instagram"].type == "ORG"


def test_a_german_name_built_on_a_water_or_landform_noun_is_a_place() -> None:
    text = "Die Windräder auf der deutschen Nordsee liefern mehr Strom. Der Nordsee-Strom fließt nach Süden."
    assert _groups(text, "de", {"Nordsee": "ORG"})["Nordsee"].type == "LOC"


def test_a_lone_name_between_an_indefinite_article_and_its_maker_is_a_work_not_a_person() -> None:
    text = "Der Käufer eines gefälschten Janus von Max Ernst klagt. Der Janus hing in Brüssel."
    groups = _groups(text, "de", {"Janus": "PER", "Max Ernst": "PER"})
    assert groups["Janus"].type == "MISC"
    assert groups["Max Ernst"].type == "PER"  # a full name is never retyped
    assert _groups("Janus sagte, er komme morgen.", "de", {"Janus": "PER"})["Janus"].type == "PER"
    # a person described with an adjective has no maker after the name: still a person
    assert _groups("A defiant Putin said the talks were over.", "en", {"Putin": "PER"})["Putin"].type == "PER"
    assert _groups("Ein gut gelaunter Scholz kam nach Paris.", "de", {"Scholz": "PER"})["Scholz"].type == "PER"


def test_the_training_data_types_a_name_read_once() -> None:
    assert trained_types().get("facebook") == "ORG"  # ORG in the German and Russian NER training data
    text = "The ministry reports it in Facebook every morning."
    assert _groups(text, "en", {"Facebook": "LOC"})["Facebook"].type == "ORG"
    # read twice, the article's own votes decide
    text = "It reports in Facebook. Facebook is read by many."
    assert _groups(text, "en", {"Facebook": "LOC"})["Facebook"].type == "LOC"


def test_a_known_place_keeps_its_type() -> None:
    text = "Die Firma Berlin Partner wirbt. Der Konzern Paris zieht um."  # "Konzern Paris": still the city
    assert _groups(text, "de", {"Paris": "LOC"})["Paris"].type == "LOC"


def test_a_german_name_ending_in_an_organisation_noun_is_an_organisation() -> None:
    text = "Er kam 1993 zur Edmond de Rothschild-Gruppe und gründete 2001 seine Firma."
    assert _groups(text, "de", {"Edmond de Rothschild-Gruppe": "PER"})["Edmond de Rothschild-Gruppe"].type == "ORG"
    text = "Die Deutsche Bank meldet Gewinne."
    assert _groups(text, "de", {"Deutsche Bank": "LOC"})["Deutsche Bank"].type == "ORG"
    # a lone word with the noun inside it is left to the tagger ("Westbank" is a place)
    assert _groups("Die Westbank ist besetzt.", "de", {"Westbank": "LOC"})["Westbank"].type == "LOC"
    text = "An employee of the Belarusian Railways was detained."
    assert _groups(text, "en", {"Belarusian Railways": "LOC"})["Belarusian Railways"].type == "ORG"
    assert _groups("Settlers in the West Bank protested.", "en", {"West Bank": "LOC"})["West Bank"].type == "LOC"


def test_a_place_noun_before_a_name_makes_it_a_place() -> None:
    text = "Полюсом холода стала деревня Черусти, там было +3,9 градуса."
    assert _groups(text, "ru", {"Черусти": "PER"})["Черусти"].type == "LOC"
    text = "The cold record was set in the village of Cherusti on Saturday."
    assert _groups(text, "en", {"Cherusti": "PER"})["Cherusti"].type == "LOC"
    # no place noun: the vote stands
    assert _groups("Cherusti said it was cold.", "en", {"Cherusti": "PER"})["Cherusti"].type == "PER"


def test_a_town_read_as_a_person_after_a_locative_preposition_is_the_town() -> None:
    text = "The bodies were found in Mariupol after the shelling."
    assert _groups(text, "en", {"Mariupol": "PER"})["Mariupol"].type == "LOC"
    # a name no town has, or a town's name without the preposition, keeps the person reading
    assert _groups("They met in Lomsadze's flat.", "en", {"Lomsadze": "PER"})["Lomsadze"].type == "PER"
    assert _groups("Mariupol said nothing.", "en", {"Mariupol": "PER"})["Mariupol"].type == "PER"


def test_a_quoted_name_read_as_a_place_is_a_title() -> None:
    text = "I raise my hands up for the new 'Kroshka' and send greetings."
    assert _groups(text, "en", {"Kroshka": "LOC"})["Kroshka"].type == "MISC"
    # written once without quotes: the vote stands
    text = "The new 'Kroshka' is out. Kroshka lies on the river."
    assert _groups(text, "en", {"Kroshka": "LOC"})["Kroshka"].type == "LOC"
