"""Runs the stages, incrementally, over what is new in the store.

    1. read sources          ingest/   -> RawDocument | Rejection
    2. clean                 clean/    -> Article (text, title, date, outlet, declared sources)
    3. language, sentences   text/     -> Article.sentences
    4. persist               store/    (one transaction per batch; content-hash ids)
    5. analysis stages       reuse -> stories -> entities -> quotes -> narratives

Each analysis stage is a plain function `process(articles, store, settings)` that
reads new articles and writes its results to the store; the store remembers which
article each stage has seen, so a re-run (or a run after a crash) picks up exactly
the articles that are still pending.
"""
from __future__ import annotations

import importlib
import sys
from dataclasses import dataclass, field
from typing import Callable, Iterator

from tqdm import tqdm

from echolot.model import Article, RawDocument, Rejection
from echolot.settings import Settings
from echolot.store import Store
from echolot.util import batched

# (stage name, module, function): run in this order; a stage may read earlier stages' results
STAGES: list[tuple[str, str, str]] = [
    ("reuse", "echolot.reuse", "process"),
    ("stories", "echolot.stories", "process"),
    ("entities", "echolot.entities", "process"),
    ("quotes", "echolot.quotes", "process"),
    ("narratives", "echolot.narratives", "process"),
]


@dataclass
class IngestSummary:
    """What one ingest run did; printed to the user and returned as JSON."""

    ingested: int = 0
    duplicates: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    new_ids: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {
            "ingested": self.ingested,
            "duplicates": self.duplicates,
            "rejected": [{"origin": r.origin, "reason": r.reason} for r in self.rejected],
            "new_ids": self.new_ids,
        }


def prepare(raw: RawDocument, settings: Settings) -> Article:
    """Clean one raw document and annotate it with language and sentences."""
    from echolot.clean import clean
    from echolot.text import annotate

    return annotate(clean(raw, settings), settings.text)


def ingest(paths: list[str], store: Store, settings: Settings, source: str | None = None,
           progress: bool = True) -> IngestSummary:
    """Read, clean and store everything under `paths`; a broken item never stops the batch."""
    from echolot.clean import CleanError
    from echolot.ingest import read_sources

    summary = IngestSummary()
    seen: set[str] = set()

    def articles() -> Iterator[Article]:
        bar = tqdm(desc="ingest", unit="doc", disable=not progress, file=sys.stderr)
        for item in read_sources(paths, settings):
            bar.update(1)
            if isinstance(item, Rejection):
                summary.rejected.append(item)
                continue
            if source and not item.source:
                item.source = source
            try:
                article = prepare(item, settings)
            except CleanError as exc:
                summary.rejected.append(Rejection(item.origin, str(exc)))
                continue
            except Exception as exc:  # noqa: BLE001 - one bad document must not stop the batch
                summary.rejected.append(Rejection(item.origin, f"internal error: {type(exc).__name__}: {exc}"))
                continue
            if article.id in seen or store.has_article(article.id):
                summary.duplicates += 1
                continue
            seen.add(article.id)
            yield article
        bar.close()

    for batch in batched(articles(), settings.ingest.batch_size):
        new = store.add_articles(batch)
        summary.ingested += len(new)
        summary.duplicates += len(batch) - len(new)
        summary.new_ids.extend(new)
    if summary.rejected:
        store.add_rejections(summary.rejected)
    return summary


def _stage_function(module: str, name: str) -> Callable[..., object] | None:
    try:
        mod = importlib.import_module(module)
    except ImportError as exc:
        if exc.name and exc.name.startswith("echolot"):
            return None
        raise
    return getattr(mod, name, None)


def run_stages(store: Store, settings: Settings, only: list[str] | None = None,
               progress: bool = True) -> dict[str, int]:
    """Run every analysis stage over the articles it has not seen yet; return counts per stage."""
    done: dict[str, int] = {}
    for stage, module, name in STAGES:
        if only and stage not in only:
            continue
        fn = _stage_function(module, name)
        if fn is None:
            continue
        pending = store.pending(stage)
        if not pending:
            done[stage] = 0
            continue
        if progress:
            print(f"{stage}: {len(pending)} new article(s)", file=sys.stderr)
        articles = list(store.iter_articles(pending))
        fn(articles, store, settings)
        store.mark_done(stage, pending)
        done[stage] = len(pending)
    return done
