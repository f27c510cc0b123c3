"""Contextual cue guesses (quotes/context.py): fitting, features, and the encoder-less fallback."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from echolot.quotes import context, english


def _toy(n_articles: int = 10, names: tuple[str, ...] = context.LABELS, seed: int = 1) -> tuple[list, list, list]:
    """Articles whose first and last label (cue head / other cue token, or content / source) are
    told apart by one coordinate of the vector each."""
    rng = np.random.default_rng(seed)
    vectors, labels = [], []
    for _ in range(n_articles):
        y = rng.choice(len(names), size=40, p=[0.2, 0.7, 0.1])
        x = rng.normal(size=(40, context.DIM)).astype(np.float32) * 0.1
        x[:, 0] += (y == 0) * 3.0
        x[:, 1] += (y == 2) * 3.0
        vectors.append(x)
        labels.append(y)
    return vectors, labels, [k % 2 for k in range(n_articles)]


def test_fit_separates_heads_and_keeps_one_model_per_fold(tmp_path: Path) -> None:
    pytest.importorskip("sklearn")
    vectors, labels, folds = _toy()
    model = context.fit(vectors, labels, folds, folds=2, keep_outside=0.5, iterations=100)
    assert model.coef.shape[:2] == (3, len(context.LABELS))
    model.save(tmp_path / context.CONTEXT_FILE)
    loaded = context.load(tmp_path / context.CONTEXT_FILE)
    p = loaded.probs(vectors[0])
    heads = labels[0] == context.LABELS.index("H")
    assert p[heads, 0].mean() > 0.7 > p[~heads, 0].mean()
    assert np.allclose(p.sum(axis=1), 1.0, atol=1e-4)


def test_features_bucket_the_head_probability() -> None:
    f: dict = {}
    context.add_features(f, np.array([0.8, 0.15, 0.05]))
    assert f["cx"] == "H" and f["cxh"] == "7" and f["cxc"] == "7" and abs(f["cxp"] - 0.8) < 1e-6
    g: dict = {}
    context.add_features(g, np.array([0.01, 0.87, 0.12]))
    assert g["cx"] == "O" and g["cxh"] == "0" and g["cxc"] == "3"


def test_article_folds_are_stable() -> None:
    assert context.article_fold("a1", 5) == context.article_fold("a1", 5)
    assert {context.article_fold(f"a{k}", 5) for k in range(50)} == set(range(5))


def test_no_guesses_without_a_context_file(tmp_path: Path) -> None:
    assert english.context_guesses(None, None, tmp_path) == (None, None)  # type: ignore[arg-type]


def test_an_encoder_failure_tags_without_guesses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  caplog: pytest.LogCaptureFixture) -> None:
    pytest.importorskip("sklearn")
    vectors, labels, folds = _toy(4)
    context.fit(vectors, labels, folds, folds=2, iterations=50).save(tmp_path / context.CONTEXT_FILE)

    from echolot.encoders import e5_tokens

    def broken():  # type: ignore[no-untyped-def]
        raise OSError("no model file")

    monkeypatch.setattr(e5_tokens, "shared", broken)
    monkeypatch.setattr(e5_tokens, "_LOAD_FAILED", [])
    assert english.context_guesses(None, None, tmp_path)[0] is None  # type: ignore[arg-type]
    assert english.context_guesses(None, None, tmp_path)[0] is None  # type: ignore[arg-type]
    assert sum("contextual encoder unavailable" in r.message for r in caplog.records) == 1


def test_role_guesses_fit_with_their_own_labels(tmp_path: Path) -> None:
    pytest.importorskip("sklearn")
    vectors, labels, folds = _toy(8, context.ROLE_LABELS, seed=2)
    model = context.fit(vectors, labels, folds, folds=2, keep_outside=0.5, iterations=100, names=context.ROLE_LABELS)
    model.save(tmp_path / context.ROLE_CONTEXT_FILE)
    loaded = context.load(tmp_path / context.ROLE_CONTEXT_FILE)
    assert loaded.labels == list(context.ROLE_LABELS)
    p = loaded.probs(vectors[0])
    content = labels[0] == context.ROLE_LABELS.index("C")
    assert p[content, 0].mean() > 0.7 > p[~content, 0].mean()


def test_role_features_bucket_content_and_source() -> None:
    f: dict = {}
    context.add_role_features(f, np.array([0.75, 0.2, 0.05]))
    assert f["rx"] == "C" and f["rxc"] == "7" and f["rxs"] == "2" and abs(f["rxsp"] - 0.05) < 1e-6
    g: dict = {}
    context.add_role_features(g, np.array([0.01, 0.09, 0.9]))
    assert g["rx"] == "S" and g["rxc"] == "0" and g["rxs"] == "8"

