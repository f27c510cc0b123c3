"""The narratives stage's encoder calls worked out ahead (`plan_calls`) are the very calls the stage
makes, so the pipeline's workers can make them beforehand; taking their vectors leaves the store as
it is without them, and a call not handed over is made by the stage itself (issue 12)."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from echolot.model import Article, ReuseLink
from echolot.narratives import stage
from echolot.narratives.labelling import load_model
from echolot.pipeline import read_articles
from echolot.settings import NarrativesSettings, Settings
from echolot.store import SQLiteStore
from echolot.store.compare import contents

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def demo() -> list[Article]:
    settings = Settings()
    return [a for a in read_articles([str(ROOT / "examples" / "demo")], settings) if isinstance(a, Article)][:10]


def _settings(home: Path) -> Settings:
    # claims from capitalised words, not the NER models: this test is about the encoder calls
    return replace(Settings(home=home), narratives=replace(NarrativesSettings(), use_ner=False))


def _store(path: Path, articles: list[Article]) -> SQLiteStore:
    store = SQLiteStore(path)
    store.add_articles(articles)
    return store


def test_the_plan_is_the_calls_the_stage_makes(tmp_path: Path, demo: list[Article]) -> None:
    settings = _settings(tmp_path)
    first, second = demo[:6], demo[3:]  # the second batch finds part of its texts cached by the first
    stores = {name: _store(tmp_path / f"{name}.db", demo) for name in ("inline", "planned")}
    asked: list[stage.Call] = []
    planned_calls: list[stage.Call] = []
    every: list[stage.Call] = []

    def planned(call: stage.Call) -> np.ndarray | None:
        asked.append(call)
        return stage.run_call(None, settings, call) if call in planned_calls else None

    try:
        for batch in (first, second):
            stage.process(batch, stores["inline"], settings, progress=False)
            planned_calls[:] = stage.plan_calls(batch, stores["planned"], settings)
            asked.clear()
            stage.process(batch, stores["planned"], settings, progress=False, planned=planned)
            assert asked == planned_calls and asked  # every call, in order, and nothing else
            every.extend(asked)
    finally:
        for store in stores.values():
            store.close()
    assert contents(tmp_path / "inline.db") == contents(tmp_path / "planned.db")
    if load_model(settings) is not None:  # the supervised model's article vectors (leads, body chunks) too
        assert any(len(t) > 300 for _, texts in every for t in texts)


def _linked_store(path: Path, articles: list[Article]) -> SQLiteStore:
    """A store whose first articles are linked by reuse links to articles outside the batch, so the stage
    re-labels those too (`narratives.unify_links`)."""
    store = _store(path, articles)
    store.put_links([ReuseLink(articles[0].id, articles[7].id, "translation", 0.9),
                     ReuseLink(articles[1].id, articles[8].id, "copy", 0.8)])
    return store


def test_the_plan_of_linked_articles_is_the_calls_the_stage_makes(tmp_path: Path, demo: list[Article]) -> None:
    """Each call the stage makes, recorded from a real run, is the plan's, in order; the articles reached
    by links are planned too, and the stage takes them from the plan instead of reading them again."""
    settings = _settings(tmp_path)
    batch = demo[:4]
    inline, planned = _linked_store(tmp_path / "a.db", demo), _linked_store(tmp_path / "b.db", demo)
    made: list[stage.Call] = []
    try:
        plan = stage.plan_calls(batch, planned, settings)
        assert [a.id for a in plan.linked[0]] == [a.id for a in batch] + [demo[7].id, demo[8].id]
        stage.process(batch, inline, settings, progress=False)

        def record(call: stage.Call) -> None:
            made.append(call)
            return None  # the stage makes every call itself: what it makes is what it was going to make

        read = stage._with_linked
        stage._with_linked = lambda *a: pytest.fail("read again")  # type: ignore[assignment]
        try:
            stage.process(batch, planned, settings, progress=False, planned=record, plan=plan)
        finally:
            stage._with_linked = read  # type: ignore[assignment]
    finally:
        inline.close()
        planned.close()
    assert made == list(plan) and made
    assert contents(tmp_path / "a.db") == contents(tmp_path / "b.db")


def test_a_plan_of_other_articles_is_not_used(tmp_path: Path, demo: list[Article]) -> None:
    settings = _settings(tmp_path)
    inline, planned = _linked_store(tmp_path / "a.db", demo), _linked_store(tmp_path / "b.db", demo)
    try:
        plan = stage.plan_calls(demo[2:5], planned, settings)  # a bisected batch: these, not the plan's
        stage.process(demo[:2], inline, settings, progress=False)
        stage.process(demo[:2], planned, settings, progress=False, planned=lambda call: None, plan=plan)
    finally:
        inline.close()
        planned.close()
    assert contents(tmp_path / "a.db") == contents(tmp_path / "b.db")


def test_calls_not_handed_over_are_made_by_the_stage(tmp_path: Path, demo: list[Article]) -> None:
    settings = _settings(tmp_path)
    inline, planned = _store(tmp_path / "a.db", demo[:5]), _store(tmp_path / "b.db", demo[:5])
    try:
        stage.process(demo[:5], inline, settings, progress=False)
        stage.process(demo[:5], planned, settings, progress=False, planned=lambda call: None)
    finally:
        inline.close()
        planned.close()
    assert contents(tmp_path / "a.db") == contents(tmp_path / "b.db")


@pytest.mark.slow
def test_a_worker_process_encodes_a_call_bit_for_bit(demo: list[Article]) -> None:
    """What the plan relies on: the same texts in one call give the same vectors, to the last bit, in a
    worker process (`run_call` through the pipeline's workers) as in this one."""
    from threadpoolctl import threadpool_limits

    from echolot.workers import StageWorkers

    settings = Settings()
    empty = SQLiteStore(":memory:")  # nothing cached: every unit, title, lead and body chunk is a call
    try:
        calls = stage.plan_calls(demo, empty, settings)
    finally:
        empty.close()
    workers = StageWorkers(settings, 2)
    try:
        planned = workers.submit_calls(f"{stage.__name__}:run_call", calls)
        with threadpool_limits(1, user_api="blas"):
            here = [stage.run_call(None, settings, call) for call in calls]
        there = [planned.get(call, wait=True) for call in calls]
    finally:
        workers.close()
    assert len(calls) > 10
    assert all(b is not None and a.tobytes() == b.tobytes() for a, b in zip(here, there))
