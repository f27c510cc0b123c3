"""Claim detection: sentences that accuse, deny, assert or attribute, with actor and target.

Cue verbs find the claim; entities around the cue give the actor (the last name
before the cue, or the speaker of the quote the sentence sits in) and, for
accusations, the target (the first name after the cue). Entities come from the
entities stage's mentions when the store has them, else from NER run on the claim
sentences only (cheap: few sentences carry cues), else from a capitalisation guess.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from collections.abc import Callable, Sequence

from echolot.model import Article
from echolot.narratives import cues

Span = tuple[int, int, str]  # start, end, type (sentence-relative)
Recognizer = Callable[[str, str | None], Sequence[tuple[int, int, str]]]
_CAPS = re.compile(r"\b(?:[A-ZÄÖÜА-ЯЁ][\w\-]+)(?:\s+[A-ZÄÖÜА-ЯЁ][\w\-]+)*", re.UNICODE)


@dataclass
class Claim:
    """One claim-bearing sentence of an article."""

    sentence_index: int | None  # None: the title
    text: str
    kind: str  # accuse | deny | assert | attribute
    cue: str
    actor: str | None = None
    target: str | None = None
    in_quote: bool = False
    speaker: str | None = None


def _first(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    return pattern.search(text)


def classify(text: str) -> tuple[str, re.Match[str]] | None:
    """The strongest claim cue in `text`: deny > accuse > assert (distancing) > attribute."""
    for kind, pattern in (("deny", cues.RE_DENY), ("accuse", cues.RE_ACCUSE),
                          ("assert", cues.RE_DISTANCE), ("attribute", cues.RE_ATTRIBUTE)):
        match = _first(pattern, text)
        if match:
            return kind, match
    return None


def quoted_share(text: str) -> float:
    """Share of characters inside quotation marks: a mostly-quoted sentence is someone else's voice."""
    inside, depth, total = 0, False, 0
    for ch in text:
        if ch in "\"“”„«»":
            depth = not depth
            continue
        total += 1
        if depth:
            inside += 1
    return inside / total if total else 0.0


def _caps_entities(text: str) -> list[Span]:
    """Capitalised word runs not at the sentence start: a last-resort entity guess."""
    out = []
    for match in _CAPS.finditer(text):
        if match.start() == 0 and " " not in match.group(0):
            continue
        out.append((match.start(), match.end(), "MISC"))
    return out


def _actor_target(text: str, cue: re.Match[str], spans: Sequence[Span]) -> tuple[str | None, str | None]:
    ents = [(s, e, t) for s, e, t in spans if t in {"PER", "ORG", "LOC", "MISC"}]
    before = [text[s:e] for s, e, _ in ents if e <= cue.start()]
    after = [text[s:e] for s, e, _ in ents if s >= cue.end()]
    actor = before[-1] if before else None
    target = next((a for a in after if a != actor), None)
    return actor, target


def sentence_quotes(article: Article, quotes: Sequence[dict[str, Any]]) -> dict[int, dict[str, Any]]:
    """Sentence index -> the quote (from the quotes stage) whose content overlaps it."""
    out: dict[int, dict[str, Any]] = {}
    for quote in quotes:
        start, end = quote.get("content_span") or (None, None)
        if start is None or end is None:
            continue
        for sentence in article.sentences:
            if sentence.start < end and start < sentence.end:
                out.setdefault(sentence.index, quote)
    return out


def sentence_mentions(article: Article, mentions: Sequence[dict[str, Any]]) -> dict[int, list[Span]]:
    """Sentence index -> mention spans (sentence-relative) from the entities stage."""
    out: dict[int, list[Span]] = {}
    for mention in mentions:
        start, end = mention.get("start"), mention.get("end")
        if start is None or end is None:
            continue
        for sentence in article.sentences:
            if sentence.start <= start and end <= sentence.end:
                out.setdefault(sentence.index, []).append(
                    (start - sentence.start, end - sentence.start, str(mention.get("type") or "MISC")))
                break
    return out


def default_recognizer() -> Recognizer | None:
    """The entities stage's NER when it is installed; None otherwise (degrade, never fail)."""
    try:
        from echolot.entities.ner import recognize
    except ImportError:
        return None
    return recognize


def detect_claims(article: Article, mentions: Sequence[dict[str, Any]] = (),
                  quotes: Sequence[dict[str, Any]] = (), recognizer: Recognizer | None = None) -> list[Claim]:
    """All claim sentences of `article` (title included, index None)."""
    by_sentence = sentence_mentions(article, mentions) if mentions else {}
    quote_of = sentence_quotes(article, quotes) if quotes else {}
    items: list[tuple[int | None, str, str | None]] = []
    if article.title:
        items.append((None, article.title, article.lang))
    items += [(s.index, s.text, s.lang or article.lang) for s in article.sentences]
    claims = []
    for index, text, lang in items:
        found = classify(text)
        if not found:
            continue
        kind, cue = found
        if index is not None and mentions:  # the entities stage ran: trust its mentions
            spans: Sequence[Span] = by_sentence.get(index, [])
        elif recognizer is not None:
            try:
                spans = list(recognizer(text, lang))
            except Exception:
                spans = _caps_entities(text)
        else:
            spans = _caps_entities(text)
        actor, target = _actor_target(text, cue, spans)
        quote = quote_of.get(index) if index is not None else None
        in_quote = quote is not None or quoted_share(text) > 0.5
        speaker = str(quote.get("speaker")) if quote and quote.get("speaker") else None
        claims.append(Claim(sentence_index=index, text=text, kind=kind, cue=cue.group(0), actor=actor or speaker,
                            target=target, in_quote=in_quote,
                            speaker=speaker))
    return claims
