"""Declared sources ("Quelle: Al Jazeera", a trailing snanews.de URL) matched to stored articles and outlets.

Cleaning moves declared-source lines into `Article.declared_sources` as plain strings
(an outlet name or a URL). Here they become comparable keys: a URL is compared
without scheme, "www.", query and trailing slash; an outlet name is folded to ASCII
letters and digits, so "РИА Новости", "RIA Novosti" and "ria-novosti" meet, and a
host's first label ("aljazeera" of aljazeera.com) meets the name "Al Jazeera".
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlparse

from unidecode import unidecode

from echolot.clean.sources import attributions
from echolot.model import Article

_URLISH = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)
_HOSTISH = re.compile(r"^[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}$", re.IGNORECASE)
_GENERIC_HOST_LABELS = {"www", "m", "amp", "news", "de", "en", "ru", "fr", "com", "org", "net"}


@dataclass(frozen=True)
class DeclaredSource:
    """One declared source: what the article said, and the keys it can be matched by."""

    value: str  # as declared ("Al Jazeera", "https://snanews.de/…")
    name: str  # outlet name or host, for display
    url: str | None  # full URL when one was declared
    keys: frozenset[str]  # folded outlet names / hosts
    url_key: str | None  # normalised URL

    @property
    def node_id(self) -> str:
        """Stable id of the external node this source becomes when it is not in the store."""
        return "ext:" + (self.url_key or min(self.keys, default="") or fold(self.value))


def fold(name: str) -> str:
    """Outlet name folded to lowercase ASCII letters and digits ("Al Jazeera" -> "aljazeera")."""
    return re.sub(r"[^a-z0-9]", "", unidecode(name or "").lower())


def url_key(url: str | None) -> str | None:
    """A URL without scheme, "www.", query, fragment and trailing slash, lowercased host."""
    if not url:
        return None
    text = url.strip()
    if not re.match(r"^[a-z]+://", text, re.IGNORECASE):
        text = "http://" + text
    parsed = urlparse(text)
    host = (parsed.hostname or "").lower()
    if not host:
        return None
    host = host[4:] if host.startswith("www.") else host
    return host + parsed.path.rstrip("/")


def host_of(url: str | None) -> str | None:
    key = url_key(url)
    return key.split("/", 1)[0] if key else None


def _host_keys(host: str) -> set[str]:
    """A host and its distinctive label: "snanews.de" -> {"snanewsde", "snanews"}."""
    labels = [l for l in host.split(".")[:-1] if l not in _GENERIC_HOST_LABELS]
    return {fold(host)} | {fold(l) for l in labels if len(fold(l)) >= 3}


def parse(value: str) -> DeclaredSource:
    """The keys of one declared-source string."""
    text = value.strip().strip("<>").rstrip(".,;")
    if _URLISH.match(text) or _HOSTISH.match(text):
        key = url_key(text)
        host = host_of(text) or text
        is_page = bool(key and "/" in key)
        return DeclaredSource(value, host, text if is_page else None, frozenset(_host_keys(host)),
                              key if is_page else None)
    keys = {fold(text)} if fold(text) else set()
    return DeclaredSource(value, text, None, frozenset(keys), None)


def outlet_keys(article: Article) -> set[str]:
    """Keys naming the article's outlet: its source name and its URL's host."""
    keys = set()
    if article.source:
        keys.add(fold(article.source))
        host = host_of(article.source) if _HOSTISH.match(article.source.strip()) else None
        if host:
            keys |= _host_keys(host)
    host = host_of(article.url)
    if host:
        keys |= _host_keys(host)
    return {k for k in keys if len(k) >= 2}


def match(source: DeclaredSource, article: Article) -> str | None:
    """How `article` is the declared `source` ("its URL", "its outlet"), or None when it is not."""
    if source.url_key and source.url_key == url_key(article.url):
        return "its URL"
    if source.url_key and article.url:
        return None  # a declared page and a different page of maybe the same outlet: not this article
    if source.keys & outlet_keys(article):
        return "its outlet"
    return None


def declared(article: Article) -> list[DeclaredSource]:
    """The article's declared sources, parsed, without duplicates and without the article itself."""
    out: list[DeclaredSource] = []
    seen: set[str] = set()
    for value in article.declared_sources or []:
        if not value or not value.strip():
            continue
        source = parse(value)
        if source.node_id in seen or match(source, article) == "its URL":
            continue
        seen.add(source.node_id)
        out.append(source)
    return out


@lru_cache(maxsize=4096)
def _cited(text: str) -> tuple[DeclaredSource, ...]:
    return tuple(parse(name) for name in attributions(text))


def cited(article: Article) -> list[DeclaredSource]:
    """Outlets the text attributes its information to ("…, so TASS.", "according to Reuters"): matched
    against stored outlets only, never shown as external nodes (a name in running text may be a person)."""
    return list(_cited(article.text))


def declares(a: Article, b: Article) -> str | None:
    """Why `a` declares `b` as its source ("… names its outlet"), or None."""
    if a.id == b.id:
        return None
    own = outlet_keys(a)
    for source in declared(a):
        how = match(source, b)
        if how == "its outlet" and source.keys & own:
            continue  # the article names its own outlet (a "Quelle: RT" line on RT)
        if how:
            return f"{a.id} declares {source.value!r} as its source, which is {b.id}'s {how[4:]}"
    for source in cited(a):
        if source.keys & own:
            continue
        if match(source, b) == "its outlet":
            return f"{a.id} attributes its report to {source.value!r}, which is {b.id}'s outlet"
    return None
