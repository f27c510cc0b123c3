"""Declared source lines: "Quelle: Al Jazeera", "Source: Reuters", "via RT", "Источник: ТАСС", a trailing URL.

They are provenance evidence, not article text: the reuse stage reads them to
orient a link (the article that names its source is the copy). So they move from
the body into `Article.declared_sources`.
"""
from __future__ import annotations

import re

_LABELS = (
    r"quelle|quellen|source|sources|источник|источники|по материалам|fuente|fonte|źródło|zrodlo|bron|kilde"
    r"|originalartikel|original article|article original|оригинал|original|erstveröffentlichung|first published"
    r"|mit material von|with material from|with reporting by|übersetzt aus|translated from|traduit de"
)
_LABELLED = re.compile(rf"^\s*[(\[]?\s*(?:{_LABELS})\s*(?::|-|–|—)\s*(?P<value>.+?)\s*[)\]]?\s*[.;]?\s*$",
                       re.IGNORECASE)
_BARE_LABEL = re.compile(r"^\s*(?:mit material von|по материалам|with reporting by|with material from)\s+(?P<value>.+?)\s*\.?$",
                         re.IGNORECASE)
_VIA = re.compile(r"^\s*[(\[]?\s*via\s*:?\s+(?P<value>\S.*?)\s*[)\]]?\s*$", re.IGNORECASE)
_URL = re.compile(r"^\s*<?(?P<value>https?://\S+?)>?\s*$", re.IGNORECASE)
_CREDIT = re.compile(r"^\s*(?:(?P<value>[^\W\d_]{2,12}(?:/[^\W\d_]{2,12})+)|\((?P<paren>[^\W\d_]{2,12}(?:/[^\W\d_]{2,12})*)\))\s*$")
_MAX_WORDS = 14


def declared_source(line: str, footer: bool = False) -> str | None:
    """The source named by a declared-source line, or None when the line is something else.

    `footer`: the line is below the article, where a bare agency credit ("dpa/AFP",
    "(Reuters)") names the source too.
    """
    if len(line.split()) > _MAX_WORDS + 2:
        return None
    if footer:
        credit = _CREDIT.match(line)
        if credit:
            return credit.group("value") or credit.group("paren")
    for pattern, max_words in ((_URL, 1), (_LABELLED, _MAX_WORDS), (_BARE_LABEL, 8), (_VIA, 6)):
        match = pattern.match(line)
        if match and len(match.group("value").split()) <= max_words:
            value = match.group("value").strip().rstrip(".,;")
            if value and any(ch.isalnum() for ch in value):
                return value
    return None


# In-text attributions ("…, so TASS.", "… according to Reuters.", "по данным РИА Новости"): the sentence
# stays in the text; the name is only a hint that the reuse stage matches against stored outlets.
_NAME = r"(?P<value>[A-ZА-ЯЁІЇЄ][\w&'’-]*(?:\s+[A-ZА-ЯЁІЇЄ][\w&'’-]*){0,2})"
_ATTRIBUTIONS = [re.compile(p) for p in (
    rf",\s+(?:so|berichtet|meldet|schreibt)\s+(?:die\s+\w+\s+|der\s+\w+\s+|das\s+\w+\s+)?{_NAME}\s*[.!?]",
    rf"\b(?:[Aa]ccording to|[Aa]s reported by|[Ss]elon|[Dd]'après|[Ll]aut)\s+{_NAME}\s*[.,;!?]",
    rf"(?:[Пп]о данным|[Пп]о сообщению|[Кк]ак сообщает|[Кк]ак сообщил[оа]?|[Сс]ообщает|[Зз]а даними|[Яя]к повідомляє)\s+"
    rf"(?:агентство\s+|агенція\s+|издание\s+|видання\s+)?{_NAME}",
)]


def attributions(text: str, limit: int = 10) -> list[str]:
    """Outlet-like names the text attributes its information to, in order of first mention."""
    out: list[str] = []
    for pattern in _ATTRIBUTIONS:
        for match in pattern.finditer(text):
            value = match.group("value").strip(".,;’'")
            if value and value not in out and len(value) >= 2:
                out.append(value)
    return out[:limit]
