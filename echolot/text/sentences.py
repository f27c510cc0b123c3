"""Paragraph and sentence splitting for German, English, Russian and the rest.

blingfire splits well in general but breaks German ordinals ("am 5. Januar"),
abbreviations ("Mio.", "Dr.") and Russian initials ("В. В. Путин"). We split
paragraphs first, run blingfire per paragraph, then glue back the pieces that end
in one of those tokens.
"""
from __future__ import annotations

import re

import blingfire

from echolot.model import Sentence

_PARA_SPLIT = re.compile(r"\n\s*\n|\n")
_MONTHS = (
    "januar|februar|märz|maerz|april|mai|juni|juli|august|september|oktober|november|dezember|"
    "jan|feb|mär|apr|jun|jul|aug|sep|sept|okt|nov|dez|jahrhundert|jh|jahrestag|lebensjahr|"
    "mal|platz|stelle|klasse|liga|runde|spieltag|etage|stock|kapitel|auflage|ausgabe|treffen|sitzung"
)
# a piece ending in one of these must not end a sentence
_NO_BREAK_END = re.compile(
    r"(?:\b(?:Mio|Mrd|Tsd|Nr|Dr|Prof|bzw|ca|vgl|usw|etc|z\.B|z\.\s?B|d\.h|u\.a|o\.ä|u\.s\.w|Jh|Jhd|Abs|Art|Str|"
    r"St|Mr|Mrs|Ms|Jr|Sr|Gen|Col|Lt|Sgt|Gov|Sen|Rep|Rev|No|vs|Inc|Ltd|Co|Corp|Fig|Abb|"
    r"т\.е|т\.д|т\.п|г|гг|ул|им|др|пр|млн|млрд|тыс|руб|коп|с\.|т)\.)$"
    r"|(?:\b\d{1,4}\.)$"  # ordinals / dates: "5." "20."
    r"|(?:\b[A-ZА-ЯЁ]\.)$",  # initials: "В." "J."
)
_STARTS_LOWER = re.compile(r"^[\"'„“«(]*[a-zäöüßа-яё0-9]")
_NEXT_IS_MONTH = re.compile(rf"^(?:{_MONTHS})\b", re.IGNORECASE)


def split_paragraphs(text: str) -> list[str]:
    """Non-empty paragraphs, whitespace-normalised inside each."""
    return [re.sub(r"[ \t\u00a0]+", " ", p).strip() for p in _PARA_SPLIT.split(text) if p.strip()]


def _should_join(prev: str, nxt: str) -> bool:
    if not _NO_BREAK_END.search(prev):
        return False
    tail = prev.rsplit(None, 1)[-1]
    if re.fullmatch(r"\d{1,4}\.", tail):
        # "5. Januar", "20. Treffen", "im 19. jahrhundert": ordinal + noun/month
        return bool(_NEXT_IS_MONTH.match(nxt)) or bool(_STARTS_LOWER.match(nxt)) or nxt[:1].isupper()
    return True


def split_sentences_in_paragraph(paragraph: str) -> list[str]:
    """Sentences of one paragraph, with ordinal/abbreviation/initial breaks repaired."""
    pieces = [p.strip() for p in blingfire.text_to_sentences(paragraph).split("\n") if p.strip()]
    out: list[str] = []
    for piece in pieces:
        if out and _should_join(out[-1], piece):
            out[-1] = out[-1] + " " + piece
        else:
            out.append(piece)
    return out


def split_sentences(text: str, paragraph_langs: list[str | None] | None = None) -> list[Sentence]:
    """Split `text` (paragraphs separated by newlines) into addressed sentences with offsets."""
    sentences: list[Sentence] = []
    cursor = 0
    for p_index, paragraph in enumerate(split_paragraphs(text)):
        lang = paragraph_langs[p_index] if paragraph_langs and p_index < len(paragraph_langs) else None
        for piece in split_sentences_in_paragraph(paragraph):
            start = text.find(piece, cursor)
            if start < 0:  # whitespace was normalised; fall back to a loose position
                start = cursor
            end = start + len(piece) if start >= cursor else cursor
            cursor = max(cursor, end)
            sentences.append(Sentence(index=len(sentences), paragraph=p_index, text=piece,
                                      lang=lang, start=start, end=end))
    return sentences
