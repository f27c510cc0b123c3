#!/usr/bin/env python3
"""CPU cost per article of the English quotes path, with and without the fine-tuned cue tagger.

    python bench/quotes.py [--n 40] [--weight W]

Runs `echolot.quotes.extract.extract_attributions` (spaCy parse, e5 guesses, the CRFs, post-processing)
on the first N articles of PolNeAR's *dev* part, once with `quotes.tuned_cue_weight` 0 (the CRF path,
the tuned tagger not run), once with W (default: the shipped setting) and the tuned tagger reading
every sentence (`quotes.tuned_min_crf_prob` 0, the path before the sentence screen), and once with W
and the shipped screen, in the same process and interleaved per article, so all see the same machine
load; it also says whether the two tuned paths found the same attributions. Loading (models, encoders) happens on a
warm-up article outside the timing. Reports process CPU seconds per article (all threads) and wall.
"""
from __future__ import annotations

import argparse
import json
import time
from dataclasses import replace

from echolot.eval.common import find_data_dir, read_jsonl
from echolot.eval.splits import quotes_part
from echolot.quotes.extract import extract_attributions
from echolot.settings import QuotesSettings


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=40)
    ap.add_argument("--weight", type=float, default=None, help="tuned_cue_weight of the second path")
    args = ap.parse_args()
    base = QuotesSettings(tuned_cue_weight=0.0)
    weight = QuotesSettings().tuned_cue_weight if args.weight is None else args.weight
    screen = QuotesSettings().tuned_min_crf_prob
    paths = {"crf": base,
             f"tuned (weight {weight}), every sentence": replace(base, tuned_cue_weight=weight, tuned_min_crf_prob=0.0),
             f"tuned (weight {weight}), sentences with a CRF marginal >= {screen}":
                 replace(base, tuned_cue_weight=weight, tuned_min_crf_prob=screen)}
    data = find_data_dir() / "quotes" / "dev" / "en.polnear.jsonl"
    texts = [r["text"] for r in read_jsonl(data) if quotes_part(str(r["id"])) == "dev"][:args.n + 1]
    cpu = dict.fromkeys(paths, 0.0)
    wall = dict.fromkeys(paths, 0.0)
    found = dict.fromkeys(paths, 0)
    same = True
    for k, text in enumerate(texts):
        predictions = []
        for name, settings in paths.items():
            c0, w0 = time.process_time(), time.perf_counter()
            got = extract_attributions(text, "en", settings)
            n = len(got)
            predictions.append([a.to_prediction() for a in got])
            if k:  # the first article loads the models
                cpu[name] += time.process_time() - c0
                wall[name] += time.perf_counter() - w0
                found[name] += n
        same = same and predictions[1] == predictions[2]
    n = len(texts) - 1
    words = sum(len(t.split()) for t in texts[1:])
    print(json.dumps({"articles": n, "words": words, **{
        name: {"cpu_s_per_article": round(cpu[name] / n, 3), "wall_s_per_article": round(wall[name] / n, 3),
               "attributions": found[name]} for name in paths},
        "tuned paths found the same attributions": same}, indent=1))


if __name__ == "__main__":
    main()
