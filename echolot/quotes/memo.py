"""Per-sentence memory of the two e5 passes of the English path (contextual guesses, tuned cue tagger).

Why: both passes read each sentence on its own (windows never cross a sentence, and a batch's other
sentences do not change a sentence's numbers: bit-identical, `tests/quotes/test_memo.py`), and they
are most of the English path's CPU (about 0.6 and 0.7 CPU-s of 1.7 per PolNeAR article). News that
echolot reads repeats itself: reprints, wire copy, boilerplate lines, an updated version of the same
story. A sentence seen before, word for word, is not encoded again. Bounded by words held, oldest
sentence out first, so a long ingest keeps a fixed amount of memory.
"""
from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence

import numpy as np

Words = tuple[str, ...]


class SentenceMemo:
    """Arrays per sentence (a tuple of words), computed by `compute` for the sentences not held."""

    def __init__(self, max_words: int) -> None:
        self.max_words = max_words
        self.enabled = max_words > 0
        self._held: OrderedDict[Words, np.ndarray] = OrderedDict()
        self._words = 0
        self.hits = 0
        self.misses = 0

    def clear(self) -> None:
        self._held.clear()
        self._words = 0
        self.hits = self.misses = 0

    def get(self, sentences: Sequence[Sequence[str]],
            compute: Callable[[list[list[str]]], Sequence[np.ndarray]]) -> list[np.ndarray]:
        """One array per sentence, in order; `compute` gets each missing sentence once, in one call."""
        if not self.enabled:
            return list(compute([list(s) for s in sentences]))
        keys = [tuple(s) for s in sentences]
        missing = list(dict.fromkeys(k for k in keys if k not in self._held))
        fresh = dict(zip(missing, compute([list(k) for k in missing]))) if missing else {}
        self.misses += len(missing)
        self.hits += len(keys) - sum(1 for k in keys if k in fresh)
        out = [fresh[k] if k in fresh else self._held[k] for k in keys]
        for k in keys:
            if k in self._held:
                self._held.move_to_end(k)
        for k, value in fresh.items():
            self._held[k] = value
            self._words += len(k)
        while self._words > self.max_words and self._held:
            old, _ = self._held.popitem(last=False)
            self._words -= len(old)
        return out
