"""The per-article part of the analysis stages, in worker processes (issue 12: the main job on every core).

A stage may split its work in two:
* `prepare(article, settings, inputs)`: the per-article part, pure (an article and plain records
  in, plain picklable records out; no store). The heavy model work lives here: NER over each
  paragraph, the quote parser. `inputs` is what `prepare_inputs(article, store)` read from the
  store for it (quotes: the article's mentions); a stage without `prepare_inputs` needs nothing
  from earlier stages, so its work can start before they run.
* `process(articles, store, settings, prepared=...)`: the corpus part (matching, clustering,
  every store write), in the parent, in the order the serial path uses. An article missing from
  `prepared` is prepared in-process by the stage itself, so `prepared` only ever saves time.
* optionally `prepare_many(items, settings)`: `prepare` over a chunk of `(article, inputs)` at once,
  each result exactly as `prepare` gives it, with the model calls batched over the chunk and what
  repeats (a sentence's NER tags) remembered for the worker's life. A worker uses it per chunk when
  the module has one (or `MANY` names one for it) and falls back to `prepare` per article when it raises.

`StageWorkers` runs `prepare` over a pool of `pipeline.workers` processes ("spawn": safe beside
the threads of ONNX Runtime and tqdm), models loaded once per worker on first use, in chunks.
Nothing here can change a result: a worker computes exactly what the stage would compute
in-process (same code, same single BLAS thread), and whatever goes wrong in a worker (an
article that raises, a worker killed) only means the parent prepares that article itself, where
the stage's own error handling (bisection, the failure table) sees the very same exception.
"""
from __future__ import annotations

import functools
import importlib
import multiprocessing
import os
import threading
import time
import warnings
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any

from echolot.model import Article
from echolot.settings import Settings

__all__ = ["Failed", "StageWorkers", "worker_count"]

_SETTINGS: Settings | None = None


@dataclass(frozen=True)
class Failed:
    """A `prepare` that raised in a worker: the parent prepares the article itself (and fails it there)."""

    error: str


def worker_count(settings: Settings) -> int:
    """Processes for the per-article work: `pipeline.workers`, 0 = one per CPU core this process may use."""
    wanted = settings.pipeline.workers
    if wanted > 0:
        return wanted
    try:
        return len(os.sched_getaffinity(0))  # a container or `taskset` may allow fewer than the machine has
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def _start_worker(settings: Settings) -> None:
    """Worker initializer: the settings once, one BLAS thread (as the parent runs the stages), and
    an exit when the parent dies without shutting the pool down."""
    global _SETTINGS
    _SETTINGS = settings
    if settings.encoder.blas_threads > 0:
        from threadpoolctl import threadpool_limits

        threadpool_limits(limits=settings.encoder.blas_threads, user_api="blas")
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()


def _exit_with_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(2.0)
    os._exit(0)


def _function(task: str) -> Callable[..., Any]:
    """`"module:function"` -> the function (imported once per worker; modules cache their models)."""
    module, _, name = task.partition(":")
    fn: Callable[..., Any] = getattr(importlib.import_module(module), name)
    return fn


def _many(task: str) -> Callable[[list[tuple[Article, Any]], Settings], list[Any]] | None:
    """The chunk form of `task` ("module:prepare"): the module's `prepare_many`, else one from `MANY`."""
    module, _, _ = task.partition(":")
    found = getattr(importlib.import_module(module), "prepare_many", None)
    if callable(found):
        return found  # type: ignore[no-any-return]
    return _function(MANY[task]) if task in MANY else None


def _run_chunk(task: str, items: list[tuple[Article, Any]]) -> tuple[list[Any], float]:
    """`prepare` over one chunk in a worker: a result or a `Failed` per item, and the CPU seconds spent.

    The chunk goes to the task's `prepare_many` when it has one; if that raises, every article is
    prepared on its own, so one bad article fails alone (as in the parent)."""
    assert _SETTINGS is not None, "worker was not initialised"
    start = time.process_time()
    many = _many(task)
    if many is not None and len(items) > 1:
        try:
            results = many(items, _SETTINGS)
            if len(results) == len(items):
                return results, time.process_time() - start
        except Exception:  # redone article by article below, where the culprit fails alone
            pass
    fn = _function(task)
    out: list[Any] = []
    for article, inputs in items:
        try:
            out.append(fn(article, _SETTINGS, inputs))
        except Exception as exc:  # the parent redoes it in-process and records the failure there
            out.append(Failed(f"{type(exc).__name__}: {exc}"))
    return out, time.process_time() - start


# the NER tags of every sentence this worker has tagged (`ner.batch.recognize_many`'s memo): wire copy
# and translations repeat sentences across articles, and the in-process stage keeps one per batch too
_NER_MEMO: dict[Any, Any] = {}


def entities_prepare_many(items: list[tuple[Article, Any]], settings: Settings) -> list[Any]:
    """`echolot.entities.stage.prepare` over a chunk: the paragraphs of all its articles in one batched
    NER call per language, with the worker's sentence memo, as the stage itself does for the articles
    it prepares in-process (`_prefetched`; the same spans: every sentence is tagged on its own).

    Lives here until the entities stage has its own `prepare_many` (its module is another area's);
    it uses only that module's functions, so it cannot compute anything `prepare` would not."""
    from echolot.entities import stage
    from echolot.entities.local import recognize_article
    from echolot.entities.ner.batch import recognize_many

    recognizer, supports = stage._default_ner()
    articles = [article for article, _ in items]
    prefetched = stage._prefetched(articles, recognizer, supports, lambda texts: recognize_many(texts, _NER_MEMO))
    return [recognize_article(article, prefetched, supports) for article in articles]


# chunk forms of stages' `prepare` kept outside their modules ("module:prepare" -> "module:function")
MANY: dict[str, str] = {"echolot.entities.stage:prepare": f"{__name__}:entities_prepare_many"}


class StageWorkers:
    """A pool of processes that run stages' `prepare` on articles ahead of the stage, keyed by article id.

    `submit` queues articles (chunked; nothing waits), `take` returns what is ready or comes
    back for the ids asked (dropping it from memory). Submitting an article twice for one task is
    a no-op. After a worker dies, every task still out is forgotten and the pool is not used again:
    the stages then prepare in-process, as with one worker."""

    def __init__(self, settings: Settings, workers: int, chunk: int = 32) -> None:
        self.settings = settings
        self.workers = workers
        self.chunk = max(1, chunk)
        self.broken = False
        self.cpu_seconds = 0.0  # CPU seconds spent in the workers' `prepare` (for the benchmark)
        self.cpu_by_task: dict[str, float] = {}  # the same per task
        self._pool: ProcessPoolExecutor | None = None
        self._futures: dict[str, dict[str, tuple[Future[tuple[list[Any], float]], int]]] = {}

    def submit(self, task: str, items: Iterable[tuple[Article, Any]]) -> None:
        """Queue `(article, inputs)` pairs for `task` ("module:function")."""
        if self.broken:
            return
        pending = self._futures.setdefault(task, {})
        # one language per chunk where possible: its model calls batch, and a worker's memo sees the repeats
        todo = sorted(((a, x) for a, x in items if a.id not in pending), key=lambda item: item[0].lang or "")
        for start in range(0, len(todo), self.chunk):
            chunk = todo[start:start + self.chunk]
            try:
                future = self._executor().submit(_run_chunk, task, chunk)
            except (BrokenProcessPool, RuntimeError) as exc:
                self._break(exc)
                return
            future.add_done_callback(functools.partial(self._account, task))
            for position, (article, _) in enumerate(chunk):
                pending[article.id] = (future, position)

    def _account(self, task: str, future: Future[tuple[list[Any], float]]) -> None:
        if not future.cancelled() and future.exception() is None:
            self.cpu_seconds += future.result()[1]
            self.cpu_by_task[task] = self.cpu_by_task.get(task, 0.0) + future.result()[1]

    def submitted(self, task: str) -> set[str]:
        return set(self._futures.get(task, {}))

    def take(self, task: str, ids: Iterable[str]) -> dict[str, Any]:
        """Results of `task` for `ids` that were submitted (waits for them); a `Failed` or a missing id
        means the caller prepares that article itself."""
        pending = self._futures.get(task, {})
        out: dict[str, Any] = {}
        for article_id in ids:
            entry = pending.pop(article_id, None)
            if entry is None or self.broken:
                continue
            future, position = entry
            try:
                results, _ = future.result()
            except BrokenProcessPool as exc:
                self._break(exc)
                return {}
            except Exception:  # the chunk could not be sent or read back (unpicklable input, ...)
                continue
            if not isinstance(results[position], Failed):
                out[article_id] = results[position]
        return out

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"),
                                             initializer=_start_worker, initargs=(self.settings,))
        return self._pool

    def _break(self, exc: BaseException) -> None:
        warnings.warn(f"analysis worker processes stopped ({type(exc).__name__}: {exc}); "
                      "preparing the remaining articles in-process", RuntimeWarning, stacklevel=3)
        self.broken = True
        self._futures.clear()
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None

    def close(self) -> None:
        """Stop the workers (waits for them, so their CPU time is accounted to this process)."""
        self._futures.clear()
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
