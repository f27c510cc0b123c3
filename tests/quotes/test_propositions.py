"""Shown contents: quotation marks paired (`quotes.propositions.balance_quotes`)."""
from __future__ import annotations

from typing import Any

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


def test_an_object_noun_phrase_is_not_a_proposition(english_nlp: Any) -> None:
    # seed 001: "Tokayev has vowed a 'tough' response, initially blaming ... and organized 'bandit elements.'"
    # was shown as a quote; the small parser even tags "organized" as a finite verb
    from echolot.quotes.propositions import is_proposition

    nlp = english_nlp
    text = ("Tokayev has vowed a “tough” response, initially blaming the violence on “financially motivated "
            "plotters” and organized “bandit elements.”")
    start = text.index("a “tough”")
    assert not is_proposition(text, (start, len(text)), "indirect", nlp(text))
    text = "Officials said the US will continue to provide defensive assistance to Kiev."
    start = text.index("the US")
    assert is_proposition(text, (start, len(text)), "indirect", nlp(text))
