"""The narratives stage: claims in articles matched to a catalog, with stance, persisted per article.

    1. load the catalog (settings.narratives.catalog, else the shipped catalog.yaml)
    2. embed its statements once (cached in the store)
    3. per article: detect claims (cue verbs + entities + quotes from earlier stages),
       embed title and sentences, match against the catalog
    4. stance per hit (deny / report / endorse) and the article's own framing
    5. the supervised model's article-level labels (models/narratives.npz, when trained)
       as hits too, each with its closest sentence as evidence and that sentence's stance
    6. translations and copies (reuse links) share one narrative set and stance
    7. store.put_annotations("narratives", article_id, hits)

Each stored hit is `asdict(NarrativeHit)` plus what the views need without
re-reading the catalog or the article: the narrative's name and root, the outlet,
language and date of the article, and why the stance was chosen.
"""
from __future__ import annotations

import re
import sys
from dataclasses import asdict
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from echolot.clean.outlet import article_outlet
from echolot.model import Article, NarrativeHit
from echolot.narratives.catalog import Catalog, CatalogError, load_catalog
from echolot.narratives.claims import Claim, default_recognizer, detect_claims
from echolot.narratives.matching import CatalogIndex, article_sentences, build_index, match_sentences, sentence_scores
from echolot.narratives.stance import StanceCall, about_disinformation, apply_framing, article_stance, sentence_stance
from echolot.settings import NarrativesSettings, Settings

if TYPE_CHECKING:
    from echolot.encoders.base import Encoder
    from echolot.narratives.supervised import NarrativeModel
    from echolot.store.base import Store

__all__ = ["Catalog", "CatalogError", "Claim", "detect", "detect_claims", "load_catalog", "process"]


def _encoder(settings: Settings) -> Encoder:
    from echolot.encoders import get_encoder

    return get_encoder(settings.narratives.encoder or settings.encoder.backend)


def disinformation_nodes(index: CatalogIndex) -> dict[str, bool]:
    """Which catalog narratives are themselves claims of disinformation (`about_disinformation`), per id."""
    return {node.id: about_disinformation(node.name, node.description, *[t for _, t in node.statements()])
            for node in index.nodes}


def detect(article: Article, index: CatalogIndex, encoder: Encoder, cache: Store | None, cfg: NarrativesSettings,
           mentions: Sequence[dict[str, Any]] = (), quotes: Sequence[dict[str, Any]] = (),
           recognizer: Any = None, claims: dict[int | None, Claim] | None = None,
           disinfo: dict[str, bool] | None = None) -> list[dict[str, Any]]:
    """Narrative hits of one article as stored records (best first).

    `disinfo`: `disinformation_nodes(index)`, computed once by a caller that detects many articles."""
    items = article_sentences(article, cfg.min_sentence_chars, cfg.max_sentence_chars)
    if not items:
        return []
    if claims is None:
        claims = {c.sentence_index: c for c in detect_claims(article, mentions, quotes, recognizer)}
    scores, background = sentence_scores(items, index, encoder, cache)
    candidates = match_sentences(items, scores, background, index, claims, cfg.match_threshold, cfg.claim_bonus,
                                 cfg.background_margin, cfg.max_hits_per_narrative)
    if disinfo is None:
        disinfo = disinformation_nodes(index)
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


def _slug(label: str) -> str:
    """A stable narrative id for a taxonomy label ("URW: Discrediting Ukraine" -> "urw-discrediting-ukraine")."""
    return re.sub(r"[^\w]+", "-", label.casefold()).strip("-")


def model_hits(articles: Sequence[Article], model: NarrativeModel, encoder: Encoder, cache: Store, cfg: NarrativesSettings,
               component: dict[str, str], claims_of: dict[str, dict[int | None, Claim]]) -> dict[str, list[dict[str, Any]]]:
    """Article-level labels of the supervised model as hit records, one label set per link component.

    Each label's evidence is the article sentence closest to the label's wording; its stance
    (and the speaker's) comes from that sentence like a catalog hit's.
    """
    from echolot.encoders import encode_cached
    from echolot.narratives.labelling import unify

    records = [{"id": a.id, "title": a.title, "text": a.text} for a in articles]
    emb, txt = model.features(records, cache)
    p, q = model.probabilities(emb, txt)
    p, q = unify(p, q, [a.id for a in articles], component)
    decided = model.decide(p, q)
    names = model.labels + model.sublabels
    label_vecs = encode_cached([n.split(": ", 1)[-1] for n in names], encoder, cache)
    out: dict[str, list[dict[str, Any]]] = {}
    for i, article in enumerate(articles):
        narratives, subs = decided[i]
        items = article_sentences(article, cfg.min_sentence_chars, cfg.max_sentence_chars)
        vectors = encode_cached([t for _, t in items], encoder, cache) if items else None
        hits = []
        for label in narratives + [s for s in subs if s in model.sublabels]:
            if label == "Other":
                continue
            j = names.index(label)
            prob = float(p[i, j]) if j < len(model.labels) else float(q[i, j - len(model.labels)])
            parent = None if j < len(model.labels) else _slug(label.rsplit(": ", 1)[0])
            sentence, index_, call = None, None, StanceCall("endorse", "article-level label, no sentence evidence")
            if vectors is not None and len(vectors):
                best = int(np.argmax(vectors @ label_vecs[j]))
                index_, sentence = items[best]
                call = sentence_stance(sentence, claims_of.get(article.id, {}).get(index_),
                                       about_disinformation(label))
            hits.append({"article_id": article.id, "narrative_id": _slug(label), "sentence": sentence,
                         "score": round(prob, 4), "stance": call.stance, "sentence_index": index_, "actor": None,
                         "target": None, "name": label.split(": ")[-1], "label": label,
                         "root_id": parent or _slug(label), "parent_id": parent,
                         "stance_reason": f"model p={prob:.2f}; {call.reason}", "claim_kind": None, "cue": None,
                         "speaker": call.speaker, "speaker_stance": call.speaker_stance, "method": "model",
                         "outlet": article_outlet(article), "lang": article.lang, "published": article.published})
        out[article.id] = hits
    return out


def unify_hits(by_article: dict[str, list[dict[str, Any]]], component: dict[str, str]) -> dict[str, list[dict[str, Any]]]:
    """Translations and copies (one link component) share one narrative set and one stance per narrative.

    A narrative found in one member is carried by the others (its evidence is the member's
    sentence, marked `carried_from`); the stance per narrative is rolled up over the members
    (any denial wins, then endorsement, else report), as the article-level rule does.
    """
    members: dict[str, list[str]] = {}
    for article_id in sorted(by_article):
        members.setdefault(component.get(article_id, article_id), []).append(article_id)
    out = dict(by_article)
    for ids in members.values():
        if len(ids) < 2:
            continue
        pooled: dict[str, list[dict[str, Any]]] = {}
        for article_id in ids:
            for hit in by_article[article_id]:
                pooled.setdefault(hit["narrative_id"], []).append(hit)
        stance = {nid: article_stance([h["stance"] for h in hits]) for nid, hits in pooled.items()}
        for article_id in ids:
            own = [dict(h, stance=stance[h["narrative_id"]]) for h in by_article[article_id]]
            have = {h["narrative_id"] for h in own}
            for nid, hits in sorted(pooled.items()):
                if nid in have:
                    continue
                best = max(hits, key=lambda h: h["score"])
                meta = by_article[article_id][0] if by_article[article_id] else {}
                own.append(dict(best, article_id=article_id, stance=stance[nid], carried_from=best["article_id"],
                                outlet=meta.get("outlet", best.get("outlet")), lang=meta.get("lang", best.get("lang")),
                                published=meta.get("published", best.get("published")),
                                stance_reason=f"carried by a translation/copy ({best['article_id'][:12]}): "
                                              f"{best.get('stance_reason') or ''}"))
            own.sort(key=lambda r: -r["score"])
            out[article_id] = own
    return out


def _components(store: Store, ids: Sequence[str]) -> tuple[dict[str, str], set[str]]:
    """Link component of each article (reuse links of any kind) and every member id reached."""
    from echolot.narratives.labelling import groups

    pairs = [(link.source, link.target) for link in store.links()]
    nodes = set(ids) | {x for pair in pairs for x in pair}
    component = groups(sorted(nodes), pairs)
    wanted = {component[i] for i in ids}
    return component, {i for i, c in component.items() if c in wanted}


def process(articles: list[Article], store: Store, settings: Settings, catalog: Catalog | None = None,
            progress: bool = True) -> list[dict[str, Any]]:
    """Stage entry point: match every article, persist its hits, return all hits.

    With `narratives.unify_links` the articles linked to these by reuse links (their
    translations and copies) are re-labelled with them, so a group shares one set.
    """
    from tqdm import tqdm

    from echolot.narratives.labelling import load_model

    cfg = settings.narratives
    catalog = catalog or load_catalog(cfg.catalog or None)
    encoder = _encoder(settings)
    index = build_index(catalog, encoder, store)
    recognizer = default_recognizer() if cfg.use_ner else None
    component: dict[str, str] = {a.id: a.id for a in articles}
    if cfg.unify_links:
        component, reached = _components(store, [a.id for a in articles])
        known = {a.id for a in articles}
        extra = [a for a in store.iter_articles(sorted(reached - known))] if reached - known else []
        articles = list(articles) + extra
    by_article: dict[str, list[dict[str, Any]]] = {}
    claims_of: dict[str, dict[int | None, Claim]] = {}
    disinfo = disinformation_nodes(index)  # the same for every article: once, not per article
    for article in tqdm(articles, desc="narratives", unit="article", disable=not progress or len(articles) < 20,
                        file=sys.stderr):
        mentions = store.annotations("mentions", article.id)
        quotes = store.annotations("quotes", article.id)
        claims_of[article.id] = {c.sentence_index: c for c in detect_claims(article, mentions, quotes, recognizer)}
        by_article[article.id] = detect(article, index, encoder, store, cfg, mentions, quotes, recognizer,
                                        claims_of[article.id], disinfo)
    model = load_model(settings)
    if model is not None and articles:
        for article_id, hits in model_hits(articles, model, encoder, store, cfg, component, claims_of).items():
            by_article[article_id] = by_article[article_id] + hits
    if cfg.unify_links:
        by_article = unify_hits(by_article, component)
    out: list[dict[str, Any]] = []
    for article in articles:
        store.put_annotations("narratives", article.id, by_article[article.id])
        out.extend(by_article[article.id])
    return out
