"""`echolot demo`: ingest the bundled demo corpus and print what echolot found in it."""
from __future__ import annotations

import collections
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from echolot.cli import Context, emit, main, pass_ctx
from echolot.eval.common import REPO_ROOT

if TYPE_CHECKING:
    from echolot.store.base import Store

DEMO_DIR = REPO_ROOT / "examples" / "demo"


def summarise(store: Store) -> dict[str, Any]:
    """A compact overview of a store: languages, reuse links, stories, entities, quotes, narratives.

    Stories and entities come in the order `echolot stories`/`entities` and the API list them."""
    from echolot.entities.query import active_entities
    from echolot.stories.query import sorted_stories

    articles = store.list_articles()
    titles = {a["id"]: a["title"] or a["id"] for a in articles}
    links = store.links()
    stories = sorted_stories(store)
    entities = active_entities(store)
    quotes = store.annotations("quotes")
    hits = store.annotations("narratives")
    return {
        "articles": len(articles),
        "languages": dict(collections.Counter(a["lang"] or "?" for a in articles).most_common()),
        "reuse_links": [
            {"original": titles.get(l.source, l.source), "copy": titles.get(l.target, l.target),
             "kind": l.kind, "score": round(l.score, 2), "reason": l.reason}
            for l in sorted(links, key=lambda l: -l.score)
        ],
        "stories": [{"id": s.get("id"), "label": s.get("label"), "size": int(s.get("count") or 0),
                     "languages": sorted(s.get("languages") or {}), "first_seen": s.get("first_seen")}
                    for s in stories],
        "entities": [{"name": e.get("name"), "type": e.get("type"), "variants": e.get("variants", [])}
                     for e in entities[:15]],
        "quotes": len(quotes),
        "narrative_hits": dict(collections.Counter(
            f"{h.get('narrative_id')} ({h.get('stance')})" for h in hits).most_common()),
    }


def _text(summary: dict[str, Any], ingest: dict[str, Any]) -> str:
    lines = [
        f"Ingested {ingest['ingested']} articles ({ingest['duplicates']} duplicates, "
        f"{len(ingest['rejected'])} rejected).",
    ]
    lines += [f"  rejected {r['origin']}: {r['reason']}" for r in ingest["rejected"]]
    langs = ", ".join(f"{k} {v}" for k, v in summary["languages"].items())
    lines += [f"Languages: {langs}", "", f"Reuse links ({len(summary['reuse_links'])}):"]
    lines += [f"  {l['original'][:45]!r} -> {l['copy'][:45]!r}  [{l['kind']}, {l['score']}]"
              for l in summary["reuse_links"][:20]]
    lines += ["", f"Stories ({len(summary['stories'])}):"]
    lines += [f"  {s['size']:>3}  {s['label']}  ({', '.join(s['languages'] or [])})"
              for s in summary["stories"][:10]]
    lines += ["", "Top entities:"]
    lines += [f"  {e['name']} [{e['type']}]: {', '.join(e['variants'][:6])}" for e in summary["entities"][:10]]
    lines += ["", f"Quotes: {summary['quotes']}", "Narrative hits:"]
    lines += [f"  {k}: {v}" for k, v in summary["narrative_hits"].items()]
    lines += ["", "Explore: echolot --db DB ls | trace ID | stories | entities | quotes | narratives | serve"]
    return "\n".join(lines)


@main.command("demo")
@click.option("--keep", is_flag=True, help="Keep an existing demo store instead of starting fresh.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@pass_ctx
def demo_cmd(ctx: Context, keep: bool, as_json: bool) -> None:
    """Ingest the bundled demo corpus into a fresh store and print what echolot found."""
    from echolot.pipeline import ingest, run_stages

    settings = ctx.settings
    if settings.db is None:
        settings = replace(settings, db=Path(settings.home) / "demo.db")
    db = Path(settings.db_path)
    if not keep:
        for suffix in ("", "-wal", "-shm"):
            Path(str(db) + suffix).unlink(missing_ok=True)
    if not DEMO_DIR.is_dir():
        raise click.ClickException(f"demo corpus not found at {DEMO_DIR}")
    from echolot.store import open_store

    with open_store(settings) as store:
        summary = ingest([str(DEMO_DIR)], store, settings)
        run_stages(store, settings)
        result = summarise(store)
    result["store"] = str(db)
    emit({"ingest": summary.to_dict(), **result}, as_json, _text(result, summary.to_dict()) + f"\nStore: {db}")
