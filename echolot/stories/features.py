"""What the clusterer sees of an article: the text to embed, name/number keys, a time.

Titles and leads carry the event; bodies drift into background, so only the title
and the first characters of the text are embedded. Names and numbers are the
strongest cross-language evidence a title gives ("Teddy Riner", "+100kg", "15.4"),
so they are extracted as keys after transliteration (unidecode), which lets
"Тедди Ринер" and "Teddy Riner" share at least the Latin-script spellings of
numbers and many names.
"""
from __future__ import annotations

import re
from datetime import datetime, UTC

from unidecode import unidecode

from echolot.model import Article

_WORD = re.compile(r"\w+(?:[.,]\d+)*", re.UNICODE)
_SPACE = re.compile(r"\s+")


def embed_text(article: Article, lead_chars: int) -> str:
    """Title plus the start of the body (or the body alone when there is no title).

    Corpora of titles only repeat the title as text; embedding it twice would only
    waste time, so a text equal to the title adds nothing.
    """
    title = _SPACE.sub(" ", article.title or "").strip()
    body = _SPACE.sub(" ", article.text or "").strip()
    if title and (not body or body == title or (body.startswith(title) and len(body) <= len(title) + 3)):
        return title
    lead = _cut(body[len(title):].strip() if title and body.startswith(title) else body, lead_chars)
    return f"{title}. {lead}" if title and lead else (title or lead)


def _cut(text: str, limit: int) -> str:
    """Cut at the last word boundary before `limit`, so no half word is embedded."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    return cut[:space] if space > limit // 2 else cut


def keys(text: str, min_len: int = 3) -> list[str]:
    """Name and number keys of `text`, transliterated and lower-cased.

    A key is a word written with a capital letter (not only because it starts the
    sentence) or a token with a digit. Scripts without case (Arabic, Chinese) give
    only numbers; the vector carries those languages.
    """
    out: list[str] = []
    words = [m.group(0) for m in _WORD.finditer(text)]
    for index, word in enumerate(words):
        has_digit = any(ch.isdigit() for ch in word)
        # the first word is a name only when a capitalised word follows ("Rui Hachimura")
        capital = word[0].isupper() and (index > 0 or (len(words) > 1 and words[1][0].isupper()))
        if not (has_digit or capital):
            continue
        key = unidecode(word).lower().replace(",", ".")
        key = re.sub(r"[^a-z0-9.]", "", key)
        if len(key) >= min_len or (has_digit and key):
            out.append(key)
    return sorted(set(out))


def parse_time(published: str | None) -> float | None:
    """Days since the Unix epoch (UTC assumed when no zone is given), or None."""
    if not published:
        return None
    text = published.strip().replace("Z", "+00:00")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        try:
            moment = datetime.fromisoformat(text[:10])
        except ValueError:
            return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp() / 86400.0


def format_time(days: float | None) -> str | None:
    """Inverse of `parse_time` for display (ISO 8601, UTC, minutes)."""
    if days is None:
        return None
    return datetime.fromtimestamp(days * 86400.0, tz=UTC).strftime("%Y-%m-%dT%H:%M")
