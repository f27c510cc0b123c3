"""What counts as a quotation worth showing: a proposition, with balanced quote marks.

Attribution taggers trained on PolNeAR also mark what a source *asks for* or *warns
against* ("called for a peaceful solution", "asked the CSTO"): bare noun phrases
that carry no claim. A reader looking for "who said what" wants the claim, so the
pipeline keeps a quote only when its content is a clause (it holds a verb) or a
quotation long enough to be a statement. The evaluation of the taggers themselves
(`echolot eval quotes`) still scores every attribution, as PolNeAR defines them.
"""
from __future__ import annotations

import re
from typing import Any

from echolot.quotes.spans import Span, tokens_in

_WORD = re.compile(r"\w+")
_MIN_QUOTED_WORDS = 4  # "Desinformationsdrehbuch der Russen" is a scare quote, not a statement
_MIN_UNPARSED_WORDS = 4  # without a parse, a content this long is almost always a clause
_FINITE_TAGS = {"VBD", "VBZ", "VBP", "MD"}  # "the Russia-led CSTO" (VBN) or "a tough response, blaming" are no clauses
_PAIRS = {"“": "”", "„": "“", "«": "»", "‘": "’", "‚": "‘", "‹": "›", "»": "«"}
_CLOSERS = {"”", "“", "»", "’", "‘", "›", "«"}


def is_proposition(text: str, span: Span, kind: str, doc: Any = None) -> bool:
    """True when the content at `span` is a clause or a statement-length quotation.

    With a spaCy parse (English) a clause must hold a finite verb or an infinitive; without one (German, Russian:
    the rule extractor already requires a complementiser, a speech-verb comma clause or
    quotation marks), length decides."""
    words = len(_WORD.findall(text[span[0]:span[1]]))
    if kind == "direct" and words < _MIN_QUOTED_WORDS:
        return False
    if doc is None:
        return words >= (_MIN_QUOTED_WORDS if kind == "direct" else _MIN_UNPARSED_WORDS) or kind == "direct"
    tokens = tokens_in(doc, span)
    if kind == "indirect" and _noun_phrase(tokens, span):
        return False
    if any(t.tag_ in _FINITE_TAGS for t in tokens):
        return True
    if any(t.tag_ == "VB" and t.i > 0 and t.nbor(-1).lower_ == "to" for t in tokens):
        return True  # "urged Moscow to withdraw its troops": an infinitive clause
    return kind == "direct" and words >= 6  # a quoted verbless headline-style statement


def _noun_phrase(tokens: list[Any], span: Span) -> bool:
    """True when the parse makes the content a noun phrase: every token whose head lies outside
    it is nominal, and no finite verb inside has its own subject inside. "has vowed *a tough
    response, initially blaming ... and organized bandit elements*" holds a (misparsed) finite
    verb, yet it is an object, not a claim."""
    heads = [t for t in tokens if not t.is_punct and (t.head.i == t.i or not span[0] <= t.head.idx < span[1])]
    if not heads or any(t.pos_ not in _NOMINAL for t in heads):
        return False
    return not any(t.tag_ in _FINITE_TAGS and any(c.dep_ in _SUBJECTS and span[0] <= c.idx < span[1]
                                                  for c in t.children) for t in tokens)


_NOMINAL = {"NOUN", "PROPN", "PRON", "NUM", "ADJ", "DET"}
_SUBJECTS = {"nsubj", "nsubjpass", "expl", "csubj"}


def balance_quotes(content: str) -> str:
    """The content with its quotation marks paired: a closing mark with no opener gets one at
    the start, an opener never closed gets its closer at the end (the stored text is unchanged;
    this is the string users read)."""
    stack: list[str] = []
    unopened: list[str] = []
    for i, ch in enumerate(content):
        if ch in "’‘" and 0 < i < len(content) - 1 and content[i - 1].isalpha() and content[i + 1].isalpha():
            continue  # an apostrophe: Biden’s, it’s
        if stack and ch == _PAIRS.get(stack[-1]):
            stack.pop()
        elif ch in _CLOSERS and (ch not in _PAIRS or _after_letter(content, i)):
            unopened.append(ch)  # “ and ‘ open in English but close in German: after a letter they close
        elif ch in _PAIRS:
            stack.append(ch)
    prefix = "".join(_OPENER_FOR.get(c, "") for c in reversed(unopened))
    suffix = "".join(_PAIRS[c] for c in reversed(stack))
    if content.count('"') % 2:  # a straight mark opens and closes alike: its side says which it is
        first = content.index('"')
        if _after_letter(content, first) and not (first + 1 < len(content) and content[first + 1].isalnum()):
            prefix = '"' + prefix  # 'Terroristen" strategische ...': the opener was cut off
        else:
            suffix += '"'
    return prefix + content + suffix


_OPENER_FOR = {"”": "“", "’": "‘", "›": "‹", "»": "«", "«": "»", "“": "„", "‘": "‚"}


def _after_letter(content: str, i: int) -> bool:
    return i > 0 and not content[i - 1].isspace() and content[i - 1] not in "([{"
