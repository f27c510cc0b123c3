"""The entities stage: named entities per article, merged into canonical entities.

    1. NER per paragraph, in the paragraph's own language  (ner.recognize; the paragraphs of 64 articles
                                                            go to the taggers together: ner.batch)
    2. group the mentions of each article                   (local: surnames, acronyms, inflection)
    3. match each group to a known entity or create one     (matcher: folded keys, names, context)
    4. pair names through translation links                 (align: "Russia" ~ "Russland")
    5. write mentions (with entity ids), touched entities and a per-article NER status

It is incremental: stored entities are loaded once per batch, new mentions join them,
and only touched entities (plus the stored mentions of entities that were merged
away) are written back. Languages without a NER model are recorded per article as
`ner_status` annotations ({"no_ner": {"xx": paragraphs}}) and never raise.
"""
from __future__ import annotations

import logging
import sys
from collections import Counter
from dataclasses import fields
from typing import TYPE_CHECKING, Any
from collections.abc import Callable, Mapping, Sequence

from tqdm import tqdm

from echolot.entities.align import (
    Item, candidate_pairs, consistent, order_share, pair_gaps, sentence_items, written_in,
)
from echolot.entities.canonical import name_keys
from echolot.entities.index import EntityIndex, EntityRecord, known_keys, word_keys
from echolot.entities.local import Draft, Group, Recognizer, group_article, paragraph_spans, recognize_article
from echolot.entities.matcher import Matcher
from echolot.entities.translated import join_translated
from echolot.model import Article, Mention, ReuseLink
from echolot.settings import EntitiesSettings, Settings

if TYPE_CHECKING:
    from echolot.encoders.base import Encoder
    from echolot.store.base import Store

__all__ = ["MENTIONS", "NER_STATUS", "prepare", "process"]

log = logging.getLogger(__name__)
MENTIONS = "mentions"
NER_STATUS = "ner_status"
#: articles whose paragraphs go to NER together (`_prefetched`): the taggers' batches fill up, and the
#: per-word states of one call stay small
ARTICLES_PER_CALL = 64
BatchRecognizer = Callable[[Sequence[tuple[str, str | None]]], list[list[tuple[int, int, str]]]]


def _default_ner() -> tuple[Recognizer, Callable[[str | None], bool]]:
    """The NER engineer's recognizer; without it every language is reported as unsupported."""
    try:
        from echolot.entities import ner  # the NER helper's public entry points: recognize, supports
    except ImportError as exc:  # pragma: no cover - only when the NER module is missing
        log.warning("entities: NER unavailable (%s); mentions will be empty", exc)
        return (lambda text, lang: []), (lambda lang: False)
    from echolot.entities.ner.lexicon import install

    install()  # simplemma's word lists from their index on disk, not decoded in each process (same answers)
    return ner.recognize, ner.supports


def _name_encoder(name: str) -> Encoder | None:
    """The sentence encoder that compares translated names; None (the rule is skipped) when it cannot load."""
    try:
        from echolot.encoders import get_encoder

        return get_encoder(name, workers=1)
    except Exception as exc:  # a missing model must not stop the stage
        log.warning("entities: encoder %s unavailable (%s); translated names are not joined", name, exc)
        return None


Recognized = tuple[list[Draft], Counter[str]]  # one article's NER drafts and paragraphs per language without NER


def prepare(article: Article, settings: Settings, inputs: None = None) -> Recognized:
    """The per-article part of the stage (step 1 with the default NER): pure, no store, so the
    pipeline runs it in worker processes ahead of the stage (`echolot.workers`)."""
    recognizer, supports = _default_ner()
    batched = _default_batched()
    if batched is not None:  # the article's paragraphs in one tagger call per language (the same spans)
        recognizer = _prefetched([article], recognizer, supports, batched)
    return recognize_article(article, recognizer, supports)


def process(articles: list[Article], store: Store, settings: Settings, recognizer: Recognizer | None = None,
            supports: Callable[[str | None], bool] | None = None, progress: bool = True,
            prepared: Mapping[str, Recognized] | None = None) -> dict[str, int]:
    """Find and canonicalise the entities of `articles`; returns counts for the summary line.

    `prepared`: `prepare`'s result per article id, computed elsewhere (a worker process) with the
    default NER; used only when no `recognizer` is given, and the articles missing from it are
    recognised here, a chunk of them in one batched NER call."""
    if recognizer is not None or supports is not None:
        prepared = None
    batched = _default_batched() if recognizer is None else None  # only the NER module's own recognizer
    if recognizer is None or supports is None:
        default_rec, default_sup = _default_ner()
        recognizer, supports = recognizer or default_rec, supports or default_sup
    run = _Run(store, settings.entities)
    todo = [a for a in articles if not store.annotations(NER_STATUS, a.id)]
    with tqdm(total=len(todo), desc="entities", unit="art", disable=not progress or len(todo) < 20,
              file=sys.stderr) as bar:
        for a in range(0, len(todo), ARTICLES_PER_CALL):
            chunk = todo[a:a + ARTICLES_PER_CALL]
            missing = [x for x in chunk if not prepared or x.id not in prepared]
            rec = _prefetched(missing, recognizer, supports, batched) if batched and missing else recognizer
            for article in chunk:
                run.add_article(article, rec, supports, prepared.get(article.id) if prepared else None)
                bar.update()
    run.align()
    return run.save()


def _default_batched() -> BatchRecognizer | None:
    """The NER module's many-texts entry point (`ner.batch.recognize_many`) with a sentence memo for
    this call of `process` (a sentence repeated across articles is tagged once), or None without it."""
    try:
        from echolot.entities.ner.batch import SentenceMemo, recognize_many
    except ImportError:  # pragma: no cover - only when the NER module is missing
        return None
    memo: SentenceMemo = {}
    return lambda items: recognize_many(items, memo)


def _prefetched(articles: list[Article], recognizer: Recognizer, supports: Callable[[str | None], bool],
                batched: BatchRecognizer) -> Recognizer:
    """A recognizer that answers the paragraphs of `articles` from one batched NER call (one tagger
    call per language instead of one per paragraph; the same spans) and any other text as `recognizer`."""
    items: list[tuple[str, str | None]] = []
    for article in articles:
        langs = list(article.paragraph_langs)
        for index, (start, end) in enumerate(paragraph_spans(article.text)):
            lang = (langs[index] if index < len(langs) else None) or article.lang
            if lang and supports(lang):  # the paragraphs `recognize_article` will ask for
                items.append((article.text[start:end], lang))
    found = dict(zip(items, batched(items)))

    def recognize(text: str, lang: str | None) -> list[tuple[int, int, str]]:
        spans = found.get((text, lang))
        return list(spans) if spans is not None else recognizer(text, lang)

    return recognize


class _Run:
    """State of one batch: the index, the new articles' groups, and caches of stored data."""

    def __init__(self, store: Store, cfg: EntitiesSettings) -> None:
        self.store = store
        self.cfg = cfg
        self.index = EntityIndex.from_store_dicts(store.list_entities())
        self.articles: dict[str, Article | None] = {}
        self.groups: dict[str, list[Group]] = {}
        self.no_ner: dict[str, Counter[str]] = {}
        self.langs: dict[str, Counter[str]] = {}
        self._stored_mentions: dict[str, list[dict[str, Any]]] = {}
        self._links: dict[str, list[ReuseLink]] = {}
        self._items: dict[str, list[tuple[int, Item]]] = {}  # `items` between merges
        self.matcher = Matcher(self.index, cfg, self.context_of, self.linked_articles)

    # -- 1-3. one article ------------------------------------------------------------------
    def add_article(self, article: Article, recognizer: Recognizer,
                    supports: Callable[[str | None], bool], recognized: Recognized | None = None) -> None:
        drafts, no_ner = recognized if recognized is not None else recognize_article(article, recognizer, supports)
        groups = group_article(drafts, article.text, self.cfg.given_name_min_ratio, self.cfg.propagate_acronyms)
        self.articles[article.id] = article
        self.groups[article.id] = groups
        self.no_ner[article.id] = no_ner
        self.langs[article.id] = Counter(d.lang for g in groups for d in g.members if d.lang)
        self.matcher.resolve_article(article.id, groups)

    # -- context ----------------------------------------------------------------------------
    def article_entities(self, article_id: str) -> set[str]:
        """Entity ids mentioned in an article (new or stored), through merges."""
        if article_id in self.groups:
            ids = {g.entity_id for g in self.groups[article_id] if g.entity_id}
        else:
            ids = {str(m["entity_id"]) for m in self.stored_mentions(article_id) if m.get("entity_id")}
        return {self.index.resolve(i) or i for i in ids}

    def stored_mentions(self, article_id: str) -> list[dict[str, Any]]:
        if article_id not in self._stored_mentions:
            self._stored_mentions[article_id] = self.store.annotations(MENTIONS, article_id)
        return self._stored_mentions[article_id]

    def context_of(self, entity_id: str) -> set[str]:
        record = self.index.get(entity_id)
        recent = [a for a, _ in record.articles.most_common(self.cfg.context_articles)]
        out: set[str] = set()
        for article_id in recent:
            out |= self.article_entities(article_id)
        return out - {record.id}

    def links(self, article_id: str) -> list[ReuseLink]:
        if article_id not in self._links:
            try:
                self._links[article_id] = list(self.store.links(article_id))
            except Exception as exc:
                log.debug("no links for %s: %s", article_id, exc)
                self._links[article_id] = []
        return self._links[article_id]

    def linked_articles(self, article_id: str) -> set[str]:
        return {x for link in self.links(article_id) for x in (link.source, link.target)} - {article_id}

    # -- 4. translation pairs ---------------------------------------------------------------------
    def items(self, article_id: str) -> list[tuple[int, Item]]:
        """(offset, (entity id, entity type)) of every mention in reading order; kept until the next
        merge (`_apply`), the only change to the index while the stage aligns (read-only for callers)."""
        if article_id not in self._items:
            self._items[article_id] = self._read_items(article_id)
        return self._items[article_id]

    def _read_items(self, article_id: str) -> list[tuple[int, Item]]:
        if article_id in self.groups:
            raw = [(d.start, g.entity_id) for g in self.groups[article_id] for d in g.members]
        else:
            raw = [(int(m.get("start", 0)), m.get("entity_id")) for m in self.stored_mentions(article_id)]
        out = []
        for offset, entity_id in sorted((o, e) for o, e in raw if e):
            resolved = self.index.resolve(entity_id) or entity_id
            if resolved in self.index.records:
                out.append((offset, (resolved, self.index.get(resolved).type)))
        return out

    def article(self, article_id: str) -> Article | None:
        if article_id not in self.articles:
            self.articles[article_id] = self.store.get_article(article_id)
        return self.articles[article_id]

    def align(self) -> None:
        if not self.cfg.align_translations:
            return
        self._items.clear()  # the matcher changed the index since any earlier call
        seen: set[tuple[str, str]] = set()
        unlinked: list[str] = []
        for article_id in list(self.groups):
            translation_links = [link for link in self.links(article_id) if link.kind == "translation"]
            if not self.links(article_id):
                unlinked.append(article_id)
            for link in translation_links:
                pair = (link.source, link.target)
                if pair not in seen:
                    seen.add(pair)
                    self._align_link(link)
        if self.cfg.detect_pairs:
            self._align_detected(unlinked, seen)
        self._join_translated()

    def _join_translated(self) -> None:
        """Translated organisation names with no link between their articles (entities/translated.py)."""
        if not self.cfg.translated_encoder:
            return
        join_translated(self.index, set(self.index.dirty), self.article_entities, self.cfg,
                        lambda: _name_encoder(self.cfg.translated_encoder), self.store)

    def _align_link(self, link: ReuseLink) -> None:
        """Pair names sentence by sentence; repeat while merges add anchors (at most 3 rounds)."""
        src, tgt = self.article(link.source), self.article(link.target)
        if src is None or tgt is None:
            return
        rows = [r for r in link.evidence if r.a_index is not None and r.b_index is not None
                and r.a_index < len(src.sentences) and r.b_index < len(tgt.sentences)]
        for _ in range(3):
            items_a, items_b = self.items(src.id), self.items(tgt.id)
            proposals: list[tuple[str, str]] = []
            for row in rows:
                sa, sb = src.sentences[row.a_index], tgt.sentences[row.b_index]  # type: ignore[index]
                proposals += self._unwritten(pair_gaps(sentence_items(items_a, sa.start, sa.end),
                                                       sentence_items(items_b, sb.start, sb.end),
                                                       in_order=self.cfg.align_in_order),
                                             src.text[sa.start:sa.end], tgt.text[sb.start:sb.end])
            if not rows:
                a, b = [i for _, i in items_a], [i for _, i in items_b]
                if order_share(a, b) >= self.cfg.min_order_share:
                    proposals = self._unwritten(pair_gaps(a, b, max_gap=self.cfg.max_gap), src.text, tgt.text)
            if not self._apply(consistent(proposals), f"aligned in translation pair {src.id[:8]}->{tgt.id[:8]}"):
                break

    def _align_detected(self, unlinked: list[str], seen: set[tuple[str, str]]) -> None:
        """Articles with no provenance links: pair with other-language articles naming the same things in order."""
        new_items = {a: [i for _, i in self.items(a)] for a in unlinked}
        new_items = {a: items for a, items in new_items.items() if items}
        entity_articles = {r.id: r.articles for r in self.index.active()}
        for article_id, others in candidate_pairs(new_items, entity_articles, self.cfg.detect_min_shared,
                                                  self.cfg.detect_max_df).items():
            lang = self._lang(article_id)
            for other, _ in others.most_common(5):
                key = tuple(sorted((article_id, other)))
                if key in seen or self._lang(other) in (None, lang):
                    continue
                seen.add(key)  # type: ignore[arg-type]
                why = f"names in the same order in {article_id[:8]} and {other[:8]} (likely translation)"
                for _ in range(3):
                    a, b = [i for _, i in self.items(article_id)], [i for _, i in self.items(other)]
                    if order_share(a, b) < self.cfg.min_order_share:
                        break
                    texts = [(x.text if x else "") for x in (self.article(article_id), self.article(other))]
                    pairs = self._unwritten(pair_gaps(a, b, max_gap=self.cfg.max_gap), *texts)
                    if not self._apply(consistent(pairs), why):
                        break

    def _unwritten(self, pairs: list[tuple[str, str]], text_a: str, text_b: str) -> list[tuple[str, str]]:
        """Pairings whose names are not written, untagged, on the other side (align.written_in); a name
        inside the partner's own name ("Norvalair" in "Авиакомпания Norvalair") does not count."""
        out = []
        for a, b in pairs:
            names_a, names_b = list(self.index.get(a).variants), list(self.index.get(b).variants)
            alone_a = [x for x in names_a if not any(x in y for y in names_b)]
            alone_b = [y for y in names_b if not any(y in x for x in names_a)]
            if not written_in(alone_b, text_a) and not written_in(alone_a, text_b):
                out.append((a, b))
        return out

    def _lang(self, article_id: str) -> str | None:
        if self.langs.get(article_id):
            return self.langs[article_id].most_common(1)[0][0]
        langs = Counter(m.get("lang") for m in self.stored_mentions(article_id) if m.get("lang"))
        return langs.most_common(1)[0][0] if langs else None

    def _apply(self, proposals: list[tuple[str, str]], why: str) -> int:
        """Merge proposed pairs that pass the guards; returns how many merged."""
        merged = 0
        for proposed_a, proposed_b in proposals:
            a_id, b_id = self.index.resolve(proposed_a), self.index.resolve(proposed_b)
            if a_id is None or b_id is None or a_id == b_id:
                continue
            a, b = self.index.get(a_id), self.index.get(b_id)
            if set(a.articles) & set(b.articles):
                continue  # named side by side in one article: two different things
            ratio = self.cfg.given_name_min_ratio  # a translation renders a surname's vowels its own way
            if a.is_person != b.is_person or not self.index.names_compatible(a_id, b_id, ratio, ratio):
                continue
            if not a.is_person and (_part_of(a, b) or _part_of(b, a)):
                continue  # "Центральная избирательная комиссия Карска" ~ "Karsk": the tagger read a part
            if bool(known_keys(a.keys)) or bool(known_keys(b.keys)):
                # a known place or institution has its names in every language in the tables already; a
                # position in a translation pairs it with a tagger's neighbouring or partial span ("Kyiv" ~
                # "Київської області", the region), never with the thing itself: keep apart when unsure
                continue
            self.index.merge(a_id, b_id, f"{why}: {a.name} ~ {b.name}")
            merged += 1
            self._items.clear()  # resolved ids and types may change with a merge
        return merged

    # -- 5. persist ----------------------------------------------------------------------------------
    def save(self) -> dict[str, int]:
        self.index.settle_place_types()
        mentions = 0
        for article_id, groups in self.groups.items():
            records = self._mentions(article_id, groups)
            mentions += len(records)
            self.store.put_annotations(MENTIONS, article_id, records)
            status = {"langs": dict(self.langs[article_id]), "no_ner": dict(self.no_ner[article_id])}
            self.store.put_annotations(NER_STATUS, article_id, [status])
        for article_id in sorted(self.index.retired_articles - set(self.groups)):
            stored = self.store.annotations(MENTIONS, article_id)
            for record in stored:
                record["entity_id"] = self.index.resolve(record.get("entity_id"))
            self.store.put_annotations(MENTIONS, article_id, stored)
        self.store.put_entities([self.index.records[i].to_dict() for i in sorted(self.index.dirty)])
        return {"articles": len(self.groups), "mentions": mentions, "entities_touched": len(self.index.dirty)}

    def _mentions(self, article_id: str, groups: list[Group]) -> list[dict[str, Any]]:
        out = []
        for group in groups:
            entity_id = self.index.resolve(group.entity_id)
            for d in group.members:
                out.append(_mention_record(Mention(article_id=article_id, text=d.raw, type=d.vote, start=d.start,
                                                   end=d.end, lang=d.lang, entity_id=entity_id)))
        return sorted(out, key=lambda m: m["start"])


def _part_of(whole: EntityRecord, part: EntityRecord) -> bool:
    """Whether a one-word name of `part` is a word (or a declined word) of a longer name of `whole`:
    then a translation that pairs the two paired a name with the thing named inside it (a commission
    "of Karsk" and Karsk), two things."""
    singles = set()
    for variant in part.variants:
        keys = name_keys(variant)
        if not keys.multi and not keys.acronym:
            singles |= {keys.key, keys.stem_key} - {None}
    if not singles:
        return False
    for variant in whole.variants:
        keys = name_keys(variant)
        if keys.multi and any(word_keys(t) & singles for t in keys.tokens):
            return True
    return False


_MENTION_FIELDS = tuple(f.name for f in fields(Mention))


def _mention_record(mention: Mention) -> dict[str, Any]:
    """`asdict(mention)` without its recursive deep copy (every field is a str, an int or None)."""
    return {name: getattr(mention, name) for name in _MENTION_FIELDS}
