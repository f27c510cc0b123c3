"""`echolot predict quotes` / `echolot eval quotes`: format, offsets, language, and a dev quality gate."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from echolot.eval.common import read_jsonl
from echolot.settings import Settings


def test_predict_writes_scorer_format_with_input_offsets(tmp_path: Path) -> None:
    from echolot.eval.quotes import predict

    text = "„Das ist absolut falsch“, sagte Psaki am Mittwoch. Der Kreml erklärte, dass er die Lage beobachte."
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "d1", "lang": "de", "text": text, "quotes": []}) + "\n", encoding="utf-8")
    out = tmp_path / "pred.jsonl"
    predict([src], out, Settings(home=tmp_path))
    (record,) = list(read_jsonl(out))
    assert record["id"] == "d1"
    contents = [text[q["content"][0]:q["content"][1]] for q in record["quotes"]]
    assert "Das ist absolut falsch" in contents
    assert any(c.startswith("er die Lage beobachte") for c in contents)
    for q in record["quotes"]:
        for s, e in q["content_fragments"]:
            assert q["content"][0] <= s < e <= q["content"][1]
        assert q["source"] is None or text[q["source"][0]:q["source"][1]].strip()


@pytest.mark.slow
def test_dev_quality_gate(data_dir: Path, tmp_path: Path) -> None:
    """150 articles of PolNeAR's dev part (never trained on, consulted for decisions); floors pinned
    a little below the measured figures. The final part is not gated here: a gate is a decision."""
    from echolot.eval.quotes import DEV, evaluate
    from echolot.quotes import english

    if not english.models_available():
        pytest.skip("English quote models not trained")
    figures = evaluate(Settings(home=tmp_path), data_dir, heldout_only=True, max_articles=150, german=False,
                       parts=("dev",))
    assert list(figures) == [DEV]
    dev = figures[DEV]
    assert dev["articles"] == 150
    assert dev["content_f1"] >= CONTENT_F1_FLOOR
    assert dev["source_accuracy"] >= SOURCE_ACC_FLOOR


# measured on these 150 articles: content F1 0.760, source accuracy 0.917 with the fine-tuned cue tagger mixed in
# (scripts/quotes_errors.py --max 150; without it, quotes.tuned_cue_weight=0: 0.754 / 0.912, the parse sources of
# issue #14); the retrained taggers alone 0.754 / 0.877; 0.756 / 0.881 with the previous weights (0.753 / 0.886
# before the role guesses, 0.742 / 0.880 before the contextual cue guesses)
CONTENT_F1_FLOOR = 0.745
SOURCE_ACC_FLOOR = 0.90


def test_the_german_set_can_be_left_out(data_dir: Path, tmp_path: Path) -> None:
    from dataclasses import replace

    from echolot.eval.quotes import DEV, FINAL, evaluate

    settings = Settings(home=tmp_path)
    settings = replace(settings, quotes=replace(settings.quotes, use_model=False, eval_german=False))
    figures = evaluate(settings, data_dir, heldout_only=True, max_articles=2)
    assert list(figures) == [DEV, FINAL]  # dev and final scored apart, German left out
    assert all(f["articles"] == 2 for f in figures.values())


def test_bad_input_gives_one_clear_error(tmp_path: Path) -> None:
    from echolot.eval.quotes import predict

    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "d1"}) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"in.jsonl:1: record has no text field"):
        predict([src], tmp_path / "out.jsonl", Settings(home=tmp_path))


def test_language_comes_from_detection_not_the_record(tmp_path: Path) -> None:
    """A record that says "en" but is German gets the German rules (the declared lang is ignored);
    `--lang` overrides detection."""
    from echolot.eval.quotes import predict

    text = "Die Regierung erklärte am Montag, dass sie die Lage in der Hauptstadt genau beobachte."
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "d1", "lang": "en", "text": text}) + "\n", encoding="utf-8")
    out = tmp_path / "pred.jsonl"
    settings = Settings(home=tmp_path)
    predict([src], out, settings)
    (record,) = list(read_jsonl(out))
    contents = [text[q["content"][0]:q["content"][1]] for q in record["quotes"]]
    assert any(c.startswith("sie die Lage") for c in contents)  # "erklärte, dass": a German cue
    predict([src], out, settings, lang="ru")  # forced: no Russian cue here, so nothing is found
    (forced,) = list(read_jsonl(out))
    assert forced["quotes"] == []


def test_error_script_never_serves_one_models_cached_guesses_for_another(tmp_path: Path) -> None:
    """`scripts/quotes_errors.py --tuned-model DIR`: the tuned-guess cache is keyed by the weights'
    digest and the sentence list, so a candidate model or another sentence screen is really run."""
    import importlib.util
    from types import SimpleNamespace

    spec = importlib.util.spec_from_file_location("quotes_errors", Path(__file__).parents[2] / "scripts/quotes_errors.py")
    assert spec and spec.loader
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    calls: list[tuple[Path, object]] = []

    def guesses(doc: object, info: object, model_dir: Path, sentences: object = None) -> str:
        calls.append((model_dir, sentences))
        return f"{model_dir.name}:{sentences}"

    doc = SimpleNamespace(text="The minister said the talks had failed.")
    shipped, candidate = tmp_path / "shipped", tmp_path / "candidate"
    for folder, weights in ((shipped, b"old"), (candidate, b"new")):
        folder.mkdir()
        (folder / "cue_tuned.npz").write_bytes(weights)
    path = tmp_path / "tuned.pkl"
    first = script.GuessCache(path, script._digest(shipped / "cue_tuned.npz"))
    read = first.wrap(script._reading(guesses, shipped))
    assert read(doc, None, Path("x"), [0]) == "shipped:[0]"
    assert read(doc, None, Path("x"), [0]) == "shipped:[0]" and len(calls) == 1  # cached
    assert read(doc, None, Path("x"), [0, 1]) == "shipped:[0, 1]"  # another sentence list is run
    first.save()
    second = script.GuessCache(path, script._digest(candidate / "cue_tuned.npz"))
    assert second.wrap(script._reading(guesses, candidate))(doc, None, Path("x"), [0]) == "candidate:[0]"
    assert [c[0] for c in calls] == [shipped, shipped, candidate]
