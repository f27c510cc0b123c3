"""Main text and metadata of a web page (trafilatura), and plain text of feed fragments.

trafilatura does the heavy lifting; we only choose its settings (comments off,
because reader comments are not the article), keep the metadata it reads from the
page (title, date, site name, canonical URL), and turn its output into lines that
the same boilerplate rules as for plain scrapes can clean further.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_BLOCK_TAGS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "section",
               "article", "header", "footer", "ul", "ol", "table", "pre", "figure", "figcaption"}


@dataclass
class PageExtract:
    text: str
    title: str | None = None
    date: str | None = None
    sitename: str | None = None
    url: str | None = None
    author: str | None = None


def extract_options(favor: str = "balanced") -> dict[str, Any]:
    """The trafilatura options echolot extracts with (also given to the baseline in `eval extraction`):
    no comments (reader comments are not the article), tables kept, the configured precision/recall balance."""
    return {"include_comments": False, "include_tables": True,
            "favor_precision": favor == "precision", "favor_recall": favor == "recall"}


def extract_page(html: str, url: str | None = None, favor: str = "balanced") -> PageExtract | None:
    """Main text and metadata of `html`, or None when trafilatura finds no main text."""
    import trafilatura

    doc = trafilatura.bare_extraction(
        html, url=url, with_metadata=True,
        date_extraction_params={"extensive_search": False, "original_date": True},
        **extract_options(favor),
    )
    if doc is None:
        return None
    data = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    text = data.get("text") or ""
    if not text.strip():
        return None
    return PageExtract(
        text=text, title=_clean(data.get("title")), date=_clean(data.get("date")),
        sitename=_clean(data.get("sitename")), url=_clean(data.get("url")), author=_clean(data.get("author")),
    )


def _clean(value: Any) -> str | None:
    if value is None:
        return None
    text = re.sub(r"\s+", " ", str(value)).strip()
    return text or None


def fragment_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment (a feed entry's content), one line per block element."""
    import lxml.html
    from lxml import etree

    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return re.sub(r"<[^>]+>", " ", fragment)
    for bad in root.xpath("//script|//style|//noscript|//iframe"):
        bad.drop_tree()
    parts: list[str] = []

    def walk(node: Any) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag.lower() in _BLOCK_TAGS:
            parts.append("\n")
        if node.text and tag:
            parts.append(node.text)
        for child in node:
            walk(child)
        if tag.lower() in _BLOCK_TAGS:
            parts.append("\n")
        if node.tail:
            parts.append(node.tail)

    walk(root)
    return "".join(parts)
