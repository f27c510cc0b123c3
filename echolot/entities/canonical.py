"""Name folding: turn a surface form into keys that agree across languages and scripts.

The same person is "Tokayev" in English, "Tokajew" or "Toqajew" in German and
"Токаев"/"Токаева" in Russian. No dictionary covers every name in the news, so we
fold the spelling instead: transliterate to Latin, strip diacritics, then collapse
the letters that transliteration conventions disagree on (j/y/i, q/k/c, w/v,
ts/z/s, sch/sh/zh, ch/kh, -ew/-ev/-ov, doubled letters). Both sides of a comparison
go through the same fold, so an over-eager rule only risks collisions, which the
merging code guards with type, person-name structure and context.

Everything here is pure and cheap (no models): the stage calls it for every mention.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz
from unidecode import unidecode

from echolot.text.indic import is_indic, romanize

# -- surface cleaning -----------------------------------------------------------------

_POSSESSIVE = re.compile(r"(?:['’ʼ`´]s|s['’ʼ`´]|['’ʼ`´])$", re.IGNORECASE)
_EDGE_PUNCT = "\"'“”„‚‘’«»‹›()[]{}.,;:!?*–—-/\\|"
_QUOTE_PAIRS = {"«": "»", "„": "“", "‹": "›"}
_TOKEN_SPLIT = re.compile(r"[\s\-‐‑–—_/]+")
# An elided French or Italian article or preposition glued to a name: "l'Autorité ...", "d'Orlund",
# "L'Association", "dell'Unione". The tagger often keeps it in the span; it is no part of the name.
_ELIDED = re.compile(r"^(?:[dlL]|[Qq]u|[Jj]usqu|[Dd]ell|[Nn]ell|[Dd]all|[Aa]ll|[Ss]ull)['’](?=[^\W\d_])")

def _words(text: str) -> frozenset[str]:
    """A word list written as whitespace-separated text (long lists stay readable)."""
    return frozenset(text.split())


# Titles and roles written before a name ("Kazakh President Kassym-Jomart Tokayev",
# "US-Außenminister Antony Blinken"). Words ending in one of the German suffixes are
# compounds such as "Bundeskanzler" or "Außenministerin".
TITLE_WORDS = _words("""
    president vice-president minister secretary spokesman spokeswoman spokesperson chancellor
    premier prime king queen prince princess pope general gen colonel col senator sen rep
    representative governor mayor ambassador chairman chairwoman chair ceo director judge justice mr
    mrs ms dr prof sir lord lady leader head chief deputy acting commissioner emir sheikh ayatollah
    patriarch archbishop bishop cardinal sergeant captain lieutenant präsident präsidentin kanzler
    kanzlerin minister ministerin sprecher sprecherin herr frau staatschef staatschefin
    regierungschef regierungschefin botschafter botschafterin bürgermeister bürgermeisterin könig
    königin papst vorsitzende vorsitzender chef chefin gouverneur abgeordnete abgeordneter sekretär
    sekretärin oberhaupt президент премьер премьер-министр министр глава генсек госсекретарь канцлер
    пресс-секретарь посол мэр губернатор господин г-н председатель спикер лидер король
    командующий главнокомандующий командир міністр прем'єр прем'єр-міністр голова речник речниця
    мер губернатор посол командувач головнокомандувач командир очільник очільниця
    पीएम सीएम राष्ट्रपति उपराष्ट्रपति प्रधानमंत्री मंत्री मुख्यमंत्री चांसलर प्रवक्ता राजदूत सचिव महासचिव
    राज्यपाल गवर्नर श्री श्रीमती डॉ डॉक्टर प्रोफेसर प्रोफ़ेसर जनरल अध्यक्ष सांसद विधायक राजा रानी
""")
# A party member's noun before a full name ("la Démocrate Nancy Pelosi", "Republican Mitch McConnell"):
# a role like a title, but only before two or more words ("Republican Party" is the party's own name)
_PARTY_WORDS = _words("""
    democrat republican démocrate républicain républicaine demokrat demokratin republikaner republikanerin
    демократ республиканец республиканка демократка
""")
_TITLE_SUFFIXES = ("minister", "ministerin", "präsident", "präsidentin", "kanzler", "kanzlerin",
                   "sprecher", "sprecherin", "sekretär", "sekretärin", "chef", "chefin",
                   "министр", "секретарь", "मंत्री", "राष्ट्रपति")  # Hindi "रक्षामंत्री", "उपराष्ट्रपति"

# Leading determiners dropped from keys only ("The White House" ~ "White House").
_DETERMINERS = _words("""
    the a an der die das des dem den la le les el los las il
""")

# Function words skipped when reading an acronym off its expansion
# ("Organisation des Vertrags über kollektive Sicherheit" -> OVKS).
ACRONYM_STOP = _words("""
    of the and for in on at to de des der die das dem den und für über von vom zur zum im am la le
    les du et pour sur y del el en и в по для на о об
    da do das dos no na nos nas em e della dello degli delle dei di al los las
""")  # the last line: Portuguese and Italian ("Estados Unidos da América" is EUA, "Banca d'Italia")


def clean_surface(text: str) -> tuple[str, bool]:
    """The name inside a mention: no quotes, possessive or leading title.

    Returns (cleaned text, whether a title was removed). A removed title is strong
    evidence of a person even when the tagger said ORG.
    """
    text = " ".join(text.split()).strip(_EDGE_PUNCT + " ")
    text = _POSSESSIVE.sub("", text).strip(_EDGE_PUNCT + " ")
    text = _ELIDED.sub("", text)
    for opening, closing in _QUOTE_PAIRS.items():  # 'Альянс «Свободный Карск»' keeps the mark it closes with
        if text.count(opening) > text.count(closing):
            text += closing
    words = text.split(" ")
    cut = -1
    for i, word in enumerate(words[:-1]):
        if _is_title(word) or (word.lower() in _PARTY_WORDS and len(words) - i > 2):
            cut = i
    if cut >= 0:
        rest = words[cut + 1:]
        if rest and all(w[:1].isupper() or is_indic(w) for w in rest) \
                and not (len(rest) == 1 and rest[0] in _OFFICE_HEADS):
            # "पीएम मोदी" (caseless words after a title); "Justice Department": a field and an office, no title
            return " ".join(rest), True
    return text, False


_OFFICE_HEADS = frozenset(["Department", "Ministry", "Office", "Court", "Commission", "Committee", "Council",
                           "Agency", "Service"])


# Words right before a name that put it in a case other than the nominative, where the name's own
# words inflect ("des Bündnisses Freies Karsk", "der Europäischen Bank", "с Токаевым"): German
# articles and contractions of the genitive / dative / accusative, Russian prepositions. "der" is
# also a masculine nominative; it only ever demotes a variant that has a rival read elsewhere.
_OBLIQUE_BEFORE = {
    "de": _words("des eines dem einem den einen der einer im am vom zum zur beim"),
    "ru": _words("""в во на о об обо с со к ко у из от до для по при без за под над перед после между
                    против через про около возле вокруг среди кроме"""),
}
_WORD_BEFORE = re.compile(r"(\w+)[\s«„\"']*$")


def oblique_context(text: str, start: int, lang: str | None) -> bool:
    """Whether the word before text[start:] puts a name there in an oblique case (`_OBLIQUE_BEFORE`):
    its form is then likely inflected, not the one to show as the entity's name."""
    words = _OBLIQUE_BEFORE.get((lang or "").split("-")[0])
    if not words:
        return False
    match = _WORD_BEFORE.search(text, max(0, start - 24), start)
    return match is not None and match.group(1).lower() in words


def _is_title(word: str) -> bool:
    low = word.lower().strip(".,")
    if low in TITLE_WORDS:
        return True
    last = re.split(r"[-‐‑]", low)[-1]
    return last in TITLE_WORDS or any(last.endswith(s) for s in _TITLE_SUFFIXES)


def tokens(text: str) -> list[str]:
    """Name tokens, hyphenated parts split ("Kassym-Jomart" -> two tokens)."""
    return [t for t in (p.strip(_EDGE_PUNCT) for p in _TOKEN_SPLIT.split(text)) if t]


def is_cyrillic(text: str) -> bool:
    return any("\u0400" <= ch <= "\u04ff" for ch in text)


def is_acronym(text: str) -> bool:
    """"CSTO", "OVKS", "ОДКБ", "NATO": 2-8 capitals, optionally with dots or a lowercase infix."""
    bare = text.replace(".", "")
    if not 2 <= len(bare) <= 8 or not bare.isalpha():
        return False
    capitals = sum(ch.isupper() for ch in bare)
    return capitals >= 2 and capitals >= len(bare) - 1 and bare[0].isupper()


# -- folding ---------------------------------------------------------------------------

# Applied in order to lowercase ASCII. Each line unifies spellings that different
# transliteration conventions (English, German, ISO, unidecode) produce for one sound.
_FOLD_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p), r) for p, r in (
        (r"schtsch|shch|sch'", "s"),   # Щ
        (r"tsch|tch", "h"),           # Ч (de "tsch", en "ch") -> same class as ch
        (r"sch|sh|zh|sz", "s"),       # Ш, Ж
        (r"kh|ch", "h"),              # Х (en "kh", de "ch")
        (r"ph", "f"),
        (r"th", "t"),
        (r"ck", "k"),
        (r"[qc]", "k"),
        (r"x", "ks"),
        (r"tz|ts|z", "s"),
        (r"w", "v"),
        (r"[yj]", "i"),
        (r"(?<=[^aeiou])oe(?=[^aeiou])", "e"),  # Schroeder / Schröder / Шрёдер (ö and ø fold to e, below)
        (r"(?<=[^aeiou])io(?=[^aeiou])", "e"),  # Fyodor / Pjotr / Alyona ~ Фёдор, Пётр, Алёна (ё read as е)
        (r"(?<=[aeiou])h(?=[^aeiou]|$)", ""),   # silent h: Ekdahl / Экдаль, Kuhn / Кун
        (r"ou", "u"),
        (r"(?<=[aeiou])i(?=[aeiou])", ""),  # Tokayev / Tokajew / Tokaev
        (r"(.)\1+", r"\1"),            # Kassym / Kasym, Psakki
        (r"(?<=.)[eo](?:v|f)$", "v"),   # -ev / -ew / -ov / -ow / -off / -eff
    )
]


# French spells the sound of Russian "ш" (English "sh", German "sch") as "ch", "ж" as "j" and "у" as "ou":
# "Loukachenko", "Choïgou", "Joukov" are Lukashenko, Shoigu, Zhukov. A Latin word with "ou" is spelled
# the French way, so its "ch" (not "tch", which is "ч" there too, nor German "sch") is "sh", its "j" "zh".
_FRENCH_CH = re.compile(r"(?<![ts])ch")
_CYRILLIC_J = re.compile("[Дд][Жж]")
_ROUNDED_E = str.maketrans({"ö": "e", "ø": "e", "Ö": "E", "Ø": "E"})


def fold_token(token: str) -> str:
    """One name token to its spelling key ("Toqajew" -> "tokav").

    A token in a Brahmic script (Devanagari, Bengali, ...) is first written the way English spellings
    write names (`text.indic.romanize`: the inherent vowel spoken where Hindi speaks it, nukta letters
    as their loanword sounds): unidecode writes "पुतिन" right by luck but "वाशिंगटन" as "vaashinggttn"."""
    token = unicodedata.normalize("NFC", token).replace("ё", "е").replace("Ё", "Е")
    token = token.translate(_ROUNDED_E)  # Sörvik / Sørvik ~ Сёрвик: Russian writes ö and ø as ё
    latin = not is_indic(token) and not is_cyrillic(token)
    if not latin and is_indic(token):
        token = romanize(token)
    elif not latin:  # Cyrillic "дж" writes the English and Turkic "j": "Джо Байден", "Джонсон", "Таджикистан"
        token = _CYRILLIC_J.sub(lambda m: "J" if m.group(0)[0] == "Д" else "j", token)
    text = unidecode(token).lower()
    text = re.sub(r"[^a-z0-9]", "", text)
    if latin and "ou" in text:
        text = _FRENCH_CH.sub("sh", text).replace("j", "zh")
    for pattern, repl in _FOLD_RULES:
        text = pattern.sub(repl, text)
    return text


# Russian and Ukrainian case endings, longest first; removing one gives a stem that agrees with the
# nominative ("Токаевым" -> "Токаев", "Казахстане" -> "Казахстан", "Маріуполі" -> "Маріупол",
# "Василем Щуром" -> "Васил Щур"). "-ій" is left alone: it ends nominatives ("Андрій", "Білецький").
_CYRILLIC_ENDINGS = tuple(sorted(
    ("ами", "ями", "ыми", "ими", "ого", "его", "ому", "ему", "ой", "ей", "ым", "им", "ом", "ем", "ах", "ях",
     "ам", "ям", "а", "я", "у", "ю", "е", "ы", "и",
     "ові", "еві", "єві", "ього", "ьому", "ою", "ею", "єю", "ої", "ів", "їв", "і", "ї"),
    key=len, reverse=True))


# The Bulgarian definite article is a suffix: "федерацията" is "федерация" + "та", "Кремълът" "Кремъл" + "ът",
# "Съветът", "Парламентът". "-ът" / "-ят" end no Russian or Ukrainian noun; "-ията" is "-ия" + "та" (the
# Russian "-ия" nouns take no "-та"). The article goes first, then the noun's own ending as usual.
_BG_NOUN_DEFINITE = (("ията", 2), ("ът", 2), ("ят", 2))
_MIN_BG_NOUN = 5


def _bulgarian_bare(token: str) -> str:
    """A Cyrillic noun without its Bulgarian definite article ("федерацията" -> "федерация")."""
    low = token.lower()
    for ending, cut in _BG_NOUN_DEFINITE:
        if low.endswith(ending) and len(low) >= _MIN_BG_NOUN + cut:
            return token[:-cut]
    return token


def stem_token(token: str) -> str | None:
    """The token without a case ending, or None when there is none to remove.

    German and English names take a genitive "-s" (Putins, Kasachstans); Russian
    names decline. The stem is only ever used to find an existing form, never as a
    key of its own, so "Paris" -> "Pari" harms nothing unless "Pari" is a name too.
    """
    if is_cyrillic(token):
        bare = _bulgarian_bare(token)
        low = bare.lower()
        for ending in _CYRILLIC_ENDINGS:
            if low.endswith(ending) and len(low) - len(ending) >= 3:
                return bare[: len(bare) - len(ending)]
        return bare if bare != token else None
    if len(token) >= 6 and token.endswith("es") and token[-3] not in "aeiouy":
        return token[:-2]  # German genitive "-es": Hauses, Staates
    if len(token) >= 4 and token.endswith("s") and not token.endswith("ss") and not token.isupper():
        return token[:-1]
    if len(token) >= 5 and not token.isupper():
        for ending in ("ien", "ie", "ia"):  # Syrien / Syrie / Syria, Dravien / Dravia / Дравии
            if token.endswith(ending):
                return token[: len(token) - len(ending) + 1]
        if token[-1] in "aeo" and token[-2] not in "aeiou":
            return token[:-1]  # Tavra / Тавры, Lunevo / Луневе: the Latin form's vowel is a case ending there
    return None


_DE_ADJ_ENDINGS = ("en", "em", "er", "es", "e")
# Russian and Ukrainian adjective endings of a modifier, longest first ("-ая" is no noun's case ending, so
# `stem_token` alone leaves "Саудовска" of "Саудовская" against "Саудовск" of "Саудовской")
_CYRILLIC_ADJ_ENDINGS = tuple(sorted(
    ("ая", "яя", "ое", "ее", "ые", "ие", "ых", "их", "ой", "ей", "ую", "юю", "ого", "его", "ому", "ему", "ым",
     "им", "ыми", "ими", "ий", "ый", "а", "я", "і", "е", "у", "ої", "ою", "ього", "ьому", "ій"),
    key=len, reverse=True))


# the Bulgarian definite article of a neuter noun in "-ство" or "-ие": "Министерството" is "Министерство",
# "Управлението" "Управление"; only in long words of these two suffixes, which no Russian case form ends in
_BG_NEUTER_DEFINITE = ("ството", "ието")
_MIN_BG_DEFINITE = 8
# the definite article of a Bulgarian adjective before a noun: "Руската федерация", "Обединените нации",
# "Обединеното кралство", "Белият дом", "Европейския съюз" (-ия after -ск-: no Russian adjective ends so).
# Only in words of `_MIN_BG_ADJECTIVE`+ letters ("-ата" also ends the Russian given name "Рената")
_BG_ADJ_DEFINITE = ("ският", "ския", "ият", "ата", "ото", "ите")
_MIN_BG_ADJECTIVE = 7


def stem_modifier(token: str) -> str:
    """A word before the head of a name without its adjective ending.

    "Vereinigten Staaten" ~ "Vereinigte Staaten", "Weißen Hauses" ~ "Weiße Haus"; a Cyrillic adjective
    loses its whole ending, "-ая" and "-ой" alike ("Саудовской Аравии" ~ "Саудовская Аравия").
    """
    if is_cyrillic(token):
        low = token.lower()
        if low.endswith(_BG_NEUTER_DEFINITE) and len(low) >= _MIN_BG_DEFINITE:
            return token[:-2]  # Bulgarian "Министерството на отбраната" is "Министерство на отбраната" with "the"
        for ending in _BG_ADJ_DEFINITE:
            if low.endswith(ending) and (len(low) >= _MIN_BG_ADJECTIVE or ending.endswith("т")):
                # "Руската" -> "Руск", as "Руска" and "Российская" lose their whole ending below
                cut = len(ending) - 2 if ending.startswith("ск") else len(ending)
                return token[:-cut]
        for ending in _CYRILLIC_ADJ_ENDINGS:
            if low.endswith(ending) and len(low) - len(ending) >= 3:
                return token[: len(token) - len(ending)]
        return stem_token(token) or token
    if len(token) >= 6 and token.endswith("ian") and not token.isupper():
        return token[:-1]  # "Valdorian Dockworkers' Union" ~ "Valdoria Dockworkers' Union", Russian ~ Russia
    for ending in _DE_ADJ_ENDINGS:
        if token.endswith(ending) and len(token) - len(ending) >= 4 and not token.isupper():
            return token[: -len(ending)]
    return token


# -- keys of one mention ----------------------------------------------------------------

@dataclass
class NameKeys:
    """Everything the matcher needs to know about one cleaned surface form."""

    surface: str  # cleaned surface (what users see as a variant)
    key: str  # folded tokens joined by spaces: the exact-match key
    tokens: list[str] = field(default_factory=list)  # folded tokens (determiners dropped)
    stem_key: str | None = None  # key with the last token's case ending removed
    acronym: bool = False
    initials: str = ""  # folded initials of an expansion ("ksto" for Collective ... Organization)
    initials_key: str = ""  # the key an acronym of those initials has (`acronym_key`: "^csto")

    @property
    def surname(self) -> str:
        return self.tokens[-1] if self.tokens else ""

    @property
    def given(self) -> list[str]:
        return self.tokens[:-1]

    @property
    def multi(self) -> bool:
        return len(self.tokens) > 1


@lru_cache(maxsize=200_000)
def name_keys(surface: str) -> NameKeys:
    """Fold a cleaned surface form into its keys (cached: the same names recur; do not mutate)."""
    raw = tokens(surface)
    while len(raw) > 1 and raw[0].lower() in _DETERMINERS:
        raw = raw[1:]
    folded = [f for f in (fold_token(t) for t in raw) if f]
    acronym = len(raw) == 1 and is_acronym(raw[0])
    # letters, not sounds, for short acronyms; a longer all-capital word is a shouted word as often
    # ("ASTANA" in a dateline) or an acronym read as a word ("UNESCO" ~ "Unesco"): folded like a word
    spelled = acronym and len(raw[0].replace(".", "")) <= _SPELLED_ACRONYM
    key = acronym_key(raw[0]) if spelled else " ".join(folded)
    stem_key = None
    if raw and is_indic(surface):
        stem_key = _loan_key(raw, key)
    elif raw and not acronym:
        stems = [stem_modifier(t) for t in raw[:-1]] + [stem_token(raw[-1]) or raw[-1]]
        stem_folded = [f for f in (fold_token(t) for t in stems) if f]
        candidate = " ".join(stem_folded)
        if candidate and candidate != key:
            stem_key = candidate
    if is_indic(surface):  # a caseless script writes no acronym by initials ("उत्तर कोरिया" is not "UK")
        return NameKeys(surface=surface, key=key, tokens=folded, stem_key=stem_key)
    content = [w for w in raw if w.lower() not in ACRONYM_STOP]
    return NameKeys(surface=surface, key=key, tokens=folded, stem_key=stem_key, acronym=acronym,
                    initials=expansion_initials(raw),
                    initials_key=acronym_key("".join(w[0] for w in content)) if len(content) > 1 else "")


def _loan_key(raw: list[str], key: str) -> str | None:
    """An Indic name's key read as a foreign name (`indic.romanize`'s `loan`: "जेलेंस्की" -> "selenski"
    beside its own reading "ielenski"), kept in the stem slot, which the matcher and the place tables
    probe beside the key: Indic names have no case endings to strip there. None when both agree."""
    folded = [f for f in (fold_token(romanize(t, loan=True)) if is_indic(t) else fold_token(t) for t in raw) if f]
    loan = " ".join(folded)
    return loan if loan and loan != key else None


_SPELLED_ACRONYM = 4  # "OSZE", "NATO", "ОДКБ": read letter by letter (or short enough to collide when folded)


def acronym_key(text: str) -> str:
    """The key of an acronym: its letters, transliterated but not folded ("OSZE" -> "^osze", "НАТО" ->
    "^nato"). Letters are not sounds: folded like a word, "OSZE" would be "Ostsee" (both "ose")."""
    text = unicodedata.normalize("NFC", text)
    if is_indic(text):  # "नाटो" is NATO read aloud: "nato", not unidecode's "naatto"
        text = romanize(text)
    return "^" + re.sub(r"[^a-z0-9]", "", unidecode(text).lower())


def expansion_initials(words: list[str]) -> str:
    """Folded initials of a multi-word name without function words ("" for one word)."""
    content = [w for w in words if w.lower() not in ACRONYM_STOP]
    if len(content) < 2:
        return ""
    return fold_token("".join(w[0] for w in content))


def acronym_matches(acronym: str, expansion: str) -> bool:
    """Whether `acronym` can be read off `expansion` (with or without function words, or without a last word
    naming the owner): the folded letters agree and there are as many letters as initials. Folding alone
    compares sounds, and a transliterated letter can read as two ("США": Ш is "sh", folded "s", so "ssha"
    -> "sa" would be the initials of "Саудовской Аравии")."""
    words = tokens(expansion)
    if len(words) < 2:
        return False
    letters = sum(ch.isalpha() for ch in acronym)
    content = [w for w in words if w.lower() not in ACRONYM_STOP]
    target = fold_token(acronym)
    owned = content[:-1] if len(content) > 2 and content[-1][:1].isupper() else []
    for sides in (content, words, owned):  # the last: without the owner's name after it ("ЦИК" of
        # "Центральная избирательная комиссия Карска"; not "ALM" of "Association lorrénienne des malades
        # cardiaques")
        if len(sides) == letters and letters >= 2 and target == fold_token("".join(w[0] for w in sides)):
            return True
    return False


def compound_acronym(surface: str) -> str:
    """The letters a name of several acronyms stands for, or "" when it is none: "ГУР МОУ" -> "ГУРМОУ",
    "ГУР МО України" -> "ГУРМОУ" (a whole word after the acronyms gives its initial, as in the
    expansion "Головне управління розвідки Міністерства оборони України"). At least one token must
    be an acronym and the first one must be, so an ordinary name ("Nice Matin") never reads as one."""
    words = tokens(surface)
    if len(words) < 2 or not is_acronym(words[0]):
        return ""
    return "".join(w.replace(".", "") if is_acronym(w) else w[0] for w in words)


# -- comparisons ------------------------------------------------------------------------

def given_names_compatible(a: list[str], b: list[str], min_ratio: float = 75.0) -> bool:
    """Whether two folded given-name lists can belong to one person.

    "Kassym-Jomart" ~ "Qassym-Schomart" (same sounds), "J." ~ "Joe" (an initial),
    missing middle names are fine; "Joe" vs "Hunter" is not.
    """
    if not a or not b:
        return True
    if a == b:
        return True
    if len(a[0]) == 1 or len(b[0]) == 1:
        return a[0][0] == b[0][0]
    if fuzz.ratio(" ".join(a), " ".join(b)) >= min_ratio:
        return True
    shorter, longer = (a, b) if len(a) <= len(b) else (b, a)
    return all(any(fuzz.ratio(s, t) >= min_ratio for t in longer) for s in shorter)


def same_person_name(a: NameKeys, b: NameKeys, min_ratio: float = 75.0, surname_ratio: float | None = None) -> bool:
    """Two full names with the same folded surname and compatible given names; a Cyrillic full name
    also in its case-stripped form ("Василем Щуром", instrumental, ~ "Vasyl Shchur"). With `surname_ratio`
    (names a translation puts in one place, nothing else), surnames that differ by a vowel of the other
    language's rendering also agree ("Donald Trump" ~ "Дональда Трампа": tramp / trump)."""
    return any(bool(x.tokens and y.tokens) and _same_surname(x.surname, y.surname, surname_ratio)
               and given_names_compatible(x.given, y.given, min_ratio)
               for x in person_forms(a, b) for y in person_forms(b, a))


_MIN_FUZZY_SURNAME = 4  # shorter folded surnames differ by one letter from too many others


def _same_surname(a: str, b: str, ratio: float | None) -> bool:
    if a == b:
        return True
    return ratio is not None and a[:1] == b[:1] and min(len(a), len(b)) >= _MIN_FUZZY_SURNAME \
        and fuzz.ratio(a, b) >= ratio


def person_forms(keys: NameKeys, other: NameKeys | None = None) -> list[NameKeys]:
    """A full name as written and, for Cyrillic script (where names decline), without case endings.
    Latin-script names do not decline, so "Petrova" stays apart from "Petrov" there; only against a
    Cyrillic name does a Latin surname's final "o" count as the ending a declined form replaces
    ("Volodymyr Labutenko" ~ "Володимиру Лабутенку"): "-a" marks a woman's surname, not a case."""
    forms = [keys]
    if keys.multi and _silent_e(keys):
        # French writes Russian "-ин" as "-ine" (a final "in" would be read as a nasal): "Vladimir Poutine",
        # "Staline", "Raspoutine" are Putin, Stalin, Rasputin; the given names must still agree
        bare = keys.tokens[:-1] + [keys.tokens[-1][:-1]]
        forms.append(NameKeys(surface=keys.surface, key=" ".join(bare), tokens=bare))
    if not keys.stem_key or not keys.multi:
        return forms
    if is_indic(keys.surface):  # its reading as a foreign name ("डोनाल्ड ट्रंप": donald trump)
        return forms + [NameKeys(surface=keys.surface, key=keys.stem_key, tokens=keys.stem_key.split())]
    cyrillic = is_cyrillic(keys.surface)
    if cyrillic or (other is not None and is_cyrillic(other.surface) and keys.tokens[-1].endswith("o")):
        forms.append(NameKeys(surface=keys.surface, key=keys.stem_key, tokens=keys.stem_key.split()))
        if cyrillic and keys.stem_key.endswith("sk"):
            # an adjectival surname declines its "-ский" / "-ський" ending as a whole: "Захаревским",
            # "Зеленського" -> the stem "...ск" + the nominative's "-ий" ("Zakharevsky", "Zelensky")
            forms.append(NameKeys(surface=keys.surface, key=keys.stem_key + "i", tokens=(keys.stem_key + "i").split()))
    return forms


_MIN_SILENT_E = 5  # folded letters of a surname in "-ine" ("putine"); shorter ones ("line") are left alone


def _silent_e(keys: NameKeys) -> bool:
    """Whether a Latin full name's surname ends in the silent "-ine" of a French transcription."""
    last = keys.tokens[-1]
    return len(last) >= _MIN_SILENT_E and last.endswith("ine") and not is_cyrillic(keys.surface) \
        and not is_indic(keys.surface)


_MIN_SOUND = 4  # folded letters of a surname compared without its vowels (`sound_key`)


def sound_key(folded: str) -> str:
    """A folded surname without the vowels inside it ("baiden", "biden" -> "bdn"; "tramp", "trump" ->
    "trmp"), first and last letter kept ("petrova" -> "ptrva" stays apart from "petrov" -> "ptrv"); ""
    for one too short to say much.

    Why: Russian writes an English name by ear ("Байден" for Biden, "Трамп" for Trump), so the vowels of
    the two spellings disagree where the consonants do not. Only ever a candidate (`Matcher`), joined
    across scripts with shared context, never a key."""
    if len(folded) < _MIN_SOUND:
        return ""
    return folded[0] + re.sub(r"[aeiou]", "", folded[1:-1]) + folded[-1]


@lru_cache(maxsize=65536)
def script_of(surface: str) -> str:
    """"cyrillic", "indic" or "latin" (the rest): which spelling conventions a name was written under."""
    return "cyrillic" if is_cyrillic(surface) else "indic" if is_indic(surface) else "latin"


def display_score(surface: str, count: int) -> tuple[int, int, int, int]:
    """Sort key for the preferred display name: frequent, full, Latin, then short."""
    return (count, len(tokens(surface)) > 1, not is_cyrillic(surface), -len(surface))


_OF_PHRASE = re.compile(r"(?:the\s+)?(?P<head>[A-Z][\w-]+)\s+of\s+(?:the\s+)?(?P<owner>[A-Z][\w-]+)")
_ADJECTIVE_PHRASE = re.compile(r"(?:the\s+)?(?P<owner>[A-Z][\w-]{3,}?)(?:ial|al)\s+(?P<head>[A-Z][\w-]+)")


# a department or ministry named by its field in front ("Justice Department" ~ "Department of Justice", "Defense
# Ministry" ~ "Ministry of Defense"): these two heads only, where a noun before them is always the field
_NOUN_PHRASE = re.compile(r"(?:the\s+)?(?P<owner>[A-Z][a-z]{3,})\s+(?P<head>Department|Ministry)")


def of_phrase_key(surface: str) -> str | None:
    """One key for the two ways English names an institution after its owner: "Office of the President"
    and "Presidential Office", "Court of the Constitution" and "Constitutional Court" ("of:" + the owner
    and the head, folded). Only the adjective in -al / -ial is read back to its noun, so "Bank of
    America" and "America Bank" stay apart; a noun before "Department" or "Ministry" is that office's
    field ("Justice Department" ~ "Department of Justice"). None for any other shape."""
    text = " ".join(surface.split())
    m = _OF_PHRASE.fullmatch(text) or _ADJECTIVE_PHRASE.fullmatch(text) or _NOUN_PHRASE.fullmatch(text)
    if m is None:
        return None
    owner, head = fold_token(m.group("owner")), fold_token(m.group("head"))
    return f"of:{owner} {head}" if owner and head else None
