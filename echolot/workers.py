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

import atexit
import functools
import importlib
import json
import multiprocessing
import os
import threading
import time
import warnings
from collections.abc import Callable, Hashable, Iterable, Sequence
from concurrent.futures import CancelledError, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any

from echolot.model import Article
from echolot.settings import Settings

__all__ = ["Failed", "Planned", "StageWorkers", "trace", "worker_count"]

_SETTINGS: Settings | None = None
Item = tuple[Article | None, Any]  # an article and its inputs; a planned call has no article, its payload as inputs
# `ECHOLOT_TRACE=FILE`: every process of the job appends what it starts and ends there (`trace`)
TRACE_ENV = "ECHOLOT_TRACE"


def trace(role: str, event: str, what: str = "") -> None:
    """With `ECHOLOT_TRACE=FILE` set, append one line `{"t", "pid", "role", "event", "what"}` to FILE.

    Why: `bench/pipeline.py` draws a timeline of the job's processes from it (which process is the
    main one, a worker, a stage apart; when each stage starts and ends), to show where a core stays
    unused. Costs nothing without the variable; a line is one small append (atomic on Linux)."""
    path = os.environ.get(TRACE_ENV)
    if not path:
        return
    line = json.dumps({"t": round(time.time(), 3), "pid": os.getpid(), "role": role, "event": event, "what": what})
    with open(path, "a", encoding="utf-8") as out:
        out.write(line + "\n")


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
    # when the pool shuts down, every result has been sent: leave without tearing the models and the
    # sentence memo down object by object (a second or more of CPU at the very end of the run)
    atexit.register(os._exit, 0)
    trace("worker", "start")


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


def _run_chunk(task: str, items: Sequence[Item]) -> tuple[list[Any], float]:
    """`prepare` over one chunk in a worker: a result or a `Failed` per item, and the CPU seconds spent.

    The chunk goes to the task's `prepare_many` when it has one; if that raises, every article is
    prepared on its own, so one bad article fails alone (as in the parent)."""
    assert _SETTINGS is not None, "worker was not initialised"
    start = time.process_time()
    trace("worker", "start", task)
    try:
        return _chunk_results(task, items, _SETTINGS), time.process_time() - start
    finally:
        trace("worker", "end", task)


def _chunk_results(task: str, items: Sequence[Item], settings: Settings) -> list[Any]:
    many = _many(task)
    articles = [(article, inputs) for article, inputs in items if article is not None]
    if many is not None and len(items) > 1 and len(articles) == len(items):
        try:
            results = many(articles, settings)
            if len(results) == len(items):
                return results
        except Exception:  # redone article by article below, where the culprit fails alone
            pass
    fn = _function(task)
    out: list[Any] = []
    for article, inputs in items:
        try:
            out.append(fn(article, settings, inputs))
        except Exception as exc:  # the parent redoes it in-process and records the failure there
            out.append(Failed(f"{type(exc).__name__}: {exc}"))
    return out


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


@dataclass
class _Chunk:
    """Articles of one language sent together to one worker (or one planned call: no article, its
    payload as the inputs); `future` is what `take` waits on."""

    task: str
    items: list[Item]
    lang: str
    generation: int  # which `submit` call queued it: earlier ones are needed earlier
    future: Future[tuple[list[Any], float]]


class StageWorkers:
    """Processes that run stages' `prepare` on articles ahead of the stage, keyed by article id.

    `submit` queues articles (in chunks of one language; nothing waits), `take` returns what is
    ready or comes back for the ids asked (dropping it from memory). Submitting an article twice for
    one task is a no-op. After a worker dies, every task still out is forgotten and the pool is not
    used again: the stages then prepare in-process, as with one worker.

    Each worker is a process of its own, sent at most `IN_FLIGHT` chunks at a time, so this process
    chooses which worker does which chunk: a worker keeps to the languages it has already done
    (their models are loaded there, its sentence memo knows their repeats) and takes a language no
    worker has yet, or one another worker holds, only when its own languages are done in the
    earliest batch still queued (`_pick`). No worker waits while there is work."""

    IN_FLIGHT = 2  # chunks sent to one worker at a time: one running, one ready behind it
    STEAL_MIN = 3  # a worker takes another worker's language only when that leaves it this many chunks

    def __init__(self, settings: Settings, workers: int, chunk: int = 32) -> None:
        self.settings = settings
        self.workers = workers
        self.chunk = max(1, chunk)
        self.broken = False
        self.cpu_seconds = 0.0  # CPU seconds spent in the workers' `prepare` (for the benchmark)
        self.cpu_by_task: dict[str, float] = {}  # the same per task
        # per task of planned calls: how many were queued, handed over, made by the caller instead (not
        # started yet, or failed), never asked for (`Planned`)
        self.calls: dict[str, dict[str, int]] = {}
        self._closed = False
        self._pools: list[ProcessPoolExecutor | None] = [None] * max(1, workers)
        self._busy = [0] * len(self._pools)  # chunks out per worker
        self._langs: list[set[str]] = [set() for _ in self._pools]  # languages each worker has been sent
        self._queue: list[_Chunk] = []  # chunks not sent yet, in the order they were queued
        self._generation = 0
        self._lock = threading.RLock()  # the queue is also served from the pools' result threads
        self._futures: dict[str, dict[str, tuple[Future[tuple[list[Any], float]], int]]] = {}

    def submit(self, task: str, items: Iterable[tuple[Article, Any]]) -> None:
        """Queue `(article, inputs)` pairs for `task` ("module:function")."""
        if self.broken:
            return
        pending = self._futures.setdefault(task, {})
        by_lang: dict[str, list[tuple[Article, Any]]] = {}
        for article, inputs in items:
            if article.id not in pending:
                by_lang.setdefault(article.lang or "", []).append((article, inputs))
        with self._lock:
            self._generation += 1
            for lang in sorted(by_lang):
                todo = by_lang[lang]
                for start in range(0, len(todo), self.chunk):
                    part = todo[start:start + self.chunk]
                    chunk = _Chunk(task, list(part), lang, self._generation, Future())
                    self._queue.append(chunk)
                    for position, (article, _) in enumerate(part):
                        pending[article.id] = (chunk.future, position)
            self._dispatch()

    def _dispatch(self) -> None:
        """Send queued chunks to the workers with room (under the lock)."""
        while self._queue and not self.broken and not self._closed:
            free = [w for w in range(len(self._pools)) if self._busy[w] < self.IN_FLIGHT]
            if not free:
                return
            worker = min(free, key=lambda w: self._busy[w])
            chunk = self._pick(worker)
            self._queue.remove(chunk)
            self._langs[worker].add(chunk.lang)
            self._busy[worker] += 1
            try:
                inner = self._executor(worker).submit(_run_chunk, chunk.task, chunk.items)
            except (BrokenProcessPool, RuntimeError) as exc:
                chunk.future.set_exception(BrokenProcessPool(str(exc)))
                self.broken = True
                return
            inner.add_done_callback(functools.partial(self._done, worker, chunk))

    def _pick(self, worker: int) -> _Chunk:
        """The chunk `worker` does next: its own language in the earliest batch queued; else a language
        no worker has; else another worker's, when enough of that batch is left to share; else its own
        language from a later batch; else the oldest chunk."""
        head = self._queue[0].generation
        first = [c for c in self._queue if c.generation == head]
        own = self._langs[worker]
        held = set().union(*self._langs)
        for choice in ([c for c in first if c.lang in own], [c for c in first if c.lang not in held],
                       first if len(first) >= self.STEAL_MIN else [], [c for c in self._queue if c.lang in own]):
            if choice:
                return choice[0]
        return self._queue[0]

    def _done(self, worker: int, chunk: _Chunk, inner: Future[tuple[list[Any], float]]) -> None:
        """A worker's chunk came back: pass the result on, account its CPU, send the worker more."""
        with self._lock:
            self._busy[worker] -= 1
            if chunk.future.done():  # cancelled here meanwhile (the pool was stopped): nobody waits for it
                pass
            elif inner.cancelled():
                chunk.future.cancel()
            elif inner.exception() is not None:
                chunk.future.set_exception(inner.exception())  # type: ignore[arg-type]
            else:
                cpu = inner.result()[1]
                self.cpu_seconds += cpu
                self.cpu_by_task[chunk.task] = self.cpu_by_task.get(chunk.task, 0.0) + cpu
                chunk.future.set_result(inner.result())
            self._dispatch()

    def submit_calls(self, task: str, payloads: Sequence[Hashable]) -> Planned:
        """Queue `task(None, settings, payload)` for each payload (a stage's planned calls), after what is
        queued already, in this order; what comes back is looked up by payload (`Planned.get`)."""
        futures: dict[Hashable, Future[tuple[list[Any], float]]] = {}
        counts = self.calls.setdefault(task, dict.fromkeys(("planned", "handed_over", "made_here", "not_asked"), 0))
        if self.broken:
            return Planned(self, futures, counts, payloads)
        with self._lock:
            self._generation += 1
            for payload in payloads:
                if payload in futures:
                    continue
                chunk = _Chunk(task, [(None, payload)], "", self._generation, Future())
                self._queue.append(chunk)
                futures[payload] = chunk.future
            counts["planned"] += len(futures)
            self._dispatch()
        return Planned(self, futures, counts, payloads)

    def _unqueue(self, future: Future[tuple[list[Any], float]]) -> bool:
        """Take back a chunk no worker has been sent yet (True: it will not run)."""
        with self._lock:
            for chunk in self._queue:
                if chunk.future is future:
                    self._queue.remove(chunk)
                    chunk.future.cancel()
                    return True
        return False

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
            except (Exception, CancelledError):  # the chunk could not be sent or read back (unpicklable
                continue  # input, ...), or was dropped when the pool stopped
            if not isinstance(results[position], Failed):
                out[article_id] = results[position]
        return out

    def _result(self, future: Future[tuple[list[Any], float]], position: int) -> Any:
        """The result at `position` of a chunk (waits for it); None when it failed or cannot come."""
        try:
            results, _ = future.result()
        except BrokenProcessPool as exc:
            self._break(exc)
            return None
        except (Exception, CancelledError):
            return None
        found = results[position]
        return None if isinstance(found, Failed) else found

    def _executor(self, worker: int) -> ProcessPoolExecutor:
        pool = self._pools[worker]
        if pool is None:
            pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"),
                                       initializer=_start_worker, initargs=(self.settings,))
            self._pools[worker] = pool
        return pool

    def _break(self, exc: BaseException) -> None:
        warnings.warn(f"analysis worker processes stopped ({type(exc).__name__}: {exc}); "
                      "preparing the remaining articles in-process", RuntimeWarning, stacklevel=3)
        with self._lock:
            self.broken = True
            self._stop(wait=False)

    def _detach(self) -> list[ProcessPoolExecutor]:
        """Forget every chunk (nothing waits on one any more) and hand back the pools to shut down."""
        self._futures.clear()
        for chunk in self._queue:
            chunk.future.cancel()
        self._queue.clear()
        pools = [p for p in self._pools if p is not None]
        self._pools = [None] * len(self._pools)
        return pools

    def _stop(self, wait: bool) -> None:
        """Forget every chunk and shut the processes down."""
        for pool in self._detach():
            pool.shutdown(wait=wait, cancel_futures=True)

    def close(self) -> None:
        """Stop the workers (waits for them, so their CPU time is accounted to this process)."""
        with self._lock:
            self._closed = True  # nothing is sent any more
            pools = self._detach()
        for pool in pools:  # outside the lock: the result threads take it to pass the last results on
            pool.shutdown(wait=True, cancel_futures=True)


class Planned:
    """The planned calls a stage queued (`StageWorkers.submit_calls`), by payload.

    `get(payload)` gives a call's result: waiting for it when a worker is on it, None when the call
    was not planned, failed, or no worker has started it yet (it is then taken off the queue, and the
    stage does it itself rather than wait: this process is a third pair of hands)."""

    def __init__(self, workers: StageWorkers, futures: dict[Hashable, Future[tuple[list[Any], float]]],
                 counts: dict[str, int], plan: Sequence[Hashable] = ()) -> None:
        self._workers, self._futures, self._counts = workers, futures, counts
        # the payloads as the stage's `plan_calls` returned them (which may carry what planning read,
        # handed to the stage with them: `StageParts.takes_plan`)
        self.plan = plan

    def get(self, payload: Hashable, wait: bool = False) -> Any:
        """`wait`: wait for a call no worker has started too, instead of taking it back."""
        future = self._futures.pop(payload, None)
        if future is None:
            return None
        found = None
        if not self._workers.broken and (wait or not self._workers._unqueue(future)):
            found = self._workers._result(future, 0)
        self._counts["handed_over" if found is not None else "made_here"] += 1
        return found

    def drop(self) -> None:
        """Take the calls the stage never asked for off the queue (a worker on one finishes it)."""
        for future in self._futures.values():
            self._workers._unqueue(future)
        self._counts["not_asked"] += len(self._futures)
        self._futures.clear()
