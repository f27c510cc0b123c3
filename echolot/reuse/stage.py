"""The reuse stage: link new articles against the store, orient the groups they touch, persist.

    1. features      per new article: MinHash of shingles, rare anchors, lead vector (`features`)
    2. candidates    LSH + language-centred ANN + shared anchors, against the whole store (`index`)
    3. verify        same-language near-duplicates: text alignment (kind "copy");
                     everything else: the lead screen (`screen`), then margin-scored
                     sentence alignment (`align`); an article in the wide encoder's space
                     that nothing linked gets its best parallel candidate (`rescue_unlinked`)
    4. groups        connected components of verified links
    5. direction     original of each touched group, a tree, a reason per link (`direction`)
    6. persist       store.put_links (re-oriented links replace the old ones)

`process(articles, store, settings)` takes only the new articles; the store holds
the old ones and their features, so linking stays incremental. Which encoder reads
which article is decided in `encoding`.
"""
from __future__ import annotations

import sys
from collections import deque
from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np
from tqdm import tqdm

from echolot.encoders import Encoder
from echolot.model import Article, ReuseLink
from echolot.reuse import encoding
from echolot.reuse.align import PairResult, align_chunk, evidence, local_order, rescue_unlinked, text_align
from echolot.reuse.clock import StageClock, TimedEncoder
from echolot.reuse.direction import orient_group
from echolot.reuse.features import (Pool, article_features, contained, sentence_texts, shingle_hashes,
                                    stored_features)
from echolot.reuse.index import CandidateIndex
from echolot.reuse.screen import screen
from echolot.settings import ReuseSettings, Settings

if TYPE_CHECKING:
    from echolot.store.base import Store


class ArticlePool:
    """New articles in memory, older ones fetched from the store on demand."""

    def __init__(self, store: Store, articles: list[Article]) -> None:
        self.store = store
        self.cache = {a.id: a for a in articles}

    def __getitem__(self, article_id: str) -> Article:
        if article_id not in self.cache:
            article = self.store.get_article(article_id)
            if article is None:
                raise KeyError(f"article {article_id} is linked but not in the store")
            self.cache[article_id] = article
        return self.cache[article_id]


def timed_encoders(settings: Settings, clock: StageClock) -> encoding.Encoders:
    """The stage's encoders, each reporting its calls to `clock` (stage "encode")."""
    loaded = encoding.load(settings)
    wide = None if loaded.wide is None else TimedEncoder(loaded.wide, clock)
    return encoding.Encoders(TimedEncoder(loaded.main, clock), wide, loaded.reads)


def process(articles: list[Article], store: Store, settings: Settings,
            progress: bool = False, clock: StageClock | None = None) -> list[ReuseLink]:
    """Link new `articles` against everything stored; persist and return the oriented links.

    `clock`, when given, receives wall/CPU seconds per stage and counters (the benchmark reads it).
    """
    if not articles:
        return []
    clock = clock or StageClock()
    cfg = settings.reuse
    encoders = timed_encoders(settings, clock)
    leads: dict[str, np.ndarray] = {}  # screen vectors per article, filled by features, loaded for old ones
    wide_leads: dict[str, np.ndarray] = {}  # the same from the wide encoder
    with clock.stage("features"):
        new = article_features(articles, store, encoders, cfg, settings.encoder.batch_size, leads, wide_leads,
                               progress=progress)
    clock.count("wide_articles", sum(f.wide is not None for f in new))
    new_ids = {f.id for f in new}
    with clock.stage("candidates"):
        old = stored_features(store, new_ids, cfg)
        index = CandidateIndex(old + new, cfg)
        proposals = index.candidates([f.id for f in new])
    if progress:
        print(f"reuse: {len(proposals)} candidate pairs among {len(old) + len(new)} articles", file=sys.stderr)
    clock.count("articles_indexed", len(old) + len(new))
    clock.count("candidate_pairs", len(proposals))
    pool = ArticlePool(store, articles)
    with clock.stage("verify"):
        verified = verify_pairs(proposals, pool, store, encoders, cfg, settings.encoder.batch_size, progress, clock,
                                leads, wide_leads, {f.id: f.anchors for f in index.features},
                                frozenset(f.id for f in old))
    clock.count("verified_pairs", len(verified))
    with clock.stage("orient"):
        store.put_links([raw_link(p) for p in verified])
        touched = {p.a for p in verified} | {p.b for p in verified}
        if progress:
            print(f"reuse: {len(verified)} links; orienting the groups of {len(touched)} articles", file=sys.stderr)
        links = orient(touched, store, pool, cfg)
        store.put_links(links)
    return links


def verify_pairs(proposals: dict[tuple[str, str], set[str]], pool: Pool, store: Store,
                 encoders: encoding.Encoders | Encoder | None, cfg: ReuseSettings, batch_size: int, progress: bool,
                 clock: StageClock | None = None, leads: dict[str, np.ndarray] | None = None,
                 wide_leads: dict[str, np.ndarray] | None = None,
                 anchors_of: Mapping[str, set[str]] | None = None,
                 older: frozenset[str] = frozenset()) -> list[PairResult]:
    """Near-duplicates are aligned on their text; every other pair passes the lead screen,
    and only then are all sentences of its two articles embedded and margin-aligned.
    (`encoders` may be one encoder, used for every language, or None when only copies are verified;
    `anchors_of`: each article's anchors as its features hold them, so the screen does not recompute them;
    `older`: the stored articles of earlier runs, which the rescue treats as settled: `rescue_unlinked`.)"""
    clock = clock or StageClock()
    encoders = encoding.as_encoders(encoders)
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
    if progress:
        print(f"reuse: {len(proposals) - len(semantic)} copies; screening {len(semantic)} pairs", file=sys.stderr)
    with clock.stage("screen"):  # its encoding (partners' lead sentences) is booked as "encode@screen"
        semantic = screen(semantic, pool, store, encoders, cfg, batch_size, {} if leads is None else leads,
                          wide_leads, anchors_of)
    clock.count("screened_pairs", len(semantic))
    if not semantic:
        return results
    n_articles = len({x for pair in semantic for x in pair})
    clock.count("aligned_articles", n_articles)
    if progress:
        print(f"reuse: aligning {len(semantic)} pairs of {n_articles} candidate articles", file=sys.stderr)
    bar = tqdm(total=len(semantic), desc="align", unit="pair", disable=not progress, file=sys.stderr)
    semantic = local_order(semantic)
    for start in range(0, len(semantic), cfg.align_chunk):
        chunk = semantic[start:start + cfg.align_chunk]
        results.extend(align_chunk(chunk, pool, store, encoders, cfg, batch_size, clock))
        bar.update(len(chunk))
    bar.close()
    with clock.stage("rescue"):
        known = [(p.a, p.b) for p in results]
        # stored links only where a rescue can run: without a wide encoder `store` may be a vector cache
        # with no links (the Spark job's tasks align main-space pairs through this function)
        if encoders.wide is not None and cfg.wide_lift > 0:
            known += stored_links(store, semantic)
        rescued = rescue_unlinked(semantic, known, pool, store, encoders, cfg, batch_size, older)
    clock.count("rescued_pairs", len(rescued))
    return results + rescued


def stored_links(store: Store, pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The links already stored (by earlier runs) that touch an article of `pairs`.

    The rescue links an article that no link reached; in an incremental run (the pipeline hands
    the stage a batch at a time) an older article linked by an earlier batch is reached too, and
    its group holds those links. Without them such an article counted as unlinked and was rescued
    again, to a partner of a later batch (generated corpus at 3k in batches of 1,000: most of the
    links that a single run over all 3,000 did not make, and wrong; docs/spark.md)."""
    ids = sorted({x for pair in pairs for x in pair})
    return [(link.source, link.target) for x in ids for link in store.links(x)]


def raw_link(p: PairResult) -> ReuseLink:
    """An undirected link, stored before its group is oriented (crash-safe: it is never lost)."""
    n = len(p.alignment.pairs)
    return ReuseLink(source=p.a, target=p.b, kind=p.kind, score=round(p.alignment.share, 4), confidence=0.5,
                     directed=False, reason=f"{n} sentence(s) aligned; direction not decided yet",
                     evidence=p.rows)


def group_of(article_id: str, store: Store) -> tuple[set[str], list[ReuseLink]]:
    """The connected reuse group of one article and all links inside it."""
    seen = {article_id}
    queue = deque([article_id])
    links: dict[tuple[str, str], ReuseLink] = {}
    while queue:
        node = queue.popleft()
        for link in store.links(node):
            links[(link.source, link.target)] = link
            for other in (link.source, link.target):
                if other not in seen:
                    seen.add(other)
                    queue.append(other)
    return seen, list(links.values())


def orient(touched: set[str], store: Store, pool: ArticlePool, cfg: ReuseSettings) -> list[ReuseLink]:
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
