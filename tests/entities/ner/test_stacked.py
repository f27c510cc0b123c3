"""The German stacked tagger: tuned-e5 label probabilities as CRF features (`extra_features: tuned`)."""
from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from echolot.entities.ner import crf
from echolot.entities.ner.crf import CRFTagger, Lexicon, sentence_features
from echolot.entities.ner.tuned import stack_features
from echolot.eval.splits import NER_PROXY_TAIL, ner_fold, ner_in_proxy_block
from echolot.training.ner_features import train

LABELS = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC"]


def _probs(tags: list[str], sure: float = 0.9) -> np.ndarray:
    out = np.full((len(tags), len(LABELS)), (1 - sure) / (len(LABELS) - 1))
    for i, tag in enumerate(tags):
        out[i, LABELS.index(tag)] = sure
    return out


def test_stack_features_name_the_likeliest_label_and_bucket_the_likely_ones() -> None:
    p = np.array([[0.55, 0.4, 0.0, 0.05, 0.0], [0.02, 0.0, 0.98, 0.0, 0.0]])
    feats = stack_features(LABELS, p)
    assert feats[0] == {"tx": "O", "txt": "O", "tx:B-PER": "2"}  # 0.05 is below the 0.1 floor
    assert feats[1] == {"tx": "I-PER", "txt": "PER", "tx:I-PER": "4"}


def test_sentence_features_carry_the_stacked_guesses_into_the_window_and_genre() -> None:
    tokens = ["Er", "traf", "Frings", "."]
    stacked = stack_features(LABELS, _probs(["O", "O", "B-PER", "O"]))
    plain = sentence_features(tokens, Lexicon(), genre="wiki")
    feats = sentence_features(tokens, Lexicon(), genre="wiki", stacked=stacked)
    assert not any(k.startswith("tx") for k in plain[2])
    assert feats[2]["tx"] == "B-PER" and feats[2]["tx:B-PER"] == "4" and feats[2]["g|tx"] == "wiki|B-PER"
    assert feats[1]["1:tx"] == "B-PER" and feats[3]["-1:tx"] == "B-PER"


def test_stacked_crf_learns_to_follow_the_tuned_guesses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Words the CRF never saw are names only by the stacked guesses; the folder must list the group."""
    data, stacked = [], []
    for k in range(60):  # the same shape and context: only the stacked guess tells names from nouns
        tags = ["O", "O", "B-PER" if k % 2 else "O", "O"]
        data.append(list(zip(["Gestern", "kam", f"Zq{k}x", "."], tags)))
        stacked.append(stack_features(LABELS, _probs(tags)))
    train(data, tmp_path / "m", iterations=40, folds=2, extras=("tuned",), stacked=stacked)
    monkeypatch.setattr(crf, "_load_stacked", lambda folder: SimpleNamespace(labels=LABELS))
    tagger = CRFTagger(tmp_path / "m")
    assert tagger.extras == {"tuned"} and tagger.stacked is not None
    sentences = [["Heute", "ging", "Wbx", "."], ["Heute", "ging", "Wbx", "."]]
    tagger.stack_source = lambda ss: [_probs(["O", "O", "B-PER", "O"]), _probs(["O", "O", "O", "O"])]
    assert [t[2] for t in tagger.tag_many(sentences)] == ["B-PER", "O"]


def test_proxy_block_is_the_tail_of_its_file_and_folds_split_sentences() -> None:
    total = 1000
    tail = NER_PROXY_TAIL["de.europarl"]
    inside = [i for i in range(total) if ner_in_proxy_block("de.europarl", i, total)]
    assert inside == list(range(total - tail, total))
    assert not any(ner_in_proxy_block("de.germeval", i, total) for i in range(total))
    folds = [ner_fold([f"w{i}", "x"]) for i in range(400)]
    assert set(folds) == {0, 1} and 150 < folds.count(0) < 250
