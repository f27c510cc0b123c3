"""A stage no later stage reads (`RUNS_APART`, stories) runs in a process of its own beside the later
stages: the store ends up the same as in line, its failures are reported the same way, and a lost
process or an error of the surroundings loses nothing.

This module is that stage (the pipeline's process imports it by name); the stages before and after
it come from `tests/test_workers.py`."""
from __future__ import annotations

import multiprocessing
import os
import sqlite3
import warnings
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from echolot import pipeline
from echolot.model import Article
from echolot.settings import Settings
from echolot.store import SQLiteStore
from echolot.store.compare import contents
from tests import test_workers
from tests.test_workers import _article, _run, _settings

RUNS_APART = True


def process(articles: list[Article], store: Any, settings: Settings) -> None:
    """Writes what the stage before it wrote, plus where it ran; "bad" fails, "crash" kills its own
    process (only there), "disk" is an error of the surroundings."""
    for article in articles:
        words = article.text.split()
        if "bad" in words:
            raise ValueError(f"cannot file {article.id}")
        if "crash" in words and multiprocessing.parent_process() is not None:
            os._exit(3)
        if "disk" in words:
            raise sqlite3.OperationalError("disk I/O error")
    for article in articles:
        store.put_annotations("aside", article.id, [{"seen": store.annotations("seen", article.id)}])


@pytest.fixture()
def three_stages(monkeypatch: pytest.MonkeyPatch) -> None:
    test_workers.PREPARED_IN.clear()
    monkeypatch.setattr(pipeline, "STAGES", [("first", test_workers.__name__, "first"),
                                             ("aside", __name__, "process"),
                                             ("counted", test_workers.__name__, "process")])


def test_apart_stage_same_store_and_failures(tmp_path: Path, three_stages: None) -> None:
    articles = [_article(i) for i in range(10)] + [_article(42, "a bad one")]
    serial, one = _run(tmp_path, "one", 1, articles)
    parallel, two = _run(tmp_path, "two", 2, articles)
    assert one.apart == [] and two.apart == ["aside"]
    assert contents(serial) == contents(parallel)
    assert list(two.done) == ["first", "aside", "counted"]  # the report keeps the stages' order
    assert one.done == two.done and two.done["aside"] == 10
    assert one.failed == two.failed and set(two.failed["aside"]) == {"a0042"}
    assert "cannot file a0042" in two.failed["aside"]["a0042"]
    assert two.cpu_seconds["aside"] > 0 and two.seconds["aside"] > 0
    store = SQLiteStore(parallel)
    try:  # the stage ran after the one before it was complete
        assert store.annotations("aside", "a0003") == [{"seen": [{"chars": len(_article(3).text)}]}]
        assert store.pending("aside") == []
    finally:
        store.close()


def test_a_lost_apart_process_is_finished_in_line(tmp_path: Path, three_stages: None) -> None:
    articles = [_article(i) for i in range(9)] + [_article(50, "this one will crash its process")]
    serial, _ = _run(tmp_path, "one", 1, articles)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        parallel, report = _run(tmp_path, "two", 2, articles)
    assert any("own process stopped" in str(w.message) for w in caught)
    assert report.done["aside"] == 10 and not report.failed
    assert contents(serial) == contents(parallel)


def test_an_error_of_the_surroundings_stops_the_run(tmp_path: Path, three_stages: None) -> None:
    articles = [_article(i) for i in range(5)] + [_article(60, "the disk is full")]
    pending = []
    for workers in (1, 2):
        with pytest.raises(sqlite3.OperationalError, match="disk I/O error"):
            _run(tmp_path, f"w{workers}", workers, articles)
        store = SQLiteStore(tmp_path / f"w{workers}.db")
        try:  # the batch it hit is neither failed nor done: a rerun does it again
            assert store.failed("aside") == []
            pending.append(store.pending("aside"))
        finally:
            store.close()
    assert pending[0] == pending[1] == ["a0004", "a0060"]  # batches of 4: the first one was done


def test_small_runs_and_last_stages_stay_in_line(tmp_path: Path, three_stages: None,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    settings = _settings(2)
    small = replace(settings, pipeline=replace(settings.pipeline, parallel_min_articles=6))
    _, report = _run(tmp_path, "small", 2, [_article(i) for i in range(5)], small)
    assert report.apart == [] and report.done["aside"] == 5
    monkeypatch.setattr(pipeline, "STAGES", [("first", test_workers.__name__, "first"),
                                             ("aside", __name__, "process")])
    _, report = _run(tmp_path, "last", 2, [_article(i) for i in range(5)])
    assert report.apart == [] and report.done["aside"] == 5  # nothing after it to run beside
