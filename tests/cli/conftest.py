"""A small store made through the CLI (no analysis stages: fast), shared by the CLI tests."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from echolot.cli import main

TEXTS = {
    "de.txt": "Minister lobt Gespräche\n\nDer Minister sagte am Dienstag in Berlin, die Gespräche mit der Opposition "
              "seien konstruktiv verlaufen und würden fortgesetzt. Beobachter hatten mit einem schwierigeren "
              "Treffen gerechnet.",
    "en.txt": "Talks praised\n\nThe minister said on Tuesday in Berlin that talks with the opposition had been "
              "constructive and would continue next week. Observers had expected a harder meeting.",
    "ru.txt": "Министр похвалил переговоры\n\nМинистр заявил во вторник в Берлине, что переговоры с оппозицией "
              "прошли конструктивно и будут продолжены на следующей неделе.",
}


@pytest.fixture(scope="module")
def cli_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Path of a store with three ingested articles."""
    root = tmp_path_factory.mktemp("cli")
    for name, text in TEXTS.items():
        (root / name).write_text(text, encoding="utf-8")
    db = root / "e.db"
    result = CliRunner().invoke(main, ["--db", str(db), "ingest", str(root), "--no-analyze", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["ingested"] == 3
    return db
