"""Quotations with speakers, and the same quote traced across articles and languages.

    process(articles, store, settings)   pipeline stage: per-article quotes + quote clusters (stage.py)
    quotes_for_article(article, ...)     the quotes of one article (model.Quote records)
    extract_attributions(text, lang)     raw spans (the `echolot predict quotes` interface)
    collect(store, ...)                  the read side shared by the CLI and the API (query.py)

Stored: annotations of kind "quotes" (asdict(model.Quote)) per article, and the
cross-article clusters as JSON under state key "quotes:clusters" (see clusters.py).
`Quote.speaker` is the name the speaker resolves to (a person named in the article
when the quote only says "she" or "the spokeswoman"), `speaker_span` the local
reference next to the cue, `speaker_entity` the canonical entity id when known.
Training lives in `echolot.training.quotes`, never imported from here.
"""
from __future__ import annotations

from echolot.quotes.clusters import STATE_KEY, load_clusters, update_clusters
from echolot.quotes.extract import extract_attributions
from echolot.quotes.stage import process, quotes_for_article

__all__ = [
    "STATE_KEY",
    "extract_attributions",
    "load_clusters",
    "process",
    "quotes_for_article",
    "update_clusters",
]
