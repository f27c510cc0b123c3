"""Read-side views over stored narrative hits: frequency tables, plots, and spread.

Counts are articles, not sentences: one article that repeats a claim five times
pushes it once. An article's stance on a narrative is rolled up from its hits
(any denial wins, then any endorsement, else report).
"""
from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict, deque
from pathlib import Path
from typing import TYPE_CHECKING, Any
from collections.abc import Iterable

from echolot.narratives.stance import article_stance

if TYPE_CHECKING:
    from echolot.store.base import Store

GROUPS = ("outlet", "language", "week")


def week_of(published: str | None) -> str:
    """ISO week ("2022-W01") of an ISO date, "(undated)" when unknown or unparsable."""
    if not published:
        return "(undated)"
    try:
        day = dt.date.fromisoformat(str(published)[:10])
    except ValueError:
        return "(undated)"
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def group_value(hit: dict[str, Any], by: str) -> str:
    if by == "outlet":
        return str(hit.get("outlet") or "(unknown outlet)")
    if by == "language":
        return str(hit.get("lang") or "(unknown)")
    if by == "week":
        return week_of(hit.get("published"))
    raise ValueError(f"unknown grouping {by!r}; choose one of {', '.join(GROUPS)}")


def article_rollup(hits: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """One record per (article, narrative): best hit, article stance, metadata."""
    groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for hit in hits:
        groups[(hit["article_id"], hit["narrative_id"])].append(hit)
    out = []
    for items in groups.values():
        best = max(items, key=lambda h: h.get("score", 0.0))
        out.append({**best, "stance": article_stance([h.get("stance", "endorse") for h in items]),
                    "hits": len(items)})
    return out


def frequency(hits: Iterable[dict[str, Any]], by: str = "outlet", stance: str | None = None) -> dict[str, Any]:
    """{narrative_id: {"name", "total", "by": {group: {"articles", "endorse", "report", "deny"}}}}."""
    table: dict[str, Any] = {}
    for row in article_rollup(hits):
        if stance and row["stance"] != stance:
            continue
        entry = table.setdefault(row["narrative_id"], {"name": row.get("name") or row["narrative_id"],
                                                       "total": 0, "by": {}})
        cell = entry["by"].setdefault(group_value(row, by), {"articles": 0, "endorse": 0, "report": 0, "deny": 0})
        cell["articles"] += 1
        cell[row["stance"]] = cell.get(row["stance"], 0) + 1
        entry["total"] += 1
    return dict(sorted(table.items(), key=lambda kv: -kv[1]["total"]))


def format_table(table: dict[str, Any], by: str) -> str:
    """Plain-text table: one line per (narrative, group) with stance counts."""
    if not table:
        return "no narrative hits (run `echolot narratives run` after ingesting articles)"
    lines = [f"{'narrative':34} {by:24} {'articles':>8} {'endorse':>8} {'report':>7} {'deny':>5}"]
    for nid, entry in table.items():
        for group, cell in sorted(entry["by"].items(), key=lambda kv: -kv[1]["articles"]):
            lines.append(f"{nid[:34]:34} {group[:24]:24} {cell['articles']:>8} {cell['endorse']:>8} "
                         f"{cell['report']:>7} {cell['deny']:>5}")
    return "\n".join(lines)


def plot(hits: Iterable[dict[str, Any]], by: str, path: Path, top: int = 6) -> Path:
    """Narrative frequency per week, one panel per outlet (or language); Agg backend, png/svg."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    path = Path(path)
    if path.suffix.lower() not in {".png", ".svg"}:
        raise ValueError(f"plot file must end in .png or .svg, got {path.name!r}")
    panel_by = "language" if by == "week" else by
    rows = [r for r in article_rollup(hits) if week_of(r.get("published")) != "(undated)"]
    if not rows:
        raise ValueError("no dated narrative hits to plot (articles need a publication date)")
    panels = [g for g, _ in Counter(group_value(r, panel_by) for r in rows).most_common(top)]
    narratives = [n for n, _ in Counter(r["narrative_id"] for r in rows).most_common(top)]
    weeks = sorted({week_of(r.get("published")) for r in rows})
    fig, axes = plt.subplots(len(panels), 1, figsize=(9, 2.4 * len(panels) + 0.8), sharex=True, squeeze=False)
    for ax, panel in zip(axes[:, 0], panels):
        for nid in narratives:
            counts = Counter(week_of(r.get("published")) for r in rows
                             if r["narrative_id"] == nid and group_value(r, panel_by) == panel)
            ax.plot(range(len(weeks)), [counts.get(w, 0) for w in weeks], marker="o", label=nid)
        ax.set_title(f"{panel_by}: {panel}", fontsize=9)
        ax.set_ylabel("articles")
    axes[-1, 0].set_xticks(range(len(weeks)), weeks, rotation=45, ha="right", fontsize=8)
    axes[0, 0].legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    fig.suptitle("narrative frequency over time (articles with a hit, any stance)", fontsize=10)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)
    return path


def narrative_candidates(hits: list[dict[str, Any]], query: str) -> list[str]:
    """Narrative ids with hits matching `query`: the exact id, else id prefixes, else name substrings."""
    ids = {h["narrative_id"]: h.get("name") or "" for h in hits}
    if query in ids:
        return [query]
    prefixed = sorted(i for i in ids if i.startswith(query))
    if prefixed:
        return prefixed
    return sorted(i for i, name in ids.items() if query.lower() in name.lower())


def resolve_narrative(hits: list[dict[str, Any]], query: str) -> str | None:
    """A narrative id from an exact id, a unique id prefix, or a unique name substring."""
    found = narrative_candidates(hits, query)
    return found[0] if len(found) == 1 else None


def _sort_key(row: dict[str, Any]) -> tuple[int, str]:
    return (0, str(row["published"])) if row.get("published") else (1, "")


def spread(store: Store, hits: list[dict[str, Any]], narrative_id: str) -> dict[str, Any]:
    """Who pushed a narrative first, and how it travelled through copies and translations.

    The narrative's own hits and those of its sub-narratives count. The first
    endorser is the earliest dated article endorsing it in its own voice; the first
    speaker the earliest quoted or reported speaker pushing it (an outlet relaying a
    ministry's claim does not endorse it, the ministry does). The first endorser (ingest order breaks ties and
    stands in for missing dates). Spread walks the provenance graph (reuse links)
    outwards from every endorsing article: a copy or translation of an endorsing
    article carries the narrative even where the matcher missed it.
    """
    family = {narrative_id} | {h["narrative_id"] for h in hits if h.get("parent_id") == narrative_id
                               or h.get("root_id") == narrative_id}
    by_article: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in article_rollup(h for h in hits if h["narrative_id"] in family):
        by_article[row["article_id"]].append(row)
    per_article: dict[str, dict[str, Any]] = {}
    for article_id, items in by_article.items():
        stance = article_stance([r["stance"] for r in items])
        evidence = max((r for r in items if r["stance"] == stance), key=lambda r: r["score"])
        per_article[article_id] = {**evidence, "stance": stance}
    articles = sorted(per_article.values(), key=_sort_key)
    endorsing = [a for a in articles if a["stance"] == "endorse"]
    first = endorsing[0] if endorsing else None
    voiced = sorted((h for h in hits if h["narrative_id"] in family and h.get("speaker_stance") == "endorse"),
                    key=_sort_key)
    if not endorsing:  # nobody states it in their own voice: follow the articles that relay a speaker pushing it
        seen_ids = {h["article_id"] for h in voiced}
        endorsing = [a for a in articles if a["article_id"] in seen_ids]
    edges: dict[str, list[tuple[str, Any]]] = defaultdict(list)
    for link in store.links():
        edges[link.source].append((link.target, link))
        if not link.directed:
            edges[link.target].append((link.source, link))
    steps = []
    seen = {a["article_id"] for a in endorsing}
    queue = deque((a["article_id"], 0) for a in endorsing)
    while queue:
        node, hop = queue.popleft()
        for other, link in edges.get(node, []):
            if other in seen:
                continue
            seen.add(other)
            own = per_article.get(other)
            art = store.get_article(other)
            steps.append({"from": node, "to": other, "kind": link.kind, "hop": hop + 1,
                          "directed": link.directed, "link_score": round(link.score, 3),
                          "outlet": art.source if art else None, "lang": art.lang if art else None,
                          "published": art.published if art else None,
                          "stance_there": own["stance"] if own else "no hit (carried by the copy)"})
            queue.append((other, hop + 1))
    name = next((h.get("name") for h in hits if h["narrative_id"] == narrative_id), narrative_id)
    return {"narrative_id": narrative_id, "name": name, "articles": len(articles),
            "stances": dict(Counter(a["stance"] for a in articles)),
            "first_endorser": _brief(first) if first else None,
            "first_speaker": {**_brief(voiced[0]), "speaker": voiced[0].get("speaker")} if voiced else None,
            "timeline": [_brief(a) for a in articles], "spread": steps}


def _brief(row: dict[str, Any]) -> dict[str, Any]:
    return {k: row.get(k) for k in ("article_id", "published", "outlet", "lang", "stance", "score",
                                    "narrative_id", "sentence", "actor", "stance_reason")}
