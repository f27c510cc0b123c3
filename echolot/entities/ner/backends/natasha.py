"""Russian NER with natasha/slovnet (weights ship inside the pip packages; works offline).

slovnet tags PER/LOC/ORG on its own razdel tokens; we take its character spans and,
for CoNLL input, map them back onto the given tokens.
"""
from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from echolot.entities.ner.tokens import Span, char_spans_to_bio, clean_spans, join_tokens

_TYPE = {"PER": "PER", "ORG": "ORG", "LOC": "LOC"}


@lru_cache(maxsize=1)
def _tagger() -> Any:
    """The slovnet news NER tagger with its navec embedding, loaded once per process."""
    from natasha import NewsEmbedding, NewsNERTagger

    return NewsNERTagger(NewsEmbedding())


def available() -> bool:
    """True when natasha and its packaged weights load."""
    try:
        _tagger()
    except Exception:
        return False
    return True


def _markup_spans(markup: Any) -> list[Span]:
    return [(s.start, s.stop, _TYPE[s.type]) for s in markup.spans if s.type in _TYPE]


def recognize(text: str) -> list[Span]:
    """Character spans of `text` (processed line by line: slovnet's cost grows with length)."""
    spans: list[Span] = []
    offset = 0
    lines = text.split("\n")
    starts = []
    for line in lines:
        starts.append(offset)
        offset += len(line) + 1
    todo = [(s, line) for s, line in zip(starts, lines) if line.strip()]
    for (start, _line), markup in zip(todo, _tagger().map([line for _s, line in todo])):
        spans.extend((start + a, start + b, t) for a, b, t in _markup_spans(markup))
    return clean_spans(spans)


def recognize_bio(sentences: Sequence[Sequence[str]]) -> list[list[str]]:
    """BIO tags per pre-tokenised sentence."""
    joined = [join_tokens(tokens) for tokens in sentences]
    markups = _tagger().map([text for text, _offsets in joined])
    return [char_spans_to_bio(offsets, _markup_spans(markup)) for (_t, offsets), markup in zip(joined, markups)]
