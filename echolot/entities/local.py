"""Mentions of one article and how they group before any other article is consulted.

Inside one article the evidence is strongest: "Jen Psaki" ... "Psaki" is one person,
"Collective Security Treaty Organization (CSTO)" defines CSTO, "Kasachstans" is the
genitive of "Kasachstan". Grouping here first keeps the cross-article matcher simple
and lets it explain every variant with the article that taught it.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from collections.abc import Callable

from echolot.entities.canonical import (
    NameKeys, acronym_matches, clean_surface, compound_acronym, fold_token, is_acronym, name_keys, of_phrase_key,
    oblique_context, person_forms, same_person_name,
)
from echolot.entities.index import majority_type
from echolot.entities.places import Place, institution_spans
from echolot.entities.spans import tidy_spans
from echolot.entities.type_cues import REGION_NOUNS, family_name_first, retype_groups
from echolot.model import Article
from echolot.util import UnionFind

Recognizer = Callable[[str, str | None], list[tuple[int, int, str]]]

# Same split as echolot.text.split_paragraphs, kept here because we need offsets.
_PARA_SPLIT = re.compile(r"\n\s*\n|\n")
_PAREN_AFTER = re.compile(r"\s*\(\s*([^\W\d_][^\W\d_.]{1,9})\s*\)")
_PAREN_EXPANSION = re.compile(r"\s*\(\s*([^()]{3,120}?)\s*\)")


@dataclass
class Draft:
    """One mention in one article, with its cleaned form and folded keys."""

    article_id: str
    raw: str
    start: int
    end: int
    type: str
    lang: str | None
    names: NameKeys
    person_hint: bool = False  # a title preceded the name ("President ...")
    reason: str = ""  # why it joined its group (empty for the group's first member)
    oblique: bool = False  # read in an oblique case ("des Bündnisses ..."): a poor display name

    @property
    def personish(self) -> bool:
        return self.type == "PER" or self.person_hint

    @property
    def vote(self) -> str:
        return "PER" if self.person_hint else self.type


@dataclass
class Group:
    """Drafts of one article that name the same thing."""

    members: list[Draft] = field(default_factory=list)
    alias_keys: set[str] = field(default_factory=set)  # acronyms defined in the article
    entity_id: str | None = None

    @property
    def type(self) -> str:
        return majority_type(Counter(d.vote for d in self.members))

    @property
    def is_person(self) -> bool:
        return self.type == "PER"

    def keys(self) -> set[str]:
        return {d.names.key for d in self.members if d.names.key} | self.alias_keys

    def stems(self) -> set[str]:
        return {d.names.stem_key for d in self.members if d.names.stem_key}

    def full_names(self) -> list[NameKeys]:
        return [d.names for d in self.members if d.names.multi and d.personish]

    def single_token(self) -> bool:
        return all(not d.names.multi for d in self.members)

    def first(self) -> Draft:
        return min(self.members, key=lambda d: d.start)


# -- recognition ------------------------------------------------------------------------

def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-empty paragraph of `text`, stripped."""
    spans: list[tuple[int, int]] = []
    cursor = 0
    for match in list(_PARA_SPLIT.finditer(text)) + [None]:
        end = match.start() if match else len(text)
        chunk = text[cursor:end]
        if chunk.strip():
            lead = len(chunk) - len(chunk.lstrip())
            spans.append((cursor + lead, cursor + len(chunk.rstrip())))
        if match:
            cursor = match.end()
    return spans


def recognize_article(article: Article, recognize: Recognizer,
                      supports: Callable[[str | None], bool]) -> tuple[list[Draft], Counter[str]]:
    """NER over each paragraph in its own language; returns drafts and paragraphs per language without NER."""
    drafts: list[Draft] = []
    no_ner: Counter[str] = Counter()
    spans = paragraph_spans(article.text)
    langs = list(article.paragraph_langs)
    for index, (start, end) in enumerate(spans):
        lang = (langs[index] if index < len(langs) else None) or article.lang
        if not lang or not supports(lang):
            no_ner[lang or "unknown"] += 1
            continue
        found = list(recognize(article.text[start:end], lang))
        tagged = [(a, b) for a, b, _ in found]
        found += [(a, b, "ORG") for a, b in institution_spans(article.text[start:end], lang)
                  if not any(a < y and x < b for x, y in tagged)]  # listed institutions the tagger missed
        for a, b, type_ in found:
            draft = make_draft(article.id, article.text, start + a, start + b, type_, lang)
            if draft is not None:
                drafts.append(draft)
    return drafts, no_ner


def make_draft(article_id: str, text: str, start: int, end: int, type_: str, lang: str | None) -> Draft | None:
    """A draft for text[start:end], or None when nothing name-like is left after cleaning."""
    raw = text[start:end]
    cleaned, titled = clean_surface(raw)
    if len(cleaned) < 2 or not any(ch.isalpha() for ch in cleaned):
        return None
    names = name_keys(cleaned)
    if not names.key:
        return None
    return Draft(article_id=article_id, raw=raw, start=start, end=end, type=type_ if type_ else "MISC",
                 lang=lang, names=names, person_hint=titled and names.multi,
                 oblique=oblique_context(text, start, lang))


def split_glued(drafts: list[Draft], text: str) -> list[Draft]:
    """Split tagger output such as "Blinken Usbekistan" or "Psaki Moskau" into two mentions.

    Taggers glue adjacent names ("sagte Psaki Moskau ..."; "Норвалена Хенрик Ааланд", a name the
    article also uses alone, typed as no person there, then a full name). A two-token person
    whose first token is the surname of another person in the same article, followed
    by a single capitalised token, is two names: the person and the rest (typed like
    another mention of the rest in the article, else MISC).
    """
    surnames = {d.names.surname for d in drafts if d.names.multi and (d.personish or d.type == "PER")}
    lone_people = {d.names.key for d in drafts if not d.names.multi and (d.personish or d.type == "PER")}
    full_surnames: dict[str, set[str]] = {}  # surname -> keys of the full names that end in it
    for d in drafts:
        if d.names.multi and d.personish:
            full_surnames.setdefault(d.names.surname, set()).add(d.names.key)
    singles_by_key = {d.names.key: d for d in drafts if not d.names.multi}
    not_people = {d.names.key: d.type for d in drafts if not d.names.multi and not d.personish}
    out: list[Draft] = []
    for draft in drafts:
        parts = draft.raw.split()
        if len(parts) == 3 and draft.type == "PER" and all(p[:1].isupper() for p in parts) \
                and name_keys(clean_surface(parts[0])[0]).key in not_people:
            # "Норвалена Хенрик Ааланд": a name the article also uses alone as no person, then a full name
            cut = draft.start + draft.raw.index(parts[1], len(parts[0]))
            head_type = not_people[name_keys(clean_surface(parts[0])[0]).key]
            pieces = (make_draft(draft.article_id, text, draft.start, draft.start + len(parts[0]), head_type,
                                 draft.lang),
                      make_draft(draft.article_id, text, cut, draft.end, "PER", draft.lang))
            out.extend(d for d in pieces if d is not None)
            continue
        if len(parts) == 2 and _name_then_surname(draft, parts, singles_by_key, full_surnames):
            first_type = singles_by_key[name_keys(clean_surface(parts[0])[0]).key].type
            cut = draft.start + draft.raw.index(parts[1], len(parts[0]))
            pieces = (make_draft(draft.article_id, text, draft.start, draft.start + len(parts[0]), first_type,
                                 draft.lang),
                      make_draft(draft.article_id, text, cut, draft.end, "PER", draft.lang))
            out.extend(d for d in pieces if d is not None)
            continue
        if not (draft.type == "PER" and len(parts) == 2 and draft.names.tokens and parts[1][:1].isupper()
                and (draft.names.tokens[0] in surnames - {draft.names.surname}
                     or (draft.names.tokens[0] in lone_people and _no_person(parts[1], draft, not_people)))):
            out.append(draft)
            continue
        cut = draft.start + draft.raw.index(parts[1], len(parts[0]))
        first = make_draft(draft.article_id, text, draft.start, draft.start + len(parts[0]), "PER", draft.lang)
        rest_type = singles_by_key.get(name_keys(clean_surface(parts[1])[0]).key)
        second = make_draft(draft.article_id, text, cut, draft.end, rest_type.type if rest_type else "MISC",
                            draft.lang)
        out.extend(d for d in (first, second) if d is not None)
    return out


def _no_person(word: str, draft: Draft, not_people: dict[str, str]) -> bool:
    """Whether the second word of a two-word person is something else: a name the article uses alone as no
    person, or a known place ("Psaki Moskau"). A word read alone as a person before it is then another
    person's surname; otherwise it is the given name of this one ("Dmitry has shown ..." beside "Dmitry
    Lomsadze")."""
    from echolot.entities.places import lookup

    cleaned = clean_surface(word)[0]
    return name_keys(cleaned).key in not_people or lookup(cleaned, draft.lang, "LOC") is not None


def _name_then_surname(draft: Draft, parts: list[str], singles_by_key: dict[str, Draft],
                       full_surnames: dict[str, set[str]]) -> bool:
    """"TASS Patruschews": a name the article uses alone, then (a form of) a person's surname."""
    first = singles_by_key.get(name_keys(clean_surface(parts[0])[0]).key)
    if first is None or first is draft or first.personish or not parts[1][:1].isupper():
        return False
    second = name_keys(clean_surface(parts[1])[0])
    owners = set().union(*(full_surnames.get(k, set()) for k in {second.key, second.stem_key} if k))
    return bool(owners - {draft.names.key})  # another person's surname, not this span's own


# -- acronyms ----------------------------------------------------------------------------

def add_acronyms(drafts: list[Draft], text: str, propagate: bool = True) -> dict[int, str]:
    """Find "Expansion (ACR)" and "ACR (Expansion)" pairs; add untagged acronym mentions.

    Returns {index of the expansion draft: acronym surface}. With `propagate`, every
    other whole-word use of a defined acronym in the article becomes a mention too
    (taggers often miss bare acronyms such as "OVKS").
    """
    defined: dict[int, str] = {}
    taken = [(d.start, d.end) for d in drafts]
    additions: list[Draft] = []
    for index, draft in enumerate(drafts):
        if draft.personish or not draft.names.multi:
            continue
        match = _PAREN_AFTER.match(text, draft.end)
        if not match or not is_acronym(match.group(1)):
            continue
        acronym = match.group(1)
        if not (acronym_matches(acronym, draft.names.surface)
                or fold_token(acronym[0])[:1] == fold_token(draft.names.surface[0])[:1]
                or _kept_acronym(draft, acronym)):
            continue
        defined[index] = acronym
        a, b = match.span(1)
        if not _overlaps(a, b, taken):
            extra = make_draft(draft.article_id, text, a, b, draft.type, draft.lang)
            if extra:
                additions.append(extra)
                taken.append((a, b))
    for draft in drafts:  # "ACR (Expansion)"
        if not draft.names.acronym:
            continue
        match = _PAREN_EXPANSION.match(text, draft.end)
        if match and acronym_matches(draft.names.surface, match.group(1)):
            for j, other in enumerate(drafts):
                if other.start >= match.start(1) and other.end <= match.end(1) and other.names.multi:
                    defined[j] = draft.names.surface
    if propagate:
        for acronym in set(defined.values()):
            for m in re.finditer(rf"(?<![\w]){re.escape(acronym)}(?![\w])", text):
                if not _overlaps(m.start(), m.end(), taken):
                    source = next(d for i, d in enumerate(drafts) if defined.get(i) == acronym)
                    extra = make_draft(source.article_id, text, m.start(), m.end(), source.type, source.lang)
                    if extra:
                        additions.append(extra)
                        taken.append((m.start(), m.end()))
    drafts.extend(additions)
    return defined


def _kept_acronym(draft: Draft, acronym: str) -> bool:
    """A translated organisation name followed by the original's acronym: "Autoridad Lorrenia de
    Medicamentos (LAB)", "Nordatlantikpakt (NATO)". Translations keep acronyms whose letters no longer
    read off the name; an all-capital acronym right after a multi-word ORG is still its acronym
    (a country code such as "(RU)" is not)."""
    from echolot.entities.places import lookup

    return draft.type == "ORG" and acronym.isupper() and lookup(acronym, draft.lang, "ORG") is None


def _overlaps(a: int, b: int, spans: list[tuple[int, int]]) -> bool:
    return any(a < e and s < b for s, e in spans)


# -- grouping ----------------------------------------------------------------------------

def group_article(drafts: list[Draft], text: str, min_ratio: float = 75.0,
                  propagate_acronyms: bool = True) -> list[Group]:
    """Group the drafts of one article; each joined draft carries the reason it joined."""
    drafts[:] = split_glued(tidy_spans(sorted(drafts, key=lambda d: d.start), text), text)
    defined = add_acronyms(drafts, text, propagate_acronyms)
    drafts_sorted = sorted(range(len(drafts)), key=lambda i: drafts[i].start)
    order = {i: rank for rank, i in enumerate(drafts_sorted)}
    uf = UnionFind(len(drafts))
    short = drafts[0].article_id[:8] if drafts else ""

    _union_same_keys(drafts, uf)
    _union_person_names(drafts, uf, order, short, min_ratio)
    _union_short_forms(drafts, uf, short)
    alias_of_root = _union_acronyms(drafts, uf, defined, short)

    groups: dict[int, Group] = {}
    for i, draft in enumerate(drafts):
        groups.setdefault(uf.find(i), Group()).members.append(draft)
    for root, aliases in alias_of_root.items():
        groups[uf.find(root)].alias_keys |= aliases
    for group in groups.values():
        _mark_known_place(group)
        group.alias_keys |= {k for d in group.members if (k := ukrainian_key(d.names.surface, d.lang))}
        group.alias_keys |= {k for d in group.members if not d.personish and (d.lang or "").startswith("en")
                             and (k := of_phrase_key(d.names.surface))}  # "Office of the President" ~ "Presidential Office"
    retype_groups(groups.values(), text)
    return sorted(groups.values(), key=lambda g: g.first().start)


_UK_H = str.maketrans({"г": "х", "Г": "Х"})


def ukrainian_key(surface: str, lang: str | None) -> str | None:
    """The key of a Ukrainian name as Ukrainian romanisation writes it: "Г" is Latin "H" there
    ("Гостомель" -> Hostomel, "Ганна" -> Hanna), where the Russian-style transliteration of every other
    key reads "G" (which stays the key, so Russian "Гостомель" still meets it). Written through "Х",
    which folds to "h" like Latin "kh"; only for Ukrainian mentions with a "Г" (None otherwise)."""
    if (lang or "").split("-")[0] != "uk" or "г" not in surface.lower():
        return None
    key = name_keys(surface.translate(_UK_H)).key
    return key if key != name_keys(surface).key else None


def _mark_known_place(group: Group) -> None:
    """A group naming one CLDR territory/city or listed institution gets its language-free key
    ("geo:RU" for Russland/Russia/Россия) and that thing's type, so languages merge and agree.
    A group holding a full person name is left alone ("Jordan Peterson" is no country)."""
    from echolot.entities.places import demonym, display_name, is_code, lookup

    if any(d.names.multi and d.personish for d in group.members):
        return
    if any(d.names.multi and lookup(d.names.surface, d.lang, d.type) is None for d in group.members) \
            and all(is_code(d.names.surface) for d in group.members
                    if lookup(d.names.surface, d.lang, d.type) is not None):
        return  # "Vereinigung Cockpit (VC)": the article spells out what the letters stand for, not a country
    found = {lookup(d.names.surface, d.lang, d.type) for d in group.members} - {None}
    if not found:  # "Pequim" read as a person three times: a capital's name that no one is named
        found = set(_capital_read_as_person(group))
    if not found:  # "Russians", "Russen", "Moskauer": the people of a place, one MISC entity in every language
        found = {demonym(d.names.surface, d.lang, d.type) for d in group.members} - {None}
    if len(found) != 1:
        return
    place = found.pop()
    assert place is not None
    group.alias_keys.add(place.key)
    for draft in group.members:
        if draft.type != place.type:
            draft.reason = draft.reason or f"{draft.names.surface} is {place.name} ({place.key})"
            draft.type = place.type
        _nominative(draft, display_name(place.key, draft.lang))


def _capital_read_as_person(group: Group) -> set[Place]:
    """The capital a group of one-word names read only as a person names, when the word is no given name or
    surname of the name lists (`ner.names`' gazetteer): "Pequim", "Pechino" (metonymy for a government is common
    in news); "Washington", "Paris", "Victoria" are people's names too and stay as read."""
    from echolot.entities.ner.gazetteer import fold, load_cached
    from echolot.entities.ner.names import _GAZETTEER
    from echolot.entities.places import lookup

    if not group.members or any(d.type != "PER" or d.names.multi or d.person_hint for d in group.members):
        return set()
    places = {p for p in (lookup(d.names.surface, d.lang, "LOC") for d in group.members) if p is not None}
    if len(places) != 1 or not next(iter(places)).key.startswith("capital:") or not _GAZETTEER.is_file():
        return set()
    single = load_cached(str(_GAZETTEER)).single
    if any(single.get(fold(d.names.surface), set()) & {"PF", "PL"} for d in group.members):
        return set()
    return places


def _nominative(draft: Draft, nominative: str | None) -> None:
    """Show an inflected place name as its nominative ("Syriens" -> "Syrien", "России" -> "Россия").

    Only the variant changes; the mention keeps the article's own words and offsets.
    """
    if not nominative or nominative == draft.names.surface:
        return
    mine, base = draft.names, name_keys(nominative)
    if mine.key != base.key and mine.stem_key and mine.stem_key in {base.key, base.stem_key}:
        draft.names = base


def _union_same_keys(drafts: list[Draft], uf: UnionFind) -> None:
    """Same folded key, or one form is the declined/genitive form of the other."""
    by_key: dict[str, int] = {}
    for i, draft in enumerate(drafts):
        by_key.setdefault(draft.names.key, i)
    for i, draft in enumerate(drafts):
        first = by_key[draft.names.key]
        if first != i and uf.union(first, i) and draft.names.surface != drafts[first].names.surface:
            draft.reason = f"spelling variant: {draft.names.surface} ~ {drafts[first].names.surface}"
    stems: dict[str, int] = {}
    for i, draft in enumerate(drafts):
        if draft.names.stem_key:
            stems.setdefault(draft.names.stem_key, i)
    for i, draft in enumerate(drafts):
        stem = draft.names.stem_key
        candidates = [by_key.get(stem) if stem else None, stems.get(draft.names.key),
                      stems.get(stem) if stem else None]
        for j in candidates:
            if j is not None and j != i and uf.union(i, j):
                draft.reason = f"inflected form: {draft.names.surface} ~ {drafts[j].names.surface}"


def _union_person_names(drafts: list[Draft], uf: UnionFind, order: dict[int, int], short: str,
                        min_ratio: float) -> None:
    """Full names with compatible given names; a lone surname joins the nearest full name."""
    full = [i for i, d in enumerate(drafts) if d.names.multi and d.personish]
    for x, i in enumerate(full):
        for j in full[x + 1:]:
            if same_person_name(drafts[i].names, drafts[j].names, min_ratio) and uf.union(i, j):
                drafts[j].reason = (f"same person name: {drafts[j].names.surface} ~ {drafts[i].names.surface}"
                                    f" in article {short}")
    for i, draft in enumerate(drafts):
        if draft.names.multi or draft.names.acronym or draft.type == "LOC":
            continue  # a lone place name is not a surname, even next to a mistagged "Blinken Usbekistan"
        probes = {draft.names.key, draft.names.stem_key} - {None}
        matches = [j for j in full if any(f.surname in probes for f in person_forms(drafts[j].names))]
        if not matches:
            matches = _family_name_first(draft, [drafts[j] for j in full], full)
        if not matches:
            continue
        before = [j for j in matches if drafts[j].start < draft.start]
        j = max(before, key=lambda k: drafts[k].start) if before else min(matches, key=lambda k: drafts[k].start)
        if uf.union(i, j):
            draft.reason = f"surname of {drafts[j].names.surface} in article {short}"
            draft.type = "PER"  # "Psaki" tagged ORG once is still Jen Psaki


def _family_name_first(draft: Draft, full_drafts: list[Draft], full: list[int]) -> list[int]:
    """The full names of two words that a lone word read as a person opens, where that word can be a family
    name written first (`type_cues.family_name_first`: "Dong" ~ "Dong Jun", "Xi" ~ "Xi Jinping"); "Jordan"
    alone stays apart from "Jordan Peters". Only when exactly one such name exists."""
    if draft.type != "PER" or not family_name_first(draft.names.surface):
        return []
    found = [j for j, d in zip(full, full_drafts) if d.type == "PER" and len(d.names.tokens) == 2
             and d.names.tokens[0] == draft.names.key]
    return found if len({full_drafts[full.index(j)].names.key for j in found}) == 1 else []


def _union_short_forms(drafts: list[Draft], uf: UnionFind, short: str) -> None:
    """A lone word that starts a longer name of the article is its short form ("Orlund" ~ "Orlund Biopharm").

    Persons are left to the surname rule, and places and listed institutions keep their own
    entity ("Jordan" is not short for "Jordan Peterson"): only an unknown word qualifies. A word
    the article names alone as a place before the longer name is that place, not short for an
    organisation named after it ("in Velgrad ... the Velgrad Institute for Social Research").
    """
    from echolot.entities.places import demonym, is_town_name, lookup

    longer = [j for j, d in enumerate(drafts) if d.names.multi and not d.names.acronym]
    first_place: dict[str, int] = {}  # where the article first names a word alone as a place
    for d in drafts:
        if d.type == "LOC" and not d.names.multi:
            first_place[d.names.key] = min(d.start, first_place.get(d.names.key, d.start))
    for i, draft in enumerate(drafts):
        if draft.names.multi or draft.names.acronym or draft.personish:
            continue
        matches = [j for j in longer if drafts[j].names.tokens[0] == draft.names.key
                   and first_place.get(draft.names.key, drafts[j].start) >= drafts[j].start]
        if not matches or lookup(draft.names.surface, draft.lang, draft.type) is not None \
                or demonym(draft.names.surface, draft.lang, "MISC") is not None:
            continue  # "Russian" is not short for "Russian Federation", nor "Czech" for "Czech Republic"
        if draft.type == "LOC" and is_town_name(draft.names.surface) \
                and any(_region_named_after(drafts[j].names.surface) for j in matches):
            continue  # "in Khabarovsk" is the town, not short for "Khabarovsk Territory" ("Буча Київської області"
            #   is Bucha with its region: the same town)
        if len({drafts[j].names.key for j in matches}) > 1 or _common_word(draft.names.surface, draft.lang):
            continue  # "European" starts "European Union" and "European Pravda": no short form of either
        if any(draft.names.key in drafts[j].names.tokens[1:] for j in longer):
            continue  # "Handelsblatt" also ends "Institut de recherche du Handelsblatt": the owner of both
            # names, a thing of its own, not short for "Handelsblatt Disrupt"
        before = [j for j in matches if drafts[j].start < draft.start]
        j = max(before, key=lambda k: drafts[k].start) if before else min(matches, key=lambda k: drafts[k].start)
        if uf.union(i, j):
            draft.reason = draft.reason or f"short form of {drafts[j].names.surface} in article {short}"


def _region_named_after(surface: str) -> bool:
    """Whether a name is a town's word and one region noun: "Khabarovsk Territory", "Kherson Oblast"."""
    words = surface.split()
    return len(words) == 2 and words[1].lower() in REGION_NOUNS


def _union_acronym_with_owner(drafts: list[Draft], uf: UnionFind, short: str) -> None:
    """A name written alone and the same name with a known place after it ("МВС" and "МВС Білорусі", "Верховного
    суда" and "Верховный суд США") in one article are one thing: the article adds the owner once and drops it
    later. Any script; the name alone is an acronym or has two or more words, its words meet the longer name's
    in any case (`_same_words`), and only a place that `places.lookup` knows counts as the owner."""
    from echolot.entities.places import lookup

    heads = [i for i, d in enumerate(drafts) if not d.personish and (d.names.acronym or len(d.names.tokens) >= 2)]
    if not heads:
        return
    for j, d in enumerate(drafts):
        words = d.names.surface.split()
        if d.personish or len(words) < 2:
            continue
        for cut in (len(words) - 1, len(words) - 2):
            if cut < 1:
                continue
            place = lookup(" ".join(words[cut:]), d.lang, "LOC")
            if place is None or place.type != "LOC":
                continue
            head = " ".join(words[:cut])
            for i in heads:
                if i != j and _same_words(drafts[i].names.surface, head) and uf.union(i, j):
                    d.reason = d.reason or f"{head} with its owner {' '.join(words[cut:])} in article {short}"
            break


def _same_words(surface: str, head: str) -> bool:
    """Whether two names have the same words, each allowing a case ending ("Верховного суда" ~ "Верховный суд",
    "МВС" ~ "МВС"): their folded stems are equal, or one begins the other and the shorter has three letters."""
    from echolot.entities.canonical import fold_token, stem_token

    a, b = surface.split(), head.split()
    if len(a) != len(b):
        return False
    for x, y in zip(a, b):
        fx, fy = fold_token(stem_token(x) or x), fold_token(stem_token(y) or y)
        shorter, longer = sorted((fx, fy), key=len)
        if not (shorter == longer or (len(shorter) >= 3 and longer.startswith(shorter))):
            return False
    return True


def _common_word(surface: str, lang: str | None) -> bool:
    """A capitalised word whose lower-case form is a word of a language that writes common words in
    lower case ("European", "National", "Musée"): an adjective or noun that begins many names, no
    short form of one. German capitalises every noun, so there it says nothing."""
    from echolot.entities.spans import common_word, nouns_capitalised

    word = surface.strip()
    if " " in word or not word[:1].isupper() or word.isupper() or nouns_capitalised(lang):
        return False
    return common_word(word, (lang or "").split("-")[0])


def _union_acronyms(drafts: list[Draft], uf: UnionFind, defined: dict[int, str],
                    short: str) -> dict[int, set[str]]:
    """Acronyms defined in parentheses, or readable off an expansion in the same article."""
    aliases: dict[int, set[str]] = {}
    for index, acronym in defined.items():
        key = name_keys(acronym).key
        aliases.setdefault(index, set()).add(key)
        for i, draft in enumerate(drafts):
            if draft.names.key == key and uf.union(index, i):
                draft.reason = f"acronym of {drafts[index].names.surface} in article {short}"
    compound = {i: letters for i, d in enumerate(drafts)
                if d.type != "PER" and (letters := compound_acronym(d.names.surface))}
    expansions = [i for i, d in enumerate(drafts) if d.names.multi and not d.personish and i not in compound]
    for i, draft in enumerate(drafts):
        if not draft.names.acronym and i not in compound:
            continue
        letters = compound.get(i, draft.names.surface)  # "ГУР МОУ" reads off its expansion as "ГУРМОУ"
        for j in expansions:
            if acronym_matches(letters, drafts[j].names.surface) and uf.union(i, j):
                draft.reason = f"acronym of {drafts[j].names.surface} in article {short}"
                break
    _union_acronym_with_owner(drafts, uf, short)
    by_letters: dict[str, int] = {}
    for i, letters in compound.items():  # "ГУР МОУ" and "ГУР МО України" without their expansion
        first = by_letters.setdefault(fold_token(letters), i)
        if first != i and uf.union(first, i):
            drafts[i].reason = f"same acronym as {drafts[first].names.surface} in article {short}"
    return aliases
