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
_SENTENCE_END = re.compile(r"[.!?\n]")


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


def has_lead(article: Article) -> bool:
    """True when the article has body text beyond its title (not a titles-only record)."""
    title = _SPACE.sub(" ", article.title or "").strip()
    return embed_text(article, 1) != title


def time_text(article: Article, limit: int = 4000) -> str:
    """The text time expressions are read from: title, the start of the body, the lines
    cleaning removed and the links (datelines and dated links are often among those)."""
    extra = "\n".join([*(article.removed or []), article.url or "", *(article.declared_sources or [])])
    return f"{article.title or ''}\n{(article.text or '')[:limit]}\n{extra[:limit]}"


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
    matches = list(_WORD.finditer(text))
    words = [m.group(0) for m in matches]
    for index, word in enumerate(words):
        has_digit = any(ch.isdigit() for ch in word)
        # a sentence's first word is a name only when a capitalised word follows ("Rui Hachimura")
        initial = index == 0 or _SENTENCE_END.search(text, matches[index - 1].end(), matches[index].start()) is not None
        capital = word[0].isupper() and (not initial or (index + 1 < len(words) and words[index + 1][0].isupper()))
        if not (has_digit or capital):
            continue
        key = unidecode(word).lower().replace(",", ".")
        key = re.sub(r"[^a-z0-9.]", "", key)
        if len(key) >= min_len or (has_digit and key):
            out.append(key)
    return sorted(set(out))


def names(text: str, min_len: int = 3) -> list[str]:
    """Words of name phrases: runs of two or more capitalised words inside a sentence
    ("Jen Psaki", "Antony Blinken", "Weißen Hauses"), transliterated like `keys`.

    A sentence's first word is left out (capitalised for grammar, not as a name). These
    are the people, places and bodies a report is about; two reports of one event name
    at least one of the same."""
    out: set[str] = set()
    matches = list(_WORD.finditer(text))
    run: list[str] = []
    ends: list[re.Match[str] | None] = [*matches, None]  # None flushes the last run
    for index, match in enumerate(ends):
        word = match.group(0) if match is not None else ""
        gap = text[matches[index - 1].end():match.start()] if index and match is not None else ""
        initial = index == 0 or (match is not None and _SENTENCE_END.search(gap) is not None)
        joined = not gap.strip(" -\u00a0")  # a comma, colon or quote ends a name phrase
        if match is not None and word[0].isupper() and not initial and not word[0].isdigit() and (joined or not run):
            run.append(word)
            continue
        if len(run) >= 2:
            for part in run:
                key = re.sub(r"[^a-z0-9]", "", unidecode(part).lower())
                if len(key) >= min_len:
                    out.add(key)
        run = [word] if match is not None and word[:1].isupper() and not initial and not word[0].isdigit() else []
    return sorted(out)


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
