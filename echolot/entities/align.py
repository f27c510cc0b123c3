"""Names that translate rather than transliterate: pair them through translation links.

"Russia" / "Russland", "CSTO" / "OVKS" / "ОДКБ", "Moscow" / "Moskau" share no spelling.
What they share is their place: in a translated sentence, the names that already
match (Tokayev ~ Toqajew) are anchors, and what is left between two anchors with
the same type, one on each side, is the same thing under another name. We use the
aligned sentence pairs of provenance links when they exist, and, when the store has
no links for an article, articles whose whole name sequences agree in order.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher

Item = tuple[str, str]  # (entity id, type), in reading order


@dataclass(frozen=True)
class Proposal:
    """Two entities the alignment says are one, with what to tell the user."""

    a: str
    b: str
    reason: str


def order_share(a: list[Item], b: list[Item]) -> float:
    """Share of the shorter sequence that matches the other in order (1.0: same names, same order)."""
    if not a or not b:
        return 0.0
    matcher = SequenceMatcher(a=[i for i, _ in a], b=[i for i, _ in b], autojunk=False)
    matched = sum(block.size for block in matcher.get_matching_blocks())
    return matched / min(len(a), len(b))


def pair_gaps(a: list[Item], b: list[Item], max_gap: int | None = None,
              in_order: bool = False) -> list[tuple[str, str]]:
    """Entity pairs left alone, one per type, between the same anchors on both sides.

    An entity that occurs anywhere on both sides is an anchor, never a candidate; a
    gap with two candidates of one type on a side is ambiguous and yields nothing.
    `max_gap` skips gaps with more distinct candidates than that on a side (used when
    whole articles, not aligned sentences, are compared: long gaps are guesswork).
    `in_order` (aligned sentences only): the names no type paired are paired in reading order
    when both sides have the same number of them (`_pair_in_order`).
    """
    ids_a, ids_b = [i for i, _ in a], [i for i, _ in b]
    shared = set(ids_a) & set(ids_b)
    matcher = SequenceMatcher(a=ids_a, b=ids_b, autojunk=False)
    pairs: list[tuple[str, str]] = []
    pa = pb = 0
    for block in matcher.get_matching_blocks():  # the last block is (len(a), len(b), 0)
        typed = _pair_one_gap(a[pa:block.a], b[pb:block.b], shared, max_gap)
        if in_order and max_gap is None:
            typed += _pair_in_order(a[pa:block.a], b[pb:block.b], shared | {x for pair in typed for x in pair})
        pairs += typed
        pa, pb = block.a + block.size, block.b + block.size
    return pairs


def _pair_one_gap(gap_a: list[Item], gap_b: list[Item], shared: set[str],
                  max_gap: int | None = None) -> list[tuple[str, str]]:
    by_type_a = _distinct_by_type(gap_a, shared)
    by_type_b = _distinct_by_type(gap_b, shared)
    if max_gap is not None and max(sum(map(len, by_type_a.values())), sum(map(len, by_type_b.values()))) > max_gap:
        return []
    out: list[tuple[str, str]] = []
    for type_, ids in by_type_a.items():
        other = by_type_b.get(type_, [])
        if len(ids) == 1 and len(other) == 1:
            out.append((ids[0], other[0]))
    return out


_MAX_IN_ORDER = 2  # names left on each side of one gap that may still be paired by their order
_IN_ORDER_TYPES = frozenset(["ORG", "LOC"])


def _pair_in_order(gap_a: list[Item], gap_b: list[Item], taken: set[str]) -> list[tuple[str, str]]:
    """Names of a translated sentence's gap that the typed pairing left alone, paired by position.

    A gap with two organisations on each side pairs nothing by type (which is which?): "European
    Pravda" and "Presidential Office" against "Європейська правда" and "Офіс президента". A translated
    sentence keeps the order of its names, so when both sides hold the same number (one or two) of
    such names, each an organisation or a place, and the types agree position by position, the
    first pairs with the first. Pairs whose types differ are never made: on the demo corpus they
    paired a German "Reede" (LOC) with an untranslated "Hafenmeisteramt" (ORG) in a Russian sentence,
    and their extra proposals outvoted a right pair elsewhere (`consistent`); people and MISC are left
    to the typed pairing (MISC words often have nothing opposite them: German "Euro" against French
    "euros" in lower case)."""
    left = _distinct_in_order(gap_a, taken)
    right = _distinct_in_order(gap_b, taken)
    if not left or len(left) != len(right) or len(left) > _MAX_IN_ORDER:
        return []
    if any(ta not in _IN_ORDER_TYPES or ta != tb for (_, ta), (_, tb) in zip(left, right)):
        return []
    return [(x, y) for (x, _), (y, _) in zip(left, right)]


def _distinct_in_order(items: list[Item], taken: set[str]) -> list[Item]:
    out: list[Item] = []
    for entity_id, type_ in items:
        if entity_id not in taken and all(entity_id != seen for seen, _ in out):
            out.append((entity_id, type_))
    return out


def _distinct_by_type(items: list[Item], shared: set[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for entity_id, type_ in items:
        if entity_id in shared:
            continue
        bucket = out.setdefault(type_, [])
        if entity_id not in bucket:
            bucket.append(entity_id)
    return out


def consistent(proposals: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Keep pairs whose two sides agree on each other most often (ties: neither).

    Tagger noise can put "Kreml" opposite "Russia" once; "Russland" opposite
    "Russia" wins when it is seen more often, and a one-to-one tie is dropped.
    """
    support = Counter(proposals)
    best_a: dict[str, list[tuple[str, str]]] = {}
    best_b: dict[str, list[tuple[str, str]]] = {}
    for pair in support:
        best_a.setdefault(pair[0], []).append(pair)
        best_b.setdefault(pair[1], []).append(pair)

    def winner(options: list[tuple[str, str]]) -> tuple[str, str] | None:
        ranked = sorted(options, key=lambda p: -support[p])
        if len(ranked) > 1 and support[ranked[0]] == support[ranked[1]]:
            return None
        return ranked[0]

    return [pair for pair in support if winner(best_a[pair[0]]) == pair and winner(best_b[pair[1]]) == pair]


_MIN_WRITTEN = 4  # shorter variants ("US", "EU") occur inside too many other words and codes


def written_in(variants: Iterable[str], text: str) -> bool:
    """Whether one of an entity's names stands, as a whole word, in `text` (tagged there or not).

    A gap pairing across a translation assumes the two names are each other's only match.
    When one side's name is written in the other side's sentence, untagged ("Lunevo-Damms"
    opposite "Lunevo dam"), the tagger missed it there, and what is left in the gap ("Selvatal")
    is something else.
    """
    return any(len(v) >= _MIN_WRITTEN and re.search(rf"(?<!\w){re.escape(v)}(?!\w)", text) for v in variants)


def sentence_items(items: list[tuple[int, Item]], start: int, end: int) -> list[Item]:
    """Items (with character offsets) that fall inside one sentence."""
    return [item for offset, item in items if start <= offset < end]


def candidate_pairs(new_items: dict[str, list[Item]], entity_articles: dict[str, Counter[str]],
                    min_shared: int, max_df: int) -> dict[str, Counter[str]]:
    """Other articles sharing at least `min_shared` rare entities with each new article."""
    out: dict[str, Counter[str]] = {}
    for article_id, items in new_items.items():
        counts: Counter[str] = Counter()
        for entity_id in {i for i, _ in items}:
            articles = entity_articles.get(entity_id, Counter())
            if len(articles) > max_df:
                continue
            for other in articles:
                if other != article_id:
                    counts[other] += 1
        out[article_id] = Counter({o: c for o, c in counts.items() if c >= min_shared})
    return out
