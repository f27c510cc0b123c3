"""Time expressions in six languages, resolved against an article date or left open without one."""
from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from echolot.stories.features import parse_time
from echolot.stories.timex import extract, written_estimate

ANCHOR = parse_time("2023-03-01T12:00:00")


def _day(days: float | None) -> date | None:
    return None if days is None else datetime.fromtimestamp(days * 86400.0, tz=UTC).date()


def _found(text: str, anchor: float | None = ANCHOR) -> list[tuple[str, date | None, date | None]]:
    return [(m.kind, _day(m.lo), _day(m.hi)) for m in extract(text, anchor)]


@pytest.mark.parametrize(("text", "kind", "lo", "hi"), [
    ("seit dem Einmarsch im Februar 2022", "month", date(2022, 2, 1), date(2022, 3, 1)),
    ("protests in January 2022 shook the country", "month", date(2022, 1, 1), date(2022, 2, 1)),
    ("протесты в январе 2022 года", "month", date(2022, 1, 1), date(2022, 2, 1)),
    ("протести у січні 2022 року", "month", date(2022, 1, 1), date(2022, 2, 1)),
    ("les manifestations en janvier 2022", "month", date(2022, 1, 1), date(2022, 2, 1)),
    ("las protestas en enero de 2022", "month", date(2022, 1, 1), date(2022, 2, 1)),
    ("5 Jan, 2022 22:10", "day", date(2022, 1, 5), date(2022, 1, 6)),
    ("am 5. Januar 2022", "day", date(2022, 1, 5), date(2022, 1, 6)),
    ("on January 5, 2022", "day", date(2022, 1, 5), date(2022, 1, 6)),
    ("5 января 2022 года", "day", date(2022, 1, 5), date(2022, 1, 6)),
    ("le 5 janvier 2022", "day", date(2022, 1, 5), date(2022, 1, 6)),
    ("el 5 de enero de 2022", "day", date(2022, 1, 5), date(2022, 1, 6)),
    ("Stand: 05.01.2022", "day", date(2022, 1, 5), date(2022, 1, 6)),
    ("https://example.org/20220106/russland-4917115.html", "day", date(2022, 1, 6), date(2022, 1, 7)),
    ("https://example.org/2022/01/06/story", "day", date(2022, 1, 6), date(2022, 1, 7)),
    ("im Jahr 2022 ordnete er an", "year", date(2022, 1, 1), date(2023, 1, 1)),
    # relative to the anchor (2023-03-01)
    ("Russlands Angriff auf die Ukraine vor einem Jahr", "relative", date(2022, 1, 1), date(2023, 1, 1)),
    ("Beim letztjährigen Forum teilte er die Bühne", "relative", date(2022, 1, 1), date(2023, 1, 1)),
    ("last year the talks failed", "relative", date(2022, 1, 1), date(2023, 1, 1)),
    ("в прошлом году", "relative", date(2022, 1, 1), date(2023, 1, 1)),
    ("минулого року", "relative", date(2022, 1, 1), date(2023, 1, 1)),
    ("l'année dernière", "relative", date(2022, 1, 1), date(2023, 1, 1)),
    ("hace dos años", "relative", date(2021, 1, 1), date(2022, 1, 1)),
    ("два года назад", "relative", date(2021, 1, 1), date(2022, 1, 1)),
    ("next year", "relative", date(2024, 1, 1), date(2025, 1, 1)),
    ("in January the price rose", "month-alone", date(2023, 1, 1), date(2023, 2, 1)),
    ("в январе цены выросли", "month-alone", date(2023, 1, 1), date(2023, 2, 1)),
])
def test_expressions_resolve_against_the_article_date(text: str, kind: str, lo: date, hi: date) -> None:
    assert _found(text) == [(kind, lo, hi)]


def test_relative_expressions_stay_open_without_a_date() -> None:
    assert _found("vor einem Jahr und im Februar", anchor=None) == [("month-alone", None, None),
                                                                    ("relative", None, None)]
    assert [m.kind for m in extract("in January, last week", None)] == ["month-alone", "relative"]
    assert all(m.lo is None for m in extract("in January, last week", None))


def test_words_that_only_look_like_dates_are_left_alone() -> None:
    assert _found("May I say something? Mai Thi Nguyen spoke.") == []
    assert _found("Artikel 4 des Vertrags, 2000 Soldaten und 12345 Euro") == []
    assert [m.kind for m in extract("klimaneutral bis 2030, by 2045", ANCHOR)] == ["target", "target"]


def test_written_estimate_prefers_a_full_date_then_a_lower_bound() -> None:
    dateline = extract("5 Jan, 2022 22:10 / Updated 3 years ago. Protests began in December 2021.")
    written, earliest = written_estimate(dateline)
    assert _day(written) == date(2022, 1, 5) and _day(earliest) == date(2022, 1, 5)
    bound = extract("vorsichtig seit dem Einmarsch im Februar 2022; seit 2017 Gastgeber; beim letztjährigen Forum")
    written, earliest = written_estimate(bound)
    assert written is None and _day(earliest) == date(2022, 2, 1)
    assert written_estimate(extract("bis 2030 will das Land klimaneutral sein")) == (None, None)
    assert written_estimate(extract("no time here at all")) == (None, None)
