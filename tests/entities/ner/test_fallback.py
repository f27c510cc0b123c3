"""The multilingual fallback tagger: French and Spanish texts (written for this test) get their
people and places; languages with a trained model keep it; scripts without capitals stay unsupported
except where a reader's check passed the fine-tuned tagger (Hindi)."""
from __future__ import annotations

import pytest

from echolot.entities import ner

FRENCH = ("Le président Emmanuel Macron a reçu mardi à Paris le chancelier Olaf Scholz. "
          "Les deux dirigeants ont ensuite visité Strasbourg avec la maire de la ville.")
SPANISH = ("El presidente Pedro Sánchez viajó el lunes a Sevilla para reunirse con la ministra Teresa Ribera. "
           "Después voló a Buenos Aires.")


def _found(text: str, lang: str) -> set[tuple[str, str]]:
    return {(text[a:b], typ) for a, b, typ in ner.recognize(text, lang)}


HINDI = ("रूसी राष्ट्रपति व्लादिमीर पुतिन ने कहा कि यूक्रेन पर हमला होगा। "
         "अमेरिकी राष्ट्रपति जो बाइडेन ने मॉस्को की आलोचना की।")
needs_fallback = pytest.mark.skipif(not ner.supports("fr"), reason="fallback model or e5 encoder not installed")


def test_which_tagger_serves_which_language() -> None:
    tuned = (ner.FALLBACK_DIR / "tuned.npz").is_file()  # ru uses the fine-tuned tagger when it ships
    own = ner.own_tuned_path("en")  # English reads its own adapters file when it ships
    assert ner.backend_name("en-US") == ("tuned-e5-en" if own is not None and own.is_file() else "crf-en")
    assert ner.backend_name("de") == "crf-de"
    assert ner.backend_name("ru-RU") == ("tuned-e5" if tuned else "crf-ru")
    untrained = "tuned-e5" if tuned else "fallback-e5"  # languages without training data
    assert ner.backend_name("fr") == untrained and ner.backend_name("uk") == untrained
    assert ner.backend_name("zh") is None and not ner.supports("zh")
    # scripts without capitals: only those a reader's check passed, and only with tuned-e5 (docs/ner.md)
    assert ner.backend_name("hi") == ("tuned-e5" if tuned else None)
    assert all(ner.backend_name(code) is None for code in ("ar", "bn", "fa", "he", "ja", "ko", "th", "ur"))
    assert ner.taggers(["de", "fr", "zh", None]) == {"de": ner.backend_name("de"), "fr": ner.backend_name("fr")
                                                     if ner.supports("fr") else None, "zh": None}


@needs_fallback
def test_french_people_and_places() -> None:
    found = _found(FRENCH, "fr")
    assert ("Emmanuel Macron", "PER") in found and ("Olaf Scholz", "PER") in found
    assert ("Paris", "LOC") in found and ("Strasbourg", "LOC") in found
    assert not any(text in {"Le", "Les", "mardi"} for text, _ in found)


@needs_fallback
def test_spanish_people_and_places() -> None:
    found = _found(SPANISH, "es")
    assert ("Pedro Sánchez", "PER") in found and ("Teresa Ribera", "PER") in found
    assert ("Sevilla", "LOC") in found and ("Buenos Aires", "LOC") in found


@needs_fallback
def test_spans_keep_the_contract() -> None:
    spans = ner.recognize(FRENCH, None)  # detected as French
    assert spans == sorted(spans) and spans
    assert all(typ in {"PER", "ORG", "LOC", "MISC"} for _, _, typ in spans)  # tuned-e5 also tags MISC
    assert ner.recognize_tokens(["Emmanuel", "Macron", "parle", "."], "fr")[:2] == ["B-PER", "I-PER"]


@pytest.mark.skipif(not ner.supports("hi"), reason="tuned-e5 model or e5 encoder not installed")
def test_hindi_people_and_places_from_the_tuned_tagger() -> None:
    found = _found(HINDI, "hi")
    assert ("व्लादिमीर पुतिन", "PER") in found and ("मॉस्को", "LOC") in found and ("यूक्रेन", "LOC") in found
    assert not any(text in {"राष्ट्रपति", "कहा", "हमला"} for text, _ in found)  # "president", "said", "attack"
    assert ner.taggers(["hi", "ar"]) == {"hi": "tuned-e5", "ar": None}
    from echolot.entities.ner.tuned import ConfidentTagger

    tagger = ner._tagger("hi")  # Hindi keeps only the sure entities; Russian, on the same model, all of them
    assert isinstance(tagger, ConfidentTagger) and tagger.min_prob == ner.CASELESS_LANGUAGES["hi"]
    assert tagger.tagger is ner._tagger("ru")
