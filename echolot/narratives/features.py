"""What the two linear article models (frames, narrative labels) read from an article.

Both models see an article through two views, and this module is their one copy of both:

* three multilingual sentence vectors: the title, the lead (title + first sentences) and the
  mean of ~600-character body chunks (`doc_parts`, `embed`). They carry meaning across
  languages, so small per-language samples pool into one training set;
* sublinear TF-IDF over words (`tokenize`, `tfidf`): sharp lexical cues within one language.

Vectors are rounded to float16 before use, as the vector cache stores them: a first run
(fresh vectors) and a second run (cached ones) then see the same numbers, which keeps
training byte for byte reproducible. `save_npz` writes model files without zip timestamps
for the same reason. Fitting (vocabulary, weights, cuts) lives in `echolot.training`.
"""
from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from echolot.text.sentences import split_paragraphs, split_sentences_in_paragraph

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix

    from echolot.encoders.base import Encoder
    from echolot.store.base import Store, VectorStore

# letters plus combining marks (Devanagari vowel signs and virama are marks, not letters: "हमला" is one word)
_MARKS = "\u0300-\u036f\u0900-\u0903\u093a-\u094f\u0951-\u0957\u0962\u0963\u0981-\u0983\u09bc-\u09d7"
_TOKEN = re.compile(rf"(?:[^\W\d_]|[{_MARKS}])(?:[^\W\d_]|[{_MARKS}])+", re.UNICODE)


@dataclass
class Doc:
    """The three texts an article is embedded as."""

    title: str
    lead: str
    chunks: list[str]


def doc_parts(title: str | None, text: str, lead_sentences: int = 4, chunk_chars: int = 600,
              max_chunks: int = 16) -> Doc:
    """Cut an article into title, lead and body chunks on sentence boundaries.

    Chunks (not single sentences) keep the encoder call count low; the cap keeps very
    long articles (40k characters occur) from dominating the run time.
    """
    paragraphs = split_paragraphs(text or "")
    head = (title or (paragraphs[0] if paragraphs else "")).strip()
    sentences: list[str] = []
    for paragraph in paragraphs:
        sentences.extend(split_sentences_in_paragraph(paragraph))
    lead = " ".join([head] + sentences[:lead_sentences]).strip()
    chunks: list[str] = []
    current = ""
    for sentence in sentences:
        if current and len(current) + len(sentence) > chunk_chars:
            chunks.append(current)
            current = ""
        current = f"{current} {sentence}".strip()
    if current:
        chunks.append(current)
    if len(chunks) > max_chunks:  # keep beginning and end, where framing is stated
        half = max_chunks // 2
        chunks = chunks[:half] + chunks[-half:]
    return Doc(title=head or lead[:200], lead=lead or head, chunks=chunks or [lead or head or "."])


class Rounded:
    """An encoder whose vectors are rounded to float16, like the vector cache stores them."""

    def __init__(self, encoder: Encoder) -> None:
        self._encoder = encoder
        self.name = encoder.name
        self.dim = encoder.dim
        self.bulk = getattr(encoder, "bulk", 0)

    def encode(self, texts: list[str]) -> np.ndarray:
        return np.asarray(self._encoder.encode(texts), dtype=np.float32).astype(np.float16).astype(np.float32)


def embed_docs(docs: Sequence[Doc], encoder: Encoder, cache: VectorStore | None = None,
               progress: bool = False) -> np.ndarray:
    """(n, 3*dim) matrix: title vector, lead vector, mean of chunk vectors."""
    from tqdm import tqdm

    from echolot.encoders import encode_cached

    out = np.zeros((len(docs), 3 * encoder.dim), dtype=np.float32)
    step = 32
    for start in tqdm(range(0, len(docs), step), desc="embed articles", unit="batch", disable=not progress):
        batch = docs[start:start + step]
        texts: list[str] = []
        for doc in batch:
            texts.extend([doc.title, doc.lead, *doc.chunks])
        vectors = encode_cached(texts, encoder, cache)
        row = 0
        for i, doc in enumerate(batch):
            n = len(doc.chunks)
            title, lead, chunks = vectors[row], vectors[row + 1], vectors[row + 2:row + 2 + n]
            row += 2 + n
            mean = chunks.mean(axis=0)
            mean /= max(float(np.linalg.norm(mean)), 1e-9)
            out[start + i] = np.concatenate([title, lead, mean])
    return out


def embed(records: Sequence[dict[str, Any]], encoder: Encoder, cache: VectorStore | None = None,
          progress: bool = False) -> np.ndarray:
    """(n, 3*dim) article vectors of {"title", "text"} records, float16-rounded (see the module doc)."""
    docs = [doc_parts(r.get("title"), r.get("text") or "") for r in records]
    return embed_docs(docs, Rounded(encoder), cache, progress=progress)


def tokenize(text: str) -> list[str]:
    """Lower-cased words of two or more characters, combining marks kept inside the word."""
    return _TOKEN.findall(text.lower())


def full_text(record: dict[str, Any]) -> str:
    """Title and text of a record, the text the TF-IDF view reads."""
    return f"{record.get('title') or ''}\n{record.get('text') or ''}"


def tfidf(texts: Sequence[str], vocabulary: Sequence[str], idf: np.ndarray) -> csr_matrix:
    """Sublinear TF-IDF rows, L2-normalised (scipy CSR); words outside the vocabulary are dropped."""
    from scipy import sparse

    index = {t: i for i, t in enumerate(vocabulary)}
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    for r, text in enumerate(texts):
        counts: dict[int, int] = {}
        for token in tokenize(text):
            j = index.get(token)
            if j is not None:
                counts[j] = counts.get(j, 0) + 1
        if not counts:
            continue
        js = np.array(sorted(counts), dtype=np.int64)
        ws = (1.0 + np.log(np.array([counts[j] for j in js], dtype=np.float64))) * idf[js]
        ws /= np.linalg.norm(ws)
        rows.extend([r] * len(js))
        cols.extend(js.tolist())
        vals.extend(ws.tolist())
    return sparse.csr_matrix((vals, (rows, cols)), shape=(len(texts), len(vocabulary)), dtype=np.float32)


def sigmoid(x: np.ndarray) -> np.ndarray:
    """Logistic function, clipped so large margins do not overflow."""
    return np.asarray(1.0 / (1.0 + np.exp(-np.clip(x, -30, 30))))


def save_npz(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """An `.npz` numpy can read, byte for byte the same for the same arrays (no timestamps)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(arrays):
            buffer = io.BytesIO()
            np.save(buffer, arrays[name], allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, buffer.getvalue())


def vector_cache(cache_dir: Path) -> Store:
    """The vector cache of evaluation and training (`<cache_dir>/narratives-vectors.db`), kept apart
    from the user's store so that neither ever writes into it."""
    from echolot.store import SQLiteStore

    cache_dir.mkdir(parents=True, exist_ok=True)
    return SQLiteStore(cache_dir / "narratives-vectors.db")
