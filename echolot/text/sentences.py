"""Paragraph and sentence splitting for German, English, Russian, French and the rest.

A rule-based splitter rather than a statistical one, because the failures that
matter for news are systematic and blingfire (tried first) gets them wrong:
German ordinals ("am 5. Januar", "das 20. Treffen"), abbreviations before a noun
("3 Mio. Euro. Das ist viel." is two sentences, not one), Russian initials
("В. В. Путин"). Every candidate break (., !, ?, … followed by space and a
capital) is checked against the word before it:

* an initial ("В.", "J.") or an abbreviation that never ends a sentence ("Dr.",
  "Nr.", "z.B.") never breaks;
* a number or an abbreviation that may end a sentence ("Mio.", "usw.", "2022.")
  breaks only when the next word is a typical sentence opener (article, pronoun,
  conjunction: "Das", "The", "Он") - "3 Mio. Euro" stays together, "3 Mio. Das"
  splits;
* everything else breaks.

Full stops glued to the next sentence ("about.The status") are repaired, and CJK
sentence marks break without a following space.

Every other script's sentence marks come from Unicode's Sentence_Terminal property (Hindi "।",
Armenian "։", Amharic "።", Urdu "۔", Arabic "؟", Burmese "။", Khmer "។"...): they end a sentence
wherever they stand, because none of them marks an abbreviation. A full stop before a letter of a
script without capitals (Georgian, Arabic, Devanagari...) ends a sentence too: only Latin, Greek,
Cyrillic and Armenian sentences must start with a capital. Greek's question mark is the semicolon: one between Greek words,
before a capital, ends a question. Thai, Lao, Khmer and Burmese text often
has no marks at all and separates sentences by a space: a long run of it is cut at such spaces
into pieces of bounded length (`_windows`), so a whole article never comes back as one sentence.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from echolot.model import Sentence

_PARA = re.compile(r"[^\n]+")


# Unicode's Sentence_Terminal marks of general category Po, as (first, last) code points. Written out rather
# than derived at import (that scanned 131,072 code points with `regex` in every process);
# tests/text/test_sentences.py checks the table against `regex`'s \p{Sentence_Terminal}.
_SENTENCE_TERMINAL_RANGES: tuple[tuple[int, int], ...] = (
    (0x21, 0x21), (0x2E, 0x2E), (0x3F, 0x3F), (0x589, 0x589), (0x61D, 0x61F), (0x6D4, 0x6D4), (0x700, 0x702),
    (0x7F9, 0x7F9), (0x837, 0x837), (0x839, 0x839), (0x83D, 0x83E), (0x964, 0x965), (0x104A, 0x104B),
    (0x1362, 0x1362), (0x1367, 0x1368), (0x166E, 0x166E), (0x1735, 0x1736), (0x17D4, 0x17D5), (0x1803, 0x1803),
    (0x1809, 0x1809), (0x1944, 0x1945), (0x1AA8, 0x1AAB), (0x1B5A, 0x1B5B), (0x1B5E, 0x1B5F), (0x1B7D, 0x1B7E),
    (0x1C3B, 0x1C3C), (0x1C7E, 0x1C7F), (0x2024, 0x2024), (0x203C, 0x203D), (0x2047, 0x2049), (0x2CF9, 0x2CFB),
    (0x2E2E, 0x2E2E), (0x2E3C, 0x2E3C), (0x2E53, 0x2E54), (0x3002, 0x3002), (0xA4FF, 0xA4FF), (0xA60E, 0xA60F),
    (0xA6F3, 0xA6F3), (0xA6F7, 0xA6F7), (0xA876, 0xA877), (0xA8CE, 0xA8CF), (0xA92F, 0xA92F), (0xA9C8, 0xA9C9),
    (0xAA5D, 0xAA5F), (0xAAF0, 0xAAF1), (0xABEB, 0xABEB), (0xFE12, 0xFE12), (0xFE15, 0xFE16), (0xFE52, 0xFE52),
    (0xFE56, 0xFE57), (0xFF01, 0xFF01), (0xFF0E, 0xFF0E), (0xFF1F, 0xFF1F), (0xFF61, 0xFF61), (0x10A56, 0x10A57),
    (0x10F55, 0x10F59), (0x10F86, 0x10F89), (0x11047, 0x11048), (0x110BE, 0x110C1), (0x11141, 0x11143),
    (0x111C5, 0x111C6), (0x111CD, 0x111CD), (0x111DE, 0x111DF), (0x11238, 0x11239), (0x1123B, 0x1123C),
    (0x112A9, 0x112A9), (0x1144B, 0x1144C), (0x115C2, 0x115C3), (0x115C9, 0x115D7), (0x11641, 0x11642),
    (0x1173C, 0x1173E), (0x11944, 0x11944), (0x11946, 0x11946), (0x11A42, 0x11A43), (0x11A9B, 0x11A9C),
    (0x11C41, 0x11C42), (0x11EF7, 0x11EF8), (0x16A6E, 0x16A6F), (0x16AF5, 0x16AF5), (0x16B37, 0x16B38),
    (0x16B44, 0x16B44), (0x16E98, 0x16E98), (0x1BC9F, 0x1BC9F), (0x1DA88, 0x1DA88),
)


def _sentence_terminals() -> str:
    """Every Sentence_Terminal punctuation mark, from the table above."""
    return "".join(chr(cp) for first, last in _SENTENCE_TERMINAL_RANGES for cp in range(first, last + 1))


# Sentence_Terminal marks that end a clause rather than a sentence: Burmese "၊" is the comma of a
# text whose full stop is "။"; the one dot leader is Armenian's colon ("mijaket") and a leader.
_NOT_ENDS = "\u104a\u2024"
# marks of a script's own punctuation that Unicode leaves out of Sentence_Terminal: Tibetan shad, nyis shad
_EXTRA_ENDS = "\u0f0d\u0f0e"
_TERMINALS = "".join(ch for ch in _sentence_terminals() if ch not in _NOT_ENDS) + _EXTRA_ENDS
# marks of Latin-style punctuation (ASCII, General and Supplemental Punctuation): they need a space after
# them and are judged by the next word's case, as "!" and "?" always were
_LATIN_MARKS = "".join(ch for ch in _TERMINALS
                       if ord(ch) < 0x80 or 0x2000 <= ord(ch) <= 0x206F or 0x2E00 <= ord(ch) <= 0x2E7F) + "…"
# full-width marks of East Asian text ("。", "！", "．"): no space follows them
_WIDE_MARKS = "".join(ch for ch in _TERMINALS if unicodedata.east_asian_width(ch) in "WFH")
# every script's own marks (Hindi "।", Armenian "։", Arabic "؟"...): they end a sentence wherever they stand
_SCRIPT_MARKS = "".join(ch for ch in _TERMINALS if ch not in _LATIN_MARKS and ch not in _WIDE_MARKS)
_CLOSING = "\"'”“’»«)]"
_ARMENIAN_UPPER = "\u0531-\u0556"
_ARMENIAN = _ARMENIAN_UPPER + "\u0561-\u0587"
_GREEK_UPPER = "\u0386\u0388-\u038f\u0391-\u03a9"
_GREEK = "\u0386-\u03ce\u1f00-\u1ffc"
# Greek's question mark is ";" (U+037E, which normalises to the ASCII semicolon): a semicolon between Greek
# words, before a capital, ends a question ("Τι έγινε; Η κυβέρνηση ..."); Greek's own semicolon is "·"
_GREEK_QUESTION = ";\u037e"


def _charset(chars: str) -> str:
    return "[" + "".join(re.escape(ch) for ch in chars) + "]"


_CANDIDATE = re.compile(
    # every branch starts at one of these characters; saying so first lets the scan skip the others fast
    "(?=" + _charset(_LATIN_MARKS + _WIDE_MARKS + _SCRIPT_MARKS + ":" + _GREEK_QUESTION) + ")(?:"
    r"(?:\.{3}|" + _charset(_LATIN_MARKS) + "+)" + _charset(_CLOSING) + r"*(?=\s)"  # terminator + closing quotes, then space
    r"|" + _charset(_WIDE_MARKS) + "+[」』”）]*"  # CJK: no space needed
    r"|" + _charset(_SCRIPT_MARKS) + "+" + _charset(_CLOSING) + "*"  # any other script's marks: no space needed
    r"|(?<=[a-zäöüßàâçéèêëîïôûùüÿñа-яё]{3})\.(?=[A-ZÄÖÜА-ЯЁ][a-zäöüßа-яё])"  # "about.The"
    # Armenian typed with a Latin keyboard: ":" stands for the full stop "։" (Armenian's colon is a dot)
    r"|(?<=[" + _ARMENIAN + r"]):(?=\s+[" + _ARMENIAN_UPPER + "])"
    r"|(?<=[" + _GREEK + "])" + _charset(_GREEK_QUESTION) + r"(?=\s+[«\"“]?[" + _GREEK_UPPER + "])"
    ")"
)
_OPENERS = "\"'„“”«»‘’‚([–—-"
_PREV_TOKEN = re.compile(r"(\S+)$")

# never end a sentence (titles, "number", "for example", initials of Russian patronymics)
_ALWAYS = set([
    "dr", "prof", "nr", "mr", "mrs", "ms", "st", "sr", "jr", "vs", "vgl", "ca", "z.b", "z", "d", "u.a", "o.ä", "sog", "evtl",
    "ggf", "inkl", "zb", "dh", "ua", "abs", "art", "str", "hl", "gen", "col", "lt", "sgt", "gov", "sen", "rep", "rev", "fig",
    "abb", "bd", "kap", "tel", "mme", "mlle", "m", "me", "pp", "cf", "e.g", "i.e", "approx", "dipl", "ing", "mag", "rer", "nat",
    "med", "им", "ул", "пр", "т.е", "т.к", "т.н", "т.д", "т.п", "и.о", "тов", "гр", "ст", "см", "напр", "проф", "д-р", "акад",
    "св", "пос", "обл", "р-н"
])
# may end a sentence; break only before a typical sentence opener
_AMBIGUOUS = set([
    "mio", "mrd", "tsd", "mill", "no", "milliarden", "usw", "etc", "bzw", "jh", "jhd", "jhs", "chr", "u.s", "u.k", "u.n", "e.u",
    "inc", "ltd", "co", "corp", "bros", "dept", "est", "г", "гг", "млн", "млрд", "тыс", "руб", "коп", "долл", "трлн", "ч", "мин",
    "сек", "вв"
])
# abbreviations of one language only, where the same letters end sentences elsewhere (English "ok."):
# Polish "ok." (about), "np." (for example), "tzw." (so-called), "ul." (street), "godz." (hour)...
_ALWAYS_IN = {"pl": frozenset({"ok", "np", "tzw", "ul", "wg", "tj", "godz", "ds", "św", "płk", "ks", "m.in"})}
_STARTERS = set([
    "der", "die", "das", "dem", "den", "des", "ein", "eine", "einer", "eines", "einem", "einen", "er", "sie", "es", "wir", "ihr",
    "ich", "man", "sein", "seine", "ihre", "dies", "diese", "dieser", "dieses", "damit", "dann", "denn", "doch", "aber", "auch",
    "und", "oder", "so", "da", "dort", "hier", "heute", "gestern", "morgen", "nun", "noch", "nach", "nachdem", "mit", "bei",
    "für", "von", "vor", "zu", "zum", "zur", "im", "in", "am", "an", "auf", "aus", "als", "wenn", "wie", "was", "wer", "wo",
    "warum", "weil", "obwohl", "trotz", "während", "seit", "bis", "laut", "kein", "keine", "nicht", "nur", "schon", "jetzt",
    "immer", "allerdings", "außerdem", "zudem", "dabei", "daher", "deshalb", "jedoch", "insgesamt", "zuvor", "später", "bereits",
    "ob", "unter", "über", "gegen", "ohne", "durch", "the", "a", "an", "he", "she", "it", "we", "they", "i", "you", "this",
    "that", "these", "those", "there", "here", "his", "her", "its", "their", "our", "my", "your", "but", "and", "or", "so",
    "then", "yet", "however", "meanwhile", "on", "at", "for", "from", "with", "by", "after", "before", "when", "while", "if",
    "as", "according", "since", "until", "also", "not", "no", "it's", "what", "who", "why", "how", "он", "она", "оно", "они",
    "мы", "я", "вы", "ты", "это", "этот", "эта", "эти", "в", "во", "на", "по", "с", "со", "к", "из", "за", "от", "о", "об",
    "при", "для", "но", "и", "а", "же", "также", "однако", "тогда", "потом", "как", "когда", "если", "что", "где", "кто",
    "по-прежнему", "ранее", "сейчас", "теперь", "le", "la", "les", "un", "une", "des", "il", "elle", "ils", "elles", "nous",
    "vous", "je", "on", "ce", "cette", "ces", "cet", "mais", "et", "ou", "donc", "puis", "alors", "en", "dans", "au", "aux",
    "du", "selon", "depuis", "après", "avant", "pour", "par", "sur"
])


def split_paragraphs(text: str) -> list[str]:
    """Non-empty paragraphs (one per line), whitespace-normalised inside each."""
    return [_normalise(m.group()) for m in _PARA.finditer(text) if m.group().strip()]


def _normalise(text: str) -> str:
    return re.sub(r"[ \t\u00a0]+", " ", text).strip()


def _next_word(rest: str) -> str:
    stripped = rest.lstrip().lstrip(_OPENERS).lstrip()
    match = re.match(r"[\w'’-]+", stripped)
    return match.group() if match else stripped[:1]


_LOOK = 200  # characters read before/after a candidate: bounded, so a huge paragraph stays linear


# alphabets whose sentences start with a capital: a lower-case letter after a full stop continues the sentence
# there; Georgian has capitals (Mtavruli) since Unicode 11 but never starts a sentence with them
_CASED_SCRIPTS = ("LATIN", "GREEK", "CYRILLIC", "ARMENIAN")


def _starts_lowercase(first: str) -> bool:
    """Whether `first` is a small letter of an alphabet whose sentences begin with a capital."""
    return first.islower() and unicodedata.name(first, "").startswith(_CASED_SCRIPTS)


def _is_break(paragraph: str, match: re.Match[str], lang: str | None) -> bool:
    """Whether the candidate terminator `match` really ends a sentence."""
    mark = match.group()
    rest = paragraph[match.end():match.end() + _LOOK]
    if not rest.strip() and not paragraph[match.end():].strip():
        return False  # end of paragraph: nothing to split off
    if mark[0] in _WIDE_MARKS or mark[0] in _SCRIPT_MARKS:
        # "।", "։", "؟", "。"...: never an abbreviation, but "01։23" is a time and "３．５" a number
        return not (paragraph[match.start() - 1:match.start()].isdigit() and rest[:1].isdigit())
    if mark == ":" or mark in _GREEK_QUESTION:
        return True  # only matches between Armenian words / before a capital after a Greek word
    word = _next_word(rest)
    if not word:
        return False
    first = word[0]
    if _starts_lowercase(first):
        return False  # sentences do not start in lowercase ("„Warum?“, fragte er")
    if not mark.startswith("."):
        return True  # ! ? …
    if mark.startswith("..."):
        return True
    if not rest[:1].isspace():
        return True  # glued "about.The"
    prev = _PREV_TOKEN.search(paragraph[max(0, match.start() - _LOOK):match.start()])
    token = prev.group(1).lstrip(_OPENERS) if prev else ""
    lowered = token.lower()
    if len(token) == 1 and token.isalpha() and token.isupper():
        return False  # initial: "В. В. Путин", "J. Smith"
    if lowered in _ALWAYS or lowered in _ALWAYS_IN.get(lang or "", ()):
        return False
    opener = word.lower() in _STARTERS
    if lowered in _AMBIGUOUS:
        return opener
    if re.fullmatch(r"\d{1,4}", token):
        # German ordinals and dates ("am 5. Januar", "das 20. Treffen"); other languages have no ordinal dot
        return opener if lang in (None, "de", "da", "no", "nb", "fi", "cs", "sk", "pl", "hu", "sl", "hr") else True
    if re.fullmatch(r"(?:[A-Za-zА-Яа-я]\.)+[A-Za-zА-Яа-я]", token):
        return opener  # "U.S.", "z.B." without a listed form, "т.е."
    return True


def _spans(paragraph: str, lang: str | None = None) -> list[tuple[int, int]]:
    """(start, end) of each sentence inside `paragraph`, leading/trailing spaces excluded."""
    return list(_iter_spans(paragraph, lang))


def _iter_spans(paragraph: str, lang: str | None = None) -> Iterator[tuple[int, int]]:
    """`_spans` lazily, so a caller that needs only the first sentences stops early."""
    start = 0
    for match in _CANDIDATE.finditer(paragraph):
        if match.end() <= start or not _is_break(paragraph, match, lang):
            continue
        span = _trimmed(paragraph, start, match.end())
        if span is not None:
            yield from _windows(paragraph, *span)
        start = match.end()
    span = _trimmed(paragraph, start, len(paragraph))
    if span is not None:
        yield from _windows(paragraph, *span)


# scripts written without spaces between words, where a space separates phrases and sentences:
# Thai, Lao, Myanmar (with its extensions), Khmer (with Khmer Symbols)
_SPACELESS = "\u0e00-\u0eff\u1000-\u109f\ua9e0-\ua9ff\uaa60-\uaa7f\u1780-\u17ff\u19e0-\u19ff"
_SPACELESS_LETTER = re.compile("[" + _SPACELESS + "]")
# a space between two characters of those scripts: where such a text may end a sentence
_PHRASE_GAP = re.compile(r"(?<=[" + _SPACELESS + r"])\s+(?=[" + _SPACELESS + "])")
_WINDOW_MAX = 240  # longest piece of a long unmarked run; a Thai news sentence is ~50-150 characters
_WINDOW_MIN = 60  # a shorter piece joins the next one: a space also separates phrases and numbers


def _windows(paragraph: str, a: int, b: int) -> Iterator[tuple[int, int]]:
    """The sentence `paragraph[a:b]`, cut into pieces of at most `_WINDOW_MAX` characters when it is a long
    run of Thai, Lao, Khmer or Burmese (mostly): at the first gap between two of its letters after
    `_WINDOW_MIN` characters, else at the last space, else hard before `_WINDOW_MAX`. Nothing is dropped."""
    if b - a <= _WINDOW_MAX or not _mostly_spaceless(paragraph[a:b]):
        yield a, b
        return
    while b - a > _WINDOW_MAX:
        cut = _window_cut(paragraph, a, a + _WINDOW_MAX)
        piece = _trimmed(paragraph, a, cut)
        if piece is not None:
            yield piece
        a = cut
        while a < b and paragraph[a].isspace():
            a += 1
    if a < b:
        yield a, b


def _mostly_spaceless(text: str) -> bool:
    if _SPACELESS_LETTER.search(text) is None:
        return False  # most long sentences: no letter of those scripts at all
    letters = sum(ch.isalpha() for ch in text)
    return letters > 0 and 2 * len(_SPACELESS_LETTER.findall(text)) >= letters


def _window_cut(paragraph: str, a: int, limit: int) -> int:
    """Where the piece starting at `a` ends: an offset in (a, limit]."""
    gap = _PHRASE_GAP.search(paragraph, a + _WINDOW_MIN, limit)
    if gap is not None:
        return gap.start()
    space = max(paragraph.rfind(" ", a + 1, limit), paragraph.rfind("\u00a0", a + 1, limit))
    if space > a:
        return space
    cut = limit
    while cut > a + 1 and unicodedata.category(paragraph[cut])[0] == "M":
        cut -= 1  # never split a vowel sign or tone mark from its consonant
    return cut


def _trimmed(paragraph: str, a: int, b: int) -> tuple[int, int] | None:
    piece = paragraph[a:b]
    if not piece.strip():
        return None
    return a + len(piece) - len(piece.lstrip()), b - (len(piece) - len(piece.rstrip()))


def split_sentences_in_paragraph(paragraph: str, lang: str | None = None) -> list[str]:
    """Sentences of one paragraph (whitespace-normalised); `lang` refines the ordinal rule."""
    return [_normalise(paragraph[a:b]) for a, b in _spans(paragraph, lang)]


def split_sentences(text: str, paragraph_langs: list[str | None] | None = None) -> list[Sentence]:
    """Split `text` (one paragraph per line) into addressed sentences with offsets into `text`."""
    sentences: list[Sentence] = []
    p_index = 0
    for match in _PARA.finditer(text):
        paragraph = match.group()
        if not paragraph.strip():
            continue
        lang = paragraph_langs[p_index] if paragraph_langs and p_index < len(paragraph_langs) else None
        for a, b in _spans(paragraph, lang):
            sentences.append(Sentence(index=len(sentences), paragraph=p_index, text=_normalise(paragraph[a:b]),
                                      lang=lang, start=match.start() + a, end=match.start() + b))
        p_index += 1
    return sentences


# a language without the ordinal-dot rule: numbers always break, so no other language gives more sentences
_MOST_BREAKS = "xx"


def sentence_end_offsets(text: str, limit: int) -> list[int]:
    """End offsets (into `text`) of its first `limit` + 1 sentences at most, counted so that no
    language's rules find more: cutting after the n-th end leaves at most n sentences for any language."""
    ends: list[int] = []
    for match in _PARA.finditer(text):
        if not match.group().strip():
            continue
        for _, b in _iter_spans(match.group(), _MOST_BREAKS):
            ends.append(match.start() + b)
            if len(ends) > limit:
                return ends
    return ends


def cut_at_boundary(text: str, max_chars: int) -> tuple[str, str]:
    """(`text` cut to at most `max_chars`, which boundary was used) at the best boundary before the limit.

    Preference: the end of a sentence, then a line break, then a space; a text without
    any of them in its last tenth is cut hard ("character").
    """
    if len(text) <= max_chars:
        return text, "none"
    floor = max_chars * 9 // 10  # a boundary must keep most of the allowed text
    head = text[:max_chars + 1]
    best = 0
    for match in _CANDIDATE.finditer(head, max(0, max_chars - 20 * _LOOK)):
        if match.end() <= max_chars:
            best = match.end()
    if best >= floor:
        return head[:best].rstrip(), "sentence"
    newline = head.rfind("\n", floor, max_chars)
    if newline >= 0:
        return head[:newline].rstrip(), "line"
    space = max(head.rfind(" ", floor, max_chars + 1), head.rfind("\t", floor, max_chars + 1))
    if space >= 0:
        return head[:space].rstrip(), "word"
    return head[:max_chars], "character"


def wrap_long(line: str, max_chars: int) -> list[str]:
    """`line` as pieces of at most `max_chars`, split at sentence ends (else spaces, else anywhere)."""
    pieces: list[str] = []
    start = 0
    while len(line) - start > max_chars:
        window = line[start:start + max_chars + 1]  # bounded copy: the loop stays linear in len(line)
        piece, _ = cut_at_boundary(window, max_chars)
        if not piece.strip():
            piece = window[:max_chars]
        pieces.append(piece.strip())
        start += len(piece)
        while start < len(line) and line[start].isspace():
            start += 1
    if line[start:].strip():
        pieces.append(line[start:].strip())
    return pieces
