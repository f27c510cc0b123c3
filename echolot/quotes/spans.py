"""The extractor's own result record, in character offsets of the text it was given.

`model.Quote` is what the store keeps; this is the richer intermediate form the
extractors return (discontinuous content as fragments), so that the evaluation
interface can hand exact fragments to the scorer and the pipeline can build Quotes.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Span = tuple[int, int]


@dataclass
class Attribution:
    content: list[Span]  # fragments, sorted, non-overlapping
    source: Span | None = None
    cue: Span | None = None
    kind: str = "indirect"  # direct | indirect
    confidence: float = 1.0
    extras: dict[str, object] = field(default_factory=dict)

    @property
    def content_extent(self) -> Span:
        return self.content[0][0], self.content[-1][1]

    def to_prediction(self) -> dict[str, object]:
        """The scorer's record: covering extents plus exact fragments."""
        return {
            "content": list(self.content_extent),
            "content_fragments": [list(f) for f in self.content],
            "source": list(self.source) if self.source else None,
            "cue": list(self.cue) if self.cue else None,
        }


def trim(text: str, span: Span) -> Span | None:
    """Strip surrounding whitespace and quotation marks/punctuation that carry no tokens."""
    s, e = span
    junk = " \t\n\u00a0,;:\"'“”„«»‚‘’‹›"
    while s < e and text[s] in junk:
        s += 1
    while e > s and text[e - 1] in junk:
        e -= 1
    return (s, e) if e > s else None


def merge_fragments(spans: list[Span], text: str, max_gap_chars: int = 2) -> list[Span]:
    """Sort and join fragments separated only by whitespace/punctuation of a few characters."""
    out: list[Span] = []
    for s, e in sorted(spans):
        if out and s - out[-1][1] <= max_gap_chars and not any(c.isalnum() for c in text[out[-1][1]:s]):
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def tokens_in(doc: Any, span: Span) -> list[Any]:
    """The tokens of a spaCy `doc` that start inside `span`, in order: the same list as a scan of the
    whole document, read off the few tokens around the span (a scan per attribution cost as much CPU
    as the rest of the post-processing on long articles)."""
    start, end = span
    if end <= start:
        return []
    chunk = doc.char_span(start, end, alignment_mode="expand")
    if chunk is None:  # offsets outside the text: the plain scan decides
        return [t for t in doc if start <= t.idx < end]
    return [t for t in chunk if start <= t.idx < end]
