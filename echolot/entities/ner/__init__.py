"""Named-entity recognition for German, English and Russian: one contract, one backend per language.

    recognize(text, lang)          -> [(start, end, type)]  character spans, sorted, non-overlapping
    recognize_tokens(tokens, lang) -> ["B-PER", "I-PER", "O", ...]  for pre-tokenised sentences
    supports(lang)                 -> whether a model exists for the language

Types are PER / ORG / LOC / MISC. Backends: a CRF we train (echolot/entities/models/<lang>,
python -m echolot.training.ner --lang <lang>) wherever one is shipped; for en and ru it stacks on the
pretrained tagger (spaCy en_core_web_sm, natasha/slovnet), which serves alone when the CRF
is missing.
Models load lazily, once per process. A language without a model, or a backend that fails
to load, gives [] and a single warning rather than an exception, because NER is one
enrichment among many and must never stop the pipeline.
"""
from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from echolot.entities.ner.tokens import (
    TYPES, Span, bio_to_spans, clean_spans, group_sentences, spans_to_bio, tokenize,
)

__all__ = [
    "MODELS_DIR",
    "TYPES",
    "backend_name",
    "languages",
    "recognize",
    "recognize_sentences",
    "recognize_tokens",
    "supports",
]

log = logging.getLogger(__name__)
MODELS_DIR = Path(__file__).resolve().parents[1] / "models"
_PRETRAINED = {"en": "spacy", "ru": "natasha"}
_BACKENDS = {code: "crf" if (MODELS_DIR / code / "model.crfsuite").is_file() else _PRETRAINED.get(code, "")
             for code in ("de", "en", "ru")}
_BACKENDS = {code: kind for code, kind in _BACKENDS.items() if kind}


def _norm_lang(lang: str | None) -> str | None:
    """'de-DE', 'DE', 'de_AT' -> 'de'."""
    if not lang:
        return None
    return lang.strip().lower().replace("_", "-").split("-")[0] or None


def languages() -> list[str]:
    """Languages with a configured backend (whether it loads is `supports`)."""
    return sorted(_BACKENDS)


def backend_name(lang: str | None) -> str | None:
    """Name of the backend serving `lang`, or None."""
    return _BACKENDS.get(_norm_lang(lang) or "")


@cache
def _crf(lang: str):  # type: ignore[no-untyped-def]
    from echolot.entities.ner.crf import CRFTagger

    return CRFTagger(MODELS_DIR / lang)


@cache
def supports(lang: str | None) -> bool:
    """True when `lang` has a backend and its model loads (checked once, then cached)."""
    code = _norm_lang(lang)
    kind = _BACKENDS.get(code or "")
    try:
        if kind == "crf":
            _crf(code)
            return True
        if kind == "spacy":
            from echolot.entities.ner.backends import spacy as ner_spacy

            return ner_spacy.available()
        if kind == "natasha":
            from echolot.entities.ner.backends import natasha as ner_natasha

            return ner_natasha.available()
    except Exception as exc:
        log.warning("NER model for %s failed to load: %s", code, exc)
    return False


def _detect(text: str) -> str | None:
    from echolot.text import detect_language

    return detect_language(text)[0]


def _crf_text(text: str, lang: str) -> list[Span]:
    offsets = tokenize(text)
    if not offsets:
        return []
    texts = [text[a:b] for a, b in offsets]
    spans: list[Span] = []
    ranges = group_sentences(texts, [s for s, _ in offsets], text)
    tags = _crf(lang).tag_many([texts[a:b] for a, b in ranges])
    for (a, _b), sentence_tags in zip(ranges, tags):
        for ta, tb, typ in bio_to_spans(sentence_tags):
            spans.append((offsets[a + ta][0], offsets[a + tb - 1][1], typ))
    return spans


def recognize(text: str, lang: str | None) -> list[Span]:
    """Entity character spans (start, end exclusive, type) in `text`; [] when unsupported.

    `lang` None means: detect it. Never raises on odd input.
    """
    if not text or not text.strip():
        return []
    code = _norm_lang(lang) or _norm_lang(_detect(text))
    if not supports(code):
        return []
    kind = _BACKENDS[code]
    try:
        if kind == "crf":
            return clean_spans(_crf_text(text, code))
        if kind == "spacy":
            from echolot.entities.ner.backends import spacy as ner_spacy

            return ner_spacy.recognize(text)
        from echolot.entities.ner.backends import natasha as ner_natasha

        return ner_natasha.recognize(text)
    except Exception as exc:
        log.warning("NER (%s) failed on a text of %d chars: %s", code, len(text), exc)
        return []


def recognize_sentences(sentences: Sequence[Sequence[str]], lang: str | None) -> list[list[str]]:
    """BIO tags for many pre-tokenised sentences (batched where the backend can batch)."""
    code = _norm_lang(lang)
    if code is None and sentences:
        code = _norm_lang(_detect(" ".join(" ".join(s) for s in sentences[:50])))
    if not supports(code):
        return [["O"] * len(s) for s in sentences]
    kind = _BACKENDS[code]
    if kind == "crf":
        return _crf(code).tag_many([list(s) for s in sentences])
    if kind == "spacy":
        from echolot.entities.ner.backends import spacy as ner_spacy

        spans = ner_spacy.recognize_token_spans([list(s) for s in sentences if s])
        it = iter(spans)
        return [spans_to_bio(len(s), next(it)) if s else [] for s in sentences]
    from echolot.entities.ner.backends import natasha as ner_natasha

    return ner_natasha.recognize_bio(sentences)


def recognize_tokens(tokens: list[str], lang: str | None) -> list[str]:
    """BIO tags (B-X / I-X / O) for one pre-tokenised sentence."""
    if not tokens:
        return []
    return recognize_sentences([tokens], lang)[0]
