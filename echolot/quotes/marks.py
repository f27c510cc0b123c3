"""Pairing quotation marks of every style into quoted regions.

News text mixes conventions: „…“ and »…« (German), «…» (Russian, French), “…”
and "…" (English), ‚…‘ and ›…‹ (nested), and straight single quotes that are
easily confused with apostrophes. A quotation that runs over several paragraphs
re-opens at each paragraph without closing the previous one. We scan once with a
small stack so that nested quotes keep their outer region, and accept a straight
or curly single quote only where it cannot be an apostrophe.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# opening mark -> the closing marks that may end it
_PAIRS: dict[str, tuple[str, ...]] = {
    "„": ("“", "”", "\""),
    "“": ("”", "“"),
    "«": ("»",),
    "»": ("«",),
    "‚": ("‘", "’"),
    "‘": ("’",),
    "‹": ("›",),
    "›": ("‹",),
    "\"": ("\"",),
    "'": ("'",),
}
_SINGLE_AMBIGUOUS = {"'", "’", "‘"}
# every character `find_quote_regions` acts on outside an open paragraph end: marks that open or close, and "\n"
_MARK_OR_BREAK = re.compile("[\n" + re.escape("".join(sorted(set(_PAIRS) | {c for cs in _PAIRS.values() for c in cs}
                                                               | _SINGLE_AMBIGUOUS))) + "]")
_NON_SPACE = re.compile(r"\S")
_OPEN_CONTEXT = set(" \t\n\u00a0([{—–-/:") | {""}


@dataclass(frozen=True)
class QuoteRegion:
    """A quoted stretch: `start`/`end` include the marks, `inner_*` exclude them."""

    start: int
    end: int
    inner_start: int
    inner_end: int
    opener: str

    @property
    def inner(self) -> tuple[int, int]:
        return self.inner_start, self.inner_end


def _prev(text: str, i: int) -> str:
    return text[i - 1] if i > 0 else ""


def _next(text: str, i: int) -> str:
    return text[i + 1] if i + 1 < len(text) else ""


_SPACED = {"«", "»"}  # French typography sets a (narrow) space inside guillemets: « Nous … »
_INNER_SPACE = " \u00a0\u202f\u2009"


def _can_open(text: str, i: int) -> bool:
    """A mark opens when it follows a space/bracket/dash (or starts the text) and precedes text."""
    nxt = _next(text, i)
    if text[i] in _SPACED and nxt in _INNER_SPACE and nxt != "":
        nxt = _next(text, i + 1)  # « Nous
    return _prev(text, i) in _OPEN_CONTEXT and nxt != "" and not nxt.isspace()


def _can_close(text: str, i: int) -> bool:
    """A mark closes when it follows text and is followed by a space, punctuation or the end."""
    prev, nxt = _prev(text, i), _next(text, i)
    if text[i] in _SPACED and prev in _INNER_SPACE and prev != "":
        prev = _prev(text, i - 1)  # gens »
    if prev == "" or prev.isspace():
        return False
    return nxt == "" or not nxt.isalnum()


def _is_apostrophe(text: str, i: int) -> bool:
    """Letters on both sides (don't, NRA’s) or a decade/elision ('90s, rock 'n')."""
    prev, nxt = _prev(text, i), _next(text, i)
    if prev.isalnum() and nxt.isalnum():
        return True
    if prev.isspace() and nxt.isdigit():
        return True
    return prev in {"s", "S"} and (nxt == "" or nxt.isspace()) and text[i] != "‘"


def find_quote_regions(text: str) -> list[QuoteRegion]:
    """Quoted regions in `text` (nested ones included), sorted by start, outer before inner.

    Unclosed quotes that reach a paragraph end continue when the next paragraph opens
    with a mark again (the multi-paragraph convention); otherwise they are dropped,
    because an unbalanced mark says nothing reliable about where a quote ends.
    """
    regions: list[QuoteRegion] = []
    stack: list[tuple[str, int]] = []  # (opener, position)
    pending: tuple[str, int] | None = None  # outermost quote left open at a paragraph end
    i, n = 0, len(text)
    while i < n:
        # only a mark or a line break changes the state, and right after an open paragraph end the first
        # character that is not a space: jump there (one regex scan instead of a Python step per character)
        m = (_NON_SPACE if pending is not None else _MARK_OR_BREAK).search(text, i)
        if m is None:
            break
        i = m.start()
        ch = text[i]
        if ch == "\n":
            if stack:
                pending = stack[0]
            stack = []
            i += 1
            continue
        if pending is not None and not ch.isspace():
            if ch in _PAIRS and _can_open(text, i):
                stack = [pending]  # the quote goes on in this paragraph
                pending = None
                i += 1
                continue
            pending = None
        closed = _try_close(text, i, stack, regions)
        apostrophe = ch in _SINGLE_AMBIGUOUS and _is_apostrophe(text, i)
        if not closed and ch in _PAIRS and not apostrophe and _can_open(text, i):
            stack.append((ch, i))
        i += 1
    regions.sort(key=lambda r: (r.start, -r.end))
    return regions


def _try_close(text: str, i: int, stack: list[tuple[str, int]], regions: list[QuoteRegion]) -> bool:
    """Close the innermost open quote that `text[i]` can end; return whether it did."""
    ch = text[i]
    for depth in range(len(stack) - 1, -1, -1):
        opener, pos = stack[depth]
        if ch not in _PAIRS.get(opener, ()):
            continue
        if not _can_close(text, i):
            return False
        del stack[depth:]
        regions.append(QuoteRegion(pos, i + 1, pos + 1, i, opener))
        return True
    return False


def top_level(regions: list[QuoteRegion]) -> list[QuoteRegion]:
    """Regions not contained in another region."""
    out: list[QuoteRegion] = []
    for region in sorted(regions, key=lambda r: (r.start, -r.end)):
        if out and region.start >= out[-1].start and region.end <= out[-1].end:
            continue
        out.append(region)
    return out


#: a dash that sets an incise apart: an em or en dash (spaced or not: Spanish "—dijo X—"), or a spaced hyphen
_DASH = r"(?:,?\s*[—–]|,?\s+-(?=\s))"
#: Romance auxiliaries of a past cue that may open a comma incise (", a déclaré Macron,")
_ROMANCE_AUX = r"a|ont|avait|avaient|ha|hanno|aveva|avevano|han|había|habían|tem|tinha"
_INCISE_BODY = r"[^\n.!?;:\"“”„«»—–]{0,80}?"


def _incise_patterns(verbs: re.Pattern[str]) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The two incise shapes around a speech verb of `verbs` (a whole-word pattern): between dashes, up to
    three words before the verb ("— a-t-il dit —", "– ha detto Meloni –", ", — сказал Песков, —"), and between
    commas with the verb (or its auxiliary) right after the first comma (", ha spiegato Meloni,", ", a déclaré
    Macron,")."""
    verb = verbs.pattern
    dashed = re.compile(rf"{_DASH}\s*(?P<body>(?:[^\s—–.!?;:]+\s+){{0,3}}?{verb}{_INCISE_BODY})\s*{_DASH}\s*",
                        verbs.flags)
    commas = re.compile(rf",\s+(?P<body>(?:(?:{_ROMANCE_AUX})\s+)?{verb}(?:\s+[^\s,.!?;:\"“”„«»—–]+){{1,5}})\s*,\s+", verbs.flags)
    return dashed, commas


def open_incises(text: str, regions: list[QuoteRegion], verbs: re.Pattern[str]) -> list[QuoteRegion]:
    """Top-level regions with a writer's incise cut out: «A – aggiunge De Corato – B», "A, ha spiegato X, B",
    «A, — сказал Песков, — B», «A —dijo Sánchez— B» hold the speaker inside the marks, where no rule looks for
    one and where a name counts as someone's words; the region becomes two (A and B) with the incise between
    them, which the rules then read like «A», aggiunge De Corato, «B». An incise must leave words on both sides
    (three or more before it) and holds no sentence end, colon or quotation mark."""
    dashed, commas = _incise_patterns(verbs)
    out: list[QuoteRegion] = []
    for region in regions:
        out.extend(_split(text, region, dashed, commas))
    return out


#: words that make an incise name someone though none is capitalised: subject pronouns (French "a-t-il" too) and
#: the articles before a role ("ha detto il ministro", "a déclaré le porte-parole")
_SOMEONE = frozenset(["il", "elle", "ils", "elles", "on", "lui", "lei", "egli", "ella", "él", "ele", "ela", "er", "sie",
                      "он", "она", "они", "він", "вона", "вони", "ён", "яна", "яны", "ona", "oni", "le", "la", "les",
                      "l", "lo", "gli", "el", "los", "las", "o", "os", "as", "der", "die", "the"])


def _names_someone(body: str) -> bool:
    """Whether an incise's words hold a speaker: a capitalised word, a subject pronoun or an article. "…, говорит о
    том, что …" ("this shows that") has none: no incise, the quotation goes on."""
    words = re.findall(r"\w+", body)
    return any(w[:1].isupper() or w.lower() in _SOMEONE for w in words[1:]) or (bool(words) and words[0][:1].isupper())


def _split(text: str, region: QuoteRegion, dashed: re.Pattern[str], commas: re.Pattern[str]) -> list[QuoteRegion]:
    """`region` cut at its first incise (and, recursively, at the later ones)."""
    for pattern in (dashed, commas):
        for m in pattern.finditer(text, region.inner_start, region.inner_end):
            if len(text[region.inner_start:m.start()].split()) < 3 or m.end() >= region.inner_end \
                    or not text[m.end():region.inner_end].strip() or not _names_someone(m.group("body")):
                continue
            first = QuoteRegion(region.start, m.start(), region.inner_start, m.start(), region.opener)
            rest = QuoteRegion(m.end(), region.end, m.end(), region.inner_end, region.opener)
            return [first, *_split(text, rest, dashed, commas)]
    return [region]
