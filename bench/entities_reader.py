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

`--sample 3` is the third (issue #14, eighth pass), for entities AND quotes in more languages: single
articles (no translation) in the order of the sha1 of `SALT_3` + their id, same length bounds, per
`WANT_3`: SemEval-2023 narrative articles in pl/it/fr/de/ru (of the training split the repository holds
as dev; the Polish ones the seventh pass read, its first 16 "reporting" and 4 "opinion" articles, left
out), SemEval-2025 articles in bg/pt/hi, provenance dev originals in de/fr and dev-languages originals in
uk, none an article the first two sets hold. 30 records, unseen when first drawn.

`--sample 4` is the fourth (issue #14, ninth pass), weighted to languages the first three read little or not at
all: any article (original, translation or unlinked) of `WANT_4`'s languages, in the order of the sha1 of `SALT_4` +
its id, same length bounds, none an article of the first three sets: provenance dev is/ja/en, dev-languages
sah/ru, SemEval-2025 bg/pt/ru, SemEval-2023 it/fr/en. 30 records, unseen when first drawn.

`--sample 5` is the fifth (issue #14, tenth pass), weighted to the users' space and to German web pages: 7 German
pages of the trafilatura extraction dev set, as HTML (copied into `OUT.html/`, ingested as files so echolot's own
extraction reads them: `echolot ingest OUT OUT.html`), chosen in the order of the sha1 of `SALT_5` + the file name
among those whose extracted text is German, 600-8,000 characters, dated (trafilatura finds a date: a news or blog
post, not a shop or a glossary) and holds at least 4 quotation marks (someone is quoted); and 23 single articles per
`WANT_5` in the order of sha1(`SALT_5` + id), none an article of the first four sets. Unseen when first drawn.
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
#: the third set: (file under the data root, language) -> articles taken
WANT_3 = {("narratives/dev/semeval23.jsonl", "pl"): 4, ("narratives/dev/semeval23.jsonl", "it"): 4,
          ("narratives/dev/semeval23.jsonl", "fr"): 3, ("narratives/dev/semeval23.jsonl", "de"): 3,
          ("narratives/dev/semeval23.jsonl", "ru"): 3, ("narratives/dev/semeval25.jsonl", "bg"): 3,
          ("narratives/dev/semeval25.jsonl", "pt"): 3, ("narratives/dev/semeval25.jsonl", "hi"): 2,
          ("provenance/dev/corpus.jsonl", "de"): 2, ("provenance/dev/corpus.jsonl", "fr"): 1,
          ("provenance/dev-languages/corpus.jsonl", "uk"): 2}
SALT_3 = "reader-3"
#: Polish SemEval-2023 articles the seventh pass read: its first 16 "reporting" and 4 "opinion" ones
READ_PL = {"reporting": 16, "opinion": 4}
MIN_CHARS, MAX_CHARS = 600, 2500
#: the fourth set (issue #14, ninth pass): languages the first three read little or not at all
WANT_4 = {("provenance/dev/corpus.jsonl", "is"): 4, ("provenance/dev/corpus.jsonl", "ja"): 2,
          ("provenance/dev/corpus.jsonl", "en"): 3, ("provenance/dev-languages/corpus.jsonl", "sah"): 4,
          ("provenance/dev-languages/corpus.jsonl", "ru"): 2,
          ("narratives/dev/semeval25.jsonl", "bg"): 3, ("narratives/dev/semeval25.jsonl", "pt"): 3,
          ("narratives/dev/semeval25.jsonl", "ru"): 2, ("narratives/dev/semeval23.jsonl", "it"): 3,
          ("narratives/dev/semeval23.jsonl", "fr"): 2, ("narratives/dev/semeval23.jsonl", "en"): 2}
SALT_4 = "reader-4"
#: the fifth set (issue #14, tenth pass): the users' space, besides the German web pages of `_german_pages`
WANT_5 = {("narratives/dev/semeval23.jsonl", "de"): 3, ("narratives/dev/semeval23.jsonl", "en"): 3,
          ("narratives/dev/semeval25.jsonl", "en"): 3, ("narratives/dev/semeval25.jsonl", "ru"): 3,
          ("narratives/dev/semeval25.jsonl", "bg"): 2, ("provenance/dev-languages/corpus.jsonl", "uk"): 4,
          ("narratives/dev/semeval23.jsonl", "pl"): 2, ("narratives/dev/semeval23.jsonl", "it"): 2}
SALT_5 = "reader-5"
HTML_PAGES = DATA.parent / "extraction" / "dev" / "trafilatura" / "html"
#: German web pages the fifth set takes, and the bounds they are chosen within
PAGES_5, PAGE_MAX_CHARS, PAGE_MIN_MARKS = 7, 8000, 4


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


def _read_polish(records: list[dict]) -> set[str]:
    """Ids of the Polish SemEval-2023 articles the seventh pass read (file order, per genre)."""
    seen: dict[str, int] = {}
    ids = set()
    for record in records:
        genre = record.get("genre", "")
        if record.get("lang") == "pl" and seen.get(genre, 0) < READ_PL.get(genre, 0):
            seen[genre] = seen.get(genre, 0) + 1
            ids.add(record["id"])
    return ids


def _originals(folder: Path) -> set[str]:
    """Ids of the originals of a provenance folder's reuse groups (the corpus also holds their copies)."""
    return {json.loads(line)["original"] for line in (folder / "gold.jsonl").open(encoding="utf-8")}


def _taken_1_2(data: Path) -> set[str]:
    """Ids of the articles the first two sets hold."""
    return {record_id for _, ids in (*_groups(WANT, data, None, set()),
                                     *_groups(WANT_2, data, SALT_2, _group_ids(WANT, data))) for record_id in ids}


def _singles(data: Path, want: dict[tuple[str, str], int] = WANT_3, salt: str = SALT_3,
             taken: set[str] | None = None, originals_only: bool = True) -> Iterator[dict]:
    """Single article records per `want` (the third set by default), in sha1(`salt` + id) order, none in
    `taken` (default: the first two sets); `originals_only` keeps a provenance folder's group originals."""
    taken = _taken_1_2(data) if taken is None else taken
    for (name, lang), wanted in want.items():
        path = data.parent / name if name.startswith("narratives") else data / name.split("/", 1)[1]
        records = [json.loads(line) for line in path.open(encoding="utf-8")]
        skip = (_read_polish(records) if "semeval23" in name else set()) | taken
        allowed = None
        if name.startswith("provenance") and originals_only:
            allowed = _originals(path.parent)  # an article the first two sets hold is read already
        candidates = [r for r in records if r.get("lang") == lang and r["id"] not in skip
                      and (allowed is None or r["id"] in allowed)
                      and MIN_CHARS <= len(r["text"]) <= MAX_CHARS]
        candidates.sort(key=lambda r: hashlib.sha1((salt + r["id"]).encode()).hexdigest())
        yield from candidates[:wanted]


def _fourth(data: Path) -> Iterator[dict]:
    """The fourth set: any article of `WANT_4`'s languages (originals, translations or unlinked articles of
    the provenance folders), in sha1(`SALT_4` + id) order, none an article of the first three sets."""
    taken = _taken_1_2(data)
    taken |= {r["id"] for r in _singles(data, taken=taken)}
    yield from _singles(data, WANT_4, SALT_4, taken, originals_only=False)


def _taken_1_4(data: Path) -> set[str]:
    """Ids of the articles the first four sets hold."""
    taken = _taken_1_2(data)
    taken |= {r["id"] for r in _singles(data, taken=taken)}
    return taken | {r["id"] for r in _fourth(data)}


def _german_pages(folder: Path = HTML_PAGES) -> list[Path]:
    """The fifth set's German web pages: text by echolot's own extraction, German, 600-`PAGE_MAX_CHARS`
    characters, dated and quoting (`PAGE_MIN_MARKS` quotation marks), in sha1(`SALT_5` + name) order."""
    from echolot.clean.html import extract_page
    from echolot.text.lang import detect_language

    chosen = []
    for path in sorted(folder.glob("*.html"), key=lambda p: hashlib.sha1((SALT_5 + p.name).encode()).hexdigest()):
        page = extract_page(path.read_text(encoding="utf-8", errors="replace"))
        if page is None or not page.date or not MIN_CHARS <= len(page.text) <= PAGE_MAX_CHARS:
            continue
        if sum(page.text.count(mark) for mark in '"„“”»«') < PAGE_MIN_MARKS or detect_language(page.text)[0] != "de":
            continue
        chosen.append(path)
        if len(chosen) == PAGES_5:
            break
    return chosen


def _fifth(out: Path, data: Path) -> Iterator[dict]:
    """The fifth set's single articles; its German pages are copied into `out`.html/ on the way."""
    pages = out.with_name(out.name + ".html")
    pages.mkdir(exist_ok=True)
    for path in _german_pages(data.parent / "extraction" / "dev" / "trafilatura" / "html"):
        (pages / path.name).write_bytes(path.read_bytes())
    yield from _singles(data, WANT_5, SALT_5, _taken_1_4(data), originals_only=False)


def pick(out: Path, data: Path = DATA, sample: int = 1) -> int:
    """Write the article set (`sample` 1: the first reader's check, 2: the second, ... 5: the fifth, whose
    German web pages go to `out`.html/ as files); returns how many records were written."""
    if sample in (3, 4, 5):
        records = list(_singles(data) if sample == 3 else _fourth(data) if sample == 4 else _fifth(out, data))
        with out.open("w", encoding="utf-8") as sink:
            for record in records:
                sink.write(json.dumps({k: record[k] for k in ("id", "lang", "title", "text") if k in record},
                                      ensure_ascii=False) + "\n")
        return len(records)
    if sample == 1:
        chosen = _groups(WANT, data, None, set())
    elif sample == 2:
        chosen = _groups(WANT_2, data, SALT_2, _group_ids(WANT, data))
    else:
        raise ValueError(f"no sample {sample}: 1, 2, 3, 4 or 5")
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
    picker.add_argument("--sample", type=int, default=1, choices=(1, 2, 3, 4, 5),
                        help="1: the first reader's check (34 records), 2: the second (30 records), "
                             "3: the third, in eleven languages (30 records), "
                             "4: the fourth, weighted to languages the first three read little (30 records), "
                             "5: the fifth, the users' space and 7 German web pages as HTML (30 records)")
    sub.add_parser("list").add_argument("db", type=Path)
    args = parser.parse_args()
    if args.command == "pick":
        print(pick(args.out, sample=args.sample), "records")
    else:
        print("\n".join(listing(args.db)))


if __name__ == "__main__":
    main()
