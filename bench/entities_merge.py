"""Speed of entity canonicalisation alone (no NER): span repairs, grouping, matching, writes.

    python bench/entities_merge.py --n 1000

The generated articles of bench/entities.py are tagged by a name list (every known
spelling, found by regular expression) instead of the NER models, so the figure is the
cost of everything the entities stage does after NER. Baseline in the same run: the same
stage with the span repairs of `entities/spans.py` switched off (an identity function),
on a fresh store, so the repairs' share of the cost is visible.
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


def run(articles: list[Article], repairs: bool) -> float:
    """Seconds for the stage over `articles` on a fresh store."""
    from echolot.entities import local, stage

    pattern, types = _tagger()

    def recognize(text: str, lang: str | None) -> list[tuple[int, int, str]]:
        return [(m.start(), m.end(), types[m.group(1)]) for m in pattern.finditer(text)]

    original = local.tidy_spans
    if not repairs:
        local.tidy_spans = lambda drafts, text: drafts  # type: ignore[assignment]
    try:
        with tempfile.TemporaryDirectory() as tmp:
            store = SQLiteStore(Path(tmp) / "bench.db")
            store.add_articles(articles)
            start = time.perf_counter()
            stage.process(articles, store, Settings(home=Path(tmp)), recognizer=recognize,
                          supports=lambda lang: True, progress=False)
            elapsed = time.perf_counter() - start
            store.close()
    finally:
        local.tidy_spans = original
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1000, help="articles to generate")
    args = parser.parse_args()
    articles = generate(args.n)
    run(articles[:20], True)  # warm up: CLDR tables, simplemma word lists
    with_repairs = run(articles, True)
    without = run(articles, False)
    print(f"entities after NER: {len(articles)} articles; with span repairs {with_repairs:.1f}s = "
          f"{len(articles) / with_repairs:.1f} articles/s; without (baseline) {without:.1f}s = "
          f"{len(articles) / without:.1f} articles/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
