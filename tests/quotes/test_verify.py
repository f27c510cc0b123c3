"""The learned check of the English attributions: its features, its model file and what it drops."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from echolot.quotes import verify
from echolot.quotes.features import doc_info
from echolot.quotes.spans import Attribution


def _model(tmp_path: Path, split: float = 0.5, low: float = -1.2, high: float = 1.2) -> Path:
    """A one-tree model: conf <= split gives log-odds `low`, above it `high`."""
    body = {"names": ["conf", "fallback"], "bias": 0.0, "roots": [0], "feature": [0, 0, 0],
            "threshold": [split, 0.0, 0.0], "left": [1, -1, -1], "right": [2, -1, -1], "value": [0.0, low, high]}
    (tmp_path / verify.VERIFY_FILE).write_text(json.dumps(body), encoding="utf-8")
    verify.load.cache_clear()
    return tmp_path


def _said(doc: Any, text: str) -> Attribution:
    """The attribution of "X said that Y" with its cue token, as the taggers mark it."""
    cue = next(t for t in doc if t.lower_ == "said")
    start = text.index("that") + len("that ")
    return Attribution(content=[(start, len(text) - 1)], source=(0, cue.idx - 1), cue=(cue.idx, cue.idx + 4),
                       confidence=0.9, extras={"cue_token": cue.i})


def test_features_describe_cue_content_and_source(english_nlp: Any) -> None:
    text = "The senator said that the bill would fail in the House."
    doc = english_nlp(text)
    (row,) = verify.features(doc, doc_info(doc), [_said(doc, text)], {"say": 0})
    assert row["lemma=say"] == 1.0 and row["conf"] == 0.9
    assert row["c_clause"] == 1.0 and row["c_after_that"] == 1.0 and row["c_before_cue"] == 0.0
    assert "src_none" not in row and row["src_after_cue"] == 0.0
    (other,) = verify.features(doc, doc_info(doc), [_said(doc, text)], {})
    assert other["lemma=<other>"] == 1.0 and "lemma=say" not in other


def test_keep_drops_below_the_threshold_and_marks_the_rest(english_nlp: Any, tmp_path: Path) -> None:
    text = "The senator said that the bill would fail in the House."
    doc = english_nlp(text)
    info = doc_info(doc)
    folder = _model(tmp_path)
    sure, unsure = _said(doc, text), _said(doc, text)
    unsure.confidence = 0.1
    kept = verify.keep(doc, info, [sure, unsure], folder, 0.5)
    assert kept == [sure]
    assert sure.extras["verify_prob"] == pytest.approx(1 / (1 + np.exp(-1.2)))
    assert "verify_prob" not in unsure.extras
    assert verify.keep(doc, info, [sure, unsure], folder, 0.0) == [sure, unsure]  # off


def test_without_a_model_every_attribution_stays(english_nlp: Any, tmp_path: Path) -> None:
    text = "The senator said that the bill would fail in the House."
    doc = english_nlp(text)
    verify.load.cache_clear()
    found = [_said(doc, text)]
    assert verify.keep(doc, doc_info(doc), found, tmp_path, 0.9) == found


def test_a_broken_model_file_is_a_clear_error(tmp_path: Path) -> None:
    body = {"names": ["a"], "bias": 0.0, "roots": [0], "feature": [3, 0, 0], "threshold": [0.5, 0.0, 0.0],
            "left": [1, -1, -1], "right": [2, -1, -1], "value": [0.0, 1.0, -1.0]}  # feature 3 of 1
    (tmp_path / verify.VERIFY_FILE).write_text(json.dumps(body), encoding="utf-8")
    verify.load.cache_clear()
    with pytest.raises(ValueError, match="not a verify model"):
        verify.load(str(tmp_path))


def test_only_the_taggers_attributions_are_checked() -> None:
    assert verify.checked(Attribution(content=[(0, 4)], extras={"cue_token": 1}))
    assert not verify.checked(Attribution(content=[(0, 4)], extras={"continues": True}))  # a rule quote


def test_the_shipped_model_loads_and_names_its_weights() -> None:
    from echolot.quotes.english import MODEL_DIR

    verify.load.cache_clear()
    model = verify.load(str(MODEL_DIR))
    if model is None:
        pytest.skip("no shipped verify.json")
    assert "conf" in model.names and "c_clause" in model.names and model.lemmas
    assert (MODEL_DIR / verify.VERIFY_FILE).stat().st_size < 1_000_000


def test_the_english_path_applies_the_check(english_quote_models: Any) -> None:
    from echolot.quotes import english

    if verify.load(str(english.MODEL_DIR)) is None:
        pytest.skip("no shipped verify.json")
    doc = english_quote_models("The senator said that the bill would fail in the House next week.")
    found = english.extract_doc(doc, verify_min_prob=0.0)
    assert found and all("verify_prob" not in a.extras for a in found)  # off: nothing checked
    checked = english.extract_doc(doc, verify_min_prob=0.01)
    assert [a.content for a in checked] == [a.content for a in found]  # a plain "said that" clause stays
    assert all(0.01 <= float(a.extras["verify_prob"]) <= 1.0 for a in checked)  # type: ignore[arg-type]
    assert english.extract_doc(doc, verify_min_prob=1.0) == []  # no probability reaches 1
