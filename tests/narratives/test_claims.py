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
    assert sentence_stance(claim.text, claim).stance == "report"


@pytest.mark.parametrize("text, stance", [
    ("President Biden's spokeswoman has denied that the US government is behind the protests.", "deny"),
    ("Die Sprecherin hat bestritten, dass die US-Regierung hinter den Protesten steckt.", "deny"),
    ("Es gibt verrückte russische Behauptungen, dass die USA dahinterstecken.", "deny"),
    ("This is part of the standard Russian disinformation playbook about the unrest.", "deny"),
    ("Москва опровергла заявления о том, что США стоят за беспорядками.", "deny"),
    ("Russland behauptet, dass westliche Nationen die Proteste steuern.", "report"),
    ("The US is allegedly behind the riots.", "report"),
    ("Das Außenministerium betrachtet die Proteste als einen von außen veranlassten Versuch.", "endorse"),
    ("The unrest was organised from abroad.", "endorse"),
])
def test_sentence_stance(text: str, stance: str) -> None:
    found = classify(text)
    claim = None
    if found:
        from echolot.narratives.claims import Claim

        claim = Claim(sentence_index=0, text=text, kind=found[0], cue=found[1].group(0))
    assert sentence_stance(text, claim).stance == stance


def test_article_framing() -> None:
    assert apply_framing(["endorse", "deny", "report"]) == ["report", "deny", "report"]
    assert apply_framing(["endorse", "report"]) == ["endorse", "report"]
    assert article_stance(["report", "endorse"]) == "endorse"
    assert article_stance(["endorse", "deny"]) == "deny"
    assert article_stance(["report"]) == "report"


def test_quoted_share() -> None:
    assert quoted_share('"Everything here is quoted"') > 0.9
    assert quoted_share("Nothing quoted here") == 0.0
