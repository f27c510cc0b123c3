"""One article's provenance group as plain JSON: what `echolot trace`, the exports and the REST API show.

    trace(store, article_id) -> {
        "root":  the group's original (the traced article itself when it has no reuse link); where no
                 evidence decided which version came first, the version the tree is laid out from,
        "original": the group's original, or None when the direction between its versions is undecided
                 (`reuse.direction_undecided`: those links are undirected),
        "article": the traced article,
        "nodes": [{id, kind: "article"|"external", title, outlet, lang, published, url}],
        "edges": [{source, target, kind, confidence, reason, directed, score}],
        "links": [{source, target, kind, confidence, reason, directed, score,
                   aligned: [{source_sentence, target_sentence, score, op}]}],
    }

`edges` hold every edge of the group: reuse links ("copy", "translation") and
declared sources ("declared": source -> the article that names it). A declared source
that is another stored article of the group points at that article; one that is not in
the group becomes an external node (`ext:` + its URL or folded outlet name). `links`
are the reuse links again, with their aligned sentences (source side = `source`).
Directed edges never form a cycle: a declaration that contradicts the group's
direction, or two articles declaring each other, gives an undirected edge whose reason
names the contradiction.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

import networkx as nx

from echolot.model import Article, ReuseLink
from echolot.reuse.declared import DeclaredSource, cited, declared, host_of, match, outlet_keys

if TYPE_CHECKING:
    from echolot.store.base import Store

__all__ = ["article_node", "declared_edges", "external_node", "render_trace", "trace"]


def article_node(article: Article | None, article_id: str) -> dict[str, Any]:
    if article is None:
        return {"id": article_id, "kind": "article", "title": "", "outlet": None, "lang": None,
                "published": None, "url": None}
    return {"id": article.id, "kind": "article", "title": article.title or _first_line(article.text),
            "outlet": article.source or host_of(article.url), "lang": article.lang,
            "published": article.published, "url": article.url}


def external_node(source: DeclaredSource) -> dict[str, Any]:
    return {"id": source.node_id, "kind": "external", "title": source.value, "outlet": source.name,
            "lang": None, "published": None, "url": source.url}


def _first_line(text: str, width: int = 80) -> str:
    line = text.strip().split("\n", 1)[0]
    return line if len(line) <= width else line[:width - 1] + "…"


def _link_edge(link: ReuseLink) -> dict[str, Any]:
    return {"source": link.source, "target": link.target, "kind": link.kind,
            "confidence": round(float(link.confidence), 3), "reason": link.reason,
            "directed": bool(link.directed), "score": round(float(link.score), 4)}


def _link_full(link: ReuseLink) -> dict[str, Any]:
    out = _link_edge(link)
    out["aligned"] = [{"source_sentence": r.a_text, "target_sentence": r.b_text, "score": round(float(r.score), 3),
                       "op": r.op} for r in link.evidence]
    return out


def declared_edges(articles: dict[str, Article], links: list[ReuseLink]
                   ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """External nodes and "declared" edges for the declared sources of `articles` (one group).

    A source matching another member becomes an edge from that member; else an external
    node. Member-to-member declarations that would close a directed cycle with the
    group's directed links (or with each other) are kept undirected, with the contradiction
    named in their reason.
    """
    nodes: dict[str, dict[str, Any]] = {}
    edges: list[dict[str, Any]] = []
    internal: list[tuple[str, str, str]] = []  # (declared source member, declaring member, why)
    for member in sorted(articles):
        article = articles[member]
        own = outlet_keys(article)
        for source in declared(article):
            hits = []
            for other in sorted(articles):
                if other == member:
                    continue
                how = match(source, articles[other])
                if how == "its outlet" and source.keys & own:
                    how = None  # a line naming the article's own outlet says nothing about the others
                if how:
                    hits.append((0 if how == "its URL" else 1, other, how))
            if hits:
                best = min(hits)
                internal.append((best[1], member, f"{member} declares {source.value!r} as its source, which is "
                                                  f"{best[1]}'s {best[2][4:]}"))
                continue
            nodes.setdefault(source.node_id, external_node(source))
            edges.append({"source": source.node_id, "target": member, "kind": "declared", "confidence": 0.9,
                          "reason": f"{member} declares {source.value!r} as its source; it is not in the store",
                          "directed": True, "score": 1.0})
    for member in sorted(articles):
        own = outlet_keys(articles[member])
        for source in cited(articles[member]):  # in-text attributions: only towards stored outlets
            if source.keys & own:
                continue
            for other in sorted(articles):
                if other != member and match(source, articles[other]) == "its outlet" and \
                        not any(s == other and t == member for s, t, _ in internal):
                    internal.append((other, member, f"{member} attributes its report to {source.value!r}, which is "
                                                    f"{other}'s outlet"))
    graph = nx.DiGraph()
    graph.add_nodes_from(articles)
    graph.add_edges_from((l.source, l.target) for l in links if l.directed)
    declared_pairs = {(s, t) for s, t, _ in internal}
    for src, dst, why in internal:
        if (dst, src) in declared_pairs:
            lo, hi = sorted((src, dst))
            if src != lo:
                continue  # the mutual pair is written once
            edges.append({"source": lo, "target": hi, "kind": "declared", "confidence": 0.2, "directed": False,
                          "score": 1.0, "reason": f"contradiction: {lo} and {hi} each declare the other as their "
                                                  "source; direction left open"})
            continue
        if nx.has_path(graph, dst, src):
            edges.append({"source": src, "target": dst, "kind": "declared", "confidence": 0.3, "directed": False,
                          "score": 1.0, "reason": f"{why}; contradiction: the group's other evidence has "
                                                  f"{src} derive from {dst}, so the declaration is not followed"})
            continue
        graph.add_edge(src, dst)
        edges.append({"source": src, "target": dst, "kind": "declared", "confidence": 0.9, "directed": True,
                      "score": 1.0, "reason": why})
    return list(nodes.values()), edges


def _root(members: set[str], links: list[ReuseLink], fallback: str) -> str:
    targets = {l.target for l in links if l.directed}
    roots = sorted(m for m in members if m not in targets and any(l.source == m and l.directed for l in links))
    return roots[0] if roots else fallback


def _original(root: str, members: set[str], links: list[ReuseLink]) -> str | None:
    """`root` when every member descends from it through directed links, else None.

    Why: an undecided group keeps the links between its versions undirected, but `_root` still finds a
    root (a reprint cluster's master, or the traced article); calling that the original would state a
    direction the reuse stage refused to state."""
    if len(members) < 2:
        return root
    graph = nx.DiGraph((l.source, l.target) for l in links if l.directed)
    reached = nx.descendants(graph, root) if root in graph else set()
    return root if members <= reached | {root} else None


def trace(store: Store, article_id: str) -> dict[str, Any]:
    """The provenance group of `article_id` (a full id) as a JSON-serialisable dict (module docstring)."""
    from echolot.reuse import group_of

    if store.get_article(article_id) is None:
        raise KeyError(f"no article {article_id!r} in the store")
    members, links = group_of(article_id, store)
    articles = {a.id: a for a in store.iter_articles(sorted(members))}
    links = sorted(links, key=lambda l: (l.source, l.target))
    external, declared_list = declared_edges(articles, links)
    nodes = [article_node(articles.get(m), m) for m in sorted(members)] + sorted(external, key=lambda n: n["id"])
    root = _root(members, links, article_id)
    return {"root": root, "original": _original(root, members, links), "article": article_id, "nodes": nodes,
            "edges": [_link_edge(l) for l in links] + declared_list,
            "links": [_link_full(l) for l in links]}


# -- text rendering (`echolot trace`) ------------------------------------------------------------
_MARK = {"same": "=", "changed": "~", "added": "+", "dropped": "-"}


def _cut(text: str, width: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[:width - 1] + "…"


def render_trace(group: dict[str, Any], evidence: bool = True, width: int = 60) -> str:
    """The group as a tree: the original at the root, declared sources above what declares them,
    every link with its kind, confidence, reason and (optionally) aligned sentences."""
    nodes = {n["id"]: n for n in group["nodes"]}
    links = {(l["source"], l["target"]): l for l in group["links"]}
    articles = [n for n in group["nodes"] if n["kind"] == "article"]
    traced = group["article"]
    if len(articles) <= 1 and not any(e["kind"] == "declared" for e in group["edges"]):
        return f"{traced}: no reprints or translations found, and no declared source"

    def label(node_id: str) -> str:
        n = nodes.get(node_id, {})
        if n.get("kind") == "external":
            where = n.get("url") or n.get("outlet") or ""
            return f"{n.get('outlet') or node_id} (declared source, not in the store){'  ' + where if n.get('url') else ''}"
        return f"{node_id} [{n.get('lang') or '?'}] {n.get('title') or ''}".rstrip()

    if len(articles) > 1:
        original = group.get("original", group["root"]) or "undecided (no date, declared source or content evidence)"
        lines = [f"Reuse group of {len(articles)} article(s); original: {original}"]
    else:
        lines = [f"{label(traced)}", "   no reprints or translations found"]
    children: dict[str, list[dict[str, Any]]] = {}
    for edge in group["edges"]:
        if edge["directed"] and edge["kind"] != "declared":
            children.setdefault(edge["source"], []).append(edge)

    def walk(node: str, via: dict[str, Any] | None, prefix: str, last: bool, top: bool, seen: frozenset[str]) -> None:
        branch = "" if top else ("└─ " if last else "├─ ")
        head = label(node)
        if via:
            head = f"{via['kind']} → {head}  (aligned {via['score']:.2f}, confidence {via['confidence']:.2f})"
        lines.append(prefix + branch + head + ("   ◀ traced" if node == traced and len(articles) > 1 else ""))
        inner = prefix + ("" if top else ("   " if last else "│  "))
        if via:
            lines.append(inner + "   why: " + via["reason"])
            link = links.get((via["source"], via["target"]))
            if evidence and link:
                lines.extend(inner + "   " + f"{_MARK.get(r['op'], '?')} {_cut(r['source_sentence'], width):<{width}}"
                             f" | {_cut(r['target_sentence'], width)}" for r in link["aligned"])
        kids = [e for e in sorted(children.get(node, []), key=lambda e: e["target"]) if e["target"] not in seen]
        for n, edge in enumerate(kids):
            walk(edge["target"], edge, inner, n == len(kids) - 1, False, seen | {edge["target"]})

    if len(articles) > 1:
        walk(group["root"], None, "", True, True, frozenset({group["root"]}))
    for edge in group["edges"]:
        if edge["kind"] == "declared":
            arrow = "→" if edge["directed"] else "↔"
            lines.append(f"declared source: {label(edge['source'])} {arrow} {edge['target']} "
                         f"(confidence {edge['confidence']:.2f})")
            lines.append(f"   why: {edge['reason']}")
        elif not edge["directed"]:
            lines.append(f"also linked: {edge['source']} ↔ {edge['target']} ({edge['kind']}, aligned "
                         f"{edge['score']:.2f}): {edge['reason']}")
    return "\n".join(lines)
