"""Shown contents: quotation marks paired (`quotes.propositions.balance_quotes`)."""
from __future__ import annotations

from echolot.quotes.propositions import balance_quotes


def test_a_straight_closing_mark_gets_its_opener() -> None:
    # seed 000: 'erklärte, dass "im Ausland ausgebildete Terroristen" strategische ...' lost its opener
    shown = balance_quotes('im Ausland ausgebildete Terroristen" strategische Einrichtungen überrannt hätten.')
    assert shown == '"im Ausland ausgebildete Terroristen" strategische Einrichtungen überrannt hätten.'


def test_a_straight_opening_mark_gets_its_closer() -> None:
    assert balance_quotes('er sagte "wir kommen wieder') == 'er sagte "wir kommen wieder"'


def test_paired_marks_are_left_alone_and_balancing_is_idempotent() -> None:
    for text in ('die "verrückten" Behauptungen', "„absolut falsch“", "“crazy Russian claims”", "Biden’s plan"):
        assert balance_quotes(text) == text
    once = balance_quotes('Terroristen" überrannt')
    assert balance_quotes(once) == once
