"""Benchmark: CPU per text of reuse's wide encoder (e5, 12 layers) against the shallower students.

    python bench/provenance_student.py [--n 400] [--rounds 2] [--students e5student4,e5student6]

Texts: sentences of the project's generated articles (bench/provenance_corpus.py, uk and kk only:
the texts the wide space reads), one thread, in this process, every encoder over the same texts,
the encoders taking turns `rounds` times (the machine is shared: read the rounds side by side).
Prints CPU-ms per text and each student's cosine to the teacher's vector of the same text (mean
and 5th percentile). No store, no cache: every text is encoded by every encoder in every round.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from provenance_corpus import generate


def wide_texts(n: int, seed: int = 3) -> list[str]:
    """Distinct uk/kk sentences of generated articles (a seed the bench's corpus does not use)."""
    from echolot.text.sentences import split_sentences

    out: dict[str, None] = {}
    for record in generate(max(200, n), seed=seed):
        if record["lang"] in ("uk", "kk"):
            for s in split_sentences(str(record["text"])):
                out.setdefault(s.text, None)
        if len(out) >= n:
            break
    return list(out)[:n]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--students", default="e5student4")
    args = parser.parse_args()
    from echolot.encoders.e5_student import StudentE5Encoder
    from echolot.reuse.wide import STUDENTS, _row_encoder

    texts = wide_texts(args.n)
    encoders = {"e5 (12 layers, reuse's wide encoder)": _row_encoder()}
    for name in args.students.split(","):
        encoders[name] = StudentE5Encoder(STUDENTS[name])
    for enc in encoders.values():
        enc.encode(texts[:5])  # warm-up: graph load, first-call allocations
    teacher = None
    for r in range(args.rounds):
        for name, enc in encoders.items():
            start = time.process_time()
            vecs = enc.encode(texts)
            ms = 1000 * (time.process_time() - start) / len(texts)
            row = {"round": r + 1, "encoder": name, "texts": len(texts), "cpu_ms_per_text": round(ms, 2)}
            if teacher is None:
                teacher = vecs
            else:
                cos = np.sum(vecs * teacher, axis=1)
                row.update(cos_to_teacher_mean=round(float(cos.mean()), 4),
                           cos_to_teacher_p05=round(float(np.percentile(cos, 5)), 4))
            print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
