"""Catalog format, validation errors and the two converters."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from echolot.narratives.catalog import (
    CatalogError, convert, from_claims, from_taxonomy, load_catalog, parse_catalog,
)


def test_shipped_catalog_has_multilingual_examples() -> None:
    catalog = load_catalog()
    roots = catalog.narratives
    assert len(roots) >= 8
    for node in roots:
        assert {"en", "de", "ru", "fr"} <= set(node.examples), node.id
    ids = [n.id for n in catalog.walk()]
    assert len(ids) == len(set(ids))
    assert catalog.root_of("us-behind-unrest") == "foreign-instigation"
    assert "us-behind-unrest" in catalog.descendants("foreign-instigation")
    assert catalog.background["en"], "the neutral background statements ship with the catalog"


@pytest.mark.parametrize("doc, fragment", [
    ({"narratives": [{"id": "a"}]}, "missing 'name'"),
    ({"narratives": [{"id": "a", "name": "A"}, {"id": "a", "name": "B"}]}, "duplicate id"),
    ({"narratives": [{"name": "A"}]}, "invalid 'id'"),
    ({"narratives": [{"id": "a", "name": "A", "colour": 1}]}, "unknown key(s) colour"),
    ({"narratives": [{"id": "a", "name": "A", "examples": {"en": [1]}}]}, "must be a string or a list"),
    ({"narratives": [{"id": "a", "name": "A", "subnarratives": [{"id": "b"}]}]}, "subnarrative #1 ('b'): missing"),
    ({"narratives": []}, "no narratives"),
    ({"stories": []}, "'narratives' list"),
])
def test_invalid_catalogs_give_one_clear_line(doc: dict, fragment: str) -> None:
    with pytest.raises(CatalogError) as info:
        parse_catalog(doc, "x.yaml")
    message = str(info.value)
    assert fragment in message and "\n" not in message and message.startswith("x.yaml")


def test_bad_yaml_and_missing_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("narratives: [unclosed", encoding="utf-8")
    with pytest.raises(CatalogError, match="not valid YAML"):
        load_catalog(bad)
    with pytest.raises(CatalogError, match="catalog not found"):
        load_catalog(tmp_path / "nope.yaml")


def test_dump_and_load_round_trip(tmp_path: Path) -> None:
    catalog = load_catalog()
    for suffix in (".yaml", ".json"):
        path = tmp_path / f"copy{suffix}"
        catalog.dump(path)
        again = load_catalog(path)
        assert [n.to_dict() for n in again.walk()] == [n.to_dict() for n in catalog.walk()]


def test_examples_accept_plain_lists() -> None:
    catalog = parse_catalog({"narratives": [{"id": "a", "name": "A", "examples": ["one", {"lang": "de", "text": "zwei"}]}]})
    assert catalog.narratives[0].examples == {"und": ["one"], "de": ["zwei"]}


def test_taxonomy_labels_nest_and_drop_other() -> None:
    catalog = from_taxonomy(["URW: Discrediting Ukraine", "URW: Discrediting Ukraine: Ukraine is a puppet of the West",
                             "URW: Discrediting Ukraine: Other", "Other"])
    assert len(catalog.narratives) == 1
    root = catalog.narratives[0]
    assert root.name == "Discrediting Ukraine" and root.label == "URW: Discrediting Ukraine"
    assert [c.label for c in root.subnarratives] == ["URW: Discrediting Ukraine: Ukraine is a puppet of the West"]
    assert root.subnarratives[0].statements()[0][1] == "Ukraine is a puppet of the West"


def test_shared_taxonomy_converts(data_dir: Path) -> None:
    path = data_dir / "narratives" / "taxonomy.json"
    catalog = convert("taxonomy", path)
    tax = json.loads(path.read_text(encoding="utf-8"))
    real = [n for n in tax["narratives"] if n != "Other"]
    assert [n.label for n in catalog.narratives] == real
    subs = [s for s in tax["subnarratives"] if s != "Other" and not s.endswith(": Other")]
    assert sorted(n.label for n in catalog.walk() if n.parent) == sorted(subs)
    assert load_catalog(path).by_id().keys() == catalog.by_id().keys()  # load_catalog detects label lists


def test_claims_group_by_keyword() -> None:
    records = [{"title": f"Claim {i} about NATO", "date": f"2020-01-{i + 1:02d}", "keywords": ["NATO", "War"]}
               for i in range(6)] + [{"title": "Lonely claim", "keywords": ["rare"]}]
    catalog = from_claims(records, min_claims=5)
    assert [n.id for n in catalog.narratives] == ["kw-nato", "kw-war"]
    assert catalog.narratives[0].examples["en"][0] == "Claim 5 about NATO"  # newest first
    with pytest.raises(CatalogError, match="no keyword"):
        from_claims(records, min_claims=50)


def test_shared_claims_convert(data_dir: Path, tmp_path: Path) -> None:
    catalog = convert("claims", data_dir / "narratives" / "dev" / "claims.jsonl", max_groups=30)
    assert len(catalog.narratives) == 30
    assert all(n.examples["en"] for n in catalog.narratives)
    catalog.dump(tmp_path / "claims.yaml")
    assert len(load_catalog(tmp_path / "claims.yaml").narratives) == 30
