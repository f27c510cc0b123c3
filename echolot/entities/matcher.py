"""Cross-article matching: does this article's group name an entity we already know?

Order of evidence, strongest first:
  1. the same folded key (or a declined form of it): "Токаев" ~ "Tokayev", "Kasachstans" ~ "Kasachstan";
  2. person-name structure: a full name with the same surname and compatible given
     names; a lone surname joins the full name seen in a linked article, else the
     one person with that surname whose context (co-mentioned entities) agrees;
  3. an acronym that reads off a known expansion's initials (or the reverse), when
     the two share context.
Anything weaker creates a new entity: a wrong merge hides information from the user,
a missed one only shows two rows.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from echolot.entities.canonical import (
    ACRONYM_STOP, NameKeys, acronym_key, acronym_matches, given_names_compatible, is_cyrillic, name_keys,
    person_forms, same_person_name, script_of, sound_key, tokens,
)
from echolot.entities.index import EntityIndex, EntityRecord, known_conflict
from echolot.entities.local import Group
from echolot.entities.places import home_country
from echolot.settings import EntitiesSettings

ContextFn = Callable[[str], set[str]]


class Matcher:
    """Resolves the groups of one article at a time against an `EntityIndex`."""

    def __init__(self, index: EntityIndex, settings: EntitiesSettings, context_of: ContextFn,
                 linked_articles: Callable[[str], set[str]]) -> None:
        self.index = index
        self.settings = settings
        self.context_of = context_of
        self.linked_articles = linked_articles

    # -- one article --------------------------------------------------------------------
    def resolve_article(self, article_id: str, groups: list[Group]) -> None:
        """Give every group an entity id; lone surnames last, so their context is known."""
        ordered = sorted(groups, key=lambda g: (g.single_token() and g.is_person, g.single_token(),
                                                g.first().start))
        for group in ordered:
            context = {self.index.resolve(g.entity_id) for g in groups if g.entity_id} - {None}
            entity_id, reason = self._match(article_id, group, context)  # type: ignore[arg-type]
            record = self.index.get(entity_id) if entity_id else self.index.new_entity(
                f"{group.type}\x00{sorted(group.keys())[0]}\x00{article_id}")
            self._attach(record, group, article_id, reason)
        known = {r for r in (self.index.resolve(g.entity_id) for g in groups if g.entity_id) if r}
        for group in groups:  # once the whole article's context is known (full names come first)
            own = self.index.resolve(group.entity_id)
            if not group.is_person or own is None:
                continue
            found, reason = self._by_sound(article_id, [d.names for d in group.members], known - {own}, own)
            if found and found != own and self._sound_fits(own, found) and not self.index.conflicting(own, found):
                group.entity_id = self.index.merge(found, own, reason)
        for group in groups:
            if group.is_person and group.full_names():
                self._absorb_lone_surnames(article_id, group, known)

    def _sound_fits(self, own: str, found: str) -> bool:
        """Every full name of `own` is a full name of `found` by ear (`_by_sound`'s test) or by key: a by-ear
        match of a lone surname must not bring along another given name ("Хантер Байден")."""
        ratio = self.settings.given_name_min_ratio
        theirs = self.index.get(found).full_names()
        return all(any(same_person_name(mine, other, ratio) or (
            sound_key(mine.surname) and sound_key(mine.surname) == sound_key(other.surname)
            and given_names_compatible(mine.given, other.given, ratio)) for other in theirs)
            for mine in self.index.get(own).full_names())

    def _lone_only(self, entity_id: str) -> bool:
        record = self.index.get(entity_id)
        return record.is_person and not record.full_names()

    def _absorb_lone_surnames(self, article_id: str, group: Group, context: set[str]) -> None:
        """People known by a lone surname only that this article's full name may be, joined now that the
        article's context is known (`_surname_supported`; the full names were matched before it was)."""
        own = self.index.resolve(group.entity_id)
        surnames = {f.surname for n in group.full_names() for f in person_forms(n)}
        for cid in sorted(self.index.lookup(self.index.by_key, surnames)):
            if own is None or cid == own or not self._lone_only(cid):
                continue
            lone = self.index.get(cid)
            if self._surname_supported(article_id, cid, context - {own}, group, lone=lone) \
                    and not self.index.conflicting(own, cid):
                reason = f"surname of {self.index.get(own).name}, named in full in article {article_id[:8]}"
                own = self.index.merge(own, cid, reason)
        group.entity_id = own

    def _attach(self, record: EntityRecord, group: Group, article_id: str, reason: str) -> None:
        known = set(record.variants)
        for draft in group.members:
            if draft.names.surface not in known and record.variants:
                record.add_reason(draft.reason or reason or _variant_reason(draft.names.surface, record))
            self.index.add_variant(record, draft.names, draft.vote, draft.lang, article_id, oblique=draft.oblique)
            known.add(draft.names.surface)
        for key in group.alias_keys:
            self.index.add_alias_key(record, key)
        group.entity_id = record.id

    # -- evidence ---------------------------------------------------------------------------
    def _match(self, article_id: str, group: Group, context: set[str]) -> tuple[str | None, str]:
        exact = self._exact(group)
        if exact:
            return self._choose_exact(article_id, group, exact, context)
        if group.is_person or any(d.personish for d in group.members):
            found = self._by_person_name(article_id, group, context)
            if found[0]:
                return found
        if not group.is_person:
            return self._by_acronym(group, context)
        return None, ""

    def _exact(self, group: Group) -> set[str]:
        keys, stems = group.keys(), group.stems()
        found = self.index.lookup(self.index.by_key, keys | stems)
        found |= self.index.lookup(self.index.by_stem, keys | stems)
        return found

    def _choose_exact(self, article_id: str, group: Group, hits: set[str],
                      context: set[str]) -> tuple[str | None, str]:
        """Join the exact hits that can be the same thing; merge them if there are several."""
        ratio = self.settings.given_name_min_ratio
        compatible = [h for h in hits if self._group_fits(group, self.index.get(h), ratio)
                      and not known_conflict(group.keys(), self.index.get(h).keys)]
        if group.full_names() and group.is_person:  # a person known by a lone surname only: support first
            compatible = [h for h in compatible if not self._lone_only(h)
                          or self._surname_supported(article_id, h, context, group, lone=self.index.get(h))]
        if group.single_token() and group.is_person:
            compatible = [h for h in compatible if self._surname_supported(article_id, h, context, group)]
            # a lone surname that meets a person named in full joins that person only: another entity known
            # by the surname alone was left apart for want of support, and this article gives it none
            named = [h for h in compatible if self.index.get(h).is_person and self.index.get(h).full_names()]
            compatible = named or compatible
        if not compatible:
            return None, ""
        if len(compatible) > 1:
            # several people share this surname: keep them apart, pick by link or context
            people = [h for h in compatible if self.index.get(h).full_names()]
            if len(people) > 1 and not all(self.index.names_compatible(people[0], p, ratio) for p in people[1:]):
                best = self._best_by_context(article_id, people, context)
                return best, ""
        keep = min(compatible, key=lambda h: self.index.get(h).created)
        for other in compatible:
            if other != keep and self.index.resolve(other) != self.index.resolve(keep) \
                    and not self.index.conflicting(keep, other):
                a, b = self.index.get(keep), self.index.get(other)
                keep = self.index.merge(keep, other, f"same name after folding: {a.name} ~ {b.name}")
        return keep, ""

    def _group_fits(self, group: Group, record: EntityRecord, ratio: float) -> bool:
        """A group with a full name must not join a person whose full names all disagree."""
        mine = group.full_names()
        theirs = record.full_names() if record.is_person else []
        if not mine or not theirs:
            return True
        return any(same_person_name(a, b, ratio) for a in mine for b in theirs)

    def _by_person_name(self, article_id: str, group: Group, context: set[str]) -> tuple[str | None, str]:
        ratio = self.settings.given_name_min_ratio
        mine = group.full_names()
        if mine:
            surnames = {n.surname for n in mine}
            candidates = [c for c in self.index.lookup(self.index.by_surname, surnames)
                          if self._group_fits(group, self.index.get(c), ratio)]
            # an entity known only by this surname ("Tokajew" alone elsewhere)
            for cid in self.index.lookup(self.index.by_key, surnames):
                record = self.index.get(cid)
                if not record.full_names() and (record.is_person or self._shares(cid, context)) \
                        and self._surname_supported(article_id, cid, context, group, lone=record):
                    candidates.append(cid)
            if not candidates:
                return None, ""
            best = self._best_by_context(article_id, sorted(set(candidates)), context, need_context=False)
            if best:
                return best, f"same person: {mine[0].surface} ~ {self.index.get(best).name}"
            return None, ""
        keys = group.keys() | group.stems()
        candidates = sorted(self.index.lookup(self.index.by_surname, keys))
        if not candidates:
            return None, ""
        linked = self.linked_articles(article_id)
        in_linked = [c for c in candidates if linked & set(self.index.get(c).articles)]
        if len(in_linked) == 1:
            return in_linked[0], (f"surname of {self.index.get(in_linked[0]).name}"
                                  f" in linked article")
        if len(candidates) == 1:  # the only known person with this surname: a little context is enough
            only = candidates[0]
            if self._overlap(only, context) >= self.settings.min_shared_context_unique:
                return only, f"surname of {self.index.get(only).name}, shared context"
            return None, ""
        best = self._best_by_context(article_id, candidates, context, need_context=True)
        if best:
            return best, f"surname of {self.index.get(best).name}, shared context"
        return None, ""

    def _by_acronym(self, group: Group, context: set[str]) -> tuple[str | None, str]:
        """ACR ~ known expansion, or expansion ~ known acronym, only with shared context."""
        surfaces = [d.names for d in group.members]
        found: set[str] = set()
        for names in surfaces:
            if names.acronym:  # letter for letter, not only folded alike ("США" is no "Саудовская Аравия")
                found |= {c for c in self.index.lookup(self.index.by_initials, names.tokens[:1])
                          if any(acronym_matches(names.surface, v) for v in self.index.get(c).variants)}
            elif names.initials_key:
                found |= {c for c in self.index.lookup(self.index.by_key, [names.initials_key])
                          if any(len(v) <= 8 and v.isupper() for v in self.index.get(c).variants)}
        found = {c for c in found if not self.index.get(c).is_person}
        sharing = {c for c in found if self._shares(c, context)}
        if len(sharing) == 1:
            target = sharing.pop()
            return target, f"acronym of {self.index.get(target).name} (shared context)"
        spelled = {c for c in found if any(_spells_out(a, b) for a in surfaces for b in self.index.get(c).variants)}
        if not sharing and len(spelled) == 1:
            target = spelled.pop()
            return target, f"acronym of {self.index.get(target).name} (every initial of a long name)"
        return None, ""

    def _by_sound(self, article_id: str, names: list[NameKeys], context: set[str],
                  own: str | None = None) -> tuple[str | None, str]:
        """A person written in another script whose surname differs from one of `names` only in its inner
        vowels ("Байден" ~ "Joe Biden", "Дональд Трамп" ~ "Donald Trump"), given names compatible, with
        `min_shared_context` co-mentioned entities (or a link): a spelling by ear is a guess, context
        confirms it. Same-script names never meet here; their spellings follow one convention."""
        ratio = self.settings.given_name_min_ratio
        found: set[str] = set()
        names = [n for n in names if n.multi] or names  # a group's full names speak for its lone surname
        for mine in names:
            forms = person_forms(mine)
            # a declined lone surname ("Байдена") by its stem too
            surnames = {f.surname for f in forms} | ({mine.stem_key.split()[-1]} if mine.stem_key else set())
            sounds = {sound_key(s) for s in surnames} - {""}
            for cid in self.index.lookup(self.index.by_sound, sounds) - {own}:
                record = self.index.get(cid)
                if any(script_of(theirs.surface) != script_of(mine.surface)
                       and sound_key(theirs.surname) in sounds
                       and not {f.surname for f in person_forms(theirs)} & surnames  # same surname: other given name
                       and any(given_names_compatible(f.given, theirs.given, ratio) for f in forms)
                       for theirs in record.full_names()):
                    found.add(cid)
        best = self._best_by_context(article_id, sorted(found), context, need_context=True)
        if best:
            return best, f"same name by ear across scripts: {names[0].surface} ~ {self.index.get(best).name}"
        return None, ""

    def _surname_supported(self, article_id: str, entity_id: str, context: set[str], group: Group,
                           lone: EntityRecord | None = None) -> bool:
        """Whether a lone surname and a person named in full may join (`lone`: the stored entity is the lone
        surname and `group` the full name; else `group` is the lone surname): the person is named in a
        linked article, or in full in an article of the lone surname's language or of `_WIDELY_NAMED`
        languages (someone news abroad name too: "Macron" in French beside "Emmanuel Macron" in German,
        Bulgarian and Russian), or the two share `min_shared_context_unique` co-mentioned entities other
        than the lone surname's home country and its people.

        Why: a person's lone surname becomes one of its keys once an article writes it beside the full name
        ("Zakharova" ~ "Maria Zakharova", Portuguese), and then every "Захарова" anywhere met it by key, a
        Russian actress of that name too. News shorten to a surname the people their readers know, whom
        the same language's news name in full ("Draghi" in Italian); across languages the context must
        say it. The country a language's news are written in (`places.home_country`: Russia for Russian)
        is co-mentioned with most of them, so it tells one Zakharova from another no better than chance;
        any other co-mentioned entity does ("Tokajew" in German beside Kazakhstan)."""
        record = self.index.get(entity_id)
        if lone is None and (not record.is_person or not record.full_names()):
            return True
        if self.linked_articles(article_id) & set(record.articles):
            return True
        if lone is None:
            full_langs = {lang for v, langs in record.variant_langs.items() if name_keys(v).multi for lang in langs}
            lone_langs = {d.lang for d in group.members if d.lang}
        else:
            full_langs = {d.lang for d in group.members if d.names.multi and d.lang}
            lone_langs = set(lone.langs)
        if full_langs & lone_langs or len(full_langs) >= _WIDELY_NAMED:
            return True
        homes = {h for h in (home_country(lang) for lang in lone_langs) if h}
        home_keys = homes | {f"people:{h}" for h in homes}
        shared = (self.context_of(entity_id) & context) - {entity_id}
        telling = [c for c in shared if not self.index.get(c).keys & home_keys]
        return len(telling) >= self.settings.min_shared_context_unique

    # -- context --------------------------------------------------------------------------------
    def _shares(self, entity_id: str, context: set[str]) -> bool:
        return self._overlap(entity_id, context) >= self.settings.min_shared_context

    def _overlap(self, entity_id: str, context: set[str]) -> int:
        theirs = self.context_of(entity_id)
        return len((theirs & context) - {entity_id})

    def _best_by_context(self, article_id: str, candidates: list[str], context: set[str],
                         need_context: bool = True) -> str | None:
        """The candidate whose co-mentioned entities overlap most with this article's."""
        if not candidates:
            return None
        linked = self.linked_articles(article_id)
        scores = Counter({c: self._overlap(c, context) + (100 if linked & set(self.index.get(c).articles) else 0)
                          for c in candidates})
        ranked = scores.most_common()
        best, top = ranked[0]
        if need_context and top < self.settings.min_shared_context:
            return None
        if len(ranked) > 1 and ranked[1][1] == top:
            return None
        return best


def _variant_reason(surface: str, record: EntityRecord) -> str:
    """Why a new surface joined by exact key: transliteration when scripts differ."""
    mine = name_keys(surface)
    probes = {mine.key, mine.stem_key} - {None}
    same = [v for v in record.variants if {name_keys(v).key, name_keys(v).stem_key} & probes]
    other = max(same, key=lambda v: record.variants[v]) if same else record.name
    if is_cyrillic(surface) != is_cyrillic(other):
        return f"transliteration match: {surface} ~ {other}"
    return f"spelling variant: {surface} ~ {other}"


#: languages whose news name a person in full, after which a lone surname in any language is that person
_WIDELY_NAMED = 2
_MIN_SPELLED = 3  # letters of an acronym, and content words of its expansion, that need no shared context


def _spells_out(names: NameKeys, variant: str) -> bool:
    """Whether an acronym and a name of three or more content words match letter for letter in one script
    ("ЗСУ" ~ "Збройних сил України", either way round): then the two are one thing even in articles that
    share no other entity. Shorter acronyms collide too often ("AP", "EU") to go without context."""
    other = name_keys(variant)
    acronym, expansion = (names, other) if names.acronym else (other, names)
    if not acronym.acronym or expansion.acronym or not expansion.initials_key:
        return False
    letters = acronym.surface.replace(".", "")
    content = [w for w in tokens(expansion.surface) if w.lower() not in ACRONYM_STOP]
    return (len(letters) >= _MIN_SPELLED and len(content) >= _MIN_SPELLED
            and is_cyrillic(letters) == is_cyrillic(expansion.surface)
            and acronym_key(letters) == expansion.initials_key)
