"""Names across scripts that write no capitals: Latin spellings and consonant skeletons.

Cased scripts (Latin, Cyrillic, Greek, Armenian) mark names with a capital; Devanagari, Arabic,
Hebrew, Thai, CJK have none, and Georgian text is written in lower-case letters only. An article in
such a script cannot say which of its words are names, but every name it carries is among its words.
So its words are spelled in Latin (unidecode) and reduced to a consonant skeleton: the part of a
name that transliteration conventions agree on. Vowels are dropped (Devanagari marks long vowels,
Arabic and Hebrew omit short ones), letters that conventions swap for one sound share one class
(c/k/q, s/z, p/b/f/v/w, t/d), aspiration "h" after a consonant and doubled letters go.
"Kelowna", "केलोव्ना", "კელოვნა" and "Կելովնա" all become "klpn"; "Trump", "ट्रंप" and "ترامب" "trmp".
"""
from __future__ import annotations

import functools
import re
import unicodedata

import regex
from unidecode import unidecode

_LETTER_WORD = regex.compile(r"\p{L}[\p{L}\p{M}]*")  # vowel signs and viramas stay inside the word
_NON_LETTER = re.compile(r"[^a-z]")
# applied in order to lower-case ASCII: digraphs first, so their letters are not classed one by one
_DIGRAPHS = (("sch", "s"), ("ph", "f"), ("x", "ks"), ("j", "y"))
# letter pairs that unidecode spells letter by letter although they write one vowel: Armenian "ու" is u,
# not "ow" (the w would become a consonant of the skeleton)
_ONE_VOWEL = re.compile("[\u0578\u0548][\u0582\u0552]")
# Devanagari letters with a nukta that unidecode reads as the plain letter: ज़ is z (not j, a vowel here), ड़ and
# ढ़ are r; as NFKC leaves them (letter + U+093C)
_NUKTA = {"\u091c\u093c": "z", "\u0921\u093c": "r", "\u0922\u093c": "r"}
_NUKTA_LETTER = re.compile("|".join(_NUKTA))
# the Devanagari anusvara is a nasal that sounds m before p, ph, b, bh, m ("ट्रंप" is Trump); unidecode reads it n
_LABIAL_ANUSVARA = re.compile("\u0902(?=[\u092a-\u092e])")

_ASPIRATION = re.compile(r"(?<=[^aeiouyh])h")  # kh, th, sh, ch, bh, dh...: the h after a consonant
_CLASSES = str.maketrans({"c": "k", "q": "k", "z": "s", "b": "p", "f": "p", "w": "p", "v": "p", "d": "t"})  # Arabic: b for p
_VOWELS = re.compile(r"[aeiouy]")
_DOUBLED = re.compile(r"(.)\1+")


def letter_words(text: str) -> list[str]:
    """The words of `text` made of letters (with their combining marks: "ब्रिन्मोन्ट" is one word)."""
    return _LETTER_WORD.findall(text)


@functools.lru_cache(maxsize=4096)
def script(ch: str) -> str:
    """The script a letter belongs to, as the first word of its Unicode name ("DEVANAGARI", "LATIN")."""
    name = unicodedata.name(ch, "")
    return name.split(" ", 1)[0]


def uncased_words(texts: list[str]) -> list[str]:
    """The words of `texts` in scripts that write no capital anywhere in them.

    A script counts as cased when one of its words starts with a capital somewhere in the texts:
    an Armenian or Russian article has capitals at every sentence start, a Hindi or Georgian one has
    none, so all of its words come back (a Latin acronym inside it does not)."""
    return uncased([w for text in texts for w in letter_words(text)])


def uncased(words: list[str]) -> list[str]:
    """`uncased_words` of words already split (`letter_words`), for a caller that also counts them."""
    cased = {script(w[0]) for w in words if w[0].isupper()}
    return [w for w in words if script(w[0]) not in cased]


@functools.lru_cache(maxsize=65536)
def skeleton(word: str) -> str:
    """The consonant skeleton of a word in any script ("Washington" and "ვაშინგტონი" -> "psnktn")."""
    word = _LABIAL_ANUSVARA.sub("m", _ONE_VOWEL.sub("u", unicodedata.normalize("NFKC", word)))
    word = _NUKTA_LETTER.sub(lambda match: _NUKTA[match.group(0)], word)
    text = _NON_LETTER.sub("", unidecode(word).lower())
    for old, new in _DIGRAPHS:
        text = text.replace(old, new)
    text = _ASPIRATION.sub("", text).translate(_CLASSES)
    return _DOUBLED.sub(r"\1", _VOWELS.sub("", text))


def skeletons_meet(name: str, word: str) -> bool:
    """Whether two skeletons can spell one name: equal, or one begins the other (an inflected form:
    Georgian "ბრინმონტში" is "Brinmont" + "-ში"), the shorter with three consonants, or two when
    the longer adds one."""
    if name == word:
        return True
    short, long = (name, word) if len(name) <= len(word) else (word, name)
    return long.startswith(short) and (len(short) >= 3 or (len(short) == 2 and len(long) == 3))
