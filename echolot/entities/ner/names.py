"""Person names in languages without an NER model: a known first name followed by capitalised words.

French, Spanish and most of the languages echolot reads have no trained tagger here. For
speaker resolution the names that matter are people's, and those are written the same way
almost everywhere in Latin and Cyrillic script: a given name ("Marit", "Jonas", "Юрий") and
one or two capitalised words. The given names come from the name lists the German tagger
already ships (`models/de/gazetteer.txt.gz`, faker's first names in many languages); a lone
capitalised word that is the surname of a name found earlier in the same text ("Lindqvist")
is a mention too. Precision over recall: a title-cased phrase without a known given name is
left alone.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from echolot.entities.ner.gazetteer import GAZETTEER_FILE, fold, load_cached

_GAZETTEER = Path(__file__).resolve().parents[1] / "models" / "de" / GAZETTEER_FILE
_NAME = re.compile(r"(?<![\w-])([A-ZÀ-ÖØ-ÞА-ЯЁІЇЄҐ][\w'’-]+)((?:\s+(?:(?:de|van|von|der|da|del|la|le)\s+)?"
                   r"[A-ZÀ-ÖØ-ÞА-ЯЁІЇЄҐ][\w'’-]+){1,2})")

Span = tuple[int, int, str]


@lru_cache(maxsize=1)
def _given_names() -> frozenset[str]:
    if not _GAZETTEER.is_file():
        return frozenset()
    gazetteer = load_cached(str(_GAZETTEER))
    return frozenset(word for word, cats in gazetteer.single.items() if "PF" in cats)


def recognize_persons(text: str) -> list[Span]:
    """(start, end, "PER") for "Given Surname" phrases and later lone surnames of them."""
    given = _given_names()
    found: list[Span] = []
    surnames: set[str] = set()
    for m in _NAME.finditer(text):
        if fold(m.group(1)) in given and len(m.group(1)) > 1:
            found.append((m.start(), m.end(), "PER"))
            surnames.add(m.group(2).split()[-1])
    if surnames:
        taken = [(s, e) for s, e, _ in found]
        lone = re.compile(r"(?<![\w-])(" + "|".join(re.escape(s) for s in sorted(surnames)) + r")(?![\w-])")
        for m in lone.finditer(text):
            if not any(s <= m.start() < e for s, e in taken):
                found.append((m.start(), m.end(), "PER"))
    return sorted(found)
