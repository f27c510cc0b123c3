"""Reading the provenance graph back: one group as a tree (for `trace`), all of it as a graph (`export`)."""
from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx

from echolot.model import Article, ReuseLink

if TYPE_CHECKING:
    from echolot.store.base import Store

FORMATS = ("graphml", "gexf", "jsonl")


def _node(article: Article | None, article_id: str) -> dict[str, Any]:
    if article is None:
        return {"id": article_id, "kind": "article", "title": "", "lang": "", "source": "", "published": "",
                "url": ""}
    return {"id": article.id, "kind": "article", "title": article.title or _first_line(article.text), "lang": article.lang or "",
            "source": article.source or "", "published": article.published or "", "url": article.url or "",
            "external_id": article.external_id or ""}


def _first_line(text: str, width: int = 80) -> str:
    line = text.strip().split("\n", 1)[0]
    return line if len(line) <= width else line[:width - 1] + "…"


def group_tree(article_id: str, store: Store) -> dict[str, Any]:
    """The article's group as {original, members, tree, other_links}; the tree holds directed links."""
    from echolot.reuse import group_of

    members, links = group_of(article_id, store)
    nodes = {m: _node(store.get_article(m), m) for m in sorted(members)}
    directed = [l for l in links if l.directed]
    targets = {l.target for l in directed}
    roots = sorted(m for m in members if m not in targets)
    root = roots[0] if roots else article_id
    children: dict[str, list[ReuseLink]] = {}
    for link in directed:
        children.setdefault(link.source, []).append(link)

    def subtree(node: str, via: ReuseLink | None, seen: frozenset[str]) -> dict[str, Any]:
        kids = [l for l in sorted(children.get(node, []), key=lambda l: l.target) if l.target not in seen]
        return {"id": node, "link": _link_dict(via) if via else None,
                "children": [subtree(l.target, l, seen | {l.target}) for l in kids]}

    return {"article": article_id, "original": root if len(members) > 1 else None, "members": nodes,
            "tree": subtree(root, None, frozenset({root})),
            "other_links": [_link_dict(l) for l in links if not l.directed]}


def _link_dict(link: ReuseLink) -> dict[str, Any]:
    return asdict(link)


def render_tree(group: dict[str, Any], evidence: bool = True, width: int = 60) -> str:
    """Human-readable group: the original at the root, each link with its reason and aligned sentences."""
    members = group["members"]
    if group["original"] is None:
        return f"{group['article']}: no reprints or translations found"
    lines = [f"Reuse group of {len(members)} article(s); original: {group['original']}"]

    def label(node_id: str) -> str:
        m = members.get(node_id, {})
        return f"{node_id} [{m.get('lang') or '?'}] {m.get('title') or ''}".rstrip()

    def walk(node: dict[str, Any], prefix: str, last: bool, top: bool) -> None:
        link = node["link"]
        branch = "" if top else ("└─ " if last else "├─ ")
        head = label(node["id"])
        if link:
            head = f"{link['kind']} → {head}  (aligned {link['score']:.2f}, confidence {link['confidence']:.2f})"
        lines.append(prefix + branch + head + ("   ◀ traced" if node["id"] == group["article"] else ""))
        inner = prefix + ("" if top else ("   " if last else "│  "))
        if link:
            lines.append(inner + "   why: " + link["reason"])
            if evidence:
                lines.extend(inner + "   " + row for row in render_evidence(link["evidence"], width))
        for n, child in enumerate(node["children"]):
            walk(child, inner, n == len(node["children"]) - 1, False)

    walk(group["tree"], "", True, True)
    for link in group["other_links"]:
        lines.append(f"also linked: {link['source']} ↔ {link['target']} ({link['kind']}, aligned "
                     f"{link['score']:.2f}): {link['reason']}")
    return "\n".join(lines)


_MARK = {"same": "=", "changed": "~", "added": "+", "dropped": "-"}


def render_evidence(rows: list[dict[str, Any]], width: int = 60) -> list[str]:
    """Side-by-side sentence pairs: '=' aligned, '~' edited, '-' only in the source, '+' only in the copy."""
    def cut(text: str) -> str:
        text = " ".join((text or "").split())
        return text if len(text) <= width else text[:width - 1] + "…"

    return [f"{_MARK.get(r['op'], '?')} {cut(r['a_text']):<{width}} | {cut(r['b_text'])}" for r in rows]


def provenance_graph(store: Store, include_singletons: bool = False) -> nx.DiGraph:
    """Articles and declared external sources as nodes, reuse links and declarations as edges.

    Node attributes: kind ("article" | "external"), title, lang, source/outlet, published, url;
    edge attributes: kind ("copy" | "translation" | "declared"), score, confidence, directed,
    reason. Declared sources are resolved per reuse group as in `echolot trace`
    (`echolot.reuse.query.declared_edges`), so directed edges never form a cycle.
    """
    from echolot.reuse.query import declared_edges

    graph = nx.DiGraph()
    links = store.links()
    linked = {x for l in links for x in (l.source, l.target)}
    keep: dict[str, Article] = {}
    for article in store.iter_articles():  # streamed: only linked or declaring articles are kept
        if article.id in linked or article.declared_sources or include_singletons:
            keep[article.id] = article
    for article_id in sorted(keep):
        graph.add_node(article_id, **_node(keep[article_id], article_id))
    for link in links:
        graph.add_edge(link.source, link.target, kind=link.kind, score=float(link.score),
                       confidence=float(link.confidence), directed=bool(link.directed), reason=link.reason)
    components = nx.connected_components(nx.Graph([(l.source, l.target) for l in links]))
    groups = [set(c) for c in components] + [{a} for a in keep if a not in linked]
    by_group: dict[str, list[ReuseLink]] = {}
    for link in links:
        by_group.setdefault(link.source, []).append(link)
    for members in groups:
        articles = {m: keep[m] for m in members if m in keep}
        if not any(a.declared_sources for a in articles.values()):
            continue
        group_links = [l for m in members for l in by_group.get(m, [])]
        nodes, edges = declared_edges(articles, group_links)
        for node in nodes:
            graph.add_node(node["id"], **{k: ("" if v is None else v) for k, v in node.items() if k != "id"},
                           source=node["outlet"] or "")
        for edge in edges:
            if graph.has_edge(edge["source"], edge["target"]) or graph.has_edge(edge["target"], edge["source"]):
                continue  # a reuse link already joins the two; its reason carries the declaration
            graph.add_edge(edge["source"], edge["target"], kind="declared", score=float(edge["score"]),
                           confidence=float(edge["confidence"]), directed=bool(edge["directed"]),
                           reason=edge["reason"])
    return graph


def write_graph(graph: nx.DiGraph, fmt: str, path: Path) -> None:
    """Write in one of FORMATS; JSONL is one {"type": "node"|"link", ...} object per line."""
    if fmt == "graphml":
        nx.write_graphml(graph, path)
    elif fmt == "gexf":
        nx.write_gexf(graph, path)
    elif fmt == "jsonl":
        with open(path, "w", encoding="utf-8") as handle:
            for node, data in graph.nodes(data=True):
                handle.write(json.dumps({"type": "node", **data, "id": node}, ensure_ascii=False) + "\n")
            for a, b, data in graph.edges(data=True):
                handle.write(json.dumps({"type": "link", "source": a, "target": b, **data}, ensure_ascii=False) + "\n")
    else:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
