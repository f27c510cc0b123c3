"""Provenance task: predict reuse links for a JSONL corpus and score them with the task's scorer.

The corpus's `lang` field is gold and never read: records are read by ingest's record
reader (`echolot.ingest.records`, which keeps `lang` only as an untrusted declaration) and
languages are detected by `echolot.text.annotate`. The record `id` becomes
`Article.external_id`, because the scorer needs the record ids back.

Parts (`echolot.eval.splits`): every figure set carries the direction parts ("tune" / "held",
`splits.provenance_direction_part`) and the `final` carve-out (`splits.provenance_is_final`),
of which only aggregates are printed. Every group of the two shared dev sets was consulted
before the carve-out was made, so on them `final` is a *dev* figure too (a part no
decision made from now on sees), not a held-out one.
"""
from __future__ import annotations

import itertools
import sys
import tempfile
import zlib
from pathlib import Path
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from tqdm import tqdm

from echolot.eval import splits
from echolot.eval.common import read_jsonl as read_rows
from echolot.eval.common import run_scorer, write_jsonl
from echolot.ids import content_id
from echolot.ingest.records import read_jsonl
from echolot.model import Article, Rejection, ReuseLink
from echolot.settings import Settings
from echolot.text import annotate

if TYPE_CHECKING:
    from echolot.store.base import Store


def read_corpus(paths: list[Path], settings: Settings, progress: bool = True) -> list[Article]:
    """Articles from shared-format JSONL records, read by ingest's own record reader
    (`echolot.ingest.records`). The task's texts are already clean, so they are not cleaned
    again (cleaning would strip the very boilerplate whose edges orient reprints); language and
    sentences come from detection (`annotate`), never from the record's `lang`.
    A record ingest would reject stops the evaluation with its line number and reason."""
    articles: list[Article] = []
    for path in paths:
        items = read_jsonl(path, settings.ingest.max_record_bytes)
        for item in tqdm(items, desc="read", unit="doc", disable=not progress, file=sys.stderr):
            if isinstance(item, Rejection):
                raise ValueError(f"{item.origin}: {item.reason}")
            text = item.body.replace("\r\n", "\n")
            if item.kind != "text" or not text.strip():
                raise ValueError(f"{item.origin}: the record has no plain 'text'")
            external = item.external_id or item.origin
            article = Article(
                id=content_id(text, item.title, item.url, external), text=text, title=item.title,
                published=item.published, source=item.source, url=item.url, external_id=external,
                origin=f"{path_name(paths)}:{item.origin.rsplit(':', 1)[-1]}",
            )
            articles.append(annotate(article, settings.text))
    return articles


def path_name(paths: list[Path]) -> str:
    return paths[0].name if len(paths) == 1 else "corpus"


def link_articles(articles: list[Article], store: Store, settings: Settings) -> list[dict[str, Any]]:
    """Store, link, and return scorer records {a, b, original} in the corpus's own ids."""
    records, _ = linked_records(articles, store, settings)
    return records


def linked_records(articles: list[Article], store: Store, settings: Settings, exclude: frozenset[str] = frozenset()
                   ) -> tuple[list[dict[str, Any]], list[ReuseLink]]:
    """Link what the store lacks, re-orient every group, return scorer records and the oriented links.

    Only articles new to the store are linked (a kept store, `--store`, links once and
    is re-oriented with the current direction code on every later run). Articles in
    `exclude` (store ids) are left out before orienting, as if never ingested: "original
    found" without the added reprints comes from the same linking.
    """
    from echolot.reuse import process

    new = set(store.add_articles(articles))
    process([a for a in articles if a.id in new], store, settings, progress=True)
    wanted = {a.id: a for a in articles if a.id not in exclude}
    links = [l for l in store.links() if l.source in wanted and l.target in wanted]
    oriented = orient_all(wanted, links, settings)
    external = {a.id: a.external_id or a.id for a in articles}
    records: list[dict[str, Any]] = []
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


def split_groups(gold: Path) -> tuple[set[str], set[str]]:
    """The two halves of the dev groups (`splits.provenance_halves`): both were consulted (dev)."""
    return splits.provenance_halves(r["group"] for r in read_rows(gold))


def subset(corpus: Path, gold: Path, out_dir: Path, every: int) -> tuple[Path, Path]:
    """Every `every`-th gold group (sorted ids) and every `every`-th singleton (by id hash): a fast, fixed sample."""
    groups = sorted(read_rows(gold), key=lambda g: g["group"])[::every]
    members = {m["id"] for g in groups for m in g["members"]}
    grouped = {m["id"] for g in read_rows(gold) for m in g["members"]}
    records = [r for r in read_rows(corpus)
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
    records = list(read_rows(corpus))
    by_id = {r["id"]: r for r in records}
    groups = list(read_rows(gold))
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


# -- parts and direction calibration ------------------------------------------------------------------
def part_of(group_id: str) -> str:
    """"held" / "tune" for the direction code (`splits.provenance_direction_part`)."""
    return splits.provenance_direction_part(group_id)


def _gold_parents(gold: Path) -> tuple[dict[str, str], dict[str, str]]:
    parent, group_of = {}, {}
    for group in read_rows(gold):
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
    rows: list[dict[str, Any]] = [{"bin": f"[{lo:.1f}, {min(hi, 1.0):.1f}{']' if hi > 1 else ')'}", "links": 0, "right": 0, "wrong": 0,
             "neither": 0, "conf_sum": 0.0} for lo, hi in itertools.pairwise(BINS)]
    for link in links:
        if not link.directed:
            continue
        a, b = external.get(link.source, link.source), external.get(link.target, link.target)
        if a not in group_of or group_of.get(a) != group_of.get(b):
            continue
        if part and part_of(group_of[a]) != part:
            continue
        row = next(r for (lo, hi), r in zip(itertools.pairwise(BINS), rows) if lo <= link.confidence < hi)
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
    write_jsonl(out, [g for g in read_rows(gold) if part_of(g["group"]) == part])
    return out


def restricted_figures(task: Path, corpus: Path, gold: Path, pred: Path, in_part: Callable[[str], bool],
                       out: Path) -> dict[str, Any]:
    """Scorer figures on one part of a set: gold groups whose id is `in_part`, singletons whose
    article id is, and only predicted links with both ends among those articles."""
    out.mkdir(parents=True, exist_ok=True)
    groups = list(read_rows(gold))
    grouped = {m["id"]: g["group"] for g in groups for m in g["members"]}
    keep = {r["id"] for r in read_rows(corpus) if in_part(grouped.get(r["id"], r["id"]))}
    write_jsonl(out / "corpus.jsonl", [r for r in read_rows(corpus) if r["id"] in keep])
    write_jsonl(out / "gold.jsonl", [g for g in groups if in_part(g["group"])])
    write_jsonl(out / "pred.jsonl", [x for x in read_rows(pred) if x["a"] in keep and x["b"] in keep])
    return run_scorer(task / "score.py", out / "corpus.jsonl", out / "gold.jsonl", out / "pred.jsonl")


def half_member(half_a: set[str], half_b: set[str], label: str) -> Callable[[str], bool]:
    """Membership in half A or B: gold groups by `provenance_halves`, singletons by a hash of their id."""
    def member(key: str) -> bool:
        if key in half_a or key in half_b:
            return (key in half_a) == (label == "A")
        return (splits.bucket("provenance", key, "half") < 50) == (label == "A")
    return member


def aggregates(figures: dict[str, Any]) -> dict[str, Any]:
    """Only the aggregate figures of a part (what is printed for `final`)."""
    return {"pairwise_f1": figures["pairwise"]["f1"], "same_lang_f1": figures["pairwise_same_lang"]["f1"],
            "cross_lang_f1": figures["pairwise_cross_lang"]["f1"], "original": figures["original"]["accuracy"],
            "gold_pairs": figures["pairwise"]["gold_pairs"]}


def _score(task: Path, corpus: Path, gold: Path, records: list[dict[str, Any]], links: list[ReuseLink],
           external: dict[str, str], tmp: Path, name: str) -> dict[str, Any]:
    """The scorer's figures, plus "original found" per direction part (tune / held), the halves
    (`splits.provenance_halves`, both consulted) and the `final` carve-out (aggregates only),
    and the direction calibration."""
    pred = tmp / f"{name}.pred.jsonl"
    write_jsonl(pred, records)
    figures = run_scorer(task / "score.py", corpus, gold, pred)
    figures["parts"] = {}
    for part in ("tune", "held"):
        sub = run_scorer(task / "score.py", corpus, _part_gold(gold, tmp / f"{name}.{part}.gold.jsonl", part), pred)
        figures["parts"][part] = {"original": sub["original"], "calibration": calibration(links, external, gold, part)}
    half_a, half_b = split_groups(gold)
    figures["halves"] = {label: aggregates(restricted_figures(task, corpus, gold, pred, half_member(half_a, half_b, label),
                                                              tmp / f"{name}.{label}"))
                         for label in ("A", "B")}
    figures["final"] = aggregates(restricted_figures(task, corpus, gold, pred, splits.provenance_is_final,
                                                     tmp / f"{name}.final"))
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
                exclude = frozenset(a.id for a in articles if a.external_id in added)
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
