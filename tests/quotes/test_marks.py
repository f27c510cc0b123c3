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
