"""Training the learned check: the scorer's matching as labels, the lemma vocabulary and the fit."""
from __future__ import annotations

import numpy as np
import pytest

from echolot.quotes.verify import Verifier

from echolot.quotes.spans import Attribution
from echolot.training import quotes_verify


def _gold(text: str, content: str) -> dict[str, object]:
    s = text.index(content)
    return {"content": [s, s + len(content)]}


def test_match_is_one_to_one_and_needs_half_the_words() -> None:
    text = "He said the plan would fail badly next year. She said nothing."
    gold = [_gold(text, "the plan would fail badly next year")]
    pred = [_gold(text, "the plan would fail badly"), _gold(text, "the plan would fail badly next year"),
            _gold(text, "plan")]
    pairs = quotes_verify.match(text, gold, pred)
    assert [(i, j) for i, j, _ in pairs] == [(1, 0)]  # the best overlap wins; the gold is taken once
    assert quotes_verify.match(text, gold, [_gold(text, "plan would")]) == []  # F1 2*2/(2+7) < 0.5


def test_labels_mark_the_matched_attributions() -> None:
    text = "He said the plan would fail badly next year. She said nothing."
    s = text.index("the plan")
    found = [Attribution(content=[(s, s + 30)]), Attribution(content=[(text.index("nothing"), len(text) - 1)])]
    assert quotes_verify.labels(text, [_gold(text, "the plan would fail badly next year")], found) == [1, 0]


def test_fit_orders_sure_above_unsure_cues() -> None:
    rows = [{"crf": 0.9, "lemma=say": 1.0}, {"crf": 0.8}, {"crf": 0.2}, {"crf": 0.1, "fallback": 1.0}] * 10
    ys = [1, 1, 0, 0] * 10
    body = quotes_verify.fit(rows, ys, trees=5, leaves=3, min_leaf=5)
    assert body["names"] == ["crf", "fallback", "lemma=say"]
    model = Verifier(body)
    p = 1 / (1 + np.exp(-model.raw(model.matrix([{"crf": 0.95}, {"crf": 0.05}]))))
    assert p[0] > 0.5 > p[1]
    with pytest.raises(ValueError, match="both"):
        quotes_verify.fit(rows, [1] * len(rows))


def test_the_exported_trees_score_as_sklearn() -> None:
    from sklearn.ensemble import HistGradientBoostingClassifier

    rng = np.random.default_rng(0)
    x = rng.random((400, 4))
    y = (x[:, 0] + 0.5 * x[:, 2] * x[:, 1] + 0.2 * rng.random(400) > 0.8).astype(int)
    model = HistGradientBoostingClassifier(max_iter=20, max_leaf_nodes=7, random_state=0).fit(x, y)
    ours = Verifier(quotes_verify.export(model, ["a", "b", "c", "d"]))
    assert np.allclose(ours.raw(x), model.decision_function(x), atol=1e-4)


def test_defaults_name_only_the_shipped_record() -> None:
    assert quotes_verify.command("verify") == "python -m echolot.training.quotes_verify"
    with pytest.raises(KeyError):
        quotes_verify.defaults("other")
