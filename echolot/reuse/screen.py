"""The lead screen: a cheap test before a candidate pair's articles are embedded in full.

A translation or rewrite carries over its source's opening; two articles that merely
share a topic rarely have a pair of lead sentences this close. Each article's first
`screen_sentences` content sentences were embedded with its features (float16, kept in
memory once per article), so the screen costs no encoding for new articles and runs as
one batched product per slice of pairs. Pairs with an article outside the main
encoder's languages are screened on the wide encoder's vectors of both sides.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING

import numpy as np

from echolot.encoders import Encoder
from echolot.reuse.features import FEATURE_CHUNK, encode_groups, lead_sentences, padded
from echolot.settings import ReuseSettings
from echolot.text.translit import skeletons_meet

if TYPE_CHECKING:
    from echolot.reuse.encoding import Encoders
    from echolot.reuse.features import Pool
    from echolot.store.base import Store


def best_lead_cosine(va: np.ndarray, vb: np.ndarray) -> np.ndarray:
    """Per pair, the highest cosine between any lead sentence of one and any of the other."""
    return np.matmul(va.astype(np.float32), vb.astype(np.float32).transpose(0, 2, 1)).max(axis=(1, 2))


def lead_coverage(va: np.ndarray, vb: np.ndarray) -> np.ndarray:
    """Per pair, how well the two leads match as wholes: each lead sentence's best cosine on the other
    side, the best m of each side averaged (m = the shorter lead's present sentences; zero rows are
    absent), then both sides averaged.

    A translation carries over its source's whole lead, so every lead sentence has its counterpart;
    an article that merely shares one formulaic sentence ("Doctors advise older people to stay at
    home during the heat.") matches one of three. The best single pair cannot tell the two apart.
    A one-sentence lead is judged on that sentence, as the best pair would."""
    a, b = va.astype(np.float32), vb.astype(np.float32)
    sim = np.matmul(a, b.transpose(0, 2, 1))  # [pairs, rows of a, rows of b]
    present_a, present_b = np.abs(a).sum(axis=2) > 0, np.abs(b).sum(axis=2) > 0
    sim = np.where(present_a[:, :, None] & present_b[:, None, :], sim, -np.inf)
    m = np.minimum(present_a.sum(axis=1), present_b.sum(axis=1))  # [pairs]

    def best_m(best: np.ndarray) -> np.ndarray:
        """Mean of each pair's m highest row scores (absent rows sort last as -inf)."""
        ranked = -np.sort(-best, axis=1)
        take = np.arange(best.shape[1])[None, :] < m[:, None]
        return np.where(take, ranked, 0.0).sum(axis=1) / np.maximum(m, 1)

    out = (best_m(sim.max(axis=2)) + best_m(sim.max(axis=1))) / 2
    return np.where(m > 0, out, 0.0)


def screen(pairs: list[tuple[str, str]], pool: Pool, store: Store, encoders: Encoders,
           cfg: ReuseSettings, batch_size: int, leads: dict[str, np.ndarray],
           wide_leads: dict[str, np.ndarray] | None = None,
           anchors_of: Mapping[str, set[str]] | None = None) -> list[tuple[str, str]]:
    """Keep the pairs whose lead sentences say the same thing somewhere, before embedding whole articles.

    `leads` / `wide_leads` hold each article's lead vectors of the main / wide encoder;
    older articles' are read from the vector cache (or encoded) once each, not once per
    slice of pairs. `anchors_of` holds the anchors the stage already computed per article
    (`Features.anchors`); articles missing from it get theirs computed here.
    """
    if cfg.screen_cos <= 0 or not pairs:
        return pairs
    wide_leads = {} if wide_leads is None else wide_leads
    main_pairs: list[tuple[str, str]] = []
    wide_pairs: list[tuple[str, str]] = []
    for a, b in pairs:
        (wide_pairs if encoders.for_pair(pool[a].lang, pool[b].lang) is not encoders.main else main_pairs).append((a, b))
    keep: set[tuple[str, str]] = set()
    added: set[tuple[str, str]] = set()  # candidates found among the leads at hand (`leads_at_hand_pairs`)
    for group, encoder, vectors, threshold in ((main_pairs, encoders.main, leads, cfg.screen_cos),
                                               (wide_pairs, encoders.wide, wide_leads, cfg.wide_screen_cos)):
        if not group or encoder is None:
            continue
        missing = sorted({x for pair in group for x in pair} - vectors.keys())
        load_leads(missing, pool, store, encoder, cfg, batch_size, vectors)
        if encoder is encoders.wide and cfg.wide_lead_k > 0:
            extra = leads_at_hand_pairs(group, vectors, pool, encoders, cfg.wide_lead_k)
            group = group + extra
            added.update(extra)
        scores: dict[tuple[str, str], float] = {}
        for start in range(0, len(group), 8192):  # one batched product per slice of pairs
            chunk = group[start:start + 8192]
            best = best_lead_cosine(np.stack([vectors[a] for a, _ in chunk]), np.stack([vectors[b] for _, b in chunk]))
            scores.update((pair, float(score)) for pair, score in zip(chunk, best) if score >= threshold)
        if encoder is encoders.wide and cfg.wide_screen_k > 0:
            scores = {pair: scores[pair] for pair in ranked_wide(list(scores), vectors, pool, encoders, cfg,
                                                                         anchors_of)}
        keep.update(scores)
    return [pair for pair in pairs if pair in keep] + sorted(keep & added)


def leads_at_hand_pairs(pairs: list[tuple[str, str]], vectors: dict[str, np.ndarray], pool: Pool,
                        encoders: Encoders, k: int) -> list[tuple[str, str]]:
    """More main-space candidates for each wide-space article of `pairs`, found among the main-space
    articles whose wide-encoder leads are already at hand (encoded for this screen as some wide-space
    article's candidate): its `k` nearest by language-centred mean lead, pairs not yet proposed.

    A wide-space article's main-space candidates come from the main encoder, which reads it only by
    its names and numbers, so a translation can be missing from its `wide_ann_k` neighbours even when
    it was another article's candidate and its lead sits here in the wide space (dev-languages: four
    split groups had no candidate pair between a Ukrainian or Yakut original and any of its
    translations). Searching the leads at hand costs no encoding; the screen's ranking then
    treats these pairs like any other."""
    wide = sorted({x for pair in pairs for x in pair if encoders.is_wide(pool[x].lang) and x in vectors})
    main = sorted(x for x in vectors if not encoders.is_wide(pool[x].lang))
    if not wide or not main:
        return []
    ids = wide + main
    means = np.stack([_mean_lead(vectors[x]) for x in ids])
    langs = [pool[x].lang or "" for x in ids]
    for lang in set(langs):
        rows = [n for n, code in enumerate(langs) if code == lang]
        if len(rows) >= 2:
            means[rows] -= means[rows].mean(axis=0)
    means /= np.maximum(np.linalg.norm(means, axis=1, keepdims=True), 1e-12)
    queries, corpus = means[:len(wide)], means[len(wide):]
    known = set(pairs)
    out: list[tuple[str, str]] = []
    take = min(k, len(main))
    for start in range(0, len(wide), 1024):
        sims = queries[start:start + 1024] @ corpus.T
        best = np.argpartition(-sims, take - 1, axis=1)[:, :take]
        for row, columns in enumerate(best):
            x = wide[start + row]
            for column in columns:
                pair = (min(x, main[column]), max(x, main[column]))
                if pair not in known:
                    known.add(pair)
                    out.append(pair)
    return out


def _mean_lead(rows: np.ndarray) -> np.ndarray:
    """Mean of a padded lead's present sentence vectors (zero rows are padding)."""
    rows = rows.astype(np.float32)
    present = rows[np.abs(rows).sum(axis=1) > 0]
    return present.mean(axis=0) if len(present) else np.zeros(rows.shape[1], dtype=np.float32)


def centred_scores(pairs: list[tuple[str, str]], vectors: dict[str, np.ndarray],
                   lang: Callable[[str], str], min_rows: int = 30,
                   statistic: Callable[[np.ndarray, np.ndarray], np.ndarray] | None = None,
                   ) -> dict[tuple[str, str], float]:
    """Lead coverage (`lead_coverage`, or `statistic`) of each pair after subtracting each language's mean
    lead-sentence vector.

    A multilingual encoder puts every text of one language in a common region, so raw
    cosines rank same-language neighbours above translations; without the language's share
    what is left is mostly what the sentence says (as for the candidate ANN, `index.centred`).
    Coverage rather than the best single pair: on the generated corpus at 10k articles, the best
    pair let same-language articles that share one formulaic lead sentence (a third of them the very
    same sentence) crowd translations out of an article's top 4 (519 of 1,170 gold pairs lost);
    coverage lost 10, with as many pairs kept (docs/BENCHMARKS.md).
    A language with fewer than `min_rows` lead sentences here gets the mean of all of them (one
    article's own mean would remove what it says); with fewer than that in all, as in a small
    incremental run, the raw cosines are returned.
    """
    statistic = statistic or lead_coverage
    ids = sorted({x for pair in pairs for x in pair})
    real = {x: vectors[x].astype(np.float32) for x in ids}
    real = {x: rows[np.abs(rows).sum(axis=1) > 0] for x, rows in real.items()}
    total = sum(len(rows) for rows in real.values())
    if total < min_rows:
        return dict(zip(pairs, (float(x) for x in statistic(
            np.stack([vectors[a] for a, _ in pairs]), np.stack([vectors[b] for _, b in pairs]))))) if pairs else {}
    overall = np.concatenate(list(real.values())).mean(axis=0)
    by_lang: dict[str, list[np.ndarray]] = {}
    for x, rows in real.items():
        by_lang.setdefault(lang(x), []).append(rows)
    means = {key: (np.concatenate(rows).mean(axis=0) if sum(len(r) for r in rows) >= min_rows else overall)
             for key, rows in by_lang.items()}
    centred: dict[str, np.ndarray] = {}
    for x in ids:
        rows = vectors[x].astype(np.float32)
        present = np.abs(rows).sum(axis=1) > 0
        rows = np.where(present[:, None], rows - means[lang(x)], 0.0)
        centred[x] = rows / np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-6)
    out: dict[tuple[str, str], float] = {}
    for start in range(0, len(pairs), 8192):
        chunk = pairs[start:start + 8192]
        scores = statistic(np.stack([centred[a] for a, _ in chunk]), np.stack([centred[b] for _, b in chunk]))
        out.update(zip(chunk, (float(x) for x in scores)))
    return out


def ranked_wide(pairs: list[tuple[str, str]], vectors: dict[str, np.ndarray], pool: Pool, encoders: Encoders,
                cfg: ReuseSettings, anchors_of: Mapping[str, set[str]] | None = None) -> set[tuple[str, str]]:
    """The wide-space pairs that pass: each wide-space article's `wide_screen_k` best by centred lead
    coverage, and its `wide_screen_best_k` best by centred best single lead pair (a short lead, or
    sentences split differently in the two languages, can leave one sentence pair as the evidence),
    less the pairs whose anchors disagree (`anchor_conflicts`)."""
    lang: Callable[[str], str] = lambda x: pool[x].lang or ""  # noqa: E731
    ranks: Callable[[str], bool] = lambda x: encoders.is_wide(pool[x].lang)  # noqa: E731
    coverage = centred_scores(pairs, vectors, lang)
    keep = top_per_article(coverage, cfg.wide_screen_k, ranks)
    if cfg.wide_screen_best_k > 0:
        best = centred_scores(pairs, vectors, lang, statistic=best_lead_cosine)
        keep |= top_per_article(best, cfg.wide_screen_best_k, ranks)
    return keep - anchor_conflicts(sorted(keep), coverage, pool, cfg, anchors_of)


def anchor_conflicts(pairs: list[tuple[str, str]], coverage: dict[tuple[str, str], float], pool: Pool,
                     cfg: ReuseSettings, anchors_of: Mapping[str, set[str]] | None = None) -> set[tuple[str, str]]:
    """Ranked pairs whose anchors disagree, and whose centred lead coverage stays under `wide_conflict_cov`:
    both articles name at least `wide_conflict_anchors` anchors (numbers, names folded to ASCII:
    `features.anchors`) and share none; or, with `wide_conflict_uncased`, an article written without
    capitals (Hindi, Georgian, Arabic...: no name anchors) spells too few of the other's names
    (`unspelled`, `unshared`).

    Ranking keeps a few pairs for every wide-space article, so nearly every such article was aligned
    (its every sentence and its partners' encoded with the wide encoder) although half of them have no
    version in the corpus. A translation carries its source's numbers and names over; two articles that
    each name several and share not one are rarely versions of one text. Texts with few anchors are not
    judged, and a pair whose leads match as wholes passes anyway (a name can be transliterated beyond
    recognition). On dev-languages no gold pair among the ranked ones is dropped; on the generated
    corpus at 3k a third of the ranked pairs are (docs/BENCHMARKS.md). `anchors_of` holds anchors
    computed already (the stage's `Features.anchors`: the same function, so the same sets); an article
    missing from it has its anchors computed here, once."""
    if cfg.wide_conflict_anchors <= 0:
        return set()
    ids = sorted({x for pair in [*pairs, *coverage] for x in pair})
    evidence = _Evidence(pool, cfg, anchors_of, ids)
    out: set[tuple[str, str]] = set()
    for a, b in pairs:
        if coverage.get((a, b), 0.0) < cfg.wide_conflict_cov and evidence.conflict(a, b):
            out.add((a, b))
    return out


class _Evidence:
    """What `anchor_conflicts` compares, per article and computed once: anchors, name skeletons and, for an
    article written without capitals, its words' skeletons less those common among the articles at hand
    in its language (`common_words`)."""

    def __init__(self, pool: Pool, cfg: ReuseSettings, anchors_of: Mapping[str, set[str]] | None,
                 ids: list[str]) -> None:
        self.pool, self.cfg, self.known = pool, cfg, anchors_of or {}
        self.found: dict[str, set[str]] = {}
        self.names: dict[str, set[str]] = {}
        self.spelled: dict[str, frozenset[str]] = {}
        if cfg.wide_conflict_uncased:
            from echolot.reuse.features import spelled

            self.spelled = {x: spelled(pool[x]) for x in ids}
        self.common = common_words(self.spelled, lambda x: pool[x].lang or "", cfg.wide_conflict_common)

    def anchors(self, x: str) -> set[str]:
        if x in self.known:
            return self.known[x]
        if x not in self.found:
            from echolot.reuse.features import anchors

            self.found[x] = anchors(self.pool[x])
        return self.found[x]

    def words(self, x: str) -> frozenset[str]:
        """The skeletons of an article written without capitals (empty for any other), common words out."""
        return self.spelled.get(x, frozenset()) - self.common.get(self.pool[x].lang or "", frozenset())

    def name_skeletons(self, x: str) -> set[str]:
        if x not in self.names:
            from echolot.reuse.features import name_skeletons

            self.names[x] = name_skeletons(self.pool[x])
        return self.names[x]

    def conflict(self, a: str, b: str) -> bool:
        """Whether the two articles' names and numbers disagree (see `anchor_conflicts`)."""
        tokens_a, tokens_b = self.anchors(a), self.anchors(b)
        least = self.cfg.wide_conflict_anchors
        if min(len(tokens_a), len(tokens_b)) >= least and not tokens_a & tokens_b:
            return True
        words_a, words_b = self.words(a), self.words(b)
        numbers_a, numbers_b = numbers(tokens_a), numbers(tokens_b)
        if words_a and words_b:
            return unshared(words_a, words_b, numbers_a, numbers_b, least)
        if words_b:
            return unspelled(self.name_skeletons(a), numbers_a, words_b, numbers_b, least)
        if words_a:
            return unspelled(self.name_skeletons(b), numbers_b, words_a, numbers_a, least)
        return False


def common_words(spelled: Mapping[str, frozenset[str]], lang: Callable[[str], str],
                 share: float) -> dict[str, frozenset[str]]:
    """Per language, the skeletons found in more than `share` of its articles here (and in more than two):
    its function words, which a translation into another language does not carry and which meet other
    languages' words by chance. Names are rare by comparison; with few articles nothing is dropped."""
    by_lang: dict[str, list[frozenset[str]]] = {}
    for x, words in spelled.items():
        if words:
            by_lang.setdefault(lang(x), []).append(words)
    out: dict[str, frozenset[str]] = {}
    for code, sets in by_lang.items():
        counts = Counter(word for words in sets for word in words)
        limit = max(2.0, share * len(sets))
        out[code] = frozenset(word for word, n in counts.items() if n > limit)
    return out


def numbers(tokens: set[str]) -> set[str]:
    """The number anchors among an article's anchors."""
    return {t for t in tokens if t.startswith("#")}


def _found(names: Iterable[str], words: frozenset[str]) -> int:
    """How many of `names` meet one of `words` (`translit.skeletons_meet`)."""
    return sum(any(skeletons_meet(name, word) for word in words) for name in names)


def unspelled(names: set[str], numbers_a: set[str], words: frozenset[str], numbers_b: set[str],
              min_evidence: int) -> bool:
    """Whether a cased article's names (consonant skeletons, `features.name_skeletons`) are mostly absent
    from an article written without capitals (its words' skeletons, `features.spelled`), their numbers
    counted too (`numbers_a`, `numbers_b`: a number either names and the other lacks counts against):
    at least `min_evidence` names and numbers, and at most half of them found on both sides.

    Transliteration loses letters, so a translation does not spell every name the way the skeleton
    expects; on the generated hi/ka/hy corpus every true pair found more than half, and the wrong pairs
    that were linked at most half (docs/BENCHMARKS.md)."""
    evidence = len(names) + len(numbers_a | numbers_b)
    if evidence < min_evidence:
        return False
    return 2 * (len(numbers_a & numbers_b) + _found(names, words)) <= evidence


def unshared(words_a: frozenset[str], words_b: frozenset[str], numbers_a: set[str], numbers_b: set[str],
             min_evidence: int) -> bool:
    """Whether two articles written without capitals share fewer than `min_evidence` names and numbers
    (skeletons of two or more consonants that meet, numbers in both), the one with fewer such words
    having at least `min_evidence` of them. Neither side's names are known, but the words left after
    `common_words` are mostly names, and a translation spells its source's names: on the generated corpus
    true Hindi-Georgian pairs met in three or more, wrong ones in at most two (docs/BENCHMARKS.md)."""
    long_a, long_b = (frozenset(w for w in words if len(w) >= 2) for words in (words_a, words_b))
    fewer, more = (long_a, long_b) if len(long_a) <= len(long_b) else (long_b, long_a)
    if len(fewer) < min_evidence:
        return False
    return len(numbers_a & numbers_b) + _found(fewer, more) < min_evidence


def top_per_article(scores: dict[tuple[str, str], float], k: int, ranks: Callable[[str], bool]) -> set[tuple[str, str]]:
    """The pairs among the `k` best-scored of an article for which `ranks` holds (either end).

    The wide encoder's cosines crowd into a narrow high band, so a cosine floor passes nearly
    every candidate of an article in its space, and each passed pair costs a full encoding of
    both articles with the slow encoder. A translation has one source and few siblings, so
    its best few candidates (by language-centred cosine, `centred_scores`) hold them: ranking
    bounds the aligned pairs per such article."""
    by_article: dict[str, list[tuple[float, tuple[str, str]]]] = {}
    for pair, score in scores.items():
        for x in pair:
            if ranks(x):
                by_article.setdefault(x, []).append((-score, pair))
    keep: set[tuple[str, str]] = set()
    for options in by_article.values():
        keep.update(pair for _, pair in sorted(options)[:k])
    return keep


def load_leads(ids: list[str], pool: Pool, store: Store, encoder: Encoder, cfg: ReuseSettings,
               batch_size: int, leads: dict[str, np.ndarray]) -> None:
    """Lead vectors of articles not embedded in this run (cached by text, so rarely encoded again)."""
    for start in range(0, len(ids), FEATURE_CHUNK):
        chunk = ids[start:start + FEATURE_CHUNK]
        texts = [lead_sentences(pool[x], cfg.screen_sentences, cfg.lead_min_words) for x in chunk]
        for x, rows in zip(chunk, encode_groups(texts, encoder, store, batch_size)):
            leads[x] = padded(rows, cfg.screen_sentences)
