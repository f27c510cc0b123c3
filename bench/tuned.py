"""The fine-tuned NER tagger (tuned-e5) on its two paths: the ONNX graph of its merged weights vs numpy.

    python bench/tuned.py --n 200                       # first 200 sentences of the Russian dev file
    python bench/tuned.py --n 200 --file de.germeval.conll

One tagger is loaded (adapters merged once); its sentences are tagged first through the float32
ONNX Runtime graph built from the merged weights (`onnx_e5.layer_session`), then through the
numpy forward pass over the same weights. Printed: CPU seconds of each path (this process, ONNX
Runtime's threads included), their ratio, the largest logit difference and whether the
BIO-constrained tags agree. Loading and graph building happen before the clock.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time

import numpy as np


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=200, help="sentences to tag (from the start of the file)")
    parser.add_argument("--file", default="ru.factrueval.conll", help="a file of ../shared/data/ner/dev")
    args = parser.parse_args()
    os.environ["ECHOLOT_ENCODER__TOKEN_STATES"] = "onnx"
    from echolot.entities.ner import FALLBACK_DIR
    from echolot.entities.ner.data import read_conll
    from echolot.entities.ner.tuned import TunedTagger, log_softmax, viterbi
    from echolot.eval.common import find_data_dir

    path = find_data_dir() / "ner" / "dev" / args.file
    sentences = [[token for token, _ in s] for s in read_conll(path)][:args.n]
    tagger = TunedTagger(FALLBACK_DIR)
    if tagger._session is None:
        print("the ONNX graph of the merged weights could not be built", file=sys.stderr)
        return 1
    figures: dict[str, float] = {}
    logits = {}
    for path_name, session in (("onnx", tagger._session), ("numpy", None)):
        tagger._session = session
        start = time.process_time()
        logits[path_name] = tagger.logits(sentences)
        figures[f"{path_name}_cpu_s"] = round(time.process_time() - start, 2)
    tags = {name: [viterbi(log_softmax(x), tagger.labels) for x in out] for name, out in logits.items()}
    result = {"sentences": len(sentences), "words": sum(map(len, sentences)), **figures,
              "cpu_ratio_numpy_over_onnx": round(figures["numpy_cpu_s"] / max(figures["onnx_cpu_s"], 1e-9), 2),
              "max_logit_difference": float(max((np.abs(a - b).max() for a, b in
                                                 zip(logits["onnx"], logits["numpy"]) if len(a)), default=0.0)),
              "tags_identical": tags["onnx"] == tags["numpy"]}
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
