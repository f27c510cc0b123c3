"""`echolot predict quotes` / `echolot eval quotes`: attribution extraction against PolNeAR.

Offsets in the predictions refer to the input `text` exactly as given (never
re-cleaned). English uses the trained taggers, other languages the rule extractor.
`evaluate` scores the whole English dev file *and* its held-out fifth (articles the
taggers never saw, see `echolot.quotes.training.is_heldout`); the held-out figure
is the honest one. German REDEWIEDERGABE (historical, fiction included) is scored
for information only.
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

from tqdm import tqdm

from echolot.eval.common import read_jsonl, run_scorer, write_jsonl
from echolot.quotes.extract import extract_attributions, use_english_model
from echolot.quotes.training import is_heldout
from echolot.settings import Settings

EN_DEV = "quotes/dev/en.polnear.jsonl"
DE_DEV = "quotes/dev/de.redewiedergabe.jsonl"


def _lang_of(record: dict[str, Any]) -> str:
    if record.get("lang"):
        return str(record["lang"]).lower()[:2]
    from echolot.text import detect_language

    return detect_language(record["text"])[0] or "en"


def _entities(text: str, lang: str) -> list[tuple[int, int, str]]:
    try:
        from echolot.entities.ner import recognize
    except ImportError:
        return []
    return list(recognize(text, lang))


def predict_records(records: list[dict[str, Any]], settings: Settings, progress: bool = True) -> list[dict[str, Any]]:
    """Prediction records (id, quotes) for input records (id, lang, text)."""
    qs = settings.quotes
    for i, record in enumerate(records):
        if not isinstance(record.get("text"), str) or "id" not in record:
            raise ValueError(f"input record {i + 1} lacks 'id' or a string 'text'")
    langs = [_lang_of(r) for r in records]
    docs: dict[int, Any] = {}
    english = [i for i, lang in enumerate(langs) if use_english_model(lang, qs)]
    if english:
        from echolot.quotes.english import load_nlp

        nlp = load_nlp()
        texts = (records[i]["text"] for i in english)
        for i, doc in zip(english, tqdm(nlp.pipe(texts, batch_size=16), total=len(english), desc="parse",
                                         file=sys.stderr, disable=not progress)):
            docs[i] = doc
    out = []
    for i, record in enumerate(tqdm(records, desc="quotes", file=sys.stderr, disable=not progress)):
        text, lang = record["text"], langs[i]
        doc = docs.pop(i, None)
        entities = None if doc is not None else _entities(text, lang)
        attributions = extract_attributions(text, lang, qs, entities, doc)
        out.append({"id": record["id"], "quotes": [a.to_prediction() for a in attributions]})
    return out


def predict(inputs: list[Path], output: Path, settings: Settings, **options: Any) -> None:
    """Read JSONL articles (gold "quotes" ignored), write one prediction line per article."""
    records = [r for path in inputs for r in read_jsonl(path)]
    if options.get("lang"):
        for r in records:
            r["lang"] = options["lang"]
    write_jsonl(output, predict_records(records, settings))


def _summary(figures: dict[str, Any]) -> dict[str, Any]:
    return {
        "articles": figures["articles"],
        "content_f1": round(figures["content"]["f1"], 4),
        "content_precision": round(figures["content"]["precision"], 4),
        "content_recall": round(figures["content"]["recall"], 4),
        "source_accuracy": round(figures["source_accuracy"], 4),
        "end_to_end_f1": round(figures["end_to_end"]["f1"], 4),
        "cue_accuracy": round(figures["cue_accuracy"], 4),
    }


def score(gold: list[dict[str, Any]], predictions: list[dict[str, Any]], data_dir: Path, tmp: Path,
          name: str) -> dict[str, Any]:
    gold_path, pred_path = tmp / f"{name}.gold.jsonl", tmp / f"{name}.pred.jsonl"
    write_jsonl(gold_path, gold)
    write_jsonl(pred_path, predictions)
    return run_scorer(data_dir / "quotes" / "score.py", gold_path, pred_path)


def evaluate(settings: Settings, data_dir: Path, heldout_only: bool | None = None, max_articles: int | None = None,
             german: bool | None = None) -> dict[str, Any]:
    """Score the English dev set (all, and the held-out fifth) and, informatively, German.

    `heldout_only` / `max_articles` / `german` default to `quotes.eval_heldout_only` /
    `quotes.eval_max_articles` / `quotes.eval_german` so the CLI can ask for the quick run:
    `echolot --set quotes.eval_heldout_only=true --set quotes.eval_german=false eval quotes`.
    """
    if heldout_only is None:
        heldout_only = settings.quotes.eval_heldout_only
    if german is None:
        german = settings.quotes.eval_german
    max_articles = max_articles or settings.quotes.eval_max_articles or None
    gold = list(read_jsonl(data_dir / EN_DEV))
    heldout = [r for r in gold if is_heldout(r["id"])]
    if heldout_only:
        gold = heldout
    if max_articles:
        gold = gold[:max_articles]
        heldout = [r for r in heldout if r["id"] in {g["id"] for g in gold}]
    inputs = [{"id": r["id"], "lang": r.get("lang", "en"), "text": r["text"]} for r in gold]
    predictions = predict_records(inputs, settings)
    by_id = {p["id"]: p for p in predictions}
    figures: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        if not heldout_only:
            figures["en.polnear (all, 4/5 seen in training)"] = _summary(score(gold, predictions, data_dir, Path(tmp), "all"))
        figures["en.polnear held-out"] = _summary(
            score(heldout, [by_id[r["id"]] for r in heldout], data_dir, Path(tmp), "heldout"))
        de_path = data_dir / DE_DEV
        if german and de_path.is_file():
            de_gold = list(read_jsonl(de_path))
            de_gold = de_gold[:max_articles] if max_articles else de_gold
            de_pred = predict_records([{"id": r["id"], "lang": "de", "text": r["text"]} for r in de_gold], settings)
            figures["de.redewiedergabe (informative, rules)"] = _summary(score(de_gold, de_pred, data_dir, Path(tmp), "de"))
    return figures
