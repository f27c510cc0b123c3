"""`echolot ingest | ls | show | search` against a store in a temporary folder."""
from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from echolot.cli import main


def _run(db: Path, *args: str) -> str:
    result = CliRunner().invoke(main, ["--db", str(db), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_ingest_ls_show_search(tmp_path: Path, seeds_dir: Path) -> None:
    db = tmp_path / "e.db"
    summary = json.loads(_run(db, "ingest", str(seeds_dir), "--no-analyze", "--json"))
    assert summary["ingested"] == 5 and summary["rejected"] == []
    again = json.loads(_run(db, "ingest", str(seeds_dir), "--no-analyze", "--json"))
    assert again["ingested"] == 0 and again["duplicates"] == 5
    rows = json.loads(_run(db, "ls", "--json"))
    assert len(rows) == 5 and set(rows[0]) >= {"id", "title", "lang", "published", "source"}
    assert len(json.loads(_run(db, "ls", "--json", "--limit", "2"))) == 2
    english = next(r for r in rows if r["lang"] == "en")
    shown = json.loads(_run(db, "show", english["id"][:6], "--json"))
    assert set(shown) >= {"id", "title", "text", "lang", "published", "source", "url", "declared_sources"}
    assert shown["published"] == "2022-01-05T22:10" and shown["id"] == english["id"]
    assert "US denies role" in _run(db, "show", english["id"])
    hits = json.loads(_run(db, "search", "Psaki", "--json", "--limit", "5"))
    assert {h["id"] for h in hits} >= {english["id"]}


def test_errors_are_one_line(tmp_path: Path) -> None:
    db = tmp_path / "e.db"
    result = CliRunner().invoke(main, ["--db", str(db), "show", "ffff"])
    assert result.exit_code != 0 and "no article" in result.output
    missing = CliRunner().invoke(main, ["--db", str(db), "ingest", str(tmp_path / "missing"), "--no-analyze",
                                        "--json"])
    assert missing.exit_code == 2  # nothing stored, everything rejected: not a success for scripts
    assert json.loads(missing.stdout)["rejected"][0]["reason"] == "no such file or directory"
