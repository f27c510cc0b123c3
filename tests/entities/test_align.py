"""Pairing names across a translated sentence (align.py): by type, then by reading order."""
from __future__ import annotations

from echolot.entities.align import pair_gaps


def test_names_the_types_leave_unpaired_pair_in_reading_order_in_aligned_sentences() -> None:
    # "According to Ukrinform, the Defence Intelligence ... reports it in Facebook" /
    # "Як передає Укрінформ, про це Головне управління розвідки ... повідомляє у Фейсбуці"
    english = [("ukrinform", "ORG"), ("intel-en", "ORG"), ("facebook", "LOC")]
    ukrainian = [("ukrinform", "ORG"), ("intel-uk", "ORG"), ("facebook-uk", "ORG")]
    assert pair_gaps(english, ukrainian) == []  # two ORGs on one side: no typed pair
    assert pair_gaps(english, ukrainian, in_order=True) == [("intel-en", "intel-uk"), ("facebook", "facebook-uk")]


def test_order_pairs_nothing_when_counts_differ_a_person_is_left_or_articles_are_compared_whole() -> None:
    a = [("anchor", "ORG"), ("x", "ORG"), ("y", "LOC")]
    assert pair_gaps(a, [("anchor", "ORG"), ("z", "ORG")], in_order=True) == [("x", "z")]  # typed only
    assert pair_gaps(a, [("anchor", "ORG"), ("z", "ORG"), ("w", "ORG"), ("v", "MISC")], in_order=True) == []
    assert pair_gaps([("p", "PER"), ("y", "LOC")], [("q", "ORG"), ("w", "ORG")], in_order=True) == []
    assert pair_gaps([("euro", "MISC")], [("land", "ORG")], in_order=True) == []  # "Euro" ~ "Land": no
    assert pair_gaps(a, [("anchor", "ORG"), ("z", "ORG"), ("w", "ORG")], max_gap=2, in_order=True) == []
    # a typed pair is made first, and the rest pairs by order
    assert pair_gaps([("x", "ORG"), ("y", "LOC"), ("s", "MISC")], [("z", "ORG"), ("w", "ORG"), ("t", "MISC")],
                     in_order=True) == [("s", "t"), ("x", "z"), ("y", "w")]
    assert pair_gaps([("x", "LOC")], [("z", "ORG")], in_order=True) == [("x", "z")]
