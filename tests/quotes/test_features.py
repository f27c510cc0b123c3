"""Tagger features (quotes/features.py) that read the contextual role guesses."""
from __future__ import annotations

import numpy as np
import pytest

from echolot.quotes import context, english
from echolot.quotes.features import cue_features, doc_info, role_features


@pytest.fixture(scope="module")
def doc():  # type: ignore[no-untyped-def]
    try:
        nlp = english.load_nlp()
    except OSError:
        pytest.skip("no English spaCy model")
    return nlp("The senator backs the new tax plan.")


def _guesses(doc, content: set[int], source: set[int]) -> np.ndarray:  # type: ignore[no-untyped-def]
    p = np.tile(np.array([0.0, 1.0, 0.0], np.float32), (len(doc), 1))
    p[sorted(content)] = (0.9, 0.1, 0.0)
    p[sorted(source)] = (0.0, 0.1, 0.9)
    return p


def _subtree(doc, dep: str) -> set[int]:  # type: ignore[no-untyped-def]
    return {t.i for tok in doc if tok.dep_ == dep for t in tok.subtree}


def test_a_candidate_governing_a_statement_and_a_speaker(doc) -> None:  # type: ignore[no-untyped-def]
    info = doc_info(doc)
    backs = next(t.i for t in doc if t.lower_ == "backs")
    if {c.dep_ for c in doc[backs].children} < {"nsubj", "dobj"}:
        pytest.skip("unexpected parse")
    sure = _guesses(doc, _subtree(doc, "dobj"), _subtree(doc, "nsubj"))
    f = cue_features(doc, info, 0, len(doc), None, sure)[backs]
    assert f["axc"] == "7" and f["axs"] == "7" and f["axcs"] == "7|7" and f["axcp"] > 0.8
    plain = _guesses(doc, set(), set())
    g = cue_features(doc, info, 0, len(doc), None, plain)[backs]
    assert g["axc"] == "0" and g["axs"] == "0"
    assert "axc" not in cue_features(doc, info, 0, len(doc))[backs]


def test_role_features_carry_the_token_guess(doc) -> None:  # type: ignore[no-untyped-def]
    info = doc_info(doc)
    backs = next(t.i for t in doc if t.lower_ == "backs")
    plan = next(t.i for t in doc if t.lower_ == "plan")
    senator = next(t.i for t in doc if t.lower_ == "senator")
    feats = role_features(doc, info, backs, 0, len(doc), _guesses(doc, {plan}, {senator}))
    assert feats[plan]["rx"] == "C" and feats[senator]["rx"] == "S"
    assert context.ROLE_LABELS[0] == "C"
