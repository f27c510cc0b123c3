"""Speaker resolution: names in the phrase, possessors, pronouns, role appositions."""
from __future__ import annotations

import re

from echolot.quotes.speakers import SpeakerResolver


def mentions(text: str, names: dict[str, str]) -> list[dict]:
    out = []
    for name, typ in names.items():
        for m in re.finditer(re.escape(name), text):
            out.append({"start": m.start(), "end": m.end(), "type": typ, "text": name, "entity_id": "e:" + name})
    return out


def span_of(text: str, phrase: str, nth: int = 0) -> tuple[int, int]:
    starts = [m.start() for m in re.finditer(re.escape(phrase), text)]
    return starts[nth], starts[nth] + len(phrase)


def test_possessor_is_not_the_speaker() -> None:
    text = "Biden's spokeswoman, Jen Psaki, said it was false."
    r = SpeakerResolver(text, "en", mentions(text, {"Biden": "PER", "Jen Psaki": "PER"}))
    got = r.resolve(span_of(text, "Biden's spokeswoman, Jen Psaki"), span_of(text, "said"))
    assert got.name == "Jen Psaki" and got.entity_id == "e:Jen Psaki"


def test_possessor_inside_the_mention_and_role_named_later() -> None:
    text = "President Joe Biden’s spokeswoman has denied it. Later, Jen Psaki told reporters more."
    ms = [{"start": 10, "end": 21, "type": "PER", "text": "Joe Biden’s", "entity_id": "e:Biden"}]
    ms += mentions(text, {"Jen Psaki": "PER"})
    r = SpeakerResolver(text, "en", ms)
    got = r.resolve(span_of(text, "President Joe Biden’s spokeswoman"), span_of(text, "has denied"))
    assert (got.name, got.how) == ("Jen Psaki", "role-nearest")


def test_pronoun_resolves_to_previous_person() -> None:
    text = "Jen Psaki spoke on Wednesday. She said the claims were false."
    r = SpeakerResolver(text, "en", mentions(text, {"Jen Psaki": "PER"}))
    got = r.resolve(span_of(text, "She"), span_of(text, "said"))
    assert (got.name, got.how, got.surface) == ("Jen Psaki", "pronoun", "She")


def test_german_role_resolves_through_apposition_named_later() -> None:
    text = ("Die Sprecherin des Weißen Hauses hat erklärt, dass das falsch sei. "
            "Die Sprecherin von US-Präsident Joe Biden, Jen Psaki, hat das bestritten.")
    r = SpeakerResolver(text, "de", mentions(text, {"Joe Biden": "PER", "Jen Psaki": "PER", "Weißen Hauses": "ORG"}))
    got = r.resolve(span_of(text, "Die Sprecherin des Weißen Hauses"), span_of(text, "erklärt"))
    assert (got.name, got.how) == ("Jen Psaki", "role-apposition")


def test_russian_role_and_missing_speaker() -> None:
    text = "Пресс-секретарь Кремля Дмитрий Песков провёл брифинг. Пресс-секретарь заявил, что это ложь."
    r = SpeakerResolver(text, "ru", mentions(text, {"Дмитрий Песков": "PER"}))
    got = r.resolve(span_of(text, "Пресс-секретарь", 1), span_of(text, "заявил"))
    assert got.name == "Дмитрий Песков"
    assert r.resolve(None, None).name is None
