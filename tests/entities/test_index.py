"""The entity record's type vote (index.py): one type per thing across mentions and languages."""
from __future__ import annotations

from collections import Counter

from echolot.entities.index import EntityRecord


def record(variants: dict[str, int], types: dict[str, int]) -> EntityRecord:
    return EntityRecord(id="e1", created=0, variants=Counter(variants), types=Counter(types))


def test_a_tie_between_person_and_another_reading_of_a_bare_name_is_no_person() -> None:
    assert record({"Nuveen": 2}, {"PER": 1, "ORG": 1}).type == "ORG"
    assert record({"Nuveen": 3}, {"PER": 2, "ORG": 1}).type == "PER"  # most readings say person
    # a full name is what people have: a tie stays with the person
    assert record({"Iryna Venedyktova": 1, "Венедиктова": 1}, {"PER": 1, "ORG": 1}).type == "PER"
