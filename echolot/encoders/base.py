"""The small contract every sentence-embedding backend fulfils.

A faster or better backend is one new file implementing `Encoder`, registered in
`echolot.encoders.BACKENDS`; no stage changes.
"""
from __future__ import annotations

from typing import Protocol

import numpy as np


class Encoder(Protocol):
    name: str  # part of the vector-cache key: vectors of different models never mix
    dim: int

    def encode(self, texts: list[str]) -> np.ndarray:
        """Return an (n, dim) float32 array of L2-normalised vectors."""


def unit_rows(vectors: np.ndarray) -> np.ndarray:
    """Scale each row to length 1 (all-zero rows stay zero), so a dot product is a cosine."""
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)
