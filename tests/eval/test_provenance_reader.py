"""The provenance evaluator reads records with ingest's reader and detects languages itself."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from echolot.eval import splits
from echolot.eval.provenance import half_member, read_corpus
from echolot.settings import Settings


def test_language_comes_from_detection_not_the_record(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    text = "Die Regierung hat am Mittwoch neue Maßnahmen gegen die Krise beschlossen. Sie gelten ab Montag."
    path.write_text(json.dumps({"id": "a1", "lang": "fr", "title": None, "text": text}) + "\n", "utf-8")
    [article] = read_corpus([path], Settings(), progress=False)
    assert article.lang == "de" and article.external_id == "a1" and article.text == text
    assert len(article.sentences) == 2


def test_a_bad_record_stops_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_text(json.dumps({"id": "a1", "text": "Ein Satz, der gut genug ist."}) + "\n{not json\n", "utf-8")
    with pytest.raises(ValueError, match=r"c\.jsonl:2"):
        read_corpus([path], Settings(), progress=False)


def test_halves_cover_every_group_once() -> None:
    groups = [f"g{n:03d}" for n in range(40)]
    a, b = splits.provenance_halves(groups)
    in_a, in_b = half_member(a, b, "A"), half_member(a, b, "B")
    assert all(in_a(g) != in_b(g) for g in groups) and {g for g in groups if in_a(g)} == a
    assert in_a("singleton-1") != in_b("singleton-1")  # singletons fall in exactly one half too
