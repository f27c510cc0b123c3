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
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from echolot.clean.outlet import article_outlet
from echolot.model import Article, NarrativeHit
from echolot.narratives.catalog import Catalog, CatalogError, load_catalog
from echolot.narratives.claims import Claim, default_recognizer, detect_claims
from echolot.narratives.matching import (CatalogIndex, article_sentences, build_index, match_sentences,
                                         sentence_scores, units)
from echolot.narratives.stance import StanceCall, about_disinformation, apply_framing, article_stance, sentence_stance
from echolot.settings import NarrativesSettings, Settings

if TYPE_CHECKING:
    from echolot.encoders.base import Encoder
    from echolot.narratives.supervised import NarrativeModel
    from echolot.store.base import Store, VectorStore

__all__ = ["CallPlan", "Catalog", "CatalogError", "Claim", "detect", "detect_claims", "load_catalog", "plan_calls", "process",
           "run_call"]


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
               component: dict[str, str], claims_of: dict[str, dict[int | None, Claim]],
               doc_encoder: Encoder | None = None) -> dict[str, list[dict[str, Any]]]:
    """Article-level labels of the supervised model as hit records, one label set per link component.

    Each label's evidence is the article sentence closest to the label's wording; its stance
    (and the speaker's) comes from that sentence like a catalog hit's. `doc_encoder`: the model's
    encoder for the articles' vectors (default: the one it was trained with, loaded by name).
    """
    from echolot.encoders import encode_cached
    from echolot.narratives.labelling import unify

    records = [{"id": a.id, "title": a.title, "text": a.text} for a in articles]
    emb, txt = model.features(records, cache, doc_encoder)
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


def _with_linked(articles: list[Article], store: Store, cfg: NarrativesSettings) -> tuple[list[Article], dict[str, str]]:
    """The articles to label (with `narratives.unify_links`, those linked to them by reuse links too:
    their translations and copies) and each one's link component."""
    component: dict[str, str] = {a.id: a.id for a in articles}
    if cfg.unify_links:
        component, reached = _components(store, [a.id for a in articles])
        known = {a.id for a in articles}
        extra = [a for a in store.iter_articles(sorted(reached - known))] if reached - known else []
        articles = list(articles) + extra
    return articles, component


# -- encoder calls computed ahead in worker processes (issue 12: the main job on every core) ----------
# Nine tenths of the stage's CPU is the sentence encoder: the article sentences' units and, for the
# supervised model, each article's title, lead and body chunks. Which texts each `encode` call gets
# depends only on the articles and on what the vector cache holds when the stage starts, so
# `plan_calls` can list every call up front; the pipeline has its workers run them (`run_call`) while
# this stage runs, and the stage takes a call's vectors from them (`process(planned=...)`) when its
# texts are the very same ones: the same vectors, the same cache writes, in the same order.
Call = tuple[str, tuple[str, ...]]  # (encoder name, the texts of one `encode` call, in order)


class _Planned:
    """An encoder that takes a call's vectors from `planned` (computed ahead for the very same texts)
    and encodes itself whatever it was not handed."""

    def __init__(self, encoder: Encoder, planned: Callable[[Call], np.ndarray | None]) -> None:
        self._encoder, self._planned = encoder, planned
        self.name, self.dim = encoder.name, encoder.dim
        self.bulk = getattr(encoder, "bulk", 0)

    def encode(self, texts: list[str]) -> np.ndarray:
        found = self._planned((self.name, tuple(texts)))
        return found if found is not None else self._encoder.encode(texts)


class _Recorder:
    """An encoder that only notes the texts of each call (and gives zero vectors of the right shape):
    `encode_cached` run with it lists the calls it makes with the real encoder, by its own keys,
    duplicate removal and chunking, so the plan has no second copy of that logic to drift apart."""

    def __init__(self, encoder: Encoder, calls: list[Call]) -> None:
        self.name, self.dim = encoder.name, encoder.dim
        self.bulk = getattr(encoder, "bulk", 0)
        self._calls = calls

    def encode(self, texts: list[str]) -> np.ndarray:
        self._calls.append((self.name, tuple(texts)))
        return np.zeros((len(texts), self.dim), dtype=np.float32)


class _ReadOnlyCache:
    """The store's vector cache as the stage will see it, written to only in memory: what `encode_cached`
    puts while planning (the vectors the stage's earlier calls will have cached by then) stays here, and
    the store is read at most once per key."""

    def __init__(self, store: VectorStore) -> None:
        self._store = store
        self._known: dict[str, bytes] = {}
        self._absent: set[str] = set()

    def get_vectors(self, keys: list[str]) -> dict[str, bytes]:
        ask = [k for k in keys if k not in self._known and k not in self._absent]
        if ask:
            found = self._store.get_vectors(ask)
            self._known.update(found)
            self._absent.update(k for k in ask if k not in found)
        return {k: self._known[k] for k in keys if k in self._known}

    def put_vectors(self, items: dict[str, bytes]) -> None:
        self._known.update(items)
        self._absent.difference_update(items)


class CallPlan(list[Call]):
    """The calls `plan_calls` worked out for a batch (a list of `Call`), with what it read on the way
    that `process` needs again (issue 12: not read twice): `linked`, `_with_linked(articles)`,
    for the articles `ids`. `process(plan=...)` uses it only for the very same articles."""

    def __init__(self, calls: list[Call], ids: list[str], linked: tuple[list[Article], dict[str, str]]) -> None:
        super().__init__(calls)
        self.ids, self.linked = ids, linked


def plan_calls(articles: list[Article], store: Store, settings: Settings) -> CallPlan:
    """Every encoder call `process(articles, store, settings)` will make, in order, from the store as
    it is now: `encode_cached` with a recording encoder over a cache that is never written, called
    with the texts the stage passes it, in the stage's order. A call planned wrongly costs only the
    worker's time: `process` uses a planned call's vectors only when it asks for exactly those texts,
    and encodes everything else itself."""
    from echolot.encoders import encode_cached, get_encoder
    from echolot.narratives.features import embed
    from echolot.narratives.labelling import load_model

    cfg = settings.narratives
    calls: list[Call] = []
    cache = _ReadOnlyCache(store)
    recorder = _Recorder(_encoder(settings), calls)
    build_index(load_catalog(cfg.catalog or None), recorder, cache)
    ids = [a.id for a in articles]
    linked = _with_linked(articles, store, cfg)
    articles = linked[0]
    for article in articles:  # `detect` -> `sentence_scores`
        items = article_sentences(article, cfg.min_sentence_chars, cfg.max_sentence_chars)
        encode_cached([unit for _, text in items for unit in units(text)], recorder, cache)
    model = load_model(settings)
    if model is not None and articles:  # `model_hits`: `model.features` -> `features.embed`, then the labels
        embed([{"title": a.title, "text": a.text} for a in articles], _Recorder(get_encoder(model.encoder), calls),
              cache)
        encode_cached([n.split(": ", 1)[-1] for n in model.labels + model.sublabels], recorder, cache)
        for article in articles:
            encode_cached([t for _, t in article_sentences(article, cfg.min_sentence_chars, cfg.max_sentence_chars)],
                          recorder, cache)
    return CallPlan(calls, ids, linked)


def run_call(_article: None, settings: Settings, call: Call) -> np.ndarray:
    """One planned call, in a worker process: the encoder's vectors for exactly these texts."""
    from echolot.encoders import get_encoder

    name, texts = call
    return get_encoder(name).encode(list(texts))


def process(articles: list[Article], store: Store, settings: Settings, catalog: Catalog | None = None,
            progress: bool = True, planned: Callable[[Call], np.ndarray | None] | None = None,
            plan: CallPlan | None = None) -> list[dict[str, Any]]:
    """Stage entry point: match every article, persist its hits, return all hits.

    With `narratives.unify_links` the articles linked to these by reuse links (their
    translations and copies) are re-labelled with them, so a group shares one set.
    `planned`: the vectors of encoder calls computed ahead (`plan_calls`), by call; None for a call
    not computed (this process then encodes it). `plan`: what `plan_calls` returned for these articles
    (their linked articles and components are taken from it instead of read again)."""
    from tqdm import tqdm

    from echolot.narratives.labelling import load_model

    cfg = settings.narratives
    catalog = catalog or load_catalog(cfg.catalog or None)
    encoder: Encoder = _encoder(settings)
    if planned is not None:
        encoder = _Planned(encoder, planned)
    index = build_index(catalog, encoder, store)
    recognizer = default_recognizer() if cfg.use_ner else None
    if plan is not None and plan.ids == [a.id for a in articles]:
        articles, component = plan.linked
    else:
        articles, component = _with_linked(articles, store, cfg)
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
        doc_encoder = None
        if planned is not None:
            from echolot.encoders import get_encoder

            doc_encoder = _Planned(get_encoder(model.encoder), planned)
        for article_id, hits in model_hits(articles, model, encoder, store, cfg, component, claims_of,
                                           doc_encoder).items():
            by_article[article_id] = by_article[article_id] + hits
    if cfg.unify_links:
        by_article = unify_hits(by_article, component)
    out: list[dict[str, Any]] = []
    for article in articles:
        store.put_annotations("narratives", article.id, by_article[article.id])
        out.extend(by_article[article.id])
    return out
