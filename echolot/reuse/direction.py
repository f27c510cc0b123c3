"""Which article of a reuse group is the original, and which way every link points.

Signals, strongest first:
1. publication time, when every member has one (earliest is the original);
2. declared sources: a member that names another member's outlet or URL copied it;
3. reprint signals between same-language near-duplicates: the copy carries extra
   short lines at its edges (boilerplate) and lacks content the original has
   (truncation, a dropped paragraph), or its cleaner removed more boilerplate;
4. the group's odd one out: translations usually outnumber their original, so the
   language with the fewest distinct (non-copy) versions holds the original;
5. untranslated leftovers: a translation keeps words in the original's script.
The reason of every decision is kept as a sentence for the user.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from echolot.model import AlignedPair, Article

_BOILER_WORDS = 8  # an unaligned edge line this short looks like boilerplate
_CONTENT_WORDS = 8  # an unaligned line this long looks like real content
_SCRIPTS = {
    "cyrillic": re.compile(r"[\u0400-\u04ff]{3,}"),
    "latin": re.compile(r"[A-Za-z\u00c0-\u024f]{3,}"),
    "cjk": re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]{2,}"),
    "greek": re.compile(r"[\u0370-\u03ff]{3,}"),
    "arabic": re.compile(r"[\u0600-\u06ff]{3,}"),
}


@dataclass
class Verdict:
    """The group's original, how sure we are, and why."""

    original: str
    confidence: float
    reason: str
    parent: dict[str, str] = field(default_factory=dict)  # member -> upstream member (tree)
    copy_reason: dict[str, tuple[float, str]] = field(default_factory=dict)  # copy id -> (conf, why)


def _words(text: str) -> int:
    return len(text.split())


def copy_direction(a: Article, b: Article, rows: list[AlignedPair]) -> tuple[int, float, str]:
    """For near-duplicates a, b (evidence a->b): +1 if b copies a, -1 if a copies b, 0 if unknown."""
    time = _by_time(a, b)
    if time:
        return time, 0.9, "it was published later"
    declared = _declared(a, b)
    if declared:
        return declared, 0.9, "it names the other as its source"
    score, why = 0.0, []
    for sign, op in ((1, "added"), (-1, "dropped")):
        edge = _edge_lines(rows, op)
        if edge:
            score += sign * edge
            why.append(f"{'it' if sign > 0 else 'the other'} adds {edge} short line(s) at the edges")
    for sign, op in ((1, "dropped"), (-1, "added")):
        missing = sum(1 for r in rows if r.op == op and _words(r.a_text or r.b_text) >= _CONTENT_WORDS)
        if missing:
            score += sign * missing
            why.append(f"{'it' if sign > 0 else 'the other'} lacks {missing} content sentence(s)")
    if len(b.removed) != len(a.removed):
        score += 0.5 if len(b.removed) > len(a.removed) else -0.5
        why.append("cleaning removed more boilerplate from " + ("it" if len(b.removed) > len(a.removed) else "the other"))
    if score == 0:
        return 0, 0.5, "no reprint signal either way"
    confidence = min(0.95, 0.6 + 0.05 * abs(score))
    return (1 if score > 0 else -1), confidence, "; ".join(why)


def _edge_lines(rows: list[AlignedPair], op: str) -> int:
    """Short unaligned lines of kind `op` before the first or after the last aligned pair."""
    matched = [n for n, r in enumerate(rows) if r.op in ("same", "changed")]
    if not matched:
        return 0
    first, last = matched[0], matched[-1]
    return sum(1 for n, r in enumerate(rows)
               if r.op == op and (n < first or n > last) and _words(r.a_text or r.b_text) < _BOILER_WORDS)


def _by_time(a: Article, b: Article) -> int:
    """+1 if a was published before b, -1 if after, 0 if unknown or not comparable.

    A date without a time ("2025-03-12") says nothing about the order against a
    timestamp of the same day ("2025-03-12T09:40"), so both are cut to the coarser one.
    """
    if not a.published or not b.published:
        return 0
    x, y = a.published, b.published
    if "T" not in x or "T" not in y:
        x, y = x[:10], y[:10]
    if x == y:
        return 0
    return 1 if x < y else -1


def _names(article: Article) -> set[str]:
    out = set()
    for value in (article.source, article.url):
        if value:
            out.add(value.lower().rstrip("/"))
    return out


def _declared(a: Article, b: Article) -> int:
    """+1 if b declares a as its source, -1 if a declares b."""
    def names(x: Article, y: Article) -> bool:
        declared = " ".join(x.declared_sources).lower()
        return bool(declared) and any(n in declared for n in _names(y))
    if names(b, a):
        return 1
    if names(a, b):
        return -1
    return 0


def _script(article: Article) -> str | None:
    counts = Counter({name: len(rx.findall(article.text)) for name, rx in _SCRIPTS.items()})
    name, n = counts.most_common(1)[0]
    return name if n else None


def _leftovers(article: Article, other_scripts: set[str]) -> int:
    """Words in another member's script inside this article: untranslated residue."""
    own = _script(article)
    return sum(len(_SCRIPTS[s].findall(article.text)) for s in other_scripts if s != own)


def decide(members: dict[str, Article], near_dups: list[tuple[str, str, list[AlignedPair]]],
           links: list[tuple[str, str, float]], source_langs: tuple[str, ...] = ()) -> Verdict:
    """Pick the original of one connected group and a parent for every other member.

    `near_dups` are same-language reprint pairs (a, b, evidence a->b); `links` are all
    verified pairs with their alignment share.
    """
    parent: dict[str, str] = {}
    copy_reason: dict[str, tuple[float, str]] = {}
    for a, b, rows in near_dups:
        sign, conf, why = copy_direction(members[a], members[b], rows)
        src, dst = (a, b) if sign >= 0 else (b, a)
        if sign == 0:
            src, dst = (a, b) if len(members[a].text) >= len(members[b].text) else (b, a)
            why = "no reprint signal either way; the longer text is taken as the source"
        if dst not in parent and not _reaches(parent, src, dst):
            parent[dst] = src
            copy_reason[dst] = (conf, why)
    masters = [m for m in members if m not in parent]
    original, confidence, reason = _pick_original(members, masters, source_langs)
    _attach(original, members, links, parent)
    return Verdict(original, confidence, reason, parent, copy_reason)


def _reaches(parent: dict[str, str], start: str, goal: str) -> bool:
    node = start
    while node in parent:
        node = parent[node]
        if node == goal:
            return True
    return False


def _pick_original(members: dict[str, Article], masters: list[str],
                   source_langs: tuple[str, ...] = ()) -> tuple[str, float, str]:
    ordered = sorted(masters)
    earliest = [m for m in ordered
                if all(_by_time(members[m], members[o]) == 1 for o in ordered if o != m)]
    if len(ordered) > 1 and earliest:
        return earliest[0], 0.9, "it was published first"
    for m in ordered:
        if all(_declared(members[m], members[o]) == 1 for o in ordered if o != m):
            return m, 0.85, "the other versions name it as their source"
    langs = Counter(members[m].lang for m in ordered)
    fewest = min(langs.values())
    candidates = [m for m in ordered if langs[members[m].lang] == fewest]
    if len(candidates) == 1 and len(langs) > 1:
        lang = members[candidates[0]].lang
        spread = ", ".join(f"{n} {l}" for l, n in langs.most_common())
        return candidates[0], 0.8, (f"it is the only {lang} version among the distinct versions ({spread}); "
                                     "translations usually outnumber their original")
    scripts = {s for m in ordered if (s := _script(members[m]))}
    residue = {m: _leftovers(members[m], scripts) for m in candidates}
    low = min(residue.values())
    clean = [m for m in candidates if residue[m] == low]
    if len(clean) == 1 and low < max(residue.values()):
        return clean[0], 0.65, "the other versions keep untranslated words in its script"
    if len(langs) == 1:
        longest = max(candidates, key=lambda m: (len(members[m].text), m))
        return longest, 0.5, "no time or source signal; the fullest version is taken as the original"
    preferred = [m for lang in source_langs for m in candidates if members[m].lang == lang]
    if preferred:
        return preferred[0], 0.55, (f"languages are balanced; {members[preferred[0]].lang} is more often the "
                                    "source of translated news (weak prior)")
    return candidates[0], 0.5, "no direction signal: languages are balanced; picked arbitrarily"


def _attach(original: str, members: dict[str, Article], links: list[tuple[str, str, float]],
            parent: dict[str, str]) -> None:
    """Complete `parent` (copy -> its source) into a tree rooted at the original.

    A copy keeps its source as parent once that source is placed; any other member
    hangs from the original when linked to it, else from its best-scoring placed
    neighbour. Members left over by a cycle lose their copy parent and retry.
    """
    neighbours: dict[str, list[tuple[float, str]]] = {m: [] for m in members}
    for a, b, score in links:
        neighbours[a].append((score, b))
        neighbours[b].append((score, a))
    fixed = {m: p for m, p in parent.items() if m != original}
    parent.clear()
    placed = {original}
    while len(placed) < len(members):
        progress = False
        for m in sorted(members):
            if m in placed:
                continue
            if m in fixed:
                if fixed[m] in placed:
                    parent[m] = fixed[m]
                else:
                    continue
            else:
                options = [(s, n) for s, n in neighbours[m] if n in placed]
                if not options:
                    continue
                direct = [o for o in options if o[1] == original]
                parent[m] = (direct or [max(options)])[0][1]
            placed.add(m)
            progress = True
        if not progress:
            if not fixed:
                break
            fixed = {}
