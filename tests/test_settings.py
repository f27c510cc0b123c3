"""Settings: defaults, then config file, then environment, then explicit overrides."""
from __future__ import annotations

from pathlib import Path

import pytest

from echolot.settings import load_settings


def test_defaults_and_db_path(tmp_path, monkeypatch):
    monkeypatch.setenv("ECHOLOT_HOME", str(tmp_path))
    settings = load_settings()
    assert settings.db_path == tmp_path / "echolot.db"
    assert settings.ingest.batch_size > 0


def test_override_order(tmp_path, monkeypatch):
    monkeypatch.setenv("ECHOLOT_HOME", str(tmp_path))
    (tmp_path / "config.toml").write_text("[ingest]\nbatch_size = 7\nmin_chars = 11\n", "utf-8")
    monkeypatch.setenv("ECHOLOT_INGEST__MIN_CHARS", "12")
    settings = load_settings({"ingest.batch_size": "9"}, db=tmp_path / "x.db")
    assert settings.ingest.batch_size == 9
    assert settings.ingest.min_chars == 12
    assert settings.db_path == Path(tmp_path / "x.db")


def test_unknown_key_is_an_error(tmp_path, monkeypatch):
    monkeypatch.setenv("ECHOLOT_HOME", str(tmp_path))
    with pytest.raises(KeyError, match="unknown setting"):
        load_settings({"ingest.nope": "1"})
