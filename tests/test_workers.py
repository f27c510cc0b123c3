"""`pipeline.workers`: the stages' per-article part in worker processes gives the same store as one process.

The fast tests use small stages of this module (workers import it by name); the real stages are
compared on the demo corpus in `test_real_stages_same_store_with_two_workers` (slow: every model
loads in three processes)."""
from __future__ import annotations

import multiprocessing
import os
import warnings
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from echolot import pipeline
from echolot.model import Article, Sentence
from echolot.pipeline import analyse
from echolot.settings import PipelineSettings, Settings
from echolot.store import SQLiteStore
from echolot.store.compare import contents
from echolot import workers as workers_module
from echolot.workers import Failed, StageWorkers

ROOT = Path(__file__).resolve().parents[1]
PREPARED_IN: list[str] = []  # per call of `process`: how many articles came prepared


# -- a stage split the way `echolot.workers` expects ----------------------------------------------
def prepare(article: Article, settings: Settings, inputs: Any) -> dict[str, Any]:
    """Per-article part: fails on "bad", kills its worker on "crash" (only in a worker)."""
    words = article.text.split()
    if "bad" in words:
        raise ValueError(f"cannot digest {article.id}")
    if "crash" in words and multiprocessing.parent_process() is not None:
        os._exit(3)
    return {"words": len(words), "first": words[0], "seen": inputs}


MANY_CALLS: list[int] = []  # chunk sizes `prepare_many` was called with (in this process)


def prepare_many(items: list[tuple[Article, Any]], settings: Settings) -> list[dict[str, Any]]:
    """The chunk form: what `prepare` gives per item, or an error for the whole chunk (as a batched
    model call fails for all) when one of them cannot be prepared."""
    MANY_CALLS.append(len(items))
    return [prepare(article, settings, inputs) for article, inputs in items]


def prepare_inputs(article: Article, store: Any) -> list[dict[str, Any]]:
    return store.annotations("seen", article.id)


def process(articles: list[Article], store: Any, settings: Settings,
            prepared: dict[str, dict[str, Any]] | None = None) -> None:
    PREPARED_IN.append(f"{len(prepared or {})}/{len(articles)}")
    for article in articles:
        found = (prepared or {}).get(article.id)
        if found is None:
            found = prepare(article, settings, prepare_inputs(article, store))
        store.put_annotations("counted", article.id, [found])


def first(articles: list[Article], store: Any, settings: Settings) -> None:
    """A stage without a per-article part, run before: its output is `prepare`'s input."""
    for article in articles:
        store.put_annotations("seen", article.id, [{"chars": len(article.text)}])


# -- a stage whose calls are planned ahead (`plan_calls` / `run_call` / `process(planned=...)`) ------------
PLANNED_USE: list[tuple[int, int]] = []  # per call of `weighed`: (calls handed over, calls made here)
PLANS_SEEN: list[tuple[list[Any], list[str]]] = []  # per call of `weighed` handed its plan: (plan, article texts)


def plan_calls(articles: list[Article], store: Any, settings: Settings) -> list[tuple[str, str]]:
    """One call per article, plus one the stage never makes (it must only cost the worker's time)."""
    return [("weigh", a.text) for a in articles] + [("weigh", "never asked for")]


def run_call(_article: None, settings: Settings, call: tuple[str, str]) -> int:
    if "bad" in call[1].split():
        raise ValueError("cannot weigh")
    return sum(map(ord, call[1]))


def weighed(articles: list[Article], store: Any, settings: Settings,
            planned: Any = None, plan: Any = None) -> None:
    """The last stage: writes each article's call result, taken from `planned` when it is there;
    `plan`: what `plan_calls` returned for the batch, handed over with it."""
    if plan is not None:
        PLANS_SEEN.append((list(plan), [a.text for a in articles]))
    handed = made = 0
    for article in articles:
        found = planned(("weigh", article.text)) if planned is not None else None
        if found is None:
            made += 1
            found = sum(map(ord, article.text))
        else:
            handed += 1
        store.put_annotations("weighed", article.id, [{"weight": found}])
    PLANNED_USE.append((handed, made))


def _article(i: int, text: str | None = None) -> Article:
    body = text if text is not None else f"Article {i} says something{' more' * (i % 4)}."
    return Article(id=f"a{i:04d}", text=body, title=f"Title {i}", lang="en",
                   sentences=[Sentence(index=0, paragraph=0, lang="en", text=body, start=0, end=len(body))])


def _settings(workers: int, batch_size: int = 4) -> Settings:
    return replace(Settings(), pipeline=replace(PipelineSettings(), batch_size=batch_size, workers=workers,
                                                parallel_min_articles=0))


@pytest.fixture()
def split_stages(monkeypatch: pytest.MonkeyPatch) -> None:
    PREPARED_IN.clear()
    monkeypatch.setattr(pipeline, "STAGES", [("first", __name__, "first"), ("counted", __name__, "process")])


def _run(tmp_path: Path, name: str, workers: int, articles: list[Article],
         settings: Settings | None = None) -> tuple[Path, pipeline.StageReport]:
    """A fresh store at `name`.db with `articles`, analysed with `workers` processes (or `settings`)."""
    path = tmp_path / f"{name}.db"
    store = SQLiteStore(path)
    try:
        store.add_articles(articles)
        report = analyse(store, settings or _settings(workers), progress=False)
    finally:
        store.close()
    return path, report


def test_split_stage_same_store_with_workers(tmp_path: Path, split_stages: None) -> None:
    articles = [_article(i) for i in range(11)] + [_article(99, "a bad one")]
    serial, one = _run(tmp_path, "one", 1, articles)
    assert all(p.startswith("0/") for p in PREPARED_IN)  # one worker: everything in-process, as before
    PREPARED_IN.clear()
    parallel, two = _run(tmp_path, "two", 2, articles)
    assert contents(serial) == contents(parallel)
    assert one.failed == two.failed and set(two.failed["counted"]) == {"a0099"}
    assert "cannot digest a0099" in two.failed["counted"]["a0099"]
    # 3 batches of 4; the good articles came from the workers (the bad one is redone in-process and fails)
    assert PREPARED_IN[0] in {"4/4", "3/4"} and sum(int(p.split("/")[0]) for p in PREPARED_IN) >= 11
    assert two.worker_cpu_seconds > 0


def test_inputs_come_from_earlier_stages(tmp_path: Path, split_stages: None) -> None:
    path, _ = _run(tmp_path, "inputs", 2, [_article(i) for i in range(5)])
    store = SQLiteStore(path)
    try:
        counted = store.annotations("counted", "a0003")
    finally:
        store.close()
    assert counted[0]["seen"] == [{"chars": len(_article(3).text)}]


def test_a_killed_worker_does_not_stop_the_run(tmp_path: Path, split_stages: None) -> None:
    articles = [_article(i) for i in range(9)] + [_article(50, "this one will crash the worker")]
    serial, _ = _run(tmp_path, "one", 1, articles)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        parallel, report = _run(tmp_path, "two", 2, articles)
    assert any("worker processes stopped" in str(w.message) for w in caught)
    assert report.done["counted"] == 10 and not report.failed
    assert contents(serial) == contents(parallel)


def test_small_runs_stay_in_process(tmp_path: Path, split_stages: None) -> None:
    store = SQLiteStore(tmp_path / "small.db")
    try:
        store.add_articles([_article(i) for i in range(5)])
        settings = replace(_settings(2), pipeline=replace(_settings(2).pipeline, parallel_min_articles=6))
        report = analyse(store, settings, progress=False)
    finally:
        store.close()
    assert report.done["counted"] == 5 and report.worker_cpu_seconds == 0
    assert all(p.startswith("0/") for p in PREPARED_IN)


def test_pool_keeps_results_by_article(tmp_path: Path) -> None:
    workers = StageWorkers(_settings(2), 2, chunk=2)
    try:
        articles = [_article(i) for i in range(5)] + [_article(7, "bad")]
        workers.submit(f"{__name__}:prepare", [(a, None) for a in articles])
        workers.submit(f"{__name__}:prepare", [(articles[0], None)])  # queued once
        got = workers.take(f"{__name__}:prepare", [a.id for a in articles] + ["never-submitted"])
    finally:
        workers.close()
    assert set(got) == {a.id for a in articles[:5]}  # the failure and the unknown id: the caller's to do
    assert got["a0002"] == prepare(articles[2], _settings(1), None)


def test_a_chunk_goes_to_prepare_many_and_a_bad_one_fails_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers_module, "_SETTINGS", _settings(2))
    MANY_CALLS.clear()
    good = [(_article(i), None) for i in range(3)]
    results, cpu = workers_module._run_chunk(f"{__name__}:prepare", good)
    assert MANY_CALLS == [3] and results == [prepare(a, _settings(1), None) for a, _ in good] and cpu >= 0
    mixed = [*good, (_article(9, "a bad one"), None)]
    results, _ = workers_module._run_chunk(f"{__name__}:prepare", mixed)
    assert MANY_CALLS == [3, 4]  # it raised for the chunk: then article by article
    assert results[:3] == [prepare(a, _settings(1), None) for a, _ in good]
    assert isinstance(results[3], Failed) and "cannot digest a0009" in results[3].error


def test_a_worker_keeps_to_its_languages() -> None:
    """Which chunk a worker gets next (no processes: the choice alone)."""
    from concurrent.futures import Future

    pool = StageWorkers(_settings(2), 2)

    def chunk(lang: str, generation: int) -> workers_module._Chunk:
        return workers_module._Chunk("t", [], lang, generation, Future())

    pool._queue = [chunk("de", 1), chunk("de", 1), chunk("en", 1), chunk("fr", 1), chunk("ru", 2)]
    pool._langs = [{"de"}, set()]
    assert pool._pick(0).lang == "de"  # its own language first
    assert pool._pick(1).lang == "en"  # then one no worker has
    pool._langs = [{"de"}, {"en", "fr", "ru"}]
    pool._queue = [chunk("de", 1), chunk("de", 1), chunk("de", 1), chunk("ru", 2)]
    assert pool._pick(1).lang == "de"  # enough of the earliest batch left: it shares de
    pool._queue = [chunk("de", 1), chunk("de", 1), chunk("ru", 2)]
    assert pool._pick(1).lang == "ru"  # too little to share: its own language from the next batch
    pool._queue = [chunk("de", 1), chunk("es", 2)]
    assert pool._pick(1).lang == "de"  # nothing of its own: the oldest chunk, never idle


@pytest.mark.slow
def test_entities_chunks_tag_as_prepare_does() -> None:
    """The NER over a chunk (one batched call per language, the worker's sentence memo) gives what
    the entities stage's `prepare` gives per article, on the demo corpus in all its languages."""
    from echolot.entities.stage import prepare as entities_prepare
    from echolot.pipeline import read_articles

    articles = [a for a in read_articles([str(ROOT / "examples" / "demo")], Settings()) if isinstance(a, Article)]
    assert len({a.lang for a in articles}) >= 3
    items = [(a, None) for a in articles]
    chunked = workers_module.entities_prepare_many(items[:20], Settings()) + \
        workers_module.entities_prepare_many(items[20:], Settings())
    assert chunked == [entities_prepare(a, Settings()) for a in articles]
    assert sum(len(drafts) for drafts, _ in chunked) > 20


@pytest.mark.slow
def test_real_stages_same_store_with_two_workers(tmp_path: Path) -> None:
    """Every stage on the demo corpus: one process and two workers write identical stores."""
    from echolot.pipeline import ingest

    dumps = []
    for workers in (1, 2):
        home = tmp_path / f"w{workers}"
        settings = replace(Settings(home=home), pipeline=replace(PipelineSettings(), workers=workers, batch_size=16,
                                                                  parallel_min_articles=0))
        store = SQLiteStore(home / "echolot.db")
        try:
            ingest([str(ROOT / "examples" / "demo")], store, settings, progress=False)
            report = analyse(store, settings, progress=False)
        finally:
            store.close()
        assert report.done["entities"] > 20
        dumps.append(contents(home / "echolot.db"))
    assert dumps[0] == dumps[1]


def test_planned_calls_run_ahead_and_change_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "STAGES", [("first", __name__, "first"), ("counted", __name__, "process"),
                                             ("weighed", __name__, "weighed")])
    articles = [_article(i) for i in range(10)] + [_article(77, "a bad one")]
    PLANNED_USE.clear()
    serial, one = _run(tmp_path, "one", 1, articles)
    assert all(handed == 0 for handed, _ in PLANNED_USE)  # one process: no workers, nothing planned
    PLANNED_USE.clear()
    PLANS_SEEN.clear()
    parallel, two = _run(tmp_path, "two", 2, articles)
    assert contents(serial) == contents(parallel)
    assert one.done == two.done and one.failed == two.failed
    # 3 batches of 4; the first was planned while `counted` ran, the bad one's call is made here
    assert len(PLANNED_USE) == 3 and sum(h for h, _ in PLANNED_USE) >= 1 and sum(m for _, m in PLANNED_USE) >= 1
    assert sum(h + m for h, m in PLANNED_USE) == 11
    assert two.worker_cpu.get("weighed", 0.0) > 0
    counts = two.planned_calls["weighed"]  # one per article and one never asked for, per batch
    assert counts["planned"] == 14 and counts["handed_over"] + counts["made_here"] == 11 and counts["not_asked"] == 3
    # each batch's plan reached the stage with it (a bisected batch's halves get their batch's plan)
    assert len(PLANS_SEEN) >= 3 and all({("weigh", t) for t in texts} <= set(plan) for plan, texts in PLANS_SEEN)


def test_a_planned_call_not_started_is_made_by_the_stage(monkeypatch: pytest.MonkeyPatch) -> None:
    """A call still queued when the stage asks for it is taken back (the stage makes it rather than
    wait); the calls never asked for are dropped (no processes: nothing is sent)."""
    workers = StageWorkers(_settings(2), 2)
    monkeypatch.setattr(workers, "_dispatch", lambda: None)
    calls = [("weigh", f"text {i}") for i in range(3)]
    planned = workers.submit_calls(f"{__name__}:run_call", calls)
    assert len(workers._queue) == 3
    assert planned.get(("weigh", "text 1")) is None and len(workers._queue) == 2
    assert planned.get(("weigh", "not planned")) is None
    planned.drop()
    assert not workers._queue
    workers.close()
