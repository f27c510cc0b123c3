"""Resolving a quote's surface speaker ("she", "the spokeswoman", "Die Sprecherin des
Weißen Hauses") to a named person in the article, and that person to a canonical entity.

News names a speaker once and then refers back by pronoun or role, or names the
role first and the person a paragraph later. Without a coreference model we use
three cues that hold well in news: a name inside the speaker phrase that is not a
possessor ("Biden's spokeswoman, Jen Psaki" is Psaki, not Biden); a role noun that
appears elsewhere in the article as an apposition of a name; and the nearest
preceding person mention for pronouns.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from echolot.quotes.lexicon import PRONOUNS, ROLE_NOUNS, compile_words
from echolot.quotes.spans import Span

_POSSESSOR_AFTER = re.compile(r"^\s*[’']s?\b|^[’']")
_POSSESSOR_BEFORE = re.compile(r"\b(?:von|des|der|of|для|у)\s+(?:[\w.-]+\s+){0,2}$", re.IGNORECASE)
_CLAUSE_END = re.compile(r"[.;:!?]")
_MAX_FOLLOWING = 700  # a role named before the person: look this far ahead for the name


@dataclass
class Speaker:
    surface: str | None
    span: Span | None
    entity_id: str | None = None
    name: str | None = None  # the person/organisation the speaker was resolved to
    how: str = "surface"  # surface | named | pronoun | role-apposition | role-nearest | sentence


def _is_possessor(text: str, m: dict[str, Any]) -> bool:
    if re.search(r"[’']s?$", text[m["start"]:m["end"]]):
        return True  # NER sometimes keeps the genitive inside the mention ("Joe Biden’s")
    after = text[m["end"]:m["end"] + 3]
    before = text[max(0, m["start"] - 30):m["start"]]
    return bool(_POSSESSOR_AFTER.match(after)) or (bool(_POSSESSOR_BEFORE.search(before)) and "," not in before[-25:])


class SpeakerResolver:
    """Resolves speakers of one article given its entity mentions (dicts of model.Mention)."""

    def __init__(self, text: str, lang: str | None, mentions: list[dict[str, Any]]) -> None:
        self.text = text
        self.lang = lang if lang in ROLE_NOUNS else "en"
        self.roles = compile_words(ROLE_NOUNS[self.lang])
        self.pronouns = PRONOUNS.get(self.lang, set()) | {"sie", "er", "he", "she", "он", "она"}
        self.mentions = sorted(mentions, key=lambda m: m["start"])
        self.persons = [m for m in self.mentions if m.get("type") == "PER" and not _is_possessor(text, m)]

    def _result(self, span: Span | None, m: dict[str, Any], how: str) -> Speaker:
        surface = self.text[span[0]:span[1]] if span else None
        return Speaker(surface, span, m.get("entity_id"), m.get("text") or self.text[m["start"]:m["end"]], how)

    def resolve(self, span: Span | None, cue: Span | None) -> Speaker:
        if span is None:
            return self._from_sentence(cue)
        surface = self.text[span[0]:span[1]]
        inside = [m for m in self.mentions if m["start"] >= span[0] and m["end"] <= span[1]]
        named = [m for m in inside if m.get("type") == "PER" and not _is_possessor(self.text, m)]
        if named:
            return self._result(span, named[-1], "named")
        if surface.strip().lower() in self.pronouns:
            before = [m for m in self.persons if m["end"] <= span[0]]
            if before:
                return self._result(span, before[-1], "pronoun")
            return Speaker(surface, span)
        role = self.roles.search(surface)
        if role:
            found = self._apposition(role.group(0)) or self._nearest(span)
            if found:
                return self._result(span, found[0], found[1])
        orgs = [m for m in inside if m.get("type") in {"ORG", "PER", "LOC"}]
        if orgs:
            return self._result(span, orgs[-1], "named")
        return Speaker(surface, span)

    def _apposition(self, role_word: str) -> tuple[dict[str, Any], str] | None:
        """A person named right after the same role noun elsewhere ("Sprecherin ..., Jen Psaki")."""
        word = re.compile(rf"(?<!\w){re.escape(role_word)}(?!\w)", re.IGNORECASE)
        for m in word.finditer(self.text):
            window_end = m.end() + 90
            stop = _CLAUSE_END.search(self.text, m.end(), window_end)
            window_end = stop.start() if stop else window_end
            commas = [i for i in range(m.end(), window_end) if self.text[i] == ","]
            if len(commas) >= 2:
                window_end = commas[1]
            cands = [p for p in self.persons if m.end() <= p["start"] and p["end"] <= window_end]
            if cands:
                return cands[-1], "role-apposition"
        return None

    def _nearest(self, span: Span) -> tuple[dict[str, Any], str] | None:
        before = [m for m in self.persons if m["end"] <= span[0]]
        if before:
            return before[-1], "role-nearest"
        after = [m for m in self.persons if span[1] <= m["start"] <= span[1] + _MAX_FOLLOWING]
        return (after[0], "role-nearest") if after else None

    def _from_sentence(self, cue: Span | None) -> Speaker:
        """No speaker phrase: the last person named earlier in the cue's sentence."""
        if cue is None:
            return Speaker(None, None)
        start = max(self.text.rfind(". ", 0, cue[0]), self.text.rfind("\n", 0, cue[0])) + 1
        cands = [m for m in self.persons if start <= m["start"] and m["end"] <= cue[0]]
        if cands:
            m = cands[-1]
            return Speaker(self.text[m["start"]:m["end"]], (m["start"], m["end"]), m.get("entity_id"),
                           m.get("text"), "sentence")
        return Speaker(None, None)
