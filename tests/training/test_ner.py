"""NER training: the split comes from echolot.eval.splits, the shipped settings are the documented
ones, overrides never pass for a shipped run, the fallback sample is fixed."""
from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from echolot.entities.ner.fallback import FallbackTagger
from echolot.eval.splits import ner_is_dev
from echolot.training import ner, ner_fallback

SENTENCES = [[(f"Wort{i}", "O"), ("Berlin", "B-LOC"), (str(i), "O")] for i in range(300)]


def test_split_is_the_shared_dev_rule() -> None:
    train, dev = ner.split_dev(SENTENCES)
    assert len(train) + len(dev) == len(SENTENCES) and 0.1 < len(dev) / len(SENTENCES) < 0.3
    assert all(ner_is_dev([t for t, _ in s]) for s in dev)
    assert not any(ner_is_dev([t for t, _ in s]) for s in train)
    inner = [s for s in train if ner.in_inner_slice(s, 20)]
    assert inner and not any(ner_is_dev([t for t, _ in s]) for s in inner)


def test_commands_and_defaults() -> None:
    for lang in ("de", "en", "ru"):
        assert ner.command(f"crf-{lang}") == f"python -m echolot.training.ner --lang {lang}"
        assert ner.defaults(f"crf-{lang}")["iterations"] == 150  # the documented number, also in meta.json
    args = ner._parser().parse_args(["--lang", "ru", "--c1", "0.2", "--no-dictionary"])
    settings = ner.settings_from(args)
    assert settings["c1"] == 0.2 and settings["dictionary"] is False
    assert {**settings, "split": ner.SPLIT_RULE} != ner.defaults("crf-ru")  # such a run is not recorded as shipped
    plain = ner.settings_from(ner._parser().parse_args(["--lang", "de"]))
    assert {**plain, "split": ner.SPLIT_RULE} == ner.defaults("crf-de")
    assert ner_fallback.command("fallback-e5") == "python -m echolot.training.ner_fallback"


def test_fallback_sample_is_fixed_and_nested() -> None:
    a = ner_fallback.sample(SENTENCES, 50, "fallback:")
    assert a == ner_fallback.sample(list(reversed(SENTENCES)), 50, "fallback:")
    assert ner_fallback.sample(SENTENCES, 20, "fallback:") == a[:20]
    assert ner_fallback.drop_types([("EU", "B-MISC"), ("Rom", "B-LOC")], ["MISC"]) == [("EU", "O"), ("Rom", "B-LOC")]


def test_fallback_fit_and_tag_on_toy_vectors(tmp_path: Path) -> None:
    """Entities near +e0 in a 4-d 'encoder' space, others near +e1: the fitted pair tags them."""
    rng = np.random.default_rng(0)
    sentences, vectors = [], []
    for i in range(60):
        sentences.append([("Heute", "O"), ("kam", "O"), (f"Name{i % 7}", "B-PER"), (".", "O")])
        v = np.array([[0, 1, 0, 0], [0, 1, 0, 0], [1, 0, 0, 0], [0, 0, 1, 0]], np.float32)
        vectors.append(v + rng.normal(0, 0.05, v.shape).astype(np.float32))
    settings = {**ner_fallback.DEFAULTS, "folds": 3, "crf_iterations": 30}
    ner_fallback.fit(sentences, vectors, settings, tmp_path)
    tagger = FallbackTagger(tmp_path)
    tagger.vector_source = lambda sents: vectors[:len(sents)]
    assert tagger.tag_many([["Heute", "kam", "Name1", "."]]) == [["O", "O", "B-PER", "O"]]


def test_parser_needs_a_language() -> None:
    try:
        ner._parser().parse_args([])
    except SystemExit:
        return
    raise AssertionError("--lang is required")


def test_settings_namespace_without_overrides_is_shipped() -> None:
    args = argparse.Namespace(lang="en", c1=None, c2=None, iterations=None, genre=None, context=None, context_c=None,
                              base=None, extras=None, train_files=None, no_names=False, no_dictionary=False,
                              no_clusters=False, no_wordtypes=False)
    assert {**ner.settings_from(args), "split": ner.SPLIT_RULE} == ner.defaults("crf-en")


def test_train_compartment_split_keeps_the_original_dev_compartment_out() -> None:
    sentences = [[(f"Satz{i}", "O"), ("Paris", "B-LOC")] for i in range(ner.EN_TRAIN_COMPARTMENT + 400)]
    train, proxies = ner.split_compartments(sentences)
    assert train == sentences[:ner.EN_TRAIN_COMPARTMENT]
    held = sentences[ner.EN_TRAIN_COMPARTMENT:]
    assert proxies[ner.COMPARTMENT_WHOLE] == held
    dev = proxies[ner.COMPARTMENT_DEV]
    assert dev and len(dev) < len(held) and all(ner_is_dev([t for t, _ in s]) for s in dev)
    assert not {id(s) for s in train} & {id(s) for s in held}


def test_train_compartment_runs_are_english_scratch_runs(tmp_path: Path) -> None:
    """The proxy CRF never lands in a shipped folder and never passes for the shipped settings."""
    args = ner._parser().parse_args(["--lang", "en", "--en-train-compartment", "--out", str(tmp_path)])
    assert {**ner.settings_from(args), "split": ner.SPLIT_RULE} != ner.defaults("crf-en")
    for argv in (["--lang", "en", "--en-train-compartment"],
                 ["--lang", "de", "--en-train-compartment", "--out", str(tmp_path)]):
        bad = ner._parser().parse_args([*argv, "--data", str(tmp_path)])
        try:
            ner.run(bad)
        except SystemExit as exc:
            assert "--en-train-compartment" in str(exc)
            continue
        raise AssertionError(f"{argv} must be refused")
    assert not any(tmp_path.iterdir())


def test_tuned_scorer_sends_a_crf_folder_only_its_own_language(tmp_path: Path) -> None:
    from echolot.entities.ner.crf import META_FILE
    from echolot.training import ner_tuned

    (tmp_path / META_FILE).write_text('{"trained_on": ["en.conll2003"]}', encoding="utf-8")
    assert ner_tuned._crf_languages(tmp_path) == {"en"}


def test_tuned_record_only_for_the_bytes_a_shipped_settings_run_wrote(tmp_path: Path) -> None:
    import json

    from echolot.training import ner_tuned
    from echolot.training.record import read_record

    data = tmp_path / "data"
    for names in ner_tuned.FILES.values():
        for name in names:
            (data / "ner" / "dev").mkdir(parents=True, exist_ok=True)
            (data / "ner" / "dev" / name).write_text("Paris B-LOC\n", encoding="utf-8")
    scratch, shipped = tmp_path / "scratch", tmp_path / "xx"
    for folder in (scratch, shipped):
        folder.mkdir()
        (folder / ner_tuned.MODEL_FILE).write_bytes(b"weights")
    report = tmp_path / "report.json"
    settings = ner_tuned.defaults(ner_tuned.NAME)
    report.write_text(json.dumps({"out": str(scratch), "settings": settings, "steps": 7}), encoding="utf-8")
    record = read_record(Path(ner_tuned.record_from(report, shipped, data)["record"]))
    assert record.command == ner_tuned.command(ner_tuned.NAME) and record.settings == settings
    assert record.notes == {"steps": 7} and set(record.outputs) == {ner_tuned.MODEL_FILE}
    (shipped / ner_tuned.MODEL_FILE).write_bytes(b"other weights")
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"out": str(scratch), "settings": {**settings, "epochs": 9}}), encoding="utf-8")
    for source, folder in ((report, shipped), (other, scratch)):  # other bytes; other settings
        try:
            ner_tuned.record_from(source, folder, data)
        except SystemExit:
            continue
        raise AssertionError("a record for a model it does not describe")
