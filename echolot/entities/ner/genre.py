"""Which kind of text a sentence resembles (parliament speech vs. encyclopedia/news): a feature for the CRF.

Why: the German training files follow different guidelines. EuroParl (CoNLL style) tags
nationality adjectives and many derived words as MISC ("europäischen", "irische"); GermEval
(its derived/part tags dropped) leaves them O. One CRF trained on both learns a blurred
compromise and gets both wrong. A sentence-level genre guess, conjoined with a few token
features, lets the CRF keep both conventions apart and apply the one that fits the text.

The model is a multinomial naive Bayes over lower-cased words (a few thousand weights in
JSON). Training sentences get the guess of a model fitted without their fold, so the CRF
learns how reliable the guess really is.
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

GENRE_FILE = "genre.json"


class GenreModel:
    """Naive Bayes log-probabilities of words per genre (the training file name)."""

    def __init__(self, prior: dict[str, float], logp: dict[str, dict[str, float]], unseen: dict[str, float]) -> None:
        self.prior = prior
        self.logp = logp  # word -> genre -> log P(word | genre)
        self.unseen = unseen  # genre -> log P(unknown word | genre)

    def predict(self, tokens: Sequence[str]) -> str:
        """The most likely genre of a sentence."""
        score = dict(self.prior)
        for tok in tokens:
            row = self.logp.get(tok.lower())
            for g in score:
                score[g] += row[g] if row else 0.0
        return max(sorted(score), key=score.__getitem__)

    def to_json(self) -> dict:
        return {"prior": self.prior, "logp": self.logp, "unseen": self.unseen}

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_json(), ensure_ascii=False, sort_keys=True), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> GenreModel:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(data["prior"], data["logp"], data["unseen"])
