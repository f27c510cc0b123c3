"""Time expressions in news text (de, en, ru, uk, fr, es), resolved to day intervals.

Why stories need them: an article without a date can still say when it was
written ("5 Jan, 2022" in a dateline, "/20220106/" in a quoted link) or give a
lower bound ("since the invasion in February 2022": written after February
2022). Two articles on one theme a year apart ("unrest in Kazakhstan" and "a
visit to Kazakhstan") are then kept apart although their words are alike.

Three kinds of mention:

* absolute: a year ("2022", "im Jahr 2022"), a month and year ("im Februar 2022",
  "в январе 2022 года", "en enero de 2022"), a full date ("5. Januar 2022",
  "January 5, 2022", "5 января 2022", "2022-01-05", "05.01.2022", "/2022/01/06/");
* month without a year ("in January", "im Februar", "в январе"): the occurrence of
  that month nearest to the anchor (the article date) when there is one;
* relative ("vor einem Jahr", "last year", "letztjährigen Forum", "в прошлом году",
  "l'année dernière", "hace dos años", "yesterday", "last week"): an offset from the
  anchor, left unresolved without one.

Matching is by word lists, not by the detected language: month names and
relative phrases rarely collide across these languages, and a mixed-language text
(a quoted headline) is read as it is. Times are days since the Unix epoch (UTC),
the unit `features.parse_time` uses.
"""
from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import UTC, datetime

#: month number -> word stems in de/en/ru/uk/fr/es (matched at a word start, case-insensitively)
_MONTH_STEMS: dict[int, tuple[str, ...]] = {
    1: ("januar", "jänner", "january", "jan", "январ", "янв", "січ", "janvier", "janv", "enero", "ene"),
    2: ("februar", "feber", "february", "feb", "феврал", "фев", "лют", "février", "fevrier", "févr", "febrero"),
    3: ("märz", "maerz", "march", "mar", "март", "мар", "берез", "mars", "marzo"),
    4: ("april", "apr", "апрел", "квіт", "avril", "abril", "abr"),
    5: ("mai", "may", "мая", "май", "мае", "трав", "mayo"),
    6: ("juni", "june", "jun", "июн", "черв", "juin", "junio"),
    7: ("juli", "july", "jul", "июл", "лип", "juillet", "juil", "julio"),
    8: ("august", "aug", "август", "авг", "серп", "août", "aout", "agosto", "ago"),
    9: ("september", "sept", "sep", "сентябр", "сен", "верес", "septembre", "septiembre", "setiembre"),
    10: ("oktober", "october", "oct", "okt", "октябр", "окт", "жовт", "octobre", "octubre"),
    11: ("november", "nov", "ноябр", "ноя", "листопад", "novembre", "noviembre"),
    12: ("dezember", "december", "dec", "dez", "декабр", "дек", "груд", "décembre", "decembre", "diciembre", "dic"),
}
# full month words (with their inflected endings); short stems ("mar", "jan") only count where the
# context makes a date (a day or a year beside them), because as plain words they are ambiguous
_MONTH_WORDS = (
    r"januar|jänner|january|января|январе|январь|січня|січні|січень|janvier|enero|"
    r"februar|feber|february|февраля|феврале|февраль|лютого|лютому|лютий|février|fevrier|febrero|"
    r"märz|maerz|march|марта|марте|март|березня|березні|березень|mars|marzo|"
    r"april|апреля|апреле|апрель|квітня|квітні|квітень|avril|abril|"
    r"mai|may|мая|мае|май|травня|травні|травень|mayo|"
    r"juni|june|июня|июне|июнь|червня|червні|червень|juin|junio|"
    r"juli|july|июля|июле|июль|липня|липні|липень|juillet|julio|"
    r"august|августа|августе|август|серпня|серпні|серпень|août|aout|agosto|"
    r"september|сентября|сентябре|сентябрь|вересня|вересні|вересень|septembre|septiembre|setiembre|"
    r"oktober|october|октября|октябре|октябрь|жовтня|жовтні|жовтень|octobre|octubre|"
    r"november|ноября|ноябре|ноябрь|листопада|листопаді|листопад|novembre|noviembre|"
    r"dezember|december|декабря|декабре|декабрь|грудня|грудні|грудень|décembre|decembre|diciembre"
)
_MONTH_WORD = re.compile(rf"(?<!\w)({_MONTH_WORDS})(?!\w)", re.IGNORECASE)
_MONTH_ABBR = r"(?:jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|okt|nov|dec|dez|janv|févr|avr|juil|déc|ene|abr|ago|dic)\.?"
_ANY_MONTH = rf"(?:{_MONTH_WORDS}|{_MONTH_ABBR})"

_YEAR = r"(?:19[5-9]\d|20\d\d)"
# "5. Januar 2022", "5 Jan, 2022", "5 января 2022 года", "5 de enero de 2022", "le 5 janvier 2022"
_DAY_MONTH_YEAR = re.compile(rf"(?<![\w.])(\d{{1,2}})\.?\s+(?:de\s+)?({_ANY_MONTH}),?\s+(?:de\s+)?({_YEAR})(?!\d)",
                             re.IGNORECASE)
# "January 5, 2022", "Jan. 5 2022"
_MONTH_DAY_YEAR = re.compile(rf"(?<![\w])({_ANY_MONTH})\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+({_YEAR})(?!\d)",
                             re.IGNORECASE)
# "im Februar 2022", "in January 2022", "в январе 2022 года", "en enero de 2022", "en janvier 2022"
_MONTH_YEAR = re.compile(rf"(?<![\w])({_ANY_MONTH}),?\s+(?:de\s+|del\s+)?({_YEAR})(?!\d)", re.IGNORECASE)
_ISO = re.compile(rf"(?<!\d)({_YEAR})-(\d\d)-(\d\d)(?!\d)")
_DOTTED = re.compile(rf"(?<![\d.])(\d{{1,2}})[./](\d{{1,2}})[./]({_YEAR})(?!\d)")
# dates inside links: "/20220106/", "/2022/01/06/", "-2022-01-06-"
_URL_DATE = re.compile(rf"/({_YEAR})/?(\d\d)/?(\d\d)(?=[/\-_.])")
_YEAR_ONLY = re.compile(rf"(?<![\w.,:/-])({_YEAR})(?![\w.,:/-]\d|\d)")

# a bare four-digit number is a year only beside a word that makes it one ("im Jahr 2022", "seit 2017",
# "in 2022", "2022 года"); otherwise it is as likely a count ("2000 Soldaten")
_YEAR_BEFORE = re.compile(r"(?<!\w)(?:in|im|seit|since|of|from|year|jahr|jahre|jahres|bis|ab|by|until|before|after|"
                          r"nach|vor|anfang|ende|mitte|early|late|mid|в|во|с|до|к|к|от|від|з|у|по|году|рік|"
                          r"en|de|del|desde|depuis|année|año|hasta|para|antes\s+de|d'ici|jusqu'en|avant|après)"
                          r"\s+(?:(?:dem|the|end\s+of|ende|fin|finales\s+de)\s+)?$", re.IGNORECASE)
_YEAR_AFTER = re.compile(r"\s*(?:года|году|г\.|гг\.|року|р\.|roku)(?!\w)", re.IGNORECASE)
# "bis 2030", "by 2030", "до 2030 года", "d'ici 2030", "hasta 2030": a plan, not a time the text was written in
_TARGET = re.compile(r"(?<!\w)(?:bis|ab|by|until|till|before|до|к|від|jusqu'en|d'ici|avant|hasta|para|antes\s+de)"
                     r"\s+(?:(?:zum|dem|the|end\s+of|ende|fin|finales\s+de)\s+)?$", re.IGNORECASE)

_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "einem": 1, "einen": 1, "ein": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5,
    "один": 1, "два": 2, "три": 3, "четыре": 4, "пять": 5, "дві": 2, "чотири": 4, "п'ять": 5,
    "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5,
    "uno": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5,
}
_NUM = r"(\d{1,2}|a|an|one|two|three|four|five|einem|einen|ein|zwei|drei|vier|fünf|один|два|три|четыре|пять|" \
       r"дві|чотири|п'ять|un|une|deux|trois|quatre|cinq|uno|dos|tres|cuatro|cinco)"

#: (pattern, unit, offset sign): the matched number (or 1) times the unit, before (-1) or after (+1) the anchor
_RELATIVE: list[tuple[re.Pattern[str], str, int]] = [
    # N years ago
    (re.compile(rf"\b(?:vor\s+{_NUM}\s+jahr(?:en|e)?|{_NUM}\s+years?\s+ago|il\s+y\s+a\s+{_NUM}\s+ans?|"
                rf"hace\s+{_NUM}\s+años?)\b", re.IGNORECASE), "year", -1),
    (re.compile(rf"(?<!\w){_NUM}\s+(?:год|года|лет|рік|роки|років)\s+(?:назад|тому)(?!\w)", re.IGNORECASE),
     "year", -1),
    (re.compile(r"(?<!\w)(?:год\s+назад|рік\s+тому)(?!\w)", re.IGNORECASE), "year", -1),
    # last year
    (re.compile(r"\b(?:last\s+year|letzte[sn]?\s+jahr|vergangene[sn]?\s+jahr|vorige[sn]?\s+jahr|"
                r"vorjahr\w*|letztjährig\w*|vorjährig\w*|l'année\s+dernière|l'an\s+dernier|"
                r"el\s+año\s+pasado|el\s+pasado\s+año)\b", re.IGNORECASE), "year", -1),
    (re.compile(r"(?<!\w)(?:в\s+прошлом\s+году|прошлого\s+года|прошлогодн\w*|минулого\s+року|торік|"
                r"торішн\w*|у\s+минулому\s+році)(?!\w)", re.IGNORECASE), "year", -1),
    # this / next year
    (re.compile(r"\b(?:this\s+year|dieses\s+jahr|diesen\s+jahres|in\s+diesem\s+jahr|cette\s+année|este\s+año)\b",
                re.IGNORECASE), "year", 0),
    (re.compile(r"(?<!\w)(?:в\s+этом\s+году|этого\s+года|цього\s+року|у\s+цьому\s+році|цьогоріч)(?!\w)",
                re.IGNORECASE), "year", 0),
    (re.compile(r"\b(?:next\s+year|nächste[sn]?\s+jahr|kommende[sn]?\s+jahr|l'année\s+prochaine|"
                r"el\s+(?:próximo\s+año|año\s+que\s+viene))\b", re.IGNORECASE), "year", 1),
    (re.compile(r"(?<!\w)(?:в\s+следующем\s+году|наступного\s+року|у\s+наступному\s+році)(?!\w)",
                re.IGNORECASE), "year", 1),
    # last month / last week / yesterday
    (re.compile(r"\b(?:last\s+month|letzten\s+monat|vergangenen\s+monat|le\s+mois\s+dernier|el\s+mes\s+pasado)\b",
                re.IGNORECASE), "month", -1),
    (re.compile(r"(?<!\w)(?:в\s+прошлом\s+месяце|минулого\s+місяця)(?!\w)", re.IGNORECASE), "month", -1),
    (re.compile(r"\b(?:last\s+week|letzte\s+woche|vergangene\s+woche|vorige\s+woche|la\s+semaine\s+dernière|"
                r"la\s+semana\s+pasada)\b", re.IGNORECASE), "week", -1),
    (re.compile(r"(?<!\w)(?:на\s+прошлой\s+неделе|минулого\s+тижня)(?!\w)", re.IGNORECASE), "week", -1),
    (re.compile(r"\b(?:yesterday|gestern|hier|ayer)\b", re.IGNORECASE), "day", -1),
    (re.compile(r"(?<!\w)(?:вчера|вчора)(?!\w)", re.IGNORECASE), "day", -1),
]
_UNIT_DAYS = {"day": 1.0, "week": 7.0, "month": 30.44, "year": 365.25}
# a month word alone ("in January"): only with a preposition in front, so "May" the verb and
# "Mai" in names are not months
_MONTH_ALONE = re.compile(rf"(?<!\w)(?:im|in|au\s+mois\s+de|en|в|у|seit|since|depuis|desde|am|des|del|de)\s+"
                          rf"({_MONTH_WORDS})(?!\w)(?!,?\s+(?:de\s+)?{_YEAR})", re.IGNORECASE)


@dataclass(frozen=True)
class TimeMention:
    """One time expression: its text, its kind and, when resolvable, the days it covers."""

    text: str
    kind: str  # "day" | "month" | "year" (absolute), "target" (a year after "by"/"bis"), "month-alone", "relative"
    lo: float | None  # first day covered (days since the epoch), None when unresolved
    hi: float | None  # end of the last day covered

    @property
    def absolute(self) -> bool:
        return self.kind in ("day", "month", "year")


def _days(year: int, month: int = 1, day: int = 1) -> float:
    return datetime(year, month, day, tzinfo=UTC).timestamp() / 86400.0


def _month_of(word: str) -> int | None:
    low = word.lower().rstrip(".")
    best, size = None, 0
    for month, stems in _MONTH_STEMS.items():
        for stem in stems:
            if low.startswith(stem) and len(stem) > size:
                best, size = month, len(stem)
    return best


def _span_day(year: int, month: int, day: int) -> tuple[float, float] | None:
    if not (1 <= month <= 12) or not (1 <= day <= monthrange(year, month)[1]):
        return None
    start = _days(year, month, day)
    return start, start + 1.0


def _span_month(year: int, month: int) -> tuple[float, float]:
    return _days(year, month), _days(year, month) + monthrange(year, month)[1]


def _span_year(year: int) -> tuple[float, float]:
    return _days(year), _days(year + 1)


def extract(text: str, anchor: float | None = None, limit: int = 4000) -> list[TimeMention]:
    """Time mentions in the first `limit` characters of `text`, resolved against `anchor` (days) if given.

    Overlapping matches keep the most precise one (a full date over its month and year)."""
    text = text[:limit]
    taken: list[tuple[int, int]] = []
    out: list[TimeMention] = []

    def free(start: int, end: int) -> bool:
        return all(end <= a or start >= b for a, b in taken)

    def add(match: re.Match[str], kind: str, span: tuple[float, float] | None) -> None:
        if span is None or not free(match.start(), match.end()):
            return
        taken.append((match.start(), match.end()))
        out.append(TimeMention(match.group(0), kind, span[0], span[1]))

    for m in _ISO.finditer(text):
        add(m, "day", _span_day(int(m.group(1)), int(m.group(2)), int(m.group(3))))
    for m in _URL_DATE.finditer(text):
        add(m, "day", _span_day(int(m.group(1)), int(m.group(2)), int(m.group(3))))
    for m in _DAY_MONTH_YEAR.finditer(text):
        month = _month_of(m.group(2))
        add(m, "day", _span_day(int(m.group(3)), month, int(m.group(1))) if month else None)
    for m in _MONTH_DAY_YEAR.finditer(text):
        month = _month_of(m.group(1))
        add(m, "day", _span_day(int(m.group(3)), month, int(m.group(2))) if month else None)
    for m in _DOTTED.finditer(text):  # day.month.year (European order; the US order is not guessed)
        add(m, "day", _span_day(int(m.group(3)), int(m.group(2)), int(m.group(1))))
    for m in _MONTH_YEAR.finditer(text):
        month = _month_of(m.group(1))
        add(m, "month", _span_month(int(m.group(2)), month) if month else None)
    for m in _YEAR_ONLY.finditer(text):
        before, after = text[max(0, m.start() - 16):m.start()], text[m.end():m.end() + 8]
        if not (_YEAR_BEFORE.search(before) or _YEAR_AFTER.match(after)):
            continue  # "2000 Soldaten": a count, not a year
        target = _TARGET.search(before) is not None
        add(m, "target" if target else "year", _span_year(int(m.group(1))))
    for m in _MONTH_ALONE.finditer(text):
        if not free(m.start(), m.end()):
            continue
        month = _month_of(m.group(1))
        taken.append((m.start(), m.end()))
        span = _nearest_month(month, anchor) if month and anchor is not None else None
        out.append(TimeMention(m.group(0), "month-alone", *(span or (None, None))))
    for pattern, unit, sign in _RELATIVE:
        for m in pattern.finditer(text):
            if not free(m.start(), m.end()):
                continue
            taken.append((m.start(), m.end()))
            count = _count(m)
            span = _relative_span(anchor, unit, sign * count) if anchor is not None else None
            out.append(TimeMention(m.group(0), "relative", *(span or (None, None))))
    return out


def _count(match: re.Match[str]) -> int:
    for group in match.groups():
        if group:
            word = group.lower()
            return int(word) if word.isdigit() else _NUMBER_WORDS.get(word, 1)
    return 1


def _nearest_month(month: int, anchor: float) -> tuple[float, float]:
    """The occurrence of `month` nearest to the anchor (news mostly looks back, ties go back)."""
    year = datetime.fromtimestamp(anchor * 86400.0, tz=UTC).year
    spans = [_span_month(y, month) for y in (year - 1, year, year + 1)]
    return min(spans, key=lambda s: (abs((s[0] + s[1]) / 2 - anchor), -s[0] if s[0] <= anchor else s[0]))


def _relative_span(anchor: float, unit: str, count: int) -> tuple[float, float]:
    """The period `count` units from the anchor: a calendar year for years, else a period of one unit."""
    moment = datetime.fromtimestamp(anchor * 86400.0, tz=UTC)
    if unit == "year":
        return _span_year(moment.year + count)
    if unit == "month":
        month0 = moment.year * 12 + moment.month - 1 + count
        return _span_month(month0 // 12, month0 % 12 + 1)
    size = _UNIT_DAYS[unit]
    centre = anchor + count * size
    return centre - size / 2, centre + size / 2


def written_estimate(mentions: list[TimeMention], now: float | None = None) -> tuple[float | None, float | None]:
    """(estimated writing day, earliest possible writing day) of an undated text.

    The latest full date a text gives (a dateline, a dated link) is taken as when it was
    written; otherwise only a lower bound is known: the start of the latest absolute
    period it mentions, since news looks back far more than forward (target years after
    "by"/"bis" are not counted). Mentions after `now` (default: today's date) are ignored.
    """
    if now is None:
        now = datetime.now(tz=UTC).timestamp() / 86400.0
    absolute = [m for m in mentions if m.absolute and m.lo is not None and m.lo <= now + 1.0]
    days = [m.lo for m in absolute if m.kind == "day" and m.lo is not None]
    starts = [m.lo for m in absolute if m.lo is not None]
    written = max(days) if days else None
    earliest = max(starts) if starts else None
    return written, earliest
