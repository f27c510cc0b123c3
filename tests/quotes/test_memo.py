"""The per-sentence memory of the English path's e5 passes (`quotes/memo.py`)."""
from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from echolot.quotes.memo import SentenceMemo


class _Counting:
    def __init__(self) -> None:
        self.calls: list[list[list[str]]] = []

    def __call__(self, sentences: list[list[str]]) -> list[np.ndarray]:
        self.calls.append(sentences)
        return [np.array([len(w) for w in s], np.float32) for s in sentences]


def test_a_sentence_seen_before_is_not_computed_again() -> None:
    memo, compute = SentenceMemo(100), _Counting()
    first = memo.get([["a", "bb"], ["ccc"]], compute)
    again = memo.get([["ccc"], ["dd", "e"], ["a", "bb"]], compute)
    assert compute.calls == [[["a", "bb"], ["ccc"]], [["dd", "e"]]]
    assert [list(x) for x in first] == [[1, 2], [3]]
    assert [list(x) for x in again] == [[3], [2, 1], [1, 2]]
    assert memo.hits == 2 and memo.misses == 3


def test_a_repeated_sentence_in_one_call_is_computed_once() -> None:
    memo, compute = SentenceMemo(100), _Counting()
    got = memo.get([["x", "y"], ["x", "y"]], compute)
    assert compute.calls == [[["x", "y"]]] and len(got) == 2


def test_the_memory_holds_at_most_its_words_oldest_out_first() -> None:
    memo, compute = SentenceMemo(4), _Counting()
    memo.get([["a", "b"]], compute)
    memo.get([["c", "d"]], compute)
    memo.get([["a", "b"]], compute)  # used again: now the newest
    memo.get([["e", "f"]], compute)  # over 4 words: "c d" goes
    compute.calls.clear()
    memo.get([["a", "b"], ["c", "d"]], compute)
    assert compute.calls == [[["c", "d"]]]


def test_disabled_memory_computes_everything() -> None:
    memo, compute = SentenceMemo(0), _Counting()
    memo.get([["a"]], compute)
    memo.get([["a"]], compute)
    assert len(compute.calls) == 2


def test_e5_passes_give_a_sentence_the_same_numbers_in_any_batch(english_quote_models: Any) -> None:
    """Why the memory changes no output: a sentence's vectors and tuned logits do not depend on
    the other sentences read with it (bit for bit)."""
    from echolot.encoders.e5_tokens import shared_or_none
    from echolot.quotes import context, english, tuned
    from echolot.quotes.features import doc_info

    encoder = shared_or_none()
    if encoder is None or not tuned.available(english.MODEL_DIR):
        pytest.skip("e5 token encoder or tuned cue tagger unavailable")
    doc = english_quote_models("The senator said the bill would fail. Critics disagreed with him on Monday. "
                               "A spokeswoman declined to comment on the long and winding report.")
    info = doc_info(doc)
    context._MEMOS.clear()
    tuned._memo.cache_clear()
    alone = [info.sents[1]]
    idx = list(range(alone[0].start, alone[0].end))
    part_v = context.doc_vectors(doc, alone, encoder)[idx]
    part_t = tuned.cue_probs(doc, alone, english.MODEL_DIR)
    context._MEMOS.clear()
    tuned._memo.cache_clear()
    full_v = context.doc_vectors(doc, info.sents, encoder)[idx]
    full_t = tuned.cue_probs(doc, info.sents, english.MODEL_DIR)
    assert part_t is not None and full_t is not None
    assert np.array_equal(part_v, full_v) and np.array_equal(part_t[idx], full_t[idx])
