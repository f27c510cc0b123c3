"""Stance of a matched sentence: does the article push the narrative, report it, or deny it?

Similarity alone cannot tell "the US instigated the unrest" from "the White House
denied that the US instigated the unrest": both sentences sit next to the same
catalog example. Stance therefore comes from the sentence's wording and the
article's framing, in this order:

1. denial or refutation cues ("denied", "absolutely false", "bestritten",
   "опроверг") or disinformation framing ("propaganda", "Desinformation") -> deny;
2. distancing attribution ("claims", "angeblich", "якобы") or a mostly quoted
   sentence put in someone's mouth -> report;
3. otherwise the article states it (or relays it without distance) -> endorse.

Then the article level: if an article denies a narrative anywhere (including its
headline), its remaining endorse hits for that narrative become report, because
the article as a whole does not push it.
"""
from __future__ import annotations

from dataclasses import dataclass

from echolot.narratives import cues
from echolot.narratives.claims import Claim, quoted_share

ORDER = {"deny": 0, "report": 1, "endorse": 2}


@dataclass
class StanceCall:
    stance: str  # endorse | deny | report
    reason: str


def sentence_stance(text: str, claim: Claim | None = None) -> StanceCall:
    """Stance of one sentence, with the cue that decided it."""
    match = cues.RE_DENY.search(text)
    if match:
        return StanceCall("deny", f"denial cue '{match.group(0)}'")
    match = cues.RE_DISINFO.search(text)
    if match:
        return StanceCall("deny", f"disinformation framing '{match.group(0)}'")
    match = cues.RE_DISTANCE.search(text)
    if match:
        return StanceCall("report", f"distancing cue '{match.group(0)}'")
    if claim is not None and claim.in_quote and claim.speaker:
        return StanceCall("report", f"quoted, speaker {claim.speaker}")
    if quoted_share(text) > 0.5 or (claim is not None and claim.kind == "attribute" and quoted_share(text) > 0.2):
        return StanceCall("report", "quotation attributed to a speaker")
    if claim is not None and claim.kind == "accuse":
        return StanceCall("report", f"accusation relayed ('{claim.cue}')")
    return StanceCall("endorse", "stated without distance")


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
