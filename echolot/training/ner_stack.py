"""Stacking inputs of the German CRF: cross-fitted tuned-e5 label probabilities (`echolot.training.ner
--stack-tuned DIR`; the CRF feature group `tuned`, `echolot.entities.ner.crf`).

DIR holds three tuned-e5 model folders made by `python -m echolot.training.ner_tuned --stack-de K --out DIR/..`
(torch): `f0`, `f1` (each trained without its sentence fold, `echolot.eval.splits.ner_fold`) and `run`
(all folds). A training sentence of fold k gets the probabilities of `fk`, so the CRF learns how far to trust
the tagger on sentences it did not see; the run-time model is copied into the CRF's folder.
"""
from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from echolot.entities.ner.data import Sentence
from echolot.entities.ner.tuned import MODEL_FILE as TUNED_FILE
from echolot.entities.ner.tuned import TunedTagger, stack_features, word_probs
from echolot.eval.splits import NER_STACK_FOLDS, ner_fold

# Where a stacked German run finds its tuned-e5 models when no --stack-tuned is given: an input location,
# like --data, not a setting (the outputs do not depend on it).
STACK_DIR = Path("build") / "ner-stack"


class StackProbs:
    """tuned-e5 label probabilities per sentence, optionally kept in a folder between runs (one pickle
    per model; tagging the training part with the fold models is the slow part of a stacked run, and
    separate files let the folds be tagged by parallel processes). The numbers do not depend on it."""

    def __init__(self, source: Path, cache: Path | None) -> None:
        self.source, self.cache = source, cache
        self.data: dict[str, dict[str, Any]] = {}
        self._taggers: dict[str, Any] = {}

    def probs(self, model: str, sentences: Sequence[Sequence[str]]) -> list[Any]:
        """Probabilities of model folder `source/model` for each sentence (computed once)."""
        data = self._load(model)
        keys = [hashlib.sha1(" ".join(s).encode("utf-8")).hexdigest() for s in sentences]
        todo = [i for i, k in enumerate(keys) if k not in data]
        if todo:
            if model not in self._taggers:
                self._taggers[model] = TunedTagger(self.source / model)
            fresh = word_probs(self._taggers[model], [sentences[i] for i in todo])
            for i, p in zip(todo, fresh):
                data[keys[i]] = p.astype("float32")
            self._save(model)
        return [data[k] for k in keys]

    def runtime(self, sentences: Sequence[Sequence[str]]) -> list[Any]:
        return self.probs(self.runtime_model, sentences)

    runtime_model = "run"

    def _path(self, model: str) -> Path | None:
        return None if self.cache is None else self.cache / f"probs_{model}.pkl"

    def _load(self, model: str) -> dict[str, Any]:
        if model not in self.data:
            path = self._path(model)
            self.data[model] = {}
            if path is not None and path.is_file():
                import pickle

                with open(path, "rb") as handle:
                    self.data[model] = pickle.load(handle)
        return self.data[model]

    def _save(self, model: str) -> None:
        path = self._path(model)
        if path is None:
            return
        import pickle

        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        with open(tmp, "wb") as handle:
            pickle.dump(self.data[model], handle, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)


def stack_inputs(source: Path, out: Path, train_set: Sequence[Sentence], cache: Path | None,
                 runtime: str = "run") -> tuple[list[Any], StackProbs]:
    """Cross-fitted stacked features of the training sentences (a sentence of fold k gets the
    probabilities of `source/f{k}`, trained without fold k) and the run-time model `source/runtime`
    (`run`: trained on every fold) copied into `out`."""
    import shutil

    probs = StackProbs(source, cache)
    probs.runtime_model = runtime
    tokens = [[t for t, _ in s] for s in train_set]
    folds = [ner_fold(t, NER_STACK_FOLDS) for t in tokens]
    found: list[Any] = [None] * len(tokens)
    for k in range(NER_STACK_FOLDS):
        idx = [i for i, f in enumerate(folds) if f == k]
        for i, p in zip(idx, probs.probs(f"f{k}", [tokens[i] for i in idx])):
            found[i] = p
    out.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source / runtime / TUNED_FILE, out / TUNED_FILE)
    labels = _labels(source / "f0" / TUNED_FILE)
    return [stack_features(labels, p) for p in found], probs


def _labels(path: Path) -> list[str]:
    with np.load(path, allow_pickle=False) as npz:
        return [str(x) for x in npz["labels"]]
