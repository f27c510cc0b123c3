"""A dependency-free bag-of-character-n-grams encoder.

Not multilingual in meaning; used in tests of the plumbing and as a last resort
when no model package is installed, so echolot still runs (same-language reuse
still works with it).
"""
from __future__ import annotations

import re

import numpy as np

from echolot.encoders.base import unit_rows
import xxhash


class HashingEncoder:
    name = "hashing"

    def __init__(self, dim: int = 512) -> None:
        self.dim = dim

    def encode(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            norm = " " + re.sub(r"\s+", " ", text.lower()) + " "
            for i in range(len(norm) - 2):
                out[row, xxhash.xxh32_intdigest(norm[i:i + 3].encode("utf-8")) % self.dim] += 1.0
        return unit_rows(out)
