"""Task B (stories): cluster a JSONL corpus into events and score it with the task's scorer.

`predict` reads the corpus with the ingest stage's record reader
(`echolot.ingest.records`), stores the articles in a fresh temporary store and
runs the stories stage exactly as `echolot ingest` would, so the figures measure
the real stage. The language is detected from the text (`echolot.text.annotate`);
the record's `lang` is never handed to the pipeline.

`evaluate` scores the full dev set and its parts (`echolot.eval.splits.stories_part`,
whole gold stories): `tune` was consulted for every decision (a dev figure),
`held` was not tuned on, `final` is a carve-out of `held` that no decision sees
(aggregate figures only).
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tqdm import tqdm

from echolot.eval.common import read_jsonl, run_scorer, write_jsonl
from echolot.eval.splits import stories_in_sample, stories_part
from echolot.ids import content_id
from echolot.ingest.records import read_jsonl as read_records
from echolot.model import Article, RawDocument, Rejection
from echolot.settings import Settings

if TYPE_CHECKING:
    from echolot.store import SQLiteStore
    from echolot.store.base import Store

DEV = ("stories", "dev")
PARTS = ("tune", "held", "final")
MAX_RECORD_BYTES = 50_000_000


def _article(raw: RawDocument, settings: Settings) -> Article:
    """One record as an annotated Article; the language is detected (the record's is ignored)."""
    from echolot.text import annotate

    title = (raw.title or "").strip() or None
    text = raw.body.strip() or (title or "")
    external = raw.external_id or raw.origin
    article = Article(
        id=content_id(text, title, raw.url, external_id=external),
        text=text, title=title, published=raw.published, source=raw.source, url=raw.url,
        external_id=external, origin=f"jsonl:{external}",
    )
    return annotate(article, settings.text)


def read_corpus(paths: list[Path]) -> list[RawDocument]:
    """Every record of the JSONL files, in order; a record the reader rejects is a clear error."""
    records: list[RawDocument] = []
    for path in paths:
        for item in read_records(path, MAX_RECORD_BYTES):
            if isinstance(item, Rejection):
                raise ValueError(f"{item.origin}: {item.reason}")
            if not item.external_id:
                raise ValueError(f"{item.origin}: record has no 'id'")
            records.append(item)
    return records


def cluster_records(records: list[RawDocument], settings: Settings, progress: bool = True,
                    vector_store: Store | None = None) -> dict[str, str]:
    """External id -> story id, computed in a fresh temporary store (vectors cached in `vector_store`)."""
    from echolot.store import SQLiteStore
    from echolot.stories.stage import process

    bar = tqdm(records, desc="prepare", unit="art", disable=not progress, file=sys.stderr)
    articles = [_article(r, settings) for r in bar]
    with tempfile.TemporaryDirectory(prefix="echolot-stories-") as tmp:
        store = SQLiteStore(Path(tmp) / "stories.db")
        try:
            store.add_articles(articles)
            unique = list({a.id: a for a in articles}.values())
            assignments = process(unique, store, settings, progress=progress, vector_store=vector_store)
        finally:
            store.close()
    story_of = {a.article_id: a.story_id for a in assignments}
    return {a.external_id or a.id: story_of[a.id] for a in articles}


def predict(inputs: list[Path], output: Path, settings: Settings, **_: Any) -> None:
    """Write `{"id", "story"}` for every input record (duplicates included)."""
    records = read_corpus(inputs)
    stories = cluster_records(records, settings)
    write_jsonl(output, [{"id": r.external_id, "story": stories[str(r.external_id)]} for r in records])


def _score(records: list[RawDocument], gold: dict[str, str], corpus: Path, settings: Settings, base: Path,
           vector_store: Store | None, progress: bool) -> dict[str, Any]:
    """Cluster `records` on their own and score them against their gold stories."""
    ids = {str(r.external_id) for r in records}
    base.mkdir(parents=True, exist_ok=True)
    write_jsonl(base / "corpus.jsonl", [r for r in read_jsonl(corpus) if str(r["id"]) in ids])
    write_jsonl(base / "gold.jsonl", [{"id": i, "story": gold[i]} for i in sorted(ids)])
    stories = cluster_records(records, settings, progress=progress, vector_store=vector_store)
    write_jsonl(base / "pred.jsonl", [{"id": i, "story": stories[i]} for i in sorted(ids)])
    return run_scorer(corpus.parent.parent / "score.py", base / "gold.jsonl", base / "pred.jsonl",
                      "--corpus", base / "corpus.jsonl")


def evaluate(settings: Settings, data_dir: Path, parts: bool = True, progress: bool = True,
             cache: Path | None = None, **_: Any) -> dict[str, Any]:
    """The scorer's figures on the full dev set and, with `parts`, on each part clustered on its own.

    `final` is reported as aggregates only (the scorer prints nothing else); nobody reads its
    errors. `cache` keeps the encoder's vectors between runs (a SQLite store path)."""
    folder = data_dir.joinpath(*DEV)
    corpus = folder / "corpus.jsonl"
    if not corpus.is_file():
        raise FileNotFoundError(f"no stories dev corpus at {corpus}")
    gold = {str(g["id"]): str(g["story"]) for g in read_jsonl(folder / "gold.jsonl")}
    records = read_corpus([corpus])
    with tempfile.TemporaryDirectory(prefix="echolot-eval-") as tmp:
        vectors = _vector_store(Path(tmp), cache)
        try:
            out = {"dev": _score(records, gold, corpus, settings, Path(tmp) / "dev", vectors, progress)}
            if parts:
                out |= _parts(records, gold, corpus, settings, Path(tmp), vectors, PARTS, 1.0, progress)
        finally:
            vectors.close()
    return out


def _vector_store(tmp: Path, cache: Path | None) -> SQLiteStore:
    from echolot.store import SQLiteStore

    return SQLiteStore(cache if cache is not None else tmp / "vectors.db")


def _parts(records: list[RawDocument], gold: dict[str, str], corpus: Path, settings: Settings, tmp: Path,
           vectors: Store | None, parts: tuple[str, ...], share: float, progress: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for part in parts:
        chosen = [r for r in records if stories_part(gold[str(r.external_id)]) == part
                  and stories_in_sample(gold[str(r.external_id)], share)]
        out[part] = _score(chosen, gold, corpus, settings, tmp / part, vectors, progress)
    return out


def evaluate_parts(settings: Settings, data_dir: Path, parts: tuple[str, ...] = ("tune", "held"),
                   progress: bool = False, share: float = 1.0, cache: Path | None = None) -> dict[str, dict[str, Any]]:
    """Score the chosen parts of dev separately (each clustered on its own).

    Thresholds were tuned on 'tune' only; 'held' shows how they carry over; 'final' is
    never looked into. `share` keeps that fraction of the stories (whole clusters), for a
    quicker gate."""
    folder = data_dir.joinpath(*DEV)
    corpus = folder / "corpus.jsonl"
    gold = {str(g["id"]): str(g["story"]) for g in read_jsonl(folder / "gold.jsonl")}
    records = read_corpus([corpus])
    with tempfile.TemporaryDirectory(prefix="echolot-eval-") as tmp:
        vectors = _vector_store(Path(tmp), cache)
        try:
            return _parts(records, gold, corpus, settings, Path(tmp), vectors, parts, share, progress)
        finally:
            vectors.close()
