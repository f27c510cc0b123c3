"""`ingest(analyse_next=True)` starts the worker pool while it still reads, and queues the per-article work
that needs no earlier stage for the articles it has stored; `analyse(workers=...)` takes that pool over.
The store comes out the same as with one process (issue 12: one core stayed unused through ingest)."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from echolot import pipeline
from echolot.model import Article
from echolot.pipeline import analyse, ingest
from echolot.settings import IngestSettings, PipelineSettings, Settings
from echolot.store import SQLiteStore
from echolot.store.compare import contents

ROOT = Path(__file__).resolve().parents[1]
PREPARED_IN: list[tuple[int, int]] = []  # per call of `process`: (articles that came prepared, articles)


def prepare(article: Article, settings: Settings, inputs: Any) -> dict[str, Any]:
    """A per-article part that needs no earlier stage (no `prepare_inputs`), like the entities' NER."""
    return {"words": len(article.text.split()), "lang": article.lang}


def process(articles: list[Article], store: Any, settings: Settings,
            prepared: dict[str, dict[str, Any]] | None = None) -> None:
    PREPARED_IN.append((len(prepared or {}), len(articles)))
    for article in articles:
        found = (prepared or {}).get(article.id) or prepare(article, settings, None)
        store.put_annotations("ahead", article.id, [found])


def _settings(workers: int) -> Settings:
    base = Settings()
    return replace(base, ingest=replace(IngestSettings(), batch_size=4),
                   pipeline=replace(PipelineSettings(), batch_size=5, workers=workers, parallel_min_articles=6))


@pytest.fixture()
def ahead_stage(monkeypatch: pytest.MonkeyPatch) -> None:
    PREPARED_IN.clear()
    monkeypatch.setattr(pipeline, "STAGES", [("ahead", __name__, "process")])


def _job(path: Path, workers: int, analyse_next: bool) -> tuple[Any, Any, set[str]]:
    """Ingest the demo corpus and analyse it, as `echolot ingest` does; the ids queued during ingest."""
    settings = _settings(workers)
    store = SQLiteStore(path)
    try:
        summary = ingest([str(ROOT / "examples" / "demo")], store, settings, progress=False, analyse_next=analyse_next)
        queued = summary.workers.submitted(f"{__name__}:prepare") if summary.workers is not None else set()
        report = analyse(store, settings, progress=False, workers=summary.workers)
    finally:
        store.close()
    return summary, report, queued


def test_the_pool_starts_during_ingest_and_changes_nothing(tmp_path: Path, ahead_stage: None) -> None:
    one, serial, _ = _job(tmp_path / "one.db", 1, analyse_next=True)
    assert one.workers is None and all(done == 0 for done, _ in PREPARED_IN)  # one process: no pool
    PREPARED_IN.clear()
    two, parallel, queued = _job(tmp_path / "two.db", 2, analyse_next=True)
    assert contents(tmp_path / "one.db") == contents(tmp_path / "two.db")
    assert serial.done == parallel.done and parallel.done["ahead"] == one.ingested > 10
    # queued while ingest ran: from the 6th article stored (`parallel_min_articles`), two stage batches
    assert len(queued) == 2 * 5 and queued <= set(two.new_ids)
    assert sum(done for done, _ in PREPARED_IN) >= len(queued) and parallel.worker_cpu_seconds > 0


def test_without_analyse_next_ingest_starts_nothing(tmp_path: Path, ahead_stage: None) -> None:
    store = SQLiteStore(tmp_path / "a.db")
    try:
        summary = ingest([str(ROOT / "examples" / "demo")], store, _settings(2), progress=False)
    finally:
        store.close()
    assert summary.workers is None and summary.ingested > 10
