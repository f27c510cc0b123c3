"""The German CRF's word-list feature reads simplemma's shared dictionaries (decoded once per process)."""
from __future__ import annotations

import pytest


def test_crf_word_list_is_the_one_simplemma_itself_uses() -> None:
    dictionary_factory = pytest.importorskip("simplemma.strategies.dictionaries.dictionary_factory")
    from echolot.entities.ner.crf import _word_list

    shared = getattr(dictionary_factory, "DEFAULT_DICTIONARY_FACTORY", None)
    if shared is None:
        pytest.skip("this simplemma has no shared dictionary factory")
    assert _word_list("en") is shared.get_dictionary("en")  # not a second decoded copy
    assert _word_list("en").get("houses") == "house"
