"""Train, score and record the CRF NER models shipped in echolot/entities/models/<lang>.

    python -m echolot.training.ner --lang de    # ~8 min on a quiet 2-core box (5 of them the encoder pass)
    python -m echolot.training.ner --lang en    # ~19 min (spaCy pass + CRF)
    python -m echolot.training.ner --lang ru    # ~1 min

Split (`echolot.eval.splits.ner_is_dev`): a sentence whose sha1(space-joined tokens) % 100 < 20
is the *dev* part (about 20% of each file; it was consulted for decisions, so its figures are dev
figures); every other sentence trains. `--inner` tunes without touching the dev part: it trains
on the training part minus an inner slice (15 hash points, by default 20 <= h < 35;
`--inner-from 35`: 35 <= h < 50) and scores that slice. `--proxy-blocks` also leaves each file's proxy
block (`splits.ner_in_proxy_block`, EuroParl's last 700 sentences) out and scores it whole: an honest
figure for unseen debates. `--stack-tuned DIR` adds tuned-e5 probabilities as features (`ner_stack`).
`--en-train-compartment` (English, `--out DIR` only) trains on CoNLL's original *train* compartment
alone (the file's first `EN_TRAIN_COMPARTMENT` sentences) and scores the original dev compartment
(other documents, none of them trained): the English CRF's honest proxy, the figure to hold against
tuned-e5 (`ner_tuned --score`), which samples English from the same compartment.

A run with the shipped settings writes, beside the model files, `crf-<lang>.record.json`
(`echolot.training.record`): data files with sha256, settings, this command and the hashes of
every output. Nothing in the outputs depends on time or on a vector cache, so the command
rebuilds the shipped bytes (tests/training/test_records.py checks the records).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import shlex
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from echolot.entities.ner.context import CONTEXT_FILE, DEFAULT_LAYERS, ContextTags
from echolot.entities.ner.crf import CLUSTERS_FILE, EXTRAS, META_FILE, WORDTYPES_FILE, CRFTagger
from echolot.entities.ner.data import Sentence, read_conll, write_conll
from echolot.entities.ner.gazetteer import GAZETTEER_FILE
from echolot.entities.ner.wordtype import WordTypes
from echolot.eval.common import find_data_dir, run_scorer
from echolot.eval.splits import NER_DEV_PERCENT, NER_STACK_FOLDS, ner_in_proxy_block, ner_is_dev
from echolot.training.ner_features import VectorCache, external_names, fit_context, fit_word_types, train
from echolot.training.ner_stack import STACK_DIR, stack_inputs
from echolot.training.record import write_record

MODELS_DIR = Path(__file__).resolve().parents[1] / "entities" / "models"
TRAINER = "ner"
EN_TRAIN_COMPARTMENT = 14041  # the first sentences of en.conll2003.conll are CoNLL's train split (data README)
COMPARTMENT_DEV = "en orig-dev compartment, dev part"
COMPARTMENT_WHOLE = "en orig-dev compartment, whole"
SPLIT_RULE = f"echolot.eval.splits.ner_is_dev: sha1(tokens) % 100 < {NER_DEV_PERCENT} is dev, the rest trains"

# The shipped settings per language (what `python -m echolot.training.ner --lang X` uses).
_COMMON: dict[str, Any] = {"c1": 0.05, "c2": 0.01, "iterations": 150, "name_files": [], "clusters": False,
                           "wordtypes": False, "genre": False, "extras": [], "context": False,
                           "context_layers": list(DEFAULT_LAYERS), "context_c": 0.3, "dictionary": True,
                           "ignore_types": ""}
LANGS: dict[str, dict[str, Any]] = {
    "de": {**_COMMON, "files": ["de.germeval.conll", "de.europarl.conll"], "base": None,
           "name_files": ["en.conll2003.conll"], "clusters": True, "wordtypes": True, "genre": True,
           "extras": ["quotes", "position", "gazetteer"], "context": True},
    "en": {**_COMMON, "files": ["en.conll2003.conll"], "base": "spacy"},
    "ru": {**_COMMON, "files": ["ru.factrueval.conll"], "base": "natasha", "ignore_types": "MISC"},
}


def _lang_of(name: str) -> str:
    if not name.startswith("crf-") or name[4:] not in LANGS:
        raise KeyError(f"no NER training record named {name!r} (crf-de, crf-en, crf-ru)")
    return name[4:]


def command(name: str) -> str:
    """The documented command that rebuilds the shipped files of record `name` ("crf-de" ...)."""
    return f"python -m echolot.training.ner --lang {_lang_of(name)}"


def defaults(name: str) -> dict[str, Any]:
    """The settings that `command(name)` trains with (as stored in the record)."""
    return {**LANGS[_lang_of(name)], "split": SPLIT_RULE}


def split_dev(sentences: Sequence[Sentence]) -> tuple[list[Sentence], list[Sentence]]:
    """(train, dev) by `ner_is_dev`."""
    fit: list[Sentence] = []
    dev: list[Sentence] = []
    for sentence in sentences:
        (dev if ner_is_dev([t for t, _ in sentence]) else fit).append(sentence)
    return fit, dev


def split_compartments(sentences: list[Sentence]) -> tuple[list[Sentence], dict[str, list[Sentence]]]:
    """(CoNLL's train compartment, {name: proxy set}): the original dev compartment (the sentences
    after `EN_TRAIN_COMPARTMENT`, other documents) is scored as its dev part and whole; a model
    trained on the first part alone has seen none of it."""
    held = sentences[EN_TRAIN_COMPARTMENT:]
    return sentences[:EN_TRAIN_COMPARTMENT], {
        COMPARTMENT_DEV: [s for s in held if ner_is_dev([t for t, _ in s])], COMPARTMENT_WHOLE: held}


def sample_rank(sentence: Sentence, salt: str) -> str:
    """sha1(salt + tokens): a sentence's place in a fixed sample order (see `sample`)."""
    return hashlib.sha1((salt + " ".join(t for t, _ in sentence)).encode("utf-8")).hexdigest()


def sample(sentences: Sequence[Sentence], n: int, salt: str) -> list[Sentence]:
    """The first `n` sentences in sha1(salt + tokens) order: a fixed sample that does not move when
    a file is re-ordered, and whose first k are the sample of size k."""
    return sorted(sentences, key=lambda s: sample_rank(s, salt))[:n]


def drop_proxy_block(fit: list[Sentence], sentences: list[Sentence], stem: str
                     ) -> tuple[list[Sentence], list[Sentence]]:
    """(training sentences outside the file's proxy block, the whole block): `splits.ner_in_proxy_block`."""
    total = len(sentences)
    inside = {id(s) for i, s in enumerate(sentences) if ner_in_proxy_block(stem, i, total)}
    return [s for s in fit if id(s) not in inside], [s for s in sentences if id(s) in inside]


def in_inner_slice(sentence: Sentence, start: int, width: int = 15) -> bool:
    """The inner tuning slice `start <= hash < start + width` of the training part (same hash as the dev rule)."""
    tokens = [t for t, _ in sentence]
    return ner_is_dev(tokens, start + width) and not ner_is_dev(tokens, start)


def score(tagger: CRFTagger, sentences: list[Sentence], scorer: Path, work: Path, name: str,
          extra: Sequence[str] = ()) -> dict[str, Any]:
    """Tag `sentences`, write gold and prediction CoNLL files, return score.py's figures."""
    gold = work / f"{name}.gold.conll"
    pred = work / f"{name}.pred.conll"
    write_conll(gold, sentences)
    tags = tagger.tag_many([[t for t, _ in s] for s in sentences])
    write_conll(pred, ([(t, p) for (t, _), p in zip(s, ts)] for s, ts in zip(sentences, tags)))
    return run_scorer(scorer, gold, pred, *extra)


def _summary(figures: dict[str, Any]) -> dict[str, Any]:
    out = {"f1": round(figures["overall"]["f1"], 4), "n_gold": figures["overall"]["n_gold"]}
    out.update({t: round(v["f1"], 4) for t, v in figures["per_type"].items()})
    return out


def _parser(lang: str | None = None) -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lang", choices=sorted(LANGS), required=lang is None, default=lang)
    ap.add_argument("--data", type=Path, default=None, help="shared data folder (default: ../shared/data)")
    ap.add_argument("--out", type=Path, default=None, help="model folder (default: the shipped one)")
    ap.add_argument("--c1", type=float)
    ap.add_argument("--c2", type=float)
    ap.add_argument("--iterations", type=int)
    ap.add_argument("--base", help="pretrained tagger whose tags become features (spacy, natasha or none)")
    ap.add_argument("--inner", action="store_true", help="tuning run on an inner slice of the training part")
    ap.add_argument("--inner-from", type=int, default=NER_DEV_PERCENT,
                    help="first hash point of the 15-point inner slice (default 20; the dev part is < 20)")
    ap.add_argument("--train-files", help="comma-separated dev files to train on (cross-file checks)")
    ap.add_argument("--score-files", help="comma-separated dev files scored WHOLE (cross-file checks; no record)")
    ap.add_argument("--no-names", action="store_true", help="do not use other languages' names as a gazetteer")
    ap.add_argument("--no-dictionary", action="store_true", help="no simplemma word-list feature")
    ap.add_argument("--no-clusters", action="store_true", help="no word-cluster features")
    ap.add_argument("--no-wordtypes", action="store_true", help="no word-type prior")
    ap.add_argument("--genre", action=argparse.BooleanOptionalAction, default=None,
                    help="guess each sentence's genre (which training file it resembles) as a feature")
    ap.add_argument("--extras", default=None,
                    help=f"optional feature groups, comma-separated ({', '.join(EXTRAS)}; empty: none)")
    ap.add_argument("--context", action=argparse.BooleanOptionalAction, default=None,
                    help="contextual tag guesses from multilingual-e5 word vectors as features")
    ap.add_argument("--context-c", type=float, help="inverse regularisation of the contextual tag model")
    ap.add_argument("--proxy-blocks", action="store_true", default=None,
                    help="leave each file's proxy block (echolot.eval.splits.ner_in_proxy_block) out of "
                         "training and score it whole")
    ap.add_argument("--en-train-compartment", action="store_true", default=None,
                    help="English, with --out DIR: train on CoNLL's original train compartment only and score "
                         "its original dev compartment (dev part and whole): the CRF's honest proxy")
    ap.add_argument("--stack-tuned", default=None, metavar="DIR",
                    help="stack German tuned-e5 probabilities as CRF features: DIR/f0, DIR/f1 (cross-fitting "
                         "models, `ner_tuned --stack-de K`) and DIR/run (the run-time model, copied into the folder)")
    ap.add_argument("--reuse-fits", type=Path, default=None, metavar="DIR",
                    help="tuning runs: take the word-type prior and the contextual tag model from DIR (a run on "
                         "the same training sentences) instead of refitting them (float16-rounded coefficients)")
    ap.add_argument("--stack-runtime", default="run", help="the sub-folder of --stack-tuned that tags at run time")
    ap.add_argument("--stack-cache", type=Path, default=None,
                    help="folder keeping the tuned probabilities between runs (does not change the outputs)")
    ap.add_argument("--vector-cache", type=Path, default=None,
                    help="pickle that keeps the encoder's word vectors between runs (does not change the outputs)")
    return ap


def settings_from(args: argparse.Namespace) -> dict[str, Any]:
    """The language's shipped settings with the command-line overrides applied."""
    s = dict(LANGS[args.lang])
    for key in ("c1", "c2", "iterations", "genre", "context", "context_c", "proxy_blocks", "en_train_compartment"):
        if getattr(args, key, None) is not None:
            s[key] = getattr(args, key)
    if args.base is not None:
        s["base"] = None if args.base == "none" else args.base
    if args.extras is not None:
        s["extras"] = [x for x in args.extras.split(",") if x]
    if getattr(args, "stack_tuned", None):
        s["stack"] = {"folds": NER_STACK_FOLDS, "runtime": args.stack_runtime}
        s["extras"] = sorted(set(s["extras"]) | {"tuned"})
    if args.train_files:
        s["files"] = args.train_files.split(",")
    for flag, key in (("no_names", "name_files"), ("no_dictionary", "dictionary"), ("no_clusters", "clusters"),
                      ("no_wordtypes", "wordtypes")):
        if getattr(args, flag):
            s[key] = [] if key == "name_files" else False
    return s


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Train with the settings of `args`, score the dev part (or the inner slice / the cross-file
    files), write training.json and, for a shipped-settings run, the training record."""
    lang = args.lang
    settings = settings_from(args)
    data_root = args.data or find_data_dir()
    ner_dir = data_root / "ner"
    if settings.get("en_train_compartment") and (lang != "en" or args.out is None or args.inner or args.score_files):
        raise SystemExit("--en-train-compartment is an English proxy run: it needs --lang en and --out DIR "
                         "(never the shipped folder), without --inner / --score-files")
    out = Path(tempfile.mkdtemp(prefix=f"ner_{lang}_")) if (args.inner or args.score_files) else \
        (args.out or MODELS_DIR / lang)
    train_set: list[Sentence] = []
    genres: list[str] = []
    evals: dict[str, list[Sentence]] = {}
    counts = {}
    for name in settings["files"]:
        sentences = read_conll(ner_dir / "dev" / name)
        if settings.get("en_train_compartment") and name.startswith("en."):
            sentences, compartments = split_compartments(sentences)
            evals.update(compartments)
        fit, held = split_dev(sentences)
        if settings.get("proxy_blocks"):
            fit, block = drop_proxy_block(fit, sentences, name.removesuffix(".conll"))
            if block:
                evals[f"{name.removesuffix('.conll')} proxy block"] = block
        if args.inner:
            if args.inner_from < NER_DEV_PERCENT:
                raise SystemExit("--inner-from must not reach into the dev part")
            inner = [in_inner_slice(s, args.inner_from) for s in fit]
            held = [s for s, x in zip(fit, inner) if x]
            fit = [s for s, x in zip(fit, inner) if not x]
        train_set += fit
        genres += [name.removesuffix(".conll").split(".", 1)[-1]] * len(fit)
        evals[name.removesuffix(".conll")] = held
        counts[name] = {"train": len(fit), "dev": len(held)}
    if args.score_files:  # cross-file check: score other files whole (none of their sentences trained)
        evals = {n.removesuffix(".conll"): read_conll(ner_dir / "dev" / n) for n in args.score_files.split(",")}

    names: list[Sentence] = []
    for name in settings["name_files"]:
        names += read_conll(ner_dir / "dev" / name)
    external = external_names(names) if names else None
    clusters = MODELS_DIR / "de" / CLUSTERS_FILE if settings["clusters"] else None
    word_types = None
    reuse = getattr(args, "reuse_fits", None)
    if reuse is not None and not (args.inner or args.score_files or args.out):
        raise SystemExit("--reuse-fits is for tuning runs (--out DIR): the shipped command refits everything")
    if settings["wordtypes"] and clusters is not None:
        import numpy as np

        if reuse is not None:
            word_types = WordTypes.load(reuse / WORDTYPES_FILE)
        else:
            with np.load(clusters, allow_pickle=False) as z:
                word_types = fit_word_types(train_set, names, z["mean"])
    vectors = context_model = cache = None
    if settings["context"]:
        cache = VectorCache(args.vector_cache, settings["context_layers"])
        vectors = cache.vectors([[t for t, _ in s] for s in train_set])
        context_model = (ContextTags.load(reuse / CONTEXT_FILE) if reuse is not None else
                         fit_context(train_set, vectors, cache.layers, c=settings["context_c"]))
    gazetteer = MODELS_DIR / "de" / GAZETTEER_FILE if "gazetteer" in settings["extras"] else None
    stacked = probs = None
    if settings.get("stack"):
        source = Path(args.stack_tuned) if args.stack_tuned else STACK_DIR
        stacked, probs = stack_inputs(source, out, train_set, args.stack_cache, settings["stack"]["runtime"])
    info = train(train_set, out, c1=settings["c1"], c2=settings["c2"], iterations=settings["iterations"],
                 base=settings["base"], external=external, dictionary_lang=lang if settings["dictionary"] else None,
                 clusters=clusters, word_types=word_types, genres=genres if settings["genre"] else None,
                 extras=settings["extras"], gazetteer=gazetteer, context=context_model, context_vectors=vectors,
                 stacked=stacked)
    tagger = CRFTagger(out)
    if cache is not None:
        tagger.vector_source = cache.vectors
    if probs is not None:
        tagger.stack_source = probs.runtime
    extra = ("--ignore-types", settings["ignore_types"]) if settings["ignore_types"] else ()
    with tempfile.TemporaryDirectory() as tmp:
        figures = {name: _summary(score(tagger, s, ner_dir / "score.py", Path(tmp), name, extra))
                   for name, s in evals.items()}
        parts = {k: v for k, v in evals.items() if "proxy" not in k and "compartment" not in k}
        if len(parts) > 1:
            figures["combined"] = _summary(score(tagger, [x for s in parts.values() for x in s],
                                                 ner_dir / "score.py", Path(tmp), "combined", extra))
    part = "inner slice" if args.inner else "whole files (cross-file)" if args.score_files else "dev part"
    report = {"lang": lang, "split": SPLIT_RULE, "scored": part, "counts": counts, **info,
              "external_names": {"files": settings["name_files"], "words": len(external or {})},
              "figures": figures}
    if not (args.inner or args.score_files):
        _write_meta(out, settings)
        (out / "training.json").write_text(json.dumps(report, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        name = f"crf-{lang}"
        shipped = {**settings, "split": SPLIT_RULE} == defaults(name)
        cmd = command(name) if shipped else "python -m echolot.training.ner " + shlex.join(sys.argv[1:])
        files = [ner_dir / "dev" / f for f in settings["files"] + settings["name_files"]]
        write_record(out, name, TRAINER, cmd, {**settings, "split": SPLIT_RULE}, data_root, files,
                     sorted(p.name for p in out.iterdir() if p.is_file() and not p.name.endswith(".record.json")),
                     notes={"counts": counts, "dev_figures": figures})
    return report


def _write_meta(folder: Path, settings: dict[str, Any]) -> None:
    """Note in meta.json which dev files trained the model: the evaluator then scores only their dev part."""
    meta_path = folder / META_FILE
    meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.is_file() else {}
    meta.update({"trained_on": [f.removesuffix(".conll") for f in settings["files"]], "dev_percent": NER_DEV_PERCENT})
    meta_path.write_text(json.dumps(meta, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def main(argv: Sequence[str] | None = None, lang: str | None = None) -> int:
    """Command line: train one language's model, print its figures as JSON."""
    args = _parser(lang).parse_args(argv)
    report = run(args)
    json.dump(report, sys.stdout, indent=1)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
