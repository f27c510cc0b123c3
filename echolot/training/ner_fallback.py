"""Train and measure the multilingual fallback NER tagger (`echolot.entities.ner.fallback`).

    python -m echolot.training.ner_fallback                 # the shipped model (models/xx), with its record
    python -m echolot.training.ner_fallback --holdout ru    # proxy for an unseen language: train on de+en,
                                                            # score ru's dev sample (nothing written)

Data: a fixed sample of each language's *training* part (sha1("fallback:" + tokens) order, the
first `per_lang` sentences; `echolot.eval.splits.ner_is_dev` decides train vs dev), MISC tags
dropped (the fallback tags PER / ORG / LOC). Scoring: a fixed sample of each dev part
(sha1("fallback-eval:" + tokens) order), exact spans, MISC ignored; with `--holdout X` the
language X is left out of training, so its figure says how the tagger does on a language it
never saw (a proxy: fr/es/pl are not de/en/ru, but e5's space is shared).
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from echolot.entities.ner.data import Sentence, read_conll, write_conll
from echolot.entities.ner.fallback import CRF_FILE, GUESS_FILE, NAME, FallbackTagger, guesses_for, sentence_features
from echolot.eval.common import find_data_dir, run_scorer
from echolot.learn import ContextTags, fit_fold_models
from echolot.training.ner import MODELS_DIR, sample, split_dev
from echolot.training.ner_features import VectorCache
from echolot.training.record import json_settings, module_command, write_record

TRAINER = "ner_fallback"
FOLDER = MODELS_DIR / "xx"
FILES = {"de": ["de.germeval.conll", "de.europarl.conll"], "en": ["en.conll2003.conll"], "ru": ["ru.factrueval.conll"]}
DEFAULTS: dict[str, Any] = {"languages": sorted(FILES), "files": FILES, "per_lang": 1000, "eval_per_lang": 300,
                            "layers": [6, 8], "c": 0.3, "folds": 3, "max_iter": 200, "keep_outside": 0.25,
                            "crf_c1": 0.05, "crf_c2": 0.01,
                            "crf_iterations": 100, "drop_types": ["MISC"]}


def command(name: str) -> str:
    """The documented command that rebuilds the shipped fallback model."""
    return module_command(name, NAME, "echolot.training.ner_fallback", "fallback NER")


def defaults(name: str) -> dict[str, Any]:
    """The settings `command(name)` trains with."""
    command(name)
    return json_settings(DEFAULTS)


def drop_types(sentence: Sentence, types: Sequence[str]) -> Sentence:
    """Tags of the dropped types become O."""
    return [(t, "O" if tag != "O" and tag[2:] in types else tag) for t, tag in sentence]


def load_parts(data_root: Path, settings: dict[str, Any]) -> tuple[dict[str, list[Sentence]], dict[str, list[Sentence]]]:
    """(training sample, dev sample) per language."""
    train: dict[str, list[Sentence]] = {}
    dev: dict[str, list[Sentence]] = {}
    for lang, names in settings["files"].items():
        fit: list[Sentence] = []
        held: list[Sentence] = []
        for name in names:
            a, b = split_dev(read_conll(data_root / "ner" / "dev" / name))
            fit += a
            held += b
        train[lang] = [drop_types(s, settings["drop_types"]) for s in sample(fit, settings["per_lang"], "fallback:")]
        dev[lang] = [drop_types(s, settings["drop_types"])
                     for s in sample(held, settings["eval_per_lang"], "fallback-eval:")]
    return train, dev


def fit(sentences: Sequence[Sentence], vectors: Sequence[np.ndarray], settings: dict[str, Any], folder: Path) -> None:
    """Fit the cross-fitted softmax and the CRF over its guesses; write both files into `folder`."""
    import pycrfsuite

    labels = sorted({tag for s in sentences for _, tag in s})
    index = {label: i for i, label in enumerate(labels)}
    x = np.concatenate(vectors).astype(np.float32)
    y = np.array([index[tag] for s in sentences for _, tag in s])
    folds = settings["folds"]
    fold = np.concatenate([np.full(len(s), i % folds) for i, s in enumerate(sentences)])
    # outside rows are ~85% of the data and the slow part: keep a fixed share, then shift the O bias
    # by -log(share) so the probabilities stay calibrated (as the quote cue guesses do)
    outside = index["O"]
    keep = (y != outside) | (np.random.default_rng(0).random(len(y)) < settings["keep_outside"])
    coef, bias = fit_fold_models(x[keep], y[keep], fold[keep], len(labels), folds, settings["c"], settings["max_iter"])
    bias[:, outside] -= np.log(settings["keep_outside"])
    guesser = ContextTags(coef, bias, labels, settings["layers"], folds)
    folder.mkdir(parents=True, exist_ok=True)
    guesser.save(folder / GUESS_FILE)
    # the CRF trains on the guesses the stored (float16) coefficients give, cross-fitted
    guesser = ContextTags.load(folder / GUESS_FILE)
    tokens = [[t for t, _ in s] for s in sentences]
    guesses = guesses_for(guesser, tokens, vectors, cross_fit=True) or []
    trainer = pycrfsuite.Trainer(verbose=False)
    for sentence, toks, guess in zip(sentences, tokens, guesses):
        trainer.append(sentence_features(toks, guess), [tag for _, tag in sentence])
    trainer.set_params({"c1": settings["crf_c1"], "c2": settings["crf_c2"],
                        "max_iterations": settings["crf_iterations"], "feature.possible_transitions": True})
    trainer.train(str(folder / CRF_FILE))


def score(tagger: FallbackTagger, sentences: list[Sentence], scorer: Path, work: Path, name: str) -> dict[str, Any]:
    """Exact-span figures (MISC ignored) of the tagger on gold sentences."""
    gold, pred = work / f"{name}.gold.conll", work / f"{name}.pred.conll"
    write_conll(gold, sentences)
    tags = tagger.tag_many([[t for t, _ in s] for s in sentences])
    write_conll(pred, ([(t, p) for (t, _), p in zip(s, ts)] for s, ts in zip(sentences, tags)))
    figures = run_scorer(scorer, gold, pred, "--ignore-types", "MISC")
    out = {"f1": round(figures["overall"]["f1"], 4), "precision": round(figures["overall"]["precision"], 4),
           "recall": round(figures["overall"]["recall"], 4), "n_gold": figures["overall"]["n_gold"]}
    out.update({t: round(v["f1"], 4) for t, v in figures["per_type"].items()})
    return out


def run(args: argparse.Namespace) -> dict[str, Any]:
    settings = defaults(NAME)
    data_root = args.data or find_data_dir()
    train, dev = load_parts(data_root, settings)
    langs = [lang for lang in settings["languages"] if lang != args.holdout]
    sentences = [s for lang in langs for s in train[lang]]
    cache = VectorCache(args.vector_cache, settings["layers"])
    vectors = cache.vectors([[t for t, _ in s] for s in sentences])
    out = Path(tempfile.mkdtemp(prefix="ner_fallback_")) if args.holdout else (args.out or FOLDER)
    fit(sentences, vectors, settings, out)
    tagger = FallbackTagger(out)
    tagger.vector_source = cache.vectors
    scored = [args.holdout] if args.holdout else settings["languages"]
    with tempfile.TemporaryDirectory() as tmp:
        figures = {lang: score(tagger, dev[lang], data_root / "ner" / "score.py", Path(tmp), lang) for lang in scored}
    report = {"trained_on": langs, "sentences": len(sentences), "scored": "dev sample (MISC ignored)",
              "figures": figures}
    if not args.holdout:
        files = [data_root / "ner" / "dev" / f for names in settings["files"].values() for f in names]
        (out / "fallback.training.json").write_text(json.dumps(report, indent=1, sort_keys=True) + "\n",
                                                    encoding="utf-8")
        write_record(out, NAME, TRAINER, command(NAME), settings, data_root, files,
                     [GUESS_FILE, CRF_FILE, "fallback.training.json"], notes={"dev_figures": figures})
    return report


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=None, help="shared data folder (default: ../shared/data)")
    ap.add_argument("--out", type=Path, default=None, help="model folder (default: echolot/entities/models/xx)")
    ap.add_argument("--holdout", choices=sorted(FILES), default=None,
                    help="leave this language out of training and score only it (nothing is written)")
    ap.add_argument("--vector-cache", type=Path, default=None,
                    help="pickle that keeps the encoder's word vectors between runs (does not change the outputs)")
    args = ap.parse_args(argv)
    json.dump(run(args), sys.stdout, indent=1)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
