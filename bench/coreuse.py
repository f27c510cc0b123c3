"""Run a command and record how its process tree used the cores, second by second (Linux `/proc`).

    python bench/coreuse.py OUT.json COMMAND ...

Writes OUT.json: the tree's CPU seconds and the peak RSS of its largest process (`getrusage` of the
children, this run alone), and `buckets`: per second of wall, per process of the tree, the CPU
seconds it got and how many of its threads were runnable on average (state R: running, or waiting
for a core the machine's other users hold). Used by `bench/pipeline.py` for its timeline.

Why runnable threads: on the shared machine a process gets less CPU than it wants, so the CPU
seconds per second say more about the others' load than about the job. How many of the job's own
threads want a core does not depend on that load, so it tells where an idle 2-core machine would
leave a core unused (fewer than 2 runnable) and lets `estimate_idle_wall` say what the same work
would take there.
"""
from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

STEP = 0.2  # seconds between samples
BUCKET = 1.0  # seconds per bucket of the timeline
_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _stat(pid: str) -> tuple[int, str, int, int] | None:
    """(ppid, state, CPU ticks, threads) of one process, None when it is gone or unreadable."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = raw[raw.rindex(")") + 2:].split()  # after "pid (comm) "
    return int(fields[1]), fields[0], int(fields[11]) + int(fields[12]), int(fields[17])


def _runnable(pid: int, state: str, threads: int) -> int:
    """Threads of `pid` in state R (the process's own state when it has one thread)."""
    if threads <= 1:
        return int(state == "R")
    count = 0
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return 0
    for tid in tasks:
        try:
            raw = Path(f"/proc/{pid}/task/{tid}/stat").read_text()
        except OSError:
            continue
        count += raw[raw.rindex(")") + 2:raw.rindex(")") + 3] == "R"
    return count


def _tree(root: int) -> dict[int, tuple[str, int, int]]:
    """Every live process under `root` (and root): pid -> (state, CPU ticks, threads)."""
    stats: dict[int, tuple[int, str, int, int]] = {}
    for name in os.listdir("/proc"):
        if name.isdigit() and (found := _stat(name)) is not None:
            stats[int(name)] = found
    children: dict[int, list[int]] = {}
    for pid, (ppid, _, _, _) in stats.items():
        children.setdefault(ppid, []).append(pid)
    out: dict[int, tuple[str, int, int]] = {}
    todo = [root]
    while todo:
        pid = todo.pop()
        if pid in stats:
            _, state, ticks, threads = stats[pid]
            out[pid] = (state, ticks, threads)
            todo.extend(children.get(pid, []))
    return out


def record(cmd: list[str], **popen: Any) -> tuple[int, list[dict[str, Any]], float]:
    """Run `cmd`, sampling its tree every `STEP` s; (exit code, buckets, start time as `time.time()`)."""
    started = time.time()
    child = subprocess.Popen(cmd, **popen)
    last: dict[int, int] = {}  # CPU ticks per pid at the previous sample
    buckets: list[dict[str, Any]] = []
    current: dict[int, list[float]] = {}  # pid -> [CPU s, sum of runnable threads, samples]
    edge = time.perf_counter() + BUCKET
    sampling = Path("/proc/self/stat").is_file()  # elsewhere than Linux: the totals only, no timeline
    while sampling and child.poll() is None:
        for pid, (state, ticks, threads) in _tree(child.pid).items():
            entry = current.setdefault(pid, [0.0, 0.0, 0.0])
            entry[0] += (ticks - last.get(pid, 0)) / _TICK  # a new process: its ticks since it began
            entry[1] += _runnable(pid, state, threads)
            entry[2] += 1
            last[pid] = ticks
        if time.perf_counter() >= edge:
            buckets.append(_close(current))
            current, edge = {}, edge + BUCKET
        time.sleep(STEP)
    child.wait()
    if current:
        buckets.append(_close(current))
    return child.returncode, buckets, started


def _close(current: dict[int, list[float]]) -> dict[str, Any]:
    """One bucket: pid -> [CPU s, mean runnable threads] (over the samples the process was seen in)."""
    samples = max((v[2] for v in current.values()), default=1.0)
    return {str(pid): [round(v[0], 3), round(v[1] / samples, 2)] for pid, v in current.items()}


def estimate_idle_wall(buckets: list[dict[str, Any]], cores: int = 2) -> float:
    """What the recorded work would take on `cores` idle cores: each bucket's CPU seconds over the
    cores its runnable threads would fill (at least 1, at most `cores`). A bucket where one thread
    wanted a core costs its CPU seconds; one where two or more did, half of them on 2 cores."""
    total = 0.0
    for bucket in buckets:
        cpu = sum(v[0] for v in bucket.values())
        runnable = sum(v[1] for v in bucket.values())
        total += cpu / min(cores, max(1.0, runnable))
    return total


def main() -> None:
    out, cmd = Path(sys.argv[1]), sys.argv[2:]
    code, buckets, started = record(cmd)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    out.write_text(json.dumps({"cpu_s": kids.ru_utime + kids.ru_stime, "peak_rss_mb": round(kids.ru_maxrss / 1024),
                               "started": started, "bucket_s": BUCKET, "buckets": buckets}))
    sys.exit(code)


if __name__ == "__main__":
    main()
