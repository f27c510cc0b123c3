"""The fine-tuned e5 cue tagger (`quotes/tuned.py`) and how `english.find_cues` mixes it with the CRF."""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from echolot.quotes import english, tuned


def test_missing_model_falls_back_with_one_warning(tmp_path: Path, caplog: pytest.LogCaptureFixture,
                                                   english_nlp: Any) -> None:
    doc = english_nlp("The minister said the talks had failed.")
    info = english.doc_info(doc)
    with caplog.at_level(logging.WARNING, logger="echolot.quotes.tuned"):
        assert tuned.cue_probs(doc, info.sents, tmp_path) is None
        assert tuned.cue_probs(doc, info.sents, tmp_path) is None
    assert sum("cue_tuned.npz is missing" in r.getMessage() for r in caplog.records) == 1


class _FlatCRF:
    """A stand-in cue CRF: the same marginal for every token."""

    def __init__(self, p: float) -> None:
        self.p = p

    def set(self, feats: Any) -> None:
        pass

    def marginal(self, label: str, k: int) -> float:
        return self.p


def test_find_cues_mixes_the_tuned_head_probability(english_nlp: Any) -> None:
    doc = english_nlp("The minister said the talks had failed.")
    info = english.doc_info(doc)
    said = next(t.i for t in doc if t.text == "said")
    guesses = np.tile(np.array([0.0, 1.0, 0.0], np.float32), (len(doc), 1))
    guesses[said] = (0.9, 0.05, 0.05)
    crf = _FlatCRF(0.2)
    assert english.find_cues(doc, info, crf, 0.3) == []  # the CRF alone finds nothing
    assert english.find_cues(doc, info, crf, 0.3, tuned=guesses, tuned_weight=0.0) == []
    cues = english.find_cues(doc, info, crf, 0.3, tuned=guesses, tuned_weight=0.5)
    assert [i for i, _ in cues] == [said]
    assert cues[0][1] == pytest.approx(0.5 * 0.2 + 0.5 * 0.9)
    # without the tagger's guesses the weight is ignored (the old path)
    assert english.find_cues(doc, info, crf, 0.3, tuned=None, tuned_weight=0.5) == []


def test_shipped_tagger_finds_a_plain_cue(english_nlp: Any) -> None:
    if not (english.MODEL_DIR / tuned.CUE_FILE).is_file():
        pytest.skip("tuned cue tagger not trained (python -m echolot.training.quotes_tuned)")
    if not tuned.available(english.MODEL_DIR):
        pytest.skip("e5 cannot load")
    doc = english_nlp("The minister said the talks had failed.\nThe weather was fine.")
    info = english.doc_info(doc)
    probs = tuned.cue_probs(doc, info.sents, english.MODEL_DIR)
    assert probs is not None and probs.shape == (len(doc), 3)
    assert np.allclose(probs.sum(axis=1), 1.0, atol=1e-4)
    head = probs[:, 0]
    said = next(t.i for t in doc if t.text == "said")
    assert head[said] > 0.5
    assert head[said] == head.max()
    assert all(head[t.i] < 0.2 for t in doc if t.text in {"weather", "fine", "minister"})


def test_the_tuned_tagger_reads_only_sentences_with_a_crf_candidate(english_nlp: Any) -> None:
    doc = english_nlp("The minister said the talks had failed.\nThe weather was fine.")
    info = english.doc_info(doc)
    marginals = [np.full(s.end - s.start, 0.01) for s in info.sents]
    said = next(t.i for t in doc if t.text == "said")
    marginals[0][said - info.sents[0].start] = 0.3
    assert english.tuned_sentences(marginals, 0.04) == [0]
    assert english.tuned_sentences(marginals, 0.0) == [0, 1]
    guesses = np.tile(np.array([0.95, 0.05, 0.0], np.float32), (len(doc), 1))  # "sure" of every token
    # a sentence the tagger did not read counts its guess as outside: no cue there
    cues = english.mix_cues(info, marginals, 0.35, guesses, 0.4, live=[0])
    assert all(info.sent_of[i] == 0 for i, _ in cues) and said in {i for i, _ in cues}
    everywhere = english.mix_cues(info, marginals, 0.35, guesses, 0.4, live=None)  # 0.6 * 0.01 + 0.4 * 0.95
    assert any(info.sent_of[i] == 1 for i, _ in everywhere)


def test_tuned_guesses_of_skipped_sentences_are_outside(english_nlp: Any) -> None:
    if not (english.MODEL_DIR / tuned.CUE_FILE).is_file() or not tuned.available(english.MODEL_DIR):
        pytest.skip("tuned cue tagger not available")
    doc = english_nlp("The minister said the talks had failed.\nThe spokesman said it was over.")
    info = english.doc_info(doc)
    both = english.tuned_guesses(doc, info, english.MODEL_DIR)
    first = english.tuned_guesses(doc, info, english.MODEL_DIR, [0])
    second = info.sents[1]
    assert np.allclose(first[:second.start], both[:second.start], atol=1e-5)  # a sentence is read on its own
    assert np.all(first[second.start:second.end, 1] == 1.0)
