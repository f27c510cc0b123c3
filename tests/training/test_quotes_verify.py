"""Training the learned check: the scorer's matching as labels, the lemma vocabulary and the fit."""
from __future__ import annotations

import pytest

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


def test_fit_learns_the_sign_and_rounds() -> None:
    rows = [{"crf": 0.9, "lemma=say": 1.0}, {"crf": 0.8}, {"crf": 0.2}, {"crf": 0.1, "fallback": 1.0}] * 5
    ys = [1, 1, 0, 0] * 5
    body = quotes_verify.fit(rows, ys)
    assert body["names"] == ["crf", "fallback", "lemma=say"]
    crf = body["coef"][0]
    assert crf > 0 and round(crf, 6) == crf
    with pytest.raises(ValueError, match="both"):
        quotes_verify.fit(rows, [1] * len(rows))


def test_defaults_name_only_the_shipped_record() -> None:
    assert quotes_verify.command("verify") == "python -m echolot.training.quotes_verify"
    with pytest.raises(KeyError):
        quotes_verify.defaults("other")
