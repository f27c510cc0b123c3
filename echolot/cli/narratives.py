"""`echolot narratives` (frequency table, plot, catalog tools) and `echolot narrative ID` (spread)."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from echolot.cli import Context, emit, main, pass_ctx

if TYPE_CHECKING:
    from echolot.store.base import Store

_CATALOG = click.option("--catalog", "catalog_path", type=click.Path(dir_okay=False), default=None,
                        help="Narrative catalog (YAML/JSON, or a taxonomy label list); re-matches the store with it.")


def _with_catalog(ctx: Context, catalog_path: str | None) -> Context:
    from echolot.narratives.query import with_catalog

    return Context(with_catalog(ctx.settings, catalog_path)) if catalog_path else ctx


def _rematch(ctx: Context, store: Store, only_pending: bool = False) -> int:
    """Match articles against the configured catalog and persist the hits."""
    from echolot.narratives.query import rematch

    return rematch(store, ctx.settings, only_pending)


@main.group("narratives", invoke_without_command=True)
@click.option("--by", type=click.Choice(["outlet", "language", "week"]), default="outlet", show_default=True,
              help="Group the counts by outlet, language or ISO week.")
@click.option("--stance", type=click.Choice(["endorse", "report", "deny"]), default=None,
              help="Count only articles with this stance.")
@click.option("--plot", "plot_path", type=click.Path(dir_okay=False), default=None,
              help="Also draw narrative frequency over time per outlet/language (.png or .svg).")
@_CATALOG
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def narratives_cmd(cctx: click.Context, by: str, stance: str | None, plot_path: str | None,
                   catalog_path: str | None, as_json: bool) -> None:
    """How often each narrative appears, by outlet, language or week (articles, with stance counts)."""
    if cctx.invoked_subcommand:
        return
    from echolot.narratives.query import QueryError, frequency_plot, frequency_table
    from echolot.narratives.views import format_table

    base = cctx.find_object(Context)
    if base is None:  # only when the group is invoked outside `echolot`
        raise click.ClickException("no echolot settings in the command context")
    ctx = _with_catalog(base, catalog_path)
    store = ctx.store()
    try:
        if catalog_path:
            click.echo(f"re-matched {_rematch(ctx, store)} article(s) with {catalog_path}", err=True)
        table = frequency_table(store, by, stance)
        if plot_path:
            click.echo(f"wrote {frequency_plot(store, by, Path(plot_path))}", err=True)
    except QueryError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        store.close()
    emit(table, as_json, format_table(table["narratives"], by))


@narratives_cmd.command("run")
@_CATALOG
@click.option("--all", "everything", is_flag=True, help="Re-match every article, not only new ones.")
@pass_ctx
def run_cmd(ctx: Context, catalog_path: str | None, everything: bool) -> None:
    """Match stored articles against the catalog and store the hits."""
    from echolot.narratives.query import QueryError

    ctx = _with_catalog(ctx, catalog_path)
    store = ctx.store()
    try:
        count = _rematch(ctx, store, only_pending=not (everything or catalog_path))
    except QueryError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        store.close()
    click.echo(f"matched {count} article(s)", err=True)


@narratives_cmd.command("catalog")
@_CATALOG
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
def catalog_cmd(ctx: Context, catalog_path: str | None, as_json: bool) -> None:
    """Validate and list a catalog (default: the configured or shipped one)."""
    from echolot.narratives.query import QueryError, catalog_outline

    try:
        found = catalog_outline(_with_catalog(ctx, catalog_path).settings)
    except QueryError as exc:
        raise click.ClickException(str(exc)) from None
    lines = [f"{found['path']}: {len(found['outline'])} narratives"]
    lines += [f"{'  ' * row['depth']}{row['id']}: {row['name']} [{','.join(row['languages'])}]" for row in found["outline"]]
    emit(found["catalog"], as_json, "\n".join(lines))


@narratives_cmd.command("convert")
@click.argument("kind", type=click.Choice(["taxonomy", "claims"]))
@click.argument("source", type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="Catalog file to write (.yaml/.json).")
@click.option("--min-claims", default=5, show_default=True, help="claims: smallest keyword group kept.")
@click.option("--max-groups", default=100, show_default=True, help="claims: most keyword groups kept.")
def convert_cmd(kind: str, source: str, output: str, min_claims: int, max_groups: int) -> None:
    """Build a catalog from a taxonomy label list or an EUvsDisinfo-style claims JSONL."""
    from echolot.narratives.query import QueryError, convert_catalog

    options = {"min_claims": min_claims, "max_groups": max_groups} if kind == "claims" else {}
    try:
        count = convert_catalog(kind, Path(source), Path(output), **options)
    except QueryError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"wrote {output} ({count} narratives)", err=True)


@narratives_cmd.command("claims")
@click.argument("article")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
def claims_cmd(ctx: Context, article: str, as_json: bool) -> None:
    """Claim sentences of one article: kind (accuse/deny/assert/attribute), cue, actor, target."""
    from echolot.narratives.query import QueryError, article_claims

    store = ctx.store()
    try:
        claims = article_claims(store, article, ctx.settings)
    except QueryError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        store.close()
    lines = [f"[{c['kind']}:{c['cue']}] actor={c['actor'] or '-'} target={c['target'] or '-'}"
             f"{' (quoted)' if c['in_quote'] else ''}\n  {c['text'][:240]}" for c in claims]
    emit(claims, as_json, "\n".join(lines) or "no claims found")


@main.command("narrative")
@click.argument("narrative_id")
@_CATALOG
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
def narrative_cmd(ctx: Context, narrative_id: str, catalog_path: str | None, as_json: bool) -> None:
    """Who pushed narrative ID first and how it spread through copies and translations."""
    from echolot.narratives.query import QueryError, narrative_spread

    ctx = _with_catalog(ctx, catalog_path)
    store = ctx.store()
    try:
        if catalog_path:
            click.echo(f"re-matched {_rematch(ctx, store)} article(s) with {catalog_path}", err=True)
        report = narrative_spread(store, narrative_id)
    except QueryError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        store.close()
    emit(report, as_json, _render_spread(report))


def _render_spread(report: dict[str, Any]) -> str:
    lines = [f"{report['narrative_id']}: {report['name']} - {report['articles']} article(s) {report['stances']}"]
    first = report["first_endorser"]
    if first:
        lines.append(f"first pushed by {first['outlet'] or '?'} ({first['lang'] or '?'}) "
                     f"{first['published'] or 'undated'} article {first['article_id'][:12]}:")
        lines.append(f"  \"{(first['sentence'] or '')[:200]}\"")
    else:
        lines.append("no article endorses it in its own voice (only reports or denials)")
    voice = report.get("first_speaker")
    if voice:
        lines.append(f"first speaker pushing it: {voice['speaker'] or '?'}, relayed by {voice['outlet'] or '?'} "
                     f"({voice['lang'] or '?'}) {voice['published'] or 'undated'} article {voice['article_id'][:12]}")
    lines.append("timeline:")
    for row in report["timeline"]:
        lines.append(f"  {row['published'] or 'undated':20} {row['stance']:8} {(row['outlet'] or '?')[:20]:20} "
                     f"[{row['lang'] or '?'}] {row['article_id'][:12]}  {(row['sentence'] or '')[:80]}")
    if report["spread"]:
        lines.append("spread through copies/translations of endorsing articles:")
        for step in report["spread"]:
            lines.append(f"  hop {step['hop']}: {step['from'][:12]} -> {step['to'][:12]} ({step['kind']}, "
                         f"{step['outlet'] or '?'}, {step['lang'] or '?'}) stance there: {step['stance_there']}")
    return "\n".join(lines)
