"""Latin spellings of names written in Brahmic scripts (Devanagari, Bengali, Gurmukhi, Gujarati, ...).

Name matching across languages folds every name to Latin letters (`entities.canonical.fold_token`).
A generic transliterator (unidecode) reads an Indic consonant letter without its vowel: "पुतिन" comes
out "putin", right by luck, but "जेलेंस्की" "jeleNskii", "ट्रंप" "ttrNp", "वाशिंगटन" "vaashinggttn".
Hindi writes a consonant's vowel "a" by leaving it out (the inherent vowel), and drops that vowel
again in speech at the end of a word and between two single consonants; English and ISO spellings
of the same names follow the speech. This module writes a word the way those spellings do:

* the inherent "a" after a consonant that carries neither a vowel sign nor a virama, dropped at the
  end of a word and in the usual medial context (a vowel, one consonant, the "a", one consonant, a
  vowel: "वाशिंगटन" -> "vashingtan"), scanned right to left (Ohala's rule for Hindi); kept after a
  conjunct ending in y / r / v at the end ("मिश्र" -> "mishra", "सत्य" -> "satya");
* long and short vowels alike ("ई" -> "i", "ू" -> "u"): English spellings do not mark length;
* nukta letters as the sounds they write in loanwords (ज़ z, फ़ f, क़ q, ड़ r);
* anusvara and chandrabindu as "m" before a lip consonant and "n" elsewhere ("ट्रंप" -> "tramp");
  visarga "h".

The Brahmic scripts share one layout (ISCII's): a letter sits at the same offset of every script's
Unicode block, so one table by offset serves them all, with a few per-script readings (Bengali writes
"b" and "v" with one letter; Gurmukhi's tippi is a nasal). Dravidian scripts (Tamil, Telugu, Kannada,
Malayalam) pronounce the inherent vowel, so it is never dropped there.

Pure and small: the entities stage calls it for every Indic mention.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Unicode blocks of the Brahmic scripts laid out like Devanagari: first code point -> script name
BLOCKS: dict[int, str] = {
    0x0900: "deva", 0x0980: "beng", 0x0A00: "guru", 0x0A80: "gujr", 0x0B00: "orya",
    0x0B80: "taml", 0x0C00: "telu", 0x0C80: "knda", 0x0D00: "mlym",
}
_BLOCK_SIZE = 0x80
_DRAVIDIAN = frozenset({"taml", "telu", "knda", "mlym"})  # the inherent vowel is spoken: never dropped

# consonants by offset in the block (ISCII order)
_CONSONANTS: dict[int, str] = {
    0x15: "k", 0x16: "kh", 0x17: "g", 0x18: "gh", 0x19: "n",
    0x1A: "ch", 0x1B: "chh", 0x1C: "j", 0x1D: "jh", 0x1E: "n",
    0x1F: "t", 0x20: "th", 0x21: "d", 0x22: "dh", 0x23: "n",
    0x24: "t", 0x25: "th", 0x26: "d", 0x27: "dh", 0x28: "n", 0x29: "n",
    0x2A: "p", 0x2B: "ph", 0x2C: "b", 0x2D: "bh", 0x2E: "m",
    0x2F: "y", 0x30: "r", 0x31: "r", 0x32: "l", 0x33: "l", 0x34: "l", 0x35: "v",
    0x36: "sh", 0x37: "sh", 0x38: "s", 0x39: "h",
    # Devanagari's precomposed nukta letters (NFC writes them as letter + nukta; both are read)
    0x58: "q", 0x59: "kh", 0x5A: "g", 0x5B: "z", 0x5C: "r", 0x5D: "rh", 0x5E: "f", 0x5F: "y",
}
# a consonant + nukta: the loanword sound it writes
_NUKTA: dict[str, str] = {"k": "q", "kh": "kh", "g": "g", "j": "z", "jh": "zh", "d": "r", "dh": "rh",
                          "ph": "f", "y": "y"}
# independent vowels by offset (length not marked, as English spellings do not)
_VOWELS: dict[int, str] = {
    0x04: "a", 0x05: "a", 0x06: "a", 0x07: "i", 0x08: "i", 0x09: "u", 0x0A: "u", 0x0B: "ri", 0x0C: "li",
    0x0D: "e", 0x0E: "e", 0x0F: "e", 0x10: "ai", 0x11: "o", 0x12: "o", 0x13: "o", 0x14: "au",
    0x60: "ri", 0x61: "li", 0x72: "e",
}
# dependent vowel signs by offset
_SIGNS: dict[int, str] = {
    0x3A: "o", 0x3B: "o", 0x3E: "a", 0x3F: "i", 0x40: "i", 0x41: "u", 0x42: "u", 0x43: "ri", 0x44: "ri",
    0x45: "e", 0x46: "e", 0x47: "e", 0x48: "ai", 0x49: "o", 0x4A: "o", 0x4B: "o", 0x4C: "au",
    0x4E: "e", 0x4F: "au", 0x55: "e", 0x56: "ai", 0x57: "au", 0x62: "li", 0x63: "li",
}
_NASALS = {0x01, 0x02}  # chandrabindu, anusvara
_VISARGA = 0x03
_NUKTA_SIGN = 0x3C
_VIRAMA = 0x4D
_LIPS = frozenset({"p", "ph", "b", "bh", "m", "f"})
_KEEP_FINAL_AFTER = frozenset({"y", "r", "v"})  # "मिश्र" mishra, "सत्य" satya, "इंद्र" indra

# per-script readings where a script departs from the shared layout
_SCRIPT_CONSONANTS: dict[str, dict[int, str]] = {
    "beng": {0x2F: "j", 0x5C: "r", 0x5D: "rh", 0x5F: "y"},  # Bengali য is "j", য় "y", ড় / ঢ় "r" / "rh"
    "guru": {0x59: "kh", 0x5A: "g", 0x5B: "z", 0x5C: "r", 0x5E: "f"},
    "orya": {0x5C: "r", 0x5D: "rh", 0x5F: "y", 0x71: "v"},
    "taml": {0x34: "zh"},
    "mlym": {0x7A: "n", 0x7B: "n", 0x7C: "r", 0x7D: "l", 0x7E: "l", 0x7F: "k"},  # chillu: no vowel
}
_SCRIPT_NASALS: dict[str, set[int]] = {"guru": {0x70}}  # Gurmukhi tippi
_CHILLU = frozenset({0x7A, 0x7B, 0x7C, 0x7D, 0x7E, 0x7F})  # Malayalam consonants that never carry a vowel
_CARRIERS: dict[str, set[int]] = {"guru": {0x72, 0x73}}  # Gurmukhi vowel bearers ੲ ੳ: the sign gives the sound


@dataclass
class _Unit:
    """One sound of a word: a consonant, a vowel (written or inherent), a nasal or a visarga."""

    kind: str  # "C" consonant, "V" written vowel, "A" inherent vowel, "N" nasal, "H" visarga, "O" other
    text: str


def script_of(ch: str) -> str | None:
    """The Brahmic script whose block holds `ch` ("deva", "beng", ...), or None."""
    code = ord(ch)
    base = code - code % _BLOCK_SIZE
    return BLOCKS.get(base)


def is_indic(text: str) -> bool:
    """Whether `text` holds a letter of a Brahmic script listed in `BLOCKS`."""
    return any(script_of(ch) is not None for ch in text)


@lru_cache(maxsize=65536)
def romanize(word: str, loan: bool = False) -> str:
    """`word` in Latin letters as English spellings of names write it ("पुतिन" -> "putin").

    With `loan` (Devanagari only), the word is read as a foreign name written the way Hindi news often writes one: the
    nukta left out ("जेलेंस्की" for "ज़ेलेंस्की": ज is "z", झ "zh"), ै for the vowel English writes "a"
    ("मैक्रों" Macron, "हैरिस" Harris), आइ for the one it writes "i" ("बाइडेन" Biden) and the spoken
    inherent vowel as "e", the short vowel English loans most often write there ("ब्लिंकन" Blinken,
    "मर्केल" Merkel, "हिटलर" Hitler), and a first ए as "a" ("एंटनी" Antony). An Indian name is read right without it ("जयशंकर" jayshankar,
    "कैलाश" kailash), so a name is looked up under both readings.

    Characters of no Brahmic script pass through unchanged (digits, Latin letters, punctuation), so a
    mixed token keeps its other parts. Indic digits become ASCII digits."""
    scripts = {script_of(ch) for ch in word} - {None}
    loan = loan and scripts == {"deva"}  # Hindi's conventions for foreign names, not Tamil's "ai"
    units = _units(unicodedata.normalize("NFC", word), loan)
    if scripts and not scripts & _DRAVIDIAN:
        _drop_schwas(units, after_cluster=loan)
    if loan:
        _loan_monosyllable(units)
    return _spell(units, "m" if scripts & _DRAVIDIAN else "n", "ng" if scripts == {"beng"} else "n")


def _units(word: str, loan: bool = False) -> list[_Unit]:
    """Read the word into sounds; every consonant gets an inherent "A" that a sign or virama replaces."""
    units: list[_Unit] = []
    for ch in word:
        script = script_of(ch)
        if script is None:
            units.append(_Unit("O", ch))
            continue
        _read(units, script, ord(ch) % _BLOCK_SIZE, ch)
        if loan:
            _loan_sound(units, ord(ch) % _BLOCK_SIZE)
    return units


_LOAN_CONSONANTS = {0x1C: "z", 0x1D: "zh"}  # ज, झ without their nukta ("प्रिगोझिन" Prigozhin)
_LOAN_SIGNS = {0x48: "a"}  # ै
_I_VOWELS, _E_VOWEL = {0x07, 0x08}, 0x0F  # इ, ई; ए


def _loan_sound(units: list[_Unit], offset: int) -> None:
    """Re-read the sound just added as a foreign name's (`romanize`'s `loan`)."""
    if offset in _LOAN_CONSONANTS and units[-2].kind == "C":
        units[-2].text = _LOAN_CONSONANTS[offset]
    if units[-1].kind == "A":
        units[-1].text = "e"  # the short vowel of a closed syllable: "ब्लिंकन" Blinken, "मर्केल" Merkel
    elif offset in _LOAN_SIGNS and units[-1].kind == "V":
        units[-1].text = _LOAN_SIGNS[offset]
    elif offset in _I_VOWELS and len(units) >= 2 and units[-2].kind == "V" and units[-2].text == "a":
        units[-2].text = ""  # आइ: English "i" ("बाइडेन" Biden)
    elif offset == _E_VOWEL and len(units) == 1:
        units[0].text = "a"  # a first ए: English "a" ("एंटनी" Antony, "एडम" Adam)


def _read(units: list[_Unit], script: str, offset: int, ch: str) -> None:
    """Add the sound of one Indic character (at `offset` in its block) to `units`."""
    consonant = _SCRIPT_CONSONANTS.get(script, {}).get(offset) or _CONSONANTS.get(offset)
    if consonant is not None:
        units.append(_Unit("C", consonant))
        if not (script == "mlym" and offset in _CHILLU):
            units.append(_Unit("A", "a"))
    elif offset == _NUKTA_SIGN:
        _apply_nukta(units)
    elif offset in _SIGNS:
        _replace_inherent(units, _Unit("V", _SIGNS[offset]))
    elif offset == _VIRAMA:
        _replace_inherent(units, None)
    elif offset in _NASALS or offset in _SCRIPT_NASALS.get(script, set()):
        units.append(_Unit("N", "n" if offset != 0x02 else "ng"))  # anusvara; "ng" is Bengali's reading
    elif offset == _VISARGA:
        units.append(_Unit("H", "h"))
    elif offset in _CARRIERS.get(script, set()):
        units.append(_Unit("V", ""))  # the vowel sign after it replaces this empty vowel
    elif offset in _VOWELS:
        units.append(_Unit("V", _VOWELS[offset]))
    elif unicodedata.category(ch) == "Nd":
        units.append(_Unit("O", str(unicodedata.digit(ch))))
    # avagraha, danda, abbreviation signs, addak, stress marks: no sound of their own


def _apply_nukta(units: list[_Unit]) -> None:
    """A nukta changes the consonant before it (which may already carry its inherent vowel)."""
    for unit in reversed(units[-2:]):
        if unit.kind == "C":
            unit.text = _NUKTA.get(unit.text, unit.text)
            return


def _replace_inherent(units: list[_Unit], sign: _Unit | None) -> None:
    """A vowel sign or virama takes the place of the inherent vowel of the consonant before it."""
    if units and units[-1].kind == "A":
        units.pop()
    elif units and units[-1].kind == "V" and units[-1].text == "" and sign is not None:
        units.pop()  # a Gurmukhi vowel bearer: the sign is the vowel
    if sign is not None:
        units.append(sign)


def _loan_monosyllable(units: list[_Unit]) -> None:
    """In a loan of one syllable the inherent vowel before a nasal or "s" and another consonant is English
    "u" ("ट्रंप" Trump, "मस्क" Musk, "हंट" Hunt), the only short vowel Hindi writes with it there."""
    vowels = [i for i, u in enumerate(units) if _is_vowel(u)]
    if len(vowels) != 1 or units[vowels[0]].kind != "A" or vowels[0] + 2 >= len(units):
        return
    after, then = units[vowels[0] + 1], units[vowels[0] + 2]
    if then.kind == "C" and (after.kind == "N" or (after.kind == "C" and after.text in ("n", "m", "s"))):
        units[vowels[0]].text = "u"


def _is_vowel(unit: _Unit) -> bool:
    return unit.kind in ("V", "A")


def _drop_schwas(units: list[_Unit], after_cluster: bool = False) -> None:
    """Hindi's schwa deletion: the last inherent vowel of a word of two or more syllables, and each
    inherent vowel between a vowel + one consonant and one consonant + a vowel, right to left (a
    dropped vowel makes a cluster, which protects the vowel before it). With `after_cluster` (a loan's
    reading) also one between two consonants and a consonant + vowel: a foreign cluster written without
    its virama ("येल्तसिन" Yeltsin), where a Hindi word would speak it ("दुश्मनी" dushmani)."""
    if units and units[-1].kind == "A" and sum(_is_vowel(u) for u in units) > 1 \
            and (after_cluster or not _kept_final(units)):  # a loan ends as spelt ("अलेक्सांद्र" Aleksandr)
        units.pop()
    for i in range(len(units) - 1, 1, -1):
        if units[i].kind != "A" or i + 2 >= len(units):
            continue
        before = i - 2
        while before > 0 and units[before].kind in ("N", "H"):  # a nasalised vowel is still a vowel
            before -= 1
        spoken_before = _is_vowel(units[before]) or (after_cluster and units[i - 2].kind == "C")
        if units[i - 1].kind == "C" and spoken_before and units[i + 1].kind == "C" and _is_vowel(units[i + 2]):
            del units[i]


def _kept_final(units: list[_Unit]) -> bool:
    """A final inherent vowel after a conjunct ending in y, r or v is spoken ("mishra", "satya")."""
    return len(units) >= 3 and units[-3].kind == "C" and units[-2].text in _KEEP_FINAL_AFTER \
        and units[-2].kind == "C"


def _spell(units: list[_Unit], final_nasal: str = "n", anusvara: str = "n") -> str:
    """Write the sounds: a nasal is "m" before a lip consonant, else `anusvara` ("ng" in Bengali:
    "বাংলাদেশ" Bangladesh) or "n" for a chandrabindu, and `final_nasal` at the end ("m" in the
    Dravidian scripts: "കേരളം" Keralam)."""
    out: list[str] = []
    for i, unit in enumerate(units):
        if unit.kind == "N":
            after = units[i + 1] if i + 1 < len(units) else None
            if after is None or after.kind == "O":
                out.append(final_nasal)
            elif after.kind == "C" and after.text in _LIPS:
                out.append("m")
            else:
                out.append(anusvara if unit.text == "ng" else "n")
        else:
            out.append(unit.text)
    return "".join(out)
