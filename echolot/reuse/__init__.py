"""Provenance: which articles are reprints or translations of which, and which way.

    1. features      per new article: MinHash of shingles, rare anchors, lead vector
    2. candidates    LSH + language-centred ANN + shared anchors, against the whole store
    3. verify        same-language near-duplicates: text alignment (kind "copy");
                     everything else: margin-scored sentence alignment
    4. groups        connected components of verified links
    5. direction     original of each touched group, a tree, a reason per link
    6. persist       store.put_links (re-oriented links replace the old ones)

`process(articles, store, settings)` takes only the new articles; the store holds
the old ones and their features, so linking stays incremental.
"""
from __future__ import annotations

import sys
from collections import defaultdict, deque
from dataclasses import dataclass
from typing import Any

import numpy as np
from tqdm import tqdm

from echolot.encoders import Encoder, encode_cached, get_encoder
from echolot.model import AlignedPair, Article, ReuseLink
from echolot.reuse.align import Alignment, evidence, flip, margin_align, text_align
from echolot.reuse.clock import StageClock, TimedEncoder
from echolot.reuse.direction import Verdict, content_pairs, decide
from echolot.reuse.features import (anchors, contained, decode_anchors, encode_anchors, minhash, shingle_hashes,
                                    shingles, signature_bytes, signature_from_bytes)
from echolot.reuse.index import CandidateIndex, Features
from echolot.settings import ReuseSettings, Settings

__all__ = [
    "ArticlePool",
    "PairResult",
    "article_features",
    "containment",
    "group_of",
    "orient",
    "process",
    "raw_link",
    "sentence_texts",
    "verify_pairs",
]  # the Spark job runs the same steps


@dataclass
class PairResult:
    """One verified candidate pair (evidence is read from a to b)."""

    a: str
    b: str
    kind: str
    near_duplicate: bool
    alignment: Alignment
    rows: list[AlignedPair]


class ArticlePool:
    """New articles in memory, older ones fetched from the store on demand."""

    def __init__(self, store: object, articles: list[Article]) -> None:
        self.store = store
        self.cache = {a.id: a for a in articles}

    def __getitem__(self, article_id: str) -> Article:
        if article_id not in self.cache:
            article = self.store.get_article(article_id)  # type: ignore[attr-defined]
            if article is None:
                raise KeyError(f"article {article_id} is linked but not in the store")
            self.cache[article_id] = article
        return self.cache[article_id]


def process(articles: list[Article], store: object, settings: Settings,
            progress: bool = False, clock: StageClock | None = None) -> list[ReuseLink]:
    """Link new `articles` against everything stored; persist and return the oriented links.

    `clock`, when given, receives wall/CPU seconds per stage and counters (the benchmark reads it).
    """
    if not articles:
        return []
    clock = clock or StageClock()
    cfg = settings.reuse
    encoder = TimedEncoder(get_encoder(cfg.encoder or settings.encoder.backend, settings.encoder.workers), clock)
    leads: dict[str, np.ndarray] = {}  # screen vectors per article, filled by features, loaded for old ones
    with clock.stage("features"):
        new = article_features(articles, store, encoder, cfg, settings.encoder.batch_size, leads)
    new_ids = {f.id for f in new}
    with clock.stage("candidates"):
        old = _stored_features(store, new_ids, cfg)
        index = CandidateIndex(old + new, cfg)
        proposals = index.candidates([f.id for f in new])
    clock.count("articles_indexed", len(old) + len(new))
    clock.count("candidate_pairs", len(proposals))
    pool = ArticlePool(store, articles)
    with clock.stage("verify"):
        verified = verify_pairs(proposals, pool, store, encoder, cfg, settings.encoder.batch_size, progress, clock,
                                leads)
    clock.count("verified_pairs", len(verified))
    with clock.stage("orient"):
        store.put_links([raw_link(p) for p in verified])  # type: ignore[attr-defined]
        touched = {p.a for p in verified} | {p.b for p in verified}
        links = orient(touched, store, pool, cfg)
        store.put_links(links)  # type: ignore[attr-defined]
    return links


# -- 1. features ----------------------------------------------------------------------------
def sentence_texts(article: Article) -> list[str]:
    return [s.text for s in article.sentences] or [article.text]


def _encode_groups(groups: list[list[str]], encoder: Encoder, store: object, batch_size: int) -> list[np.ndarray]:
    """Vectors for several lists of texts (one per article), encoded in one cached call, split back."""
    vectors = encode_cached([t for group in groups for t in group], encoder, store, batch_size=batch_size)
    bounds = np.cumsum([len(group) for group in groups])[:-1]
    return np.split(vectors, bounds) if groups else []


def _lead_sentences(article: Article, n: int, min_words: int) -> list[str]:
    """The first `n` content sentences: short edge lines (breadcrumbs, "Share this") are skipped,
    so a reprint with boilerplate on top keeps the lead of what it copies."""
    texts = sentence_texts(article)
    content = [t for t in texts if len(t.split()) >= min_words]
    return (content or texts)[:n]


def _lead(article: Article, cfg: ReuseSettings) -> list[str]:
    title = [article.title] if article.title else []
    return title + _lead_sentences(article, cfg.lead_sentences, cfg.lead_min_words)


def article_features(articles: list[Article], store: object, encoder: Encoder, cfg: ReuseSettings,
                     batch_size: int, leads: dict[str, np.ndarray] | None = None) -> list[Features]:
    """Compute and persist the candidate features of new articles, a chunk at a time.

    Chunks bound the lead-sentence vectors held at once (all of them for 100k articles
    would take gigabytes) and persist features as they go.
    """
    out: list[Features] = []
    for start in range(0, len(articles), _FEATURE_CHUNK):
        out.extend(_chunk_features(articles[start:start + _FEATURE_CHUNK], store, encoder, cfg, batch_size,
                                   {} if leads is None else leads))
    return out


_FEATURE_CHUNK = 4096  # articles per feature batch: large enough for bulk encoding, small in memory


def _chunk_features(articles: list[Article], store: object, encoder: Encoder, cfg: ReuseSettings,
                    batch_size: int, leads: dict[str, np.ndarray]) -> list[Features]:
    """Only the title and a few lead sentences are embedded here (the encoder is the
    slow part); the lead sentences are cached by text, so a pair that later needs
    full alignment does not embed them twice, and their vectors go to `leads` for the screen.
    """
    vectors = _encode_groups([_lead(a, cfg) for a in articles], encoder, store, batch_size)
    out: list[Features] = []
    blobs: dict[str, bytes] = {}
    for article, rows in zip(articles, vectors):
        if cfg.screen_sentences <= cfg.lead_sentences:
            first = 1 if article.title else 0
            leads[article.id] = _padded(rows[first:first + cfg.screen_sentences], cfg.screen_sentences)
        vec = rows.mean(axis=0)
        vec = vec / max(float(np.linalg.norm(vec)), 1e-12)
        sig = minhash(shingles(article.text, cfg.shingle_size), cfg.num_perm)
        tokens = anchors(article)
        out.append(Features(article.id, article.lang, sig, tokens, vec))
        blobs[f"reuse.mh:{article.id}"] = signature_bytes(sig)
        blobs[f"reuse.an:{article.id}"] = encode_anchors(tokens)
        blobs[f"reuse.lv:{article.id}"] = vec.astype(np.float16).tobytes()
    store.put_vectors(blobs)  # type: ignore[attr-defined]
    return out


def _stored_features(store: object, exclude: set[str], cfg: ReuseSettings) -> list[Features]:
    """Features of articles linked in earlier runs (articles without features are skipped)."""
    rows = [r for r in store.list_articles() if r["id"] not in exclude]  # type: ignore[attr-defined]
    out: list[Features] = []
    for start in range(0, len(rows), 2000):
        chunk = rows[start:start + 2000]
        keys = [f"reuse.{kind}:{r['id']}" for r in chunk for kind in ("mh", "an", "lv")]
        blobs = store.get_vectors(keys)  # type: ignore[attr-defined]
        for r in chunk:
            mh, an, lv = (blobs.get(f"reuse.{k}:{r['id']}") for k in ("mh", "an", "lv"))
            if mh is None or an is None or lv is None:
                continue
            out.append(Features(r["id"], r["lang"], signature_from_bytes(mh, cfg.num_perm), decode_anchors(an),
                                np.frombuffer(lv, dtype=np.float16).astype(np.float32)))
    return out


# -- 3. verification --------------------------------------------------------------------------
def containment(a: Article, b: Article, size: int) -> float:
    """Share of the smaller article's shingles found in the other: high for reprints only."""
    return contained(shingle_hashes(a.text, size), shingle_hashes(b.text, size))


def verify_pairs(proposals: dict[tuple[str, str], set[str]], pool: Any, store: object, encoder: Encoder,
                 cfg: ReuseSettings, batch_size: int, progress: bool,
                 clock: StageClock | None = None, leads: dict[str, np.ndarray] | None = None) -> list[PairResult]:
    """Near-duplicates are aligned on their text; every other pair passes the lead screen,
    and only then are all sentences of its two articles embedded and margin-aligned."""
    clock = clock or StageClock()
    results: list[PairResult] = []
    semantic: list[tuple[str, str]] = []
    grams: dict[str, np.ndarray] = {}

    def gram(x: str) -> np.ndarray:
        if x not in grams:
            grams[x] = shingle_hashes(pool[x].text, cfg.shingle_size)
        return grams[x]

    for a, b in sorted(proposals):
        art_a, art_b = pool[a], pool[b]
        if art_a.lang == art_b.lang and contained(gram(a), gram(b)) >= cfg.copy_containment:
            sa, sb = sentence_texts(art_a), sentence_texts(art_b)
            alignment = text_align(sa, sb)
            results.append(PairResult(a, b, "copy", True, alignment, evidence(alignment, sa, sb, True)))
        else:
            semantic.append((a, b))
    clock.count("copy_pairs", len(proposals) - len(semantic))
    clock.count("semantic_pairs", len(semantic))
    semantic = _screen(semantic, pool, store, encoder, cfg, batch_size, {} if leads is None else leads)
    clock.count("screened_pairs", len(semantic))
    if not semantic:
        return results
    n_articles = len({x for pair in semantic for x in pair})
    clock.count("aligned_articles", n_articles)
    if progress:
        print(f"reuse: aligning {len(semantic)} pairs of {n_articles} candidate articles", file=sys.stderr)
    bar = tqdm(total=len(semantic), desc="align", unit="pair", disable=not progress, file=sys.stderr)
    semantic = _local_order(semantic)
    for start in range(0, len(semantic), cfg.align_chunk):
        chunk = semantic[start:start + cfg.align_chunk]
        results.extend(_align_chunk(chunk, pool, store, encoder, cfg, batch_size, clock))
        bar.update(len(chunk))
    bar.close()
    return results


def _local_order(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Pairs ordered so that pairs sharing articles fall into the same chunk.

    Articles are numbered in breadth-first order over the pair graph (as Cuthill-McKee
    does for sparse matrices), and pairs sorted by their articles' numbers: a chunk then
    touches a band of neighbouring articles, whose sentence vectors are read once, not
    once per chunk in which a random order would scatter their pairs. Deterministic.
    """
    neighbours: dict[str, list[str]] = defaultdict(list)
    for a, b in pairs:
        neighbours[a].append(b)
        neighbours[b].append(a)
    order: dict[str, int] = {}
    for root in sorted(neighbours):
        if root in order:
            continue
        order[root] = len(order)
        queue = deque([root])
        while queue:
            for other in sorted(neighbours[queue.popleft()]):
                if other not in order:
                    order[other] = len(order)
                    queue.append(other)
    return sorted(pairs, key=lambda p: (min(order[p[0]], order[p[1]]), max(order[p[0]], order[p[1]])))


def _align_chunk(pairs: list[tuple[str, str]], pool: Any, store: object, encoder: Encoder, cfg: ReuseSettings,
                 batch_size: int, clock: StageClock) -> list[PairResult]:
    """Embed all sentences of the chunk's articles (cached by text) and margin-align each pair.

    Working in chunks of pairs bounds the sentence vectors held at once, whatever the corpus size.
    """
    needed = sorted({x for pair in pairs for x in pair})
    texts = {x: sentence_texts(pool[x]) for x in needed}
    clock.count("aligned_article_loads", len(needed))
    clock.count("aligned_sentence_loads", sum(len(t) for t in texts.values()))
    by_id = dict(zip(needed, _encode_groups([texts[x] for x in needed], encoder, store, batch_size)))
    out: list[PairResult] = []
    for a, b in pairs:
        alignment = margin_align(by_id[a], by_id[b], cfg.margin_k, cfg.min_margin, cfg.min_cos)
        if (len(alignment.pairs) < cfg.min_aligned or alignment.share < cfg.min_share
                or alignment.coverage < cfg.min_coverage):
            continue
        kept, share = content_pairs(alignment.pairs, texts[a], texts[b])  # a shared share row is no reprint
        if kept < cfg.min_aligned or share < cfg.min_share:
            continue
        same = pool[a].lang == pool[b].lang
        out.append(PairResult(a, b, "copy" if same else "translation", False, alignment,
                              evidence(alignment, texts[a], texts[b], same)))
    return out


def _screen(pairs: list[tuple[str, str]], pool: Any, store: object, encoder: Encoder, cfg: ReuseSettings,
            batch_size: int, leads: dict[str, np.ndarray]) -> list[tuple[str, str]]:
    """Keep the pairs whose lead sentences say the same thing somewhere, before embedding whole articles.

    A translation or rewrite carries over its source's opening; two articles that merely
    share a topic rarely have a pair of lead sentences this close. `leads` holds each
    article's lead vectors (float16) once: new articles' come from the features, older
    ones are read from the vector cache once each, not once per chunk of pairs.
    """
    if cfg.screen_cos <= 0 or not pairs:
        return pairs
    _load_leads(sorted({x for pair in pairs for x in pair} - leads.keys()), pool, store, encoder, cfg,
                batch_size, leads)
    kept: list[tuple[str, str]] = []
    for start in range(0, len(pairs), 8192):  # one batched product per slice of pairs
        chunk = pairs[start:start + 8192]
        va = np.stack([leads[a] for a, _ in chunk]).astype(np.float32)
        vb = np.stack([leads[b] for _, b in chunk]).astype(np.float32)
        best = np.matmul(va, vb.transpose(0, 2, 1)).max(axis=(1, 2))
        kept.extend(pair for pair, score in zip(chunk, best) if score >= cfg.screen_cos)
    return kept


def _padded(rows: np.ndarray, n: int) -> np.ndarray:
    """Exactly `n` rows (zero rows pad a short lead: cosine 0 never passes the screen), float16."""
    out = np.zeros((n, rows.shape[1]), dtype=np.float16)
    out[:min(n, len(rows))] = rows[:n]
    return out


def _load_leads(ids: list[str], pool: Any, store: object, encoder: Encoder, cfg: ReuseSettings,
                batch_size: int, leads: dict[str, np.ndarray]) -> None:
    """Lead vectors of articles linked in earlier runs (cached by text, so rarely encoded again)."""
    for start in range(0, len(ids), _FEATURE_CHUNK):
        chunk = ids[start:start + _FEATURE_CHUNK]
        texts = [_lead_sentences(pool[x], cfg.screen_sentences, cfg.lead_min_words) for x in chunk]
        for x, rows in zip(chunk, _encode_groups(texts, encoder, store, batch_size)):
            leads[x] = _padded(rows, cfg.screen_sentences)


def raw_link(p: PairResult) -> ReuseLink:
    """An undirected link, stored before its group is oriented (crash-safe: it is never lost)."""
    n = len(p.alignment.pairs)
    return ReuseLink(source=p.a, target=p.b, kind=p.kind, score=round(p.alignment.share, 4), confidence=0.5,
                     directed=False, reason=f"{n} sentence(s) aligned; direction not decided yet",
                     evidence=p.rows)


# -- 4./5. groups and direction -------------------------------------------------------------------
def group_of(article_id: str, store: object) -> tuple[set[str], list[ReuseLink]]:
    """The connected reuse group of one article and all links inside it."""
    seen = {article_id}
    queue = deque([article_id])
    links: dict[tuple[str, str], ReuseLink] = {}
    while queue:
        node = queue.popleft()
        for link in store.links(node):  # type: ignore[attr-defined]
            links[(link.source, link.target)] = link
            for other in (link.source, link.target):
                if other not in seen:
                    seen.add(other)
                    queue.append(other)
    return seen, list(links.values())


def orient(touched: set[str], store: object, pool: ArticlePool, cfg: ReuseSettings) -> list[ReuseLink]:
    """Re-decide the original and every link's direction in each group that changed."""
    out: list[ReuseLink] = []
    done: set[str] = set()
    for node in sorted(touched):
        if node in done:
            continue
        members, links = group_of(node, store)
        done |= members
        articles = {m: pool[m] for m in members}
        out.extend(orient_group(articles, links, cfg))
    return out


def orient_group(articles: dict[str, Article], links: list[ReuseLink], cfg: ReuseSettings) -> list[ReuseLink]:
    """Decide one group: its original, a tree of parents, and a direction and reason per link."""
    near_dups = [(l.source, l.target, l.evidence) for l in links if _verbatim(l, articles, cfg)]
    prior = tuple(x.strip() for x in cfg.source_langs.split(",") if x.strip())
    verdict = decide(articles, near_dups, [(l.source, l.target, l.score) for l in links], prior)
    return [_directed(link, articles, verdict) for link in links]


def _verbatim(link: ReuseLink, articles: dict[str, Article], cfg: ReuseSettings) -> bool:
    """A reprint keeps most sentences word for word; two translations of one text do not.

    Only such pairs are collapsed before counting versions per language, so a human
    and a machine translation that happen to share many phrases stay two versions.
    """
    a, b = articles[link.source], articles[link.target]
    if containment(a, b, cfg.shingle_size) < cfg.copy_containment:
        return False  # (languages are not compared: shared shingles mean one text, whatever was detected)
    aligned = [r for r in link.evidence if r.op in ("same", "changed")]
    return bool(aligned) and sum(r.op == "same" for r in aligned) / len(aligned) >= cfg.verbatim_share


def _directed(link: ReuseLink, articles: dict[str, Article], verdict: Verdict) -> ReuseLink:
    a, b = link.source, link.target
    rows = link.evidence
    if verdict.parent.get(a) == b:
        a, b, rows = b, a, flip(rows)
    kind = "copy" if articles[a].lang == articles[b].lang else "translation"
    aligned = sum(1 for r in rows if r.op in ("same", "changed"))
    counts = f"{aligned} sentence(s) aligned in order"
    if verdict.parent.get(b) != a:
        lo, hi = sorted((a, b))
        if verdict.original in (a, b):
            other = b if a == verdict.original else a
            why = f"{other} derives from {verdict.original} through {verdict.parent.get(other)}"
        else:
            why = f"both are versions of {verdict.original}; neither derives from the other"
        return ReuseLink(lo, hi, kind, link.score, confidence=verdict.confidence, directed=False,
                         reason=f"{why} ({counts})",
                         evidence=rows if lo == a else flip(rows))
    if b in verdict.copy_reason:
        conf, why = verdict.copy_reason[b]
        reason = f"{b} is a reprint of {a}: {why} ({counts})"
    elif a == verdict.original:
        conf = verdict.confidence
        what = "reprint" if kind == "copy" else f"{articles[b].lang} translation"
        reason = f"{b} is a {what} of the original {a}, chosen because {verdict.reason} ({counts})"
    else:
        conf = round(verdict.confidence * 0.8, 3)
        reason = (f"{b} hangs from {a}, which is closer to the original {verdict.original} "
                  f"in this group ({counts})")
    return ReuseLink(a, b, kind, link.score, confidence=conf, directed=True, reason=reason, evidence=rows)
