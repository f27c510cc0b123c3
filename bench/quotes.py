#!/usr/bin/env python3
"""CPU cost per article of the English quotes path.

    python bench/quotes.py [--n 20] [--reprints 0.5]          # the sentence memory, off vs on
    python bench/quotes.py --tuned [--n 40] [--weight W]      # the CRF path vs the fine-tuned cue tagger

Default (`quotes/memo.py`): the shipped path (spaCy parse, e5 guesses, the tuned cue tagger, the CRFs,
post-processing, the proposition check the stage runs) on the first N articles of PolNeAR's *dev*
part, followed by reprints of a share of them (the same article under a new first line, as another
outlet or a later update carries it), once with the sentence memory off (every sentence encoded,
the path before) and once with it on, interleaved per article in one process so both see the same
machine load; it says whether both found the same attributions (they must: the memory is exact).

`--rules`: the rule extractor alone (German, French and Russian articles of the provenance *dev* corpus, the
path of every language without a trained model), with capitalised runs after a sentence's first word as
stand-in PER names so the name rules run; best-of-`--repeat` process CPU seconds for the whole set and the
attribution count. No baseline inside: run it in a baseline worktree too (`git worktree add --detach DIR main`).

`--tuned`: `quotes.tuned_cue_weight` 0 (the CRF path, the tuned tagger not run), W with the tuned
tagger reading every sentence (`quotes.tuned_min_crf_prob` 0), and W with the shipped sentence
screen, interleaved per article; the memory is off for all three.

Loading (models, encoders) happens on a warm-up article outside the timing. Reports process CPU
seconds per article (all threads) and wall.
"""
from __future__ import annotations

import argparse
import json
import re
import time
from dataclasses import replace
from typing import Any

from echolot.eval.common import find_data_dir, read_jsonl
from echolot.eval.splits import quotes_part
from echolot.quotes import context, english, tuned
from echolot.quotes.extract import extract_attributions
from echolot.quotes.propositions import is_proposition
from echolot.settings import QuotesSettings


def _memory(on: bool) -> None:
    """Turn the sentence memory of both e5 passes on or off (off: it neither serves nor stores)."""
    from echolot.encoders.e5_tokens import shared_or_none

    encoder = shared_or_none()
    memos = [tuned._memo(str(english.MODEL_DIR))] + ([context._memo(encoder)] if encoder is not None else [])
    for memo in memos:
        memo.enabled = on


def _run(text: str, settings: QuotesSettings) -> list[Any]:
    """The stage's English work on one article: parse, attributions, the proposition check."""
    doc = english.load_nlp()(text)
    found = extract_attributions(text, "en", settings, None, doc)
    return [(a.to_prediction(), is_proposition(text, a.content_extent, a.kind, doc)) for a in found]


def _articles(n: int, reprints: float) -> list[str]:
    data = find_data_dir() / "quotes" / "dev" / "en.polnear.jsonl"
    texts = [r["text"] for r in read_jsonl(data) if quotes_part(str(r["id"])) == "dev"][:n + 1]
    again = [f"Reprinted with permission of the original publisher.\n\n{t}" for t in texts[1:1 + round(reprints * n)]]
    return texts + again


_CAPITALISED = re.compile(r"(?<![\w-])[A-ZÄÖÜА-ЯЁ][\w-]+(?:\s+[A-ZÄÖÜА-ЯЁ][\w-]+)?")


def _rules(repeat: int) -> None:
    """CPU of `RuleExtractor.extract` over the provenance dev corpus's German, French and Russian articles."""
    from echolot.quotes.rules import RuleExtractor

    data = []
    for row in read_jsonl(find_data_dir() / "provenance" / "dev" / "corpus.jsonl"):
        if row.get("lang") in {"de", "fr", "ru"}:
            text = row["text"]
            names = [(m.start(), m.end(), "PER") for m in _CAPITALISED.finditer(text)
                     if m.start() > 1 and text[m.start() - 2] not in ".!?\n"]
            data.append((row["lang"], text, names))
    extractors = {lang: RuleExtractor(lang) for lang in ("de", "fr", "ru")}
    runs, found = [], 0
    for _ in range(repeat + 1):  # the first run warms the regex caches
        c0 = time.process_time()
        found = sum(len(extractors[lang].extract(text, names)) for lang, text, names in data)
        runs.append(time.process_time() - c0)
    print(json.dumps({"articles": len(data), "attributions": found, "cpu_s_best": round(min(runs[1:]), 3),
                      "cpu_s_runs": [round(r, 3) for r in runs[1:]]}, indent=1))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=20)
    ap.add_argument("--reprints", type=float, default=0.5, help="share of the N articles read again as reprints")
    ap.add_argument("--tuned", action="store_true", help="compare the CRF path with the tuned cue tagger instead")
    ap.add_argument("--weight", type=float, default=None, help="--tuned: tuned_cue_weight of the tuned paths")
    ap.add_argument("--rules", action="store_true", help="time the rule extractor alone (de/fr/ru provenance dev)")
    ap.add_argument("--repeat", type=int, default=5, help="--rules: timed runs (the best is reported)")
    args = ap.parse_args()
    if args.rules:
        _rules(args.repeat)
        return
    shipped = QuotesSettings()
    if args.tuned:
        base = replace(shipped, tuned_cue_weight=0.0)
        weight = shipped.tuned_cue_weight if args.weight is None else args.weight
        screen = shipped.tuned_min_crf_prob
        paths: dict[str, tuple[QuotesSettings, bool]] = {
            "crf": (base, False),
            f"tuned (weight {weight}), every sentence": (replace(base, tuned_cue_weight=weight, tuned_min_crf_prob=0.0),
                                                         False),
            f"tuned (weight {weight}), sentences with a CRF marginal >= {screen}":
                (replace(base, tuned_cue_weight=weight, tuned_min_crf_prob=screen), False)}
        texts = _articles(args.n, 0.0)
        compared = (1, 2)
    else:
        paths = {"sentence memory off (before)": (shipped, False), "sentence memory on": (shipped, True)}
        texts = _articles(args.n, args.reprints)
        compared = (0, 1)
    cpu = dict.fromkeys(paths, 0.0)
    wall = dict.fromkeys(paths, 0.0)
    found = dict.fromkeys(paths, 0)
    same = True
    for k, text in enumerate(texts):
        predictions = []
        for name, (settings, memory) in paths.items():
            _memory(memory)
            c0, w0 = time.process_time(), time.perf_counter()
            got = _run(text, settings)
            predictions.append(got)
            if k:  # the first article loads the models
                cpu[name] += time.process_time() - c0
                wall[name] += time.perf_counter() - w0
                found[name] += len(got)
        same = same and predictions[compared[0]] == predictions[compared[1]]
    n = len(texts) - 1
    words = sum(len(t.split()) for t in texts[1:])
    print(json.dumps({"articles": n, "of which reprints": n - min(args.n, n), "words": words, **{
        name: {"cpu_s_per_article": round(cpu[name] / n, 3), "wall_s_per_article": round(wall[name] / n, 3),
               "attributions": found[name]} for name in paths},
        "compared paths found the same attributions": same}, indent=1))


if __name__ == "__main__":
    main()
