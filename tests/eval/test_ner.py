"""`echolot predict ner` keeps the tokens; `echolot eval ner` stays above pinned floors (quality gate).

Floors sit a few points below the figures measured when the models were trained (see
docs/ner.md), on the dev parts of the files (`echolot.eval.splits.ner_is_dev`): never trained on,
but consulted for decisions, so these are dev figures.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from echolot.cli import main
from echolot.entities.ner.data import read_conll, write_conll
from echolot.eval.ner import evaluate, trained_on
from echolot.settings import Settings

FLOORS = {  # exact-span micro F1; ru is served by the fine-tuned e5 tagger (tuned-e5), de and en by their CRFs
    "de.germeval": 0.70,  # measured 0.738 with the German CRF (tuned-e5: 0.771, not shipped for de)
    "de.europarl": 0.90,  # measured 0.925 with the German CRF (tuned-e5: 0.854)
    "en.conll2003": 0.91,  # measured 0.9226 (tuned-e5-en; 0.940 with crf-en)
    "ru.factrueval": 0.83,  # measured 0.857 with tuned-e5 (crf-ru: 0.854; MISC ignored)
}
# both German dev parts scored together; measured 0.820 with the German CRF (tuned-e5: 0.807)
GERMAN_COMBINED_FLOOR = 0.80


def test_predict_cli_keeps_tokens_and_guesses_language(data_dir: Path, tmp_path: Path) -> None:
    for name in ("de.germeval", "en.conll2003", "ru.factrueval"):
        gold = read_conll(data_dir / "ner" / "dev" / f"{name}.conll")[:25]
        source = tmp_path / f"{name}.conll"
        write_conll(source, gold)
        out = tmp_path / f"{name}.pred.conll"
        result = CliRunner().invoke(main, ["predict", "ner", str(source), "-o", str(out)])
        assert result.exit_code == 0, result.output
        pred = read_conll(out)
        assert [[t for t, _ in s] for s in pred] == [[t for t, _ in s] for s in gold]
        assert sum(tag != "O" for s in pred for _, tag in s) > 0.5 * sum(tag != "O" for s in gold for _, tag in s)


def test_language_comes_from_the_text_not_the_file_name(data_dir: Path) -> None:
    from echolot.eval.ner import detect_sentences_language

    for name, lang in (("de.germeval", "de"), ("en.conll2003", "en"), ("ru.factrueval", "ru")):
        assert detect_sentences_language(read_conll(data_dir / "ner" / "dev" / f"{name}.conll")[:40]) == lang
    assert detect_sentences_language([[("1234", "O")]]) is None


def test_trained_files_are_scored_on_dev_part_only() -> None:
    assert {"de.germeval", "de.europarl"} <= trained_on()


@pytest.mark.slow
def test_quality_gate(data_dir: Path) -> None:
    figures = evaluate(Settings(), data_dir, max_sentences=None)
    by_file = {key.split(" ", 1)[0]: value for key, value in figures.items()}
    for name, floor in FLOORS.items():
        assert by_file[name]["f1"] >= floor, (name, by_file[name])
    assert any("(dev 20%)" in key for key in figures)
    assert by_file["de"]["f1"] >= GERMAN_COMBINED_FLOOR, by_file["de"]


FALLBACK_FLOOR = 0.45  # exact-span F1 (PER/ORG/LOC) of the multilingual fallback on each language's dev sample


@pytest.mark.slow
def test_fallback_quality_gate(data_dir: Path, tmp_path: Path) -> None:
    """The shipped fallback tagger on the dev samples of de/en/ru (training languages: a dev figure,
    the unseen-language proxy is `python -m echolot.training.ner_fallback --holdout X`)."""
    from echolot.entities.ner import FALLBACK_DIR, supports
    from echolot.entities.ner.fallback import FallbackTagger
    from echolot.training import ner_fallback

    if not supports("fr"):
        pytest.skip("fallback model or e5 encoder not installed")
    _, dev = ner_fallback.load_parts(data_dir, ner_fallback.defaults("fallback-e5"))
    tagger = FallbackTagger(FALLBACK_DIR)
    for lang, sentences in dev.items():
        figures = ner_fallback.score(tagger, sentences[:150], data_dir / "ner" / "score.py", tmp_path, lang)
        assert figures["f1"] >= FALLBACK_FLOOR, (lang, figures)
