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

    def entity(seed: str, name: str, votes: dict[str, int]) -> EntityRecord:
        record = index.new_entity(seed)
        for type_, count in votes.items():  # through the index, as the matcher adds mentions
            index.add_variant(record, name_keys(name), type_, "en", "a1", count=count)
        return record

    place = entity("karsk", "Karsk", {"ORG": 4, "LOC": 1})
    company = entity("gazpron", "Gazpron", {"ORG": 2, "LOC": 1})
    for n, name in enumerate(["Alliance for a Free Karsk", "Центральная комиссия Карска", "Gazpron Neft",
                              "Gazpron Media"]):
        entity(str(n), name, {"ORG": 1})
    index.settle_place_types()
    assert place.type == "LOC"
    assert company.type == "ORG"  # its own name starts the others: a company, not a place
    assert EntityRecord.from_dict(place.to_dict()).type == "LOC"  # kept in the store


def test_a_town_name_whose_readings_disagree_is_the_town() -> None:
    # "Hostomel" read once as an organisation and once as a person, never as a place: GeoNames knows the town
    assert record({"Hostomel": 1, "Гостомель": 1}, {"ORG": 1, "PER": 1}).type == "LOC"
    assert record({"Hostomel": 3}, {"ORG": 2, "PER": 1}).type == "ORG"  # most readings agree: kept
    assert record({"Deloitte": 2}, {"ORG": 1, "LOC": 1}).type == "ORG"  # no town: the tie rule as before
    # a full name is a person's, whatever a town of the surname is called
    assert record({"Anna Bucha": 1, "Bucha": 1}, {"PER": 1, "LOC": 1}).type == "PER"


def test_place_settling_through_the_word_table_matches_a_full_scan() -> None:
    """The incremental look-up finds what a scan of every live organisation finds, after merges and
    after an index is rebuilt from stored records."""
    from echolot.entities.index import EntityIndex, word_keys

    def full_scan(index: EntityIndex, record: EntityRecord) -> set[str]:
        holders = set()
        for other in index.active():
            if other.type != "ORG" or other.id == record.id:
                continue
            for variant in other.variants:
                keys = name_keys(variant)
                if keys.multi and not keys.acronym and any(
                        word_keys(t) & (record.keys | record.stems) for t in keys.tokens[1:]):
                    holders.add(other.id)
        return holders

    index = EntityIndex()
    place = index.new_entity("karsk")
    index.add_variant(place, name_keys("Karsk"), "ORG", "en", "a1", count=2)
    index.add_variant(place, name_keys("Karsk"), "LOC", "en", "a1")
    orgs = []
    for n, (name, type_) in enumerate([("Alliance for a Free Karsk", "ORG"), ("Комиссия Карска", "ORG"),
                                       ("Karsk Times", "ORG"), ("Anna Karsk", "PER"), ("Freedom Karsk", "ORG")]):
        orgs.append(index.new_entity(str(n)))
        index.add_variant(orgs[-1], name_keys(name), type_, "en", "a1")
    index.merge(orgs[0].id, orgs[4].id, "test")  # a tombstone's names live on in the survivor
    index.add_variant(orgs[3], name_keys("Anna Karsk"), "ORG", "en", "a2", count=3)  # now an organisation
    assert index._inner_holders(place) == full_scan(index, place) == {orgs[0].id, orgs[1].id, orgs[3].id}
    rebuilt = EntityIndex.from_store_dicts(r.to_dict() for r in index.records.values())
    again = rebuilt.get(place.id)
    assert rebuilt._inner_holders(again) == full_scan(rebuilt, again)


def test_a_family_name_written_first_keeps_its_person_type() -> None:
    # ninth pass: "Dong Jun" ... "Dong" (a Chinese family name first) was typed ORG as a name shortened to its
    # first word; an organisation shortened so ("Orlund" of "Orlund Biopharm", more than one syllable) still is
    assert record({"Dong Jun": 1, "Dong": 2}, {"PER": 3}).type == "PER"
    assert record({"Orlund Biopharm": 1, "Orlund": 2}, {"PER": 3}).type == "ORG"
