"""What a user sees of a story: label, languages, outlets, time span, reuse groups, timeline.

Summaries are recomputed from the store for the stories an ingest touched, so
they always agree with the assignments; the clusterer's state is not needed to
read them.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from collections import Counter, defaultdict
from typing import Any

import numpy as np

from echolot.model import Article, ReuseLink, StoryAssignment
from echolot.settings import Settings
from echolot.stories.features import embed_text, parse_time
from echolot.util import components

if TYPE_CHECKING:
    from echolot.store.base import Store


def _members(store: Store, story_id: str) -> tuple[list[StoryAssignment], list[Article]]:
    assignments = store.story_assignments(story_id)
    by_id = {a.id: a for a in store.iter_articles([m.article_id for m in assignments])}
    kept = [m for m in assignments if m.article_id in by_id]
    return kept, [by_id[m.article_id] for m in kept]


def _central_titles(store: Store, settings: Settings, articles: list[Article],
                    vector_store: Store | None = None) -> dict[str | None, Article]:
    """Per language (and overall, key None) the member closest to the story centroid.

    The centroid member is a better label than the first or the most frequent
    title: it is what the story is mostly about. Vectors come from the cache the
    clusterer filled, so this costs no encoding.
    """
    from echolot.stories.stage import story_vectors  # late: the stage imports this module

    texts = [embed_text(a, settings.stories.lead_chars) for a in articles]
    vectors = story_vectors(texts, settings, vector_store if vector_store is not None else store)
    best: dict[str | None, Article] = {}
    groups: dict[str | None, list[int]] = defaultdict(list)
    for i, article in enumerate(articles):
        groups[None].append(i)
        groups[article.lang].append(i)
    for lang, rows in groups.items():
        centroid = vectors[rows].mean(axis=0)
        scores = vectors[rows] @ centroid
        order = sorted(range(len(rows)), key=lambda j: (-round(float(scores[j]), 6), articles[rows[j]].id))
        best[lang] = articles[rows[order[0]]]
    return best


def reuse_groups(links: list[ReuseLink], members: set[str]) -> list[dict[str, Any]]:
    """Connected groups of copies/translations inside the story, each with its original."""
    inside = [l for l in links if l.source in members and l.target in members]
    root = components([(l.source, l.target) for l in inside], {x for l in inside for x in (l.source, l.target)})
    groups: dict[str, list[ReuseLink]] = defaultdict(list)
    for link in inside:
        groups[root[link.source]].append(link)
    out = []
    for group_links in groups.values():
        targets = {l.target for l in group_links if l.directed}
        ids = sorted({x for l in group_links for x in (l.source, l.target)})
        originals = [x for x in ids if x not in targets]
        out.append({
            "original": originals[0] if len(originals) == 1 else None,
            "articles": ids,
            "links": [{"source": l.source, "target": l.target, "kind": l.kind, "score": round(l.score, 3),
                       "directed": l.directed, "reason": l.reason} for l in sorted(
                           group_links, key=lambda l: (l.source, l.target))],
        })
    return sorted(out, key=lambda g: (-len(g["articles"]), g["articles"][0]))


def _story_links(store: Store, members: list[str]) -> list[ReuseLink]:
    seen: dict[tuple[str, str], ReuseLink] = {}
    for article_id in members:
        for link in store.links(article_id):
            seen[(link.source, link.target)] = link
    return list(seen.values())


def summarise_story(store: Store, settings: Settings, story_id: str,
                    vector_store: Store | None = None) -> dict[str, Any]:
    """The stored summary of one story (the dict `echolot stories` lists); vectors come from the
    cache the clusterer filled (`vector_store`, default `store`)."""
    _, articles = _members(store, story_id)
    if not articles:
        return {"id": story_id, "count": 0, "label": "", "labels": {}, "languages": {}, "outlets": {},
                "first_seen": None, "last_seen": None, "reuse_groups": []}
    central = _central_titles(store, settings, articles, vector_store)
    label_of = {lang: (a.title or a.text[:120]).strip() for lang, a in central.items()}
    dates = sorted(a.published for a in articles if a.published and parse_time(a.published) is not None)
    links = _story_links(store, [a.id for a in articles])
    return {
        "id": story_id,
        "label": label_of[None],
        "label_lang": central[None].lang,
        "labels": {lang: text for lang, text in sorted(label_of.items(), key=lambda kv: str(kv[0])) if lang},
        "languages": dict(Counter(a.lang or "?" for a in articles).most_common()),
        "outlets": dict(Counter(a.source for a in articles if a.source).most_common()),
        "first_seen": dates[0] if dates else None,
        "last_seen": dates[-1] if dates else None,
        "count": len(articles),
        "reuse_groups": reuse_groups(links, {a.id for a in articles}),
    }


def timeline(store: Store, story_id: str) -> list[dict[str, Any]]:
    """One row per member in time order: when, outlet, language, title, role, why it joined."""
    assignments, articles = _members(store, story_id)
    reason = {m.article_id: (m.score, m.reason) for m in assignments}
    links = _story_links(store, [a.id for a in articles])
    member_ids = {a.id for a in articles}
    role: dict[str, str] = {}
    for link in links:
        if link.source not in member_ids or link.target not in member_ids:
            continue
        if link.directed:
            role[link.target] = f"{link.kind} of {link.source}"
            role.setdefault(link.source, "original")
        else:
            for x, y in ((link.source, link.target), (link.target, link.source)):
                role.setdefault(x, f"{link.kind} pair with {y} (direction unknown)")
    rows = []
    for article in articles:
        score, why = reason[article.id]
        rows.append({
            "id": article.id, "published": article.published, "source": article.source,
            "lang": article.lang, "title": article.title or article.text[:120],
            "role": role.get(article.id, "independent"), "score": score, "reason": why,
        })
    return sorted(rows, key=lambda r: (parse_time(r["published"]) or float("inf"), r["id"]))


def plot_timeline(rows: list[dict[str, Any]], path: str, title: str = "") -> None:
    """Articles per day per language as stacked bars (PNG or SVG by extension)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    days = sorted({(r["published"] or "")[:10] for r in rows if r["published"]})
    langs = sorted({r["lang"] or "?" for r in rows})
    counts = {lang: np.zeros(len(days)) for lang in langs}
    index = {d: i for i, d in enumerate(days)}
    for r in rows:
        if r["published"]:
            counts[r["lang"] or "?"][index[r["published"][:10]]] += 1
    fig, ax = plt.subplots(figsize=(max(5.0, 0.6 * len(days) + 2), 3.5))
    bottom = np.zeros(len(days))
    for lang in langs:
        ax.bar(days, counts[lang], bottom=bottom, label=lang)
        bottom += counts[lang]
    ax.set_ylabel("articles")
    ax.set_title(title[:80])
    ax.legend(title="language", fontsize="small")
    fig.autofmt_xdate()
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
