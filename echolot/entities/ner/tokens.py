"""Tokens with character offsets, sentence grouping, and BIO <-> span conversion.

The NER backends disagree on their unit of work (spaCy and natasha take text,
the CRF takes token lists, the CoNLL evaluation hands over tokens), so every
conversion between the three views lives here, once.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence

from echolot.text.alphabets import caseless

Span = tuple[int, int, str]
TYPES = ("PER", "ORG", "LOC", "MISC")


def _mark_class() -> str:
    """Regex class body of every combining mark (Unicode categories Mn, Mc, Me) plus the zero-width
    (non-)joiners. Why: `\\w` leaves out the vowel signs and viramas of the Indic scripts, Thai's vowels and
    Arabic / Hebrew vowel points, so "पुतिन" fell apart into "प", "ु", "त", "ि", "न"; Persian and
    Hindi write the joiners inside words."""
    ranges: list[tuple[int, int]] = []
    for code in (*range(0x300, 0x20000), *range(0xE0100, 0xE01F0)):  # no marks elsewhere (Unicode 15)
        if unicodedata.category(chr(code)) in ("Mn", "Mc", "Me"):
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1] = (ranges[-1][0], code)
            else:
                ranges.append((code, code))
    ranges.append((0x200C, 0x200D))
    return "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges)


@functools.cache
def _token_pattern() -> re.Pattern[str]:
    """The token regex, compiled at first use: the mark class scans the code points (~30 ms), which a
    process that never tokenizes (most CLI commands import this module) should not pay.

    Words keep inner hyphens, apostrophes, dots of abbreviations ("U.S.", "z.B."), digits with
    separators ("1.000,50") and combining marks after their letter; every other non-space character is
    a token of its own."""
    marks = _mark_class()
    return re.compile(
        r"(?:[^\W\d_]\.){2,}"  # initialisms: U.S.  z.B.
        r"|\d+(?:[.,:/]\d+)*"  # numbers, dates, times
        rf"|\w[\w{marks}]*(?:[-'’]\w[\w{marks}]*)*"  # words, hyphenated compounds, O'Neill, पुतिन
        r"|\S",
        re.UNICODE,
    )


_SENT_END = {".", "!", "?", "…", "।", "॥", "؟", "۔", "。", "！", "？"}  # Latin, Devanagari, Arabic, Urdu, CJK
_CLOSERS = {'"', "'", "”", "“", "»", "«", ")", "]"}
_MAX_SENT_TOKENS = 120


def tokenize(text: str) -> list[tuple[int, int]]:
    """Token (start, end) offsets of `text`."""
    return [(m.start(), m.end()) for m in _token_pattern().finditer(text)]


def _breaks_after(tokens: Sequence[str], i: int) -> bool:
    """A sentence ends after token i when it is terminal punctuation followed by a capital (or a letter
    of a script without capitals).

    Numbers before a dot ("5. Mai") and single letters ("J. Smith") do not end sentences,
    which are the common German and initials cases.
    """
    if tokens[i] not in _SENT_END and not (tokens[i] in _CLOSERS and i > 0 and tokens[i - 1] in _SENT_END):
        return False
    if i + 1 >= len(tokens):
        return True
    nxt = tokens[i + 1]
    if tokens[i] == "." and i > 0 and (tokens[i - 1].isdigit() or len(tokens[i - 1]) == 1):
        return False
    first = nxt[:1]
    return first.isupper() or caseless(first) or first in "\"„“«(" or first.isdigit()  # caseless: Devanagari, CJK


def group_sentences(texts: Sequence[str], starts: Sequence[int], raw: str) -> list[tuple[int, int]]:
    """Token index ranges [a, b) of sentences; newlines and terminal punctuation split.

    Very long runs are cut so one pathological line cannot blow up the tagger's cost.
    """
    ranges: list[tuple[int, int]] = []
    begin = 0
    for i in range(len(texts)):
        newline = i + 1 < len(texts) and "\n" in raw[starts[i]:starts[i + 1]]
        if _breaks_after(texts, i) or newline or i + 1 - begin >= _MAX_SENT_TOKENS or i + 1 == len(texts):
            ranges.append((begin, i + 1))
            begin = i + 1
    return ranges


def bio_to_spans(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """Token spans (a, b exclusive, type) read CoNLL-eval style (a stray I- starts a chunk)."""
    spans: list[tuple[int, int, str]] = []
    start: int | None = None
    typ = ""
    for i, tag in enumerate(list(tags) + ["O"]):
        inside = tag.startswith("I-") and tag[2:] == typ and start is not None
        if inside:
            continue
        if start is not None:
            spans.append((start, i, typ))
            start = None
        if tag != "O" and len(tag) > 2:
            start, typ = i, tag[2:]
    return spans


def spans_to_bio(n: int, spans: Iterable[tuple[int, int, str]]) -> list[str]:
    """BIO tags for n tokens from non-overlapping token spans."""
    tags = ["O"] * n
    for a, b, typ in spans:
        if a >= b or any(t != "O" for t in tags[a:b]):
            continue
        tags[a] = "B-" + typ
        for k in range(a + 1, b):
            tags[k] = "I-" + typ
    return tags


def join_tokens(tokens: Sequence[str]) -> tuple[str, list[tuple[int, int]]]:
    """Tokens joined by single spaces, with each token's offsets in the joined text."""
    offsets: list[tuple[int, int]] = []
    pos = 0
    for tok in tokens:
        offsets.append((pos, pos + len(tok)))
        pos += len(tok) + 1
    return " ".join(tokens), offsets


def char_spans_to_bio(offsets: Sequence[tuple[int, int]], spans: Iterable[Span]) -> list[str]:
    """BIO tags of tokens from character spans: a token belongs to a span it overlaps."""
    token_spans = []
    for start, end, typ in spans:
        covered = [i for i, (a, b) in enumerate(offsets) if a < end and start < b]
        if covered:
            token_spans.append((covered[0], covered[-1] + 1, typ))
    return spans_to_bio(len(offsets), token_spans)


def clean_spans(spans: Iterable[Span]) -> list[Span]:
    """Sorted, non-overlapping spans of known types; on overlap the longer (then earlier) wins."""
    chosen: list[Span] = []
    for span in sorted(set(spans), key=lambda s: (-(s[1] - s[0]), s[0])):
        if span[2] not in TYPES or span[0] >= span[1]:
            continue
        if all(span[1] <= c[0] or c[1] <= span[0] for c in chosen):
            chosen.append(span)
    return sorted(chosen)
