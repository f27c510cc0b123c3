"""Task B (stories): cluster a JSONL corpus into events and score it with the task's scorer.

`predict` ingests the corpus into a fresh temporary store and runs the stories
stage exactly as `echolot ingest` would, so the figures measure the real stage.
The corpus's `lang` field is never read: languages are detected from the text.
Articles are built here from the shared JSONL format (title, text, published,
source, url, id kept as `external_id`), which keeps this evaluator independent
of the ingest stage's options.
"""
from __future__ import annotations

import hashlib
import sys
import tempfile
from pathlib import Path
from typing import Any

from tqdm import tqdm

from echolot.eval.common import read_jsonl, run_scorer, write_jsonl
from echolot.ids import content_id
from echolot.model import Article
from echolot.settings import Settings

DEV = ("stories", "dev")


def _article(record: dict[str, Any], settings: Settings) -> Article:
    """One JSONL record as an annotated Article (language detected, `lang` ignored)."""
    from echolot.text import annotate

    title = (record.get("title") or "").strip() or None
    text = (record.get("text") or "").strip() or (title or "")
    external = str(record["id"])
    article = Article(
        id=content_id(text, title, record.get("url"), external_id=external),
        text=text, title=title, published=record.get("published") or None,
        source=record.get("source") or None, url=record.get("url") or None,
        external_id=external, origin=f"jsonl:{external}",
    )
    return annotate(article, settings.text)


def read_corpus(paths: list[Path]) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    for path in paths:
        for n, record in enumerate(read_jsonl(path), 1):
            if "id" not in record:
                raise ValueError(f"{path}:{n}: record has no 'id'")
            records.append(record)
    return records


def cluster_records(records: list[dict[str, Any]], settings: Settings, progress: bool = True) -> dict[str, str]:
    """External id -> story id, computed in a fresh temporary store."""
    from echolot.store import SQLiteStore
    from echolot.stories import process

    bar = tqdm(records, desc="prepare", unit="art", disable=not progress, file=sys.stderr)
    articles = [_article(r, settings) for r in bar]
    with tempfile.TemporaryDirectory(prefix="echolot-stories-") as tmp:
        store = SQLiteStore(Path(tmp) / "stories.db")
        try:
            store.add_articles(articles)
            unique = list({a.id: a for a in articles}.values())
            assignments = process(unique, store, settings, progress=progress)
        finally:
            store.close()
    story_of = {a.article_id: a.story_id for a in assignments}
    return {a.external_id or a.id: story_of[a.id] for a in articles}


def predict(inputs: list[Path], output: Path, settings: Settings, **_: Any) -> None:
    """Write `{"id", "story"}` for every input record (duplicates included)."""
    records = read_corpus(inputs)
    stories = cluster_records(records, settings)
    write_jsonl(output, [{"id": str(r["id"]), "story": stories[str(r["id"])]} for r in records])


def evaluate(settings: Settings, data_dir: Path, **_: Any) -> dict[str, Any]:
    """Predict on the dev corpus and return the reference scorer's figures."""
    folder = data_dir.joinpath(*DEV)
    corpus, gold = folder / "corpus.jsonl", folder / "gold.jsonl"
    if not corpus.is_file():
        raise FileNotFoundError(f"no stories dev corpus at {corpus}")
    with tempfile.TemporaryDirectory(prefix="echolot-eval-") as tmp:
        pred = Path(tmp) / "pred.jsonl"
        predict([corpus], pred, settings)
        return run_scorer(data_dir / "stories" / "score.py", gold, pred, "--corpus", corpus)


def split_of(story: str, tune_share: int = 6) -> str:
    """'tune' or 'held' for a gold story id: a deterministic split of whole clusters."""
    return "tune" if int(hashlib.md5(story.encode("utf-8")).hexdigest(), 16) % 10 < tune_share else "held"


def in_sample(story: str, share: float) -> bool:
    """A deterministic share of whole stories, independent of `split_of` (another hash)."""
    return share >= 1.0 or int(hashlib.sha1(story.encode("utf-8")).hexdigest(), 16) % 1000 < share * 1000


def evaluate_parts(settings: Settings, data_dir: Path, parts: tuple[str, ...] = ("tune", "held"),
                   progress: bool = False, share: float = 1.0) -> dict[str, dict[str, Any]]:
    """Score the tuning part and the held-back part of dev separately (each clustered on its own).

    Thresholds were tuned on 'tune' only; 'held' shows how they carry over. `share`
    keeps that fraction of the stories (whole clusters), for a quicker gate.
    """
    folder = data_dir.joinpath(*DEV)
    gold = {str(g["id"]): str(g["story"]) for g in read_jsonl(folder / "gold.jsonl")}
    records = list(read_jsonl(folder / "corpus.jsonl"))
    out: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="echolot-eval-") as tmp:
        for part in parts:
            chosen = [r for r in records
                      if split_of(gold[str(r["id"])]) == part and in_sample(gold[str(r["id"])], share)]
            base = Path(tmp) / part
            write_jsonl(base / "corpus.jsonl", chosen)
            write_jsonl(base / "gold.jsonl", [{"id": r["id"], "story": gold[str(r["id"])]} for r in chosen])
            stories = cluster_records(chosen, settings, progress=progress)
            write_jsonl(base / "pred.jsonl", [{"id": r["id"], "story": stories[str(r["id"])]} for r in chosen])
            out[part] = run_scorer(data_dir / "stories" / "score.py", base / "gold.jsonl", base / "pred.jsonl",
                                   "--corpus", base / "corpus.jsonl")
    return out
