"""The reader's check of the entities stage on real articles (docs/ner.md, "Reader's check").

    python bench/entities_reader.py pick /tmp/reader.jsonl        # the article set (34 records)
    ECHOLOT_HOME=/tmp/eh_reader python -m echolot ingest /tmp/reader.jsonl
    python bench/entities_reader.py list /tmp/eh_reader/echolot.db  # every entity, to be read

`pick` takes, per original language, the first reuse groups of the provenance dev sets (sorted by
group id) whose original has 600-2,500 characters and a human translation, and writes the original
and that translation as article records (the format `echolot ingest` reads; the gold `lang` is
ignored there, languages are detected). `list` prints every live entity: type, the type votes, the
number of articles, the shown name, and each variant with its languages and mention count. Nothing
is scored here: a person reads the list and sorts what is wrong (junk spans, splits, wrong merges,
types), which is what the table in docs/ner.md counts.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "provenance"
#: (dev folder, original language) -> groups taken
WANT = {("dev", "ru"): 5, ("dev", "de"): 4, ("dev", "fr"): 2, ("dev-languages", "uk"): 6}
MIN_CHARS, MAX_CHARS = 600, 2500


def pick(out: Path, data: Path = DATA) -> int:
    """Write the article set; returns how many records were written."""
    written = 0
    with out.open("w", encoding="utf-8") as sink:
        for (folder, lang), wanted in WANT.items():
            corpus = {}
            for line in (data / folder / "corpus.jsonl").open(encoding="utf-8"):
                record = json.loads(line)
                corpus[record["id"]] = record
            gold = [json.loads(line) for line in (data / folder / "gold.jsonl").open(encoding="utf-8")]
            taken = 0
            for group in sorted(gold, key=lambda g: g["group"]):
                original = corpus[group["original"]]
                translations = [m["id"] for m in group["members"] if m["relation"] == "human_translation"]
                if original["lang"] != lang or not translations \
                        or not MIN_CHARS <= len(original["text"]) <= MAX_CHARS:
                    continue
                for record_id in (group["original"], translations[0]):
                    sink.write(json.dumps(corpus[record_id], ensure_ascii=False) + "\n")
                    written += 1
                taken += 1
                if taken == wanted:
                    break
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
    sub.add_parser("pick").add_argument("out", type=Path)
    sub.add_parser("list").add_argument("db", type=Path)
    args = parser.parse_args()
    if args.command == "pick":
        print(pick(args.out), "records")
    else:
        print("\n".join(listing(args.db)))


if __name__ == "__main__":
    main()
