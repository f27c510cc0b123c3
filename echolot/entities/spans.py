"""Repairs of the tagger's spans inside one article, before any grouping.

Taggers cut names in the wrong places, and every wrong cut becomes a junk entity
that no later merge can fix: "St" from "St. Petersburg", "Kasachstans Hauptstadt"
and "Unterstützung der USA" (a common noun glued to a place), "Ukraine-Krieg" (a
compound whose head is a common noun), "Foreign Ministry" whose owner ("Russia's")
stands just outside the span. The repairs here use the article's text and general
word data only: simplemma's word lists say which capitalised German words are common
nouns, the place and institution tables (`places.lookup`) say which part is a name.
Each repair keeps the mention's offsets inside the original span, so nothing is lost.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from echolot.entities.canonical import clean_surface, is_cyrillic, name_keys
from echolot.entities.places import demonym, lookup
from echolot.text.alphabets import caseless

if TYPE_CHECKING:
    from echolot.entities.local import Draft

_WORD = re.compile(r"[^\s\-‐‑–—]+")
_EDGE = "\"'“”„‚‘’«»‹›()[]{}.,;:!?*"
# Articles and prepositions that sit between a common noun and a name ("Unterstützung der USA").
_FUNCTION = frozenset(["der", "des", "dem", "den", "die", "das", "von", "vom", "zur", "zum", "für", "of", "the", "и", "в"])
_GENITIVE = frozenset(["der", "des"])  # German genitive articles: "X der Y" is Y's X, two things
_NOUNS_CAPITALISED = frozenset(["de", "lb"])  # languages that capitalise every common noun
_MAX_FRAGMENT = 2  # "St", "Dr": mixed-case spans this short are cut-off abbreviations
_ABBREVIATION = 3  # "St.", "Ft.", "Mt." may start a name with the next word


def tidy_spans(drafts: list[Draft], text: str) -> list[Draft]:
    """Drafts with abbreviations joined, fragments dropped, common words trimmed, owners read."""
    drafts = [_web_address(d, text) for d in _split_coordinated(_join_abbreviations(drafts, text), text)]
    drafts = [d for d in (_cased_start(d, text) for d in drafts) if d is not None and not _fragment(d)
              and not _pronoun(d) and not _title_case_clause(d)]
    drafts = [_descriptor_before_acronym(_descriptor_in_another_script(d, text), text) for d in drafts]
    drafts = [d for d in (_role_or_common_word(d, text) for d in drafts) if d is not None]
    drafts = _split_person_prefix(_split_place_pairs(drafts, text), text)
    known = _article_keys(drafts)
    out = [_trim_common_words(d, text, known) or d for d in drafts]
    for draft in out:
        _qualify_institution(draft, text)
        _complete_elided_compound(draft, text)
        _geographic_generic(draft, text)
    return out


# -- abbreviations and fragments -----------------------------------------------------------------

def _join_abbreviations(drafts: list[Draft], text: str) -> list[Draft]:
    """"St" + "." + "Petersburg": one mention (the tagger ends names at a full stop)."""
    from echolot.entities.local import make_draft

    out: list[Draft] = []
    skip: set[int] = set()
    for index, draft in enumerate(drafts):
        if index in skip:
            continue
        word = draft.raw
        after = re.match(r"\.\s{1,2}", text[draft.end:draft.end + 3])
        following = None
        if after is not None and (_abbreviation(word, draft.type) or _middle_initial(word, draft.type)):
            following = next((j for j in range(index + 1, len(drafts))
                              if drafts[j].start == draft.end + after.end()), None)
        if following is None:  # "sagte Xi. Dann": a person, or nothing tagged right after, is no abbreviation
            out.append(draft)
            continue
        skip.add(following)
        type_ = "PER" if draft.type == "PER" else drafts[following].type
        joined = make_draft(draft.article_id, text, draft.start, drafts[following].end, type_, draft.lang)
        out.append(joined or draft)
    return out


def _abbreviation(word: str, type_: str) -> bool:
    """"St", "Ft", "Mt": a short capitalised word, not a person, that a full stop cuts off its name."""
    return (type_ != "PER" and 1 <= len(word) <= _ABBREVIATION and word.isalpha() and word[0].isupper()
            and word[1:].islower())


def _middle_initial(raw: str, type_: str) -> bool:
    """"Jóhann K" + "." + "Jóhannsson", "John T" + ". " + "Bennett", "Брандън Дж" + ". " + "Уайчерт": a person's
    name of two or more words ending in an initial (a capital, or a capital and one small letter) runs on
    after the full stop."""
    words = raw.split()
    last = words[-1] if words else ""
    return (type_ == "PER" and len(words) >= 2 and 1 <= len(last) <= 2 and last.isalpha() and last[0].isupper()
            and (len(last) == 1 or last[1:].islower()) and len(words[-2]) > 2)


# "X and Y", "X, Y": a conjunction or a comma between two names in one tagger span
_COORDINATION = re.compile(r"\s*,\s+|\s+(?:and|und|et|и|і|й|y|e|oder|or|ou)\s+")
_MIN_COORDINATED_WORDS = 2  # "Procter and Gamble", "Marks and Spencer": one-word sides are one name


def _split_coordinated(drafts: list[Draft], text: str) -> list[Draft]:
    """"Nice Matin et La Provence", "Le Lido, les Pianos Pleyel": the tagger read two names joined by a
    conjunction or a comma as one. Split when both sides are names of two or more words that start
    with a capital (after an article: "les Pianos Pleyel"), the left side has no function word after
    its first word (in "Department of Health and Human Services" or "Federal Ministry for Economic
    Affairs and Climate Action" the conjunction is inside the complement), the
    span is no known place ("Bosnia and Herzegovina"), and, for a comma, the span is no place ("Paris,
    Texas" is one place read with its region) and no person."""
    from echolot.entities.local import make_draft

    surnames = {d.names.surname for d in drafts if d.type == "PER" and d.names.multi}
    out: list[Draft] = []
    for draft in drafts:
        cut, type_ = _coordination_cut(draft), draft.type
        if cut is None:
            cut, type_ = _surnames_cut(draft, surnames), "PER"
        if cut is None:
            out.append(draft)
            continue
        pieces = [make_draft(draft.article_id, text, draft.start + a, draft.start + b, type_, draft.lang)
                  for a, b in ((0, cut.start()), (cut.end(), len(draft.raw)))]
        out.extend(d for d in pieces if d is not None)
    return out


def _surnames_cut(draft: Draft, surnames: set[str]) -> re.Match[str] | None:
    """"Fedotov and Zakharevsky": two one-word sides that are each the surname of a full name the article
    gives ("Andrei Fedotov", "Konstantin Zakharevsky") are two people, whatever the tagger typed the span
    ("Procter and Gamble" names no people of the article, so it stays one name)."""
    if not surnames or " " not in draft.raw:
        return None
    cuts = list(_COORDINATION.finditer(draft.raw))
    if len(cuts) != 1 or "," in cuts[0].group():
        return None
    sides = [draft.raw[:cuts[0].start()].strip(_EDGE), draft.raw[cuts[0].end():].strip(_EDGE)]
    if any(len(side.split()) != 1 or not side[:1].isupper() for side in sides):
        return None
    keys = [name_keys(clean_surface(side)[0]) for side in sides]
    return cuts[0] if all({k.key, k.stem_key} & surnames for k in keys) else None


def _coordination_cut(draft: Draft) -> re.Match[str] | None:
    """The one conjunction or comma that joins two names in `draft` (`_split_coordinated`), or None."""
    cuts = list(_COORDINATION.finditer(draft.raw))
    if len(cuts) != 1 or draft.type == "PER" or lookup(draft.names.surface, draft.lang, draft.type) is not None:
        return None
    cut = cuts[0]
    if "," in cut.group() and draft.type == "LOC":
        return None
    left = [w.strip(_EDGE) for w in draft.raw[:cut.start()].split()]
    right = [w.strip(_EDGE) for w in draft.raw[cut.end():].split()]
    if min(len(left), len(right)) < _MIN_COORDINATED_WORDS or any(w.lower() in _TRAILING for w in left[1:]):
        return None
    named = [next((w for w in side if w.lower() not in _TRAILING), "") for side in (left, right)]
    return cut if all(w[:1].isupper() for w in named) else None


_DOMAIN = re.compile(r"(?:\.[a-z]{2,6})+(?![\w.])|(?:\.[a-z]{2,6})+(?=\.(?:\s|$))")


def _web_address(draft: Draft, text: str) -> Draft:
    """"KP.ru", "Lenta.ru": the tagger stops at the dot, and the letters before it ("KP") then read as a
    country code or a word; the site's whole address is the name, an organisation."""
    from echolot.entities.local import make_draft

    if draft.type == "PER":
        return draft
    domain = _DOMAIN.match(text, draft.end)
    if domain is None:
        return draft
    return make_draft(draft.article_id, text, draft.start, domain.end(), "ORG", draft.lang) or draft


# English words that title case capitalises inside a headline but that no name has inside it as a
# capitalised word in running text: verbs, pronouns and the prepositions of a clause
_CLAUSE_WORDS = frozenset(["In", "On", "At", "To", "By", "Is", "Are", "Was", "Were", "Be", "Will", "Has", "Have",
                           "Says", "Said", "Seeks", "Into", "Over", "After", "Amid", "Against", "Not", "Here",
                           "Your", "Our", "We", "You", "They", "Later", "Remains", "Could", "Would", "Should"])
_MIN_CLAUSE_WORDS = 4
# of those, the ones that make a clause of three capitalised words ("Putin Says No", "Biden Is Wrong", "Russia
# Seeks Talks"): a verb or a pronoun; a preposition there is as often a title's or a slogan's ("Made In Germany")
_CLAUSE_VERBS = frozenset(["Is", "Are", "Was", "Were", "Will", "Has", "Have", "Says", "Said", "Seeks", "Not",
                           "Your", "Our", "We", "You", "They", "Remains", "Could", "Would", "Should"])


def _title_case_clause(draft: Draft) -> bool:
    """A span of four or more capitalised words with a verb, pronoun or clause preposition inside, or of
    three with a verb or pronoun in the middle: a headline in title case that the tagger read as one name
    ("Zelensky Seeks To Cancel Russia At UN", "Russian Embassy In Moldova On Last Day Of Election", "Click
    Here To Create Your ... Account", "Putin Says No"). Names keep such words lower case in running text
    ("Committee to Protect Journalists"); three-word names have none ("Bank of England", "New York Times",
    "Vladimir Vladimirovich Putin")."""
    words = draft.names.surface.split()
    if len(words) < _MIN_CLAUSE_WORDS - 1 or not all(w[:1].isupper() for w in words):
        return False
    if len(words) == _MIN_CLAUSE_WORDS - 1:
        return words[1] in _CLAUSE_VERBS
    return any(w in _CLAUSE_WORDS for w in words[1:])


def _fragment(draft: Draft) -> bool:
    """A one- or two-letter mixed-case span that is not a person ("St", "Dr"; "Xi" and "US" stay).

    In a script without capitals the test means nothing (no letter is upper case, and vowel signs are
    marks, not letters): "रूस" (Russia) and "चीन" (China) have two letters each. There only a lone
    letter is a fragment."""
    letters = "".join(ch for ch in draft.names.surface if ch.isalpha())
    if letters and all(caseless(ch) for ch in letters):
        return len(draft.names.surface.strip()) <= 1
    return len(letters) <= _MAX_FRAGMENT and not letters.isupper() and draft.type != "PER"


def _pronoun(draft: Draft) -> bool:
    """A personal pronoun the tagger read as a name ("Той е автор на …": a sentence opens with "He" in
    Bulgarian): the quotes stage's pronoun list of the draft's language says which words these are."""
    from echolot.quotes.lexicon import PRONOUNS

    return not draft.names.multi and draft.names.surface.lower() in PRONOUNS.get((draft.lang or "").split("-")[0], ())


# a dash after a space opens a clause as a sentence does ("… purtroppo – aggiunge De Corato – Anzi è …")
_SENTENCE_START = re.compile(r"(?:^|[.!?…:]\s*|[\n\r]\s*|\s[—–]\s*)[\"'“”„«‹(\[]*\s*$")


def _role_or_common_word(draft: Draft, text: str) -> Draft | None:
    """A role is no name, and a sentence's first word is capitalised by grammar, not as a name.

    * a title alone ("Head", "Präsident") goes; a title "of" something leaves the something when the
      place tables know it ("Mayor of Kyiv"), or as an organisation when it is a name of two or more
      words ("Head of the Office of the President"), else goes ("Mayor of Bucha": the role belongs to a
      person the span lacks, and one unknown word says too little);
    * one capitalised word at the start of a sentence whose lower-case form is a word of the language
      ("Mass killings ...", "Western partners") goes, in languages that write common words in lower
      case, unless the tables know it as a place; only for places and organisations (a person's name, or
      an adjective such as "European" tagged MISC, is a name there as anywhere).
    """
    from echolot.entities.canonical import _is_title
    from echolot.entities.local import make_draft

    words = list(_WORD.finditer(draft.raw))
    bare = [w.group().strip(_EDGE) for w in words]
    if not bare or not bare[0]:
        return draft
    if len(words) == 1 and _is_title(bare[0]):
        return None
    if _german_person_noun(bare, draft.lang):
        return None  # "Der Buchautor und Gründer der Digitalagentur ...": a description, no name
    # Russian and Ukrainian put the office in the genitive, no preposition: "Головнокомандувач Збройних
    # сил України" is the commander of the Armed Forces (a person's role; the forces are the name)
    genitive = len(bare) >= 3 and draft.type in ("ORG", "LOC") and is_cyrillic(bare[0]) and bare[1][:1].isupper()
    if len(words) >= 3 and _is_title(bare[0]) and (bare[1].lower() in _FUNCTION | _TRAILING or genitive):
        rest = next((w for w, b in zip(words[1 if genitive else 2:], bare[1 if genitive else 2:])
                     if b.lower() not in _FUNCTION), None)
        if rest is None:
            return None
        place = lookup(clean_surface(draft.raw[rest.start():])[0], draft.lang)
        if place is not None:
            return make_draft(draft.article_id, text, draft.start + rest.start(), draft.end, place.type, draft.lang)
        if len(words) - words.index(rest) >= 2 and bare[words.index(rest)][:1].isupper():
            # "Head of the Office of the President": the role's office is an organisation's name
            return make_draft(draft.article_id, text, draft.start + rest.start(), draft.end, "ORG", draft.lang)
        return None
    if len(words) == 1 and draft.type in ("LOC", "ORG") and not nouns_capitalised(draft.lang) \
            and bare[0][:1].isupper() and not bare[0].isupper() \
            and _SENTENCE_START.search(text, max(0, draft.start - 8), draft.start) is not None \
            and common_word(bare[0], (draft.lang or "").split("-")[0]) \
            and lookup(draft.names.surface, draft.lang) is None and demonym(draft.names.surface, draft.lang, "MISC") is None \
            and not _capitalised_inside_a_sentence(bare[0], text):
        return None  # "Russian troops ...": a people's adjective is a name whatever its place
    return draft


# German nouns that name a person by what they do or hold (a compound's head: "Buchautor", "Firmengründer")
_DE_PERSON_NOUN = re.compile(
    r"\w*(?:autor|gründer|leiter|experte|expertin|forscher|wissenschaftler|unternehmer|investor|manager|direktor|"
    r"kritiker|journalist|analyst|ökonom|politiker|sprecher|chef|präsident|minister|vorsitzende|berater)"
    r"(?:in|innen|en|s|n|r)?", re.IGNORECASE)
_DE_ARTICLES = frozenset(["der", "die", "das", "den", "dem", "des", "ein", "eine", "einer", "einen", "einem", "eines"])


def _german_person_noun(bare: list[str], lang: str | None) -> bool:
    """Whether a German span is an article (or none) and one noun that names a person by role ("Der
    Buchautor", "Unternehmensberater"): a description the tagger took for a name. The noun must be a
    common noun simplemma knows or a compound ending in one of `_DE_PERSON_NOUN`'s heads; names of
    newspapers on a common noun ("Der Spiegel", "Die Zeit") have no person head and stay."""
    if (lang or "").split("-")[0] != "de" or not bare:
        return False
    rest = bare[1:] if bare[0].lower() in _DE_ARTICLES and len(bare) == 2 else bare
    return len(rest) == 1 and _DE_PERSON_NOUN.fullmatch(rest[0]) is not None and not rest[0].isupper()


def _capitalised_inside_a_sentence(word: str, text: str) -> bool:
    """Whether the article writes `word` capitalised and alone somewhere other than a sentence's start
    ("Apple said ..." and "shares of Apple fell"): then the capital is the name's, not the grammar's.
    Inside a longer name ("the Mass Media Institute") the capital is that name's."""
    for match in re.finditer(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text):
        after = re.match(r"\s+(\w)", text[match.end():match.end() + 4])
        if _SENTENCE_START.search(text, max(0, match.start() - 8), match.start()) is None \
                and not (after is not None and after.group(1).isupper()):
            return True
    return False


# Lowercase words that do begin names ("von der Leyen", "al-Assad", "de Gaulle").
_PARTICLES = frozenset(["von", "van", "de", "da", "di", "du", "al", "el", "bin", "ibn", "ben", "ter", "zu", "dos",
                        "del", "della", "le", "la"])
_CLOSING = {"«": "»", "„": "“", "“": "”", "‚": "‘"}
# Function words a name does not end with: the tagger ran one word on ("Janus de", "... de crise pour").
_TRAILING = _FUNCTION | _PARTICLES | frozenset(["pour", "et", "en", "und", "and", "or", "for", "in", "with", "to",
                                                "par", "sur", "avec", "des", "du", "les", "y", "por", "para",
                                                "con", "los", "las", "на", "по", "для", "с", "к", "у", "з"])


def _lower_hyphen_tail(word: re.Match[str], text: str) -> bool:
    """Whether a person's last word is a lower-case word glued on by a hyphen ("Trump-has"): people's names
    capitalise every hyphenated part ("Jean-Clair", "Kassym-Jomart"); a particle starts one ("al-Assad")."""
    bare = word.group().strip(_EDGE)
    return (bare.isalpha() and bare.islower() and bare not in _PARTICLES
            and text[word.start() - 1:word.start()] == "-")


def _cased_start(draft: Draft, text: str) -> Draft | None:
    """Names start with a capital: lowercase words before the first one go ("крупнейшем порту
    Республики ..." -> "Республики ...", "парламенте Норвалена" -> "Норвалена"), a span with no
    capital at all ("администрации", "министерства") is no name. A name cut before its closing
    quote mark ("Альянс «Свободный Карск") gets it back. Scripts without case are left alone."""
    from echolot.entities.local import make_draft

    cased = [ch for ch in draft.raw if ch.isalpha() and ch.lower() != ch.upper()]
    if not cased:
        return draft
    if not any(ch.isupper() for ch in cased):
        return None
    start, end = draft.start, draft.end
    for m in _WORD.finditer(draft.raw):
        word = m.group().strip(_EDGE)
        # a particle begins people's names only ("von der Leyen", "de Gaulle"); before an organisation or
        # a place it is the sentence's preposition or article ("de presse Reuters", "la Salle Pleyel")
        if not word or word[:1].isupper() or word[:1].isdigit() or any(ch.isupper() for ch in word) \
                or (word.lower() in _PARTICLES and draft.type == "PER"):
            start = draft.start + m.start()
            break
    words = [m for m in _WORD.finditer(text, start, end)]
    while len(words) > 1 and words[-1].group().strip(_EDGE).lower() in _TRAILING:
        end = words[-1].start()  # "Janus de", "... de crise pour": a name never ends on a function word
        words.pop()
        while end > start and text[end - 1] in " \t,":
            end -= 1
    if draft.type == "PER" and len(words) > 1 and _lower_hyphen_tail(words[-1], text):
        end = words[-1].start() - 1  # "Donald Trump-has become": a dash without spaces, no part of the name
    opened = [q for q in _CLOSING if text.count(q, start, end) > text.count(_CLOSING[q], start, end)]
    if len(opened) == 1 and text[end:end + 1] == _CLOSING[opened[0]]:
        end += 1
    if (start, end) == (draft.start, draft.end):
        return draft
    return make_draft(draft.article_id, text, start, end, draft.type, draft.lang)


def _script(word: str) -> str:
    """"cyrillic", "latin" or "" (no letters, or other scripts): enough to see a name kept in its own
    script inside a sentence of another."""
    letters = [ch for ch in word if ch.isalpha()]
    if not letters:
        return ""
    if all("\u0400" <= ch <= "\u04ff" for ch in letters):
        return "cyrillic"
    return "latin" if all(ch < "\u0250" for ch in letters) else ""


def _descriptive(word: str, lang: str) -> bool:
    """A common word of `lang`: lower-case in the dictionary, or (German) a known noun no table names."""
    return common_word(word, lang) or _kind(word, lang) == "common"


def _descriptor_in_another_script(draft: Draft, text: str) -> Draft:
    """"Сайт KP.ru", "Авиакомпания Norvalair": common words of the article's language ("site",
    "airline") before a name written in another script are a description, not part of the name (a
    name kept in its own script is kept whole there): the name alone is the mention, so it meets
    the same name in other articles. Every word before the switch must be a common word of the
    language (`_descriptive`), and a name in one script throughout is never cut."""
    from echolot.entities.local import make_draft

    words = list(_WORD.finditer(draft.raw))
    scripts = [_script(w.group().strip(_EDGE)) for w in words]
    if len(words) < 2 or not scripts[0] or draft.type == "PER":
        return draft
    switch = next((i for i, sc in enumerate(scripts) if sc and sc != scripts[0]), None)
    lang = (draft.lang or "").split("-")[0]
    if switch is None or scripts[0] in scripts[switch:] \
            or not all(_descriptive(w.group().strip(_EDGE), lang) for w in words[:switch]):
        return draft
    return make_draft(draft.article_id, text, draft.start + words[switch].start(), draft.end, draft.type,
                      draft.lang) or draft


_LEGAL_FORMS = frozenset(["AG", "SE", "KG", "KGaA", "GmbH", "OHG", "SA", "SAS", "SARL", "NV", "BV", "AB", "ASA", "PLC",
                          "LLC", "Ltd", "Inc"])


def _descriptor_before_acronym(draft: Draft, text: str) -> Draft:
    """"Sender CBS", "Partei AfD": in German, which capitalises every noun, one common noun before an
    acronym is a description the tagger took into the name ("dem Sender CBS"): the acronym alone is the
    mention. A legal form ("Siemens AG") is no acronym of this kind, and a name word before it stays."""
    from echolot.entities.canonical import is_acronym
    from echolot.entities.local import make_draft

    words = draft.raw.split()
    if len(words) != 2 or draft.type == "PER" or not nouns_capitalised(draft.lang):
        return draft
    head, acronym = words[0].strip(_EDGE), words[1].strip(_EDGE)
    if not is_acronym(acronym) or acronym in _LEGAL_FORMS or _kind(head, (draft.lang or "").split("-")[0]) != "common":
        return draft
    return make_draft(draft.article_id, text, draft.start + draft.raw.rindex(words[1]), draft.end, draft.type,
                      draft.lang) or draft


# "Бородянка під Києвом", "Borodyanka near Kyiv", "Mytischtschi bei Moskau": a place located by a known one
_NEAR = r"(?:під|под|біля|около|near|bei|nahe|près\s+de|cerca\s+de|perto\s+de)"


def _split_place_pairs(drafts: list[Draft], text: str) -> list[Draft]:
    """"US-Russia" (talks), "Russland-Ukraine" (Konflikt): two known places, two mentions; so is a place
    the tagger read with the known place it lies near ("Бородянці під Києвом": Borodyanka, Kyiv)."""
    from echolot.entities.local import make_draft

    out: list[Draft] = []
    for draft in drafts:
        near = re.fullmatch(rf"([^\W\d_][\w'’-]*)\s+{_NEAR}\s+([^\W\d_][\w'’-]*)", draft.raw) \
            if draft.type == "LOC" else None
        if near is not None and lookup(near.group(2), draft.lang, "LOC") is not None:
            pieces = [make_draft(draft.article_id, text, draft.start + near.start(i), draft.start + near.end(i),
                                 "LOC", draft.lang) for i in (1, 2)]
            out.extend(d for d in pieces if d is not None)
            continue
        parts = re.fullmatch(r"([^\W\d_][\w.]*)[-‐‑–]([^\W\d_][\w.]*)", draft.raw)
        if parts is None or draft.type == "PER" or lookup(draft.names.surface, draft.lang, draft.type) is not None \
                or not all(lookup(p, draft.lang) is not None for p in parts.groups()):
            out.append(draft)
            continue
        pieces = [make_draft(draft.article_id, text, draft.start + parts.start(i), draft.start + parts.end(i),
                             "LOC", draft.lang) for i in (1, 2)]
        out.extend(d for d in pieces if d is not None)
    return out


def _split_person_prefix(drafts: list[Draft], text: str) -> list[Draft]:
    """"Nadia Korvel of the Alliance for a Free Karsk" (one ORG span): the person the article names
    elsewhere (by the full name, or by the surname alone as a person) or two or three words that are
    no words of the language, then the organisation after the function words, as two mentions."""
    from echolot.entities.local import make_draft

    people = {d.names.key for d in drafts if d.names.multi and d.type == "PER"}
    surnames = {d.names.key for d in drafts if not d.names.multi and d.type == "PER"}  # "Korvel" later on
    out: list[Draft] = []
    for draft in drafts:
        words = list(_WORD.finditer(draft.raw))
        cut = None
        if draft.type != "PER" and len(words) >= 4:
            for i in range(2, len(words) - 1):
                head = name_keys(clean_surface(draft.raw[:words[i - 1].end()])[0])
                if words[i].group().lower() in _FUNCTION and (head.key in people or head.surname in surnames
                                                              or _person_shaped(words[:i], draft.lang)):
                    cut = i
                    break
        if cut is None:
            out.append(draft)
            continue
        rest = next((w for w in words[cut:] if w.group().lower() not in _FUNCTION), None)
        person = make_draft(draft.article_id, text, draft.start, draft.start + words[cut - 1].end(), "PER", draft.lang)
        other = make_draft(draft.article_id, text, draft.start + rest.start(), draft.end, draft.type,
                           draft.lang) if rest is not None else None
        out.extend(d for d in (person, other) if d is not None)
    return out


_PERSON_TOKENS = (2, 3)


def _person_shaped(words: list[re.Match[str]], lang: str | None) -> bool:
    """Two or three capitalised words of which none is a word of the language: "Nadia Korvel" (a
    name), not "Supreme Court" or "Royal Bank" (common words, the start of an institution's name)."""
    tokens = [w.group().strip(_EDGE) for w in words]
    return len(tokens) in _PERSON_TOKENS and all(t[:1].isupper() and t[1:].islower() for t in tokens) \
        and not any(_known_word(t.lower(), lang or "") or _known_word(t, lang or "") for t in tokens)


# -- common words around a name ---------------------------------------------------------------------

def _article_keys(drafts: list[Draft]) -> set[str]:
    """Folded keys this article uses as names: whole mentions and the first word of longer ones."""
    keys = {d.names.key for d in drafts}
    return keys | {d.names.tokens[0] for d in drafts if d.names.multi}


_ARTICLE_BEFORE = re.compile(r"(?<!\w)(?:des|der|dem|den|die|das|eines|einer|einem|einen)\s+$")


def _trim_common_words(draft: Draft, text: str, known: set[str]) -> Draft | None:
    """The name inside a span padded with common words, or None to keep the span.

    Trims "Kasachstans Hauptstadt" and "Sowjetrepubliken Zentralasiens" (a genitive place
    next to a common noun), "Unterstützung der USA" (common noun, genitive article, place)
    and compounds whose head is a common noun ("Ukraine-Krieg", "Russia-led",
    "Orlund-Präparats" when the article names Orlund Biopharm). Names that merely contain
    common words ("Europäische Bank für Wiederaufbau", "Golf von Mexiko", "Bank of England")
    stay whole: a place is cut out only when the grammar says it is someone else's.
    """
    from echolot.entities.local import make_draft

    words = [(m.start(), m.end(), m.group().strip(_EDGE)) for m in _WORD.finditer(draft.raw)]
    words = [w for w in words if w[2]]
    if len(words) < 2 or lookup(draft.names.surface, draft.lang, draft.type) is not None:
        return None
    if len(words) >= 3 and nouns_capitalised(draft.lang) and name_keys(clean_surface(draft.raw[words[1][0]:])[0]).key in known \
            and (_kind(words[0][2], draft.lang) == "common" or _ARTICLE_BEFORE.search(text, max(0, draft.start - 8), draft.start)):
        # "des Fondshauses Union Investment Real Estate" where the article also names "Union Investment Real
        # Estate" alone: a German common noun before a name of two or more words is its description
        return make_draft(draft.article_id, text, draft.start + words[1][0], draft.end, draft.type, draft.lang)
    kinds = [_kind(w, draft.lang) for _, _, w in words]
    names = [i for i, k in enumerate(kinds) if k == "name"]
    if not names or "common" not in kinds or names != list(range(names[0], names[-1] + 1)):
        return None
    first, last = names[0], names[-1]
    start, end = words[first][0], words[last][1]
    run = draft.raw[start:end].strip(_EDGE)
    hyphen = len(words) == 2 and re.fullmatch(r"[-‐‑]", draft.raw[words[0][1]:words[1][0]]) is not None
    place = lookup(run, draft.lang, None if draft.type != "PER" else "PER")  # the tagger typed the whole span
    if hyphen:
        keep = last == 0 and (place is not None or name_keys(clean_surface(run)[0]).key in known)
    else:
        genitive = run.endswith("s") or (first > 0 and words[first - 1][2].lower() in _GENITIVE)
        keep = place is not None and genitive
    if not keep:
        return None
    return make_draft(draft.article_id, text, draft.start + start, draft.start + start + len(run),
                      place.type if place is not None else draft.type, draft.lang)


def _kind(word: str, lang: str | None) -> str:
    """'function', 'common' (a common noun or other lowercase word) or 'name'."""
    if word.lower() in _FUNCTION:
        return "function"
    if word[:1].islower():
        return "common"
    if word.isupper() or (lang or "") not in _NOUNS_CAPITALISED:
        return "name"
    if lookup(word, lang) is None and _known_word(word, lang or ""):
        return "common"
    return "name"


def nouns_capitalised(lang: str | None) -> bool:
    """Whether `lang` capitalises every common noun (German), so a capital says nothing about a name."""
    return (lang or "").split("-")[0] in _NOUNS_CAPITALISED


def known_word(word: str, lang: str) -> bool:
    """Whether simplemma's word list knows the form (the public name of `_known_word`)."""
    return _known_word(word, lang)


@lru_cache(maxsize=65536)
def common_word(word: str, lang: str) -> bool:
    """Whether the lower-case form of `word` is a common word of `lang`: simplemma knows it and its
    dictionary form is lower-case. The word lists also hold proper nouns ("гостомель" -> "Гостомель",
    "москва" -> "Москва"); a capitalised dictionary form marks those as names."""
    import simplemma

    low = word.lower()
    if not _known_word(low, lang):
        return False
    try:
        lemma = str(simplemma.lemmatize(low, lang=lang))
    except ValueError:
        return False
    return not lemma[:1].isupper()


@lru_cache(maxsize=65536)
def _known_word(word: str, lang: str) -> bool:
    """Whether simplemma's word list (Wiktionary) knows the form: a common word, not a name."""
    import simplemma

    try:
        return bool(simplemma.is_known(word, lang))
    except ValueError:  # a language simplemma has no data for
        return False


# -- German elided compounds ------------------------------------------------------------------------

_ELIDED = re.compile(r"-\s+(?:und|oder|bzw\.|sowie)\s+([^\W\d_]{4,})")
_MIN_HEAD = 3  # "See" in "Ostsee": shorter tails are endings, not words


def _complete_elided_compound(draft: Draft, text: str) -> None:
    """"Nord- und Ostsee": German writes the shared head of two compounds once, with a hyphen after the
    first part; the tagger reads "Nord". The head is the longest tail of the next word that simplemma
    knows as a noun ("See"), so the mention is "Nordsee" (its offsets stay on "Nord"). Only where
    every common noun is capitalised (German), for a one-word mention that is no acronym right before
    the hyphen, and a capitalised word after the conjunction: in "EU- und britischen Exporte" the
    shared head is "Exporte", one word further, and "britischen" is an adjective (its tail "tischen"
    is a noun by accident)."""
    if not nouns_capitalised(draft.lang) or draft.names.multi or draft.names.acronym or draft.type == "PER":
        return
    match = _ELIDED.match(text, draft.end)
    if match is None or not match.group(1)[:1].isupper():
        return
    word, lang = match.group(1), (draft.lang or "").split("-")[0]
    for cut in range(1, len(word) - _MIN_HEAD + 1):
        head = word[cut:]
        if _known_word(head.capitalize(), lang):
            whole = draft.names.surface + head
            draft.names = name_keys(whole)
            draft.reason = draft.reason or f"{draft.raw} is {whole}: '{text[draft.start:match.end()]}'"
            return


# a lower-case generic noun that begins a Romance geographic name: "la mer du Nord", "l'océan Atlantique",
# "el mar del Norte", "il lago di Garda", "o mar do Norte"
_GENERIC_BEFORE = re.compile(
    r"(?<![\w'’])(mer|océan|lac|golfe|mont|monts|île|îles|baie|détroit|mar|océano|lago|golfo|monte|isla|islas|"
    r"bahía|estrecho|mare|oceano|isola|isole|baia|stretto|ilha|ilhas|baía|estreito)"
    r"(?:\s+(?:du|des|de\s+la|de\s+l['’]|de|d['’]|del|della|dello|dei|di|do|da|dos|das))?\s*$")
_GENERIC_LANGS = frozenset({"fr", "es", "it", "pt", "ca"})
# the same for a French ministry, written in lower case: "le ministère du Travail", "ministère des Finances"
_MINISTRY_BEFORE = re.compile(r"(?<![\w'’])(ministère)\s+(?:du|des|de\s+la|de\s+l['’])\s*$")


def _geographic_generic(draft: Draft, text: str) -> None:
    """"la mer du Nord": French, Spanish, Italian and Portuguese write a sea's, lake's or mountain's generic
    noun in lower case before its name, and the tagger reads only "Nord" (then a region, or the word
    "north"). The mention is the whole name, "mer du Nord", a place (its offsets stay on "Nord"), so
    it meets "Nordsee" through its translation and no other "Nord". A French ministry is read the same way
    ("le ministère du Travail": "ministère du Travail", ORG, not the word "Travail")."""
    if (draft.lang or "").split("-")[0] not in _GENERIC_LANGS or draft.names.multi or draft.names.acronym \
            or draft.type == "PER" or not draft.names.surface[:1].isupper():
        return
    match, type_ = _GENERIC_BEFORE.search(text, max(0, draft.start - 24), draft.start), "LOC"
    if match is None and (draft.lang or "").startswith("fr"):
        match, type_ = _MINISTRY_BEFORE.search(text, max(0, draft.start - 24), draft.start), "ORG"
    if match is None:
        return
    whole = text[match.start():draft.start] + draft.names.surface
    draft.names = name_keys(" ".join(whole.split()))
    draft.reason = draft.reason or f"{draft.raw} is {draft.names.surface}"
    draft.type = type_


# -- owners just outside the span ------------------------------------------------------------------------

_BEFORE = re.compile(r"(?:^|\s)((?:[^\W\d_][\w’'-]*\s+){1,2})$")


def _qualify_institution(draft: Draft, text: str) -> None:
    """"Russia’s Foreign Ministry", "das russische Außenministerium": read the owner before the span.

    A bare "Foreign Ministry" names a different ministry in every country; when the one
    or two words before it make a listed institution, the mention takes that full name
    (its offsets stay on the bare words), so it merges with the right ministry only.
    """
    if draft.type not in ("ORG", "MISC") or lookup(draft.names.surface, draft.lang, draft.type) is not None:
        return  # a person or a place is never the tail of an institution's name
    before = _BEFORE.search(text[max(0, draft.start - 60):draft.start])
    if before is None:
        return
    words = before.group(1).split()
    for n in (1, 2):
        if len(words) < n:
            break
        candidate = " ".join(words[-n:] + [draft.raw])
        cleaned = clean_surface(candidate)[0]
        place = lookup(cleaned, draft.lang, draft.type)
        if place is not None and place.key.startswith("org:"):
            draft.names = name_keys(cleaned)
            draft.reason = draft.reason or f"{draft.raw} is {place.name}: '{candidate}'"
            return
