"""echolot.training.narratives / frames: splits, determinism, the tuned baseline, record settings."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from echolot.narratives.frames import FrameModel
from echolot.training import frames, narratives


def _frame_data(n: int = 120, seed: int = 0) -> tuple[np.ndarray, list[dict], list[str]]:
    rng = np.random.default_rng(seed)
    labels = ["Economic", "Health", "Political"]
    emb = rng.normal(size=(n, 12)).astype(np.float32)
    records = []
    for i, row in enumerate(emb):
        chosen = [lab for j, lab in enumerate(labels) if row[j] > 0.3] or ["Political"]
        text = " ".join(["money tax"] * ("Economic" in chosen) + ["vaccine"] * ("Health" in chosen) + ["vote"])
        records.append({"id": f"r{i:03d}", "title": "", "text": text, "frames": chosen,
                        "genre": "opinion" if chosen == ["Political"] else "reporting"})
    return emb, records, labels


def test_parts_follow_eval_splits_and_never_overlap() -> None:
    records = [{"id": f"{lang}-{i}", "lang": lang} for lang in ("en", "ru", "hi") for i in range(60)]
    part = narratives.parts(records)
    assert set(part.values()) == {"train", "dev", "final"}
    dev = {i for i, p in part.items() if p == "dev"}
    final = {i for i, p in part.items() if p == "final"}
    from echolot.eval.splits import narratives_dev_ids, narratives_final_ids

    assert dev == narratives_dev_ids(records, narratives.DEV_SHARE)
    assert final == narratives_final_ids(records, narratives.DEV_SHARE) and not dev & final


def test_frame_training_is_byte_for_byte_reproducible(tmp_path: Path) -> None:
    emb, records, labels = _frame_data()
    paths = []
    for k in range(2):
        model = frames.fit_records(emb, records, labels, ["opinion", "reporting"])
        paths.append(tmp_path / f"f{k}.npz")
        model.save(paths[-1])
    assert paths[0].read_bytes() == paths[1].read_bytes()
    loaded = FrameModel.load(paths[0])
    assert len(set(loaded.thresholds.tolist())) == 1  # one shared cut


def test_tfidf_baseline_tunes_its_cut_and_learns() -> None:
    _, records, labels = _frame_data(160)
    model = frames.fit_tfidf_baseline(records[:120], labels)
    _, _, cut, trials = model
    assert 0.2 <= cut <= 0.8 and set(trials) == {f"C={c}" for c in frames.BASELINE_CS}
    pred = frames.predict_tfidf_baseline(model, records[120:], labels)
    gold = [r["frames"] for r in records[120:]]
    tp = sum(len(set(p) & set(g)) for p, g in zip(pred, gold))
    assert 2 * tp / sum(len(p) + len(g) for p, g in zip(pred, gold)) > 0.8 and all(pred)


def test_defaults_are_json_native() -> None:
    """The record stores settings as JSON: defaults must survive the round trip unchanged."""
    for module, name in ((narratives, "narratives"), (frames, "frames")):
        assert json.loads(json.dumps(module.defaults(name))) == module.defaults(name)
        assert module.command(name).startswith("python scripts/train_")
