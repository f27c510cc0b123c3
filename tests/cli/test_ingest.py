"""`echolot ingest`: where the time went (seconds per step and stage, articles per second) and `--lang`."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from echolot import pipeline
from echolot.cli import main
from echolot.model import Article
from echolot.settings import Settings
from echolot.store.base import Store

from .conftest import TEXTS


def count(articles: list[Article], store: Store, settings: Settings) -> None:
    for article in articles:
        store.put_annotations("count", article.id, [])


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "in"
    root.mkdir()
    for name, text in TEXTS.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


def test_json_reports_seconds_per_stage(tmp_path: Path, folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "STAGES", [("count", __name__, "count")])
    result = CliRunner().invoke(main, ["--db", str(tmp_path / "s.db"), "--json", "ingest", str(folder)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["ingested"] == 3 and data["analysed"] == {"count": 3}
    seconds = data["stage_seconds"]
    assert list(seconds) == ["read", "clean", "text", "store", "count"]
    assert all(isinstance(value, float) and value >= 0 for value in seconds.values())
    # the steps run one after another inside the run, so together they cannot exceed its wall time
    assert sum(seconds.values()) <= data["seconds"] + 0.01
    assert data["articles_per_second"] > 0


def test_human_output_has_one_timing_line(tmp_path: Path, folder: Path) -> None:
    result = CliRunner().invoke(main, ["--db", str(tmp_path / "s.db"), "ingest", str(folder), "--no-analyze"])
    assert result.exit_code == 0, result.output
    [line] = [line for line in result.stdout.splitlines() if line.startswith("time:")]
    assert "articles/s" in line and all(f"{step} " in line for step in pipeline.INGEST_STEPS)


def test_retry_run_counts_the_articles_it_analysed(tmp_path: Path, folder: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    db = str(tmp_path / "s.db")
    assert CliRunner().invoke(main, ["--db", db, "ingest", str(folder), "--no-analyze"]).exit_code == 0
    monkeypatch.setattr(pipeline, "STAGES", [("count", __name__, "count")])
    result = CliRunner().invoke(main, ["--db", db, "ingest", "--retry-failed", "--json"])
    data = json.loads(result.stdout)
    assert data["ingested"] == 0 and data["analysed"] == {"count": 3} and data["articles_per_second"] > 0
    assert data["stage_seconds"]["read"] == 0 and data["stage_seconds"]["count"] >= 0


def test_lang_option_overrides_detection(tmp_path: Path, folder: Path) -> None:
    db = str(tmp_path / "s.db")
    result = CliRunner().invoke(main, ["--db", db, "ingest", str(folder / "de.txt"), "--no-analyze", "--lang", "EN"])
    assert result.exit_code == 0, result.output
    listed = json.loads(CliRunner().invoke(main, ["--db", db, "ls", "--json"]).stdout)
    assert [row["lang"] for row in listed] == ["en"]
    bad = CliRunner().invoke(main, ["--db", db, "ingest", str(folder), "--lang", "Deutsch"])
    assert bad.exit_code == 2 and "not a language code" in bad.output
