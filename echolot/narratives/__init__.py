"""Narratives: claims in articles matched to a catalog, with stance, persisted per article.

    1. load the catalog (settings.narratives.catalog, else the shipped catalog.yaml)
    2. embed its statements once (cached in the store)
    3. per article: detect claims (cue verbs + entities + quotes from earlier stages),
       embed title and sentences, match against the catalog
    4. stance per hit (deny / report / endorse) and the article's own framing
    5. store.put_annotations("narratives", article_id, hits)

Each stored hit is `asdict(NarrativeHit)` plus what the views need without
re-reading the catalog or the article: the narrative's name and root, the outlet,
language and date of the article, and why the stance was chosen.
"""
from __future__ import annotations

import sys
from dataclasses import asdict
from typing import Any, Sequence

from echolot.clean.outlet import article_outlet
from echolot.model import Article, NarrativeHit
from echolot.narratives.catalog import Catalog, CatalogError, load_catalog
from echolot.narratives.claims import Claim, default_recognizer, detect_claims
from echolot.narratives.matching import CatalogIndex, article_sentences, build_index, match_sentences, sentence_scores
from echolot.narratives.stance import about_disinformation, apply_framing, sentence_stance
from echolot.settings import NarrativesSettings, Settings

__all__ = ["process", "detect", "load_catalog", "Catalog", "CatalogError", "Claim", "detect_claims"]


def _encoder(settings: Settings) -> Any:
    from echolot.encoders import get_encoder

    return get_encoder(settings.narratives.encoder or settings.encoder.backend)


def detect(article: Article, index: CatalogIndex, encoder: Any, cache: Any | None, cfg: NarrativesSettings,
           mentions: Sequence[dict[str, Any]] = (), quotes: Sequence[dict[str, Any]] = (),
           recognizer: Any = None) -> list[dict[str, Any]]:
    """Narrative hits of one article as stored records (best first)."""
    items = article_sentences(article, cfg.min_sentence_chars, cfg.max_sentence_chars)
    if not items:
        return []
    claims = {c.sentence_index: c for c in detect_claims(article, mentions, quotes, recognizer)}
    scores, background = sentence_scores(items, index, encoder, cache)
    candidates = match_sentences(items, scores, background, index, claims, cfg.match_threshold, cfg.claim_bonus,
                                 cfg.background_margin, cfg.max_hits_per_narrative)
    disinfo = {node.id: about_disinformation(node.name, node.description, *[t for _, t in node.statements()])
               for node in index.nodes}
    calls = [sentence_stance(c.sentence, c.claim, disinfo[c.node.id]) for c in candidates]
    roots = [index.catalog.root_of(c.node.id) for c in candidates]
    stances = [call.stance for call in calls]
    for root in set(roots):  # the article's own framing, per root narrative
        positions = [i for i, r in enumerate(roots) if r == root]
        for i, stance in zip(positions, apply_framing([stances[i] for i in positions])):
            if stance != stances[i]:
                calls[i].reason += "; article denies this narrative elsewhere"
            stances[i] = stance
    records = []
    for cand, call, stance, root in zip(candidates, calls, stances, roots):
        claim = cand.claim
        hit = NarrativeHit(article_id=article.id, narrative_id=cand.node.id, sentence=cand.sentence,
                           score=round(cand.score, 4), stance=stance, sentence_index=cand.sentence_index,
                           actor=claim.actor if claim else None, target=claim.target if claim else None)
        record = asdict(hit)
        record.update(name=cand.node.name, label=cand.node.display_label, root_id=root,
                      parent_id=cand.node.parent, stance_reason=call.reason,
                      claim_kind=claim.kind if claim else None, cue=claim.cue if claim else None,
                      speaker=call.speaker, speaker_stance=call.speaker_stance, method="catalog",
                      outlet=article_outlet(article), lang=article.lang, published=article.published)
        records.append(record)
    records.sort(key=lambda r: -r["score"])
    return records


def process(articles: list[Article], store: Any, settings: Settings, catalog: Catalog | None = None,
            progress: bool = True) -> list[dict[str, Any]]:
    """Stage entry point: match every article, persist its hits, return all hits."""
    from tqdm import tqdm

    cfg = settings.narratives
    catalog = catalog or load_catalog(cfg.catalog or None)
    encoder = _encoder(settings)
    index = build_index(catalog, encoder, store)
    recognizer = default_recognizer() if cfg.use_ner else None
    out: list[dict[str, Any]] = []
    for article in tqdm(articles, desc="narratives", unit="article", disable=not progress or len(articles) < 20,
                        file=sys.stderr):
        mentions = store.annotations("mentions", article.id)
        quotes = store.annotations("quotes", article.id)
        records = detect(article, index, encoder, store, cfg, mentions, quotes, recognizer)
        store.put_annotations("narratives", article.id, records)
        out.extend(records)
    return out
