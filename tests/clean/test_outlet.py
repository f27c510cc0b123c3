"""Outlet inference: URL, site name, byline, declared source, layout signature; never invented."""
from __future__ import annotations

from pathlib import Path

from echolot.clean import clean
from echolot.clean.outlet import article_outlet, host_of, infer_outlet, outlet_evidence
from echolot.model import RawDocument
from echolot.settings import Settings


def test_host_of_strips_www_and_rejects_non_urls() -> None:
    assert host_of("https://www.rt.com/news/545000-us-kazakhstan/") == "rt.com"
    assert host_of("see https://snanews.de/2022/x.html for more") == "snanews.de"
    assert host_of("Al Jazeera") is None
    assert host_of(None) is None
    assert host_of("http://localhost/x") is None


def test_order_of_evidence() -> None:
    assert outlet_evidence("Tagesschau", "https://x.org/a") == ("Tagesschau", "source")
    assert outlet_evidence(None, "https://www.x.org/a", ["Reuters"]) == ("x.org", "url")
    assert outlet_evidence(None, None, ["Reuters"], ["© Kurier 2024"]) == ("Kurier", "byline")
    assert outlet_evidence(None, None, ["Reuters", "https://a.example.com/p"]) == ("a.example.com", "declared url")
    assert outlet_evidence(None, None, ["Reuters"]) == ("Reuters", "declared source")
    assert outlet_evidence(None, None, ["Reuters"], weak=False) == (None, "none")
    assert outlet_evidence(None, None, [], ["Alle Rechte vorbehalten", "Teilen"]) == (None, "none")


def test_byline_with_date() -> None:
    assert infer_outlet(removed=["Kurier | 22.09.2025 | Von Anna Muster"]) == "Kurier"


def test_seed_outlets(seeds_dir: Path) -> None:
    """What the seed files carry: a declared source (002), a trailing page URL (003), RT layouts (000, 001)."""
    got = {}
    for path in sorted(seeds_dir.glob("*.txt")):
        article = clean(RawDocument(origin=str(path), body=path.read_text(encoding="utf-8")), Settings())
        got[path.name[:3]] = article_outlet(article)
    assert got == {"000": "RT DE", "001": "RT", "002": "Al Jazeera", "003": "snanews.de", "004": None}


def test_clean_keeps_declared_sources_out_of_source() -> None:
    body = "Ein Titel hier\n\n" + "Ein langer Satz über die Lage im Land, der genug Text hat. " * 6 + "\n\nQuelle: Al Jazeera"
    article = clean(RawDocument(origin="x.txt", body=body), Settings())
    assert article.declared_sources == ["Al Jazeera"]
    assert article.source is None  # where the text came from is not who published it
    assert article_outlet(article) == "Al Jazeera"
    article = clean(RawDocument(origin="x.txt", body=body, url="https://www.example.org/a"), Settings())
    assert article.source == "example.org"
