"""Fine-tune multilingual-e5-small as an English **cue tagger** on PolNeAR (`echolot.quotes.tuned`).

    /work/venv-torch/bin/python -m echolot.training.quotes_tuned [--parse-cache /tmp/polnear.spacy]
    ... --out DIR --epochs 1 --positive-share 0.2       # an experiment (writes no record)

**Needs torch** (training only: `pip install -e .[train]`); the runtime tagger is numpy / ONNX.

Why: the cue CRF's misses are PolNeAR's long tail of stance, light-verb and noun cues ("took a shot
at", "backs", "support for") whose lemma and parse look like plain uses; the frozen e5 states behind
the logistic guesses (`quotes/context.py`) told them apart only a little. Fine-tuning the encoder
lets the tagger read what the sentence does with the word.

The model is NER's (`echolot.training.ner_tuned`: frozen dequantised e5, LoRA adapters rank 8 on
layers 5-12, a linear head on each word's first sub-word), with `context.LABELS` as targets: cue
head (H), other cue token (T), outside (O), per non-space spaCy token of each sentence of
`english.load_nlp`'s parse (the words the runtime reads). Data: PolNeAR's `train` part only
(`echolot.eval.splits.quotes_part`); to keep an epoch within the shared machine's budget, a fixed
share of the sentences with a gold cue token and a smaller share of the others (an id hash picks
them, so reruns pick the same). Deterministic as NER's trainer (seeds, one thread).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import xxhash

from echolot.entities.ner.tuned import Window, windows
from echolot.quotes.context import LABELS
from echolot.quotes.english import MODEL_DIR
from echolot.quotes.features import doc_info
from echolot.quotes.tuned import CUE_FILE, NAME
from echolot.training.quotes import DATA_FILE, context_labels, parse_all, read_gold, training_ids
from echolot.training.record import json_settings, module_command, write_record

TRAINER = "quotes_tuned"
DEFAULTS: dict[str, Any] = {
    "labels": list(LABELS), "positive_share": 0.5, "other_share": 0.1, "frozen_layers": 4, "rank": 8,
    "alpha": 16, "epochs": 1, "lr": 1e-3, "head_lr": 2e-3, "warmup": 0.06, "weight_decay": 0.0,
    "batch_tokens": 1024, "max_positions": 512, "seed": 0, "threads": 1, "bf16": False,
}


def command(name: str) -> str:
    """The documented command that rebuilds the shipped tuned cue tagger."""
    return module_command(name, NAME, "echolot.training.quotes_tuned", "tuned quotes")


def defaults(name: str) -> dict[str, Any]:
    """The settings `command(name)` trains with."""
    command(name)
    return json_settings(DEFAULTS)


def _kept(article_id: str, sentence: int, share: float) -> bool:
    """Whether the sample keeps this sentence (a hash, so reruns keep the same ones)."""
    return xxhash.xxh64_intdigest(f"cuetuned:{article_id}:{sentence}".encode()) < share * 2 ** 64


def training_words(docs: Sequence[Any], records: Sequence[dict[str, Any]], settings: dict[str, Any]
                   ) -> tuple[list[list[str]], list[list[int]]]:
    """(words, label ids) of the sampled sentences: non-space tokens of each parsed sentence."""
    sentences: list[list[str]] = []
    labels: list[list[int]] = []
    outside = LABELS.index("O")
    for doc, record in zip(docs, records):
        y = context_labels(doc, record)
        for s, sent in enumerate(doc_info(doc).sents):
            idx = [i for i in range(sent.start, sent.end) if not doc[i].is_space]
            if not idx:
                continue
            positive = any(int(y[i]) != outside for i in idx)
            if _kept(str(record["id"]), s, settings["positive_share"] if positive else settings["other_share"]):
                sentences.append([doc[i].text for i in idx])
                labels.append([int(y[i]) for i in idx])
    return sentences, labels


def labelled_windows(encoder: Any, sentences: list[list[str]], labels: list[list[int]], limit: int
                     ) -> list[tuple[Window, list[int], bool]]:
    """NER trainer items: each window with its words' label ids (no label is ever masked)."""
    out = []
    for w in windows(encoder.vocab.word_ids, sentences, encoder.bos, encoder.eos, encoder.vocab.unk, limit):
        out.append((w, labels[w.sentence][w.start:w.start + len(w.first)], False))
    return out


def run(args: argparse.Namespace) -> dict[str, Any]:
    from threadpoolctl import threadpool_limits

    from echolot.encoders.e5_tokens import E5TokenEncoder
    from echolot.eval.common import find_data_dir
    from echolot.training import ner_tuned

    settings = defaults(NAME)
    for key in ("epochs", "positive_share", "other_share", "threads"):
        if getattr(args, key, None) is not None:
            settings[key] = getattr(args, key)
    data_root = args.data_root or find_data_dir()
    data = data_root / DATA_FILE
    records = read_gold(data)
    records = [records[k] for k in training_ids(records)]  # dev / final are never parsed here
    with threadpool_limits(limits=1):
        docs = parse_all(records, args.parse_cache)
    sentences, labels = training_words(docs, records, settings)
    encoder = E5TokenEncoder(blas_threads=1)
    items = labelled_windows(encoder, sentences, labels, settings["max_positions"])
    print(f"{len(records)} articles, {len(sentences)} sentences sampled, {len(items)} windows",
          file=sys.stderr, flush=True)
    t0 = time.time()
    model, notes = ner_tuned.train(encoder, [], settings, sys.stderr, items=items)
    notes["seconds"] = round(time.time() - t0)
    shipped = args.out is None and settings == defaults(NAME)
    out = args.out or MODEL_DIR
    ner_tuned.export(model, settings, settings["alpha"] / settings["rank"], out / CUE_FILE)
    notes.pop("seconds")  # the record holds no timings (a rerun writes the same bytes)
    notes.update({"articles": len(records), "split": "echolot.eval.splits.quotes_part(id) == 'train'",
                  "parser": "en_core_web_sm (echolot.quotes.english.load_nlp, paragraph breaks)",
                  "needs": "torch (pip install -e .[train]) to retrain; the runtime tagger is numpy / ONNX"})
    if shipped:
        write_record(out, NAME, TRAINER, command(NAME), settings, data_root, [data], [CUE_FILE], notes=notes)
    return {"out": str(out), "settings": settings, **notes}


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data-root", type=Path, default=None, help="shared data folder (default: ../shared/data)")
    ap.add_argument("--out", type=Path, default=None, help="model folder (default: echolot/quotes/models)")
    ap.add_argument("--parse-cache", type=Path, default=None, help="spaCy DocBin of the parses (cache)")
    ap.add_argument("--epochs", type=int, default=None)
    ap.add_argument("--positive-share", type=float, default=None)
    ap.add_argument("--other-share", type=float, default=None)
    ap.add_argument("--threads", type=int, default=None)
    args = ap.parse_args(argv)
    json.dump(run(args), sys.stdout, indent=1)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
