"""`echolot predict narratives|frames` and `echolot eval narratives`.

* predict (narratives): labels from a SemEval-2025-style taxonomy (`--labels
  TAXONOMY.json`): the trained model for the labels it knows, the zero-shot catalog
  matcher for the others, "Other" when nothing matches.
* predict_frames: the shipped frame/genre model.
* evaluate: frames on dev/semeval23.jsonl and narrative labels on dev/semeval25.jsonl, each
  split by `echolot.eval.splits` (per language the 30% of ids with the smallest xxh64 = *dev*,
  consulted for decisions; a carve-out of the rest = *final*, seen by no decision). Every
  system is trained by `echolot.training` in the same run: on *train* for the dev figures
  (per language), on train+dev for the final figures (aggregates only: nobody reads the
  final part's errors). Baselines: most frequent labels, TF-IDF tuned like echolot (C and
  cut(s) by out-of-fold F1), the zero-shot matcher; all scored by the task's own score.py.
  Plus narrative labels on a small self-written set (tests/narratives/data), stated as such.

Input records are read with `echolot.ingest.records` (the one record reader); predictors see
their title and text only, never a declared `lang`.
"""
from __future__ import annotations

import sys
import tempfile
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from echolot.eval.common import REPO_ROOT, read_jsonl, run_scorer, write_jsonl
from echolot.settings import Settings

if TYPE_CHECKING:
    from echolot.narratives.catalog import Catalog
    from echolot.store.base import Store

OWN_SET = REPO_ROOT / "tests" / "narratives" / "data" / "own_narratives.jsonl"


def read_records(inputs: Sequence[Path], settings: Settings) -> list[dict[str, Any]]:
    """{"id", "title", "text"} per input record (JSONL or CSV) through `echolot.ingest.records`.

    A record the reader rejects is a clear error naming file and line: a prediction file
    with missing ids would be scored as misses.
    """
    from echolot.ingest.records import read_csv, read_jsonl as read_records_jsonl
    from echolot.model import Rejection

    out: list[dict[str, Any]] = []
    for path in inputs:
        reader = read_csv if Path(path).suffix.lower() in {".csv", ".tsv"} else read_records_jsonl
        for item in reader(Path(path), settings.ingest.max_record_bytes):
            if isinstance(item, Rejection):
                raise ValueError(f"{item.origin}: {item.reason}")
            if item.external_id is None:
                raise ValueError(f"{item.origin}: each record needs an 'id' (predictions are matched by it)")
            out.append({"id": item.external_id, "title": item.title, "text": item.body})
    return out


def _cache(settings: Settings) -> Store:
    """A vector cache outside the user's store, so evaluation never writes into it."""
    from echolot.narratives.features import vector_cache

    return vector_cache(settings.cache_dir)


# -- predict --------------------------------------------------------------------------------------

def _taxonomy_catalog(labels: str | Path | None) -> Catalog:
    from echolot.eval.common import find_data_dir
    from echolot.narratives.catalog import convert, load_catalog

    if labels is None:
        return convert("taxonomy", find_data_dir() / "narratives" / "taxonomy.json")
    path = Path(labels)
    if path.suffix.lower() in {".yaml", ".yml"}:
        return load_catalog(path)
    return convert("taxonomy", path)


def predict(inputs: list[Path], output: Path, settings: Settings, labels: str | None = None,
            **options: Any) -> None:
    """Write {"id", "narratives", "subnarratives"} per article.

    Labels the shipped model was trained on come from it; the catalog's other narratives
    (a user's own taxonomy) are matched zero-shot (`narratives.model=none`: zero-shot only).
    Neither reads the language (the vectors are multilingual), so `--lang` changes nothing.
    """
    from echolot.narratives.labelling import label_records

    catalog = _taxonomy_catalog(labels)
    records = read_records(inputs, settings)
    preds = label_records(records, catalog, settings, _cache(settings))
    write_jsonl(Path(output), [{k: p[k] for k in ("id", "narratives", "subnarratives")} for p in preds])


def predict_frames(inputs: list[Path], output: Path, settings: Settings, **options: Any) -> None:
    """Write {"id", "frames", "genre"} per article with the shipped (or configured) model."""
    from echolot.encoders import get_encoder
    from echolot.narratives.features import embed, full_text, tfidf
    from echolot.narratives.frames import MODEL_PATH, FrameModel

    model = FrameModel.load(Path(settings.narratives.frames_model) if settings.narratives.frames_model else MODEL_PATH)
    records = read_records(inputs, settings)
    emb = embed(records, get_encoder(model.encoder), _cache(settings))
    txt = tfidf([full_text(r) for r in records], model.vocabulary, model.idf)
    frames = model.predict(emb, txt)
    genres = model.predict_genre(emb, txt)
    out = []
    for i, record in enumerate(records):
        row: dict[str, Any] = {"id": record["id"], "frames": frames[i]}
        if genres is not None:
            row["genre"] = genres[i]
        out.append(row)
    write_jsonl(Path(output), out)


# -- scoring --------------------------------------------------------------------------------------

def _score(systems: dict[str, list[dict[str, Any]]], gold: Sequence[dict[str, Any]], fields: dict[str, list[str]],
           scorer: Path, per_language: bool) -> dict[str, Any]:
    """score.py figures per system, per language (when asked) and over all gold records.

    `fields` maps each scored field to the figures kept (e.g. {"frames": ["micro_f1"]}).
    """
    langs = sorted({str(r.get("lang")) for r in gold}) if per_language else []
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for lang in langs + ["all"]:
            part = [r for r in gold if lang == "all" or str(r.get("lang")) == lang]
            gold_path = Path(tmp) / f"gold-{lang}.jsonl"
            write_jsonl(gold_path, [{"id": r["id"], **{f: r.get(f) for f in fields}} for r in part])
            ids = {r["id"] for r in part}
            row: dict[str, Any] = {"articles": len(part)}
            for name, preds in systems.items():
                pred_path = Path(tmp) / f"pred-{name}-{lang}.jsonl"
                write_jsonl(pred_path, [p for p in preds if p["id"] in ids])
                figures = run_scorer(scorer, gold_path, pred_path, "--fields", ",".join(fields))["fields"]
                for field, keys in fields.items():
                    if field in figures and any(field in p for p in preds):
                        for key in keys:
                            if key in figures[field]:
                                row[f"{name}_{field}_{key}"] = round(figures[field][key], 4)
            out[lang] = row
    return out


def _split(records: Sequence[dict[str, Any]]) -> tuple[list[int], list[int], list[int]]:
    """Row numbers of the train, dev and final parts (rules in `echolot.eval.splits`)."""
    from echolot.training.narratives import parts

    part = parts(records)
    rows: dict[str, list[int]] = {"train": [], "dev": [], "final": []}
    for i, r in enumerate(records):
        rows[part[str(r["id"])]].append(i)
    return rows["train"], rows["dev"], rows["final"]


def _note(message: str) -> None:
    print(message, file=sys.stderr)


# -- frames ---------------------------------------------------------------------------------------

def _majority(train: Sequence[dict[str, Any]]) -> tuple[list[str], str | None]:
    """Most-frequent-labels baseline: the k most common frames, k = median frames per article."""
    counts = Counter(f for r in train if r.get("frames") for f in r["frames"])
    k = int(np.median([len(r["frames"]) for r in train if r.get("frames") is not None]))
    genres = Counter(r["genre"] for r in train if r.get("genre"))
    return [f for f, _ in counts.most_common(k)], (genres.most_common(1)[0][0] if genres else None)


def _frame_systems(records: list[dict[str, Any]], emb: np.ndarray, train: list[int], test: list[int],
                   labels: list[str], genres: list[str]) -> tuple[dict[str, list[dict[str, Any]]], dict[str, Any]]:
    """Predictions of echolot, the most-frequent baseline and the tuned TF-IDF baseline on `test`,
    every system trained on `train` only."""
    from echolot.narratives.features import full_text, tfidf
    from echolot.training.frames import fit_records, fit_tfidf_baseline, predict_tfidf_baseline

    tr = [records[i] for i in train]
    te = [records[i] for i in test]
    model = fit_records(emb[train], tr, labels, genres)
    txt = tfidf([full_text(r) for r in te], model.vocabulary, model.idf)
    ours = model.predict(emb[test], txt)
    our_genre = model.predict_genre(emb[test], txt)
    maj_frames, maj_genre = _majority(tr)
    base = fit_tfidf_baseline(tr, labels)
    base_pred = predict_tfidf_baseline(base, te, labels)
    systems = {
        "majority": [{"id": r["id"], "frames": maj_frames, "genre": maj_genre} for r in te],
        "tfidf_linear": [{"id": r["id"], "frames": base_pred[k]} for k, r in enumerate(te)],
        "echolot": [{"id": r["id"], "frames": ours[k], **({"genre": our_genre[k]} if our_genre else {})}
                    for k, r in enumerate(te)],
    }
    chosen = {"echolot_cut": round(float(model.thresholds[0]), 4), "tfidf_cut": base[2], "tfidf_inner_cv": base[3]}
    return systems, chosen


def frames_evaluation(records: list[dict[str, Any]], emb: np.ndarray, labels: list[str], genres: list[str],
                      scorer: Path) -> dict[str, Any]:
    """Frames: dev figures per language (trained on train), final aggregate (trained on train+dev)."""
    train, dev, final = _split(records)
    fields = {"frames": ["micro_f1"], "genre": ["accuracy"]}
    systems, chosen = _frame_systems(records, emb, train, dev, labels, genres)
    out: dict[str, Any] = {"dev": {"note": "dev part: consulted for decisions; systems trained on the train part",
                                   "train_articles": len(train), "chosen": chosen,
                                   "per_language": _score(systems, [records[i] for i in dev], fields, scorer, True)}}
    systems, _ = _frame_systems(records, emb, train + dev, final, labels, genres)
    out["final"] = {"note": "final part: no decision saw it; systems trained on train+dev; aggregate only",
                    "train_articles": len(train) + len(dev),
                    **_score(systems, [records[i] for i in final], fields, scorer, False)["all"]}
    return out


# -- narrative labels -----------------------------------------------------------------------------

def _narrative_systems(records: list[dict[str, Any]], emb: np.ndarray, train: list[int], test: list[int],
                       labels: list[str], sublabels: list[str], encoder: str,
                       zero_shot: dict[str, dict[str, Any]] | None) -> tuple[dict[str, list[dict[str, Any]]], dict[str, Any]]:
    """echolot and the TF-IDF baseline (tuned the same way), trained on `train`, predicting `test`."""
    from echolot.narratives.features import full_text, tfidf
    from echolot.training.narratives import BASELINE_GRID, ECHOLOT_GRID, train_model

    tr = [records[i] for i in train]
    te = [records[i] for i in test]
    ours, trials = train_model(emb[train], tr, labels, sublabels, ECHOLOT_GRID, encoder)
    base, base_trials = train_model(emb[train], tr, labels, sublabels, BASELINE_GRID, encoder)
    systems: dict[str, list[dict[str, Any]]] = {}
    for name, model in (("echolot", ours), ("tfidf_linear", base)):
        preds = model.predict(emb[test], tfidf([full_text(r) for r in te], model.vocabulary, model.idf))
        systems[name] = [{"id": r["id"], "narratives": n, "subnarratives": s} for r, (n, s) in zip(te, preds)]
    if zero_shot is not None:
        systems["zero_shot"] = [zero_shot[r["id"]] for r in te]
    chosen = {"encoder": encoder, "weight": ours.weight, "cuts_mean": round(float(ours.cuts.mean()), 3),
              "inner_cv": trials, "baseline_inner_cv": base_trials}
    return systems, chosen


def zero_shot_predictions(records: Sequence[dict[str, Any]], settings: Settings, data_dir: Path) -> dict[str, Any]:
    """The catalog matcher alone against the taxonomy (the comparison system)."""
    from echolot.narratives.labelling import label_records

    catalog = _taxonomy_catalog(data_dir / "narratives" / "taxonomy.json")
    plain = [{"id": r["id"], "title": r.get("title"), "text": r.get("text") or ""} for r in records]
    preds = label_records(plain, catalog, settings, _cache(settings), use_model=False)
    return {p["id"]: {k: p[k] for k in ("id", "narratives", "subnarratives")} for p in preds}


def narrative_embeddings(settings: Settings, records: Sequence[dict[str, Any]], encoder: str) -> np.ndarray:
    """Article vectors of the labelled records with `encoder` (cached after the first run)."""
    from echolot.encoders import get_encoder
    from echolot.narratives.features import embed

    _note(f"narratives: embedding {len(records)} articles with {encoder} (cached after the first run)")
    return embed(records, get_encoder(encoder), _cache(settings))


def narratives_evaluation(settings: Settings, data_dir: Path, encoder: str | None = None,
                          final: bool = True) -> dict[str, Any]:
    """Narrative labels: dev figures per language (trained on train), final aggregate (trained on
    train+dev), echolot vs TF-IDF (tuned the same way) vs the zero-shot matcher."""
    from echolot.training.narratives import load_semeval25, narrative_label_names

    encoder = encoder or _model_encoder(settings)
    records = load_semeval25(data_dir)
    labels, sublabels = narrative_label_names(data_dir)
    emb = narrative_embeddings(settings, records, encoder)
    train, dev, held = _split(records)
    fields = {"narratives": ["samples_f1", "micro_f1"], "subnarratives": ["samples_f1"]}
    scorer = data_dir / "narratives" / "score.py"
    zero = None
    if settings.narratives.eval_zero_shot:
        _note("narratives: zero-shot matcher on the dev and final parts")
        zero = zero_shot_predictions([records[i] for i in dev + (held if final else [])], settings, data_dir)
    systems, chosen = _narrative_systems(records, emb, train, dev, labels, sublabels, encoder, zero)
    out: dict[str, Any] = {"dev": {"note": "dev part (per language the 30% of ids with the smallest xxh64): consulted "
                                           "for decisions; systems trained on the train part",
                                   "train_articles": len(train), "chosen": chosen,
                                   "per_language": _score(systems, [records[i] for i in dev], fields, scorer, True)}}
    if final:
        systems, _ = _narrative_systems(records, emb, train + dev, held, labels, sublabels, encoder, zero)
        out["final"] = {"note": "final part: no decision saw it; systems trained on train+dev; aggregate only",
                        "train_articles": len(train) + len(dev),
                        **_score(systems, [records[i] for i in held], fields, scorer, False)["all"]}
    return out


def encoder_comparison(settings: Settings, data_dir: Path, encoders: Sequence[str]) -> dict[str, Any]:
    """Dev figures with each encoder, in one run (the final part stays unseen): the label model
    trained on the train part and scored on the dev part, and the catalog matcher (zero-shot,
    thresholds as configured) on the self-written set."""
    from dataclasses import replace

    out: dict[str, Any] = {}
    for name in encoders:
        cfg = replace(settings, narratives=replace(settings.narratives, eval_zero_shot=False, encoder=name))
        out[name] = {"model_dev": narratives_evaluation(cfg, data_dir, name, final=False)["dev"]["per_language"]["all"]}
        if OWN_SET.is_file():
            out[name]["matcher_own_set"] = _own_set_eval(cfg, data_dir, data_dir / "narratives" / "score.py")
    return out


def evaluate(settings: Settings, data_dir: Path, **options: Any) -> dict[str, Any]:
    """Frames and narrative labels (dev per language, final aggregate) and the own small set."""
    from echolot.encoders import get_encoder
    from echolot.narratives.features import embed
    from echolot.training.frames import SETTINGS, frame_names, load_semeval23

    figures: dict[str, Any] = {}
    scorer = data_dir / "narratives" / "score.py"
    records = load_semeval23(data_dir)
    labels, genres = frame_names(data_dir)
    _note(f"frames: embedding {len(records)} articles (cached after the first run)")
    emb = embed(records, get_encoder(SETTINGS["encoder"]), _cache(settings))
    figures["frames"] = frames_evaluation(records, emb, labels, genres, scorer)
    figures["narratives"] = narratives_evaluation(settings, data_dir)
    if OWN_SET.is_file():
        figures["narratives_own_set"] = _own_set_eval(settings, data_dir, scorer)
    return figures


def _group_agreement(gold: Sequence[dict[str, Any]], sets: dict[str, frozenset[str]]) -> dict[str, Any]:
    """Mean over groups of the share of member pairs with identical narrative sets (and pooled over pairs)."""
    from itertools import combinations

    per_group, pairs, labelled = [], [], []
    for group in gold:
        members = [sets[m["id"]] for m in group["members"] if m["id"] in sets]
        same = [a == b for a, b in combinations(members, 2)]
        if not same:
            continue
        per_group.append(sum(same) / len(same))
        pairs.extend(same)
        if any(s != frozenset({"Other"}) for s in members):
            labelled.append(sum(same) / len(same))
    return {"groups": len(per_group), "group_agreement": round(float(np.mean(per_group)), 4),
            "pair_agreement": round(float(np.mean(pairs)), 4),
            "groups_with_a_narrative": len(labelled),
            "group_agreement_with_a_narrative": round(float(np.mean(labelled)), 4) if labelled else None}


def translation_consistency(settings: Settings, data_dir: Path, links: Sequence[tuple[str, str]] | None = None,
                            progress: bool = True) -> dict[str, Any]:
    """Narrative-set agreement within the provenance dev groups (original, translations, copies).

    Two figures: the model's labels per article on their own, and after unifying along
    reuse links (`labelling.unify`: one label set per linked component). The links are
    those echolot's reuse stage predicts for the corpus (`links`, or computed here), never
    the gold groups.
    """
    from echolot.narratives.labelling import groups, load_model, unify

    model = load_model(settings)
    if model is None:
        raise FileNotFoundError("no narrative model (scripts/train_narratives.py)")
    prov = data_dir / "provenance" / "dev"
    gold = list(read_jsonl(prov / "gold.jsonl"))
    grouped = {m["id"] for g in gold for m in g["members"]}
    corpus = sorted(read_records([prov / "corpus.jsonl"], settings), key=lambda r: str(r["id"]))
    if links is None:
        links = _predicted_links(corpus, settings, progress)
    records = [r for r in corpus if r["id"] in grouped]
    ids = [str(r["id"]) for r in records]
    emb, txt = model.features(records, _cache(settings))
    p, q = model.probabilities(emb, txt)
    raw = {i: frozenset(n) for i, (n, _) in zip(ids, model.decide(p, q))}
    component = groups(ids, links)
    pu, qu = unify(p, q, ids, component)
    unified = {i: frozenset(n) for i, (n, _) in zip(ids, model.decide(pu, qu))}
    return {"articles": len(records), "links": len(links), "model_only": _group_agreement(gold, raw),
            "unified_along_predicted_links": _group_agreement(gold, unified)}


def _predicted_links(corpus: Sequence[dict[str, Any]], settings: Settings, progress: bool) -> list[tuple[str, str]]:
    """Links echolot's reuse stage finds in the provenance corpus (record ids), in a throw-away store."""
    from echolot.eval.provenance import link_articles, read_corpus
    from echolot.store.sqlite import SQLiteStore

    with tempfile.TemporaryDirectory(prefix="echolot-narr-") as tmp:
        path = Path(tmp) / "corpus.jsonl"
        write_jsonl(path, list(corpus))
        store = SQLiteStore(Path(tmp) / "links.db")
        try:
            found = link_articles(read_corpus([path], settings, progress), store, settings)
        finally:
            store.close()
    return sorted((str(r["a"]), str(r["b"])) for r in found)


def _model_encoder(settings: Settings) -> str:
    """The shipped (or configured) model's encoder, else the trainer's default."""
    from echolot.narratives.labelling import load_model
    from echolot.training.narratives import DEFAULT_ENCODER

    model = load_model(settings)
    return model.encoder if model else DEFAULT_ENCODER


def _own_set_eval(settings: Settings, data_dir: Path, scorer: Path) -> dict[str, Any]:
    """Zero-shot taxonomy labels on self-written articles (a sanity figure, not a benchmark)."""
    from dataclasses import replace

    settings = replace(settings, narratives=replace(settings.narratives, model="none"))
    with tempfile.TemporaryDirectory() as tmp:
        pred = Path(tmp) / "pred.jsonl"
        predict([OWN_SET], pred, settings, labels=str(data_dir / "narratives" / "taxonomy.json"))
        result = run_scorer(scorer, OWN_SET, pred, "--fields", "narratives,subnarratives")["fields"]
    return {"note": "self-written demo-style articles with own labels; small, indicative only",
            "articles": result["narratives"]["articles"],
            **{f"{field}_{k}": round(result[field][k], 4) for field in ("narratives", "subnarratives")
               for k in ("micro_f1", "macro_f1", "samples_f1") if field in result}}
