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
