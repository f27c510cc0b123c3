"""Story verbs: `stories` (list events) and `story ID` (one event's timeline, optional plot)."""
from __future__ import annotations

from typing import Any

import click

from echolot.cli import Context, emit, fail, main, pass_ctx


def _label(story: dict[str, Any], lang: str | None) -> str:
    """The story's label in `lang` when one of its members is in that language."""
    if lang and lang in story.get("labels", {}):
        return str(story["labels"][lang])
    return str(story.get("label", ""))


def _resolve(stories: list[dict[str, Any]], prefix: str) -> dict[str, Any]:
    """A story by full id or unique prefix (ids are long; people type the start)."""
    exact = [s for s in stories if s["id"] == prefix]
    hits = exact or [s for s in stories if s["id"].startswith(prefix)]
    if not hits:
        fail(f"no story {prefix!r} (list them with `echolot stories`)")
    if len(hits) > 1:
        fail(f"story id prefix {prefix!r} is ambiguous ({len(hits)} stories); type more characters")
    return hits[0]


@main.command("stories")
@click.option("--since", default=None, metavar="DATE", help="Only stories last seen on or after DATE (YYYY-MM-DD).")
@click.option("--lang", default=None, help="Show labels in this language where the story has one (e.g. de).")
@click.option("--limit", type=click.IntRange(min=0), default=20, show_default=True, help="Show at most N stories.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list.")
@pass_ctx
def stories_cmd(ctx: Context, since: str | None, lang: str | None, limit: int, as_json: bool) -> None:
    """List stories, biggest and most recent first."""
    from echolot.stories.features import parse_time

    if since and parse_time(since) is None:
        fail(f"--since expects a date like 2024-06-01, got {since!r}")
    with ctx.store() as store:
        stories = [s for s in store.list_stories() if int(s.get("count") or 0) > 0]  # merged-away: 0
    if since:
        stories = [s for s in stories if (s.get("last_seen") or "") >= since]
    stories.sort(key=lambda s: (int(s.get("count", 0)), s.get("last_seen") or "", s["id"]), reverse=True)
    stories = stories[:limit]
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
    from echolot.stories.summary import plot_timeline, timeline

    if plot and not plot.lower().endswith((".png", ".svg")):
        fail("--plot needs a file name ending in .png or .svg")
    with ctx.store() as store:
        story = _resolve(store.list_stories(), story_id)
        rows = timeline(store, story["id"])
    if plot:
        plot_timeline(rows, plot, _label(story, lang))
    emit({**story, "label": _label(story, lang), "timeline": rows}, as_json, _timeline_text(story, rows, lang))
    if plot and not as_json:
        click.echo(f"wrote {plot}", err=True)
