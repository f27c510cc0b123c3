"""`echolot entities` and `echolot entity NAME`: canonical entities with their variants."""
from __future__ import annotations

from typing import TYPE_CHECKING

import click

from echolot.cli import Context, emit, fail, main, pass_ctx

if TYPE_CHECKING:
    from echolot.store.base import Store


def _taggers(store: Store) -> dict[str, str | None]:
    """{language seen by the entities stage: the NER tagger that serves it} ("crf-de", "fallback-e5", None ...)."""
    from echolot.entities import NER_STATUS
    from echolot.entities.ner import taggers

    langs: set[str] = set()
    for status in store.annotations(NER_STATUS):
        langs.update(status.get("langs") or {})
        langs.update(status.get("no_ner") or {})
    return taggers(sorted(langs))


def _no_ner_lines(counts: dict[str, int]) -> list[str]:
    return [f"no NER for language {lang} ({n} article(s)): their names are not listed"
            for lang, n in sorted(counts.items())]


@main.command("entities")
@click.option("--top", default=30, show_default=True, type=click.IntRange(min=1), help="How many entities to show.")
@click.option("--type", "type_", default=None, type=click.Choice(["PER", "ORG", "LOC", "MISC"], case_sensitive=False),
              help="Only entities of this type.")
@click.option("--q", "query", default=None, help="Only entities with a variant containing this (any script).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
def entities_cmd(ctx: Context, top: int, type_: str | None, query: str | None, as_json: bool) -> None:
    """Canonical entities by mention count, with their variants across languages."""
    from echolot.entities.query import list_entities, no_ner_languages

    store = ctx.store()
    try:
        rows = list_entities(store, query, type_)[:top]
        no_ner = no_ner_languages(store)
        used = _taggers(store)
    finally:
        store.close()
    data = {"entities": rows, "no_ner": no_ner, "taggers": used}
    lines = [f"{e['mention_count']:>6}  {e['type']:<4}  {e['name']}  [{', '.join(e['variants'][:8])}]"
             for e in rows] or ["no entities yet (run `echolot ingest` first)"]
    emit(data, as_json, "\n".join(lines + _no_ner_lines(no_ner)))


@main.command("entity")
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
def entity_cmd(ctx: Context, name: str, as_json: bool) -> None:
    """One entity, found by id (or prefix) or any variant: variants, languages, articles, co-mentions, quotes."""
    from echolot.entities.query import entity_details, no_ner_languages, resolve_entity
    from echolot.store.query import NotFound, QueryError

    store = ctx.store()
    try:
        no_ner = no_ner_languages(store)
        try:
            entity = resolve_entity(store, name)
        except NotFound:
            hint = ("; " + "; ".join(_no_ner_lines(no_ner))) if no_ner else ""
            fail(f"no entity matches {name!r}{hint}")
            return
        except QueryError as exc:
            fail(str(exc))
            return
        details = entity_details(store, entity)
    finally:
        store.close()
    details["no_ner"] = no_ner
    emit(details, as_json, _render(details) + "".join("\n" + line for line in _no_ner_lines(no_ner)))


def _render(d: dict) -> str:  # type: ignore[type-arg]
    lines = [f"{d['name']}  ({d['type']}, {d['mention_count']} mentions, id {d['id']})",
             "variants:  " + ", ".join(f"{v['text']} ({v['count']})" for v in d["variants"]),
             "languages: " + ", ".join(f"{k} ({v})" for k, v in sorted(d["languages"].items())),
             "articles:"]
    lines += [f"  {a['id']}  {a.get('lang') or '??'}  {a['mentions']}x  {a.get('title') or ''}" for a in d["articles"]]
    lines.append("co-mentioned: " + (", ".join(f"{c['name']} ({c['articles']})" for c in d["co_mentioned"]) or "none"))
    if d["quotes"]:
        lines.append("quotes:")
        lines += [f"  “{q.get('content', '')}”  [{q.get('article_id', '')}]" for q in d["quotes"][:20]]
    else:
        lines.append("quotes: none")
    if d["merge_reasons"]:
        lines.append("why these variants are one entity:")
        lines += [f"  - {r}" for r in d["merge_reasons"][:20]]
    return "\n".join(lines)
