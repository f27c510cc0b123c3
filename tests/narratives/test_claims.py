"""Claim cues, actor/target extraction and stance rules (no encoder needed)."""
from __future__ import annotations

import pytest

from echolot.model import Article
from echolot.narratives.claims import classify, detect_claims, quoted_share
from echolot.narratives.stance import apply_framing, article_stance, sentence_stance
from echolot.text import annotate


@pytest.mark.parametrize("text, kind", [
    ("Moscow accused Washington of staging the protests.", "accuse"),
    ("Der Kreml beschuldigte die NATO, den Konflikt anzuheizen.", "accuse"),
    ("Der Sicherheitsrat warf dem Westen Einmischung vor.", "accuse"),
    ("Лавров обвинил Запад во вмешательстве.", "accuse"),
    ("The White House denied that the US was involved.", "deny"),
    ("Die Sprecherin hat bestritten, dass die USA beteiligt waren.", "deny"),
    ("Москва опровергла эти сообщения.", "deny"),
    ("Russland behauptet, dass westliche Nationen die Meinung manipulieren.", "assert"),
    ("The minister claimed that the elections were rigged.", "assert"),
    ("The ministry said it was monitoring the situation.", "attribute"),
    ("Protests began on Sunday.", None),
])
def test_claim_kinds(text: str, kind: str | None) -> None:
    found = classify(text)
    assert (found[0] if found else None) == kind


def _article(text: str, title: str = "Headline without cue") -> Article:
    return annotate(Article(id="a1", text=text, title=title))


def test_actor_and_target_from_recognizer() -> None:
    art = _article("Moscow accused Washington of staging the protests in Almaty.")

    def fake_ner(text: str, lang: str | None) -> list[tuple[int, int, str]]:
        return [(text.index(w), text.index(w) + len(w), "LOC") for w in ("Moscow", "Washington", "Almaty")]

    claim = detect_claims(art, recognizer=fake_ner)[0]
    assert (claim.kind, claim.actor, claim.target) == ("accuse", "Moscow", "Washington")


def test_mentions_from_the_store_win_over_ner() -> None:
    art = _article("Der Kreml beschuldigte die NATO, den Konflikt anzuheizen.")
    text = art.text
    mentions = [{"start": text.index("Kreml"), "end": text.index("Kreml") + 5, "type": "ORG"},
                {"start": text.index("NATO"), "end": text.index("NATO") + 4, "type": "ORG"}]
    claim = detect_claims(art, mentions=mentions, recognizer=lambda t, l: [])[0]
    assert (claim.actor, claim.target) == ("Kreml", "NATO")


def test_quote_from_quotes_stage_gives_speaker() -> None:
    art = _article('"The protests were organised from abroad," the minister said.')
    quote = {"content_span": (1, 41), "speaker": "the minister"}
    claim = detect_claims(art, quotes=[quote])[0]
    assert claim.in_quote and claim.speaker == "the minister"
    call = sentence_stance(claim.text, claim)
    assert (call.stance, call.speaker, call.speaker_stance) == ("report", "the minister", "endorse")


def _claim(text: str):  # type: ignore[no-untyped-def]
    from echolot.narratives.claims import Claim

    found = classify(text)
    return Claim(sentence_index=0, text=text, kind=found[0], cue=found[1].group(0)) if found else None


@pytest.mark.parametrize("text, stance, speaker_stance", [
    ("President Biden's spokeswoman has denied that the US government is behind the protests.", "deny", "deny"),
    ("Die Sprecherin hat bestritten, dass die US-Regierung hinter den Protesten steckt.", "deny", "deny"),
    ("Es gibt verrückte russische Behauptungen, dass die USA dahinterstecken.", "deny", "deny"),
    ("This is part of the standard Russian disinformation playbook about the unrest.", "deny", None),
    ("Москва опровергла заявления о том, что США стоят за беспорядками.", "deny", "deny"),
    ("Russland behauptet, dass westliche Nationen die Proteste steuern.", "report", "report"),
    ("The US is allegedly behind the riots.", "report", None),
    # someone else's view, relayed: the speaker endorses it, the outlet reports it
    ("Das Außenministerium betrachtet die Proteste als einen von außen veranlassten Versuch.", "report", "endorse"),
    ("The unrest was organised from abroad.", "endorse", None),
    # seed sentences: a demand, an aim and a study finding are their authors' positions, not the outlet's
    ("Kasachische Beamte fordern regelmäßig Diplomatie zur Beendigung des Krieges und sagen, das Land werde die "
     "westlichen Sanktionen gegen Russland zwar einhalten, sich ihnen aber nicht anschließen.", "report", "endorse"),
    ("President Vladimir Putin is meanwhile looking for a security pact with the US-led NATO bloc, specifically "
     "guarantees of no further expansion to the east.", "report", "endorse"),
    ("Russlands Präsident Wladimir Putin strebt unterdessen einen Sicherheitspakt mit dem von den USA geführten "
     "NATO-Block an, insbesondere Garantien, dass die Ukraine nicht weiter nach Osten expandiert.", "report", "endorse"),
    ("Eine kürzlich von der Europäischen Bank für Wiederaufbau und Entwicklung durchgeführte Studie ergab einen Anstieg "
     "der EU- und britischen Exporte nach Kasachstan und deutete an, dass der Strom dazu gedacht war, die umfassenden "
     "westlichen Sanktionen gegen Russland zu umgehen.", "report", "endorse"),
])
def test_sentence_stance(text: str, stance: str, speaker_stance: str | None) -> None:
    call = sentence_stance(text, _claim(text))
    assert (call.stance, call.speaker_stance) == (stance, speaker_stance)
    assert (call.speaker is None) == (speaker_stance is None)


def test_disinformation_narrative_is_asserted_not_denied() -> None:
    """Psaki: the claims are "absolutely false and clearly a part of the standard Russian disinformation playbook".

    For the narrative "the other side spreads disinformation" that asserts it (by Psaki, in a quote);
    for the narrative the claims are about (the US is behind the unrest) it denies it.
    """
    text = ("\u201cThere are some crazy Russian claims about the US being behind this, so let me just use this "
            "opportunity to convey that is absolutely false and clearly a part of the standard Russian "
            "disinformation playbook,\u201d she said.")
    claim = _claim(text)
    claim.in_quote, claim.speaker = True, "Jen Psaki"
    on_disinfo = sentence_stance(text, claim, disinfo_narrative=True)
    assert (on_disinfo.stance, on_disinfo.speaker, on_disinfo.speaker_stance) == ("report", "Jen Psaki", "endorse")
    on_us = sentence_stance(text, claim, disinfo_narrative=False)
    assert (on_us.stance, on_us.speaker_stance) == ("deny", "deny")
    own = sentence_stance("These reports are Russian disinformation.", None, disinfo_narrative=True)
    assert (own.stance, own.speaker) == ("endorse", None)


def test_article_framing() -> None:
    assert apply_framing(["endorse", "deny", "report"]) == ["report", "deny", "report"]
    assert apply_framing(["endorse", "report"]) == ["endorse", "report"]
    assert article_stance(["report", "endorse"]) == "endorse"
    assert article_stance(["endorse", "deny"]) == "deny"
    assert article_stance(["report"]) == "report"


def test_quoted_share() -> None:
    assert quoted_share('"Everything here is quoted"') > 0.9
    assert quoted_share("Nothing quoted here") == 0.0
