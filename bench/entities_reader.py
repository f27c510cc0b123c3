"""The reader's check of the entities stage on real articles (docs/ner.md, "Reader's check").

    python bench/entities_reader.py pick /tmp/reader.jsonl        # the article set (34 records)
    ECHOLOT_HOME=/tmp/eh_reader python -m echolot ingest /tmp/reader.jsonl
    python bench/entities_reader.py list /tmp/eh_reader/echolot.db  # every entity, to be read
    python bench/entities_reader.py pick /tmp/reader2.jsonl --sample 2  # the second, fresh set (30 records)

`pick` takes, per original language, the first reuse groups of the provenance dev sets (sorted by
group id) whose original has 600-2,500 characters and a human translation, and writes the original
and that translation as article records (the format `echolot ingest` reads; the gold `lang` is
ignored there, languages are detected). `list` prints every live entity: type, the type votes, the
number of articles, the shown name, and each variant with its languages and mention count. Nothing
is scored here: a person reads the list and sorts what is wrong (junk spans, splits, wrong merges,
types), which is what the table in docs/ner.md counts.

`--sample 2` is the second reader's check (issue #14, fourth pass): groups in the order of the sha1 of
their id (salted, so not the first set's order), none the first set takes, same length bounds, per
`WANT_2`; reproducible, and unseen when it was first drawn.
"""
from __future__ import annotations

import argparse
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "provenance"
#: (dev folder, original language) -> groups taken
WANT = {("dev", "ru"): 5, ("dev", "de"): 4, ("dev", "fr"): 2, ("dev-languages", "uk"): 6}
#: the second set: 4 Russian, 3 German, 3 French, 5 Ukrainian originals, each with its human translation
WANT_2 = {("dev", "ru"): 4, ("dev", "de"): 3, ("dev", "fr"): 3, ("dev-languages", "uk"): 5}
SALT_2 = "reader-2"
MIN_CHARS, MAX_CHARS = 600, 2500


def _read(folder: Path) -> tuple[dict[str, dict], list[dict]]:
    corpus = {}
    for line in (folder / "corpus.jsonl").open(encoding="utf-8"):
        record = json.loads(line)
        corpus[record["id"]] = record
    gold = [json.loads(line) for line in (folder / "gold.jsonl").open(encoding="utf-8")]
    return corpus, gold


def _groups(want: dict[tuple[str, str], int], data: Path, salt: str | None,
            skip: set[str]) -> Iterator[tuple[dict, list[str]]]:
    """(corpus, [original id, translation id]) of the groups taken, per (folder, language) of `want`: in
    group-id order (salt None) or in the order of sha1(salt + group id)."""
    for (folder, lang), wanted in want.items():
        corpus, gold = _read(data / folder)
        order = (lambda g: g["group"]) if salt is None \
            else (lambda g: hashlib.sha1((salt + g["group"]).encode()).hexdigest())
        taken = 0
        for group in sorted(gold, key=order):
            original = corpus[group["original"]]
            translations = [m["id"] for m in group["members"] if m["relation"] == "human_translation"]
            if group["group"] in skip or original["lang"] != lang or not translations \
                    or not MIN_CHARS <= len(original["text"]) <= MAX_CHARS:
                continue
            yield corpus, [group["original"], translations[0]]
            taken += 1
            if taken == wanted:
                break


def _group_ids(want: dict[tuple[str, str], int], data: Path) -> set[str]:
    """The group ids the first set takes (so the second leaves them out)."""
    ids = set()
    for folder, _ in want:
        _, gold = _read(data / folder)
        by_original = {g["original"]: g["group"] for g in gold}
        ids |= {by_original[pair[0]] for _, pair in _groups({k: v for k, v in want.items() if k[0] == folder},
                                                               data, None, set())}
    return ids


def pick(out: Path, data: Path = DATA, sample: int = 1) -> int:
    """Write the article set (`sample` 1: the first reader's check, 2: the second); returns how many
    records were written."""
    if sample == 1:
        chosen = _groups(WANT, data, None, set())
    elif sample == 2:
        chosen = _groups(WANT_2, data, SALT_2, _group_ids(WANT, data))
    else:
        raise ValueError(f"no sample {sample}: 1 or 2")
    written = 0
    with out.open("w", encoding="utf-8") as sink:
        for corpus, ids in chosen:
            for record_id in ids:
                sink.write(json.dumps(corpus[record_id], ensure_ascii=False) + "\n")
                written += 1
    return written


def listing(db: Path) -> list[str]:
    """One line per live entity, most mentioned first."""
    from echolot.entities.query import active_entities
    from echolot.store import SQLiteStore

    store = SQLiteStore(db)
    lines = []
    for entity in active_entities(store):
        counts = entity.get("variant_counts") or {}
        langs = entity.get("variant_langs") or {}
        variants = "; ".join(f"{v}[{','.join(langs.get(v, []))}]x{c}"
                             for v, c in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
        lines.append(f"{entity['type']:4} {dict(entity.get('types') or {})} articles={len(entity.get('articles') or {})}"
                     f" | {entity['name']} || {variants}")
    store.close()
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    picker = sub.add_parser("pick")
    picker.add_argument("out", type=Path)
    picker.add_argument("--sample", type=int, default=1, choices=(1, 2),
                        help="1: the first reader's check (34 records), 2: the second, fresh one (30 records)")
    sub.add_parser("list").add_argument("db", type=Path)
    args = parser.parse_args()
    if args.command == "pick":
        print(pick(args.out, sample=args.sample), "records")
    else:
        print("\n".join(listing(args.db)))


if __name__ == "__main__":
    main()
