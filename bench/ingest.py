"""Ingest throughput and peak memory, beside a baseline of plain file reading of the same files.

    python bench/ingest.py [--n 10000] [--seed 1]

Generates N synthetic scrapes (German, English, Russian; about a third with web
boilerplate around them) in a temporary folder, then, each in a fresh process so
the peak memory figures do not mix:
  1. baseline: read every file and decode it (what any ingest has to do at least);
  2. echolot: `pipeline.ingest` into a new SQLite store (read, clean, language,
     sentences, store; the analysis stages are not run, as with --no-analyze).
Prints articles per second and peak resident memory (ru_maxrss) for both, and echolot's
seconds per ingest step (read, clean, text, store: `IngestSummary.stage_seconds`).
"""
from __future__ import annotations

import argparse
import multiprocessing as mp
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

# this checkout's echolot, also in the spawned children (they re-import this file, not the caller's path)
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

WORDS = {
    "de": [
        "Regierung", "Minister", "Gespräche", "Bericht", "Woche", "Land", "Stadt", "Behörde", "Sprecher", "Polizei", "Vertrag",
        "Preise", "Gipfel", "Treffen", "Parlament", "Wahl", "Krise", "Hilfe", "Grenze", "Truppen"
    ],
    "en": [
        "government", "minister", "talks", "report", "week", "country", "city", "agency", "spokesman", "police", "treaty",
        "prices", "summit", "meeting", "parliament", "election", "crisis", "aid", "border", "troops"
    ],
    "ru": [
        "правительство", "министр", "переговоры", "доклад", "неделя", "страна", "город", "ведомство", "представитель", "полиция",
        "договор", "цены", "саммит", "встреча", "парламент", "выборы", "кризис", "помощь", "граница", "войска"
    ],
}
FRAMES = {
    "de": ["Der {0} sagte am Dienstag, die {1} sei für die {2} entscheidend.",
           "Nach Angaben der {0} wurden {n} Fälle gemeldet, darunter auch in der {1}.",
           "Die {0} kündigte an, die {1} bis zum {n}. Mai zu prüfen."],
    "en": ["The {0} said on Tuesday that the {1} was crucial for the {2}.",
           "According to the {0}, {n} cases were reported, including in the {1}.",
           "The {0} announced it would review the {1} by May {n}."],
    "ru": ["{0} заявил во вторник, что {1} имеет решающее значение для {2}.",
           "По данным {0}, зарегистрировано {n} случаев, в том числе в {1}.",
           "{0} объявил, что рассмотрит {1} до {n} мая."],
}
BOILER_TOP = ["Home » Politik » Ausland", "Anzeige", "Поделиться: ВКонтакте | Telegram", "Share on Facebook | Twitter"]
BOILER_BOTTOM = ["Teilen auf Facebook | Twittern | Per E-Mail versenden", "© 2024 Testblatt. Alle Rechte vorbehalten.",
                 "Read more: Politics", "Source: Reuters", "Мы используем файлы cookie. Продолжая, вы соглашаетесь."]


def _article(rng: random.Random, i: int) -> str:
    lang = rng.choice(list(WORDS))
    words, frames = WORDS[lang], FRAMES[lang]
    title = " ".join(rng.sample(words, 5)).capitalize() + f" {i}"
    paragraphs = [" ".join(rng.choice(frames).format(*rng.sample(words, 3), n=rng.randint(2, 28))
                           for _ in range(rng.randint(2, 4)))
                  for _ in range(rng.randint(3, 8))]
    lines = [title, *paragraphs]
    if rng.random() < 0.35:
        lines = [rng.choice(BOILER_TOP), *lines, *rng.sample(BOILER_BOTTOM, 2)]
    return "\n\n".join(lines)


def generate(folder: Path, n: int, seed: int) -> int:
    rng = random.Random(seed)
    total = 0
    for i in range(n):
        sub = folder / f"{i // 1000:03d}"
        sub.mkdir(exist_ok=True)
        data = _article(rng, i).encode("utf-8")
        (sub / f"{i:06d}.txt").write_bytes(data)
        total += len(data)
    return total


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _baseline(folder: str, queue: mp.Queue) -> None:
    start = time.perf_counter()
    count = 0
    for path in sorted(Path(folder).rglob("*.txt")):
        path.read_bytes().decode("utf-8")
        count += 1
    queue.put((count, time.perf_counter() - start, _peak_mb()))


def _echolot(folder: str, db: str, queue: mp.Queue) -> None:
    from echolot.pipeline import ingest
    from echolot.settings import Settings
    from echolot.store import SQLiteStore

    store = SQLiteStore(db)
    start = time.perf_counter()
    summary = ingest([folder], store, Settings(), progress=True)
    elapsed = time.perf_counter() - start
    store.close()
    queue.put((summary.ingested, elapsed, _peak_mb(), summary.duplicates, len(summary.rejected),
               summary.stage_seconds))


def _in_child(target, *args):  # type: ignore[no-untyped-def]
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=target, args=(*args, queue))
    proc.start()
    result = queue.get()
    proc.join()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=10_000, help="articles to generate (default 10000)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="echolot-bench-") as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        size = generate(folder, args.n, args.seed)
        print(f"generated {args.n} articles, {size / 1e6:.1f} MB", file=sys.stderr)
        count, secs, peak = _in_child(_baseline, str(folder))
        print(f"baseline (read + decode): {count} files in {secs:.2f}s = {count / secs:,.0f} files/s, "
              f"peak RSS {peak:.0f} MB")
        ingested, secs, peak, dups, rejected, steps = _in_child(_echolot, str(folder), str(Path(tmp) / "bench.db"))
        print(f"echolot ingest (--no-analyze): {ingested} articles in {secs:.2f}s = {ingested / secs:,.0f} "
              f"articles/s, peak RSS {peak:.0f} MB (duplicates {dups}, rejected {rejected})")
        print("  seconds per step: " + ", ".join(f"{step} {value:.2f}" for step, value in steps.items()))


if __name__ == "__main__":
    main()
