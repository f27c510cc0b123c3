"""Alignment: margin scoring finds translated sentences in order and ignores unrelated ones."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from echolot.model import Article, Sentence
from echolot.reuse.align import evidence, flip, margin_align, text_align


def _unit(m: np.ndarray) -> np.ndarray:
    return m / np.linalg.norm(m, axis=1, keepdims=True)


def test_margin_align_recovers_noisy_copies_in_order() -> None:
    rng = np.random.default_rng(0)
    a = _unit(rng.normal(size=(8, 64)))
    b = _unit(a[[0, 1, 2, 4, 5, 6, 7]] + 0.05 * rng.normal(size=(7, 64)))  # sentence 3 dropped
    result = margin_align(a, b, k=3, min_margin=1.05, min_cos=0.4)
    assert [(i, j) for i, j, _ in result.pairs] == [(0, 0), (1, 1), (2, 2), (4, 3), (5, 4), (6, 5), (7, 6)]
    assert result.share == 1.0


def test_margin_align_rejects_unrelated_vectors() -> None:
    rng = np.random.default_rng(1)
    a, b = _unit(rng.normal(size=(10, 64))), _unit(rng.normal(size=(12, 64)))
    assert margin_align(a, b, min_cos=0.4).share == 0.0


def test_text_align_marks_added_dropped_and_changed() -> None:
    a = ["The council met on Monday.", "It approved the budget.", "The mayor was absent.", "Votes were 7 to 2."]
    b = ["Share this page", "The council met on Monday.", "It approved the new budget.", "Votes were 7 to 2."]
    alignment = text_align(a, b)
    rows = evidence(alignment, a, b, same_language=True)
    ops = [r.op for r in rows]
    assert ops.count("added") == 1 and ops.count("dropped") == 1 and ops.count("changed") == 1
    assert rows[0].op == "added" and rows[0].b_text == "Share this page"
    assert alignment.share == 0.75
    flipped = flip(rows)
    assert [r.op for r in flipped].count("dropped") == 1 and flipped[0].op == "dropped"


def test_diagonal_lift_sees_a_parallel_order() -> None:
    """A translation keeps its source's order: the band around the proportional position stands out
    even when each sentence is only slightly closer to its counterpart than to the rest."""
    import numpy as np

    from echolot.reuse.align import diagonal_lift

    rng = np.random.default_rng(3)
    common = rng.standard_normal(64)
    base = [common + 0.6 * rng.standard_normal(64) for _ in range(8)]
    unit = lambda rows: np.array([r / np.linalg.norm(r) for r in rows])  # noqa: E731
    source = unit(base)
    parallel = unit([b + 0.5 * rng.standard_normal(64) for b in base])
    other = unit([common + 0.6 * rng.standard_normal(64) for _ in range(8)])
    lift, alignment = diagonal_lift(source, parallel)
    assert lift > 0.05 and [(i, j) for i, j, _ in alignment.pairs] == [(i, i) for i in range(8)]
    assert diagonal_lift(source, other)[0] < 0.03
    assert diagonal_lift(source, source[:0])[0] == 0.0


def test_merged_coverage_counts_sentences_the_other_version_merged() -> None:
    from echolot.reuse.align import Alignment, merged_coverage

    # five sentences against two: the second and last three sit inside the other side's long sentences
    five, two = [74, 22, 177, 43, 48], [93, 271]
    alignment = Alignment([(0, 0, 0.9), (2, 1, 0.9)], 5, 2)
    assert alignment.coverage == 0.4
    assert merged_coverage(alignment, five, two) == 1.0
    # the unmatched run is longer than what the matched sentences beside it have to spare
    assert merged_coverage(Alignment([(0, 0, 0.9), (1, 1, 0.9)], 4, 2), [100, 100, 100, 100], [150, 150]) == 0.5
    # unmatched sentences facing unmatched sentences are a real difference, not a split
    both = Alignment([(0, 0, 0.9), (3, 3, 0.9)], 4, 4)
    assert merged_coverage(both, [100, 100, 100, 100], [100, 100, 100, 100]) == 0.5
    # a short article against a long one (length ratio beyond 1.5) never gains coverage
    short = Alignment([(0, 0, 0.9), (1, 5, 0.9)], 2, 10)
    assert merged_coverage(short, [100, 100], [100] * 10) == 0.2


def test_comparable_length_counts_characters_with_cjk_as_three() -> None:
    from echolot.reuse.align import comparable_length

    assert comparable_length(["a" * 100], ["b" * 60, "c" * 90], 1.6)  # 100 vs 150
    assert not comparable_length(["a" * 100], ["b" * 170], 1.6)
    assert comparable_length(["北京" * 25], ["x" * 140], 1.6)  # 50 CJK characters weigh 150
    assert comparable_length(["a"], ["b" * 1000], 0)  # 0: no limit


class _MarkerEncoder:
    """A wide encoder stand-in: a sentence's vector is a fixed random direction of its first word, so two
    texts that name the same markers in the same order form the diagonal band of a translation."""

    name, dim = "marker-test", 64

    def encode(self, texts: list[str]) -> np.ndarray:
        import zlib

        rows = [np.random.default_rng(zlib.crc32(t.split()[0].encode())).standard_normal(self.dim) for t in texts]
        return _unit(np.array(rows, dtype=np.float32))


def _marked(article_id: str, lang: str, markers: list[str]) -> Article:

    lines = [f"{m} says the ferry to the islands leaves from the western terminal today." for m in markers]
    return Article(id=article_id, text="\n".join(lines), lang=lang,
                   sentences=[Sentence(index=n, paragraph=n, text=line) for n, line in enumerate(lines)])


def test_rescue_leaves_articles_linked_or_settled_by_an_earlier_run_alone(tmp_path: Path) -> None:
    """Issue #12: the pipeline hands the reuse stage a batch at a time. An older article here has only
    its pairs with the new batch, so it looked unlinked (its links were stored by the earlier batch)
    and rival-less (its other candidates were ranked then), and was rescued to a new article: on the
    generated corpus at 3k in batches of 1,000, 80 links a single run did not make, most of them wrong."""
    from dataclasses import replace

    from echolot.encoders import get_encoder
    from echolot.model import ReuseLink
    from echolot.reuse.align import rescue_unlinked
    from echolot.reuse.encoding import Encoders
    from echolot.reuse.stage import stored_links
    from echolot.settings import ReuseSettings
    from echolot.store.sqlite import SQLiteStore

    store = SQLiteStore(tmp_path / "x.db")
    markers = ["alpha", "bravo", "charlie", "delta", "echo"]
    older = _marked("u-old", "uk", markers)  # linked by an earlier batch to its English translation
    new = _marked("e-new", "en", markers)  # this batch's article, linked in this batch to "e-other"
    pool = {x.id: x for x in (older, new)}
    encoders = Encoders(get_encoder("hashing"), _MarkerEncoder(), frozenset({"en"}))  # type: ignore[arg-type]
    cfg = replace(ReuseSettings(), wide_lift=0.035)
    pairs, this_run = [("e-new", "u-old")], [("e-new", "e-other")]

    def rescued(links: list[tuple[str, str]], settled: frozenset[str] = frozenset()) -> list[tuple[str, str]]:
        return [(p.a, p.b) for p in rescue_unlinked(pairs, links, pool, store, encoders, cfg, 64, settled)]

    # knowing only this batch's links, the older article is an orphan and its one pair here is rescued
    assert rescued(this_run) == [("e-new", "u-old")]
    # with the links stored by the earlier batch it is linked, so nothing is rescued
    store.put_links([ReuseLink("e-first", "u-old", "translation", 0.9)])
    assert stored_links(store, pairs) == [("e-first", "u-old")]
    assert rescued(this_run + stored_links(store, pairs)) == []
    # an older article no link reached is settled: its rivals of the earlier batch are not here
    assert rescued(this_run, frozenset({"u-old"})) == []
    # ... while a new orphan can still be rescued to it
    assert rescued([], frozenset({"u-old"})) == [("e-new", "u-old")]
