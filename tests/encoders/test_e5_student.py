"""The distilled shallower e5 (`encoders.e5_student`): its cut graph, its map and its vectors."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("onnxruntime")

from echolot.encoders import e5_student
from echolot.training.ner_tuned import write_npz

TEXTS = [
    "Портова адміністрація у вівторок закрила східний причал.",
    "The port authority closed the eastern pier on Tuesday after inspectors found deep cracks.",
    "Қала әкімдігі жаңа трамвай желісінің құрылысын бастады.",
    "",
]


def _map_file(path: Path, arrays: dict[str, np.ndarray], layers: int) -> Path:
    write_npz(path, {**arrays, "layers": np.array(layers, dtype=np.int64)})
    return path


def test_linear_map_is_standardise_then_project(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    arrays = {"mean": rng.standard_normal(4).astype(np.float32), "scale": np.full(4, 2.0, np.float32),
              "w0": rng.standard_normal((4, 4)).astype(np.float32), "b0": np.zeros(4, np.float32)}
    m = e5_student.StudentMap(_map_file(tmp_path / "m.npz", arrays, 6))
    x = rng.standard_normal((3, 4)).astype(np.float32)
    want = ((x - arrays["mean"]) / 2.0) @ arrays["w0"]
    want /= np.linalg.norm(want, axis=1, keepdims=True)
    assert m.layers == 6
    assert np.allclose(m(x), want, atol=1e-5)


def test_missing_map_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="e5_student"):
        e5_student.StudentMap(tmp_path / "none.npz")


@pytest.mark.skipif(not e5_student.weights_path(4).is_file(), reason="no shipped 4-layer map")
def test_student_vectors_are_batch_independent_and_near_the_teacher() -> None:
    from echolot.reuse.wide import _row_encoder

    student = e5_student.StudentE5Encoder(4)
    together = student.encode(TEXTS)
    alone = np.stack([student.encode([t])[0] for t in TEXTS])
    assert together.shape == (len(TEXTS), 384)
    assert np.array_equal(together, alone)
    assert np.allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-5)
    assert student.name.startswith("e5student-L4-")  # its own cache key: teacher vectors are never mixed in
    teacher = _row_encoder().encode(TEXTS[:3])
    assert float((together[:3] * teacher).sum(axis=1).min()) > 0.8


def test_a_map_of_another_depth_is_refused(tmp_path: Path) -> None:
    arrays = {"mean": np.zeros(384, np.float32), "scale": np.ones(384, np.float32),
              "w0": np.eye(384, dtype=np.float32), "b0": np.zeros(384, np.float32)}
    with pytest.raises(ValueError, match="layer 8"):
        e5_student.StudentE5Encoder(4, weights=_map_file(tmp_path / "m.npz", arrays, 8))
