"""Pieces of the demo evaluator that need no pipeline run: manifest keys, components, entity agreement."""
from __future__ import annotations

from echolot.eval.demo import _entity_agreement, manifest_key
from echolot.store import SQLiteStore
from echolot.util import components


def test_manifest_keys_from_origins() -> None:
    assert manifest_key("examples/demo/news.jsonl:3") == "news.jsonl#3"
    assert manifest_key("feed.xml#2 (https://example.org/a)") == "feed.xml#2"


def test_components_name_each_group_by_its_smallest_member() -> None:
    links = [("c", "b"), ("b", "a"), ("x", "y"), ("a", "outside")]
    assert components(links, ["a", "b", "c", "d", "x", "y"]) == {
        "a": "a", "b": "a", "c": "a", "d": "d", "x": "x", "y": "x"}
    assert components(links, ["b", "c"]) == {"b": "b", "c": "b"}  # links to nodes not listed are ignored


def test_entity_agreement_counts_only_entities_with_two_found_variants(store: SQLiteStore) -> None:
    store.put_entities([
        {"id": "e1", "name": "Anna Berg", "type": "PER", "variants": ["Anna Berg", "Berg"]},
        {"id": "e2", "name": "Анна Берг", "type": "PER", "variants": ["Анна Берг"]},
        {"id": "e3", "name": "Nordbank", "type": "ORG", "variants": ["Nordbank", "NB"]},
    ])
    expected = {"entities": {
        "berg": {"variants": ["Anna Berg", "Berg", "Анна Берг"]},  # split over two entities
        "nordbank": {"variants": ["Nordbank", "nb"]},  # merged (case does not matter)
        "unseen": {"variants": ["Somebody", "Berg-Nord"]},  # fewer than two found: not checked
    }}
    assert _entity_agreement(store, expected) == {"checked": 2, "fully_merged": 1, "merge_rate": 0.5,
                                                 "not_merged": ["berg"]}
