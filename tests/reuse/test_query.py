"""`trace` as JSON: declared sources as nodes/edges (seeds 002, 003), contradictions, exports without cycles."""
from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest

from echolot.eval.common import find_data_dir
from echolot.ids import content_id
from echolot.model import AlignedPair, Article, ReuseLink
from echolot.reuse.declared import declares, fold, parse, url_key
from echolot.reuse.graph import provenance_graph, write_graph
from echolot.reuse.query import render_trace, trace
from echolot.settings import Settings
from echolot.store.sqlite import SQLiteStore

TEXT = "The harbour authority of Nordhaven closed the eastern pier on Tuesday after inspectors found cracks."


def _article(ext: str, url: str | None = None, source: str | None = None, declared: list[str] | None = None,
             published: str | None = None) -> Article:
    text = f"{TEXT} ({ext})"
    return Article(id=content_id(text, ext, url, ext), text=text, title=f"Title {ext}", url=url, source=source,
                   lang="en", declared_sources=declared or [], published=published, external_id=ext)


def _link(a: Article, b: Article, directed: bool = True) -> ReuseLink:
    row = AlignedPair(0, 0, 0.9, a.text, b.text, "same")
    return ReuseLink(a.id, b.id, "copy", 0.9, 0.8, directed, f"{b.id} is a reprint of {a.id}", [row])


def _acyclic(graph: nx.DiGraph) -> bool:
    directed = nx.DiGraph([(a, b) for a, b, d in graph.edges(data=True) if d.get("directed")])
    return nx.is_directed_acyclic_graph(directed)


def test_declared_keys_fold_names_and_urls() -> None:
    assert fold("РИА Новости") == fold("RIA Novosti") == "rianovosti"
    assert url_key("https://www.Example.org/a/b/?x=1#y") == "example.org/a/b"
    source = parse("https://snanews.de/20220106/x-4917115.html")
    assert source.name == "snanews.de" and source.url and "snanews" in source.keys
    assert parse("Al Jazeera").keys == {"aljazeera"}
    original = _article("orig", url="https://www.aljazeera.com/news/1", source="aljazeera.com")
    copy = _article("copy", declared=["Al Jazeera"])
    assert declares(copy, original) and not declares(original, copy)


def test_seeds_002_and_003_show_their_declared_sources(tmp_path: Path) -> None:
    from echolot.pipeline import ingest

    try:
        folder = find_data_dir() / "seeds"
    except FileNotFoundError:
        pytest.skip("shared data not available")
    if not folder.is_dir():
        pytest.skip("seeds not available")
    store = SQLiteStore(tmp_path / "seeds.db")
    ingest([str(folder)], store, Settings(), progress=False)
    by_origin = {Path(a.origin or "").name[:3]: a for a in store.iter_articles()}
    group = trace(store, by_origin["002"].id)
    external = [n for n in group["nodes"] if n["kind"] == "external"]
    assert [n["outlet"] for n in external] == ["Al Jazeera"]
    assert any(e["kind"] == "declared" and e["source"] == external[0]["id"] and e["target"] == by_origin["002"].id
               for e in group["edges"])
    assert "Al Jazeera" in render_trace(group)
    json.dumps(group)  # serialisable as is
    group = trace(store, by_origin["003"].id)
    external = [n for n in group["nodes"] if n["kind"] == "external"]
    assert len(external) == 1 and external[0]["outlet"] == "snanews.de"
    assert external[0]["url"].startswith("https://snanews.de/20220106/")
    assert "snanews.de" in render_trace(group, evidence=False)


def test_trace_shape_and_declared_member(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "x.db")
    original = _article("orig", url="https://example.org/news/1", source="example.org")
    copy = _article("copy", declared=["https://example.org/news/1", "Reuters"])
    store.add_articles([original, copy])
    store.put_links([_link(original, copy)])
    group = trace(store, copy.id)
    assert group["root"] == original.id and group["article"] == copy.id
    assert {n["id"]: n["kind"] for n in group["nodes"]} == {original.id: "article", copy.id: "article",
                                                           "ext:reuters": "external"}
    declared = [e for e in group["edges"] if e["kind"] == "declared"]
    assert {(e["source"], e["target"], e["directed"]) for e in declared} == {
        (original.id, copy.id, True), ("ext:reuters", copy.id, True)}
    link = group["links"][0]
    assert link["aligned"][0]["source_sentence"] == original.text and link["aligned"][0]["op"] == "same"
    text = render_trace(group)
    assert "original: " + original.id in text and "Reuters" in text
    with pytest.raises(KeyError):
        trace(store, "nope")


def test_mutual_declarations_are_a_low_confidence_contradiction(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "x.db")
    a = _article("a", url="https://one.example/a", declared=["https://two.example/b"])
    b = _article("b", url="https://two.example/b", declared=["https://one.example/a"])
    c = _article("c", url="https://three.example/c", declared=["https://one.example/a"])
    store.add_articles([a, b, c])
    store.put_links([_link(a, b, directed=False), _link(a, c, directed=True)])
    group = trace(store, a.id)
    declared = [e for e in group["edges"] if e["kind"] == "declared"]
    mutual = [e for e in declared if {e["source"], e["target"]} == {a.id, b.id}]
    assert len(mutual) == 1 and not mutual[0]["directed"] and mutual[0]["confidence"] < 0.5
    assert "contradiction" in mutual[0]["reason"]
    graph = provenance_graph(store)
    assert _acyclic(graph)
    for fmt in ("graphml", "gexf", "jsonl"):
        write_graph(graph, fmt, tmp_path / f"g.{fmt}")


def test_declaration_against_the_groups_direction_is_not_followed(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "x.db")
    first = _article("first", url="https://one.example/a")
    second = _article("second", url="https://two.example/b")
    third = _article("third", url="https://three.example/c", declared=["https://two.example/b"])
    store.add_articles([first, second, third])
    # direction (say from dates) has second copy third; third claims second as its source: contradiction
    store.put_links([_link(first, third), _link(third, second)])
    group = trace(store, first.id)
    edge = next(e for e in group["edges"] if e["kind"] == "declared")
    assert not edge["directed"] and "contradiction" in edge["reason"]
    directed = nx.DiGraph([(e["source"], e["target"]) for e in group["edges"] if e["directed"]])
    assert nx.is_directed_acyclic_graph(directed)


def test_export_has_external_source_nodes(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "x.db")
    lone = _article("lone", declared=["Al Jazeera"])
    original = _article("orig", url="https://example.org/news/1")
    copy = _article("copy", declared=["https://example.org/news/1"])
    store.add_articles([lone, original, copy])
    store.put_links([_link(original, copy)])
    graph = provenance_graph(store)
    assert graph.nodes["ext:aljazeera"]["kind"] == "external"
    assert graph.edges["ext:aljazeera", lone.id]["kind"] == "declared"
    assert graph.edges[original.id, copy.id]["kind"] == "copy"  # the reuse link is kept, not overwritten
    assert _acyclic(graph)
    write_graph(graph, "graphml", tmp_path / "g.graphml")
    back = nx.read_graphml(tmp_path / "g.graphml")
    assert back.nodes["ext:aljazeera"]["outlet"] == "Al Jazeera"
    write_graph(graph, "gexf", tmp_path / "g.gexf")
    assert "ext:aljazeera" in nx.read_gexf(tmp_path / "g.gexf")
    write_graph(graph, "jsonl", tmp_path / "g.jsonl")
    records = [json.loads(line) for line in (tmp_path / "g.jsonl").read_text().splitlines()]
    assert any(r["type"] == "node" and r.get("kind") == "external" for r in records)
    assert any(r["type"] == "link" and r["kind"] == "declared" for r in records)


def test_in_text_attribution_points_at_a_stored_outlet(tmp_path: Path) -> None:
    from echolot.clean.sources import attributions

    assert attributions("Die Lage sei ruhig, so TASS. Sonst nichts.") == ["TASS"]
    assert attributions("По данным РИА Новости, всё спокойно.") == ["РИА Новости"]
    assert attributions("It fell, according to the ministry.") == []  # not a name
    store = SQLiteStore(tmp_path / "x.db")
    wire = _article("wire", url="https://tass.com/world/1", source="TASS")
    citing = Article(id="citing", text=f"{TEXT} Die Lage sei ruhig, so TASS.", lang="de", external_id="citing")
    store.add_articles([wire, citing])
    store.put_links([_link(wire, citing)])
    group = trace(store, citing.id)
    edge = next(e for e in group["edges"] if e["kind"] == "declared")
    assert (edge["source"], edge["target"], edge["directed"]) == (wire.id, citing.id, True)
    assert "attributes its report to 'TASS'" in edge["reason"]
    assert not [n for n in group["nodes"] if n["kind"] == "external"]  # names in running text make no nodes
    assert declares(citing, wire) and not declares(wire, citing)


def test_attribution_lines_are_declared_sources() -> None:
    from echolot.clean.sources import declared_source

    assert declared_source("(so TASS)") == "TASS"
    assert declared_source("According to Reuters.") == "Reuters"
    assert declared_source("По данным РИА Новости") == "РИА Новости"
    assert declared_source("so what is this") is None
    assert declared_source("laut dem Bericht der Zeitung") is None


def test_undecided_group_names_no_original() -> None:
    """Two versions with only an undirected link between them: the trace lays the tree out from one
    of them but says no original (`original` None, the text header 'undecided')."""
    from echolot.model import ReuseLink
    from echolot.reuse.query import _original, _root

    links = [ReuseLink("a", "b", "translation", 0.8, confidence=0.5, directed=False, reason="undecided")]
    root = _root({"a", "b"}, links, "b")
    assert root == "b" and _original(root, {"a", "b"}, links) is None
    directed = [ReuseLink("a", "b", "translation", 0.8, confidence=0.9, directed=True, reason="dated")]
    assert _original(_root({"a", "b"}, directed, "b"), {"a", "b"}, directed) == "a"
