"""The student's trainer (`echolot.training.e5_student`): its data readers and the neighbour pairs of its batches."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from echolot.training import e5_student


def test_each_text_gets_its_nearest_other_text() -> None:
    t = np.array([[1.0, 0.0], [0.9, 0.1], [0.0, 1.0], [0.1, 0.9]], dtype=np.float32)
    t /= np.linalg.norm(t, axis=1, keepdims=True)
    assert e5_student.teacher_neighbours(t, block=3).tolist() == [1, 0, 3, 2]  # never itself, across blocks


def test_ner_sentences_are_read_without_their_tags(tmp_path: Path) -> None:
    folder = tmp_path / "ner" / "dev"
    folder.mkdir(parents=True)
    for name in e5_student.NER_FILES:
        (folder / name).write_text("Angela\tB-PER\nMerkel\tI-PER\nspricht\tO\n\nGut\tO\n", encoding="utf-8")
    texts = list(e5_student.ner_texts(tmp_path))
    assert texts[:2] == ["Angela Merkel spricht", "Gut"]
    assert not any("PER" in t for t in texts)


def test_training_texts_are_distinct_and_capped(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    sources = {"generated": ["a b c", "a b c", "d e f"], "stories": ["t1 x", "a b c"], "claims": ["c1 y"],
               "ner": ["n1 z", "n2 z"], "demo": ["d1 w"]}
    for name, texts in sources.items():
        monkeypatch.setattr(e5_student, f"{name}_texts", lambda *a, _t=texts: iter(_t))
    pairs = e5_student.training_texts(tmp_path, caps={"generated": 5, "stories": 5, "claims": 5, "ner": 1, "demo": 5})
    texts = [t for _, t in pairs]
    assert len(texts) == len(set(texts))
    assert sum(1 for s, _ in pairs if s == "ner") == 1
    assert {"a b c", "d e f", "t1 x", "c1 y", "d1 w"} <= set(texts)
