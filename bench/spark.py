"""Spark job vs the laptop pipeline on one corpus: wall time, the scorer's figures, and link agreement.

    python bench/spark.py [--corpus ../shared/data/provenance/dev/corpus.jsonl] [--encoder hashing]
                          [--master local[2]] [--partitions 4] [--skip-laptop]

Both sides ingest the same JSONL through `pipeline.prepare` (cleaning included) and
link with the reuse stage's settings; the baseline is the laptop run
(`echolot ingest CORPUS`). Predictions are written in the corpus's own ids and scored
with the task's `score.py` when a gold file sits beside the corpus.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from echolot.eval.common import find_data_dir, run_scorer, write_jsonl
from echolot.settings import Settings, load_settings
from echolot.store.sqlite import SQLiteStore


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


def laptop(corpus: Path, db: Path, settings: Settings) -> float:
    from echolot.pipeline import ingest, run_stages

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
        return {tuple(sorted((l.source, l.target))): (l.source, l.kind, l.directed) for l in store.links()}
    finally:
        store.close()


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=None)
    parser.add_argument("--encoder", default="hashing")
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--partitions", type=int, default=4)
    parser.add_argument("--skip-laptop", action="store_true")
    args = parser.parse_args()
    from echolot.spark.job import with_encoder

    corpus = args.corpus or find_data_dir() / "provenance" / "dev" / "corpus.jsonl"
    settings = with_encoder(load_settings(), args.encoder)
    report: dict[str, Any] = {"corpus": str(corpus), "encoder": args.encoder, "master": args.master}
    with tempfile.TemporaryDirectory(prefix="echolot-bench-spark-") as tmp_name:
        tmp = Path(tmp_name)
        seconds, summary = spark(corpus, tmp / "spark.db", settings, args.master, args.partitions)
        report["spark"] = {"seconds": round(seconds, 1), "steps": summary["seconds"],
                           "candidates": summary["candidates"], "score": score(tmp / "spark.db", corpus, tmp, "spark")}
        if not args.skip_laptop:
            seconds = laptop(corpus, tmp / "laptop.db", settings)
            report["laptop"] = {"seconds": round(seconds, 1), "score": score(tmp / "laptop.db", corpus, tmp, "laptop")}
            ours, theirs = link_set(tmp / "spark.db"), link_set(tmp / "laptop.db")
            report["agreement"] = {
                "spark_links": len(ours), "laptop_links": len(theirs), "both": len(ours.keys() & theirs.keys()),
                "same_direction_and_kind": sum(1 for k in ours.keys() & theirs.keys() if ours[k] == theirs[k]),
            }
    json.dump(report, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
