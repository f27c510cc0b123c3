"""Content boundaries of the English path: a content after its cue does not stop inside a phrase."""
from __future__ import annotations

from typing import Any

from echolot.quotes import english
from echolot.quotes.features import doc_info


def _finish(nlp: Any, text: str, cue: str, last: str) -> str:
    doc = nlp(text)
    cue_i = next(t.i for t in doc if t.text == cue)
    last_i = next(t.i for t in doc if t.text == last)
    got = english._finish_phrase(doc, doc_info(doc), cue_i, list(range(cue_i + 1, last_i + 1)), {cue_i})
    return " ".join(doc[i].text for i in got)


def test_a_content_cut_inside_a_noun_phrase_takes_the_phrase(english_nlp: Any) -> None:
    text = "Donald Trump is thanking his supporters for delivering a commanding first-place finish in South Carolina."
    assert _finish(english_nlp, text, "thanking", "first").endswith("first - place finish in South Carolina")


def test_a_content_cut_inside_a_clause_takes_the_clause(english_nlp: Any) -> None:
    text = "Ali rebuked Trump in December when the businessman called for barring all Muslims."
    assert _finish(english_nlp, text, "rebuked", "businessman").endswith("called for barring all Muslims")


def test_a_content_ending_with_its_phrase_is_unchanged(english_nlp: Any) -> None:
    text = "Trump said the plan would fail in the House."
    assert _finish(english_nlp, text, "said", "House") == "the plan would fail in the House"


def test_a_content_before_its_cue_or_quoted_is_left_alone(english_nlp: Any) -> None:
    doc = english_nlp("The plan would fail, Trump said on Monday.")
    cue_i = next(t.i for t in doc if t.text == "said")
    content = [0, 1, 2]  # "The plan would": its head lies later, but the content comes before the cue
    assert english._finish_phrase(doc, doc_info(doc), cue_i, content, {cue_i}) == content
    quoted = english_nlp('Trump said "the plan would" fail.')
    cue_q = next(t.i for t in quoted if t.text == "said")
    inside = [t.i for t in quoted if t.text in {"the", "plan", "would"}]
    assert english._finish_phrase(quoted, doc_info(quoted), cue_q, inside, {cue_q}) == inside
