"""Quotation marks of every style pair into regions; apostrophes never open a quote."""
from __future__ import annotations

import pytest

from echolot.quotes.marks import find_quote_regions, top_level


def inner(text: str) -> list[str]:
    return [text[r.inner_start:r.inner_end] for r in top_level(find_quote_regions(text))]


@pytest.mark.parametrize("text, expected", [
    ("Er sagte: „Das ist absolut falsch.“ Dann ging er.", ["Das ist absolut falsch."]),
    ("Sie sagte: »Nein, niemals!« Ende.", ["Nein, niemals!"]),
    ("«Это ложь», заявил он.", ["Это ложь"]),
    ("“It is false,” she said.", ["It is false,"]),
    ("He said \"no way\" twice.", ["no way"]),
    ("Er nannte es ‚Unsinn‘ und ging.", ["Unsinn"]),
    ("Il a dit ‹ non › et ‹oui›.", ["oui"]),
    ("The NRA’s plan was 'bad' in the '90s.", ["bad"]),
])
def test_styles(text: str, expected: list[str]) -> None:
    assert inner(text) == expected


def test_nested_quote_keeps_outer_region() -> None:
    text = "“A “nested” one,” he said"
    regions = find_quote_regions(text)
    assert inner(text) == ["A “nested” one,"]
    assert len(regions) == 2


def test_quote_spanning_paragraphs() -> None:
    text = "“First paragraph of the quote.\n\n“Second paragraph,” he said."
    (region,) = top_level(find_quote_regions(text))
    assert text[region.inner_start:region.inner_end].startswith("First paragraph")
    assert text[region.inner_start:region.inner_end].endswith("Second paragraph,")


def test_unclosed_quote_is_dropped() -> None:
    assert inner("He said “this never ends.\n\nNext paragraph.") == []


def test_apostrophes_are_not_quotes() -> None:
    assert inner("Don't say it's Biden's plan, the players' union said.") == []


# -- a writer's incise inside the marks (issue #14, tenth pass) ------------------------------------------

def _cut(text: str, lang: str) -> list[str]:
    from echolot.quotes.lexicon import SPEECH_VERBS, compile_words
    from echolot.quotes.marks import open_incises

    regions = open_incises(text, top_level(find_quote_regions(text)), compile_words(SPEECH_VERBS[lang]))
    return [text[r.inner_start:r.inner_end] for r in regions]


@pytest.mark.parametrize("lang,text,expected", [
    ("it", "«Il governo non cadrà – ha detto Meloni – e andremo avanti».", ["Il governo non cadrà", "e andremo avanti"]),
    ("it", "“Il governo non cadrà, ha spiegato Meloni, e andremo avanti”.", ["Il governo non cadrà", "e andremo avanti"]),
    ("es", "«No vamos a ceder —dijo Sánchez— y llegaremos al final».", ["No vamos a ceder", "y llegaremos al final"]),
    ("ru", "«Мы не отступим, — сказал Песков, — и доведём дело до конца».",
     ["Мы не отступим", "и доведём дело до конца"]),
    ("fr", "« Nous ne céderons pas — a-t-il dit — et nous irons au bout. »", ["Nous ne céderons pas", "et nous irons au bout. "]),
])
def test_an_incise_with_a_speech_verb_cuts_the_quotation_in_two(lang: str, text: str, expected: list[str]) -> None:
    assert [part.strip() for part in _cut(text, lang)] == [part.strip() for part in expected]


@pytest.mark.parametrize("lang,text", [
    # a dash clause of the speaker's own words, its verb after more than three words, is no incise
    ("it", "«Le molestie – e l'episodio avvenuto in piazza Duomo lo conferma – non diminuiscono affatto»."),
    # a comma clause without a speech verb right after the comma
    ("it", "«Il nostro governo, che ha detto tante cose, non cadrà mai»."),
    # fewer than three words before the dash: a lead-in, not a quotation cut by its cue
    ("ru", "«Да, — сказал он, — конечно»."),
])
def test_no_incise_is_cut_where_the_shape_does_not_fit(lang: str, text: str) -> None:
    assert len(_cut(text, lang)) == 1


def test_an_incise_must_name_someone() -> None:
    # "говорит о том" is "shows that": no speaker in it, the quotation is one
    text = "«Тот факт, что Берлин наводнен слухами, говорит о том, что Германия предпочла бы разочаровать Украину»."
    assert len(_cut(text, "ru")) == 1
    # a role after an article, a clitic: someone
    assert len(_cut("« Nous ne céderons pas, a déclaré le ministre, et nous irons au bout. »", "fr")) == 2
