"""Story verbs: `stories` (list events) and `story ID` (one event's timeline, optional plot)."""
from __future__ import annotations

from typing import Any

import click

from echolot.cli import Context, emit, fail, main, pass_ctx


def _label(story: dict[str, Any], lang: str | None) -> str:
    from echolot.stories.query import label

    return label(story, lang)


@main.command("stories")
@click.option("--since", default=None, metavar="DATE", help="Only stories last seen on or after DATE (YYYY-MM-DD).")
@click.option("--lang", default=None, help="Show labels in this language where the story has one (e.g. de).")
@click.option("--limit", type=click.IntRange(min=0), default=20, show_default=True, help="Show at most N stories.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list.")
@pass_ctx
def stories_cmd(ctx: Context, since: str | None, lang: str | None, limit: int, as_json: bool) -> None:
    """List stories, biggest and most recent first."""
    from echolot.stories.query import sorted_stories
    from echolot.store.query import QueryError, parse_day

    try:
        since = parse_day(since, "--since")
    except QueryError as exc:
        fail(str(exc))
    with ctx.store() as store:
        stories = sorted_stories(store, since)[:limit]
    rows = [{**s, "label": _label(s, lang)} for s in stories]
    text = "\n".join(
        f"{s['id']}  {s['count']:4d}  {(s.get('first_seen') or '')[:10]:10} .. {(s.get('last_seen') or '')[:10]:10}"
        f"  {','.join(s.get('languages', {})):14}  {s['label']}"
        for s in rows
    ) or "(no stories: ingest articles first)"
    emit(rows, as_json, text)


def _timeline_text(story: dict[str, Any], rows: list[dict[str, Any]], lang: str | None) -> str:
    langs = ", ".join(f"{k} {v}" for k, v in story.get("languages", {}).items())
    outlets = ", ".join(f"{k} {v}" for k, v in list(story.get("outlets", {}).items())[:8]) or "unknown"
    lines = [
        f"story {story['id']}: {_label(story, lang)}",
        f"  {story['count']} article(s), {story.get('first_seen') or '?'} .. {story.get('last_seen') or '?'}",
        f"  languages: {langs}", f"  outlets: {outlets}",
        f"  reuse groups: {len(story.get('reuse_groups', []))}", "",
    ]
    for r in rows:
        lines.append(f"{(r['published'] or '?')[:16]:16}  {r['lang'] or '--'}  {(r['source'] or '-')[:20]:20}"
                     f"  {r['id']}  [{r['role']}]  {r['title'][:90]}")
        lines.append(f"{'':20}joined: {r['reason']}")
    return "\n".join(lines)


@main.command("story")
@click.argument("story_id")
@click.option("--lang", default=None, help="Label language, where available.")
@click.option("--plot", "plot", default=None, type=click.Path(dir_okay=False),
              help="Write articles per day per language to FILE (.png or .svg).")
@click.option("--json", "as_json", is_flag=True, help="Print the story and its timeline as JSON.")
@pass_ctx
def story_cmd(ctx: Context, story_id: str, lang: str | None, plot: str | None, as_json: bool) -> None:
    """Show one story's timeline: who published what, when, in which language, copy or original."""
    from echolot.stories.query import resolve_story
    from echolot.stories.summary import plot_timeline, timeline
    from echolot.store.query import QueryError

    if plot and not plot.lower().endswith((".png", ".svg")):
        fail("--plot needs a file name ending in .png or .svg")
    with ctx.store() as store:
        try:
            story = store.get_story(resolve_story(store, story_id))
        except QueryError as exc:
            fail(f"{exc} (list them with `echolot stories`)")
        if story is None:
            fail(f"story {story_id!r} vanished while reading (list them with `echolot stories`)")
        rows = timeline(store, story["id"])
    if plot:
        plot_timeline(rows, plot, _label(story, lang))
    emit({**story, "label": _label(story, lang), "timeline": rows}, as_json, _timeline_text(story, rows, lang))
    if plot and not as_json:
        click.echo(f"wrote {plot}", err=True)
