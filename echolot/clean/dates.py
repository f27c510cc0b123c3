"""Absolute dates in text ("5 Jan, 2022 22:10", "5. Januar 2022", "05.01.2022", ISO).

Only complete, valid calendar dates count; relative phrases ("3 years ago",
"gestern") are never turned into dates, so a publication date is never invented.
"""
from __future__ import annotations

import re
from datetime import date, datetime

_MONTHS: dict[str, int] = {}
for _number, _names in enumerate((
    "january jan januar jänner jaenner janv janvier января январь янв enero janeiro",
    "february feb februar févr fevr février fevrier февраля февраль фев febrero fevereiro",
    "march mar märz maerz mär mrz mars марта март мар marzo março",
    "april apr avril avr апреля апрель апр abril",
    "may mai мая май mayo maio",
    "june jun juni juin июня июнь junio junho",
    "july jul juli juillet juil июля июль julio julho",
    "august aug août aout августа август авг agosto",
    "september sep sept septembre сентября сентябрь сен сент septiembre setembro",
    "october oct okt oktober octobre октября октябрь окт octubre outubro",
    "november nov novembre ноября ноябрь noviembre novembro",
    "december dec dez dezember déc decembre décembre декабря декабрь дек diciembre dezembro",
), start=1):
    for _name in _names.split():
        _MONTHS[_name] = _number

_MONTH_RE = "|".join(sorted((re.escape(m) for m in _MONTHS), key=len, reverse=True))
_TIME = (r"(?:\s*(?:,|um|at|à|в|-|–|—|/)?\s*(?P<hh>[01]?\d|2[0-3])(?P<sep>[:.h])(?P<mm>[0-5]\d)"
         r"(?:\s*(?P<ampm>[ap]\.?m\.?))?(?:\s*(?P<uhr>uhr))?)?")

_PATTERNS = [
    # 2022-01-05, 2022-01-05T22:10:00Z
    re.compile(r"(?<!\d)(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?:[T ](?P<hh>\d{2}):(?P<mm>\d{2}))?(?!\d)"),
    # 05.01.2022 (22:10 | 22.10 Uhr)
    re.compile(r"(?<![\d.])(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})(?!\d)" + _TIME, re.IGNORECASE),
    # 5 Jan, 2022 | 5. Januar 2022 | 5 января 2022 г. | 5 janvier 2022
    re.compile(rf"(?<!\d)(?P<d>\d{{1,2}})(?:\.|er|st|nd|rd|th)?\s+(?P<mon>{_MONTH_RE})\.?,?\s+(?P<y>\d{{4}})(?:\s*г\.)?"
               + _TIME, re.IGNORECASE),
    # 12 de abril de 2025 (es, pt)
    re.compile(rf"(?<!\d)(?P<d>\d{{1,2}})\s+de\s+(?P<mon>{_MONTH_RE})\s+(?:de\s+)?(?P<y>\d{{4}})" + _TIME,
               re.IGNORECASE),
    # January 5, 2022 | Jan. 5 2022
    re.compile(rf"\b(?P<mon>{_MONTH_RE})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})" + _TIME,
               re.IGNORECASE),
]


def _valid(year: int, month: int, day: int) -> bool:
    if not 1900 <= year <= date.today().year + 1:
        return False
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _to_iso(match: re.Match[str]) -> str | None:
    groups = match.groupdict()
    month = _MONTHS.get(groups["mon"].lower().rstrip(".")) if groups.get("mon") else int(groups["m"])
    if month is None:
        return None
    year, day = int(groups["y"]), int(groups["d"])
    if not _valid(year, month, day):
        return None
    iso = f"{year:04d}-{month:02d}-{day:02d}"
    hour, minute = groups.get("hh"), groups.get("mm")
    if hour is None or minute is None:
        return iso
    if groups.get("sep") == "." and not groups.get("uhr"):
        return iso  # "05.01.2022 10.30" without "Uhr" may be anything
    h = int(hour)
    ampm = (groups.get("ampm") or "").lower().replace(".", "")
    if ampm == "pm" and h < 12:
        h += 12
    elif ampm == "am" and h == 12:
        h = 0
    return f"{iso}T{h:02d}:{int(minute):02d}"


def find_dates(text: str) -> list[tuple[str, int, int]]:
    """All absolute dates in `text` as (ISO string, start, end), in text order."""
    found: list[tuple[str, int, int]] = []
    taken: list[tuple[int, int]] = []
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            iso = _to_iso(match)
            if iso:
                found.append((iso, match.start(), match.end()))
                taken.append((match.start(), match.end()))
    return sorted(found, key=lambda item: item[1])


def first_date(text: str) -> str | None:
    dates = find_dates(text)
    return dates[0][0] if dates else None


def normalise_date(value: str | None) -> str | None:
    """A declared date (JSONL, HTML metadata, feed) as ISO 8601; unparseable values are kept as given."""
    if not value:
        return None
    value = value.strip()
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        return parsed.isoformat()
    except ValueError:
        pass
    return first_date(value) or value
