"""Pairing names across a translated sentence (align.py): by type, then by reading order."""
from __future__ import annotations

from echolot.entities.align import pair_gaps


def test_names_the_types_leave_unpaired_pair_in_reading_order_in_aligned_sentences() -> None:
    # "... European Pravda reports, citing the Presidential Office" / "... повідомляє Європейська правда з
    # посиланням на Офіс президента": two organisations on each side, which no typed pairing can tell apart
    english = [("zelensky", "PER"), ("pravda-en", "ORG"), ("office-en", "ORG")]
    ukrainian = [("zelensky", "PER"), ("pravda-uk", "ORG"), ("office-uk", "ORG")]
    assert pair_gaps(english, ukrainian) == []
    assert pair_gaps(english, ukrainian, in_order=True) == [("pravda-en", "pravda-uk"), ("office-en", "office-uk")]


def test_order_pairs_nothing_when_counts_or_types_differ_a_person_is_left_or_articles_are_compared_whole() -> None:
    a = [("anchor", "ORG"), ("x", "ORG"), ("y", "LOC")]
    assert pair_gaps(a, [("anchor", "ORG"), ("z", "ORG")], in_order=True) == [("x", "z")]  # typed only
    assert pair_gaps(a, [("anchor", "ORG"), ("z", "ORG"), ("w", "ORG"), ("v", "MISC")], in_order=True) == []
    assert pair_gaps([("p", "PER"), ("q", "PER")], [("r", "PER"), ("s", "PER")], in_order=True) == []
    assert pair_gaps([("euro", "MISC")], [("land", "ORG")], in_order=True) == []  # "Euro" ~ "Land": no
    assert pair_gaps([("reede", "LOC")], [("hafenamt", "ORG")], in_order=True) == []  # types differ: no
    assert pair_gaps([("x", "ORG"), ("y", "ORG")], [("z", "ORG"), ("w", "ORG")], max_gap=2, in_order=True) == []
    # a typed pair is made first, and the rest pairs by order
    assert pair_gaps([("x", "ORG"), ("y", "ORG"), ("s", "MISC")], [("z", "ORG"), ("w", "ORG"), ("t", "MISC")],
                     in_order=True) == [("s", "t"), ("x", "z"), ("y", "w")]
