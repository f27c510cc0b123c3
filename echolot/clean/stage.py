"""The clean stage: from a RawDocument to a clean Article (body text, title, date, outlet, declared sources).

The steps, in order (each one small and in its own module):

    0. limits          input cut to ingest.max_html_chars / a multiple of max_article_chars (clean/limits.py)
    1. main text       HTML through trafilatura (clean/html.py); text as given
    2. normalise       Unicode NFC, invisible characters, one line per paragraph
    3. zones           top / body / bottom, relative to the first and last real sentence
    4. sources         "Quelle: …", "via …", trailing URLs -> declared_sources (clean/sources.py)
    5. boilerplate     share rows, breadcrumbs, ads, cookies, … -> removed (clean/boilerplate.py)
    6. dateline        "5 Jan, 2022 22:10 / Updated …" -> published (clean/dates.py)
    7. title           the input's, else the first line when it looks like a headline
    8. limits          lines over max_line_chars split; text cut to max_article_chars and max_sentences
    9. id              content hash of text, title and URL or external id

Metadata given by the input (a JSONL record, HTML meta tags, a feed) always wins
over what is guessed from the text; nothing is ever invented.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Any
from urllib.parse import urlparse

from echolot.clean.boilerplate import Line, assign_zones, find_boilerplate, make_line
from echolot.clean.dates import find_dates, normalise_date
from echolot.clean.html import extract_page, fragment_to_text
from echolot.clean.outlet import infer_outlet
from echolot.clean.limits import LimitError, cap_article, cap_input, split_long_lines
from echolot.clean.sources import declared_source
from echolot.ids import content_id
from echolot.model import Article, RawDocument
from echolot.settings import Settings

__all__ = ["CleanError", "CleanedText", "clean", "clean_text", "normalise_text"]

_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_URL_ONLY = re.compile(r"^\s*<?https?://\S+>?\s*$", re.IGNORECASE)
_TITLE_BAD_END = re.compile(r"[.,;:]\s*$")


class CleanError(ValueError):
    """The document is unusable (empty, only boilerplate, too short); the message says why."""


class CleanedText:
    """What the line rules made of a text: kept lines and everything moved out of them."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.removed: list[str] = []
        self.reasons: list[str] = []
        self.declared_sources: list[str] = []
        self.title: str | None = None
        self.published: str | None = None
        self.own_url: str | None = None  # a bare URL above the article: where it was scraped from

    def drop(self, line: str, reason: str) -> None:
        self.removed.append(line)
        self.reasons.append(reason)


def normalise_text(text: str) -> list[str]:
    """Non-empty lines, NFC, without invisible or control characters, spaces collapsed."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _CONTROL.sub("", _INVISIBLE.sub("", text))
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return [line for line in lines if line]


def clean_text(text: str, title: str | None = None, guess_title: bool = True,
               guess_date: bool = True, title_max_chars: int = 250, drop_repeated_title: bool = True,
               max_line_chars: int = 0, notes: list[str] | None = None) -> CleanedText:
    """Apply the line rules (steps 2-7) to a plain text.

    `drop_repeated_title`: a first line equal to the given title is a duplicate of it
    (scrapes repeat the headline); off for records, whose text is what the user gave.
    `max_line_chars` (> 0): longer lines are split first (a note goes to `notes`), so no
    rule ever runs over one huge line.
    """
    out = CleanedText()
    lines = [make_line(t) for t in split_long_lines(normalise_text(text), max_line_chars, notes)]
    assign_zones(lines)
    sources = _take_sources(lines, out)
    boiler = find_boilerplate(lines, after_removed=sources)
    kept = [line for i, line in enumerate(lines) if i not in boiler and i not in sources]
    for i, reason in sorted(boiler.items()):
        out.drop(lines[i].text, reason)
    if guess_date:
        kept = _take_dateline(kept, out)
        if out.published is None:  # a byline with the date may have gone as boilerplate
            _date_from_dropped(lines, boiler, out)
    out.title = title
    kept = _take_title(kept, out, guess_title, title_max_chars, drop_repeated_title)
    out.lines = [line.text for line in kept]
    return out


def _take_sources(lines: list[Line], out: CleanedText) -> set[int]:
    """Indices of declared-source lines; their values go to `out.declared_sources`."""
    taken: set[int] = set()
    for i, line in enumerate(lines):
        if line.zone == "body" and _URL_ONLY.match(line.text):
            continue  # a link inside the article is not a source line
        if line.zone == "top" and i < 4 and _URL_ONLY.match(line.text):
            # scrapers put the page's own address above the text; a source is named below it
            out.own_url = out.own_url or line.text.strip().strip("<>")
            out.drop(line.text, "own URL")
            taken.add(i)
            continue
        value = declared_source(line.text, footer=line.zone == "bottom")
        if value is not None:
            out.declared_sources.append(value)
            taken.add(i)
    return taken


def _take_dateline(lines: list[Line], out: CleanedText) -> list[Line]:
    """Use the first date in a short line near the top or bottom; drop the line if it is only a dateline."""
    edge = {id(line) for line in lines[:5] + lines[-3:] if line.zone != "body" or line.n_words <= 12}
    for line in lines:
        if id(line) not in edge or line.n_words > 16:
            continue
        dates = find_dates(line.text)
        if not dates:
            continue
        iso, start, end = dates[0]
        out.published = out.published or iso
        rest = (line.text[:start] + " " + line.text[end:]).strip()
        if len(rest.split()) <= 6 and not line.sentence_end:
            out.drop(line.text, "dateline")
            return [other for other in lines if other is not line]
        return lines
    return lines


def _date_from_dropped(lines: list[Line], dropped: dict[int, str], out: CleanedText) -> None:
    """Take the date of a short removed line at the top or bottom ("Kurier | 22.09.2025 | Von X")."""
    edge = set(range(min(5, len(lines)))) | set(range(max(0, len(lines) - 3), len(lines)))
    for i in sorted(dropped):
        if i in edge and lines[i].n_words <= 16:
            dates = find_dates(lines[i].text)
            if dates:
                out.published = dates[0][0]
                return


def _same(a: str, b: str) -> bool:
    norm = lambda s: re.sub(r"\W+", " ", s.casefold()).strip()  # noqa: E731
    return norm(a) == norm(b)


def _looks_like_title(line: Line, max_chars: int) -> bool:
    return (2 <= line.n_words <= 30 and len(line.text) <= max_chars
            and not _TITLE_BAD_END.search(line.text))


def _take_title(lines: list[Line], out: CleanedText, guess: bool, max_chars: int,
                drop_repeated: bool) -> list[Line]:
    if not lines:
        return lines
    first = lines[0]
    if out.title:
        if drop_repeated and len(lines) > 1 and _same(first.text, out.title):
            out.drop(first.text, "title repeated in the body")
            return lines[1:]
        return lines
    if guess and len(lines) > 1 and first.zone != "bottom" and _looks_like_title(first, max_chars):
        out.title = first.text
        return lines[1:]
    return lines


def _host(url: str | None) -> str | None:
    if not url:
        return None
    host = urlparse(url).hostname
    if not host:
        return None
    return host[4:] if host.startswith("www.") else host


def clean(raw: RawDocument, settings: Settings) -> Article:
    """Turn one raw document into an Article, or raise CleanError saying why it is unusable."""
    options = settings.ingest
    meta: dict[str, Any] = dict(raw.meta)
    notes: list[str] = list(meta.pop("notes", None) or [])
    title, published, source, url = raw.title, normalise_date(raw.published), raw.source, raw.url
    try:
        text = cap_input(raw.body, raw.kind, options, notes)
    except LimitError as exc:
        raise CleanError(str(exc)) from None
    if raw.kind == "html" and raw.meta.get("fragment"):
        text = fragment_to_text(text)
    elif raw.kind == "html":
        page = extract_page(text, url=raw.url, favor=options.html_favor)
        if page is None:
            raise CleanError("no main text found in the HTML page")
        text = page.text
        title = title or page.title
        published = published or normalise_date(page.date)
        url = url or page.url
        source = source or page.sitename
        if page.author:
            meta["author"] = page.author
    if not text.strip():
        raise CleanError("empty text")
    is_record = bool(raw.meta.get("record"))
    guess_title = not raw.meta.get("title_declared") and raw.kind != "html"
    cleaned = clean_text(text, title=title, guess_title=guess_title, guess_date=published is None,
                         title_max_chars=options.title_max_chars, drop_repeated_title=not is_record,
                         max_line_chars=options.max_line_chars, notes=notes)
    if not cleaned.lines:
        if not is_record:
            raise CleanError("only boilerplate, no article text")
        # a record's text is what the user gave; keep it
        cleaned.lines = split_long_lines(normalise_text(text), options.max_line_chars, None)
        cleaned.removed, cleaned.reasons = [], []
    url = url or cleaned.own_url
    body = cap_article("\n\n".join(cleaned.lines), options, notes)
    minimum = options.min_chars_record if is_record else options.min_chars
    if len(body) < minimum:
        raise CleanError(f"too short ({len(body)} characters < {minimum})")
    if raw.lang:
        meta["declared_lang"] = raw.lang
    meta.pop("record", None)
    meta.pop("title_declared", None)
    if cleaned.reasons:
        meta["removed_reasons"] = cleaned.reasons
    if notes:
        meta["notes"] = notes
    return Article(
        id=content_id(body, cleaned.title, url, raw.external_id), text=body, title=cleaned.title,
        published=published or cleaned.published, url=url,
        source=infer_outlet(source, url, removed=cleaned.removed, weak=False),
        declared_sources=cleaned.declared_sources, origin=raw.origin, external_id=raw.external_id,
        removed=cleaned.removed, meta=meta,
    )
