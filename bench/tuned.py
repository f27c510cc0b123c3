"""The fine-tuned NER tagger (tuned-e5) on its two paths: the ONNX graph of its merged weights vs numpy.

    python bench/tuned.py --n 200                       # first 200 sentences of the Russian dev file
    python bench/tuned.py --n 200 --file de.germeval.conll
    python bench/tuned.py --articles en [--model DIR|FILE.npz] [--repeat 3]   # the CRF path vs tuned-e5, per article
    python bench/tuned.py --articles en --file en.conll2003.conll --n 400   # ... on dev-file "articles"
    python bench/tuned.py --read 8 [--model DIR|FILE.npz]   # a reader's check: both taggers' English entities

One tagger is loaded (adapters merged once); its sentences are tagged first through the float32
ONNX Runtime graph built from the merged weights (`onnx_e5.layer_session`), then through the
numpy forward pass over the same weights. Printed: CPU seconds of each path (this process, ONNX
Runtime's threads included), their ratio, the largest logit difference and whether the
BIO-constrained tags agree. Loading and graph building happen before the clock.

`--articles LANG` answers another question: what serving LANG by tuned-e5 (`--model`: a folder holding
tuned.npz or an adapters file; default the file that would serve LANG: its own, e.g. models/en/tuned-en.npz,
when installed, else models/xx/tuned.npz) instead of its CRF path (`models/LANG`, e.g. crf-en over spaCy's tags) costs per
article. The seed articles of ../shared/data/seeds that the language detector assigns to LANG are
tokenised and split into sentences (as `ner.recognize` does) before the clock (with `--file`: the
file's first `--n` sentences, 20 to an "article", instead); each article's sentences
go to a tagger in one `tag_many` call, both taggers alternately, `--repeat` rounds, so load changes hit
both alike. Both taggers run in the setting's default e5 path (`encoder.token_states`) and are warmed
first. Printed: CPU seconds per article and per 1,000 words of each, their ratio, and how many entity
tags the two agree on.

`--read N` prints, for N real English articles (half SemEval-2023, half SemEval-2025 of
../shared/data/narratives/dev, 600-2,500 characters, in the order of the sha1 of `READ_SALT` + their
id: reproducible, and unseen when first drawn), every entity span either tagger finds (crf-en's path and
tuned-e5 as `--articles` picks it), with each one's type ("-" where it found none): what a reader
sorts into right / wrong / missed (docs/ner.md, "English on the fine-tuned tagger").
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np


def seed_sentences(lang: str) -> list[list[list[str]]]:
    """The seed articles in `lang`, each as its sentences' words (`ner.recognize`'s tokenising)."""
    from echolot.entities.ner.tokens import group_sentences, tokenize
    from echolot.eval.common import find_data_dir
    from echolot.text import detect_language

    out = []
    for path in sorted((find_data_dir() / "seeds").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        if detect_language(text)[0] != lang:
            continue
        offsets = tokenize(text)
        words = [text[a:b] for a, b in offsets]
        out.append([words[a:b] for a, b in group_sentences(words, [a for a, _ in offsets], text)])
    return out


def file_articles(name: str, n: int, size: int = 20) -> list[list[list[str]]]:
    """The first `n` sentences of a dev file, `size` sentences to an article."""
    from echolot.entities.ner.data import read_conll
    from echolot.eval.common import find_data_dir

    sentences = [[token for token, _ in s] for s in read_conll(find_data_dir() / "ner" / "dev" / name)][:n]
    return [sentences[i:i + size] for i in range(0, len(sentences), size)]


def tuned_file(lang: str, model: Path | None) -> Path:
    """The adapters file to time: `model` (a file, or a folder holding tuned.npz), else the one that
    would serve `lang` (its own file when installed, else the shared one)."""
    from echolot.entities import ner
    from echolot.entities.ner.tuned import MODEL_FILE

    if model is not None:
        return model if model.suffix == ".npz" else model / MODEL_FILE
    own = ner.own_tuned_path(lang)
    return own if own is not None and own.is_file() else ner.FALLBACK_DIR / MODEL_FILE


def versus_crf(lang: str, model: Path | None, repeat: int, articles: list[list[list[str]]]) -> dict[str, Any]:
    """CPU per article of `lang`'s CRF path and of tuned-e5 on the same articles (same run)."""
    from echolot.entities.ner import MODELS_DIR
    from echolot.entities.ner.crf import CRFTagger
    from echolot.entities.ner.tuned import TunedTagger

    if not articles:
        raise SystemExit(f"no seed article in {lang!r}")
    path = tuned_file(lang, model)
    taggers: dict[str, Any] = {f"crf-{lang}": CRFTagger(MODELS_DIR / lang),
                               "tuned-e5": TunedTagger(path.parent, file=path.name)}
    tags: dict[str, list[list[list[str]]]] = {}
    cpu = dict.fromkeys(taggers, 0.0)
    for tagger in taggers.values():
        tagger.tag_many(articles[0][:2])  # loading, graph building and first-call costs stay off the clock
    for _ in range(repeat):
        for name, tagger in taggers.items():
            start = time.process_time()
            tags[name] = [tagger.tag_many(sentences) for sentences in articles]
            cpu[name] += time.process_time() - start
    words = sum(len(s) for sentences in articles for s in sentences)
    crf, tuned = (np.array([t for a in tags[n] for s in a for t in s]) for n in taggers)
    named = (crf != "O") | (tuned != "O")
    return {"lang": lang, "tuned_file": str(path), "articles": len(articles), "sentences": sum(map(len, articles)),
            "words_per_article": round(words / len(articles)),
            "repeat": repeat, "cpu_s_per_article": {n: round(c / (repeat * len(articles)), 3) for n, c in cpu.items()},
            "cpu_s_per_1000_words": {n: round(1000 * c / (repeat * words), 2) for n, c in cpu.items()},
            "ratio_tuned_over_crf": round(cpu["tuned-e5"] / max(cpu[f"crf-{lang}"], 1e-9), 2),
            "named_word_tags_agreeing": f"{int((crf == tuned)[named].sum())}/{int(named.sum())}"}


READ_SALT = "neren2 english reader 2026-12-08"


def read_sample(n: int) -> list[dict[str, str]]:
    """`--read`'s articles: n//2 SemEval-2023 and n - n//2 SemEval-2025 English ones (module docstring)."""
    import hashlib

    from echolot.eval.common import find_data_dir

    out: list[dict[str, str]] = []
    for name, want in (("semeval23.jsonl", n // 2), ("semeval25.jsonl", n - n // 2)):
        rows = [json.loads(line) for line in (find_data_dir() / "narratives" / "dev" / name).open(encoding="utf-8")]
        rows = [r for r in rows if r.get("lang") == "en" and 600 <= len(r.get("text", "")) <= 2500]
        rows.sort(key=lambda r: hashlib.sha1(f"{READ_SALT}{r['id']}".encode()).hexdigest())
        out += rows[:want]
    return out


def entity_table(text: str, taggers: dict[str, Any]) -> list[tuple[str, dict[str, str]]]:
    """(span text, {tagger: type or "-"}) for every span any tagger finds in `text`, in text order."""
    from echolot.entities.ner.tokens import bio_to_spans, clean_spans, group_sentences, tokenize

    offsets = tokenize(text)
    words = [text[a:b] for a, b in offsets]
    ranges = group_sentences(words, [a for a, _ in offsets], text)
    found: dict[tuple[int, int], dict[str, str]] = {}
    for name, tagger in taggers.items():
        tags = tagger.tag_many([words[a:b] for a, b in ranges])
        spans = [(offsets[a + ta][0], offsets[a + tb - 1][1], typ)
                 for (a, _b), sentence in zip(ranges, tags) for ta, tb, typ in bio_to_spans(sentence)]
        for start, end, typ in clean_spans(spans):
            found.setdefault((start, end), dict.fromkeys(taggers, "-"))[name] = typ
    return [(text[a:b], types) for (a, b), types in sorted(found.items())]


def read_articles(n: int, model: Path | None) -> None:
    """Print `entity_table` for `read_sample(n)`: crf-en's path against tuned-e5."""
    from echolot.entities.ner import MODELS_DIR
    from echolot.entities.ner.crf import CRFTagger
    from echolot.entities.ner.tuned import TunedTagger

    path = tuned_file("en", model)
    taggers = {"crf-en": CRFTagger(MODELS_DIR / "en"), "tuned": TunedTagger(path.parent, file=path.name)}
    print(f"tuned file: {path}")
    for row in read_sample(n):
        print(f"\n=== {row['id']} ({len(row['text'])} chars): {row.get('title', '')[:90]}")
        for span, types in entity_table(row["text"], taggers):
            mark = "  " if len(set(types.values())) == 1 else "! "
            print(f"{mark}{types['crf-en']:5} {types['tuned']:5} {span}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=200, help="sentences to tag (from the start of the file)")
    parser.add_argument("--file", default=None,
                        help="a file of ../shared/data/ner/dev (default ru.factrueval.conll; with --articles: none, "
                             "the seed articles)")
    parser.add_argument("--articles", default="", metavar="LANG",
                        help="time LANG's CRF path against tuned-e5 on the seed articles in LANG instead")
    parser.add_argument("--model", type=Path, default=None,
                        help="with --articles: an adapters file, or a folder with tuned.npz")
    parser.add_argument("--repeat", type=int, default=3, help="with --articles: rounds over the articles")
    parser.add_argument("--read", type=int, default=0, metavar="N",
                        help="print both taggers' entities on N real English articles (a reader's check)")
    args = parser.parse_args()
    if args.read:
        read_articles(args.read, args.model)
        return 0
    if args.articles:
        articles = file_articles(args.file, args.n) if args.file else seed_sentences(args.articles)
        print(json.dumps(versus_crf(args.articles, args.model, args.repeat, articles), indent=1))
        return 0
    os.environ["ECHOLOT_ENCODER__TOKEN_STATES"] = "onnx"
    from echolot.entities.ner import FALLBACK_DIR
    from echolot.entities.ner.data import read_conll
    from echolot.entities.ner.tuned import TunedTagger, log_softmax, viterbi
    from echolot.eval.common import find_data_dir

    path = find_data_dir() / "ner" / "dev" / (args.file or "ru.factrueval.conll")
    sentences = [[token for token, _ in s] for s in read_conll(path)][:args.n]
    tagger = TunedTagger(FALLBACK_DIR)
    if tagger._session is None:
        print("the ONNX graph of the merged weights could not be built", file=sys.stderr)
        return 1
    figures: dict[str, float] = {}
    logits = {}
    for path_name, session in (("onnx", tagger._session), ("numpy", None)):
        tagger._session = session
        start = time.process_time()
        logits[path_name] = tagger.logits(sentences)
        figures[f"{path_name}_cpu_s"] = round(time.process_time() - start, 2)
    tags = {name: [viterbi(log_softmax(x), tagger.labels) for x in out] for name, out in logits.items()}
    result = {"sentences": len(sentences), "words": sum(map(len, sentences)), **figures,
              "cpu_ratio_numpy_over_onnx": round(figures["numpy_cpu_s"] / max(figures["onnx_cpu_s"], 1e-9), 2),
              "max_logit_difference": float(max((np.abs(a - b).max() for a, b in
                                                 zip(logits["onnx"], logits["numpy"]) if len(a)), default=0.0)),
              "tags_identical": tags["onnx"] == tags["numpy"]}
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
