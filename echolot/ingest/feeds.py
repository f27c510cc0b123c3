"""RSS/Atom feeds and sitemaps, from a file or a URL; URLs fetched only when the user gives one.

A feed entry becomes an article from its own content (or summary), so a feed file
works offline. The pages entries or sitemaps link to are fetched only with
`follow=True` (`echolot ingest --follow`), because that means network traffic the
user must ask for.
"""
from __future__ import annotations

import time
import urllib.error
import urllib.request
from typing import Any
from collections.abc import Iterator
from urllib.parse import urlparse

from echolot.ingest.decode import DecodeError, decode_document_text
from echolot.model import RawDocument, Rejection

USER_AGENT = "echolot/0.1 (+news provenance research)"


def is_url(path: str) -> bool:
    return urlparse(path).scheme in {"http", "https"}


def fetch(url: str, max_bytes: int, timeout: float) -> tuple[bytes, str]:
    """GET `url`, refusing bodies over `max_bytes`; returns (bytes, content type)."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        length = response.headers.get("Content-Length")
        if length and length.isdigit() and int(length) > max_bytes:
            raise ValueError(f"too large ({int(length):,} bytes > ingest.max_bytes {max_bytes:,})")
        data = response.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise ValueError(f"too large (> ingest.max_bytes {max_bytes:,})")
        return data, response.headers.get("Content-Type", "")


def fetch_error(exc: Exception) -> str:
    """One line for a failed download."""
    if isinstance(exc, urllib.error.HTTPError):
        return f"download failed: HTTP {exc.code}"
    if isinstance(exc, urllib.error.URLError):
        return f"download failed: {exc.reason}"
    return f"download failed: {exc}"


def is_sitemap(head: bytes) -> bool:
    lowered = head[:4096].lower()
    return b"<urlset" in lowered or b"<sitemapindex" in lowered


def _iso(parsed: Any) -> str | None:
    if not parsed:
        return None
    try:
        return time.strftime("%Y-%m-%dT%H:%M:%S", parsed)
    except (TypeError, ValueError):
        return None


def _entry_body(entry: Any) -> tuple[str | None, bool]:
    """(content, is_html): the longest of an entry's content blocks and its summary."""
    blocks = [(c.get("value") or "", c.get("type") or "") for c in entry.get("content") or []]
    if entry.get("summary"):
        detail = entry.get("summary_detail") or {}
        blocks.append((entry["summary"], detail.get("type") or "text/html"))
    blocks = [b for b in blocks if b[0].strip()]
    if not blocks:
        return None, False
    value, kind = max(blocks, key=lambda b: len(b[0]))
    return value, "html" in kind or "<" in value


def read_feed(data: bytes, origin: str, follow: bool, max_bytes: int,
              timeout: float) -> Iterator[RawDocument | Rejection]:
    """Entries of an RSS/Atom document; with `follow`, the linked pages instead of the summaries."""
    import feedparser

    parsed = feedparser.parse(data)
    if not parsed.entries:
        problem = parsed.get("bozo_exception")
        yield Rejection(origin, f"feed has no entries{f' ({problem})' if problem else ''}")
        return
    feed_title = (parsed.feed.get("title") or "").strip() or None
    for number, entry in enumerate(parsed.entries, start=1):
        link = entry.get("link")
        entry_origin = f"{origin}#{number}" + (f" ({link})" if link else "")
        published = _iso(entry.get("published_parsed") or entry.get("updated_parsed"))
        title = (entry.get("title") or "").strip() or None
        source = feed_title or (urlparse(link).hostname if link else None)
        if follow and link and is_url(link):
            yield from fetch_page(link, entry_origin, max_bytes, timeout, title=title,
                                  published=published, source=source)
            continue
        body, is_html = _entry_body(entry)
        if body is None:
            yield Rejection(entry_origin, "feed entry has no content or summary (use --follow to fetch the page)")
            continue
        yield RawDocument(origin=entry_origin, body=body, kind="html" if is_html else "text", title=title,
                          published=published, source=source, url=link,
                          external_id=entry.get("id"), meta={"fragment": is_html, "feed": origin})


def read_sitemap(data: bytes, origin: str, follow: bool, max_bytes: int,
                 timeout: float) -> Iterator[RawDocument | Rejection]:
    """Pages (or nested sitemaps) listed in a sitemap; fetched only with `follow`."""
    from lxml import etree

    try:
        root = etree.fromstring(data, parser=etree.XMLParser(recover=True, resolve_entities=False))
    except etree.XMLSyntaxError as exc:
        yield Rejection(origin, f"unreadable sitemap ({exc})")
        return
    if root is None:
        yield Rejection(origin, "unreadable sitemap (no XML root)")
        return
    nested = etree.QName(root).localname == "sitemapindex"
    entries = []
    for node in root:
        if not isinstance(node.tag, str):
            continue
        fields = {etree.QName(child).localname: (child.text or "").strip()
                  for child in node.iter() if isinstance(child.tag, str)}
        if fields.get("loc"):
            entries.append(fields)
    if not entries:
        yield Rejection(origin, "sitemap lists no pages")
        return
    if not follow:
        what = "sitemaps" if nested else "pages"
        yield Rejection(origin, f"sitemap lists {len(entries)} {what}; pass --follow to download them")
        return
    for fields in entries:
        url = fields["loc"]
        if not is_url(url):
            yield Rejection(f"{origin} ({url})", "sitemap entry is not an http(s) URL")
        elif nested:
            yield from read_url(url, follow=True, max_bytes=max_bytes, timeout=timeout)
        else:
            yield from fetch_page(url, f"{origin} ({url})", max_bytes, timeout,
                                  title=fields.get("title") or None,
                                  published=fields.get("publication_date") or None)


def fetch_page(url: str, origin: str, max_bytes: int, timeout: float, **known: Any
               ) -> Iterator[RawDocument | Rejection]:
    """Download one web page as an HTML document; `known` metadata (from a feed) wins."""
    try:
        data, content_type = fetch(url, max_bytes, timeout)
        decoded = decode_document_text(data, _charset(content_type))
    except (OSError, ValueError, urllib.error.URLError) as exc:
        yield Rejection(origin, str(exc) if isinstance(exc, DecodeError) else fetch_error(exc))
        return
    kind = "text" if "text/plain" in content_type.lower() else "html"
    yield RawDocument(origin=origin, body=decoded.text, kind=kind, url=url,
                      meta={"notes": decoded.notes} if decoded.notes else {},
                      **{k: v for k, v in known.items() if v})


def _charset(content_type: str) -> str | None:
    lowered = content_type.lower()
    return lowered.split("charset=", 1)[1].split(";")[0].strip() if "charset=" in lowered else None


def read_url(url: str, follow: bool, max_bytes: int, timeout: float) -> Iterator[RawDocument | Rejection]:
    """A user-given URL: a feed, a sitemap, or a single web page."""
    try:
        data, content_type = fetch(url, max_bytes, timeout)
    except (OSError, ValueError, urllib.error.URLError) as exc:
        yield Rejection(url, fetch_error(exc))
        return
    head = data[:4096].lower()
    if is_sitemap(head):
        yield from read_sitemap(data, url, follow, max_bytes, timeout)
    elif b"<rss" in head or b"<feed" in head or b"<rdf" in head or ("xml" in content_type.lower() and b"<html" not in head):
        yield from read_feed(data, url, follow, max_bytes, timeout)
    else:
        try:
            decoded = decode_document_text(data, _charset(content_type))
        except DecodeError as exc:
            yield Rejection(url, str(exc))
            return
        kind = "text" if "text/plain" in content_type.lower() else "html"
        yield RawDocument(origin=url, body=decoded.text, kind=kind, url=url,
                          meta={"notes": decoded.notes} if decoded.notes else {})
