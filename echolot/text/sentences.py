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
"""
from __future__ import annotations

import re

from echolot.model import Sentence

_PARA = re.compile(r"[^\n]+")
_CANDIDATE = re.compile(
    r"(?:\.{3}|[.!?…]+)[\"'”“’»«)\]]*(?=\s)"  # terminator + closing quotes, then space
    r"|[。！？]+[」』”）]*"  # CJK: no space needed
    r"|(?<=[a-zäöüßàâçéèêëîïôûùüÿñа-яё]{3})\.(?=[A-ZÄÖÜА-ЯЁ][a-zäöüßа-яё])"  # "about.The"
)
_OPENERS = "\"'„“”«»‘’‚([–—-"
_PREV_TOKEN = re.compile(r"(\S+)$")

# never end a sentence (titles, "number", "for example", initials of Russian patronymics)
_ALWAYS = set("""
dr prof nr mr mrs ms st sr jr vs vgl ca z.b z d u.a o.ä sog evtl ggf inkl zb dh ua abs art str hl
gen col lt sgt gov sen rep rev fig abb bd kap tel mme mlle m me pp cf e.g i.e approx dipl ing mag rer nat med
им ул пр т.е т.к т.н т.д т.п и.о тов гр ст см напр проф д-р акад св пос обл р-н
""".split())
# may end a sentence; break only before a typical sentence opener
_AMBIGUOUS = set("""
mio mrd tsd mill no milliarden usw etc bzw jh jhd jhs chr u.s u.k u.n e.u inc ltd co corp bros dept est
г гг млн млрд тыс руб коп долл трлн ч мин сек вв
""".split())
_STARTERS = set("""
der die das dem den des ein eine einer eines einem einen er sie es wir ihr ich man sein seine ihre dies diese dieser
dieses damit dann denn doch aber auch und oder so da dort hier heute gestern morgen nun noch nach nachdem mit bei für
von vor zu zum zur im in am an auf aus als wenn wie was wer wo warum weil obwohl trotz während seit bis laut kein
keine nicht nur schon jetzt immer allerdings außerdem zudem dabei daher deshalb jedoch insgesamt zuvor später
bereits ob unter über gegen ohne durch
the a an he she it we they i you this that these those there here his her its their our my your but and or so
then yet however meanwhile on at for from with by after before when while if as according since until also not
no it's what who why how
он она оно они мы я вы ты это этот эта эти в во на по с со к из за от о об при для но и а же также однако тогда
потом как когда если что где кто по-прежнему ранее сейчас теперь
le la les un une des il elle ils elles nous vous je on ce cette ces cet mais et ou donc puis alors en dans au aux
du selon depuis après avant pour par sur
""".split())


def split_paragraphs(text: str) -> list[str]:
    """Non-empty paragraphs (one per line), whitespace-normalised inside each."""
    return [_normalise(m.group()) for m in _PARA.finditer(text) if m.group().strip()]


def _normalise(text: str) -> str:
    return re.sub(r"[ \t\u00a0]+", " ", text).strip()


def _next_word(rest: str) -> str:
    stripped = rest.lstrip().lstrip(_OPENERS).lstrip()
    match = re.match(r"[\w'’-]+", stripped)
    return match.group() if match else stripped[:1]


def _is_break(paragraph: str, match: re.Match[str], lang: str | None) -> bool:
    """Whether the candidate terminator `match` really ends a sentence."""
    mark = match.group()
    rest = paragraph[match.end():]
    if not rest.strip():
        return False  # end of paragraph: nothing to split off
    if mark[0] in "。！？":
        return True
    word = _next_word(rest)
    if not word:
        return False
    first = word[0]
    if first.islower():
        return False  # sentences do not start in lowercase ("„Warum?“, fragte er")
    if not mark.startswith("."):
        return True  # ! ? …
    if mark.startswith("..."):
        return True
    if not rest[:1].isspace():
        return True  # glued "about.The"
    prev = _PREV_TOKEN.search(paragraph[:match.start()])
    token = prev.group(1).lstrip(_OPENERS) if prev else ""
    lowered = token.lower()
    if len(token) == 1 and token.isalpha() and token.isupper():
        return False  # initial: "В. В. Путин", "J. Smith"
    if lowered in _ALWAYS:
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
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _CANDIDATE.finditer(paragraph):
        if match.end() <= start or not _is_break(paragraph, match, lang):
            continue
        spans.append((start, match.end()))
        start = match.end()
    spans.append((start, len(paragraph)))
    out: list[tuple[int, int]] = []
    for a, b in spans:
        piece = paragraph[a:b]
        if not piece.strip():
            continue
        a += len(piece) - len(piece.lstrip())
        b -= len(piece) - len(piece.rstrip())
        out.append((a, b))
    return out


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
