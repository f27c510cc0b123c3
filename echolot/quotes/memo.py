"""Per-sentence memory of the two e5 passes of the English path (contextual guesses, tuned cue tagger).

Why: both passes read each sentence on its own (windows never cross a sentence, and a batch's other
sentences do not change a sentence's numbers: bit-identical, `tests/quotes/test_memo.py`), and they
are most of the English path's CPU (about 0.6 and 0.7 CPU-s of 1.7 per PolNeAR article). News that
echolot reads repeats itself: reprints, wire copy, boilerplate lines, an updated version of the same
story. A sentence seen before, word for word, is not encoded again. Bounded by words held, oldest
sentence out first, so a long ingest keeps a fixed amount of memory.
"""
from __future__ import annotations

import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from typing import Any

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


class MemoTable:
    """One `SentenceMemo` per key (an encoder object, a model folder): arrays computed by one model are
    never served for another. The one way both e5 passes get their memory (`context.doc_vectors`,
    `tuned.cue_probs`).

    A key that takes a weak reference (an encoder) is held weakly, so its memory goes with it; any
    other hashable key (a folder name: strings take no weak reference) is held in a small table,
    the least recently used of more than `max_keys` dropped. A key that is neither gets a memory
    of its own that holds nothing (every sentence computed, as without a memory)."""

    def __init__(self, max_words: int, max_keys: int = 2) -> None:
        self.max_words = max_words
        self.max_keys = max_keys
        self._weak: weakref.WeakKeyDictionary[Any, SentenceMemo] = weakref.WeakKeyDictionary()
        self._strong: OrderedDict[Hashable, SentenceMemo] = OrderedDict()

    def __call__(self, key: Any) -> SentenceMemo:
        try:
            memo = self._weak.get(key)
            if memo is None:
                memo = self._weak[key] = SentenceMemo(self.max_words)
            return memo
        except TypeError:  # no weak reference to it (a str, a slotted object)
            pass
        try:
            memo = self._strong.get(key)
        except TypeError:  # unhashable: nothing to file its memory under
            return SentenceMemo(0)
        if memo is None:
            memo = self._strong[key] = SentenceMemo(self.max_words)
            while len(self._strong) > self.max_keys:
                self._strong.popitem(last=False)
        else:
            self._strong.move_to_end(key)
        return memo

    def clear(self) -> None:
        """Forget every key's memory (tests; a model reloaded under the same key)."""
        self._weak.clear()
        self._strong.clear()
