"""The tuned cue tagger's trainer: which sentences it learns from, and that it imports without torch."""
from __future__ import annotations

import subprocess
import sys
from typing import Any


from echolot.quotes.context import LABELS


def test_trainer_imports_without_torch() -> None:
    """CI has no torch: the record check must still import the trainer (torch is imported inside)."""
    code = ("import sys; sys.modules['torch'] = None; import echolot.training.quotes_tuned as t; "
            "print(t.command('cue-tuned'))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "python -m echolot.training.quotes_tuned"


def test_sample_keeps_cue_sentences_and_labels_their_heads(english_nlp: Any) -> None:
    from echolot.training.quotes_tuned import _kept, defaults, training_words

    text = "The weather was fine.\nThe minister said the talks had failed."
    s = text.index("said")
    record = {"id": "a1", "text": text, "quotes": [
        {"cue": [s, s + 4], "content": [s + 5, len(text) - 1], "source": [text.index("The minister"), s - 1]}]}
    settings = {**defaults("cue-tuned"), "positive_share": 1.0, "other_share": 0.0}
    sentences, labels = training_words([english_nlp(text)], [record], settings)
    assert sentences == [["The", "minister", "said", "the", "talks", "had", "failed", "."]]
    assert [LABELS[y] for y in labels[0]] == ["O", "O", "H", "O", "O", "O", "O", "O"]
    settings["other_share"] = 1.0
    assert len(training_words([english_nlp(text)], [record], settings)[0]) == 2
    # the sample is a hash of (article, sentence): the same on every run, about the share asked for
    picks = [_kept(f"x{k}", 0, 0.3) for k in range(2000)]
    assert picks == [_kept(f"x{k}", 0, 0.3) for k in range(2000)]
    assert 0.25 < sum(picks) / len(picks) < 0.35
