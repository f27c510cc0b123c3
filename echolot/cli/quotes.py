"""`echolot quotes`: who said what, where, when, and the same quote in other languages."""
from __future__ import annotations

from typing import Any

import click

from echolot.cli import Context, emit, main, pass_ctx


def _matches_speaker(quote: dict[str, Any], wanted: str, entity_names: dict[str, str]) -> bool:
    wanted = wanted.lower()
    names = [quote.get("speaker") or "", entity_names.get(quote.get("speaker_entity") or "", "")]
    return any(wanted in n.lower() for n in names if n)


def collect(store: Any, speaker: str | None = None, lang: str | None = None,
            limit: int | None = None) -> list[dict[str, Any]]:
    """Quotes with their article's date/title/outlet and the other-language versions."""
    from echolot.quotes import load_clusters

    entities = {e["id"]: e.get("name") or "" for e in store.list_entities()}
    clusters = load_clusters(store)
    by_cluster = {c["id"]: c for c in clusters["clusters"]}
    all_quotes = store.annotations("quotes")
    by_id = {q["id"]: q for q in all_quotes if q.get("id")}
    meta: dict[str, dict[str, Any]] = {}

    def article(aid: str) -> dict[str, Any]:
        if aid not in meta:
            a = store.get_article(aid)
            meta[aid] = {"published": a.published, "title": a.title, "source": a.source} if a else {}
        return meta[aid]

    out = []
    for q in all_quotes:
        if lang and (q.get("lang") or "") != lang:
            continue
        if speaker and not _matches_speaker(q, speaker, entities):
            continue
        cluster = by_cluster.get(clusters["quote_cluster"].get(q.get("id") or "", ""))
        versions = []
        if cluster:
            for mid in cluster["members"]:
                if mid != q["id"] and mid in by_id:
                    other = by_id[mid]
                    versions.append({"id": mid, "article_id": other["article_id"], "lang": other.get("lang"),
                                     "speaker": other.get("speaker"), "content": other["content"],
                                     "published": article(other["article_id"]).get("published"),
                                     "original": mid == cluster["original"]})
        out.append({**q, "speaker_name": entities.get(q.get("speaker_entity") or "") or q.get("speaker"),
                    "article": article(q["article_id"]), "cluster": cluster["id"] if cluster else None,
                    "is_original": bool(cluster and cluster["original"] == q["id"]),
                    "original_reason": cluster["original_reason"] if cluster else None,
                    "versions": versions})
    out.sort(key=lambda r: (r["article"].get("published") or "", r["article_id"], r["content_span"][0]))
    return out[:limit] if limit else out


def render(rows: list[dict[str, Any]]) -> str:
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
        lines.append(f"  “{r['content'][:300]}”")
        for v in r["versions"]:
            mark = " [original]" if v["original"] else ""
            lines.append(f"  = [{v['lang'] or '?'}] {v['article_id'][:10]}{mark}: “{v['content'][:200]}”")
        if r["cluster"]:
            lines.append(f"  original: {'this one' if r['is_original'] else 'see [original]'}"
                         f" ({r['original_reason']})")
    return "\n".join(lines)


@main.command("quotes")
@click.option("--speaker", default=None, help="Only quotes whose speaker name contains this (case-insensitive).")
@click.option("--lang", default=None, help="Only quotes in this language (de, en, ru, ...).")
@click.option("--limit", default=None, type=int, help="Show at most N quotes.")
@click.option("--json", "as_json", is_flag=True, help="Print the quotes as JSON.")
@pass_ctx
def quotes_cmd(ctx: Context, speaker: str | None, lang: str | None, limit: int | None, as_json: bool) -> None:
    """List quotations with speaker, cue, article, language and date, and the same quote elsewhere."""
    store = ctx.store()
    try:
        rows = collect(store, speaker, lang, limit)
    finally:
        store.close()
    emit(rows, as_json, render(rows))
