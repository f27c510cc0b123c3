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
from echolot.model import Article, ReuseLink
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
    records, _ = linked_records(articles, store, settings)
    return records


def linked_records(articles: list[Article], store: object, settings: Settings, exclude: set[str] = frozenset()
                   ) -> tuple[list[dict[str, Any]], list[ReuseLink]]:
    """Link what the store lacks, re-orient every group, return scorer records and the oriented links.

    Only articles new to the store are linked (a kept store, `--store`, links once and
    is re-oriented with the current direction code on every later run). Articles in
    `exclude` (store ids) are left out before orienting, as if never ingested: "original
    found" without the added reprints comes from the same linking.
    """
    from echolot.reuse import process

    new = set(store.add_articles(articles))  # type: ignore[attr-defined]
    process([a for a in articles if a.id in new], store, settings, progress=True)
    wanted = {a.id: a for a in articles if a.id not in exclude}
    links = [l for l in store.links() if l.source in wanted and l.target in wanted]  # type: ignore[attr-defined]
    oriented = orient_all(wanted, links, settings)
    external = {a.id: a.external_id or a.id for a in articles}
    records = []
    for members, group_links in _components(oriented):
        root = _root(members, group_links)
        records.extend({"a": external[l.source], "b": external[l.target],
                        "original": external[root] if root else None} for l in group_links)
    return records, oriented


def orient_all(articles: dict[str, Article], links: list[ReuseLink], settings: Settings) -> list[ReuseLink]:
    """Every connected group of `links` oriented by the current direction code (no store needed)."""
    from echolot.reuse import orient_group

    out: list[ReuseLink] = []
    for members, group_links in _components(links):
        out.extend(orient_group({m: articles[m] for m in members}, group_links, settings.reuse))
    return out


def _components(links: list[ReuseLink]) -> list[tuple[set[str], list[ReuseLink]]]:
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for link in links:
        parent[find(link.source)] = find(link.target)
    groups: dict[str, tuple[set[str], list[ReuseLink]]] = {}
    for link in sorted(links, key=lambda l: (l.source, l.target)):
        members, group_links = groups.setdefault(find(link.source), (set(), []))
        members |= {link.source, link.target}
        group_links.append(link)
    return [groups[k] for k in sorted(groups)]


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


# -- same-language reprints of each original (`--reprints N`) ------------------------------------
_BREADCRUMB = {"en": "Home » World » Europe", "de": "Startseite » Politik » Ausland", "fr": "Accueil » Monde » Europe",
               "ru": "Главная » В мире » Европа", "uk": "Головна » Світ » Європа"}
_SHARE = {"en": "Share: Facebook Twitter WhatsApp Email", "de": "Teilen: Facebook Twitter WhatsApp E-Mail",
          "fr": "Partager : Facebook Twitter WhatsApp E-mail", "ru": "Поделиться: ВКонтакте Telegram Twitter",
          "uk": "Поділитися: Facebook Telegram Twitter"}
_MORE = {"en": "Read more: the latest news", "de": "Mehr zum Thema", "fr": "Lire aussi : toute l'actualité",
         "ru": "Читайте также: главные новости", "uk": "Читайте також: головні новини"}
REPRINT_KINDS = ("breadcrumb on top", "share row at the bottom, last paragraph dropped",
                 "breadcrumb on top, read-more line at the bottom", "share row at the bottom")


def reprint(record: dict[str, Any], n: int) -> tuple[dict[str, Any], str]:
    """The `n`-th same-language reprint of a corpus record and what was done to it (deterministic:
    the kind cycles from a hash of the record id, so an original's reprints differ)."""
    lang = record.get("lang") or "en"
    kind = (zlib.crc32(record["id"].encode()) + n) % len(REPRINT_KINDS)
    paragraphs = [p for p in record["text"].split("\n") if p.strip()]
    crumb, share, more = (table.get(lang, table["en"]) for table in (_BREADCRUMB, _SHARE, _MORE))
    if kind == 0:
        paragraphs = [crumb] + paragraphs
    elif kind == 1:
        paragraphs = (paragraphs[:-1] if len(paragraphs) >= 3 else paragraphs) + [share]
    elif kind == 2:
        paragraphs = [crumb] + paragraphs + [more]
    else:
        paragraphs = paragraphs + [share]
    rid = "r" + format(zlib.crc32(f"{record['id']}:{n}".encode()), "08x") + format(n, "02x")
    return {**record, "id": rid, "text": "\n".join(paragraphs)}, REPRINT_KINDS[kind]


def add_reprints(corpus: Path, gold: Path, out_dir: Path, n: int) -> tuple[Path, Path, set[str]]:
    """Corpus and gold with `n` reprints ("copy" of the original) per gold group; returns their ids too."""
    records = list(read_jsonl(corpus))
    by_id = {r["id"]: r for r in records}
    groups = list(read_jsonl(gold))
    added: set[str] = set()
    for group in groups:
        for k in range(n):
            copy, _ = reprint(by_id[group["original"]], k)
            records.append(copy)
            added.add(copy["id"])
            group["members"].append({"id": copy["id"], "relation": "copy", "of": group["original"]})
    write_jsonl(out_dir / "corpus.jsonl", records)
    write_jsonl(out_dir / "gold.jsonl", groups)
    return out_dir / "corpus.jsonl", out_dir / "gold.jsonl", added


# -- held-out part and direction calibration ---------------------------------------------------------
def part_of(group_id: str) -> str:
    """"held" for a third of the groups (by id hash), never looked at while tuning direction; else "tune"."""
    return "held" if zlib.crc32(group_id.encode()) % 3 == 0 else "tune"


def _gold_parents(gold: Path) -> tuple[dict[str, str], dict[str, str]]:
    parent, group_of = {}, {}
    for group in read_jsonl(gold):
        for m in group["members"]:
            group_of[m["id"]] = group["group"]
            if m.get("of"):
                parent[m["id"]] = m["of"]
    return parent, group_of


def _ancestors(node: str, parent: dict[str, str]) -> set[str]:
    out: set[str] = set()
    while node in parent and parent[node] not in out:
        node = parent[node]
        out.add(node)
    return out


BINS = (0.0, 0.6, 0.7, 0.8, 0.9, 1.01)


def calibration(links: list[ReuseLink], external: dict[str, str], gold: Path, part: str | None = None
                ) -> dict[str, Any]:
    """Reliability of direction confidence: per confidence bin, how many directed links point the
    right way (the source is a gold ancestor of the target) or the wrong way (a gold descendant).
    Links between gold siblings (two translations of one original) or across groups count in neither."""
    parent, group_of = _gold_parents(gold)
    rows = [{"bin": f"[{lo:.1f}, {min(hi, 1.0):.1f}{']' if hi > 1 else ')'}", "links": 0, "right": 0, "wrong": 0,
             "neither": 0, "conf_sum": 0.0} for lo, hi in zip(BINS, BINS[1:])]
    for link in links:
        if not link.directed:
            continue
        a, b = external.get(link.source, link.source), external.get(link.target, link.target)
        if a not in group_of or group_of.get(a) != group_of.get(b):
            continue
        if part and part_of(group_of[a]) != part:
            continue
        row = next(r for (lo, hi), r in zip(zip(BINS, BINS[1:]), rows) if lo <= link.confidence < hi)
        row["links"] += 1
        row["conf_sum"] += link.confidence
        row["right" if a in _ancestors(b, parent) else "wrong" if b in _ancestors(a, parent) else "neither"] += 1
    table = []
    for r in rows:
        judged = r["right"] + r["wrong"]
        table.append({"bin": r["bin"], "links": r["links"], "right": r["right"], "wrong": r["wrong"],
                      "neither": r["neither"], "mean_confidence": round(r["conf_sum"] / r["links"], 3) if r["links"] else None,
                      "right_share": round(r["right"] / judged, 4) if judged else None})
    high = [r for r in rows[3:]]
    right, wrong = sum(r["right"] for r in high), sum(r["wrong"] for r in high)
    return {"table": table, "at_least_0.8": {"right": right, "wrong": wrong,
                                              "right_share": round(right / (right + wrong), 4) if right + wrong else None}}


def _part_gold(gold: Path, out: Path, part: str) -> Path:
    write_jsonl(out, [g for g in read_jsonl(gold) if part_of(g["group"]) == part])
    return out


def _score(task: Path, corpus: Path, gold: Path, records: list[dict[str, Any]], links: list[ReuseLink],
           external: dict[str, str], tmp: Path, name: str) -> dict[str, Any]:
    """The scorer's figures, plus "original found" per part (tune / held) and the direction calibration."""
    pred = tmp / f"{name}.pred.jsonl"
    write_jsonl(pred, records)
    figures = run_scorer(task / "score.py", corpus, gold, pred)
    figures["parts"] = {}
    for part in ("tune", "held"):
        sub = run_scorer(task / "score.py", corpus, _part_gold(gold, tmp / f"{name}.{part}.gold.jsonl", part), pred)
        figures["parts"][part] = {"original": sub["original"], "calibration": calibration(links, external, gold, part)}
    figures["calibration"] = calibration(links, external, gold)
    return figures


DATASETS = ("dev", "dev-languages")


def evaluate(settings: Settings, data_dir: Path, every: int = 1, reprints: int = 0, dataset: str = "dev",
             store: Path | None = None, **options: Any) -> dict[str, Any]:
    """Predict on a dev set (or a fixed 1/`every` sample of it) and return the scorer's figures.

    `reprints` N > 0 adds N same-language reprints of every original (`reprint`) and
    reports the figures with them, and "original found" without them from the same
    linking. `store`: keep the linked store in this file; a later run with the same
    file links nothing again and only re-orients (fast when tuning the direction).
    Every figure set carries "parts" (tune / held-out third of the groups) and the
    direction calibration.
    """
    from echolot.store.sqlite import SQLiteStore

    task = data_dir / "provenance" if (data_dir / "provenance").is_dir() else data_dir
    if dataset not in DATASETS:
        raise ValueError(f"unknown provenance dev set {dataset!r}; choose one of {', '.join(DATASETS)}")
    corpus, gold = task / dataset / "corpus.jsonl", task / dataset / "gold.jsonl"
    if not corpus.is_file() or not gold.is_file():
        raise FileNotFoundError(f"provenance {dataset} set not found under {task}")
    with tempfile.TemporaryDirectory(prefix="echolot-prov-eval-") as name:
        tmp = Path(name)
        if every > 1:
            corpus, gold = subset(corpus, gold, tmp / "sample", every)
        plain_corpus, plain_gold = corpus, gold
        added: set[str] = set()
        if reprints > 0:
            corpus, gold, added = add_reprints(corpus, gold, tmp / "reprints", reprints)
        articles = read_corpus([corpus], settings)
        external = {a.id: a.external_id or a.id for a in articles}
        db = SQLiteStore(store or tmp / "provenance.db")
        try:
            records, links = linked_records(articles, db, settings)
            figures = _score(task, corpus, gold, records, links, external, tmp, "with")
            if reprints > 0:
                exclude = {a.id for a in articles if a.external_id in added}
                records, links = linked_records(articles, db, settings, exclude=exclude)
                plain = _score(task, plain_corpus, plain_gold, records, links, external, tmp, "plain")
                figures = {"dataset": dataset, "reprints": reprints, "reprint_kinds": list(REPRINT_KINDS),
                           "original_found": {"without_reprints": plain["original"]["accuracy"],
                                              "with_reprints": figures["original"]["accuracy"],
                                              "held_without": plain["parts"]["held"]["original"]["accuracy"],
                                              "held_with": figures["parts"]["held"]["original"]["accuracy"]},
                           "with_reprints": figures, "without_reprints": plain}
            else:
                figures = {"dataset": dataset, **figures}
        finally:
            db.close()
        return figures
