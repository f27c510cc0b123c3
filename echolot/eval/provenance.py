"""Provenance task: predict reuse links for a JSONL corpus and score them with the task's scorer.

The corpus's `lang` field is gold and never read: languages are detected by
`echolot.text.annotate`. Articles are built here directly from the records (the
record `id` becomes `Article.external_id`), because the task's texts are already
clean and the scorer needs the record ids back.
"""
from __future__ import annotations

import random
import sys
import tempfile
import zlib
from pathlib import Path
from typing import Any

from tqdm import tqdm

from echolot.eval.common import read_jsonl, run_scorer, write_jsonl
from echolot.ids import content_id
from echolot.model import Article
from echolot.settings import Settings
from echolot.text import annotate


def read_corpus(paths: list[Path], settings: Settings, progress: bool = True) -> list[Article]:
    """Articles from shared-format JSONL records (id, title, text, published, source, url)."""
    records = [r for path in paths for r in read_jsonl(path)]
    articles: list[Article] = []
    for n, record in enumerate(tqdm(records, desc="read", unit="doc", disable=not progress, file=sys.stderr)):
        if not isinstance(record.get("text"), str) or not record["text"].strip():
            raise ValueError(f"record {n + 1} has no text")
        external = str(record.get("id") or n)
        article = Article(
            id=content_id(record["text"], record.get("title"), record.get("url"), external),
            text=record["text"].replace("\r\n", "\n"), title=record.get("title"),
            published=record.get("published"), source=record.get("source"), url=record.get("url"),
            external_id=external, origin=f"{path_name(paths)}:{n + 1}",
        )
        articles.append(annotate(article, settings.text))
    return articles


def path_name(paths: list[Path]) -> str:
    return paths[0].name if len(paths) == 1 else "corpus"


def link_articles(articles: list[Article], store: object, settings: Settings) -> list[dict[str, Any]]:
    """Store, link, and return scorer records {a, b, original} in the corpus's own ids."""
    from echolot.reuse import group_of, process

    store.add_articles(articles)  # type: ignore[attr-defined]
    process(articles, store, settings, progress=True)
    external = {a.id: a.external_id or a.id for a in articles}
    links = store.links()  # type: ignore[attr-defined]
    roots: dict[str, str | None] = {}
    out = []
    for link in links:
        if link.source not in roots:
            members, group_links = group_of(link.source, store)
            root = _root(members, group_links)
            roots.update({m: root for m in members})
        root = roots[link.source]
        out.append({"a": external.get(link.source, link.source), "b": external.get(link.target, link.target),
                    "original": external.get(root, root) if root else None})
    return out


def _root(members: set[str], links: list[Any]) -> str | None:
    """The member no directed link points to (the group's original)."""
    targets = {l.target for l in links if l.directed}
    roots = sorted(m for m in members if m not in targets and any(l.source == m and l.directed for l in links))
    return roots[0] if roots else None


def predict(inputs: list[Path], output: Path, settings: Settings, **options: Any) -> None:
    """Link a corpus in a fresh temporary store and write one line per predicted link."""
    from echolot.store.sqlite import SQLiteStore

    articles = read_corpus(inputs, settings)
    with tempfile.TemporaryDirectory(prefix="echolot-prov-") as tmp:
        store = SQLiteStore(Path(tmp) / "provenance.db")
        try:
            records = link_articles(articles, store, settings)
        finally:
            store.close()
    write_jsonl(output, records)


def split_groups(gold: Path, seed: int = 13) -> tuple[set[str], set[str]]:
    """Two halves of the dev groups (by group id, seeded): tune on one, report both."""
    groups = sorted(r["group"] for r in read_jsonl(gold))
    random.Random(seed).shuffle(groups)
    half = len(groups) // 2
    return set(groups[:half]), set(groups[half:])


def subset(corpus: Path, gold: Path, out_dir: Path, every: int) -> tuple[Path, Path]:
    """Every `every`-th gold group (sorted ids) and every `every`-th singleton (by id hash): a fast, fixed sample."""
    groups = sorted(read_jsonl(gold), key=lambda g: g["group"])[::every]
    members = {m["id"] for g in groups for m in g["members"]}
    grouped = {m["id"] for g in read_jsonl(gold) for m in g["members"]}
    records = [r for r in read_jsonl(corpus)
               if r["id"] in members or (r["id"] not in grouped and zlib.crc32(r["id"].encode()) % every == 0)]
    write_jsonl(out_dir / "corpus.jsonl", records)
    write_jsonl(out_dir / "gold.jsonl", groups)
    return out_dir / "corpus.jsonl", out_dir / "gold.jsonl"


def evaluate(settings: Settings, data_dir: Path, every: int = 1, **options: Any) -> dict[str, Any]:
    """Predict on the dev corpus (or a fixed 1/`every` sample of it) and return the scorer's figures."""
    task = data_dir / "provenance" if (data_dir / "provenance").is_dir() else data_dir
    corpus, gold = task / "dev" / "corpus.jsonl", task / "dev" / "gold.jsonl"
    if not corpus.is_file() or not gold.is_file():
        raise FileNotFoundError(f"provenance dev set not found under {task}")
    with tempfile.TemporaryDirectory(prefix="echolot-prov-eval-") as tmp:
        if every > 1:
            corpus, gold = subset(corpus, gold, Path(tmp), every)
        pred = Path(tmp) / "pred.jsonl"
        predict([corpus], pred, settings)
        return run_scorer(task / "score.py", corpus, gold, pred)
