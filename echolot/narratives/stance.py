"""Stance of a matched sentence: whose voice is it, and does it assert or deny the narrative?

Similarity alone cannot tell "the US instigated the unrest" from "the White House
denied that the US instigated the unrest": both sentences sit next to the same
catalog example. Two questions decide, from the sentence's wording:

1. **Whose voice.** A sentence inside a quote, or one that attributes its content to
   someone ("X said / claims / accused / denied / found / demands ..."), is that
   speaker's: the outlet relays it. An outlet *endorses* a narrative only in its own
   voice, a sentence it states without attributing it to anyone.
2. **Polarity of the proposition.** Denial cues ("denied", "absolutely false",
   "bestritten", "опроверг") or disinformation framing ("propaganda",
   "Desinformation", "фейк") deny the narrative, *unless the narrative is itself
   about disinformation* ("the other side spreads disinformation"): then "X is part
   of the Russian disinformation playbook" asserts it. Distancing ("claims",
   "angeblich", "якобы") keeps the writer out of it (report).

The outlet's stance: own voice -> the polarity (endorse / deny / report); a speaker's
voice -> `deny` when the speaker denies (the article presents the narrative as
denied), else `report`. The speaker's own stance is kept beside it (`speaker`,
`speaker_stance`).

Then the article level: if an article denies a narrative anywhere (including its
headline), its remaining endorse hits for that narrative become report, because
the article as a whole does not push it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from echolot.narratives import cues
from echolot.narratives.claims import Claim, quoted_share

ORDER = {"deny": 0, "report": 1, "endorse": 2}
# distancing words the writer uses in their own voice ("allegedly"), unlike verbs that quote someone ("claims")
_WRITER_DISTANCE = re.compile(r"alleged\w*|allegedly|so-called|purported\w*|angeblich\w*|sogenannt\w*|vermeintlich\w*"
                              r"|якобы|так называем\w*|мнимы\w*|prétendu\w*|soi-disant", re.IGNORECASE)


@dataclass
class StanceCall:
    stance: str  # the outlet's: endorse | deny | report
    reason: str
    speaker: str | None = None  # whose voice the sentence is, when not the outlet's
    speaker_stance: str | None = None  # that speaker's stance on the narrative (endorse | deny | report)


def about_disinformation(*texts: str) -> bool:
    """Is a narrative (its name, description, examples) itself a claim of disinformation?"""
    return any(cues.RE_DISINFO.search(t or "") for t in texts)


def polarity(text: str, disinfo_narrative: bool = False) -> tuple[str, str]:
    """(endorse | deny | report, reason) of the proposition in `text`, whoever says it."""
    deny = cues.RE_DENY.search(text)
    disinfo = cues.RE_DISINFO.search(text)
    if disinfo_narrative and (disinfo or deny):
        cue = (disinfo or deny).group(0)  # type: ignore[union-attr]
        return "endorse", f"calls something false or disinformation ('{cue}'): asserts this narrative"
    if deny:
        return "deny", f"denial cue '{deny.group(0)}'"
    if disinfo:
        return "deny", f"disinformation framing '{disinfo.group(0)}'"
    distance = cues.RE_DISTANCE.search(text)
    if distance:
        return "report", f"distancing cue '{distance.group(0)}'"
    return "endorse", "stated without distance"


def _speaker(text: str, claim: Claim | None) -> str | None:
    """Whose voice the sentence is; None: the outlet's own."""
    if claim is not None:
        if claim.speaker:
            return claim.speaker
        if claim.in_quote or claim.kind in {"attribute", "accuse", "deny"}:
            return claim.actor or f"someone ('{claim.cue}')"
        if claim.kind == "assert" and not _WRITER_DISTANCE.fullmatch(claim.cue):
            return claim.actor or f"someone ('{claim.cue}')"  # "X claims": X's voice
    if quoted_share(text) > 0.5:
        return "a quoted speaker"
    return None


def sentence_stance(text: str, claim: Claim | None = None, disinfo_narrative: bool = False) -> StanceCall:
    """The outlet's stance on the narrative matched in `text`, and the speaker's when it is someone else's voice."""
    pol, why = polarity(text, disinfo_narrative)
    speaker = _speaker(text, claim)
    if speaker is None:
        return StanceCall(pol, why)
    if pol == "deny":
        return StanceCall("deny", f"{why}; voice of {speaker}", speaker, "deny")
    return StanceCall("report", f"voice of {speaker}, relayed ({why})", speaker, pol)


def article_stance(stances: list[str]) -> str:
    """One stance per (article, narrative): any denial wins, then any endorsement, else report."""
    if "deny" in stances:
        return "deny"
    if "endorse" in stances:
        return "endorse"
    return "report"


def apply_framing(stances: list[str]) -> list[str]:
    """Downgrade endorse to report when the same article denies the narrative elsewhere."""
    if "deny" not in stances:
        return stances
    return ["report" if s == "endorse" else s for s in stances]
