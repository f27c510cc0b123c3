"""One entry point for extraction in any language: the trained English taggers where
they apply, the rule extractor elsewhere."""
from __future__ import annotations

import logging
from typing import Any

from echolot.quotes.rules import NamedSpan, RuleExtractor
from echolot.quotes.spans import Attribution
from echolot.settings import QuotesSettings

log = logging.getLogger(__name__)


def use_english_model(lang: str | None, settings: QuotesSettings) -> bool:
    from echolot.quotes import english

    return (lang or "en") == "en" and settings.use_model and english.models_available()


def extract_attributions(text: str, lang: str | None, settings: QuotesSettings | None = None,
                         entities: list[NamedSpan] | None = None, doc: Any = None) -> list[Attribution]:
    """Attributions of `text` (offsets into `text`); `doc` may pass an existing spaCy parse."""
    settings = settings or QuotesSettings()
    if use_english_model(lang, settings):
        from echolot.quotes import english

        doc = doc if doc is not None else english.load_nlp()(text)
        found = english.extract_doc(doc, settings.min_cue_prob, parse_fallback=settings.parse_fallback,
                                    complete_quotes=settings.complete_quotes,
                                    max_overlap=settings.max_content_overlap,
                                    split_siblings=settings.split_sibling_cues,
                                    parse_source=settings.parse_source,
                                    tuned_weight=settings.tuned_cue_weight,
                                    tuned_min_prob=settings.tuned_min_cue_prob,
                                    noun_claim_agents=settings.noun_claim_agents,
                                    tuned_min_crf_prob=settings.tuned_min_crf_prob,
                                    lexicon_min_precision=settings.lexicon_min_precision,
                                    lexicon_min_count=settings.lexicon_min_count,
                                    lexicon_context_precision=settings.lexicon_context_precision,
                                    lexicon_context_min_prob=settings.lexicon_context_min_prob,
                                    verify_min_prob=settings.verify_min_prob)
        if settings.add_rule_quotes:
            found += _missed_direct_quotes(text, found, entities or _doc_entities(doc))
        return sorted(found, key=lambda a: a.content_extent)
    return RuleExtractor(lang or "en").extract(text, entities)


def _doc_entities(doc: Any) -> list[NamedSpan]:
    kinds = {"PERSON": "PER", "ORG": "ORG"}
    return [(e.start_char, e.end_char, kinds[e.label_]) for e in doc.ents if e.label_ in kinds]


def _missed_direct_quotes(text: str, found: list[Attribution], entities: list[NamedSpan]) -> list[Attribution]:
    """Direct quotes the rules see and the taggers missed (little overlap with any found content).

    The taggers' recall is the weak side; quotation marks next to a cue are a precise signal
    (held-out PolNeAR: content F1 0.690 -> 0.698, source accuracy 0.884 -> 0.874)."""
    def overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
        return max(0, min(a[1], b[1]) - max(a[0], b[0]))

    out = []
    for a in RuleExtractor("en").extract(text, entities):
        ext = a.content_extent
        if a.kind == "direct" and not any(overlap(ext, b.content_extent) > 0.3 * (ext[1] - ext[0]) for b in found):
            out.append(a)
    return out
