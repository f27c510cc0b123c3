"""Worst case the stage-boundary limits let through: time and peak memory of every stage on one article.

    python bench/limits.py                 # default settings and encoders
    python bench/limits.py --set pipeline.max_chars=500000 --set pipeline.max_sentence_chars=20000

Builds one generated German article just inside `pipeline.max_chars`, made of sentences of
`pipeline.max_sentence_chars` characters each (the longest the guard lets through), stores it in
a fresh store and runs each analysis stage on it alone, printing seconds and the process's peak
RSS so far. The baseline line is the peak after imports and storing, before any stage ran.
"""
from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout's package

from echolot.model import Article, Sentence
from echolot.pipeline import STAGES, analyse, oversize_reason
from echolot.settings import load_settings
from echolot.store import open_store

WORDS = [
    "Regierung", "Minister", "Gespräche", "Berlin", "Bericht", "Behörde", "Polizei", "Stadt", "Wahl", "Präsident", "Angaben",
    "Haushalt"
]


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def limit_article(max_chars: int, sentence_chars: int, rng: random.Random) -> Article:
    sentences: list[Sentence] = []
    texts: list[str] = []
    pos = 0
    for i in range(max_chars // (sentence_chars + 1)):
        words: list[str] = []
        while sum(len(w) + 1 for w in words) < sentence_chars:
            words.append(rng.choice(WORDS))
        text = " ".join(words)[: sentence_chars - 1] + "."
        sentences.append(Sentence(index=i, paragraph=i // 5, text=text, lang="de", start=pos, end=pos + len(text)))
        texts.append(text)
        pos += len(text) + 1
    return Article(id="limit", text=" ".join(texts), title="Grenzfall", lang="de", sentences=sentences)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", dest="overrides", action="append", default=[], metavar="SECTION.KEY=VALUE")
    args = parser.parse_args()
    overrides = dict(item.split("=", 1) for item in args.overrides)
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(overrides, db=Path(tmp) / "limits.db")
        cfg = settings.pipeline
        article = limit_article(cfg.max_chars, cfg.max_sentence_chars, random.Random(0))
        assert oversize_reason(article, cfg) is None
        store = open_store(settings)
        store.add_articles([article])
        print(f"article: {len(article.text):,} chars, {len(article.sentences)} sentences of "
              f"{cfg.max_sentence_chars:,} chars (pipeline.max_chars={cfg.max_chars:,})")
        print(f"baseline (imports, store): peak RSS {peak_mb():.0f} MB")
        for stage, _, _ in STAGES:
            started = time.time()
            report = analyse(store, settings, only=[stage], progress=False)
            failed = {k: next(iter(v.values()))[:100] for k, v in report.failed.items()}
            print(f"{stage:11s} done {report.done.get(stage, 0)} failed {failed or 0}  "
                  f"{time.time() - started:6.1f} s  peak RSS so far {peak_mb():.0f} MB", flush=True)
        store.close()


if __name__ == "__main__":
    main()
