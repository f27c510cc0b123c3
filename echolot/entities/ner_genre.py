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
import math
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

GENRE_FILE = "genre.json"


class GenreModel:
    """Naive Bayes log-probabilities of words per genre (the training file name)."""

    def __init__(self, prior: dict[str, float], logp: dict[str, dict[str, float]], unseen: dict[str, float]) -> None:
        self.prior = prior
        self.logp = logp  # word -> genre -> log P(word | genre)
        self.unseen = unseen  # genre -> log P(unknown word | genre)

    @classmethod
    def fit(cls, sentences: Sequence[Sequence[str]], genres: Sequence[str], min_count: int = 2) -> GenreModel:
        """Fit on token lists with their genre labels (words seen fewer than `min_count` times are ignored)."""
        counts: dict[str, Counter] = {}
        docs = Counter(genres)
        total: Counter = Counter()
        for tokens, genre in zip(sentences, genres):
            for tok in tokens:
                counts.setdefault(genre, Counter())[tok.lower()] += 1
        vocab = Counter()
        for ctr in counts.values():
            vocab.update(ctr)
        words = [w for w, n in vocab.items() if n >= min_count]
        for genre, ctr in counts.items():
            total[genre] = sum(ctr[w] for w in words)
        size = len(words) + 1
        logp = {w: {g: round(math.log((counts[g][w] + 1) / (total[g] + size)), 3) for g in counts} for w in words}
        unseen = {g: math.log(1 / (total[g] + size)) for g in counts}
        prior = {g: math.log(n / len(genres)) for g, n in docs.items()}
        return cls(prior, logp, unseen)

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


def cross_fitted(sentences: Sequence[Sequence[str]], genres: Sequence[str], folds: int = 5) -> list[str]:
    """Each sentence's genre guess from a model fitted without its fold (sentence index mod `folds`)."""
    out = [""] * len(sentences)
    for k in range(folds):
        model = GenreModel.fit([s for i, s in enumerate(sentences) if i % folds != k],
                               [g for i, g in enumerate(genres) if i % folds != k])
        for i in range(k, len(sentences), folds):
            out[i] = model.predict(sentences[i])
    return out
