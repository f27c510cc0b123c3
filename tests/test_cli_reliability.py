"""`echolot ingest` reports stage failures, `--retry-failed` retries them (issue 16), end to end in-process."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from echolot import pipeline
from echolot.cli import main
from echolot.model import Article
from echolot.settings import Settings

BROKEN = {"on": True}


def fragile(articles: list[Article], store: Any, settings: Settings) -> None:
    for article in articles:
        if BROKEN["on"] and "Sabotage" in article.text:
            raise RuntimeError("the stage trips over this article")
        store.put_annotations("fragile", article.id, [])


def _invoke(db: Path, *args: str) -> Any:
    return CliRunner().invoke(main, ["--db", str(db), *args], catch_exceptions=False)


def test_ingest_reports_failures_and_retries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "STAGES", [("fragile", __name__, "fragile")])
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text("Gute Nachricht\n\nDer Rat beschloss am Montag einstimmig den neuen Haushalt.")
    (folder / "bad.txt").write_text("Werk steht still\n\n"
                                    "Sabotage: Unbekannte legten am Montag die Produktion still, hieß es.")
    db = tmp_path / "s.db"
    first = _invoke(db, "ingest", str(folder), "--json")
    assert first.exit_code == 0, first.output
    data = json.loads(first.stdout)
    assert data["ingested"] == 2 and data["analysed"] == {"fragile": 1}
    [(bad_id, error)] = data["failed"]["fragile"].items()
    assert "RuntimeError: the stage trips over this article" in error

    text = _invoke(db, "ingest", str(folder))  # skipped, and the summary says so
    assert "skipped: 1" in text.stdout and "--retry-failed" in text.stdout

    listed = _invoke(db, "check", "--json")
    assert listed.exit_code == 0 and json.loads(listed.stdout)["failed"][0]["article_id"] == bad_id

    BROKEN["on"] = False
    try:
        retried = _invoke(db, "ingest", "--retry-failed", "--json")  # no PATHS needed
    finally:
        BROKEN["on"] = True
    assert retried.exit_code == 0, retried.output
    again = json.loads(retried.stdout)
    assert again["analysed"] == {"fragile": 1} and again["failed"] == {} and again["ingested"] == 0
    assert json.loads(_invoke(db, "check", "--json", "--strict").stdout)["ok"] is True


def test_ingest_needs_paths_or_retry(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["--db", str(tmp_path / "s.db"), "ingest"])
    assert result.exit_code == 2 and "PATHS" in result.output
    both = CliRunner().invoke(main, ["--db", str(tmp_path / "s.db"), "ingest", "--retry-failed", "--no-analyze"])
    assert both.exit_code == 2
