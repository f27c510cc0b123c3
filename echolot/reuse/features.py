"""Cheap per-article features that find reuse candidates without comparing all pairs.

Two families, both computed once per article and kept in the store so a later run
(with only new articles) can rebuild the indexes without re-reading every text:

* word shingles and their MinHash signature: same-language near-duplicates
  (reprints with boilerplate, cuts and new titles) share most shingles;
* rare anchors: numbers and capitalised names folded to ASCII. They survive
  translation (a date, a count, "Волгоград" -> "volgograd"), so two articles in
  different languages that share several rare anchors are worth aligning.
"""
from __future__ import annotations

import functools
import re
import unicodedata

import numpy as np
import xxhash
from datasketch import MinHash
from unidecode import unidecode

from echolot.model import Article

_SCHEME = "affine32"  # 32-bit permutations: signatures fit in uint32 and are stored so
_WORD = re.compile(r"\w+", re.UNICODE)
_NUMBER = re.compile(r"\d[\d.,\u00a0\u202f ]*\d|\d")
_NAME = re.compile(r"(?<![\w])([^\W\d_][\w'’-]*)", re.UNICODE)
_SENT_START = re.compile(r"(^|[.!?:;\"“”«»„]\s*)$")


def _hash32(data: bytes) -> int:
    """xxhash instead of datasketch's SHA1 default: the same quality, about 3x faster."""
    return xxhash.xxh32_intdigest(data)


def words(text: str) -> list[str]:
    """Lower-cased word tokens, diacritics kept (they distinguish languages)."""
    return [w.lower() for w in _WORD.findall(text)]


def shingles(text: str, size: int) -> set[str]:
    """Word n-grams; a text shorter than `size` words becomes one shingle."""
    tokens = words(text)
    if len(tokens) < size:
        return {" ".join(tokens)} if tokens else set()
    return {" ".join(tokens[i:i + size]) for i in range(len(tokens) - size + 1)}


@functools.lru_cache(maxsize=4)
def _permutations(num_perm: int) -> np.ndarray:
    """The seeded permutation parameters, made once: datasketch would draw them again for
    every signature (a numpy RandomState each time, ~0.2 ms: 20 s per 100k articles)."""
    return MinHash(num_perm=num_perm, hashfunc=_hash32, scheme=_SCHEME).permutations


def shingle_hashes(text: str, size: int) -> np.ndarray:
    """The shingle set as sorted unique 64-bit hashes: ~10x smaller than a set of strings, so
    every candidate article's set can be held at once, and intersections run in numpy."""
    hashes = np.fromiter((xxhash.xxh3_64_intdigest(s.encode("utf-8")) for s in shingles(text, size)),
                         dtype=np.uint64)
    return np.unique(hashes)


def contained(a: np.ndarray, b: np.ndarray) -> float:
    """Share of the smaller shingle set found in the other (hash arrays from `shingle_hashes`)."""
    small = min(len(a), len(b))
    return len(np.intersect1d(a, b, assume_unique=True)) / small if small else 0.0


def minhash(shingle_set: set[str], num_perm: int) -> MinHash:
    """MinHash signature of a shingle set (fixed seed: signatures are comparable across runs)."""
    sig = MinHash(num_perm=num_perm, hashfunc=_hash32, scheme=_SCHEME, permutations=_permutations(num_perm))
    sig.update_batch([s.encode("utf-8") for s in shingle_set])
    return sig


def signature_bytes(sig: MinHash) -> bytes:
    """Hash values fit in 32 bits with the xxh32 hash function; store them compactly."""
    return np.asarray(sig.hashvalues, dtype=np.uint32).tobytes()


def signature_from_bytes(blob: bytes, num_perm: int) -> MinHash:
    values = np.frombuffer(blob, dtype=np.uint32).copy()
    return MinHash(num_perm=num_perm, hashfunc=_hash32, hashvalues=values, scheme=_SCHEME,
                   permutations=_permutations(num_perm))


def fold(token: str) -> str:
    """ASCII, lower-case, without diacritics: "Wolgograd" and "Волгоград" come close."""
    ascii_form = unidecode(unicodedata.normalize("NFKC", token)).lower()
    ascii_form = re.sub(r"[^a-z0-9]", "", ascii_form)
    # fold common transliteration variants so de/en/fr spellings of one name meet
    ascii_form = ascii_form.replace("w", "v").replace("j", "y").replace("sch", "sh").replace("tsch", "ch")
    return ascii_form


def anchors(article: Article, name_prefix: int = 5) -> set[str]:
    """Numbers and capitalised names (not sentence-initial), folded; the translation-proof tokens.

    Names are cut to a prefix so inflected forms (Moskau/Moskaus, Путина/Путин) meet.
    Numbers drop their group separators ("25.000" and "25,000" meet); one-digit
    numbers are too common to be anchors.
    """
    out: set[str] = set()
    body = [s.text for s in article.sentences] if article.sentences else [article.text]
    texts = [article.title or "", *body]
    for text in texts:
        for match in _NUMBER.finditer(text):
            digits = re.sub(r"\D", "", match.group(0))
            if len(digits) >= 2:
                out.add("#" + digits)
        for match in _NAME.finditer(text):
            token = match.group(1)
            if not token[:1].isupper() or _SENT_START.search(text[:match.start()]):
                continue
            folded = fold(token)
            if len(folded) >= 3:
                out.add(folded[:name_prefix])
    return out


def encode_anchors(tokens: set[str]) -> bytes:
    return "\n".join(sorted(tokens)).encode("utf-8")


def decode_anchors(blob: bytes) -> set[str]:
    text = blob.decode("utf-8")
    return set(text.split("\n")) if text else set()
