"""The anchor-conflict test for articles written without capitals (Hindi, Georgian): names as spelled words."""
from __future__ import annotations

from dataclasses import replace

from echolot.model import Article
from echolot.reuse.screen import anchor_conflicts, common_words
from echolot.settings import ReuseSettings, Settings

# one report (the mayor Ostrander opens a bridge in Velmora) in English, Hindi and Georgian, and the same
# sentences about another mayor, town and engineer: what a same-frame, different-story pair looks like
TEXTS = {
    "en": ("en", "Mayor Ostrander opened the new bridge in Velmora on Tuesday. The repairs cost 38 million, "
                 "said engineer Priya Sandhu."),
    "hi": ("hi", "महापौर ओस्ट्रैंडर ने मंगलवार को वेल्मोरा में नया पुल खोला। मरम्मत पर 38 मिलियन खर्च हुए, "
                 "इंजीनियर प्रिया संधू ने कहा।"),
    "hi-other": ("hi", "महापौर कलिंदर ने मंगलवार को दुर्गापुर में नया पुल खोला। मरम्मत पर 52 मिलियन खर्च हुए, "
                       "इंजीनियर राहुल मेहता ने कहा।"),
    "ka": ("ka", "მერმა ოსტრანდერმა სამშაბათს ველმორაში ახალი ხიდი გახსნა. შეკეთება 38 მილიონი დაჯდა, "
                 "თქვა ინჟინერმა პრია სანდუმ."),
    "ka-other": ("ka", "მერმა კალინდერმა სამშაბათს დურგაპურში ახალი ხიდი გახსნა. შეკეთება 52 მილიონი დაჯდა, "
                       "თქვა ინჟინერმა რაჰულ მეჰტამ."),
}
POOL = {x: Article(id=x, lang=lang, text=text) for x, (lang, text) in TEXTS.items()}
CFG = replace(Settings().reuse, wide_conflict_anchors=3, wide_conflict_cov=0.5, wide_conflict_uncased=True)


def _conflicts(pairs: list[tuple[str, str]], cov: float = 0.3, cfg: ReuseSettings = CFG) -> set[tuple[str, str]]:
    return anchor_conflicts(pairs, dict.fromkeys(pairs, cov), POOL, cfg)


def test_a_translation_without_capitals_keeps_its_pair_and_another_story_does_not() -> None:
    pairs = [("en", "hi"), ("en", "hi-other"), ("en", "ka"), ("en", "ka-other")]
    # before: neither Hindi nor Georgian has name anchors, so nothing could be judged
    assert _conflicts(pairs, cfg=replace(CFG, wide_conflict_uncased=False)) == set()
    assert _conflicts(pairs) == {("en", "hi-other"), ("en", "ka-other")}


def test_two_articles_without_capitals_must_share_names() -> None:
    assert _conflicts([("hi", "ka"), ("hi", "ka-other")]) == {("hi", "ka-other")}


def test_leads_that_match_as_wholes_pass() -> None:
    assert _conflicts([("en", "hi-other"), ("hi", "ka-other")], cov=0.6) == set()


def test_words_common_in_a_language_are_not_taken_for_names() -> None:
    spelled = {"a": frozenset({"mln", "klntr"}), "b": frozenset({"mln", "strntr"}), "c": frozenset({"mln", "rhl"}),
               "d": frozenset({"mln"}), "e": frozenset({"mln", "psngtn"})}
    # "mln" ("million") is in all five Hindi articles: a word of the language; each name is in one
    assert common_words(spelled, lambda x: "hi", 0.2) == {"hi": frozenset({"mln"})}
    # with as few articles as two per language nothing is dropped: too few to tell
    assert common_words({"a": spelled["a"], "b": spelled["b"]}, lambda x: "hi", 0.2) == {"hi": frozenset()}
