"""Core verbs: `ingest`, `ls`, `show`, `search` (the store-facing part of the CLI)."""
from __future__ import annotations

import sys
import time
from dataclasses import replace
from typing import TYPE_CHECKING

import click

from echolot.cli import Context, emit, fail, lang_option, main, pass_ctx, with_lang

if TYPE_CHECKING:
    from echolot.model import Article
    from echolot.pipeline import IngestSummary, StageReport


def _timing(summary: IngestSummary, report: StageReport | None, seconds: float) -> dict[str, object]:
    """Seconds per step (ingest steps, then analysis stages, each summed over batches), the run's
    wall seconds and its articles per second: where the time of an ingest run goes."""
    stages = dict(summary.stage_seconds) | (dict(report.seconds) if report is not None else {})
    # a `--retry-failed` run ingests nothing: its articles are the ones the busiest stage handled
    articles = summary.ingested or max((report.done.values() if report is not None else []), default=0)
    return {
        "stage_seconds": {stage: round(value, 3) for stage, value in stages.items()},
        "seconds": round(seconds, 3),
        "articles_per_second": round(articles / seconds, 2) if seconds > 0 else 0.0,
    }


def _timing_text(timing: dict[str, object]) -> str:
    """The timing in one line: `time: 12.3 s, 8.1 articles/s (read 0.4 s, clean 2.0 s, ...)`."""
    stages = timing["stage_seconds"]
    assert isinstance(stages, dict)
    parts = ", ".join(f"{stage} {value:.1f} s" for stage, value in stages.items())
    return f"time: {timing['seconds']:.1f} s, {timing['articles_per_second']} articles/s ({parts})"


def _summary_text(summary: IngestSummary, report: StageReport | None) -> str:
    lines = [f"ingested: {summary.ingested}", f"duplicates: {summary.duplicates}",
             f"rejected: {len(summary.rejected)}"]
    lines += [f"  rejected {r.origin}: {r.reason}" for r in summary.rejected]
    if report is not None:
        lines += [f"{stage}: {count} article(s) analysed" for stage, count in report.done.items()]
        for stage, errors in report.failed.items():
            lines.append(f"{stage}: {len(errors)} article(s) failed (skipped by later runs)")
            lines += [f"  failed {article_id}: {error}" for article_id, error in errors.items()]
        skipped = sum(report.skipped.values())
        if skipped:
            lines.append(f"skipped: {skipped} stage run(s) of articles that failed before"
                         " (`echolot check` lists them; `echolot ingest --retry-failed` retries)")
    return "\n".join(lines)


@main.command("ingest")
@click.argument("paths", nargs=-1)
@click.option("--source", default=None, help="Outlet name for inputs that do not say where they come from.")
@click.option("--follow", is_flag=True, help="Download the pages that feeds and sitemaps link to (network).")
@click.option("--no-analyze", is_flag=True, help="Only store the articles; skip reuse, stories, entities, ...")
@click.option("--retry-failed", is_flag=True,
              help="Retry the articles a stage failed on in earlier runs (PATHS may then be left out).")
@lang_option("Language of every input (de, en, ...), or 'declared' to use each record's own 'lang' field;"
             " default: detected per article.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@pass_ctx
def ingest_cmd(ctx: Context, paths: tuple[str, ...], source: str | None, follow: bool, no_analyze: bool,
               retry_failed: bool, lang: str | None, as_json: bool) -> None:
    """Read PATHS (files, folders, JSONL/CSV, HTML, WARC, feeds, sitemaps, URLs) into the store.

    Then every analysis stage runs over the articles it has not done yet. An article a
    stage fails on is recorded with the error and skipped by later runs; `--retry-failed`
    tries those again (`echolot check` lists them)."""
    from echolot.pipeline import IngestSummary, analyse, ingest

    if not paths and not retry_failed:
        raise click.UsageError("give the PATHS to ingest (or --retry-failed to retry failed articles)")
    if retry_failed and no_analyze:
        raise click.UsageError("--retry-failed retries analysis; it cannot be combined with --no-analyze")
    settings = with_lang(ctx.settings, lang)
    if follow:
        settings = replace(settings, ingest=replace(settings.ingest, follow_feeds=True))
    started = time.perf_counter()
    store = ctx.store()
    try:
        summary = (ingest(list(paths), store, settings, source=source, progress=sys.stderr.isatty() or not as_json,
                          analyse_next=not no_analyze)
                   if paths else IngestSummary())
        report = None if no_analyze else analyse(store, settings, progress=not as_json, retry_failed=retry_failed,
                                                 workers=summary.workers)
    finally:
        store.close()
    timing = _timing(summary, report, time.perf_counter() - started)
    data = summary.to_dict()
    if report is not None:
        data |= {"analysed": report.done, "failed": report.failed, "skipped_failed": report.skipped,
                 **report.cpu_dict()}
    data |= timing
    emit(data, as_json, _summary_text(summary, report) + "\n" + _timing_text(timing))
    if summary.rejected and not summary.ingested and not summary.duplicates:
        # every input was rejected: scripts must be able to tell this run from a good one
        raise SystemExit(2)


@main.command("ls")
@click.option("--limit", type=click.IntRange(min=0), default=None, help="Show at most N articles.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list.")
@pass_ctx
def ls_cmd(ctx: Context, limit: int | None, as_json: bool) -> None:
    """List the stored articles (id, language, date, source, title)."""
    with ctx.store() as store:
        rows = store.list_articles(limit=limit)
    text = "\n".join(
        f"{r['id']}  {r['lang'] or '--'}  {(r['published'] or '')[:10]:10}  {(r['source'] or '')[:24]:24}  {r['title'] or ''}"
        for r in rows
    ) or "(no articles)"
    emit(rows, as_json, text)


def _article_text(article: Article) -> str:
    head = [
        f"id:        {article.id}",
        f"title:     {article.title or ''}",
        f"language:  {article.lang or ''}",
        f"published: {article.published or ''}",
        f"source:    {article.source or ''}",
        f"url:       {article.url or ''}",
    ]
    if article.declared_sources:
        head.append(f"declared sources: {'; '.join(article.declared_sources)}")
    if article.external_id:
        head.append(f"external id: {article.external_id}")
    if article.removed:
        head.append(f"removed lines: {len(article.removed)} (see --json)")
    head += [f"note:      {note}" for note in article.meta.get("notes") or []]
    return "\n".join(head) + "\n\n" + article.text


@main.command("show")
@click.argument("article_id")
@click.option("--json", "as_json", is_flag=True, help="Print the article with all metadata as JSON.")
@pass_ctx
def show_cmd(ctx: Context, article_id: str, as_json: bool) -> None:
    """Show one article (an id prefix is enough)."""
    with ctx.store() as store:
        full = store.resolve_id(article_id)
        if full is None:
            fail(f"no article with id {article_id!r} (or the prefix is ambiguous)")
        article = store.get_article(full)
    if article is None:
        fail(f"no article with id {article_id!r}")
    emit(article.to_dict(), as_json, _article_text(article))


@main.command("search")
@click.argument("query")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list.")
@pass_ctx
def search_cmd(ctx: Context, query: str, limit: int, as_json: bool) -> None:
    """Full-text search over titles and texts."""
    with ctx.store() as store:
        rows = store.search(query, limit=limit)
    text = "\n".join(f"{r['id']}  {r['lang'] or '--'}  {r['title'] or ''}\n    {r['snippet']}" for r in rows)
    emit(rows, as_json, text or "(no matches)")
