"""Resolving a quote's surface speaker ("she", "the spokeswoman", "Die Sprecherin des
Weißen Hauses") to a named person in the article, and that person to a canonical entity.

News names a speaker once and then refers back by pronoun or role, or names the
role first and the person a paragraph later. Without a coreference model we use
cues that hold well in news: a name inside the speaker phrase that is not a
possessor ("Biden's spokeswoman, Jen Psaki" is Psaki, not Biden); a role noun that
appears elsewhere as an apposition of a name whose context agrees with the role's
modifiers; for spokespeople, the person speaking in the nearest other attribution
("Biden's spokeswoman has denied ... Jen Psaki told reporters"); for institutions
("the ministry", "die russische Behörde") and documents ("in der Erklärung"), the
institution that spoke last; and the nearest preceding person mention for pronouns.
A role that none of these ties to a name stays the role: a wrong name costs a
reader's trust, a role does not.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from echolot.quotes.lexicon import (
    DOCUMENT_NOUNS,
    ORG_ROLE_NOUNS,
    PRONOUNS,
    ROLE_NOUNS,
    SOURCE_NOUNS,
    SPEECH_VERBS,
    SPOKES_ROLES,
    compile_person_roles,
    compile_words,
    other_person_phrase,
)
from echolot.quotes.marks import find_quote_regions, open_incises, top_level
from echolot.quotes.spans import Span

_POSSESSOR_AFTER = re.compile(r"^\s*[’']s?\b|^[’']")
_POSSESSOR_BEFORE = re.compile(r"\b(?:von|des|der|of|для|у|del|du)\s+(?:[\w.-]+\s+){0,2}$", re.IGNORECASE)
_CLAUSE_END = re.compile(r"[.;:!?]")
# pronouns after a preposition ("Selon lui", "Según él", "по его словам"): they refer back too
_OBLIQUE_PRONOUNS = {"fr": {"lui", "elle", "eux"}, "es": {"él", "ella"}, "ru": {"него", "неё", "нее", "его", "её", "ее"},
                     "uk": {"нього", "неї", "них", "його", "її", "їх"}, "be": {"яго", "яе", "іх", "яму", "ёй"},
                     "pl": {"niego", "niej", "nich", "jego", "jej", "ich"}, "kk": {"оның", "олардың"},
                     "bg": {"него", "нея", "тях", "негови", "нейни", "техни", "го", "ги"}, "pt": {"ele", "ela"}, "it": {"lui", "lei"}}
_MAX_FOLLOWING = 700  # a role named before the person: look this far ahead for the name


@dataclass
class Speaker:
    surface: str | None
    span: Span | None
    entity_id: str | None = None
    name: str | None = None  # the person/organisation the speaker was resolved to
    how: str = "surface"  # surface | named | titled | pronoun | role-apposition | role-speaker | role-anaphora |
    #   org-antecedent | sentence | sentence-speaker | anonymous

    def _replace_span(self, span: Span, surface: str, how: str) -> Speaker:
        """This speaker's person, as referred to by another phrase ("she", "the minister")."""
        return Speaker(surface, span, self.entity_id, self.name, how)


def _is_possessor(text: str, m: dict[str, Any]) -> bool:
    if re.search(r"[’']s?$", text[m["start"]:m["end"]]):
        return True  # NER sometimes keeps the genitive inside the mention ("Joe Biden’s")
    after = text[m["end"]:m["end"] + 3]
    before = text[max(0, m["start"] - 30):m["start"]]
    before = before[max(before.rfind("\n"), *(before.rfind(c + " ") for c in ".!?")) + 1:]  # same sentence only
    return bool(_POSSESSOR_AFTER.match(after)) or (bool(_POSSESSOR_BEFORE.search(before)) and "," not in before[-25:])


_DETERMINER = re.compile(r"^(?:the|a|an|der|die|das|den|dem|des|ein|eine|einer|eines)\s+", re.IGNORECASE)
_MAX_SPOKES_DISTANCE = 900  # a spokesperson's name is given within this many characters of the role
_MAX_ORG_HISTORY = 3000  # "the ministry" refers back at most this far
_MAX_ANAPHORA = 400  # "the minister" refers back to a person named at most this far before
_SLAVIC_CASES = {"ru", "uk", "be"}
_OBLIQUE_SURNAME = re.compile(r"(?:[оеёє]в|[иыі]н)(?:у|ым|им)$|(?:ск|цк)(?:ому|им|ым)$")
_MAX_PRO_DROP = 600  # a verb without a subject continues the last speaker this close
_SUBJECT_LANGS = {"en", "de", "fr"}  # languages that always name the subject: no pro-drop


@dataclass
class _Said:
    """An attribution already resolved in this article (for roles that refer back or ahead)."""

    span: Span
    speaker: Speaker
    is_org: bool
    is_person: bool = False


class SpeakerResolver:
    """Resolves speakers of one article given its entity mentions (dicts of model.Mention).

    Call `resolve` in text order; `sources` (all speaker phrases of the article) lets a role
    such as "Biden's spokeswoman" find the person named as a speaker a sentence later.
    """

    def __init__(self, text: str, lang: str | None, mentions: list[dict[str, Any]],
                 sources: list[Span] | None = None, contents: list[Span] | None = None) -> None:
        self.text = text
        self.lang = lang if lang in ROLE_NOUNS else "en"
        self.roles = compile_person_roles(self.lang)
        self.org_roles = compile_words(ORG_ROLE_NOUNS[self.lang])
        self.spokes = compile_words(SPOKES_ROLES[self.lang])
        self.documents = compile_words(DOCUMENT_NOUNS[self.lang])
        self.anonymous = compile_words(SOURCE_NOUNS[self.lang])
        self.pronouns = PRONOUNS.get(self.lang, set()) | _OBLIQUE_PRONOUNS.get(self.lang, set()) | {"he", "she", "он", "она"}
        self.mentions = sorted([*mentions, *_surname_mentions(text, mentions)], key=lambda m: m["start"])
        told = _ROMANCE_TOLD if self.lang in _ROMANCE else None
        self.persons = [m for m in self.mentions if m.get("type") == "PER" and not _is_possessor(text, m)
                        and not (told and told.search(text, max(0, m["start"] - 6), m["start"]))]
        self.sources = sorted(sources or [])
        self.contents = sorted(contents or [])
        # what stands in quotation marks (three words or more: no nickname or title), found as a quote or not:
        # a name there is in someone's words ("… dem Habeck und dem Scholz vertrauen …"), no antecedent
        # (a writer's incise inside the marks, "«…, — сказал Песков, — …»", is not)
        regions = top_level(find_quote_regions(text))
        if self.lang in SPEECH_VERBS and self.lang != "en":
            regions = open_incises(text, regions, compile_words(SPEECH_VERBS[self.lang]))
        self.quoted = [r.inner for r in regions
                       if len(text[r.inner_start:r.inner_end].split()) >= 3]
        self.history: list[_Said] = []

    def _result(self, span: Span | None, m: dict[str, Any], how: str) -> Speaker:
        surface = self.text[span[0]:span[1]] if span else None
        return Speaker(surface, span, m.get("entity_id"), m.get("text") or self.text[m["start"]:m["end"]], how)

    def resolve(self, span: Span | None, cue: Span | None, embedded: bool = False) -> Speaker:
        """The speaker of the source phrase at `span` (None: the cue's sentence decides). `embedded`:
        the attribution is a claim a noun reports inside another sentence's clause ("Lindqvist
        addressed claims by Tarnavsky that ..."); its agent is not who the next "she" refers to."""
        speaker = self._resolve(span, cue)
        if span is not None:
            person = self._is_person(speaker) and not embedded
            self.history.append(_Said(span, speaker, self._is_org(speaker) and not embedded, person))
        return speaker

    def _resolve(self, span: Span | None, cue: Span | None) -> Speaker:
        if span is None:
            return self._from_sentence(cue)
        surface = self.text[span[0]:span[1]]
        if self._is_anonymous(surface, self.lang):
            # "источник в окружении Путина", "a source close to Putin": someone the article does not name; a
            # name in the description says whose circle, never who speaks
            return Speaker(surface, span, name=_DETERMINER.sub("", surface), how="anonymous")
        inside = [m for m in self.mentions if m["start"] >= span[0] and m["end"] <= span[1]]
        named = [m for m in inside if m.get("type") == "PER" and not _is_possessor(self.text, m)]
        if named:
            return self._result(span, named[-1], "named")
        words = re.findall(r"\w+", surface.lower())
        if other_person_phrase(surface, self.lang, self.roles) and not self.roles.search(surface):
            return Speaker(surface, span)  # "її син": the pronoun is his mother, the son is no one named
        if surface.strip().lower() in self.pronouns or (len(words) <= 6 and self.pronouns & set(words)):
            # "she", "Он также", "a-t-il", "На вопрос журналистов он лишь": the pronoun is the subject
            found = self._last_subject(span, None)
            if found is not None and _agrees(self.lang, words, found):
                return found._replace_span(span, surface, "pronoun")
            return Speaker(surface, span)
        own = [m for m in inside if m.get("type") in {"ORG", "LOC"} and not _is_possessor(self.text, m)]
        roles = list(self.roles.finditer(surface))
        if roles:
            titled = _FULL_NAME.fullmatch(surface[roles[-1].end():].strip())
            if titled and not self.roles.search(titled.group(0)) and not self.org_roles.search(titled.group(0)):
                # "presidente Oleg Tarnavski" with the name the NER missed: a title before a full name is that
                # person, never the role's last holder (one capitalised word may be a country: "Präsident
                # Russlands", "президент России")
                return Speaker(surface, span, name=titled.group(0), how="titled")
            found = self._role_holder(span, surface, roles[-1].group(0))
            if found:
                return found
            return Speaker(surface, span, name=_DETERMINER.sub("", surface))  # the role with its organisation
        if own:
            return self._result(span, own[-1], "named")
        if self.org_roles.search(surface) or self.documents.search(surface):
            earlier = self._earlier_org(span, generic=not self.org_roles.search(surface) or _is_generic(surface))
            if earlier is not None:
                return Speaker(surface, span, earlier.entity_id, earlier.name, "org-antecedent")
        return Speaker(surface, span, name=_DETERMINER.sub("", surface))

    def _is_anonymous(self, surface: str, lang: str) -> bool:
        """A speaker phrase built on an anonymous source noun: one among its first four words, after
        nothing but articles and modifiers ("a senior source", "eine mit den Verhandlungen vertraute
        Quelle", "источника в окружении")."""
        head = self.anonymous.search(surface)
        if head is None:
            return False
        before = re.findall(r"\w+", surface[:head.start()].lower())
        return len(before) <= 3 and not set(before) & (self.pronouns | _NOT_MODIFIERS | _NOT_MODIFIERS_MORE.get(lang, set()))

    # -- roles of persons ----------------------------------------------------------------------
    def _role_holder(self, span: Span, surface: str, role_word: str) -> Speaker | None:
        """The person the article ties to this role: an apposition that agrees with the role
        phrase's modifiers, or (for spokespeople) the person speaking in a nearby attribution.
        Never the nearest unrelated name: an unresolved role stays a role."""
        found = self._apposition(role_word, surface)
        if found is not None:
            return self._result(span, found, "role-apposition")
        if _INDEFINITE.match(surface):
            return None  # "a government spokesman": someone the article does not name
        if self.spokes.search(surface):
            holder = self._nearby_speaker(span)
            if holder is not None:
                return self._result(span, holder, "role-speaker")
        if not _modifiers(surface, role_word, self.lang):
            # a bare definite role ("sagte die Ministerin", "said the president") refers back to
            # the person the last sentences were about
            antecedent = self._last_subject(span, _MAX_ANAPHORA)
            if antecedent is not None:
                return antecedent._replace_span(span, surface, "role-anaphora")
        return None

    def _last_subject(self, span: Span, within: int | None) -> Speaker | None:
        """The person a pronoun or bare role refers back to: the later of the last person named
        outside any quote's content (a name inside what someone else said is not who speaks
        next) and the last speaker already resolved to a person."""
        def close(end: int) -> bool:
            return end <= span[0] and (within is None or span[0] - end <= within)

        def quoted(m: dict[str, Any]) -> bool:
            return any(a <= m["start"] and m["end"] <= b for a, b in (*self.contents, *self.quoted))

        named = [m for m in self.persons if close(m["end"]) and not quoted(m) and not self._oblique(m)]
        said = [h for h in self.history if h.is_person and close(h.span[1])]
        best_named = named[-1] if named else None
        best_said = said[-1] if said else None
        if best_said is not None and (best_named is None or best_said.span[1] > best_named["end"]):
            return best_said.speaker
        if best_named is not None:
            return self._result((best_named["start"], best_named["end"]), best_named, "named")
        return None

    def _oblique(self, m: dict[str, Any]) -> bool:
        """Russian, Ukrainian, Belarusian: a surname in the dative or instrumental ("военкору Ростиславу
        Журавлёву", "с Путиным", "Зеленскому") is an object, never the subject a later pronoun takes up; the
        endings are those of the "-ов/-ин/-ский" surnames only (an indeclinable "Шойгу" is no dative)."""
        if self.lang not in _SLAVIC_CASES:
            return False
        last = self.text[m["start"]:m["end"]].split()[-1:] or [""]
        return _OBLIQUE_SURNAME.search(last[0]) is not None

    def _last_speaker(self, cue: Span) -> Speaker | None:
        """`_AGREEMENT_LANGS`: the person who spoke last, within `_MAX_PRO_DROP`, for a cue whose subject is
        dropped: news drops the subject when the speaker goes on ("… Marine Le Pen. Jak stwierdził, …" is still
        Macron, who spoke before), and a name mentioned since then in an object is not who speaks; None elsewhere,
        when the last attribution is not a person's, or when no one spoke that close (`_last_subject` decides)."""
        if self.lang not in _AGREEMENT_LANGS:
            return None
        said = [h for h in self.history if h.span[1] <= cue[0]]
        last = said[-1] if said else None  # the last attribution must be that person's: a role or an institution
        #   speaking since ("Zdaniem lidera Polski 2050 …") leaves the choice to `_last_subject`
        if last is None or not last.is_person or cue[0] - last.span[1] > _MAX_PRO_DROP:
            return None
        return last.speaker

    def _apposition(self, role_word: str, surface: str) -> dict[str, Any] | None:
        """A person named next to the same role noun elsewhere ("Sprecherin ..., Jen Psaki",
        "Jen Psaki, Biden's spokeswoman"); with several such persons, the one whose context shares
        the role phrase's modifiers ("Kazakh", "russische"), else none."""
        compound = r"\w*" if self.lang == "de" else ""  # "Katastrophenschutzministerin" is a Ministerin
        stem = re.escape(role_word)
        if self.lang in _AGREEMENT_LANGS:  # the role in any case: "Lider Zielonych …" holds "lidera Zielonych"; a
            #   former holder's prefix apart ("экс-госсекретарь" is the "бывший госсекретарь" named elsewhere)
            bare = re.sub(r"^(?:экс|ex|eks|вице|wice)-", "", role_word, flags=re.IGNORECASE)
            stem = re.escape(bare[:max(4, len(bare) - 2)]) + r"\w{0,3}"
        word = re.compile(rf"(?<!\w){compound}{stem}(?!\w)", re.IGNORECASE)
        modifiers = _modifiers(surface, role_word, self.lang)
        found: list[tuple[dict[str, Any], str]] = []
        owned: set[int] = set()  # found holders whose role names its own owner between the role and the name
        for m in word.finditer(self.text):
            window_end = m.end() + 90
            stop = _CLAUSE_END.search(self.text, m.end(), window_end)
            window_end = stop.start() if stop else window_end
            commas = [i for i in range(m.end(), window_end) if self.text[i] == ","]
            if len(commas) >= 2:
                window_end = commas[1]
            owner = _OWNER_AFTER.match(self.text[m.end():m.end() + 40])  # "Lider Zielonych Jan Kruk"
            context = self.text[max(0, m.start() - 60):m.end() + (owner.end() if owner else 0)]
            after = [p for p in self.persons if m.end() <= p["start"] and p["end"] <= window_end
                     and self._apposed(self.text[m.end():p["start"]])]
            if after:
                found.append((after[0], context))
                if after[0]["start"] > m.end() + 1 and owner is not None:
                    owned.add(len(found) - 1)  # "президента США Джо Байдена": the role has an owner of its own
                continue
            titled = _FULL_NAME.match(self.text, m.end() + 1) if self.text[m.end():m.end() + 1] == " " else None
            if titled and not self.roles.search(titled.group(0)) and not self.org_roles.search(titled.group(0)):
                # "presidente Oleg Tarnavski" with the name the NER missed: the title's holder all the same
                found.append(({"start": titled.start(), "end": titled.end(), "type": "PER", "text": titled.group(0)},
                              context))
                continue
            before = [p for p in self.persons if m.start() - 60 <= p["end"] <= m.start()
                      and re.fullmatch(r",\s*[^,.;]{0,50}", self.text[p["end"]:m.start()])]
            if before:
                found.append((before[-1], self.text[before[-1]["end"]:m.end()]))
        if not found:
            return None
        if modifiers:
            agreeing = [p for p, ctx in found if _shares_modifier(ctx, modifiers)]
            if agreeing or not _OWNER_AFTER.match(surface[surface.lower().rfind(role_word.lower()) + len(role_word):]) \
                    or len(modifiers) > 1:
                return agreeing[0] if agreeing else None
            # only an owner qualifies the role ("экс-госсекретарь США"): one holder the article names with that role
            # and no other owner ("американский госсекретарь Генри Киссинджер") is the one meant
            found = [f for i, f in enumerate(found) if i not in owned]
        names = {(p.get("entity_id") or self.text[p["start"]:p["end"]]) for p, _ in found}
        return found[0][0] if len(names) == 1 else None

    def _apposed(self, gap: str) -> bool:
        """Whether a person after a role noun stands in apposition to it. In the Slavic languages of
        `_STRICT_APPOSITION` only capitalised words (the role's genitive: "lider Polski 2050 Szymon Hołownia") and a
        comma may stand between; a lower-case word makes the name another part of the clause ("Inicjatywa lidera
        Polski 2050 bardzo nie spodobała się Robertowi Biedroniowi"). Elsewhere any gap in the window."""
        return self.lang not in _STRICT_APPOSITION or _CAPITALISED_GAP.fullmatch(gap) is not None

    def _nearby_speaker(self, span: Span) -> dict[str, Any] | None:
        """The person named as the speaker of the closest other attribution (an earlier one
        first: "Psaki said ... the spokeswoman added"; else a later one: "Biden's spokeswoman
        has denied ... Jen Psaki told reporters")."""
        def named_in(source: Span) -> dict[str, Any] | None:
            phrase = self.text[source[0]:source[1]]
            if self.roles.search(phrase) and not self.spokes.search(phrase):
                return None  # "the commission's chair, Irina Voss" holds another role
            inside = [p for p in self.persons if source[0] <= p["start"] and p["end"] <= source[1]]
            return inside[-1] if inside else None

        earlier = [s for s in self.sources if s[1] <= span[0] and span[0] - s[1] <= _MAX_SPOKES_DISTANCE]
        for source in reversed(earlier):
            person = named_in(source)
            if person is not None:
                return person
        later = [s for s in self.sources if s[0] >= span[1] and s[0] - span[1] <= _MAX_SPOKES_DISTANCE]
        for source in later:
            person = named_in(source)
            if person is not None:
                return person
        return None

    # -- institutions --------------------------------------------------------------------------
    def _is_person(self, speaker: Speaker) -> bool:
        """Did this speaker resolve to a person (a PER mention, or a bare name the NER missed)?"""
        if speaker.how in {"pronoun", "role-apposition", "role-speaker", "role-anaphora", "titled"}:
            return True
        if speaker.span is None or speaker.how not in {"named", "surface"}:
            return False
        inside = [m for m in self.mentions if speaker.span[0] <= m["start"] and m["end"] <= speaker.span[1]]
        if speaker.how == "named":
            return any(m.get("type") == "PER" and not _is_possessor(self.text, m) for m in inside)
        surface = (speaker.surface or "").strip()
        return bool(_BARE_NAME.fullmatch(surface)) and not inside and not self.org_roles.search(surface) \
            and not self.documents.search(surface) and surface.lower() not in self.pronouns

    def _is_org(self, speaker: Speaker) -> bool:
        if speaker.span is None:
            return False
        inside = [m for m in self.mentions if speaker.span[0] <= m["start"] and m["end"] <= speaker.span[1]]
        if any(m.get("type") == "PER" and not _is_possessor(self.text, m) for m in inside):
            return False
        surface = speaker.surface or ""
        return bool(self.org_roles.search(surface)) or any(m.get("type") == "ORG" for m in inside) \
            or speaker.how == "org-antecedent"

    def _earlier_org(self, span: Span, generic: bool) -> Speaker | None:
        """The institution that spoke last, for "die russische Behörde", "the ministry" and
        documents ("heißt es in der Erklärung"). A specific noun ("das Außenministerium") only
        takes an antecedent that names the same kind of institution."""
        for said in reversed(self.history):
            if span[0] - said.span[1] > _MAX_ORG_HISTORY or not said.is_org:
                continue
            if generic or _same_institution(said.speaker.surface or "", self.text[span[0]:span[1]], self.org_roles):
                return said.speaker
        return None

    def _from_sentence(self, cue: Span | None) -> Speaker:
        """No speaker phrase: the last person named earlier in the cue's sentence."""
        if cue is None:
            return Speaker(None, None)
        start = max(self.text.rfind(". ", 0, cue[0]), self.text.rfind("\n", 0, cue[0])) + 1
        same = [said for said in self.history if said.span[0] >= start and said.span[1] <= cue[0]]
        if same and (same[-1].speaker.name or same[-1].speaker.surface):
            # "X has denied that ..., claiming that ...": the participle shares the clause's speaker
            prior = same[-1].speaker
            return Speaker(prior.surface, prior.span, prior.entity_id, prior.name, "sentence-speaker")
        verb = self.text[cue[0]:cue[1]].split()[-1] if self.text[cue[0]:cue[1]].split() else ""
        # a name inside a found content is a word of what was said ("…, kiedy Odra … jest zatruta - mówił."; the
        # English path keeps its own resolution)
        cands = [m for m in self.persons if start <= m["start"] and m["end"] <= cue[0]
                 and (self.lang == "en" or not any(s <= m["start"] < e for s, e in self.contents))]
        if cands and _verb_agrees(self.lang, verb, cands[-1].get("text") or self.text[cands[-1]["start"]:cands[-1]["end"]]):
            m = cands[-1]
            return Speaker(self.text[m["start"]:m["end"]], (m["start"], m["end"]), m.get("entity_id"),
                           m.get("text"), "sentence")
        if self.lang not in _SUBJECT_LANGS:
            # "«…», — сказал.", "«…», dijo.": a pro-drop verb continues the last subject
            antecedent = self._last_speaker(cue) or self._last_subject(cue, _MAX_PRO_DROP)
            if antecedent is not None and _verb_agrees(self.lang, verb, antecedent.name or ""):
                return Speaker(None, None, antecedent.entity_id, antecedent.name, "pro-drop")
        return Speaker(None, None)


# words that make a source noun after them an adjunct, not the head of the speaker phrase ("citing sources",
# "unter Berufung auf Quellen", "по данным источников")
_NOT_MODIFIERS = {"citing", "from", "according", "to", "by", "of", "with", "unter", "berufung", "auf", "aus", "von",
                  "laut", "nach", "по", "данным", "словам", "из", "со", "ссылкой", "на", "selon", "de", "según"}
# the same in the languages that run the Russian rules ("за даними джерел", "з посиланням на джерела",
# "według źródeł", "powołując się na źródła")
_NOT_MODIFIERS_MORE = {"uk": {"за", "даними", "словами", "з", "із", "посиланням", "на", "від"},
                       "be": {"па", "паводле", "з", "спасылкай", "на", "ад"},
                       "pl": {"według", "za", "z", "od", "powołując", "się", "na", "powołaniem"}}
_INDEFINITE = re.compile(r"^(?:a|an|ein|eine|einer|un|une|uno|una)\s", re.IGNORECASE)
# capitals with the Ukrainian, Belarusian, Kazakh and Polish ones ("Єрмак", "Ірина", "Łukasz")
_UPPER = "A-ZÀ-ÖØ-ÞА-ЯЁЄІЇҐЎŁŚŻŹĆŃӘҒҚҢӨҰҮҺ"
_CAPITALISED_GAP = re.compile(rf"(?:\s*[{_UPPER}0-9][\w.-]*)*\s*,?\s*")
_FULL_NAME = re.compile(rf"[{_UPPER}][\w'’-]+(?:\s+[{_UPPER}][\w'’-]+){{1,2}}")  # given name and surname
_BARE_NAME = re.compile(rf"[{_UPPER}][\w'’-]+(?:\s+[{_UPPER}][\w'’-]+){{0,2}}")


def _surname_mentions(text: str, mentions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Later lone surnames of named persons ("Korwel" after "Nadja Korwel") that the NER left
    out: news refers back that way, and pronouns and roles need those antecedents."""
    people: dict[str, dict[str, Any]] = {}
    for m in sorted(mentions, key=lambda x: x["start"]):
        words = (m.get("text") or text[m["start"]:m["end"]]).split()
        if m.get("type") == "PER" and len(words) >= 2 and len(words[-1]) >= 3:
            people.setdefault(words[-1], m)
    covered = [(m["start"], m["end"]) for m in mentions]
    out = []
    for surname, first in people.items():
        for hit in re.finditer(rf"(?<![\w-]){re.escape(surname)}(?![\w-])", text):
            if hit.start() > first["start"] and not any(a <= hit.start() < b for a, b in covered):
                out.append({"start": hit.start(), "end": hit.end(), "type": "PER", "text": first.get("text") or surname,
                            "entity_id": first.get("entity_id")})
    return out


# pronouns that say their antecedent's number and gender, in the languages whose agreement is checked
# (Ukrainian, Belarusian, Polish, Russian): "вони" / "они" is never one named person, "вона" never a "Зеленський"
_PLURAL = {"вони", "них", "їх", "яны", "іх", "oni", "one", "nich", "ich", "они", "их"}
_FEMININE = {"вона", "неї", "її", "яна", "яе", "ёй", "ona", "niej", "jej", "она", "неё", "нее", "её", "ее", "ей", "ней"}
_MASCULINE = {"він", "нього", "його", "ён", "яго", "яму", "on", "niego", "jego", "он", "него", "его", "ему", "нему"}
_AGREEMENT_LANGS = {"uk", "be", "pl", "ru"}
_BG_PLURAL = {"те", "тях", "ги"}  # Bulgarian "they", "them": never one person (Bulgarian agrees in number only here)
# where only capitalised words may stand between a role and the name it holds (see `_apposed`); Russian keeps
# any gap ("пресс-секретарь президента Дмитрий Песков": a lower-case genitive between)
_STRICT_APPOSITION = {"uk", "be", "pl"}
# surname endings that say the person's gender ("Венедиктова", "Зеленський", "Kowalska", "Sikorski")
_FEMININE_NAME = re.compile(r"(?:ська|цька|зька|ова|ева|єва|іна|їна|ая|ская|ska|cka|dzka|owa)$", re.IGNORECASE)
_MASCULINE_NAME = re.compile(r"(?:ський|цький|зький|ов|ев|єв|ін|їн|ski|cki|dzki)$", re.IGNORECASE)
# Russian: only endings no other case of the other gender has; "Лаврова" is Lavrov's genitive as well as a
# woman's name, and a given name in "-а" / "-я" is also a man's genitive ("Сергея"), so neither says a gender
_RU_FEMININE_NAME = re.compile(r"(?:ская|цкая|овой|евой|ёвой|иной|ской|цкой)$", re.IGNORECASE)
_RU_MASCULINE_NAME = re.compile(r"(?:ов|ев|ёв|ин|ын|ский|цкий)$", re.IGNORECASE)


def _agrees(lang: str, words: list[str], antecedent: Speaker) -> bool:
    """Whether a pronoun phrase's pronoun can refer to the antecedent person: not a plural, and not a
    feminine pronoun for a masculine surname or the reverse. Only for `_AGREEMENT_LANGS`; elsewhere true."""
    if lang == "bg" and set(words) & _BG_PLURAL:
        return False  # "Те обвиниха Брюксел": they, no one person
    if lang not in _AGREEMENT_LANGS:
        return True
    said = set(words)
    if said & _PLURAL:
        return False
    gender = _gender(antecedent.name or antecedent.surface or "", lang)
    earlier = set(re.findall(r"\w+", (antecedent.surface or "").lower()))  # how the antecedent was last referred to
    gender = gender or ("f" if earlier & _FEMININE else "m" if earlier & _MASCULINE else None)
    if said & _FEMININE:
        return gender != "m"
    return not (said & _MASCULINE and gender == "f")


# given names ending in -а/-я that are men's ("Микола", "Ілля"); other such given names are women's
_MALE_IN_A = {"микола", "ілля", "илья", "никита", "микита", "сава", "кузьма", "лука", "фома", "кума", "kuba",
              "barnaba", "bonawentura", "jarema", "kosma"}


def _gender(name: str, lang: str = "uk") -> str | None:
    """"f", "m" or None from a person's name: the surname's ending (`_FEMININE_NAME`, `_MASCULINE_NAME`), else
    a given name before it (a Slavic woman's ends in -а/-я, a man's in a consonant, -й or -о). Russian reads
    unambiguous surname endings only (`_RU_FEMININE_NAME`): a mention may be in any case there."""
    words = name.split()
    if not words:
        return None
    if lang == "ru":
        return "f" if _RU_FEMININE_NAME.search(words[-1]) else "m" if _RU_MASCULINE_NAME.search(words[-1]) else None
    if _FEMININE_NAME.search(words[-1]):
        return "f"
    if _MASCULINE_NAME.search(words[-1]):
        return "m"
    if len(words) < 2:
        return None
    given = words[0].lower()
    if given.endswith(("а", "я", "a")) and given not in _MALE_IN_A:
        return "f"
    return "m" if re.search(r"[бвгґджзйклмнпрстфхцчшщrtnmkldszwpb]$|о$", given) else None


# verb endings that say the dropped subject's number and gender: "кажуть", "сказали", "powiedzieli" (they: an
# indefinite "they say", never one person), "заявила", "powiedziała" (she), "заявив", "powiedział" (he); Russian:
# "говорят", "сообщают", "пишут" (they), "заявила" (she), "заявил" (he)
_PLURAL_VERB = re.compile(r"(?:ли|уть|ють|ять|ать|лі|уць|юць|аць|яць|li|ły|ą)$", re.IGNORECASE)
_FEMININE_VERB = re.compile(r"(?:ла|ła)$", re.IGNORECASE)
_MASCULINE_VERB = re.compile(r"(?:[^л]в|ў|ł)$", re.IGNORECASE)
_RU_PLURAL_VERB = re.compile(r"(?:ли|ут|ют|ят|ат)$", re.IGNORECASE)
_RU_MASCULINE_VERB = re.compile(r"л$", re.IGNORECASE)


def _verb_agrees(lang: str, verb: str, name: str) -> bool:
    """Whether a cue verb with its subject dropped can have the named person as that subject (see
    `_agrees`); always true outside `_AGREEMENT_LANGS`."""
    if lang not in _AGREEMENT_LANGS:
        return True
    plural, masculine = (_RU_PLURAL_VERB, _RU_MASCULINE_VERB) if lang == "ru" else (_PLURAL_VERB, _MASCULINE_VERB)
    if plural.search(verb):
        return False
    gender = _gender(name, lang)
    if _FEMININE_VERB.search(verb):
        return gender != "m"
    return not (masculine.search(verb) and gender == "f")


_STOP_MODIFIERS = {"the", "a", "an", "der", "die", "das", "den", "dem", "des", "ein", "eine", "einer", "his",
                   "her", "its", "their", "sein", "seine", "ihr", "ihre", "of", "von", "s", "former", "new"}
_GENERIC_ORG = re.compile(r"(?<!\w)(?:behörde|authorit(?:y|ies)|agency|ведомств\w*|amt|office|відомств\w*|ведамств\w*|"
                          r"resort\w*)(?!\w)", re.IGNORECASE)


def _is_generic(surface: str) -> bool:
    return bool(_GENERIC_ORG.search(surface))


# a capitalised owner right after the role, in the genitive without a preposition ("Президент России",
# "госсекретарь США", "szef MSZ"): it qualifies who is meant as an of-phrase does
_OWNER_AFTER = re.compile(r"^\s+([A-ZÄÖÜА-ЯЁІЇЄҐŁŚŻŹĆŃÓ][\w-]*)")
_ROMANCE = {"fr", "es", "pt", "it"}
# a Romance dative contraction right before a name ("disse Konstantinov à Sputnik", "a déclaré au Parisien"): who
# was told, no one a later pronoun refers back to ("Segundo ele": Konstantinov, not Sputnik)
_ROMANCE_TOLD = re.compile(r"(?<!\w)(?:à|ao|aos|às|au|aux|al|alla|allo|agli|alle)\s+$", re.IGNORECASE)
# a lower-case adjective right after a Romance role noun, before the phrase ends (no preposition: "ministro da
# Defesa" has its of-phrase; "ministro russo" its adjective)
_ROMANCE_ADJECTIVE = re.compile(r"^\s+(?!(?:de|da|do|das|dos|del|della|di|du|des|e|et|y|em|en|in|a|à)\b)"
                                r"([a-zà-ÿ][\w-]{2,})\s*$")
# days and "yesterday / today / tomorrow" that follow a Romance role after its cue ("le ministre vendredi")
_ROMANCE_TIME_WORDS = frozenset([
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "hier", "aujourd'hui", "demain",
    "lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo", "ayer", "hoy", "mañana", "segunda",
    "terça", "quarta", "quinta", "sexta", "ontem", "hoje", "amanhã", "lunedì", "martedì", "mercoledì", "giovedì",
    "venerdì", "sabato", "domenica", "ieri", "oggi", "domani"
])
_OF_PHRASE = re.compile(r"^\s+(?:of|des|der|von|vom)\s+((?:[\w-]+\s*){1,3})", re.IGNORECASE)


def _modifiers(surface: str, role_word: str, lang: str = "en") -> list[str]:
    """Stems of the words that qualify the role, 5 letters each: those before it ("Kazakh",
    "Biden's", "russische"), an of-phrase after it ("des Weißen Hauses") and, in the Romance languages,
    the adjective after it ("O ministro russo"); adjuncts such as "in the morning in Kressel" do not
    qualify who is meant."""
    at = surface.lower().rfind(role_word.lower())
    before = surface[:at] if at >= 0 else surface
    rest = surface[at + len(role_word):] if at >= 0 else ""
    after = _OF_PHRASE.match(rest) or _OWNER_AFTER.match(rest)  # "des Weißen Hauses", "Президент России"
    if after is None and lang in _ROMANCE:
        after = _ROMANCE_ADJECTIVE.match(rest)  # "ministro russo", "le ministre français"
        if after is not None and after.group(1).lower() in _ROMANCE_TIME_WORDS:
            after = None  # "a déclaré le ministre vendredi": when, not which minister
    words = re.findall(r"\w+", before + " " + (after.group(1) if after else ""))
    return [w.lower()[:5] for w in words if w.lower() not in _STOP_MODIFIERS and len(w) > 2]


def _shares_modifier(context: str, modifiers: list[str]) -> bool:
    stems = {w.lower()[:5] for w in re.findall(r"\w+", context)}
    return any(m in stems for m in modifiers)


def _same_institution(antecedent: str, surface: str, org_roles: re.Pattern[str]) -> bool:
    """"Außenministerium" matches "des russischen Außenministeriums": the institution nouns share a stem."""
    nouns = [m.group(0).lower()[:8] for m in org_roles.finditer(surface)]
    return any(n in antecedent.lower() for n in nouns)
