"""Cue lexicons (de/en/ru/fr) for claims and stance, compiled once.

Kept apart from the logic so that a new language is a data edit. Patterns are
lower-case regular expressions matched against the lower-cased sentence; word
stems (e.g. "обвин") catch inflection without a morphological analyser.
"""
from __future__ import annotations

import re

# X accuses / blames Y (of Z)
ACCUSE = [
    r"\baccus(?:e|es|ed|ing)\b", r"\bblam(?:e|es|ed|ing)\b", r"\bcharg(?:e|es|ed)\b .{0,40}\bwith\b",
    r"\bheld\b .{0,30}\bresponsible\b",
    r"\bbeschuldig\w*", r"\bwirf[ts]?\b.{0,80}\bvor\b", r"\bwarf(?:en)?\b.{0,80}\bvor\b", r"\bvorgeworfen\b",
    r"\bvorwurf\b", r"\bvorwürfe\b", r"\bbezichtig\w*", r"\bverantwortlich gemacht\b", r"\bmacht\w*\b.{0,60}\bverantwortlich\b",
    r"\bобвин\w*", r"\bвозлож\w* ответственность", r"\bупрек\w*",
    r"\baccus\w*", r"\breproch\w*",
]
# X denies / rejects Z, or calls it false
DENY = [
    r"\bden(?:y|ies|ied|ying|ial)\b", r"\brejec\w+\b", r"\brefut\w+", r"\bdismiss\w*", r"\bdebunk\w*",
    r"\b(?:absolutely|completely|totally|patently) (?:false|untrue|baseless)\b", r"\bfalsely\b",
    r"\bbaseless\b", r"\bunfounded\b", r"\bnonsense\b", r"\bno evidence\b",
    r"\bbestr(?:eit|eitet|itt|itten)\w*", r"\bzurück(?:weis|gewiesen|zuweisen)\w*", r"\bweis\w*\b.{0,80}\bzurück\b",
    r"\bdementi\w*", r"\babsolut falsch\b", r"\bfälschlicherweise\b", r"\bhaltlos\w*", r"\bunbegründet\w*",
    r"\bfrei erfunden\b", r"\bunsinn\b",
    r"\bопроверг\w*", r"\bотверг\w*", r"\bотрица\w*", r"\bложь\b", r"\bлож(?:ные|ное|ный|ная)\b",
    r"\bбезосновательн\w*", r"\bголословн\w*", r"\bчепух\w*",
    r"\bdément\w*", r"\bdémenti\w*", r"\b(?:rejette|rejeté|rejettent)\b", r"\bfaux\b", r"\bsans fondement\b",
]
# the article frames the content as lies or propaganda (strong reporting distance)
DISINFO_FRAME = [
    r"\bdisinformation\b", r"\bpropaganda\b", r"\bfake news\b", r"\bconspiracy theor\w*", r"\bcrazy\b.{0,20}\bclaims?\b",
    r"\bdesinformation\w*", r"\bverschwörungs\w*", r"\bverrückt\w*\b.{0,30}\bbehauptung\w*",
    r"\bfalschmeldung\w*", r"\bдезинформаци\w*", r"\bпропаганд\w*", r"\bфейк\w*", r"\bтеори\w* заговора",
    r"\bdésinformation\b", r"\bcomplotis\w*",
]
# distancing attribution: the writer does not vouch for the content
DISTANCE = [
    r"\bclaim(?:s|ed|ing)?\b", r"\balleg\w+", r"\bso-called\b", r"\bpurported\w*", r"\binsist\w*",
    r"\bbehaupt\w*", r"\bangeblich\w*", r"\bsogenannt\w*", r"\bvermeintlich\w*",
    r"\bутвержда\w*", r"\bякобы\b", r"\bтак называем\w*", r"\bмнимы\w*",
    r"\bprétend\w*", r"\bprétendu\w*", r"\ballégu\w*", r"\bsoi-disant\b",
]
# neutral attribution: X said / stated / according to X
ATTRIBUTE = [
    r"\bsa(?:y|ys|id|ying)\b", r"\bstat(?:ed|es)\b", r"\baccording to\b", r"\btold\b", r"\bdeclared\b", r"\bwarn\w*",
    r"\bsagt\w*", r"\berklärt\w*", r"\bbetont\w*", r"\bzufolge\b", r"\blaut\b", r"\bteilt\w*\b.{0,40}\bmit\b",
    r"\bheißt es\b", r"\bzitiert\w*", r"\bbetrachte\w*", r"\bsieht\b", r"\bwarnt\w*",
    r"\bзаяви\w*", r"\bсообщи\w*", r"\bпо словам\b", r"\bсчита\w*", r"\bподчеркну\w*", r"\bотмети\w*",
    r"\bselon\b", r"\bdéclar\w*", r"\baffirm\w*", r"\bestim\w*", r"\ba dit\b",
    # a position or finding put in someone's mouth: demands, aims, study results
    r"\bsag(?:en|te|ten)\b", r"\bforder\w*", r"\bverlang\w*", r"\bstreb\w*\b.{0,80}\ban\b", r"\bergab\b",
    r"\bdeutet\w*\b.{0,80}\ban\b", r"\blegt\w*\b.{0,60}\bnahe\b",
    r"\bseek(?:s|ing)?\b", r"\bsought\b", r"\blooking for\b", r"\bdemand(?:s|ed|ing)?\b", r"\bcall(?:s|ed)? for\b",
    r"\bfound that\b", r"\bsuggest(?:s|ed)\b", r"\bshow(?:s|ed)? that\b", r"\burg(?:e|es|ed)\b",
    r"\bтребу\w*", r"\bпризыва\w*", r"\bпоказал\w*",
]
# the writer's own hedging or negation of the proposition
NEGATION = [
    r"\bnot\b", r"\bnever\b", r"\bno\b", r"\bnicht\b", r"\bkein\w*\b", r"\bnie\b", r"\bне\b", r"\bнет\b",
    r"\bne\b.{0,30}\bpas\b",
]


def _compile(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE | re.UNICODE)


RE_ACCUSE = _compile(ACCUSE)
RE_DENY = _compile(DENY)
RE_DISINFO = _compile(DISINFO_FRAME)
RE_DISTANCE = _compile(DISTANCE)
RE_ATTRIBUTE = _compile(ATTRIBUTE)
RE_NEGATION = _compile(NEGATION)
QUOTE_CHARS = "\"“”„«»‘’‚'"
