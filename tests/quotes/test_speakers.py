"""Speaker resolution: names in the phrase, possessors, pronouns, role appositions."""
from __future__ import annotations

import re

import pytest

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
    role, named = span_of(text, "President Joe Biden’s spokeswoman"), span_of(text, "Jen Psaki")
    r = SpeakerResolver(text, "en", ms, sources=[role, named])  # Psaki is the speaker of "told"
    got = r.resolve(role, span_of(text, "has denied"))
    assert (got.name, got.how) == ("Jen Psaki", "role-speaker")


def test_an_untied_role_stays_a_role_never_the_nearest_name() -> None:
    text = "President Joe Biden’s spokeswoman has denied it. President Vladimir Putin arrived in Minsk."
    ms = [{"start": 10, "end": 21, "type": "PER", "text": "Joe Biden’s", "entity_id": "e:Biden"}]
    ms += mentions(text, {"Vladimir Putin": "PER"})
    role = span_of(text, "President Joe Biden’s spokeswoman")
    got = SpeakerResolver(text, "en", ms, sources=[role]).resolve(role, span_of(text, "has denied"))
    assert got.entity_id is None and got.name == "President Joe Biden’s spokeswoman"


def test_role_apposition_must_agree_with_the_role_modifiers() -> None:
    text = ("Russian President Vladimir Putin met the press. The Kazakh president said the unrest was over. "
            "Kazakh President Kassym-Jomart Tokayev left for Moscow.")
    r = SpeakerResolver(text, "en", mentions(text, {"Vladimir Putin": "PER", "Kassym-Jomart Tokayev": "PER"}))
    got = r.resolve(span_of(text, "The Kazakh president"), span_of(text, "said"))
    assert (got.name, got.how) == ("Kassym-Jomart Tokayev", "role-apposition")


def test_institutions_and_documents_refer_back_to_the_institution() -> None:
    text = ("„Wir sind besorgt“, heißt es auf der Seite des russischen Außenministeriums. "
            "„Wir helfen“, machte die russische Behörde deutlich. „Es ist vorbei“, heißt es in der Erklärung.")
    first, second, third = (span_of(text, p) for p in ("des russischen Außenministeriums",
                                                        "die russische Behörde", "der Erklärung"))
    r = SpeakerResolver(text, "de", [], sources=[first, second, third])
    assert r.resolve(first, None).name == "russischen Außenministeriums"
    assert (r.resolve(second, None).how, r.resolve(third, None).how) == ("org-antecedent", "org-antecedent")
    assert r.history[-1].speaker.name == "russischen Außenministeriums"


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


def test_bare_definite_role_refers_back_and_compounds_are_appositions() -> None:
    text = ("Katastrophenschutzministerin Katarina Oblak reiste ins Gebiet. „Jetzt zählt jede Stunde“, "
            "sagte die Ministerin am Morgen.")
    r = SpeakerResolver(text, "de", mentions(text, {"Katarina Oblak": "PER"}))
    got = r.resolve(span_of(text, "die Ministerin am Morgen"), span_of(text, "sagte"))
    assert (got.name, got.how) == ("Katarina Oblak", "role-apposition")
    text = "Oleg Tarnawski thanked voters. “They spread lies,” said the president in the morning in Kressel."
    r = SpeakerResolver(text, "en", mentions(text, {"Oleg Tarnawski": "PER", "Kressel": "LOC"}))
    got = r.resolve(span_of(text, "the president in the morning in Kressel"), span_of(text, "said"))
    assert (got.name, got.how) == ("Oleg Tarnawski", "role-anaphora")


def test_a_pronoun_inside_a_short_subject_phrase_and_names_without_a_tagger() -> None:
    from echolot.entities.ner.names import recognize_persons

    text = "Marit Lindqvist habló en Velgrad. Según ella, el recuento fue lento. Lindqvist se fue."
    found = [text[s:e] for s, e, _ in recognize_persons(text)]
    assert found == ["Marit Lindqvist", "Lindqvist"]
    ms = [{"start": s, "end": e, "type": t, "text": text[s:e]} for s, e, t in recognize_persons(text)]
    got = SpeakerResolver(text, "es", ms).resolve(span_of(text, "ella"), None)
    assert (got.name, got.how) == ("Marit Lindqvist", "pronoun")
    text = "Алексей Варнов выступил в Думе. Он также сообщил, что правительство готово платить больше."
    got = SpeakerResolver(text, "ru", mentions(text, {"Алексей Варнов": "PER"})).resolve(
        span_of(text, "Он также"), span_of(text, "сообщил"))
    assert got.name == "Алексей Варнов"


def test_a_pronoun_skips_names_inside_what_someone_else_said() -> None:
    # the last person named is inside the content of Lindqvist's attribution: "she" is still Lindqvist
    text = ("Marit Lindqvist spoke in Velgrad. Lindqvist rejected claims that Oleg Tarnavsky was right. "
            "“We saw nothing,” she said.")
    ms = mentions(text, {"Marit Lindqvist": "PER", "Oleg Tarnavsky": "PER"})
    content = span_of(text, "Oleg Tarnavsky was right")
    r = SpeakerResolver(text, "en", ms, contents=[content])
    got = r.resolve(span_of(text, "she"), span_of(text, "said"))
    assert (got.name, got.how) == ("Marit Lindqvist", "pronoun")  # "Lindqvist" alone counts as her mention


def test_a_later_surname_is_a_mention_and_no_possessor_across_sentences() -> None:
    text = ("Präsident Oleg Tarnawski sprach. Die Behörden würden die Finanzierung des Bündnisses prüfen.\n"
            "Korwel wies den Vorwurf zurück. „Niemand muss bezahlt werden“, sagte sie. Nadja Korwel ging.")
    ms = mentions(text, {"Oleg Tarnawski": "PER", "Nadja Korwel": "PER"})
    ms += [{"start": text.index("Korwel wies"), "end": text.index("Korwel wies") + 6, "type": "PER", "text": "Korwel"}]
    got = SpeakerResolver(text, "de", ms).resolve(span_of(text, "sie"), span_of(text, "sagte"))
    assert got.name == "Korwel"  # not Tarnawski: "des Bündnisses prüfen." does not make Korwel a possessor


def test_an_indefinite_role_stays_a_role() -> None:
    text = ("The chair, Irina Voss, said the count was slow. A government spokesman said the poll "
            "should never have been published.")
    ms = mentions(text, {"Irina Voss": "PER"})
    chair, role = span_of(text, "The chair, Irina Voss"), span_of(text, "A government spokesman")
    r = SpeakerResolver(text, "en", ms, sources=[chair, role])
    r.resolve(chair, span_of(text, "said"))
    got = r.resolve(role, span_of(text, "said", 1))
    assert got.entity_id is None and got.name == "government spokesman"


def test_a_pro_drop_cue_continues_the_last_subject() -> None:
    text = "Marit Lindqvist habló en Velgrad. \"No hemos visto ninguna prueba\", dijo."
    r = SpeakerResolver(text, "es", mentions(text, {"Marit Lindqvist": "PER"}))
    got = r.resolve(None, span_of(text, "dijo"))
    assert (got.name, got.how) == ("Marit Lindqvist", "pro-drop")
    text = "Jen Psaki spoke. \"It is false,\" said."  # English always names its subject
    assert SpeakerResolver(text, "en", mentions(text, {"Jen Psaki": "PER"})).resolve(None, span_of(text, "said")).name is None


def test_an_oblique_pronoun_after_a_preposition() -> None:
    text = "Jonas Ekdahl a parlé. Selon lui, le résidu vient de l'usine."
    got = SpeakerResolver(text, "fr", mentions(text, {"Jonas Ekdahl": "PER"})).resolve(span_of(text, "lui"), None)
    assert (got.name, got.how) == ("Jonas Ekdahl", "pronoun")


def _resolved(lang: str, text: str, names: dict[str, str], phrase: str, cue: str) -> tuple[str | None, str | None]:
    """(name, entity id) the resolver gives the speaker phrase `phrase` of the cue `cue`."""
    got = SpeakerResolver(text, lang, mentions(text, names)).resolve(span_of(text, phrase), span_of(text, cue))
    return got.name, got.entity_id


@pytest.mark.parametrize(("lang", "text", "names", "phrase", "expected"), [
    # an anonymous source stays itself whatever name its description holds
    ("en", "A source close to Putin told Reuters that the talks would go on.", {"Putin": "PER", "Reuters": "ORG"},
     "A source close to Putin", ("source close to Putin", None)),
    ("ru", "Переговоры продолжатся, сообщил источник в окружении Путина.", {"Путина": "PER"},
     "источник в окружении Путина", ("источник в окружении Путина", None)),
    # citing sources is no source phrase: the pronoun is resolved as usual
    ("en", "Anna Berg spoke first. She said, citing sources, that the talks would go on.", {"Anna Berg": "PER"},
     "She said, citing sources", ("Anna Berg", "e:Anna Berg")),
    # a German compound role after who was told resolves to its named holder
    ("de", "Verteidigungsminister Boris Pistorius reiste nach Kiew. Die Lage sei ernst, sagte im Gespräch mit AFP "
           "der Verteidigungsminister.", {"Boris Pistorius": "PER", "AFP": "ORG"}, "der Verteidigungsminister",
     ("Boris Pistorius", "e:Boris Pistorius")),
])
def test_anonymous_sources_and_compound_roles(lang: str, text: str, names: dict[str, str], phrase: str,
                                              expected: tuple[str | None, str | None]) -> None:
    cue = {"en": "said" if "said" in text else "told", "ru": "сообщил", "de": "sagte"}[lang]
    assert _resolved(lang, text, names, phrase, cue) == expected
