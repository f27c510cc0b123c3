"""`echolot quotes`: who said what, where, when, and the same quote in other languages."""
from __future__ import annotations

from typing import Any

import click

from echolot.cli import Context, emit, fail, main, pass_ctx


def render(rows: list[dict[str, Any]]) -> str:
    """The quotes as text; contents are shown whole (a cut quote changes what was said)."""
    if not rows:
        return "no quotes (run `echolot ingest` first, or relax --speaker/--lang)"
    lines = []
    for r in rows:
        art = r["article"]
        head = f"[{r['lang'] or '?'}] {r['speaker_name'] or 'unknown speaker'}"
        if r.get("cue"):
            head += f" ({r['cue']})"
        lines.append(f"{head} — {r['kind']}, article {r['article_id'][:10]} {art.get('published') or 'undated'}"
                     f" {art.get('source') or ''}".rstrip())
        lines.append(f"  “{r['content']}”")
        for v in r["versions"]:
            mark = " [original]" if v["original"] else ""
            lines.append(f"  = [{v['lang'] or '?'}] {v['article_id'][:10]}{mark}: “{v['content']}”")
        if r["cluster"]:
            lines.append(f"  original: {'this one' if r['is_original'] else 'see [original]'}"
                         f" ({r['original_reason']})")
    return "\n".join(lines)


@main.command("quotes")
@click.option("--speaker", default=None,
              help="Only quotes by this speaker: an entity id (or prefix), or a name in any spelling (case-insensitive).")
@click.option("--lang", default=None, help="Only quotes in this language (de, en, ru, ...).")
@click.option("--story", default=None, help="Only quotes in articles of this story (id or prefix).")
@click.option("--limit", default=None, type=click.IntRange(min=1), help="Show at most N quotes.")
@click.option("--json", "as_json", is_flag=True, help="Print the quotes as JSON.")
@pass_ctx
def quotes_cmd(ctx: Context, speaker: str | None, lang: str | None, story: str | None, limit: int | None,
               as_json: bool) -> None:
    """List quotations with speaker, cue, article, language and date, and the same quote elsewhere."""
    from echolot.quotes.query import collect
    from echolot.store.query import QueryError

    store = ctx.store()
    try:
        rows = collect(store, speaker=speaker, lang=lang, story=story, limit=limit)
    except QueryError as exc:
        fail(str(exc))
    finally:
        store.close()
    emit(rows, as_json, render(rows))
