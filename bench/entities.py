"""Speed of the entities stage (NER + canonical entities) over generated news-like articles.

    python bench/entities.py --n 1000            # prints articles/s for the stage
    python bench/entities.py --n 200 --quotes    # also time echolot.quotes.process when present
    python bench/entities.py --n 300 --states numpy,onnx   # the stage on each e5 token-state path

With --states, the stage runs once per path of `encoder.token_states` (issue #12: the numpy port
of e5 vs the float32 ONNX graph), each into a fresh store, in the same run, and the ratio of articles
per CPU second is printed (CPU seconds of this process, ONNX Runtime's threads included: on the shared
machine they say more than wall seconds, which are printed too).

Articles are generated from templates in English, German and Russian with names
spelled per language (Tokayev / Tokajew / Токаев), so the canonicaliser has real
merging to do. Text preparation (language id, sentences) happens before the clock
starts; the figure covers NER, grouping, matching, alignment and the store writes.
Quotes are produced by the quotes engineer's stage; with --quotes it runs after ours
when `echolot.quotes.process` is importable, and its time is reported separately.

Baseline in the same run: the German articles' sentences tagged by the German CRF with its
contextual features (multilingual-e5 word vectors, entities/ner/context.py) and without them (the
fallback when the encoder cannot load), so the encoder's share of the cost is visible.
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

from echolot.model import Article
from echolot.settings import Settings
from echolot.store import SQLiteStore
from echolot.text import annotate

# (en, de, ru) spellings
PEOPLE = [
    ("Kassym-Jomart Tokayev", "Kassym-Schomart Tokajew", "Касым-Жомарт Токаев"),
    ("Vladimir Putin", "Wladimir Putin", "Владимир Путин"),
    ("Antony Blinken", "Antony Blinken", "Энтони Блинкен"),
    ("Sergei Lavrov", "Sergej Lawrow", "Сергей Лавров"),
    ("Volodymyr Zelensky", "Wolodymyr Selenskyj", "Владимир Зеленский"),
    ("Jen Psaki", "Jen Psaki", "Джен Псаки"),
    ("Nikolai Patrushev", "Nikolai Patruschew", "Николай Патрушев"),
]
PLACES = [("Kazakhstan", "Kasachstan", "Казахстан"), ("Almaty", "Almaty", "Алматы"),
          ("Moscow", "Moskau", "Москва"), ("Ukraine", "Ukraine", "Украина"), ("Washington", "Washington", "Вашингтон")]
ORGS = [("NATO", "NATO", "НАТО"), ("Gazprom", "Gazprom", "Газпром"), ("Reuters", "Reuters", "Рейтер")]
TEMPLATES = {
    "en": ["{p1} met {p2} in {l1} on Tuesday to discuss security.",
           "According to {o1}, {s1} said the talks in {l2} were constructive.",
           "{s2} declined to comment on the plans of {o1}.",
           "Officials in {l1} expect {s1} to travel to {l2} next week."],
    "de": ["{p1} traf am Dienstag {p2} in {l1}, um über Sicherheit zu sprechen.",
           "Laut {o1} sagte {s1}, die Gespräche in {l2} seien konstruktiv gewesen.",
           "{s2} wollte sich zu den Plänen von {o1} nicht äußern.",
           "Beamte in {l1} erwarten, dass {s1} nächste Woche nach {l2} reist."],
    "ru": ["{p1} встретился с {p2} в {l1} во вторник, чтобы обсудить безопасность.",
           "По данным {o1}, {s1} назвал переговоры в {l2} конструктивными.",
           "{s2} отказался комментировать планы {o1}.",
           "Чиновники в {l1} ожидают, что {s1} на следующей неделе поедет в {l2}."],
}
LANGS = ("en", "de", "ru")


def generate(n: int, seed: int = 7) -> list[Article]:
    """n annotated articles, 4-8 paragraphs each, languages mixed 50/35/15."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        lang = rng.choices(LANGS, weights=(50, 35, 15))[0]
        li = LANGS.index(lang)
        paragraphs = []
        for _ in range(rng.randint(4, 8)):
            p1, p2 = rng.sample(PEOPLE, 2)
            l1, l2 = rng.sample(PLACES, 2)
            values = {"p1": p1[li], "p2": p2[li], "s1": p1[li].split()[-1], "s2": p2[li].split()[-1],
                      "l1": l1[li], "l2": l2[li], "o1": rng.choice(ORGS)[li]}
            paragraphs.append(" ".join(t.format(**values) for t in rng.sample(TEMPLATES[lang], 2)))
        text = "\n\n".join(paragraphs) + f"\n\n({i})"
        out.append(annotate(Article(id=f"bench{i:05d}", text=text)))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1000, help="articles to generate")
    parser.add_argument("--quotes", action="store_true", help="also time echolot.quotes.process if present")
    parser.add_argument("--states", default="", help="comma-separated encoder.token_states paths to compare")
    args = parser.parse_args()

    articles = generate(args.n)
    paths = [p for p in args.states.split(",") if p] or [""]
    rates: dict[str, tuple[float, float | None]] = {}
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=Settings().encoder.blas_threads or None, user_api="blas"):  # as the main job
        for path in paths:
            rates[path] = _run_stages(articles, path, args.quotes)
    if len(paths) > 1:
        base = rates[paths[0]]
        for path in paths[1:]:
            ent, quo = rates[path]
            line = f"token states {path} vs {paths[0]} (articles per CPU-s): entities {ent / base[0]:.2f}x"
            if quo is not None and base[1] is not None:
                line += f", quotes {quo / base[1]:.2f}x"
            print(line)
    if not args.states:
        _german_context_cost([a for a in articles if a.lang == "de"])
    return 0


def _run_stages(articles: list[Article], path: str, quotes: bool) -> tuple[float, float | None]:
    """Entities (and quotes) over the articles into a fresh store; articles/s of each."""
    import os

    from echolot import entities
    from echolot.encoders import e5_tokens

    if path:
        os.environ["ECHOLOT_ENCODER__TOKEN_STATES"] = path
        e5_tokens.shared.cache_clear()
    label = f" [{path}]" if path else ""
    quote_rate: float | None = None
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(home=Path(tmp))
        store = SQLiteStore(Path(tmp) / "bench.db")
        store.add_articles(articles)
        warm = [next(a for a in articles if a.lang == lang) for lang in LANGS
                if any(a.lang == lang for a in articles)]
        entities.process(warm, store, settings, progress=False)  # warm up: load the NER models
        rest = [a for a in articles if a not in warm]
        start, cpu = time.perf_counter(), time.process_time()
        entities.process(rest, store, settings)
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
        live = [e for e in store.list_entities() if not e.get("merged_into")]
        print(f"entities{label}: {len(rest)} articles in {elapsed:.1f}s = {len(rest) / elapsed:.1f} articles/s; "
              f"{cpu:.1f} CPU-s = {len(rest) / cpu:.1f} articles per CPU-s; "
              f"{sum(len(store.annotations('mentions', a.id)) for a in rest)} mentions, {len(live)} entities",
              flush=True)
        if quotes:
            try:
                from echolot.quotes import process as quotes_process
            except ImportError:
                print("quotes: echolot.quotes.process not available; skipped")
            else:
                quotes_process(warm, store, settings)
                start, qcpu = time.perf_counter(), time.process_time()
                quotes_process(rest, store, settings)
                q, qcpu = time.perf_counter() - start, time.process_time() - qcpu
                quote_rate = len(rest) / qcpu
                print(f"quotes{label}: {len(rest)} articles in {q:.1f}s = {len(rest) / q:.1f} articles/s; "
                      f"{qcpu:.1f} CPU-s = {quote_rate:.1f} articles per CPU-s", flush=True)
        store.close()
    return len(rest) / cpu, quote_rate


def _german_context_cost(articles: list[Article]) -> None:
    """Time the German CRF on the articles' sentences (one call per article, as in the stage)
    with and without the contextual encoder."""
    from echolot.entities.ner import MODELS_DIR
    from echolot.entities.ner.crf import CRFTagger
    from echolot.entities.ner.tokens import group_sentences, tokenize

    if not articles:
        return
    per_article = []
    for article in articles:
        offsets = tokenize(article.text)
        texts = [article.text[a:b] for a, b in offsets]
        ranges = group_sentences(texts, [a for a, _ in offsets], article.text)
        per_article.append([texts[a:b] for a, b in ranges])
    tagger = CRFTagger(MODELS_DIR / "de")
    tagger.tag_many(per_article[0])  # load the encoder before the clock

    def run() -> float:
        start = time.perf_counter()
        for sentences in per_article:
            tagger.tag_many(sentences)
        return time.perf_counter() - start

    with_context = run()
    tagger.context = None  # the same path as an encoder that cannot load
    without = run()
    words = sum(len(s) for sentences in per_article for s in sentences)
    print(f"German CRF on {len(articles)} articles ({words} words): with the contextual encoder {with_context:.1f}s "
          f"= {len(articles) / with_context:.1f} articles/s; without it {without:.1f}s = "
          f"{len(articles) / without:.1f} articles/s")


if __name__ == "__main__":
    sys.exit(main())
