"""The outlet of an article: who published it, from the evidence the scrape carries.

In order of trust (the first one found wins; nothing is invented):

1. the outlet the input names (a JSONL `source`, the HTML page's site name);
2. the host of the article's URL (given, or a bare URL above the text);
3. a byline or copyright line the cleaner removed ("© RT DE 2022", "Kurier | 22.09.2025 | Von X");
4. the host of a URL in the declared sources (scrapes often end with the page's own
   link: "https://snanews.de/2022…/…html");
5. a named declared source ("Quelle: Al Jazeera"): the outlet the text comes from;
6. a layout signature in the removed boilerplate that only one outlet prints (RT's
   "5 Jan, 2022 22:10 / Updated 3 years ago" dateline, RT DE's "Mehr zum Thema" link
   row): a short, explicit list in `SIGNATURES`, extended as a data edit.

`outlet_evidence` says which rule decided, so a view can show how sure the outlet is.
The cleaner stores only the strong evidence (1-3) in `Article.source`: the reuse
stage reads `source` against other articles' declared sources to orient links, and a
declared source (4, 5) names where the text came from, which may be another outlet.
The narrative views use the whole chain (`article_outlet`).
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import urlparse

_URL = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
_COPYRIGHT = re.compile(r"^\s*(?:©|\(c\)|copyright)\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?\s*)?(?P<name>[^\d|©,;]{2,40}?)"
                        r"\s*(?:\d{4})?\s*(?:[.,;|].*)?$", re.IGNORECASE)
_BYLINE_PIPE = re.compile(r"^\s*(?P<name>[^\W\d][\w .&'-]{1,30}?)\s*\|\s*\d{1,2}[./]\d{1,2}[./]\d{2,4}")
# (pattern on a removed line, outlet): layouts that identify one outlet
SIGNATURES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^\d{1,2} [A-Z][a-z]{2}, \d{4} \d{2}:\d{2} / Updated\b"), "RT"),
    (re.compile(r"^Mehr zum Thema\s*[-–]?\s*\S"), "RT DE"),
]
_GENERIC = {"all rights reserved", "alle rechte vorbehalten", "все права защищены", "tous droits réservés"}


def host_of(url: str | None) -> str | None:
    """"rt.com" for "https://www.rt.com/news/…"; None for anything without a host."""
    if not url:
        return None
    match = _URL.search(url)
    if not match:
        return None
    try:
        host = urlparse(match.group(0)).hostname
    except ValueError:
        return None
    if not host or "." not in host:
        return None
    return host[4:] if host.startswith("www.") else host


def _byline(lines: Sequence[str]) -> str | None:
    for line in lines:
        if len(line.split()) > 12:
            continue
        for pattern in (_COPYRIGHT, _BYLINE_PIPE):
            match = pattern.match(line)
            if match:
                name = match.group("name").strip(" .-|")
                if len(name) >= 2 and name.casefold() not in _GENERIC and any(c.isalpha() for c in name):
                    return name
    return None


def outlet_evidence(source: str | None = None, url: str | None = None, declared_sources: Sequence[str] = (),
                    removed: Sequence[str] = (), weak: bool = True) -> tuple[str | None, str]:
    """(outlet, rule) from the article's metadata; (None, "none") when nothing names one.

    `weak=False` stops after the URL and byline rules (no declared sources, no signatures).
    """
    if source and source.strip():
        return source.strip(), "source"
    host = host_of(url)
    if host:
        return host, "url"
    name = _byline(removed)
    if name:
        return name, "byline"
    if not weak:
        return None, "none"
    for value in declared_sources:
        host = host_of(value)
        if host:
            return host, "declared url"
    for value in declared_sources:
        if value and value.strip() and not host_of(value):
            return value.strip(), "declared source"
    for line in removed:
        for pattern, name in SIGNATURES:
            if pattern.match(line):
                return name, "layout signature"
    return None, "none"


def infer_outlet(source: str | None = None, url: str | None = None, declared_sources: Sequence[str] = (),
                 removed: Sequence[str] = (), weak: bool = True) -> str | None:
    """The outlet name (see the module docstring for the order of evidence)."""
    return outlet_evidence(source, url, declared_sources, removed, weak)[0]


def article_outlet(article: object) -> str | None:
    """The outlet of a stored Article (re-derived, so articles cleaned before this rule get one too)."""
    return infer_outlet(getattr(article, "source", None), getattr(article, "url", None),
                        getattr(article, "declared_sources", None) or (), getattr(article, "removed", None) or ())
