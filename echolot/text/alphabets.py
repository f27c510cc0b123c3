"""Letters settle what a statistical language guess gets wrong between languages of one script.

fastText's lid.176 lite reads character n-grams; a Yakut, Ukrainian or Kazakh text full of
Russian loanwords and names can come out as Russian, although Russian never writes the
letters ҕ, ҥ, і, ї, қ... that fill it. When a text's own letters rule the detected language out,
the best of the detector's other candidates whose alphabet holds them is the better answer.

Only scripts with several languages and letters that tell them apart are listed (Cyrillic
here); a language whose alphabet is not listed is never ruled out and never chosen by this rule.
"""
from __future__ import annotations

import re
from collections import Counter

_RU = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"

#: Lower-case Cyrillic alphabets (with letters of common loanwords), per ISO 639 code of lid.176.
CYRILLIC: dict[str, frozenset[str]] = {code: frozenset(letters) for code, letters in {
    "ru": _RU,
    "uk": "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя",
    "be": "абвгґдеёжзійклмнопрстуўфхцчшыьэюя",
    "bg": "абвгдежзийклмнопрстуфхцчшщъьюяѝ",
    "sr": "абвгдђежзијклљмнњопрстћуфхцчџш",
    "mk": "абвгдѓежзѕијклљмнњопрстќуфхцчџш",
    "kk": _RU + "әғқңөұүһі",
    "ky": _RU + "ңөү",
    "tt": _RU + "әөүҗңһ",
    "ba": _RU + "ғҙҡңөҫүһә",
    "sah": _RU + "ҕҥөһү",
    "mn": _RU + "өү",
    "tg": _RU + "ғӣқӯҳҷ",
    "cv": _RU + "ӑӗҫӳ",
    "udm": _RU + "ӝӟӥӧӵ",
    "mhr": _RU + "ӓӧӱ",
    "ce": _RU + "ӏ",
}.items()}

_BLOCK = (0x0400, 0x052F)  # Cyrillic and Cyrillic Supplement
# the letters of those blocks (not their signs and combining marks), as one character class: a regex
# scan instead of a Python test per character (the language of every paragraph is checked at ingest)
_BLOCK_LETTERS = re.compile("[" + "".join(ch for ch in map(chr, range(_BLOCK[0], _BLOCK[1] + 1)) if ch.isalpha())
                            + "]")


def caseless(ch: str) -> bool:
    """Whether `ch` is a letter of a script without capitals (Devanagari, Arabic, Hebrew, CJK, Georgian):
    neither upper nor lower case. Rules that read a capital as the mark of a name mean nothing there."""
    return ch.isalpha() and not ch.isupper() and not ch.islower()


def _letters(text: str) -> Counter[str]:
    """Lower-case letters of the script blocks above, counted."""
    return Counter(_BLOCK_LETTERS.findall(text.lower()))


def foreign_letters(text: str, lang: str, min_count: int = 2, min_share: float = 0.01) -> set[str]:
    """Letters of `text` that `lang`'s alphabet lacks, when they are too many to be a quoted name.

    Each such letter must occur `min_count` times and together they must make `min_share` of
    the text's letters in that script (a Russian article quoting "Київ" once keeps its language).
    Empty when `lang`'s alphabet is not listed."""
    alphabet = CYRILLIC.get(lang)
    if alphabet is None:
        return set()
    counts = _letters(text)
    foreign = {ch: n for ch, n in counts.items() if ch not in alphabet and n >= min_count}
    total = sum(counts.values())
    return set(foreign) if total and sum(foreign.values()) >= min_share * total else set()


def rerank(text: str, candidates: list[tuple[str, float]]) -> tuple[str, float] | None:
    """A better language than the detector's first guess, or None to keep that guess.

    `candidates` are the detector's (code, probability) pairs, best first. When the text's letters
    rule the first one out (`foreign_letters`), the best-ranked candidate whose alphabet holds every
    such letter wins; its confidence is its probability plus the ruled-out one's (the mass the
    letters move). None when no candidate fits."""
    if not candidates:
        return None
    first, first_score = candidates[0]
    foreign = foreign_letters(text, first)
    if not foreign:
        return None
    for code, score in candidates[1:]:
        alphabet = CYRILLIC.get(code)
        if alphabet is not None and foreign <= alphabet and not foreign_letters(text, code):
            return code, min(1.0, score + first_score)
    return None
