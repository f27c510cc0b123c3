"""Input limits: no stage ever sees an article larger than the settings allow.

A scrape with one 10 MB line once became two million "sentences" and a 9.5 GiB
array in the reuse stage. So cleaning bounds every article before anything else
allocates by its size, and says what it did in `meta["notes"]` (shown by
`echolot show`), instead of silently dropping text:

* the raw input is cut early (HTML to `max_html_chars`, text to a few times
  `max_article_chars`), so normalising and the line rules run on a bounded text;
* lines longer than `max_line_chars` are split at sentence ends (else spaces);
* the cleaned text is cut at the last sentence end before `max_article_chars`
  and after `max_sentences` sentences.

Cuts prefer a sentence end, then a line break, then a space (a text with none of
them is cut at the character limit, and the note says so).
"""
from __future__ import annotations

from echolot.settings import IngestSettings
from echolot.text.sentences import cut_at_boundary, sentence_end_offsets, wrap_long

# the raw text may be this many times max_article_chars: boilerplate and markup go before the real cut
_RAW_SLACK = 2
# every sentence ends at one of these or at a line end: their count bounds the sentence count cheaply
_TERMINATORS = ".!?…。！？\n"


class LimitError(ValueError):
    """The input is over a limit and has no boundary to cut it at (one 10 MB "word"): not text."""


def cap_input(body: str, kind: str, options: IngestSettings, notes: list[str]) -> str:
    """`body` cut before cleaning: HTML at a tag below max_html_chars, text at a boundary.

    Raises LimitError for a text over the limit without any sentence end, line break
    or space near the limit: no article looks like that, and a hard cut would store garbage.
    """
    if kind == "html":
        limit = options.max_html_chars
        if limit <= 0 or len(body) <= limit:
            return body
        cut = body.rfind("<", limit * 9 // 10, limit)
        cut = cut if cut > 0 else limit
        notes.append(f"HTML cut from {len(body):,} to {cut:,} characters before extraction "
                     f"(ingest.max_html_chars {limit:,})")
        return body[:cut]
    limit = options.max_article_chars * _RAW_SLACK
    if options.max_article_chars <= 0 or len(body) <= limit:
        return body
    text, boundary = cut_at_boundary(body, limit)
    if boundary == "character":
        raise LimitError(f"{len(body):,} characters without a sentence end, line break or space near "
                         f"{limit:,} (ingest.max_article_chars {options.max_article_chars:,}): not article text")
    notes.append(f"input cut from {len(body):,} to {len(text):,} characters at a {boundary} boundary "
                 f"before cleaning (ingest.max_article_chars {options.max_article_chars:,})")
    return text


def split_long_lines(lines: list[str], max_chars: int, notes: list[str] | None) -> list[str]:
    """`lines` with every line over `max_chars` split into pieces (sentence ends, else spaces)."""
    if max_chars <= 0 or all(len(line) <= max_chars for line in lines):
        return lines
    out: list[str] = []
    split = 0
    for line in lines:
        if len(line) <= max_chars:
            out.append(line)
            continue
        split += 1
        out.extend(wrap_long(line, max_chars))
    if notes is not None:
        notes.append(f"{split} line(s) longer than {max_chars:,} characters split (ingest.max_line_chars)")
    return out


def cap_article(body: str, options: IngestSettings, notes: list[str]) -> str:
    """The cleaned text cut to max_article_chars and max_sentences, at sentence ends."""
    if options.max_article_chars > 0 and len(body) > options.max_article_chars:
        cut, boundary = cut_at_boundary(body, options.max_article_chars)
        notes.append(f"text cut from {len(body):,} to {len(cut):,} characters at a {boundary} boundary "
                     f"(ingest.max_article_chars {options.max_article_chars:,})")
        body = cut
    limit = options.max_sentences
    if limit > 0 and sum(body.count(mark) for mark in _TERMINATORS) + 1 > limit:
        ends = sentence_end_offsets(body, limit)
        if len(ends) > limit:
            body = body[:ends[limit - 1]].rstrip()
            notes.append(f"text cut after {limit:,} sentences (ingest.max_sentences)")
    return body
