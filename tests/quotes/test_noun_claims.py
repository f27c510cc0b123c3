"""A claim a noun reports with its agent is the agent's (issue #14, the reader's check): "Lindqvist
addressed claims by President Tarnavsky that ..." is Tarnavsky's claim, not Lindqvist's, in English
(parse), German, Russian, French and Spanish (rules)."""
from __future__ import annotations

from typing import Any

import pytest

from echolot.quotes import english
from echolot.quotes.rules import RuleExtractor


def _rules(text: str, lang: str, names: list[str]) -> list[tuple[str | None, str | None, str]]:
    entities = [(text.index(n), text.index(n) + len(n), "PER") for n in names]
    out = []
    for a in RuleExtractor(lang).extract(text, entities):
        src = text[a.source[0]:a.source[1]] if a.source else None
        cue = text[a.cue[0]:a.cue[1]] if a.cue else None
        out.append((src, cue, text[a.content_extent[0]:a.content_extent[1]]))
    return out


@pytest.mark.parametrize(("lang", "text", "names", "agent", "noun", "claim"), [
    ("de", "Lindqvist ging auch auf die Behauptungen von Präsident Oleg Tarnavsky ein, dass ausländische "
           "Agenten die Proteste angezettelt hätten.", ["Lindqvist", "Oleg Tarnavsky"],
     "Präsident Oleg Tarnavsky", "Behauptungen", "ausländische Agenten die Proteste angezettelt hätten."),
    ("de", "Lindqvist kritisierte die Behauptung von Tarnavsky, dass ausländische Agenten die Proteste bezahlt "
           "hätten.", ["Lindqvist", "Tarnavsky"], "Tarnavsky", "Behauptung",
     "ausländische Agenten die Proteste bezahlt hätten."),
    ("ru", "Линдквист также прокомментировала заявления президента Олега Тарнавского о том, что иностранные "
           "агенты организовали протесты.", ["Линдквист", "Олега Тарнавского"], "президента Олега Тарнавского",
     "заявления", "иностранные агенты организовали протесты."),
    ("en", "Lindqvist also addressed claims by President Oleg Tarnavsky that foreign agents had instigated "
           "the protests.", ["Lindqvist", "Oleg Tarnavsky"], "President Oleg Tarnavsky", "claims",
     "foreign agents had instigated the protests."),
    ("fr", "Lindqvist a répondu aux affirmations du président Oleg Tarnavsky selon lesquelles des agents "
           "étrangers avaient organisé les manifestations.", ["Lindqvist", "Oleg Tarnavsky"],
     "président Oleg Tarnavsky", "affirmations", "des agents étrangers avaient organisé les manifestations."),
    ("es", "Lindqvist respondió a las afirmaciones del presidente Oleg Tarnavsky de que agentes extranjeros "
           "habían organizado las protestas.", ["Lindqvist", "Oleg Tarnavsky"], "presidente Oleg Tarnavsky",
     "afirmaciones", "agentes extranjeros habían organizado las protestas."),
])
def test_rules_give_a_noun_claim_to_its_agent(lang: str, text: str, names: list[str], agent: str, noun: str,
                                              claim: str) -> None:
    got = _rules(text, lang, names)
    assert (agent, noun, claim) in got
    # nobody else is said to have made that claim (the verb's subject, "selon lesquelles" as a source)
    assert [g for g in got if g[2] == claim or claim in g[2] or g[2] in claim] == [(agent, noun, claim)]


def test_rules_without_an_agent_or_a_clause_find_no_noun_claim() -> None:
    assert not _rules("Das Ministerium wies die Behauptungen zurück.", "de", [])
    assert not any(cue == "заявления" for _, cue, _ in
                   _rules("Линдквист прокомментировала заявления о том, что протесты оплатили агенты.", "ru",
                          ["Линдквист"]))


def test_parse_finds_the_agent_and_clause_of_a_claim_noun(english_nlp: Any) -> None:
    doc = english_nlp("Lindqvist also addressed claims by President Oleg Tarnavsky that foreign agents had "
                      "instigated the protests. He reiterated his claim that the vote was fair.")
    got = {doc[n].text: (" ".join(doc[i].text for i in s), " ".join(doc[i].text for i in c), by)
           for n, s, c, by in english.noun_claims(doc)}
    assert got["claims"] == ("President Oleg Tarnavsky", "foreign agents had instigated the protests", True)
    assert got["claim"] == ("his", "the vote was fair", False)  # a possessor: not a by-agent


def test_parse_needs_a_complementiser_not_a_relative_clause(english_nlp: Any) -> None:
    doc = english_nlp("She rejected the claims by the ministry that were published on Monday.")
    assert english.noun_claims(doc) == []


def test_extractor_gives_a_by_claim_to_its_agent(english_quote_models: Any) -> None:
    text = ("Lindqvist also addressed claims by President Oleg Tarnavsky that foreign agents had instigated and "
            "paid for the protests that followed the vote.")
    got = [(text[a.source[0]:a.source[1]] if a.source else None, " ".join(text[s:e] for s, e in a.content))
           for a in english.extract(text)]
    assert ("President Oleg Tarnavsky",
            "foreign agents had instigated and paid for the protests that followed the vote") in got
    assert not any(src and "Lindqvist" in src and "foreign agents" in content for src, content in got)


def test_the_agent_of_a_noun_claim_is_not_the_next_pronoun() -> None:
    from echolot.quotes.speakers import SpeakerResolver

    text = ("Lindqvist also addressed claims by President Oleg Tarnavsky that agents paid for the protests. "
            "\"We have seen no evidence,\" she said.")
    mentions = [{"start": 0, "end": 9, "type": "PER", "text": "Lindqvist", "entity_id": "e:l"},
                {"start": text.index("Oleg"), "end": text.index("Oleg") + 14, "type": "PER",
                 "text": "Oleg Tarnavsky", "entity_id": "e:t"}]
    agent = (text.index("President"), text.index(" that"))
    claim_extent = (text.index("claims"), text.index("protests") + 8)
    resolver = SpeakerResolver(text, "en", mentions, [agent], [claim_extent])
    assert resolver.resolve(agent, None, embedded=True).entity_id == "e:t"
    she = (text.index("she"), text.index("she") + 3)
    assert resolver.resolve(she, None).entity_id == "e:l"
    # without `embedded`, the claim's agent would be the last person who spoke
    plain = SpeakerResolver(text, "en", mentions, [agent], [])
    plain.resolve(agent, None)
    assert plain.resolve(she, None).entity_id == "e:t"


def test_a_title_before_a_full_name_is_that_person_not_the_roles_last_holder() -> None:
    from echolot.quotes.speakers import SpeakerResolver

    text = ("Lindqvist habló en Velgrad. Lindqvist también se refirió a las afirmaciones del presidente Oleg "
            "Tarnavski de que agentes extranjeros pagaron las protestas.")
    mentions = [{"start": 0, "end": 9, "type": "PER", "text": "Lindqvist"}]
    span = (text.index("presidente"), text.index(" de que"))
    speaker = SpeakerResolver(text, "es", mentions).resolve(span, None)
    assert speaker.name == "Oleg Tarnavski" and speaker.how == "titled"
    # and a later bare "el presidente" is that person too, not the last subject (Lindqvist)
    text += " Ante la acusación del presidente de que la oposición miente, Lindqvist señaló que no."
    later = text.rindex("presidente")
    speaker = SpeakerResolver(text, "es", mentions).resolve((later, later + 10), None)
    assert speaker.name == "Oleg Tarnavski" and speaker.how == "role-apposition"
    # one capitalised word after a title may be a country: the role stays the role
    text = "Lindqvist reiste ab. Der Präsident Russlands sagte, die Lage sei ernst."
    span = (text.index("Der"), text.index(" sagte"))
    speaker = SpeakerResolver(text, "de", [{"start": 0, "end": 9, "type": "PER", "text": "Lindqvist"}]).resolve(span, None)
    assert speaker.name != "Russlands"


def test_stage_keeps_the_speaker_of_the_quote_after_a_noun_claim(english_quote_models: Any) -> None:
    from echolot.model import Article
    from echolot.quotes.stage import quotes_for_article
    from echolot.text import annotate

    text = ("Observer mission head Marit Lindqvist spoke in Velgrad on Monday.\n\nLindqvist also addressed claims "
            "by President Oleg Tarnavsky that foreign agents had instigated and paid for the protests that followed "
            "the vote. \"We have seen no evidence of that whatsoever. What we saw were citizens asking for their "
            "votes to be counted,\" she said.")
    start = text.index("Marit Lindqvist")
    mentions = [{"start": start, "end": start + 15, "type": "PER", "text": "Marit Lindqvist", "entity_id": "e:l"},
                {"start": text.index("Oleg"), "end": text.index("Oleg") + 14, "type": "PER",
                 "text": "Oleg Tarnavsky", "entity_id": "e:t"}]
    quotes = quotes_for_article(annotate(Article(id="o", text=text, lang="en")), mentions)
    by_content = {q.content[:20]: q.speaker for q in quotes}
    assert by_content["foreign agents had i"] == "Oleg Tarnavsky"
    assert "Lindqvist" in by_content["We have seen no evid"]
