"""The per-sentence memory of the English path's e5 passes (`quotes/memo.py`)."""
from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from echolot.quotes.memo import MemoTable, SentenceMemo


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


class _Encoder:
    """Stands for an encoder object (takes a weak reference)."""


class _Slotted:
    __slots__ = ("name",)  # no __weakref__: hashable, but no weak reference


def test_one_table_gives_each_key_its_own_memory() -> None:
    table, a, b = MemoTable(100), _Encoder(), _Encoder()
    assert table(a) is table(a) and table(a) is not table(b)
    assert table("/models/x") is table("/models/x") and table("/models/x") is not table("/models/y")
    compute = _Counting()
    table(a).get([["w"]], compute)
    table(b).get([["w"]], compute)  # another model: computed again, never served from a's memory
    assert len(compute.calls) == 2


def test_a_weak_key_takes_its_memory_with_it() -> None:
    import gc

    table, enc = MemoTable(100), _Encoder()
    table(enc).get([["w"]], _Counting())
    del enc
    gc.collect()
    assert len(table._weak) == 0


def test_keys_without_weak_references_are_held_least_recently_used_first_out() -> None:
    table = MemoTable(100, max_keys=2)
    first, slotted = table("a"), _Slotted()
    assert table(slotted) is table(slotted)
    table("a")  # used again: "slotted" is now the oldest
    table("b")
    assert table("a") is first and set(table._strong) == {"a", "b"}


def test_an_unhashable_key_gets_no_memory() -> None:
    table, compute = MemoTable(100), _Counting()
    memo = table([1, 2])
    memo.get([["w"]], compute)
    table([1, 2]).get([["w"]], compute)
    assert not memo.enabled and len(compute.calls) == 2


def test_both_e5_passes_share_the_table() -> None:
    from echolot.quotes import context, tuned

    assert isinstance(context._memo, MemoTable) and isinstance(tuned._memo, MemoTable)
    assert tuned._memo("dir").max_words == tuned.MEMO_WORDS
    assert context._memo(_Encoder()).max_words == context.MEMO_WORDS
    tuned._memo.clear()
    context._memo.clear()


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
    context._memo.clear()
    tuned._memo.clear()
    alone = [info.sents[1]]
    idx = list(range(alone[0].start, alone[0].end))
    part_v = context.doc_vectors(doc, alone, encoder)[idx]
    part_t = tuned.cue_probs(doc, alone, english.MODEL_DIR)
    context._memo.clear()
    tuned._memo.clear()
    full_v = context.doc_vectors(doc, info.sents, encoder)[idx]
    full_t = tuned.cue_probs(doc, info.sents, english.MODEL_DIR)
    assert part_t is not None and full_t is not None
    assert np.array_equal(part_v, full_v) and np.array_equal(part_t[idx], full_t[idx])
