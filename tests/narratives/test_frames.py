"""The frame model's pieces on synthetic data: features, fit, thresholds, save/load."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from echolot.narratives.features import doc_parts, tfidf, tokenize
from echolot.narratives.frames import MODEL_PATH, FrameModel
from echolot.training.frames import fit
from echolot.training.narratives import fit_vocabulary


def test_doc_parts_cuts_title_lead_and_bounded_chunks() -> None:
    text = "\n\n".join(f"Sentence number {i} talks about the budget of the city." for i in range(200))
    doc = doc_parts("Budget news", text, chunk_chars=300, max_chunks=10)
    assert doc.title == "Budget news" and doc.lead.startswith("Budget news Sentence number 0")
    assert len(doc.chunks) == 10 and all(len(c) <= 300 for c in doc.chunks)
    assert "199" in doc.chunks[-1]  # beginning and end are kept
    assert doc_parts(None, "").chunks  # never empty


def test_tfidf_rows_are_normalised() -> None:
    texts = ["Steuer Steuer Haushalt", "vaccine hospital", "Steuer vaccine"]
    vocab, idf = fit_vocabulary(texts, min_df=1)
    assert vocab == sorted(vocab) and "steuer" in vocab
    X = tfidf(texts + ["unknown words only"], vocab, idf).toarray()
    assert np.allclose(np.linalg.norm(X[:3], axis=1), 1.0) and not X[3].any()
    assert tokenize("Covid-19 ist überall") == ["covid", "ist", "überall"]


def _synthetic(n: int = 160, seed: int = 0):  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(seed)
    labels = ["Economic", "Health", "Political"]
    emb = rng.normal(size=(n, 12)).astype(np.float32)
    sets, texts = [], []
    for row in emb:
        chosen = [lab for j, lab in enumerate(labels) if row[j] > 0.3] or ["Political"]
        sets.append(chosen)
        texts.append(" ".join(["money tax"] * ("Economic" in chosen) + ["vaccine"] * ("Health" in chosen) + ["vote"]))
    return emb, texts, sets, labels


def test_fit_learns_signal_and_round_trips(tmp_path: Path) -> None:
    emb, texts, sets, labels = _synthetic()
    genres = ["opinion" if s == ["Political"] else "reporting" for s in sets]
    model = fit(emb[:120], texts[:120], sets[:120], labels, genres=genres[:120], genre_names=["opinion", "reporting"])
    pred = model.predict(emb[120:], tfidf(texts[120:], model.vocabulary, model.idf))
    gold = sets[120:]
    tp = sum(len(set(p) & set(g)) for p, g in zip(pred, gold))
    total = sum(len(p) + len(g) for p, g in zip(pred, gold))
    assert 2 * tp / total > 0.8
    assert all(p for p in pred)  # at least one frame each
    path = tmp_path / "m.npz"
    model.save(path)
    again = FrameModel.load(path)
    txt = tfidf(texts[120:], again.vocabulary, again.idf)
    assert again.predict(emb[120:], txt) == pred
    assert again.predict_genre(emb[120:], txt) == model.predict_genre(emb[120:], txt)


def test_shipped_model_loads() -> None:
    if not MODEL_PATH.is_file():
        import pytest

        pytest.skip("frame model not trained yet (scripts/train_frames.py)")
    model = FrameModel.load()
    assert len(model.labels) == 14 and model.emb_coef.shape == (14, 3 * 512)
    assert model.genres == ["opinion", "reporting", "satire"]
    assert np.all((model.thresholds > 0) & (model.thresholds < 1))
    assert MODEL_PATH.stat().st_size < 8_000_000
