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
