"""Organisation names that translate: join them by meaning, never by meaning alone.

"Lorrenian Medicines Authority", "Autoridad Lorrenia de Medicamentos" and "Лорренское
агентство лекарственных средств" share no spelling, and when the articles that name them
are not translations of each other (no provenance link, names not in the same order) the
alignment of `align.py` never sees them side by side. A multilingual sentence encoder
does see that they mean the same thing, but meaning alone also brings "Central Bank of
Karsk" close to "Bündnis Freies Karsk". So a pair joins only when every guard holds:

* both are non-person entities with a multi-word name (acronyms and one-word names
  carry too little meaning), and at least one of them is ORG;
* they were never named in one article (two names side by side are two things) and
  have no language in common (one thing has one name per language: two different German
  names are two different organisations as far as this rule can tell);
* they share context: at least `min_shared_context` other entities are co-mentioned
  with both (the same people, places, products);
* their names' own words agree: words no dictionary of their language knows ("Lorrenian",
  "Лорренское", "Карска") must share a beginning across scripts, and two names made only of
  common words ("Ministry of Defence", "Министерство обороны") name a category, never one thing;
* the cosine of their closest such names in different languages reaches `translated_min_cosine`,
  and no other candidate in the same language comes within `translated_margin` of it
  (two Russian organisations competing for one English name is a doubt, not a match).

Pairs are merged best first, and the guards are read again after each merge, so an
entity takes at most one name per language through this rule. The encoder is loaded
only when a candidate pair exists, and name vectors are cached in the store.
"""
from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from echolot.entities.canonical import fold_token, is_acronym, tokens
from echolot.entities.index import EntityIndex, EntityRecord

if TYPE_CHECKING:
    from echolot.encoders.base import Encoder
    from echolot.settings import EntitiesSettings
    from echolot.store.base import VectorStore

log = logging.getLogger(__name__)

ArticleEntities = Callable[[str], set[str]]


@dataclass(frozen=True)
class Candidate:
    """Two entities that may be one organisation under translated names."""

    a: str
    b: str
    shared: int  # co-mentioned entities in common


def names_of(record: EntityRecord) -> list[str]:
    """The multi-word, non-acronym variants that carry the meaning of a name."""
    return [v for v in record.variants if len(tokens(v)) > 1 and not is_acronym(v.replace(" ", ""))]


_KNOWN = ("geo:", "city:", "capital:", "org:", "people:")  # alias keys of things known in every language


def _eligible(record: EntityRecord) -> bool:
    """A non-person with a multi-word name that no language-free key already joins across languages."""
    return record.merged_into is None and not record.is_person and record.type in {"ORG", "MISC", "LOC"} \
        and not any(key.startswith(_KNOWN) for key in record.keys) and bool(names_of(record))


def candidates(index: EntityIndex, new_ids: Iterable[str], article_entities: ArticleEntities,
               min_shared: int, max_df: int, per_entity: int = 20) -> list[Candidate]:
    """Pairs (new entity, any entity) that share context and pass the structural guards.

    Context is read from an entity's `per_entity` articles with the most mentions, as the matcher
    reads it, and entities named in more than `max_df` articles carry no evidence, so the cost
    stays bounded however often an organisation is named."""
    out: dict[tuple[str, str], Candidate] = {}
    memo: dict[str, set[str]] = {}

    def named_in(article_id: str) -> set[str]:
        if article_id not in memo:
            memo[article_id] = article_entities(article_id)
        return memo[article_id]

    for entity_id in sorted(set(new_ids)):
        record = index.get(entity_id)
        if not _eligible(record):
            continue
        context: set[str] = set()
        for article_id, _ in record.articles.most_common(per_entity):
            context |= named_in(article_id)
        context -= {record.id}
        support: Counter[str] = Counter()
        for other_ctx in context:
            holder = index.get(other_ctx)
            if len(holder.articles) > max_df:
                continue
            near: set[str] = set()
            for article_id in holder.articles:
                near |= named_in(article_id)
            for found in near - {record.id, holder.id}:
                support[found] += 1
        for other_id, shared in support.items():
            if shared < min_shared:
                continue
            other = index.get(other_id)
            if other.id == record.id or not _eligible(other) or not compatible(record, other):
                continue
            key = (min(record.id, other.id), max(record.id, other.id))
            out.setdefault(key, Candidate(key[0], key[1], shared))
    return sorted(out.values(), key=lambda c: (c.a, c.b))


def name_langs(record: EntityRecord) -> set[str]:
    """Languages the entity's multi-word names were read in (all its languages for records stored
    before variant languages were kept). An acronym or a one-word name says little about the name."""
    langs: set[str] = set()
    for name in names_of(record):
        if name not in record.variant_langs:
            return set(record.langs)
        langs |= record.variant_langs[name]
    return langs


def compatible(a: EntityRecord, b: EntityRecord) -> bool:
    """Structural guards: at least one ORG, never in one article, no name language in common."""
    if a.is_person or b.is_person or "ORG" not in {a.type, b.type}:
        return False
    if set(a.articles) & set(b.articles):
        return False
    mine, theirs = name_langs(a), name_langs(b)
    return bool(mine) and bool(theirs) and not (mine & theirs)


_MIN_SHARED_PREFIX = 4  # Lorren|ian ~ Lorren|ское, Dravi|an ~ Dravi|и, Karsk ~ Карска


@lru_cache(maxsize=65536)
def _known(word: str, lang: str) -> bool:
    """Whether simplemma's word list of `lang` knows the word: a common word, not a name's own."""
    import simplemma

    try:
        return bool(simplemma.is_known(word, lang.split("-")[0]))
    except ValueError:  # a language simplemma has no data for: every word counts as a name's own
        return False


def own_words(name: str, langs: Iterable[str]) -> set[str]:
    """Folded words of a name that no language it was read in knows: "Lorrenian", "Карска", "Velgrad"."""
    langs = sorted(set(langs)) or ["en"]
    return {fold_token(t) for t in tokens(name)
            if len(t) >= 3 and not any(_known(t.lower(), lang) for lang in langs)} - {""}


def anchors_agree(mine: set[str], theirs: set[str]) -> bool:
    """Two names that only say what kind of thing they are ("Ministry of Defence", "Министерство
    обороны") name a category, not one organisation; two names with words of their own must share
    one, read across scripts ("Ministry of Defence of Norvalen" is not "... of Morvenia")."""
    if not mine and not theirs:
        return False
    if not mine or not theirs:
        return True
    return any(_prefix(a, b) >= min(_MIN_SHARED_PREFIX, len(a), len(b)) for a in mine for b in theirs)


def one_word_apart(a: str, b: str) -> bool:
    """Two names with as many words that are the same word for word but one ("The Washington Post" / "The
    Washington Times", "Bank of England" / "Bank of France"): a translation rewords a name, so these are two
    names of one pattern, two things, whatever the articles' languages (an English name in a Bulgarian text)."""
    left, right = a.casefold().split(), b.casefold().split()
    return len(left) == len(right) >= 2 and sum(x != y for x, y in zip(left, right)) == 1


def _prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


def _best_pair(a: EntityRecord, b: EntityRecord, vectors: dict[str, np.ndarray]) -> tuple[float, str, str]:
    """The closest two names of `a` and `b` whose own words agree (their languages differ: `compatible`
    saw to that)."""
    best = (-1.0, "", "")
    for x in names_of(a):
        for y in names_of(b):
            if one_word_apart(x, y):
                continue
            if x not in vectors or y not in vectors or not anchors_agree(
                    own_words(x, a.variant_langs.get(x) or a.langs), own_words(y, b.variant_langs.get(y) or b.langs)):
                continue
            score = float(vectors[x] @ vectors[y])
            if score > best[0]:
                best = (score, x, y)
    return best


def join_translated(index: EntityIndex, new_ids: Iterable[str], article_entities: ArticleEntities,
                    cfg: EntitiesSettings, encoder: Callable[[], Encoder | None],
                    store: VectorStore | None = None) -> int:
    """Merge translated organisation names (module docstring); returns how many merged."""
    pairs = candidates(index, new_ids, article_entities, cfg.min_shared_context, cfg.detect_max_df,
                       cfg.context_articles)
    if not pairs:
        return 0
    model = encoder()
    if model is None:
        return 0
    from echolot.encoders import encode_cached

    texts = sorted({n for c in pairs for r in (c.a, c.b) for n in names_of(index.get(r))})
    matrix = encode_cached(texts, model, store)
    matrix = matrix / np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-9)
    vectors = dict(zip(texts, matrix))
    scored: list[tuple[float, Candidate, str, str]] = []
    for cand in pairs:
        score, x, y = _best_pair(index.get(cand.a), index.get(cand.b), vectors)
        if score >= cfg.translated_min_cosine:
            scored.append((score, cand, x, y))
    merged = 0
    for score, cand, x, y in sorted(scored, key=lambda s: (-s[0], s[1].a, s[1].b)):
        a_id, b_id = index.resolve(cand.a), index.resolve(cand.b)
        if a_id is None or b_id is None or a_id == b_id:
            continue
        if not compatible(index.get(a_id), index.get(b_id)):
            continue  # an earlier merge gave one side a name in the other's language
        if _rival(index, scored, a_id, b_id, score - cfg.translated_margin):
            continue
        index.merge(a_id, b_id, f"translated name, same context ({cand.shared} shared entities,"
                                f" cosine {score:.2f}): {x} ~ {y}")
        merged += 1
    return merged


def _rival(index: EntityIndex, scored: list[tuple[float, Candidate, str, str]], a_id: str, b_id: str,
           floor: float) -> bool:
    """Whether another entity with a name in the partner's language comes within the margin.

    Read against the entities as merged so far: pairs are taken best first, so a rival that
    has since become part of the same entity is no rival any more.
    """
    for score, cand, _, _ in scored:
        if score <= floor:
            continue
        ends = {index.resolve(cand.a), index.resolve(cand.b)}
        for me, partner in ((a_id, b_id), (b_id, a_id)):
            if me not in ends:
                continue
            other = (ends - {me}).pop() if len(ends) == 2 else None
            if other is None or other in (me, partner):
                continue
            if name_langs(index.get(other)) & name_langs(index.get(partner)):
                return True
    return False
