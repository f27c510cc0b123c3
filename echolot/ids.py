"""Content-hash article ids.

An id is derived from what the article *is* (its normalised text and title, plus
its URL or the input's own id when given), so re-ingesting the same input is a
no-op, while the same text published at two URLs stays two articles (a reprint).
"""
from __future__ import annotations

import re

import xxhash

_WS = re.compile(r"\s+")


def normalise(text: str | None) -> str:
    return _WS.sub(" ", text or "").strip()


def content_id(text: str, title: str | None = None, url: str | None = None,
               external_id: str | None = None) -> str:
    """16 hex characters, stable across runs and machines."""
    key = "\x00".join((url or external_id or "", normalise(title), normalise(text)))
    return xxhash.xxh3_128_hexdigest(key.encode("utf-8"))[:16]
