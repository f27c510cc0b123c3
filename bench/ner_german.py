"""CPU cost of the German NER path per article: the shipped German model folder against another one.

    python bench/ner_german.py --other DIR [--repeat 3] [--tuned DIR]

Both folders are loaded (and warmed on one sentence) before the clock. Each German seed article of
../shared/data/seeds (the ones the language detector calls German) is tokenised, split into
sentences and tagged by each folder's `CRFTagger`, `--repeat` times, alternating the two so that a
change in the machine's load hits both alike. Printed: CPU seconds per article (this process; one
BLAS thread, as at run time), their ratio, and the entity spans each folder finds in each article.
`--tuned DIR` also times a fine-tuned tagger (`tuned.npz` in DIR, ner/tuned.py) on the same sentences:
what a stacked German path (the CRF reading that tagger's probabilities) would add per article.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--other", type=Path, required=True, help="a German CRF model folder to compare")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--tuned", type=Path, default=None, help="a folder with tuned.npz to time as well")
    args = parser.parse_args()
    from echolot.entities.ner import MODELS_DIR
    from echolot.entities.ner.crf import CRFTagger
    from echolot.entities.ner.tokens import bio_to_spans, group_sentences, tokenize
    from echolot.eval.common import find_data_dir
    from echolot.text import detect_language

    texts = [p.read_text(encoding="utf-8") for p in sorted((find_data_dir() / "seeds").glob("*.txt"))]
    texts = [t for t in texts if detect_language(t)[0] == "de"]
    taggers: dict[str, Any] = {"shipped": CRFTagger(MODELS_DIR / "de"), "other": CRFTagger(args.other)}
    if args.tuned is not None:
        from echolot.entities.ner.tuned import TunedTagger

        taggers["tuned"] = TunedTagger(args.tuned)
    for tagger in taggers.values():
        tagger.tag_many([["Angela", "Merkel", "kam", "."]])

    def article(tagger: Any, text: str) -> list[str]:
        offsets = tokenize(text)
        words = [text[a:b] for a, b in offsets]
        ranges = group_sentences(words, [s for s, _ in offsets], text)
        found = []
        for (a, _b), tags in zip(ranges, tagger.tag_many([words[a:b] for a, b in ranges])):
            found += [f"{' '.join(words[a + s:a + e])}/{typ}" for s, e, typ in bio_to_spans(tags)]
        return found

    cpu = {name: 0.0 for name in taggers}
    spans: dict[str, list[list[str]]] = {}
    for _ in range(args.repeat):
        for name, tagger in taggers.items():
            t0 = time.process_time()
            spans[name] = [article(tagger, t) for t in texts]
            cpu[name] += time.process_time() - t0
    n = len(texts) * args.repeat
    out = {"articles": len(texts), "words_per_article": round(sum(len(t.split()) for t in texts) / max(1, len(texts))),
           "cpu_s_per_article": {k: round(v / max(1, n), 3) for k, v in cpu.items()},
           "ratio_other_to_shipped": round(cpu["other"] / max(1e-9, cpu["shipped"]), 2), "spans": spans}
    json.dump(out, sys.stdout, indent=1, ensure_ascii=False)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
