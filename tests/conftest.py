"""Shared fixtures: where the third-party data lives (skipped cleanly when it is missing), and a store.

The data stays in ../shared/data (never copied into the repository); tests that
need it ask for `data_dir` or `seeds_dir` and are skipped when it is absent.
Tests that use a `seeded` store are marked `slow` here (see SLOW_FIXTURES).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from echolot.settings import Settings


def _data_root() -> Path | None:
    from echolot.eval.common import find_data_dir

    try:
        return find_data_dir()
    except FileNotFoundError:
        return None


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The shared data folder (../shared/data or $ECHOLOT_DATA); skips the test when missing."""
    root = _data_root()
    if root is None:
        pytest.skip("shared data folder not found (../shared/data or $ECHOLOT_DATA)")
    return root


@pytest.fixture(scope="session")
def seeds_dir(data_dir: Path) -> Path:
    """The five seed articles (000 is the German translation of 001); skips when missing."""
    path = data_dir / "seeds"
    if not path.is_dir() or not any(path.glob("*.txt")):
        pytest.skip("seed articles not found in the shared data folder")
    return path


@pytest.fixture(scope="session")
def english_nlp() -> Any:
    """The English spaCy pipeline the quotes stage parses with; skips the test when no model is installed."""
    from echolot.quotes.english import load_nlp

    try:
        return load_nlp()
    except OSError:
        pytest.skip("no English spaCy model")


@pytest.fixture(scope="session")
def english_quote_models(english_nlp: Any) -> Any:
    """The English parser, when the trained English quote taggers are present too; skips otherwise."""
    from echolot.quotes.english import models_available

    if not models_available():
        pytest.skip("English quote models not trained (scripts/train_quotes_crf.py)")
    return english_nlp


@pytest.fixture()
def settings(tmp_path: Path) -> Settings:
    """Default settings with the home (and store) inside the test's temporary folder."""
    return Settings(home=tmp_path / "home")


@pytest.fixture()
def store(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A fresh SQLite store in the test's temporary folder, closed afterwards."""
    from echolot.store import SQLiteStore

    db = SQLiteStore(tmp_path / "store.db")
    yield db
    db.close()


# fixtures that analyse the shared seed articles with every real model (NER, quote taggers, encoders):
# a test that needs one is a data-dependent quality check, so it runs in CI's slow step (`-m slow`)
SLOW_FIXTURES = {"seeded"}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark `slow` every test that uses one of SLOW_FIXTURES (before `-m` selects)."""
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
