"""Tag many paragraphs in one call per language: `recognize_many` gives what `recognize` gives per text.

Why: the entities stage asks for NER one paragraph at a time, so every tagger call carried three
sentences. The contextual encoders (e5 states for the German CRF, the fine-tuned tagger) then ran on
batches far below their token budget, spaCy's pipe ran on a handful of docs, and each call paid its
fixed cost (padding, session set-up, feature dicts, thread hand-offs) for a few dozen words. Here the
sentences of all paragraphs of one language go to the tagger together, which batches them by length
as it already does within a paragraph. The spans per paragraph are the same as `recognize`'s: every
sentence is tagged on its own (the states of a sentence do not depend on the sentences batched with it).

Backends that take whole texts (spaCy or natasha serving alone, without a CRF) and any language whose
batched call fails keep the per-text `recognize`, which logs and returns [] on failure.
"""
from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence

from echolot.entities import ner
from echolot.entities.ner.tokens import Span, bio_to_spans, clean_spans, group_sentences, tokenize

__all__ = ["SENTENCES_PER_CALL", "SentenceMemo", "recognize_many"]

log = logging.getLogger(__name__)
#: sentences per tagger call: enough to fill the encoders' batches, few enough that the per-word
#: states of one call (768 floats a word for the German context model) stay a few tens of MB
SENTENCES_PER_CALL = 1024
_TEXT_BACKENDS = ("spacy", "natasha")
MEMO_SENTENCES = 200_000  # sentences whose tags a memo keeps (a few MB); it restarts when full
DEDUPE = True  # tag a repeated sentence once; False tags every occurrence (same tags, more work)
SentenceMemo = dict[tuple[str, tuple[str, ...]], list[str]]


class _Paragraph:
    """One text's tokens and sentence ranges, waiting for its language's tags."""

    def __init__(self, text: str) -> None:
        self.offsets = tokenize(text)
        words = [text[a:b] for a, b in self.offsets]
        self.ranges = group_sentences(words, [a for a, _ in self.offsets], text) if self.offsets else []
        self.sentences = [words[a:b] for a, b in self.ranges]

    def spans(self, tags: Sequence[Sequence[str]]) -> list[Span]:
        spans: list[Span] = []
        for (a, _b), sentence_tags in zip(self.ranges, tags):
            for ta, tb, typ in bio_to_spans(sentence_tags):
                spans.append((self.offsets[a + ta][0], self.offsets[a + tb - 1][1], typ))
        return clean_spans(spans)


def recognize_many(items: Sequence[tuple[str, str | None]], memo: SentenceMemo | None = None) -> list[list[Span]]:
    """`ner.recognize(text, lang)` for each (text, lang), with one tagger call per language (per
    `SENTENCES_PER_CALL` sentences) for the token taggers (CRF, tuned-e5, fallback-e5). A sentence
    that comes back (wire copy repeats itself across outlets) is tagged once: `memo`, kept by the
    caller across calls, holds the tags of the sentences already seen."""
    out: list[list[Span]] = [[] for _ in items]
    by_code: dict[str, list[tuple[int, _Paragraph]]] = defaultdict(list)
    for i, (text, lang) in enumerate(items):
        if not text or not text.strip():
            continue
        code = ner._norm_lang(lang)
        if code is None or ner.backend_name(code) in _TEXT_BACKENDS or not ner.supports(code):
            out[i] = ner.recognize(text, lang)  # language detection, text backends, unsupported: as before
            continue
        by_code[code].append((i, _Paragraph(text)))
    for code, paragraphs in by_code.items():
        try:
            tagged = _tag(code, [p for _, p in paragraphs], {} if memo is None else memo)
        except Exception as exc:  # the per-text path logs and degrades text by text
            log.debug("batched NER (%s) failed (%s); tagging text by text", code, exc)
            for i, _p in paragraphs:
                out[i] = ner.recognize(items[i][0], items[i][1])
            continue
        for (i, _paragraph), spans in zip(paragraphs, tagged):
            out[i] = spans
    return out


def _tag(code: str, paragraphs: list[_Paragraph], memo: SentenceMemo) -> list[list[Span]]:
    """Spans of each paragraph, its sentences tagged together with every other paragraph's; each
    distinct sentence once (a sentence's tags depend on its words only: every feature, base tag and
    encoder state is computed within the sentence)."""
    keys = [(code, tuple(s)) for p in paragraphs for s in p.sentences]
    tagger = ner._tagger(code)
    if not DEDUPE:  # every sentence, repeats included (the bench's measure of what the memo saves)
        tags = [t for a in range(0, len(keys), SENTENCES_PER_CALL)
                for t in tagger.tag_many([list(words) for _, words in keys[a:a + SENTENCES_PER_CALL]])]
    else:
        todo = [k for k in dict.fromkeys(keys) if k not in memo]
        if len(memo) + len(todo) > MEMO_SENTENCES:
            memo.clear()
            todo = list(dict.fromkeys(keys))
        for a in range(0, len(todo), SENTENCES_PER_CALL):
            chunk = todo[a:a + SENTENCES_PER_CALL]
            memo.update(zip(chunk, tagger.tag_many([list(words) for _, words in chunk])))
        tags = [memo[k] for k in keys]
    out = []
    cursor = 0
    for p in paragraphs:
        out.append(p.spans(tags[cursor:cursor + len(p.sentences)]))
        cursor += len(p.sentences)
    return out
