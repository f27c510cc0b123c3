"""The canonical-entity index: entity records plus the lookup tables the matcher needs.

The index is rebuilt from `store.list_entities()` at the start of a batch (one pass
over the stored records, linear in the number of entities) and only the records a
batch touched are written back. When two entities merge, the older id survives and
the younger record stays behind as a tombstone with `merged_into`, so ids that other
stages already stored (a quote's `speaker_entity`) still resolve.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Any
from collections.abc import Iterable

import xxhash

from echolot.entities.canonical import (
    NameKeys, display_score, name_keys, person_forms, same_person_name, sound_key,
)
from echolot.model import Entity

TYPE_ORDER = ("PER", "ORG", "LOC", "MISC")
_TYPE_RANK = {t: -i for i, t in enumerate(TYPE_ORDER)}  # ties go to the earlier type
MAX_REASONS = 60
#: prefixes of the language-free keys of things known in every language (places.py): a country, a city,
#: a capital, a listed institution, the people of a place
KNOWN_PREFIXES = ("geo:", "city:", "capital:", "org:", "people:")


def known_keys(keys: Iterable[str]) -> set[str]:
    """The language-free keys among `keys` ("geo:RU", "people:geo:RU", "org:kremlin")."""
    return {k for k in keys if k.startswith(KNOWN_PREFIXES)}


def known_conflict(a: Iterable[str], b: Iterable[str]) -> bool:
    """Two key sets that name different known things ("Russia" geo:RU and "Russians" people:geo:RU,
    "Kyiv" and a region): such entities are two things, whatever their spellings or alignment say."""
    mine, theirs = known_keys(a), known_keys(b)
    if not mine or not theirs or mine & theirs:
        return False
    kinds = {_kind(k) for k in mine}, {_kind(k) for k in theirs}
    # a city-state is a country in one table and a city in another ("Ватикан" geo:VA, "Vatican"
    # city:Europe/Vatican): a country and a city only conflict with another country or city
    return not ({"geo"} in kinds and {"city"} in kinds)


def word_keys(token: str) -> set[str]:
    """A folded word of a name and, when it has one, its form without a case ending (`NameKeys.stem_key`):
    what a one-word name is matched on when it stands inside a longer name ("... комиссия Карска")."""
    stem = name_keys(token).stem_key
    return {token} if stem is None else {token, stem}


@lru_cache(maxsize=200_000)
def inner_words(surface: str) -> frozenset[str]:
    """The `word_keys` of every word after the first of a longer name that is no acronym ("Alliance
    for a Free Karsk" -> "karsk", ...): the words a place an organisation is named after stands as
    (cached per name: every index build reads every stored name again)."""
    keys = name_keys(surface)
    if not keys.multi or keys.acronym:
        return frozenset()
    return frozenset(probe for token in keys.tokens[1:] for probe in word_keys(token))


def _kind(key: str) -> str:
    return "city" if key.startswith(("city:", "capital:")) else key.split(":", 1)[0]


def _shouted(surface: str) -> bool:
    """All capitals and longer than an acronym usually is: a dateline or headline form."""
    return surface.isupper() and len(surface) > 4


def majority_type(votes: Counter[str]) -> str:
    """Most voted type; ties go to the more specific type (PER before ORG before LOC)."""
    if not votes:
        return "MISC"
    if len(votes) == 1:  # most entities: one type only (no ranking needed)
        return next(iter(votes))
    return max(votes, key=lambda t: (votes[t], _TYPE_RANK.get(t, -9)))


@dataclass
class EntityRecord:
    """One canonical entity while a batch is being merged (the stored dict, unpacked)."""

    id: str
    created: int
    variants: Counter[str] = field(default_factory=Counter)  # cleaned surface -> mentions
    types: Counter[str] = field(default_factory=Counter)
    langs: Counter[str] = field(default_factory=Counter)
    articles: Counter[str] = field(default_factory=Counter)  # article id -> mentions
    keys: set[str] = field(default_factory=set)
    stems: set[str] = field(default_factory=set)
    merge_reasons: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    merged_into: str | None = None
    variant_langs: dict[str, set[str]] = field(default_factory=dict)  # surface -> languages it was read in
    oblique: Counter[str] = field(default_factory=Counter)  # surface -> mentions read in an oblique case
    named_in_orgs: bool = False  # a place organisations are named after (`EntityIndex.settle_place_types`)
    _first_word: tuple[int, bool] = field(default=(-1, False), repr=False, compare=False)  # (variants, answer)

    @property
    def type(self) -> str:
        voted = majority_type(self.types)
        if self.named_in_orgs and voted in ("ORG", "MISC") and self.types.get("LOC"):
            return "LOC"
        if len(self.types) > 1 and voted != "LOC" and 2 * self.types[voted] <= sum(self.types.values()) \
                and self._town_name():
            return "LOC"
        if voted != "PER":
            return voted
        others = Counter({t: n for t, n in self.types.items() if t != "PER"})
        if self._named_by_first_word() and (others or not self._family_name_first()):
            return majority_type(others) if others else "ORG"
        if others and self.types["PER"] <= sum(others.values()) and not self.full_names():
            # "Nuveen" (PER once, ORG once), never written with a given name: half the readings say it is
            # no person, and people are named in full at least once; the tie goes to the other readings
            return majority_type(others)
        return voted

    def _town_name(self) -> bool:
        """"Hostomel" read once as an organisation and once as a person: when the readings are split
        (no type has more than half of them), a one-word name that GeoNames lists as a town, and that
        is never written with a given name, is the town (`places.is_city_name`)."""
        from echolot.entities.places import is_city_name

        singles = [v for v in self.variants if not name_keys(v).multi]
        return bool(singles) and not self.full_names() and any(is_city_name(v) for v in singles)

    def _family_name_first(self) -> bool:
        """"Dong Jun" ... "Dong", every reading a person's: a family name written first (Chinese, Korean,
        Vietnamese order; `type_cues.family_name_first`)."""
        from echolot.entities.type_cues import family_name_first

        singles = [v for v in self.variants if not name_keys(v).multi]
        return bool(singles) and all(family_name_first(v) for v in singles)

    def _named_by_first_word(self) -> bool:
        """"Orlund Biopharm" ... "Orlund": a name shortened to its first word is no person's (news
        shortens people to their surname, the last word), whatever the tagger voted."""
        if self._first_word[0] == len(self.variants):  # variants are only ever added: same count, same answer
            return self._first_word[1]
        keys = [name_keys(v) for v in self.variants]
        singles = {k.key for k in keys if not k.multi and not k.acronym}
        answer = bool(singles) and any(k.multi and k.tokens[0] in singles and k.surname not in singles for k in keys)
        self._first_word = (len(self.variants), answer)
        return answer

    @property
    def is_person(self) -> bool:
        return self.type == "PER"

    @property
    def name(self) -> str:
        known = self.known_name()
        if known:
            return known
        pool = self.variants
        if self.is_person:
            full = Counter({v: c for v, c in pool.items() if len(name_keys(v).tokens) > 1})
            pool = full or pool
        if not pool:
            return self.id
        # a form read only in an oblique case ("des Bündnisses Freies Karsk") is shown only when
        # no form was read as a nominative could be: the name should be the base form
        plain = Counter({v: c for v, c in pool.items() if c > self.oblique.get(v, 0)})
        pool = plain or pool
        # "LAB" ... "Lorrenian Medicines Authority": an acronym tells a reader less than the name it
        # stands for, however often an article repeats it, so a written-out form is shown when one exists
        spelled = Counter({v: c for v, c in pool.items() if not name_keys(v).acronym})
        pool = spelled or pool
        # "ASTANA" (a dateline) and "Astana" count together, and the capitals lose the tie
        by_case: Counter[str] = Counter()
        for variant, count in pool.items():
            by_case[variant.casefold()] += count
        return max(pool, key=lambda v: (*display_score(v, by_case[v.casefold()]), not _shouted(v)))

    def known_name(self) -> str | None:
        """A CLDR place or listed institution is shown by its nominative name in the language most
        of its mentions use ("Syrien", not the genitive "Syriens")."""
        from echolot.entities.places import display_name

        known = sorted(k for k in self.keys if k.startswith(("geo:", "city:", "org:")))
        if not known:
            return None
        lang = self.langs.most_common(1)[0][0] if self.langs else None
        return display_name(known[0], lang)

    def full_names(self) -> list[NameKeys]:
        """Multi-token variants: the given names that tell two same-surname people apart."""
        return [k for k in (name_keys(v) for v in self.variants) if k.multi]

    def surnames(self) -> set[str]:
        return self.full_name_surnames() if self.is_person else set()

    def full_name_surnames(self) -> set[str]:
        """The surnames of the names written in full, whatever the type (`surnames` for a person)."""
        return {f.surname for k in self.full_names() for f in person_forms(k)}

    def add_reason(self, reason: str) -> None:
        if reason and reason not in self.merge_reasons and len(self.merge_reasons) < MAX_REASONS:
            self.merge_reasons.append(reason)

    def to_dict(self) -> dict[str, Any]:
        """Stored form: `asdict(Entity)` plus the extra keys the index and the CLI read."""
        entity = Entity(id=self.id, name=self.name, type=self.type,
                        variants=[v for v, _ in self.variants.most_common()],
                        merge_reasons=list(self.merge_reasons),
                        mention_count=sum(self.variants.values()) if self.merged_into is None else 0)
        data = asdict(entity)
        data.update({
            "variant_counts": dict(self.variants), "types": dict(self.types), "langs": dict(self.langs),
            "articles": dict(self.articles), "keys": sorted(self.keys), "stems": sorted(self.stems),
            "created": self.created, "aliases": list(self.aliases), "merged_into": self.merged_into,
            "variant_langs": {v: sorted(langs) for v, langs in sorted(self.variant_langs.items())},
        })
        if self.oblique:
            data["variant_oblique"] = dict(sorted(self.oblique.items()))
        if self.named_in_orgs:
            data["named_in_orgs"] = True
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> EntityRecord:
        return cls(
            id=data["id"], created=int(data.get("created", 0)),
            variants=Counter(data.get("variant_counts") or {v: 1 for v in data.get("variants", [])}),
            types=Counter(data.get("types") or {data.get("type") or "MISC": 1}),
            langs=Counter(data.get("langs") or {}), articles=Counter(data.get("articles") or {}),
            keys=set(data.get("keys") or []), stems=set(data.get("stems") or []),
            merge_reasons=list(data.get("merge_reasons") or []), aliases=list(data.get("aliases") or []),
            merged_into=data.get("merged_into"),
            variant_langs={v: set(langs) for v, langs in (data.get("variant_langs") or {}).items()},
            oblique=Counter(data.get("variant_oblique") or {}),
            named_in_orgs=bool(data.get("named_in_orgs")),
        )


class EntityIndex:
    """Entities with lookup tables by folded key, stem, person surname and acronym initials."""

    def __init__(self, records: Iterable[EntityRecord] = ()) -> None:
        self.records: dict[str, EntityRecord] = {}
        self.by_key: dict[str, set[str]] = {}
        self.by_stem: dict[str, set[str]] = {}
        self.by_surname: dict[str, set[str]] = {}
        # `canonical.sound_key` of a person's surnames written in full -> people: candidates across scripts
        self.by_sound: dict[str, set[str]] = {}
        self.by_initials: dict[str, set[str]] = {}
        # folded word (and its stem) -> entities with a longer name that has it after its first word
        # ("Alliance for a Free Karsk" under "karsk"): what `settle_place_types` looks up
        self.by_inner_word: dict[str, set[str]] = {}
        self.dirty: set[str] = set()
        self.retired_articles: set[str] = set()  # articles whose stored mentions need new ids
        self._seq = 0
        for record in records:
            self.records[record.id] = record
            self._seq = max(self._seq, record.created + 1)
            if record.merged_into is None:
                self._index(record)

    @classmethod
    def from_store_dicts(cls, dicts: Iterable[dict[str, Any]]) -> EntityIndex:
        return cls(EntityRecord.from_dict(d) for d in dicts)

    # -- lookups ------------------------------------------------------------------------
    def resolve(self, entity_id: str | None) -> str | None:
        """Follow tombstones to the surviving entity."""
        seen = 0
        while entity_id is not None and entity_id in self.records and self.records[entity_id].merged_into:
            entity_id = self.records[entity_id].merged_into
            seen += 1
            if seen > 100:  # a cycle would be a bug; never loop forever on bad data
                break
        return entity_id

    def active(self) -> list[EntityRecord]:
        return [r for r in self.records.values() if r.merged_into is None]

    def get(self, entity_id: str) -> EntityRecord:
        return self.records[self.resolve(entity_id) or entity_id]

    def lookup(self, table: dict[str, set[str]], keys: Iterable[str]) -> set[str]:
        out: set[str] = set()
        for key in keys:
            out |= table.get(key, set())
        return {self.resolve(i) or i for i in out}

    # -- changes --------------------------------------------------------------------------
    def new_entity(self, seed: str) -> EntityRecord:
        entity_id = "e" + xxhash.xxh3_64_hexdigest(seed.encode("utf-8"))[:12]
        while entity_id in self.records:
            entity_id = "e" + xxhash.xxh3_64_hexdigest((entity_id + seed).encode("utf-8"))[:12]
        record = EntityRecord(id=entity_id, created=self._seq)
        self._seq += 1
        self.records[entity_id] = record
        self.dirty.add(entity_id)
        return record

    def add_variant(self, record: EntityRecord, keys: NameKeys, type_: str, lang: str | None,
                    article_id: str, count: int = 1, oblique: bool = False) -> None:
        """Count one more mention form on `record` and index its keys (`oblique`: the mention was read
        in an oblique case, canonical.oblique_context)."""
        record.variants[keys.surface] += count
        if oblique:
            record.oblique[keys.surface] += count
        record.types[type_] += count
        if lang:
            record.langs[lang] += count
            record.variant_langs.setdefault(keys.surface, set()).add(lang)
        record.articles[article_id] += count
        if keys.key:
            record.keys.add(keys.key)
        if keys.stem_key:
            record.stems.add(keys.stem_key)
        self.dirty.add(record.id)
        self._index(record)

    def add_alias_key(self, record: EntityRecord, key: str) -> None:
        """An extra exact key (an acronym seen only as an alias)."""
        record.keys.add(key)
        self._index(record)

    def merge(self, keep_id: str, drop_id: str, reason: str) -> str:
        """Merge two entities; the older one survives. Returns the survivor's id."""
        a, b = self.get(keep_id), self.get(drop_id)
        if a.id == b.id:
            return a.id
        if b.created < a.created:
            a, b = b, a
        a.variants.update(b.variants)
        a.oblique.update(b.oblique)
        a.types.update(b.types)
        a.langs.update(b.langs)
        for variant, langs in b.variant_langs.items():
            a.variant_langs.setdefault(variant, set()).update(langs)
        a.articles.update(b.articles)
        a.keys |= b.keys
        a.stems |= b.stems
        a.add_reason(reason)
        for old in b.merge_reasons:
            a.add_reason(old)
        a.aliases.extend([b.id, *b.aliases])
        b.merged_into = a.id
        self.retired_articles.update(b.articles)
        self.dirty.update({a.id, b.id})
        self._index(a)
        return a.id

    def _index(self, record: EntityRecord) -> None:
        for key in record.keys:
            self.by_key.setdefault(key, set()).add(record.id)
        for stem in record.stems:
            self.by_stem.setdefault(stem, set()).add(record.id)
        if record.is_person:  # the type once per call (a vote count over every reading)
            for surname in record.full_name_surnames():
                self.by_surname.setdefault(surname, set()).add(record.id)
                sound = sound_key(surname)
                if sound:
                    self.by_sound.setdefault(sound, set()).add(record.id)
        else:
            for variant in record.variants:
                keys = name_keys(variant)
                if keys.initials:
                    self.by_initials.setdefault(keys.initials, set()).add(record.id)
                for probe in inner_words(variant):
                    self.by_inner_word.setdefault(probe, set()).add(record.id)

    def settle_place_types(self, min_orgs: int = 2) -> None:
        """A one-word name some mentions read as a place, written after the first word of the names of
        `min_orgs` or more other organisations ("Alliance for a Free Karsk", "Центральная избирательная
        комиссия Карска"), is the place those organisations are named after, whatever the majority of
        tagger votes said (taggers read a bare place after "de", "von", "of" as an organisation).
        Marks such touched entities (`named_in_orgs`); a company that names its subsidiaries puts its
        name first ("Gazprom Neft") and is never read as a place, so it is left alone.

        Incremental: the organisations are found through `by_inner_word`, which `_index` keeps up to
        date as variants arrive, so a save costs the touched candidates, not a scan of every entity.
        Every entity that was no person when indexed is in that table, and an entity's type only
        changes when it is indexed again (new variants or votes) or marked here; so filtering the
        holders by their type now finds the organisations a full scan would."""
        candidates = [r for r in (self.records[i] for i in sorted(self.dirty))
                      if r.merged_into is None and not r.named_in_orgs and r.types.get("LOC")
                      and r.type in ("ORG", "MISC") and not name_keys(r.name).multi]
        settled = [r for r in candidates if len(self._inner_holders(r)) >= min_orgs]
        for record in settled:  # marked after every look-up: a marked entity is a place, no holder
            record.named_in_orgs = True
            self.dirty.add(record.id)

    def _inner_holders(self, record: EntityRecord) -> set[str]:
        """Live organisations other than `record` with one of its keys after their name's first word."""
        found = set().union(*(self.by_inner_word.get(k, set()) for k in record.keys | record.stems))
        return {i for i in found if i != record.id and self.records[i].merged_into is None
                and self.records[i].type == "ORG"}

    def conflicting(self, a_id: str, b_id: str) -> bool:
        """Whether two entities carry language-free keys of different known things (`known_conflict`)."""
        return known_conflict(self.get(a_id).keys, self.get(b_id).keys)

    # -- person names -------------------------------------------------------------------------
    def names_compatible(self, a_id: str, b_id: str, min_ratio: float, surname_ratio: float | None = None) -> bool:
        """False when both are people with full names and no pair of full names agrees (`surname_ratio`:
        `canonical.same_person_name`, for names a translation pairs)."""
        a, b = self.get(a_id), self.get(b_id)
        if not (a.is_person and b.is_person):
            return True
        fa, fb = a.full_names(), b.full_names()
        if not fa or not fb:
            return True
        return any(same_person_name(x, y, min_ratio, surname_ratio) for x in fa for y in fb)
