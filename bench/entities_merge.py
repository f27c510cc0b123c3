"""Speed of entity canonicalisation alone (no NER): span repairs, grouping, matching, writes.

    python bench/entities_merge.py --n 1000
    python bench/entities_merge.py --n 1000 --calls 10 --type-noise 5   # ten calls, tagger-like type noise
    python bench/entities_merge.py --settle 20000     # one save's settle_place_types over 20,000 entities

The generated articles of bench/entities.py are tagged by a name list (every known
spelling, found by regular expression) instead of the NER models, so the figure is the
cost of everything the entities stage does after NER. Baseline in the same run: the same
stage with the span repairs of `entities/spans.py` switched off (an identity function),
on a fresh store, so the repairs' share of the cost is visible. CPU seconds are printed beside the
wall time (the machine is shared), and so is the CPU spent in `EntityIndex.settle_place_types`
(issue #14: it scanned every live entity at each save). `--calls N` hands the articles to the stage
in N calls on the same store, as the main job hands batches: each call loads the stored entities and
saves once, so a cost per save over all entities grows with the store. `--type-noise K` reads every
K-th place mention of an article as an organisation (taggers do, after "of" or "de"): only entities
with such mixed votes make `settle_place_types` look for organisations at all. The generated corpus
names only a handful of things, so `--settle N` times that step alone where it matters: an index of N
stored organisations (built as the stage builds it from the store, timed too) and one save that
touched a place most mentions read as an organisation.
"""
from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from entities import ORGS, PEOPLE, PLACES, generate

from echolot.model import Article
from echolot.settings import Settings
from echolot.store import SQLiteStore


def _tagger() -> tuple[re.Pattern[str], dict[str, str]]:
    """Every spelling of the generated names (full names and surnames), with a short case ending."""
    types = {n: "PER" for row in PEOPLE for full in row for n in (full, full.split()[-1])}
    types |= {n: "LOC" for row in PLACES for n in row} | {n: "ORG" for row in ORGS for n in row}
    names = "|".join(re.escape(n) for n in sorted(types, key=len, reverse=True))
    return re.compile(rf"(?<!\w)({names})\w{{0,3}}(?!\w)"), types


def run(articles: list[Article], repairs: bool, calls: int = 1, noise: int = 0) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds, CPU seconds in settle_place_types) for the stage over `articles`
    on a fresh store, in `calls` stage calls."""
    from echolot.entities import local, stage
    from echolot.entities.index import EntityIndex

    pattern, types = _tagger()

    def recognize(text: str, lang: str | None) -> list[tuple[int, int, str]]:
        spans = [(m.start(), m.end(), types[m.group(1)]) for m in pattern.finditer(text)]
        if noise:
            places = [i for i, (_, _, t) in enumerate(spans) if t == "LOC"]
            for i in places[noise - 1::noise]:
                spans[i] = (spans[i][0], spans[i][1], "ORG")
        return spans

    original, settle = local.tidy_spans, EntityIndex.settle_place_types
    settled = [0.0]

    def timed_settle(index: EntityIndex, min_orgs: int = 2) -> None:
        start = time.process_time()
        settle(index, min_orgs)
        settled[0] += time.process_time() - start

    if not repairs:
        local.tidy_spans = lambda drafts, text: drafts  # type: ignore[assignment]
    EntityIndex.settle_place_types = timed_settle  # type: ignore[method-assign]
    size = -(-len(articles) // max(1, calls))
    try:
        with tempfile.TemporaryDirectory() as tmp:
            store = SQLiteStore(Path(tmp) / "bench.db")
            store.add_articles(articles)
            start, cpu = time.perf_counter(), time.process_time()
            for first in range(0, len(articles), size):
                stage.process(articles[first:first + size], store, Settings(home=Path(tmp)), recognizer=recognize,
                              supports=lambda lang: True, progress=False)
            elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
            store.close()
    finally:
        local.tidy_spans, EntityIndex.settle_place_types = original, settle  # type: ignore[method-assign]
    return elapsed, cpu, settled[0]


def settle_cost(entities: int, repeats: int = 20) -> tuple[float, float]:
    """(CPU-s to build an index of `entities` stored organisations plus one place, the least of three
    builds; CPU-s of one `settle_place_types` after a save touched that place, mean over `repeats`)."""
    from collections import Counter

    from echolot.entities.canonical import name_keys
    from echolot.entities.index import EntityIndex, EntityRecord

    words = [f"{a}{b}" for a in ("Nor", "Sel", "Dar", "Vel", "Kor", "Mar", "Tal", "Ost", "Lun", "Bra")
             for b in ("van", "ikon", "esta", "uria", "amar", "ello", "ossa", "inka", "ebor", "unda")]
    kinds = ("Bank", "Council", "Union", "Agency", "Institute", "Party", "Times", "Group")
    stored = [EntityRecord(id=f"e{i}", created=i, variants=Counter({f"{kinds[i % len(kinds)]} of {words[i % 97]} "
                                                                    f"{words[(i // 97) % 100]}": 2}),
                           types=Counter({"ORG": 2})).to_dict() for i in range(entities)]
    place = EntityRecord(id="place", created=entities, variants=Counter({words[5]: 4}),
                         types=Counter({"ORG": 3, "LOC": 1}), keys={name_keys(words[5]).key})
    stored.append(place.to_dict())
    EntityIndex.from_store_dicts(stored)  # warm name caches, as in a process past its first batch
    built = float("inf")
    for _ in range(3):  # the least of three: the machine is shared
        start = time.process_time()
        index = EntityIndex.from_store_dicts(stored)
        built = min(built, time.process_time() - start)
    total = 0.0
    for _ in range(repeats):
        record = index.get("place")
        record.named_in_orgs = False
        index.dirty = {"place"}
        start = time.process_time()
        index.settle_place_types()
        total += time.process_time() - start
    return built, total / repeats


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1000, help="articles to generate")
    parser.add_argument("--calls", type=int, default=1, help="stage calls the articles are split into")
    parser.add_argument("--type-noise", type=int, default=0, help="read every K-th place mention as an ORG")
    parser.add_argument("--settle", type=int, default=0, help="only time settle_place_types over this many entities")
    args = parser.parse_args()
    if args.settle:
        built, settle = settle_cost(args.settle)
        print(f"settle_place_types over {args.settle} stored organisations: index built in {built:.2f} CPU-s; "
              f"one save's settling {settle * 1000:.2f} CPU-ms")
        return 0
    articles = generate(args.n)
    run(articles[:20], True)  # warm up: CLDR tables, simplemma word lists
    wall, cpu, settle = run(articles, True, args.calls, args.type_noise)
    base_wall, base_cpu, base_settle = run(articles, False, args.calls, args.type_noise)
    print(f"entities after NER: {len(articles)} articles in {args.calls} call(s); with span repairs {wall:.1f}s = "
          f"{len(articles) / wall:.1f} articles/s ({cpu:.2f} CPU-s, settle_place_types {settle:.3f} CPU-s); "
          f"without (baseline) {base_wall:.1f}s = {len(articles) / base_wall:.1f} articles/s "
          f"({base_cpu:.2f} CPU-s, settle_place_types {base_settle:.3f} CPU-s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
