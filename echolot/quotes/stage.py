"""The quotes pipeline stage: each article's quotes with resolved speakers, then the clusters.

`process(articles, store, settings)` is what `echolot.pipeline` runs (through the package,
`echolot.quotes.process`); `quotes_for_article` is the per-article step the seeds' tests and
the benchmarks call. Which quotes are kept: `propositions.is_proposition`; whose they are:
`speakers.SpeakerResolver`, then the canonical entity (`EntityIndex` here, a lookup of the
name among the stored entities' variants).
"""
from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

import xxhash
from tqdm import tqdm

from echolot.model import Article, Quote
from echolot.quotes.clusters import update_clusters
from echolot.quotes.extract import extract_attributions, use_english_model
from echolot.quotes.propositions import balance_quotes, is_proposition
from echolot.quotes.speakers import SpeakerResolver
from echolot.quotes.spans import Attribution, Span
from echolot.settings import QuotesSettings, Settings

if TYPE_CHECKING:
    from echolot.store.base import Store

_SPACY_TO_TYPE = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "NORP": "MISC"}


def quote_id(article_id: str, span: tuple[int, int]) -> str:
    return "q_" + xxhash.xxh3_64_hexdigest(f"{article_id}:{span[0]}:{span[1]}".encode())[:16]


def _own_mentions(text: str, lang: str | None, doc: Any) -> list[dict[str, Any]]:
    """Entity mentions when the entities stage has stored none: the spaCy parse we already
    have for English, else the shared NER."""
    if doc is not None:
        return [{"start": e.start_char, "end": e.end_char, "type": _SPACY_TO_TYPE[e.label_], "text": e.text}
                for e in doc.ents if e.label_ in _SPACY_TO_TYPE]
    try:
        from echolot.entities.ner import recognize, supports
    except ImportError:
        return []
    if supports(lang):
        found = recognize(text, lang)
    else:  # no tagger for this language: known given names + capitalised words are people
        from echolot.entities.ner.names import recognize_persons

        found = recognize_persons(text)
    return [{"start": s, "end": e, "type": t, "text": text[s:e]} for s, e, t in found]


def _with_more_persons(text: str, mentions: list[dict[str, Any]], doc: Any) -> list[dict[str, Any]]:
    """The stored mentions plus person names they lack: the English parser's PERSON names and
    known given names with a surname (`entities.ner.names`), where no stored person is ("Nadia
    Korvel" inside a mention the NER typed ORG). Pronouns and roles need those antecedents."""
    from echolot.entities.ner.names import recognize_persons

    persons = [(m["start"], m["end"]) for m in mentions if m.get("type") == "PER"]
    found = [(s, e) for s, e, _ in recognize_persons(text)]
    if doc is not None:
        found += [(e.start_char, e.end_char) for e in doc.ents if e.label_ == "PERSON" and " " in e.text.strip()]
    extra: list[dict[str, Any]] = []
    for start, end in sorted(found):
        if not any(s < end and start < e for s, e in persons):
            extra.append({"start": start, "end": end, "type": "PER", "text": text[start:end]})
            persons.append((start, end))
    return [*mentions, *extra]


class EntityIndex:
    """Canonical entities by lower-cased variant, and persons by unique last name."""

    def __init__(self, entities: list[dict[str, Any]]) -> None:
        self.by_variant: dict[str, str] = {}
        surnames: dict[str, set[str]] = {}
        for e in entities:
            for v in [e.get("name") or "", *(e.get("variants") or [])]:
                if v:
                    self.by_variant.setdefault(v.lower(), e["id"])
                    if e.get("type") == "PER" and " " in v:
                        surnames.setdefault(v.split()[-1].lower(), set()).add(e["id"])
        self.by_surname = {k: next(iter(v)) for k, v in surnames.items() if len(v) == 1}

    def lookup(self, name: str | None) -> str | None:
        if not name:
            return None
        key = re.sub(r"\s+", " ", name).strip().lower()
        return self.by_variant.get(key) or self.by_surname.get(key.split()[-1] if key else "")


def _speaker_span(a: Attribution) -> Span | None:
    """Where the speaker is named: the extractor's source, or what a relative pronoun source
    stands for ("who" in "Voters who backed X" is "Voters", `english._relative_antecedent`)."""
    span = a.extras.get("speaker_span")
    if isinstance(span, tuple) and len(span) == 2:
        return (int(span[0]), int(span[1]))
    return a.source


def _content(text: str, attribution: Attribution) -> str:
    return " ".join(text[s:e] for s, e in attribution.content)


def quotes_for_article(article: Article, mentions: list[dict[str, Any]] | None = None,
                       settings: QuotesSettings | None = None, entities: EntityIndex | None = None) -> list[Quote]:
    """Quotes of one article with resolved speakers (offsets into `article.text`); a speaker the
    resolver tied to no entity is looked up by name in `entities`."""
    return link_speakers(_article_quotes(article, mentions, settings), entities)


def link_speakers(quotes: list[Quote], entities: EntityIndex | None) -> list[Quote]:
    """Give each quote whose speaker has no entity yet the stored entity of that name, if any."""
    if entities is not None:
        for quote in quotes:
            if quote.speaker_entity is None:
                quote.speaker_entity = entities.lookup(quote.speaker)
    return quotes


def _article_quotes(article: Article, mentions: list[dict[str, Any]] | None,
                    settings: QuotesSettings | None) -> list[Quote]:
    """The per-article work of `quotes_for_article`: everything but the lookup among stored entities."""
    settings = settings or QuotesSettings()
    text, lang = article.text, article.lang
    doc = None
    if use_english_model(lang, settings):
        from echolot.quotes.english import load_nlp

        doc = load_nlp()(text)
    mentions = _with_more_persons(text, mentions, doc) if mentions else _own_mentions(text, lang, doc)
    named = [(m["start"], m["end"], m["type"]) for m in mentions]
    attributions = extract_attributions(text, lang, settings, named, doc)
    sources = [_speaker_span(a) for a in attributions]
    # a claim a noun reports ("claims by X that ...") sits inside another clause: its agent, like a name
    # inside someone's quote, is not who a later pronoun refers to
    embedded = [_claim_extent(a, source) for a, source in zip(attributions, sources) if a.extras.get("noun_claim")]
    resolver = SpeakerResolver(text, lang, mentions, [s for s in sources if s],
                               [f for a in attributions for f in a.content] + embedded)
    quotes: list[Quote] = []
    for a, source in zip(attributions, sources):
        # in text order: roles may refer back
        speaker = resolver.resolve(source, a.cue, embedded=bool(a.extras.get("noun_claim")))
        span = a.content_extent
        if settings.propositions_only and not is_proposition(text, span, a.kind, doc):
            continue
        name = speaker.name or speaker.surface
        entity = speaker.entity_id or None  # by name among the stored entities: `link_speakers`
        quotes.append(Quote(
            article_id=article.id, content=balance_quotes(_content(text, a)), content_span=span, kind=a.kind,
            speaker=name, speaker_span=speaker.span, speaker_entity=entity,
            cue=text[a.cue[0]:a.cue[1]] if a.cue else None, cue_span=a.cue, lang=lang,
            id=quote_id(article.id, span),
        ))
    return quotes


def _claim_extent(a: Attribution, source: Span | None) -> Span:
    """From the first of a noun claim's cue, agent and content to the end of its content."""
    starts = [x[0] for x in (a.cue, source) if x] + [a.content_extent[0]]
    return min(starts), a.content_extent[1]


def prepare_inputs(article: Article, store: Store) -> list[dict[str, Any]]:
    """What `prepare` needs from earlier stages: the article's stored mentions."""
    return store.annotations("mentions", article.id)


def prepare(article: Article, settings: Settings, mentions: list[dict[str, Any]]) -> list[Quote]:
    """The per-article part of the stage (parse, attributions, speakers), pure: the pipeline runs it
    in worker processes (`echolot.workers`); `process` adds the stored entities' lookup."""
    return _article_quotes(article, mentions, settings.quotes)


def process(articles: list[Article], store: Store, settings: Settings,
            prepared: Mapping[str, list[Quote]] | None = None) -> list[Quote]:
    """Pipeline stage: store each article's quotes, then recompute the cross-article clusters.

    `prepared`: `prepare`'s result per article id, computed elsewhere (a worker process);
    an article missing from it is prepared here."""
    qs = settings.quotes
    entities = EntityIndex(store.list_entities())
    out: list[Quote] = []
    for article in tqdm(articles, desc="quotes", unit="doc", file=sys.stderr, disable=len(articles) < 20):
        found = prepared.get(article.id) if prepared else None
        if found is None:
            found = prepare(article, settings, prepare_inputs(article, store))
        quotes = link_speakers(found, entities)
        store.put_annotations("quotes", article.id, [asdict(q) for q in quotes])
        out.extend(quotes)
    update_clusters(store, qs)
    return out
