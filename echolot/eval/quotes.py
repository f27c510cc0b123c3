"""`echolot predict quotes` / `echolot eval quotes`: attribution extraction against PolNeAR.

Offsets in the predictions refer to the input `text` exactly as given (never
re-cleaned). Articles are read by the ingest record reader; their language is detected
(or `--lang`), never taken from the record. English uses the trained taggers, other
languages the rule extractor. `evaluate` scores PolNeAR's `dev` part (held out of
training but consulted for decisions: a dev figure) and its `final` part (held out of
training and of every decision: the figure reported as held out, aggregates only), see
`echolot.eval.splits`. German REDEWIEDERGABE (historical, fiction included) is scored
for information only.
"""
from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from tqdm import tqdm

from echolot.eval.common import read_jsonl, run_scorer, write_jsonl
from echolot.eval.splits import quotes_part
from echolot.quotes.extract import extract_attributions, use_english_model
from echolot.settings import Settings

EN_DEV = "quotes/dev/en.polnear.jsonl"
DE_DEV = "quotes/dev/de.redewiedergabe.jsonl"


def _lang_of(text: str, forced: str | None) -> str:
    """The language the pipeline gets: `--lang` when given, else detection (never the record's
    own `lang`, a gold-ish field)."""
    if forced:
        return forced.lower()
    from echolot.text import detect_language

    return detect_language(text)[0] or "en"


def read_articles(path: Path, settings: Settings) -> list[dict[str, str]]:
    """(id, text) of every article of a JSONL file through the ingest record reader
    (`echolot.ingest.records`); a bad line is a clear error naming it, nothing is skipped."""
    from echolot.ingest.records import read_jsonl as read_records
    from echolot.model import Rejection

    out = []
    for raw in read_records(path, settings.ingest.max_record_bytes):
        if isinstance(raw, Rejection):
            raise ValueError(f"{raw.origin}: {raw.reason}")
        if raw.kind != "text" or raw.external_id is None:
            raise ValueError(f"{raw.origin}: a quotes input needs an 'id' and a plain 'text'")
        out.append({"id": raw.external_id, "text": raw.body})
    return out


def _entities(text: str, lang: str) -> list[tuple[int, int, str]]:
    try:
        from echolot.entities.ner import recognize
    except ImportError:
        return []
    return list(recognize(text, lang))


def predict_records(records: list[dict[str, Any]], settings: Settings, progress: bool = True,
                    lang: str | None = None) -> list[dict[str, Any]]:
    """Prediction records (id, quotes) for input records (id, text); the language is detected
    per article unless `lang` is given."""
    qs = settings.quotes
    for i, record in enumerate(records):
        if not isinstance(record.get("text"), str) or "id" not in record:
            raise ValueError(f"input record {i + 1} lacks 'id' or a string 'text'")
    langs = [_lang_of(r["text"], lang) for r in records]
    docs: dict[int, Any] = {}
    english = [i for i, code in enumerate(langs) if use_english_model(code, qs)]
    if english:
        from echolot.quotes.english import load_nlp

        nlp = load_nlp()
        texts = (records[i]["text"] for i in english)
        for i, doc in zip(english, tqdm(nlp.pipe(texts, batch_size=16), total=len(english), desc="parse",
                                         file=sys.stderr, disable=not progress)):
            docs[i] = doc
    out = []
    for i, record in enumerate(tqdm(records, desc="quotes", file=sys.stderr, disable=not progress)):
        text, code = record["text"], langs[i]
        doc = docs.pop(i, None)
        entities = None if doc is not None else _entities(text, code)
        attributions = extract_attributions(text, code, qs, entities, doc)
        out.append({"id": record["id"], "quotes": [a.to_prediction() for a in attributions]})
    return out


def predict(inputs: list[Path], output: Path, settings: Settings, **options: Any) -> None:
    """Read JSONL articles (gold "quotes" ignored), write one prediction line per article."""
    records = [r for path in inputs for r in read_articles(path, settings)]
    write_jsonl(output, predict_records(records, settings, lang=options.get("lang")))


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


DEV = "en.polnear dev (old held-out fifth; consulted for decisions)"
FINAL = "en.polnear final (held out; no decision has seen it)"
FINAL_SEEN = "en.polnear final (NOT held out: the shipped taggers were trained on it before the split; retrain)"
TRAIN = "en.polnear train (seen in training; informative)"
GERMAN = "de.redewiedergabe (informative, rules)"


def final_is_held_out(settings: Settings) -> bool:
    """Were the English taggers trained without the final part? Their training record says so
    (`echolot.training.quotes` writes it); the rules alone never saw any part."""
    from echolot.quotes.english import MODEL_DIR

    if not use_english_model("en", settings.quotes):
        return True
    record = MODEL_DIR / "quotes.record.json"
    if not record.is_file():
        return False
    notes = json.loads(record.read_text(encoding="utf-8")).get("notes") or {}
    return "quotes_part" in str(notes.get("split", ""))


def evaluate(settings: Settings, data_dir: Path, heldout_only: bool | None = None, max_articles: int | None = None,
             german: bool | None = None, parts: tuple[str, ...] = ("dev", "final", "train")) -> dict[str, Any]:
    """Score the English dev set's `dev` and `final` parts (`echolot.eval.splits.quotes_part`)
    separately, and, informatively, German.

    `final` is reported as aggregates only: its predictions stay in a temporary folder and no
    error listing is made for it. `heldout_only` (default `quotes.eval_heldout_only`) false
    also scores the training part (slow, informative); `max_articles` (`quotes.eval_max_articles`)
    keeps the first N articles of each part; `german` (`quotes.eval_german`) adds the German set;
    `parts` narrows the English parts (the dev gate scores only "dev").
    """
    if heldout_only is None:
        heldout_only = settings.quotes.eval_heldout_only
    if german is None:
        german = settings.quotes.eval_german
    max_articles = max_articles or settings.quotes.eval_max_articles or None
    en_path = data_dir / EN_DEV
    gold = {str(r["id"]): r for r in read_jsonl(en_path)}
    inputs = read_articles(en_path, settings)
    final = FINAL if final_is_held_out(settings) else FINAL_SEEN
    named = {DEV: "dev", final: "final"} if heldout_only else {DEV: "dev", final: "final", TRAIN: "train"}
    figures: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, part in named.items():
            if part not in parts:
                continue
            chosen = [r for r in inputs if quotes_part(r["id"]) == part][:max_articles]
            predictions = predict_records(chosen, settings)
            figures[name] = _summary(score([gold[r["id"]] for r in chosen], predictions, data_dir, Path(tmp), part))
        de_path = data_dir / DE_DEV
        if german and de_path.is_file():
            de_inputs = read_articles(de_path, settings)[:max_articles]
            de_gold = {str(r["id"]): r for r in read_jsonl(de_path)}
            de_pred = predict_records(de_inputs, settings)
            figures[GERMAN] = _summary(score([de_gold[r["id"]] for r in de_inputs], de_pred, data_dir, Path(tmp), "de"))
    return figures
