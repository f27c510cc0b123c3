"""The entity record's type vote (index.py): one type per thing across mentions and languages."""
from __future__ import annotations

from collections import Counter

from echolot.entities.canonical import name_keys
from echolot.entities.index import EntityRecord


def record(variants: dict[str, int], types: dict[str, int]) -> EntityRecord:
    return EntityRecord(id="e1", created=0, variants=Counter(variants), types=Counter(types))


def test_a_tie_between_person_and_another_reading_of_a_bare_name_is_no_person() -> None:
    assert record({"Nuveen": 2}, {"PER": 1, "ORG": 1}).type == "ORG"
    assert record({"Nuveen": 3}, {"PER": 2, "ORG": 1}).type == "PER"  # most readings say person
    # a full name is what people have: a tie stays with the person
    assert record({"Iryna Venedyktova": 1, "Венедиктова": 1}, {"PER": 1, "ORG": 1}).type == "PER"


def test_a_place_organisations_are_named_after_is_a_place_whatever_most_taggers_said() -> None:
    from echolot.entities.index import EntityIndex

    index = EntityIndex()
    place = index.new_entity("karsk")
    place.variants, place.types, place.keys = Counter({"Karsk": 5}), Counter({"ORG": 4, "LOC": 1}), {name_keys("Karsk").key}
    company = index.new_entity("gazpron")
    company.variants, company.types, company.keys = Counter({"Gazpron": 3}), Counter({"ORG": 2, "LOC": 1}), {name_keys("Gazpron").key}
    for n, name in enumerate(["Alliance for a Free Karsk", "Центральная комиссия Карска", "Gazpron Neft",
                              "Gazpron Media"]):
        org = index.new_entity(str(n))
        org.variants, org.types = Counter({name: 1}), Counter({"ORG": 1})
    index.settle_place_types()
    assert place.type == "LOC"
    assert company.type == "ORG"  # its own name starts the others: a company, not a place
    assert EntityRecord.from_dict(place.to_dict()).type == "LOC"  # kept in the store
