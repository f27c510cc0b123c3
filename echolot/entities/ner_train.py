"""Train, score and write a CRF NER model for one language: the logic behind scripts/train_ner_<lang>.py.

Split (deterministic, shared with `echolot eval ner`): a sentence is HELD OUT when
int(sha1(" ".join(tokens))[:8], 16) % 100 < 20, i.e. about 20% of each file; the rest trains.
`--inner` tunes without touching the held-out part: it trains on the training part minus an
inner validation slice (15 hash points, by default 20 <= h < 35; `--inner-from 35`: 35 <= h < 50)
and scores that slice.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from echolot.entities.ner_context import DEFAULT_LAYERS, ContextTags, VectorCache
from echolot.entities.ner_crf import EXTRAS, META_FILE, CRFTagger, external_names, train
from echolot.entities.ner_data import HELD_OUT_PERCENT, Sentence, read_conll, split, write_conll
from echolot.eval.common import find_data_dir, run_scorer

MODELS_DIR = Path(__file__).resolve().parent / "models"


def _hash_point(sentence: Sentence) -> int:
    return int(hashlib.sha1(" ".join(t for t, _ in sentence).encode("utf-8")).hexdigest()[:8], 16) % 100


def score(tagger: CRFTagger, sentences: list[Sentence], scorer: Path, work: Path, name: str,
          extra: Sequence[str] = ()) -> dict:
    """Tag `sentences`, write gold and prediction CoNLL files, return score.py's figures."""
    gold = work / f"{name}.gold.conll"
    pred = work / f"{name}.pred.conll"
    write_conll(gold, sentences)
    tags = tagger.tag_many([[t for t, _ in s] for s in sentences])
    write_conll(pred, ([(t, p) for (t, _), p in zip(s, ts)] for s, ts in zip(sentences, tags)))
    return run_scorer(scorer, gold, pred, *extra)


def _record_training_files(folder: Path, names: list[str]) -> None:
    """Note in meta.json which dev files trained the model: the evaluator then scores only their held-out part."""
    meta_path = folder / META_FILE
    meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.is_file() else {}
    meta.update({"trained_on": names, "held_out_percent": HELD_OUT_PERCENT})
    meta_path.write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")


def _fit_word_types(train_set: list[Sentence], other: list[Sentence], clusters: Path):  # type: ignore[no-untyped-def]
    """The word-type prior (ner_wordtype.py), centred like the cluster file's vectors."""
    import numpy as np

    from echolot.entities.ner_wordtype import WordTypes

    with np.load(clusters, allow_pickle=False) as z:
        mean = z["mean"]
    return WordTypes.fit(train_set, other, mean)


def _summary(figures: dict) -> dict:
    out = {"f1": round(figures["overall"]["f1"], 4), "n_gold": figures["overall"]["n_gold"]}
    out.update({t: round(v["f1"], 4) for t, v in figures["per_type"].items()})
    return out


def main(lang: str, files: Sequence[str], base: str | None, doc: str, *, c1: float = 0.05, c2: float = 0.01,
         iterations: int = 200, ignore_types: str = "", name_files: Sequence[str] = (),
         clusters: Path | None = None, genre: bool = False, extras: Sequence[str] = (),
         gazetteer: Path | None = None, context: bool = False) -> int:
    """Command line of a training script: parse options, train, score the held-out part, report."""
    ap = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=None, help="shared data folder (default: ../shared/data)")
    ap.add_argument("--out", type=Path, default=MODELS_DIR / lang)
    ap.add_argument("--c1", type=float, default=c1)
    ap.add_argument("--c2", type=float, default=c2)
    ap.add_argument("--iterations", type=int, default=iterations)
    ap.add_argument("--base", default=base or "none", help="pretrained tagger whose tags become features (or none)")
    ap.add_argument("--inner", action="store_true", help="tuning run on an inner validation slice")
    ap.add_argument("--inner-from", type=int, default=HELD_OUT_PERCENT,
                    help="first hash point of the 15-point inner slice (default 20; the held-out part is < 20)")
    ap.add_argument("--no-names", action="store_true", help="do not use other languages' names as a gazetteer")
    ap.add_argument("--no-dictionary", action="store_true", help="no simplemma word-list feature")
    ap.add_argument("--clusters", type=Path, default=clusters,
                    help="word-cluster file (ner_clusters.py) whose ids become features")
    ap.add_argument("--no-clusters", action="store_true", help="no word-cluster features")
    ap.add_argument("--add-other", type=int, default=0,
                    help="also train the CRF on the first N sentences of the other language's name files")
    ap.add_argument("--no-wordtypes", action="store_true",
                    help="no word-type prior (needs the clusters file for its centring vector)")
    ap.add_argument("--genre", action=argparse.BooleanOptionalAction, default=genre,
                    help="guess each sentence's genre (which training file it resembles) as a feature")
    ap.add_argument("--extras", default=",".join(extras),
                    help=f"optional feature groups, comma-separated ({', '.join(EXTRAS)}; empty: none)")
    ap.add_argument("--gazetteer", type=Path, default=gazetteer,
                    help="name-list file for the 'gazetteer' group (scripts/build_gazetteer.py)")
    ap.add_argument("--context", action=argparse.BooleanOptionalAction, default=context,
                    help="contextual tag guesses from multilingual-e5 word vectors (ner_context.py) as features")
    ap.add_argument("--context-layers", default=",".join(map(str, DEFAULT_LAYERS)),
                    help="encoder layers whose states feed the contextual tag model")
    ap.add_argument("--context-c", type=float, default=0.3, help="inverse regularisation of the contextual tag model")
    ap.add_argument("--vector-cache", type=Path, default=None,
                    help="pickle that keeps the encoder's word vectors between runs (tuning)")
    args = ap.parse_args()
    base_name = None if args.base == "none" else args.base
    extra = ("--ignore-types", ignore_types) if ignore_types else ()

    ner_dir = (args.data or find_data_dir()) / "ner"
    train_set: list[Sentence] = []
    genres: list[str] = []
    evals: dict[str, list[Sentence]] = {}
    counts = {}
    for name in files:
        sentences = read_conll(ner_dir / "dev" / name)
        fit, held = split(sentences, HELD_OUT_PERCENT)
        if args.inner:
            if args.inner_from < HELD_OUT_PERCENT:
                raise SystemExit("--inner-from must not reach into the held-out part")
            inner = [args.inner_from <= _hash_point(s) < args.inner_from + 15 for s in fit]
            held = [s for s, x in zip(fit, inner) if x]
            fit = [s for s, x in zip(fit, inner) if not x]
        train_set += fit
        genres += [name.removesuffix(".conll").split(".", 1)[-1]] * len(fit)
        evals[name.removesuffix(".conll")] = held
        counts[name] = {"train": len(fit), "eval": len(held)}

    out = Path(tempfile.mkdtemp(prefix="ner_de_")) if args.inner else args.out
    started = time.time()
    names: list[Sentence] = []
    for name in () if args.no_names else name_files:
        names += read_conll(ner_dir / "dev" / name)
    external = external_names(names) if names else None
    word_types = None
    if not args.no_wordtypes and args.clusters is not None:
        word_types = _fit_word_types(train_set, names, args.clusters)
    crf_set = train_set + names[:args.add_other]
    vectors = context_model = None
    if args.context:
        cache = VectorCache(args.vector_cache, [int(x) for x in args.context_layers.split(",")])
        vectors = cache.vectors([[t for t, _ in s] for s in crf_set])
        context_model = ContextTags.fit(crf_set, vectors, cache.layers, c=args.context_c)
    info = train(crf_set, out, c1=args.c1, c2=args.c2, iterations=args.iterations, base=base_name,
                 external=external, dictionary_lang=None if args.no_dictionary else lang,
                 clusters=None if args.no_clusters else args.clusters, word_types=word_types,
                 genres=genres + ["other"] * (len(crf_set) - len(train_set)) if args.genre else None,
                 extras=[x for x in args.extras.split(",") if x], gazetteer=args.gazetteer,
                 context=context_model, context_vectors=vectors)
    info["clusters"] = None if args.no_clusters or args.clusters is None else args.clusters.name
    info["external_names"] = {"files": [] if args.no_names else list(name_files), "words": len(external or {})}
    info["genre"] = bool(args.genre)
    info["extra_features"] = [x for x in args.extras.split(",") if x]
    if "gazetteer" in info["extra_features"] and args.gazetteer is not None:
        info["gazetteer"] = {"file": args.gazetteer.name, "bytes": args.gazetteer.stat().st_size}
    info["context"] = {"layers": list(context_model.layers), "c": args.context_c} if context_model else None
    info["train_seconds"] = round(time.time() - started, 1)
    tagger = CRFTagger(out)
    if args.context and args.vector_cache is not None:
        tagger.vector_source = cache.vectors
    with tempfile.TemporaryDirectory() as tmp:
        figures = {name: _summary(score(tagger, s, ner_dir / "score.py", Path(tmp), name, extra))
                   for name, s in evals.items()}
        if len(evals) > 1:
            figures["combined"] = _summary(score(tagger, [x for s in evals.values() for x in s],
                                                 ner_dir / "score.py", Path(tmp), "combined", extra))
    _record_training_files(out, [name.removesuffix(".conll") for name in files])
    report = {"lang": lang, "base": base_name,
              "split": f"held out: sha1(tokens) % 100 < {HELD_OUT_PERCENT}" + (" (inner run)" if args.inner else ""),
              "counts": counts, **info, "figures": figures}
    if not args.inner:
        (out / "training.json").write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    json.dump(report, sys.stdout, indent=1)
    print()
    return 0

