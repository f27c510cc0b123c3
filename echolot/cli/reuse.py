"""`echolot trace ID` and `echolot export`: the provenance graph, one group or all of it."""
from __future__ import annotations

from pathlib import Path

import click

from echolot.cli import Context, emit, fail, main, pass_ctx


@main.command("trace")
@click.argument("article_id")
@click.option("--no-evidence", is_flag=True, help="Hide the aligned sentence pairs.")
@click.option("--width", default=60, show_default=True, help="Column width of the side-by-side evidence.")
@click.option("--json", "as_json", is_flag=True, help="Print the group as JSON.")
@pass_ctx
def trace_cmd(ctx: Context, article_id: str, no_evidence: bool, width: int, as_json: bool) -> None:
    """Show ARTICLE_ID's reuse group as a tree, the original at the root, with aligned sentences
    and the sources the articles declare."""
    from echolot.reuse.query import render_trace, trace
    from echolot.store.query import QueryError, resolve_article

    with ctx.store() as store:
        try:
            group = trace(store, resolve_article(store, article_id))  # as GET /api/v1/articles/{id}/trace
        except QueryError as exc:
            fail(str(exc))
    emit(group, as_json, render_trace(group, evidence=not no_evidence, width=width))


@main.command("export")
@click.option("--format", "fmt", type=click.Choice(["graphml", "gexf", "jsonl"]), default="graphml",
              show_default=True, help="Graph file format.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="File to write.")
@click.option("--all", "include_all", is_flag=True, help="Also export articles without any link.")
@pass_ctx
def export_cmd(ctx: Context, fmt: str, output: str, include_all: bool) -> None:
    """Export the provenance graph (articles and declared sources as nodes, reuse links and
    declarations as edges)."""
    from echolot.reuse.graph import provenance_graph, write_graph

    store = ctx.store()
    try:
        graph = provenance_graph(store, include_singletons=include_all)
    finally:
        store.close()
    write_graph(graph, fmt, Path(output))
    click.echo(f"wrote {output}: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges", err=True)
