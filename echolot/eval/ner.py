"""NER evaluation: `echolot predict ner` writes CoNLL predictions; `echolot eval ner` scores the dev files.

Our CRF models are trained on dev files (each model's meta.json lists which), so for those
files the evaluator scores only their *dev* part (`echolot.eval.splits.ner_is_dev`, the rule the
trainer uses) and says so in the key. That part was consulted while choosing features and
settings, so its figures are dev figures, not held-out ones. A file no shipped model trained
on is scored whole. Russian FactRuEval has no MISC, hence `--ignore-types MISC`.

The language of a file is detected from its sentences (majority of per-sentence guesses)
unless the user passes `--lang`: the file name is not read (it is a gold-ish hint).
"""
from __future__ import annotations

import json
import tempfile
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tqdm import tqdm

from echolot.entities.ner import MODELS_DIR, recognize_sentences
from echolot.entities.ner.data import Sentence, read_conll, write_conll
from echolot.eval.common import run_scorer
from echolot.eval.splits import NER_DEV_PERCENT, ner_is_dev
from echolot.settings import Settings

_IGNORE = {"ru": "MISC"}
_BATCH = 256


def trained_on() -> set[str]:
    """Dev files (by name, e.g. 'de.germeval') whose sentences trained a shipped model (meta.json)."""
    names: set[str] = set()
    for meta in MODELS_DIR.glob("*/meta.json"):
        names.update(json.loads(meta.read_text(encoding="utf-8")).get("trained_on", []))
    return names


def detect_sentences_language(sentences: Sequence[Sentence], sample: int = 200) -> str | None:
    """The majority language of up to `sample` sentences (evenly spread over the file), each
    detected from its space-joined tokens; None when nothing has letters. Ties go to the
    alphabetically first code, so the answer does not depend on dict order."""
    from echolot.text import detect_language

    step = max(1, len(sentences) // sample)
    votes: Counter[str] = Counter()
    for sentence in sentences[::step][:sample]:
        code = detect_language(" ".join(t for t, _ in sentence))[0]
        if code:
            votes[code] += 1
    if not votes:
        return None
    top = max(votes.values())
    return min(code for code, n in votes.items() if n == top)


def _lang_of(sentences: Sequence[Sentence], lang: str | None) -> str | None:
    """Explicit --lang, else the language detected from the sentences themselves."""
    return lang or detect_sentences_language(sentences)


def tag_sentences(sentences: Sequence[Sentence], lang: str | None, progress: bool = True) -> list[Sentence]:
    """The sentences with the gold tag replaced by the predicted one."""
    out: list[Sentence] = []
    bar = tqdm(total=len(sentences), desc=f"ner {lang or '?'}", unit="sent", disable=not progress, leave=False)
    for i in range(0, len(sentences), _BATCH):
        chunk = sentences[i:i + _BATCH]
        tags = recognize_sentences([[t for t, _ in s] for s in chunk], lang)
        out.extend([(tok, tag) for (tok, _), tag in zip(s, ts)] for s, ts in zip(chunk, tags))
        bar.update(len(chunk))
    bar.close()
    return out


def predict(inputs: list[Path], output: Path, settings: Settings, **options: Any) -> None:
    """Tag every sentence of the input CoNLL file(s); same tokens, predicted tag as the last column."""
    lang = options.get("lang")
    tagged: list[Sentence] = []
    for path in inputs:
        try:
            sentences = read_conll(path)
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise SystemExit(f"cannot read {path}: {exc}") from exc
        tagged += tag_sentences(sentences, _lang_of(sentences, lang))
    write_conll(output, tagged)


def _score(sentences: list[Sentence], predicted: list[Sentence], lang: str | None, scorer: Path, work: Path,
           name: str) -> dict[str, Any]:
    gold = work / f"{name}.gold.conll"
    pred = work / f"{name}.pred.conll"
    write_conll(gold, sentences)
    write_conll(pred, predicted)
    extra = ["--ignore-types", _IGNORE[lang]] if lang in _IGNORE else []
    return run_scorer(scorer, gold, pred, *extra)


def _summary(figures: dict[str, Any]) -> dict[str, Any]:
    """Exact-span F1 overall and per type, plus the lenient overlap F1 and sizes."""
    overall = figures["overall"]
    return {
        "f1": round(overall["f1"], 4), "precision": round(overall["precision"], 4),
        "recall": round(overall["recall"], 4), "n_gold": overall["n_gold"],
        "per_type_f1": {t: round(v["f1"], 4) for t, v in figures["per_type"].items()},
        "partial_f1": round(figures["overall_partial"]["f1"], 4),
        "sentences": figures["sentences"],
    }


def evaluate(settings: Settings, data_dir: Path, **options: Any) -> dict[str, Any]:
    """Figures per dev file (its dev part for files a shipped model trained on), plus per language
    combined figures where a language has several files (the German target is stated on those)."""
    ner_dir = data_dir / "ner"
    only = options.get("files")
    limit = options.get("max_sentences")
    results: dict[str, Any] = {}
    trained = trained_on()
    by_lang: dict[str, list[tuple[list[Sentence], list[Sentence]]]] = {}  # (gold, predicted) per file
    with tempfile.TemporaryDirectory(prefix="echolot_ner_") as tmp:
        for path in sorted((ner_dir / "dev").glob("*.conll")):
            name = path.name.removesuffix(".conll")
            if only and name not in only:
                continue
            sentences = read_conll(path)
            lang = _lang_of(sentences, options.get("lang"))
            key = name
            if name in trained:
                sentences = [s for s in sentences if ner_is_dev([t for t, _ in s])]
                key = f"{name} (dev {NER_DEV_PERCENT}%)"
            if limit:
                sentences = sentences[:limit]
                key += f" (first {len(sentences)} sentences)"
            if lang in _IGNORE:
                key += f" (ignoring {_IGNORE[lang]})"
            predicted = tag_sentences(sentences, lang)
            results[key] = _summary(_score(sentences, predicted, lang, ner_dir / "score.py", Path(tmp), name))
            by_lang.setdefault(lang or "?", []).append((sentences, predicted))
        for lang, parts in sorted(by_lang.items()):
            if len(parts) > 1:  # the files' predictions scored together (tagging is per sentence: no re-run)
                gold = [s for part, _ in parts for s in part]
                predicted = [s for _, part in parts for s in part]
                results[f"{lang} (all files above, combined)"] = _summary(
                    _score(gold, predicted, lang, ner_dir / "score.py", Path(tmp), f"{lang}.combined"))
    return results
