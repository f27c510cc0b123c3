"""Counting the English cue lexicon (`echolot.quotes.cue_lexicon`) on PolNeAR's training part.

For every word outside quotation marks in a training article, each of its frame keys
(`cue_lexicon.frame_keys`: lemma, part of speech and what it governs) is counted once, and once more
as a cue when the word is the head of an annotated cue (`echolot.training.quotes.gold_heads`, the
cue taggers' own targets). Kept: every key of a lemma that heads at least one cue in some frame, so
that a lookup can stop at a specific key that is rarely a cue rather than fall back to a general
one. Which articles: `quotes_part(id) == "train"` (dev and final are never counted).

    python -m echolot.training.quotes_lexicon [--parse-cache FILE] [--out DIR]

Writes `cue_lexicon.json` (sorted keys, no timestamps: a rerun writes the same bytes) and
`cue-lexicon.record.json`.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from echolot.quotes.cue_lexicon import LEXICON_FILE, frame_keys
from echolot.quotes.english import MODEL_DIR
from echolot.quotes.features import doc_info
from echolot.training.quotes import DATA_FILE, _data_root, gold_heads, parse_all, read_gold, training_ids
from echolot.training.record import module_command

RECORD_NAME = "cue-lexicon"


def defaults(name: str) -> dict[str, Any]:
    """The settings of the shipped record (the lexicon has none beyond its data and split)."""
    command(name)
    return {"split": "train", "skip_quoted": True}


def command(name: str) -> str:
    """The command that rebuilds the shipped record `name` (a KeyError for any other name)."""
    return module_command(name, RECORD_NAME, "echolot.training.quotes_lexicon", "cue-lexicon training")


def count(docs: Sequence[Any], records: Sequence[dict[str, Any]]) -> dict[str, tuple[int, int]]:
    """(cue heads, occurrences) per frame key over `docs`, keys of never-cue lemmas left out."""
    cues: Counter[str] = Counter()
    total: Counter[str] = Counter()
    cue_lemmas: set[str] = set()
    for doc, record in zip(docs, records):
        info = doc_info(doc)
        heads = gold_heads(doc, record.get("quotes") or [])
        for tok in doc:
            if info.quote_of[tok.i] >= 0:
                continue
            for key in frame_keys(tok):
                total[key] += 1
                if tok.i in heads:
                    cues[key] += 1
                    cue_lemmas.add(key.split("|", 1)[0])
    return {k: (cues[k], n) for k, n in sorted(total.items()) if k.split("|", 1)[0] in cue_lemmas}


def train(data: Path, out: Path = MODEL_DIR, parse_cache: Path | None = None) -> Path:
    """Count the lexicon of the training part of `data` into `out`; returns the record written."""
    from echolot.training.record import write_record

    records = read_gold(data)
    docs = parse_all(records, parse_cache)
    keep = training_ids(records)
    counts = count([docs[k] for k in keep], [records[k] for k in keep])
    out.mkdir(parents=True, exist_ok=True)
    body = {"counts": {k: list(v) for k, v in counts.items()}}
    (out / LEXICON_FILE).write_text(json.dumps(body, sort_keys=True, separators=(",", ":")) + "\n", encoding="utf-8")
    notes = {"split": "echolot.eval.splits.quotes_part(id) == 'train'", "articles": len(keep), "keys": len(counts),
             "parser": "en_core_web_sm (echolot.quotes.english.load_nlp, paragraph breaks)"}
    return write_record(out, RECORD_NAME, "quotes_lexicon", command(RECORD_NAME), defaults(RECORD_NAME), _data_root(data), [data],
                        [LEXICON_FILE], notes)


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=None, help=f"gold articles (default: <shared data>/{DATA_FILE})")
    ap.add_argument("--out", type=Path, default=MODEL_DIR, help="model folder (default: the shipped one)")
    ap.add_argument("--parse-cache", type=Path, default=None, help="spaCy DocBin of the parses (cache)")
    args = ap.parse_args(argv)
    data = args.data
    if data is None:
        from echolot.eval.common import find_data_dir

        data = find_data_dir() / DATA_FILE
    record = train(data, args.out, args.parse_cache)
    print(f"wrote {args.out / LEXICON_FILE} and {record.name}", file=sys.stderr)


if __name__ == "__main__":
    main()
