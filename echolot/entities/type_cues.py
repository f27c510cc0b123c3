"""Type evidence for one article's name groups beyond the tagger's vote on each mention.

A tagger reads a one-word name from its letters and a few words around it, so a company after "in"
becomes a place ("reports it in Facebook"), a network operator named like a town a place ("Tennet"),
a painting named like a person a person ("eines gefälschten Janus von Max Ernst"), and a sea an
organisation ("auf der deutschen Nordsee", one vote each way). The article and the training data say
more, and each cue here is general, never a list of names:

* a descriptor noun right before the name says what it is: "der Netzbetreiber Tennet", "l'exploitant
  du réseau Tennet", "the company X", "компания X" (an organisation); so does an account or a page on it
  ("his official Instagram account", "sur son compte Instagram");
* a German compound name whose head is a landform or water noun is a place ("Nordsee", "Bodensee",
  "Schwarzwald");
* an indefinite article before a lone name and its maker after it ("eines gefälschten Janus von Max
  Ernst", "un faux Janus de Max Ernst", "a fake Janus by Max Ernst") make it a work, not a person (people
  are not counted, nor made by someone; "a defiant Putin said" has no maker and keeps its vote);
* a German name whose last word is, or ends in a hyphenated, organisation noun is an organisation:
  "Edmond de Rothschild-Gruppe", "Wagner-Konzern", "Deutsche Bank" (a person's name never ends so); so
  is an English name of two or more words ending in one ("Belarusian Railways", "Labour Party");
* a place noun right before a one-word name says it is a place: "деревня Черусти", "the village of
  Cherusti", "im Dorf Bergen", "село Мощун"; so does a locative preposition before a one-word name the
  tagger read as a person when GeoNames lists a town of that name ("we work in Mariupol", "у Бучі");
* a one-word name read as a place and quoted wherever it is written is a title or a brand (MISC):
  "the new 'Kroshka'" (a song);
* (eighth pass) a name of two to three capital letters alone is never a person's ("MZ", "KO": a ministry,
  a party), so one read as a person is an organisation; a name of two or more words ending in a medium's
  noun ("Atlas News", "Daily Mail") is an organisation in any language; a name read as a person and
  followed by a dash or comma and "there" ("стали Черусти - там ...", "was Cherusti – there ...") is a
  place; a GeoNames town (5,000+ people; one word or several: "in Český Krumlov") after a locative
  preposition is a place; a GeoNames town (15,000+) read as an organisation right before an
  administrative noun ("The Stavropol administration", "Baranovichi branch") is the town;
* the NER training data of every language (the models' `lexicon.json` type lists): a one-word name
  the annotators typed one way in all of them ("facebook": ORG in the German and Russian data) settles
  a group with a single vote of another type.

`retype_groups` applies them to one article's groups (every member takes the type, so the votes the
index counts across articles agree); nothing here merges or splits a group.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from echolot.entities.local import Draft, Group

_MODELS = Path(__file__).resolve().parent / "models"

# descriptor nouns that name a kind of organisation, closing the words right before a name
_ORG_DESCRIPTORS: dict[str, str] = {
    "de": (r"\w*(?:betreiber|konzern|unternehmen|gesellschaft|firma|netzwerk|plattform|dienst|anbieter|hersteller|"
           r"versicherer|händler|kette|bank|gruppe|verband|sender|zeitung|agentur|airline)"),
    "en": (r"company|firm|operator|group|network|platform|service|carrier|airline|bank|insurer|retailer|"
           r"manufacturer|maker|broadcaster|newspaper|agency|giant|conglomerate|startup|start-up"),
    "fr": (r"société|entreprise|groupe|exploitant(?:\s+du\s+réseau)?|opérateur|gestionnaire(?:\s+du\s+réseau)?|"
           r"réseau\s+social|plateforme|compagnie|banque|assureur|constructeur|fabricant|journal|quotidien|chaîne"),
    "ru": (r"компани[яиюей]|фирм[аыуе]|оператор[аом]?|концерн[аом]?|банк[аом]?|соцсет[ьи]|сервис[аом]?|"
           r"платформ[аыуе]|издани[еяю]|агентств[оау]|газет[аыуе]"),
    "uk": (r"компані[яїюєі]|фірм[аиуі]|оператор[аом]?|концерн[аом]?|банк[аом]?|соцмереж[аіу]|сервіс[аом]?|"
           r"платформ[аиуі]|видання|агентств[оау]"),
    "es": r"empresa|compañía|grupo|operador(?:a)?|red\s+social|plataforma|banco|aseguradora|fabricante|diario",
}
# what a platform holds, next to its name: "his Instagram account", "auf ihrem Instagram-Kanal", "sur son
# compte Instagram", "в своём аккаунте в Instagram" (an organisation's service, never a place or a person)
_ACCOUNT_AFTER = {
    "en": re.compile(r"\s+(?:account|page|channel|profile|feed|post)s?(?!\w)"),  # lower case: "Larry Page"
    "de": re.compile(r"(?:-|\s+)(?:Account|Konto|Kanal|Seite|Profil|Post|Beitrag)(?!\w)"),
}
_ACCOUNT_BEFORE = {
    "fr": re.compile(r"(?<!\w)(?:compte|page|chaîne|profil)\s+$", re.IGNORECASE),
    "ru": re.compile(r"(?<!\w)(?:аккаунт\w*|канал\w*|страниц\w*|профил\w*)\s+(?:в\s+|во\s+)?$", re.IGNORECASE),
    "uk": re.compile(r"(?<!\w)(?:акаунт\w*|канал\w*|сторінц\w*|профіл\w*)\s+(?:в\s+|у\s+)?$", re.IGNORECASE),
}
_DESCRIPTOR_BEFORE = {lang: re.compile(rf"(?<![\w-])(?:{p})\s+$", re.IGNORECASE) for lang, p in _ORG_DESCRIPTORS.items()}
# German heads of landform and water names: the compound is a place ("Nordsee", "Schwarzwald", "Rheintal")
_DE_PLACE_HEAD = re.compile(r"[A-ZÄÖÜ][a-zäöüß]{2,}(?:see|meer|wald|gebirge|tal|bucht|küste|insel|fluss|berg)")
# an indefinite article (and at most one adjective) right before a lone name, and its maker after it: a work
_MAKER_AFTER = re.compile(r"\s+(?:von|de|d['’]|by|of)\s*[A-ZÄÖÜÉ]")
_INDEFINITE_BEFORE = {
    "de": re.compile(r"(?<!\w)(?:ein|eine|einen|einem|einer|eines)\s+(?:[a-zäöüß][\w-]*\s+)?$"),
    "fr": re.compile(r"(?<!\w)(?:un|une)\s+(?:[a-zéèêàç][\w-]*\s+)?$"),
    "en": re.compile(r"(?<!\w)(?:a|an)\s+(?:[a-z][\w-]*\s+)?$"),
}


# German heads of organisation names: the last word of a name, alone or after a hyphen ("Rothschild-Gruppe")
_DE_ORG_HEADS = ("Gruppe", "Konzern", "Bank", "Holding", "Verlag", "Werke", "Stiftung", "Versicherung", "AG", "GmbH")
_DE_ORG_HEAD = re.compile(rf"(?:^|-)(?:{'|'.join(_DE_ORG_HEADS)})$")
# English heads of organisation names, the last word of a name of two or more ("Belarusian Railways"); not
# "Bank" ("West Bank") nor "Union" ("Soviet Union"), which end places' names too
_EN_ORG_HEAD = frozenset([
    "Railways", "Railway", "Airlines", "Airways", "Group", "Corporation", "Corp", "Company", "Agency", "Ministry",
    "Committee", "Council", "Party", "Association", "Institute", "University", "Bureau", "Commission",
    "Foundation", "Holdings", "Inc", "Ltd",
])
# a medium's noun ending a name of two or more words, in any language ("Atlas News" in a Ukrainian article)
_MEDIUM_HEADS = frozenset(["News", "Times", "Post", "TV", "Radio", "Press", "Journal", "Gazette", "Herald", "Tribune",
                           "Telegraph", "Media", "Daily", "Today", "Channel", "Express", "Mail", "Guardian", "Observer"])
_ORG_HEAD_ENDS = tuple(sorted(_EN_ORG_HEAD | set(_DE_ORG_HEADS) | _MEDIUM_HEADS))
# place nouns that stand right before a place's name ("деревня Черусти", "the village of Cherusti")
_PLACE_NOUNS: dict[str, str] = {
    "ru": r"деревн[яеиюй]|сел[оаеу]|посёлк\w*|поселк\w*|посел[ео]к|город[аеуом]?|станци[яиюей]|станиц[аыеу]",
    "uk": r"сел[оаіу]|селищ[еаіу]|міст[оаіу]|містечк[оаіу]|станці[яїю]",
    "en": r"(?:village|town|city|hamlet|township|municipality)(?:\s+of)?",
    "de": r"Dorf(?:es)?|Stadt|Gemeinde|Ortschaft|Ortsteil|Kleinstadt|Kreisstadt",
    "fr": r"(?:village|ville|commune|bourg)\s+d[e']|(?:village|ville|commune)\s+de\s+",
    "es": r"(?:pueblo|ciudad|localidad|municipio|aldea)\s+de",
    "pt": r"(?:aldeia|cidade|vila|município|povoado)\s+de",
}
_PLACE_BEFORE = {lang: re.compile(rf"(?<![\w-])(?:{p})\s*$", re.IGNORECASE if lang != "de" else 0)
                 for lang, p in _PLACE_NOUNS.items()}
# a locative preposition right before a name ("in", "у", "в"): a town's name read as a person is the town
_LOCATIVE_BEFORE = {
    "en": re.compile(r"(?<!\w)(?:in|near|outside)\s+$"),
    "de": re.compile(r"(?<!\w)(?:in|nach|bei|nahe)\s+$"),
    "fr": re.compile(r"(?<!\w)(?:à|près\s+de)\s+$"),
    "es": re.compile(r"(?<!\w)en\s+$"),
    "pt": re.compile(r"(?<!\w)(?:em|no|na)\s+$"),
    "ru": re.compile(r"(?<!\w)(?:в|во|под|около|возле)\s+$", re.IGNORECASE),
    "uk": re.compile(r"(?<!\w)(?:в|у|під|біля|поблизу)\s+$", re.IGNORECASE),
}


def _base(lang: str | None) -> str:
    return (lang or "").split("-")[0]


@lru_cache(maxsize=1)
def trained_types() -> dict[str, str]:
    """One-word names the NER training data of every language types one way: lower-cased word -> type.
    A word typed two ways in any language's data, or two ways across languages, is left out."""
    seen: dict[str, set[str]] = {}
    for path in sorted(_MODELS.glob("*/lexicon.json")):
        try:
            types = json.loads(path.read_text(encoding="utf-8")).get("types", {})
        except (OSError, ValueError):
            continue  # a model folder without a readable lexicon gives no evidence
        for word, tags in types.items():
            if " " not in word and tags:
                seen.setdefault(word, set()).update(tag.split("-", 1)[-1] for tag in tags)
    return {word: next(iter(kinds)) for word, kinds in seen.items() if len(kinds) == 1}


def _descriptor_type(text: str, members: list[Draft]) -> tuple[str, str] | None:
    """ORG with its reason when a descriptor noun stands right before one of the mentions."""
    for m in members:
        pattern = _DESCRIPTOR_BEFORE.get(_base(m.lang))
        start = m.start
        if pattern is not None and pattern.search(text, max(0, start - 40), start):
            before = text[max(0, start - 40):start].split()
            return "ORG", f"'{' '.join(before[-2:])} {m.names.surface}' names an organisation"
    return None


def _account_type(text: str, members: list[Draft]) -> tuple[str, str] | None:
    """ORG when a mention is a platform someone holds an account, page or channel on."""
    for m in members:
        after, before = _ACCOUNT_AFTER.get(_base(m.lang)), _ACCOUNT_BEFORE.get(_base(m.lang))
        if (after is not None and after.match(text, m.end)) or \
                (before is not None and before.search(text, max(0, m.start - 40), m.start)):
            return "ORG", f"'{m.names.surface}' is a platform with accounts or pages"
    return None


def _place_head_type(members: list[Draft]) -> tuple[str, str] | None:
    """LOC when a German one-word name ends in a landform or water noun."""
    for m in members:
        if _base(m.lang) == "de" and not m.names.multi and _DE_PLACE_HEAD.fullmatch(m.names.surface):
            return "LOC", f"'{m.names.surface}' is built on a landform or water noun"
    return None


def _thing_type(text: str, members: list[Draft]) -> tuple[str, str] | None:
    """MISC when a lone name read as a person follows an indefinite article and precedes its maker ("eines
    gefälschten Janus von Max Ernst")."""
    for m in members:
        pattern = _INDEFINITE_BEFORE.get(_base(m.lang))
        if m.type == "PER" and pattern is not None and pattern.search(text, max(0, m.start - 40), m.start) \
                and _MAKER_AFTER.match(text, m.end):
            return "MISC", f"'{m.names.surface}' is a work: an indefinite article before it, its maker after it"
    return None


def _org_head_type(members: list[Draft]) -> tuple[str, str] | None:
    """ORG when a German name ends in an organisation noun ("Edmond de Rothschild-Gruppe")."""
    for m in members:
        if not m.names.surface.endswith(_ORG_HEAD_ENDS):
            continue  # the cheap test first: most groups are people and places
        words = m.names.surface.split()
        last = words[-1] if words else ""
        if _base(m.lang) == "de" and m.names.surface[:1].isupper() and _DE_ORG_HEAD.search(last) \
                and (m.names.multi or "-" in last):
            return "ORG", f"'{m.names.surface}' ends in an organisation noun"
        if _base(m.lang) == "en" and len(words) > 1 and last in _EN_ORG_HEAD:
            return "ORG", f"'{m.names.surface}' ends in an organisation noun"
        if len(words) > 1 and last in _MEDIUM_HEADS and words[0][:1].isupper() and not _medium_surname(m, words):
            return "ORG", f"'{m.names.surface}' is a medium's name"
    return None


# medium nouns no one has as a surname: "Atlas News" is an outlet even though "Atlas" is a given name
_MEDIUM_ONLY = frozenset(["News", "TV", "Radio", "Media", "Channel"])


def is_given_name(word: str) -> bool:
    """Whether the given-name list of `ner.names` (the German tagger's gazetteer: first names of many
    languages) knows the word."""
    from echolot.entities.ner.gazetteer import fold
    from echolot.entities.ner.names import _given_names

    return fold(word) in _given_names()


_ONE_SYLLABLE = re.compile(r"[^aeiouy\W\d]*[aeiouy]+[^aeiouy\W\d]*", re.IGNORECASE)
_MAX_SYLLABLE_LETTERS = 5


def family_name_first(word: str) -> bool:
    """Whether a lone word that opens a person's two-word name can be a family name written first (Chinese,
    Korean, Vietnamese order: "Dong" of "Dong Jun", "Xi" of "Xi Jinping"): one Latin syllable, as such family
    names are, and no given name ("Kim" is one too, so it stays apart). An organisation shortened to its first
    word ("Orlund" of "Orlund Biopharm") has more syllables."""
    return (len(word) <= _MAX_SYLLABLE_LETTERS and _ONE_SYLLABLE.fullmatch(word) is not None
            and not is_given_name(word))


def _medium_surname(m: Draft, words: list[str]) -> bool:
    """Whether a two-word name read as a person is a given name and a surname that is also a medium's noun
    ("John Post", "Anna Daily"): the given-name list knows the first word."""
    return m.type == "PER" and len(words) == 2 and words[-1] not in _MEDIUM_ONLY and is_given_name(words[0])


# nouns of an administrative unit that end a place's name ("Khabarovsk Territory", "Kherson Oblast",
# "Краснодарский край"): a region, never an organisation (its administration is "… Territory Administration")
REGION_NOUNS = frozenset(["territory", "krai", "kray", "oblast", "region", "province", "district", "county",
                          "governorate", "prefecture", "municipality", "край", "область", "район", "округ",
                          "регион", "области", "района", "краю", "края", "областта", "окръг"])


# a storm's noun right before a name read as a person ("Hurricane Maria", "huracán María", "ураган «Ирма»"):
# storms carry given names; the storm is an event (MISC), not a person
_STORM_BEFORE = re.compile(r"(?<![\w-])(?:hurricane|typhoon|cyclone|storm|tropical\s+storm|hurrikan|taifun|sturm|orkan|"
                           r"ouragan|typhon|cyclone|tempête|huracán|tifón|ciclón|tormenta|furacão|tufão|ciclone|"
                           r"tempestade|uragano|tifone|tempesta|ураган|тайфун|циклон|шторм|ураганът|huragan|tajfun)"
                           r"[\s«„\"'“]*$", re.IGNORECASE)


def _storm_type(text: str, members: list[Draft]) -> tuple[str, str] | None:
    """MISC when a storm's noun stands right before every mention of a name read as a person."""
    if all(m.type == "PER" and _STORM_BEFORE.search(text, max(0, m.start - 24), m.start) for m in members):
        return "MISC", f"'{members[0].names.surface}' is a storm's name"
    return None


def _region_type(members: list[Draft]) -> tuple[str, str] | None:
    """LOC when a name of two or more words read as an organisation ends in a region noun."""
    for m in members:
        words = m.names.surface.split()
        if m.type == "ORG" and len(words) >= 2 and words[-1].lower() in REGION_NOUNS and words[0][:1].isupper():
            return "LOC", f"'{m.names.surface}' ends in a region noun"
    return None


def _place_noun_type(text: str, members: list[Draft]) -> tuple[str, str] | None:
    """LOC when a place noun stands right before a mention ("деревня Черусти", "village of Cherusti")."""
    for m in members:
        pattern = _PLACE_BEFORE.get(_base(m.lang))
        if pattern is not None and pattern.search(text, max(0, m.start - 30), m.start):
            before = text[max(0, m.start - 30):m.start].split()
            return "LOC", f"'{' '.join(before[-2:])} {m.names.surface}' names a place"
    return None


def _town_type(text: str, members: list[Draft]) -> tuple[str, str] | None:
    """LOC when a name read as a person is a GeoNames town (5,000+ people) and a locative preposition stands
    before it ("in Mariupol", "in Český Krumlov")."""
    from echolot.entities.places import is_town_name

    for m in members:
        pattern = _LOCATIVE_BEFORE.get(_base(m.lang))
        if m.type == "PER" and pattern is not None and pattern.search(text, max(0, m.start - 12), m.start) \
                and any(is_town_name(name) for name in _town_forms(m)):
            return "LOC", f"'{m.names.surface}' is a town, read after a locative preposition"
    return None


# first words of Romance place names: a building, square, street or bridge ("Palazzo Chigi", "Piazza Venezia",
# "Plaza de Mayo", "Praça do Comércio", "Place de la Concorde"); no one's given name
_ROMANCE_PLACE_FIRST = frozenset(["Palazzo", "Piazza", "Ponte", "Castello", "Plaza", "Palacio", "Calle", "Puente",
                                  "Praça", "Palácio", "Rua", "Place", "Palais", "Pont", "Rue", "Quai"])


def _romance_place_type(members: list[Draft]) -> tuple[str, str] | None:
    """LOC when a name of two or more words read as a person opens with a building, square or street noun."""
    for m in members:
        words = m.names.surface.split()
        if m.type == "PER" and len(words) > 1 and words[0] in _ROMANCE_PLACE_FIRST:
            return "LOC", f"'{m.names.surface}' opens with a place noun"
    return None


def _acronym_type(members: list[Draft]) -> tuple[str, str] | None:
    """ORG when every mention is two or three capital letters alone and one was read as a person ("MZ",
    "KO", "МВС"): no one is named by such letters alone; ministries, parties and agencies are."""
    def short_caps(m: Draft) -> bool:
        word = m.names.surface
        return 2 <= len(word) <= 3 and word.isalpha() and word.isupper()

    persons = [m for m in members if m.type == "PER"]
    if persons and all(short_caps(m) and not m.person_hint for m in persons) \
            and (len(persons) == len(members) or any(m.type == "ORG" for m in members)):
        # every mention read as a person is such an acronym; the others, if any, an organisation ("MZ" with its
        # expansion "Ministerstwa Zdrowia")
        return "ORG", f"'{persons[0].names.surface}' is two or three capitals: an acronym, no person"
    return None


# a dash or comma and "there" right after a name: a place ("стали Черусти - там термометры", "Cherusti – there")
# (only words that mean nothing but "there": German "da" is also "because", Italian "da" "from", Croatian "ali" "but")
_THERE_AFTER = re.compile(r"\s*[,–—-]\s*(?:there|там|тамака|dort|là|allí|ahí|lì|tam|lá)(?!\w)",
                          re.IGNORECASE)


def _there_type(text: str, members: list[Draft]) -> tuple[str, str] | None:
    """LOC when a one-word name read as a person is followed by a dash or comma and "there"."""
    for m in members:
        if m.type == "PER" and not m.names.multi and _THERE_AFTER.match(text, m.end):
            return "LOC", f"'{m.names.surface}' is a place: \"there\" refers back to it"
    return None


# an administrative or branch noun right after a town's name read as an organisation: the town's body, whose
# name is the town ("The Stavropol administration", "Baranovichi branch of BZhD")
_ADMIN_AFTER = re.compile(r"\s+(?:administration|authorities|branch|office|council|mayor|police|court|region|district|"
                          r"city\s+hall|municipality|government)(?!\w)")


def _town_body_type(text: str, members: list[Draft]) -> tuple[str, str] | None:
    """LOC when a one-word name read as an organisation is a GeoNames town (15,000+) and an administrative noun
    follows a mention of it in lower case (English)."""
    from echolot.entities.places import is_city_name

    for m in members:
        if m.type == "ORG" and not m.names.multi and _base(m.lang) == "en" and _ADMIN_AFTER.match(text, m.end) \
                and is_city_name(m.names.surface):
            return "LOC", f"'{m.names.surface}' is a town, named before its administration or branch"
    return None


def _town_forms(m: Draft) -> list[str]:
    """The mention and, where it declines, its nominative guesses ("Бучі" -> "Буча")."""
    from echolot.entities.canonical import stem_token

    surface = m.names.surface
    stem = stem_token(surface) if " " not in surface else None
    return [surface] + ([stem + end for end in ("а", "я", "")] if stem else [])


_QUOTES = "\"'«»„“”‚‘’‹›"


def _quoted_type(text: str, members: list[Draft]) -> tuple[str, str] | None:
    """MISC when every mention of a one-word name read as a place stands inside quotation marks ("the new
    'Kroshka'", "под новую «Крошку»"): places are not quoted; titles, works and brands are."""
    def quoted(m: Draft) -> bool:
        return m.start > 0 and m.end < len(text) and text[m.start - 1] in _QUOTES and text[m.end] in _QUOTES

    if all(m.type == "LOC" and quoted(m) for m in members):
        return "MISC", f"'{members[0].names.surface}' is quoted: a title or a brand, not a place"
    return None


_MAX_FRAGMENT_LETTERS = 2


def _trained_type(members: list[Draft]) -> tuple[str, str] | None:
    """The training data's type of a one-word name, for a group read once (a single vote says little)."""
    if len(members) != 1 or members[0].names.multi or len(members[0].names.surface) <= _MAX_FRAGMENT_LETTERS:
        return None  # "Xi" and "XI" are one lower-cased entry: two letters say nothing of a type
    kind = trained_types().get(members[0].names.surface.lower())
    return (kind, f"'{members[0].names.surface}' is {kind} in the NER training data") if kind else None


def retype_groups(groups: Iterable[Group], text: str) -> None:
    """Give each group of one-word names the type its strongest cue says (see the module docstring); a
    group holding a full person name or a title ("President …") is left alone, as is one a known place,
    listed institution or country already typed (its language-free alias key)."""
    for group in groups:
        members = group.members
        if any(k.startswith(("geo:", "city:", "org:")) for k in group.alias_keys):
            continue  # `_mark_known_place` typed it from CLDR / GeoNames / the institutions list
        types = {m.type for m in members}
        found = _org_head_type(members) if types != {"ORG"} and not any(m.person_hint for m in members) else None
        if found is None and "ORG" in types:
            found = _region_type(members)
        if found is None and "PER" in types:
            found = _acronym_type(members) or _romance_place_type(members)
        if found is None and types == {"PER"} and len({m.names.key for m in members}) == 1 \
                and not any(m.person_hint for m in members):
            found = _town_type(text, members)  # one name, of one word or several: "in Český Krumlov" (never a
            #   "George Washington" group with a lone "in Washington")
        if found is None and (any(m.names.multi for m in members) or any(m.person_hint for m in members)):
            continue
        if found is None and types != {"ORG"}:  # each cue is read only where it could change a type
            found = _descriptor_type(text, members) or _account_type(text, members)
        if found is None and types != {"LOC"}:
            found = _place_head_type(members) or _place_noun_type(text, members) or _town_type(text, members) \
                or _there_type(text, members) or _town_body_type(text, members)
        if found is None and types == {"LOC"}:
            found = _quoted_type(text, members)
        if found is None and "PER" in types:
            found = _thing_type(text, members) or _storm_type(text, members)
        if found is None and len(members) == 1:
            found = _trained_type(members)
        if found is None:
            continue
        kind, why = found
        for m in members:
            if m.type != kind:
                m.reason = m.reason or why
                m.type = kind
