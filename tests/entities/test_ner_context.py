"""Contextual tag guesses: cross-fitting, file round trip, features the CRF can use."""
from pathlib import Path

import numpy as np

from echolot.entities.ner.context import ContextTags, guess_features
from echolot.training.ner_features import VectorCache, fit_context


def _toy() -> tuple[list[list[tuple[str, str]]], list[np.ndarray]]:
    """Two clusters in a 4-d space: entity words near +e0, others near +e1."""
    rng = np.random.default_rng(0)
    sentences, vectors = [], []
    for _ in range(40):
        sentence = [("Anna", "B-PER"), ("kam", "O"), ("an", "O")]
        v = np.stack([[1, 0, 0, 0], [0, 1, 0, 0], [0, 1, 0, 0]]).astype(np.float32)
        sentences.append(sentence)
        vectors.append(v + rng.normal(0, 0.1, v.shape).astype(np.float32))
    return sentences, vectors


def test_fit_predicts_and_cross_fits() -> None:
    sentences, vectors = _toy()
    model = fit_context(sentences, vectors, layers=(8,), folds=4)
    assert model.labels == ["B-PER", "O"] and model.coef.shape == (5, 2, 4)
    probs = model.sentence_probs(vectors[:4], cross_fit=True)
    assert all(p.shape == (3, 2) for p in probs)
    assert probs[0][0, 0] > 0.5 and probs[0][1, 1] > 0.5
    feats = guess_features(model, probs[0])
    assert feats[0]["cx"] == "B-PER" and feats[0]["cxt"] == "PER" and "cx:B-PER" in feats[0]
    assert feats[1]["cx"] == "O" and feats[1]["cxt"] == "O"


def test_save_load_round_trip(tmp_path: Path) -> None:
    sentences, vectors = _toy()
    model = fit_context(sentences, vectors, layers=(6, 8), folds=2)
    model.save(tmp_path / "context.npz")
    back = ContextTags.load(tmp_path / "context.npz")
    assert back.labels == model.labels and back.layers == (6, 8) and back.folds == 2
    np.testing.assert_allclose(back.probs(vectors[0]), model.probs(vectors[0]), atol=1e-2)


def test_vector_cache_only_encodes_new_sentences(tmp_path: Path, monkeypatch) -> None:
    calls: list[int] = []

    class Fake:
        def word_vectors(self, sentences, layers):
            calls.append(len(sentences))
            return [np.ones((len(s), 2), np.float32) for s in sentences]

    monkeypatch.setattr("echolot.encoders.e5_tokens.training_states", lambda: Fake())
    cache = VectorCache(tmp_path / "v.pkl", (8,))
    cache.vectors([["a", "b"], ["c"]])
    again = VectorCache(tmp_path / "v.pkl", (8,))
    out = again.vectors([["a", "b"], ["d", "e", "f"]])
    assert calls == [2, 1] and [v.shape for v in out] == [(2, 2), (3, 2)]
    assert VectorCache(tmp_path / "v.pkl", (6,)).data == {}  # other layers: the cache does not apply


def test_german_tagger_uses_context_and_survives_a_missing_encoder(monkeypatch, caplog) -> None:
    from echolot.entities.ner import MODELS_DIR
    from echolot.entities.ner.crf import CRFTagger

    tagger = CRFTagger(MODELS_DIR / "de")
    assert tagger.context is not None and tagger.context.layers == (6, 8)
    tokens = ["Torsten", "Frings", "wechselt", "nach", "Immenstadt", "."]
    with_context = tagger.tag(tokens)
    assert with_context[:2] == ["B-PER", "I-PER"]

    def broken():
        raise OSError("model file unreadable")

    monkeypatch.setattr("echolot.encoders.e5_tokens.shared", broken)
    monkeypatch.setattr("echolot.encoders.e5_tokens._LOAD_FAILED", [])
    with caplog.at_level("WARNING"):
        without = tagger.tag(tokens)
    assert len(without) == len(tokens) and "without contextual features" in caplog.text
