"""Every split of the shared dev sets, in one place: which items train a model, which were
consulted for decisions, and which no decision has seen.

Three parts per data set:

- ``train``: models learn from it.
- ``dev``: kept out of training but consulted while deciding (features, rules, thresholds);
  a figure on it is a *dev* figure, never reported as held out.
- ``final``: kept out of training *and* out of every decision from 2026-12-06 on. Evaluation
  commands print only aggregate figures for it; nobody reads its errors. Its figure is the one
  reported as held out.

Why the older rules stay as they were: shipped models were trained on the part each rule calls
``train``; changing a rule would silently put evaluation items into training. The ``final`` part
is therefore carved out of the old *training* part (items no decision looked at), with one hash
for every data set, and the trainers leave it out from now on.
"""
from __future__ import annotations

import hashlib
import random
import zlib
from collections.abc import Iterable, Sequence
from typing import Any, Literal

import xxhash

Part = Literal["train", "dev", "final"]

#: Share (percent) of the old training part that becomes ``final``, per data set.
FINAL_PERCENT: dict[str, int] = {"ner": 15, "quotes": 15, "stories": 30, "narratives": 15, "provenance": 30}

NER_DEV_PERCENT = 20  # sentences: sha1(space-joined tokens) % 100 < 20 (since the first NER models)
QUOTES_DEV_MODULO = 5  # articles: xxh64(id) % 5 == 0
STORIES_TUNE_SHARE = 6  # gold stories: md5(story) % 10 < 6 is "tune", the rest "held"


def bucket(dataset: str, key: str, salt: str = "") -> int:
    """0..99 from sha1 of ``dataset:salt:key``: stable across machines, runs and file order."""
    digest = hashlib.sha1(f"{dataset}:{salt}:{key}".encode()).hexdigest()
    return int(digest[:8], 16) % 100


def in_final(dataset: str, key: str) -> bool:
    """True for the items of the carve-out that becomes ``final`` (before asking the old rule)."""
    return bucket(dataset, key, "final") < FINAL_PERCENT[dataset]


# --- NER (CoNLL sentences; key = the space-joined tokens) -------------------------------------

def ner_key(tokens: Sequence[str]) -> str:
    """The key of a CoNLL sentence: its tokens joined by spaces."""
    return " ".join(tokens)


def ner_is_dev(tokens: Sequence[str], percent: int = NER_DEV_PERCENT) -> bool:
    """The old held-out rule of the NER models (consulted for decisions: a dev part)."""
    digest = hashlib.sha1(ner_key(tokens).encode("utf-8")).hexdigest()
    return int(digest[:8], 16) % 100 < percent


def ner_part(tokens: Sequence[str]) -> Part:
    """train / dev / final for one CoNLL sentence."""
    if ner_is_dev(tokens):
        return "dev"
    return "final" if in_final("ner", ner_key(tokens)) else "train"


# --- NER proxies for unseen documents (issue #14) -------------------------------------------
# The dev part above is a random *sentence* split: in files made of running text (EuroParl) the
# same debates sit on both sides of it, so it flatters models that memorise names. A proxy block
# is a contiguous run of a file's sentences (its end) that trains nothing of the models that use
# it; GermEval sentences come from independent documents, so its dev part is already such a proxy.
# Used by the German stacked tagger (`echolot.training.ner_tuned --lang de`) and its CRF.

NER_PROXY_TAIL: dict[str, int] = {"de.europarl": 700}  # the last 700 sentences (the source's dev file + 346)
NER_STACK_FOLDS = 2  # cross-fitting folds of the German tuned-e5 models


def ner_in_proxy_block(stem: str, index: int, total: int) -> bool:
    """True for sentence `index` (0-based, of `total`) of file `stem` ("de.europarl") in its proxy block."""
    return index >= total - NER_PROXY_TAIL.get(stem, 0)


def ner_fold(tokens: Sequence[str], folds: int = NER_STACK_FOLDS) -> int:
    """A sentence's cross-fitting fold (sha1 with its own salt: independent of the dev rule)."""
    return bucket("ner", ner_key(tokens), "stack-fold") % folds


# --- quotes (PolNeAR-style articles; key = article id) ----------------------------------------

def quotes_is_dev(article_id: str) -> bool:
    """The old held-out fifth of the quote taggers (consulted for decisions: a dev part)."""
    return xxhash.xxh64_intdigest(str(article_id).encode("utf-8")) % QUOTES_DEV_MODULO == 0


def quotes_is_inner(article_id: str) -> bool:
    """A split inside the training part for choosing settings without the dev fifth."""
    key = f"inner:{article_id}".encode()
    return (quotes_part(article_id) == "train"
            and xxhash.xxh64_intdigest(key) % QUOTES_DEV_MODULO == 0)


def quotes_part(article_id: str) -> Part:
    """train / dev / final for one quotes article."""
    if quotes_is_dev(article_id):
        return "dev"
    return "final" if in_final("quotes", str(article_id)) else "train"


# --- stories (whole gold stories; key = gold story id) ----------------------------------------

def stories_part(story: str, tune_share: int = STORIES_TUNE_SHARE) -> str:
    """'tune' (consulted), 'held' (reported, not tuned on) or 'final' (a carve-out of 'held'
    that no decision sees from 2026-12-06 on): whole gold stories, never split."""
    if int(hashlib.md5(story.encode("utf-8")).hexdigest(), 16) % 10 < tune_share:
        return "tune"
    return "final" if in_final("stories", story) else "held"


def stories_in_sample(story: str, share: float) -> bool:
    """A deterministic share of whole stories, independent of `stories_part` (another hash)."""
    return share >= 1.0 or int(hashlib.sha1(story.encode("utf-8")).hexdigest(), 16) % 1000 < share * 1000


# --- narratives (articles; key = article id, per language) ------------------------------------

def narratives_dev_ids(records: Iterable[dict[str, Any]], share: float) -> set[str]:
    """The old held-back ids: per language, the ``share`` of articles with the smallest xxh64."""
    by_lang: dict[str, list[str]] = {}
    for record in records:
        by_lang.setdefault(str(record.get("lang")), []).append(str(record["id"]))
    held: set[str] = set()
    for ids in by_lang.values():
        ids.sort(key=lambda i: xxhash.xxh64_hexdigest(i.encode("utf-8")))
        held.update(ids[:round(len(ids) * share)])
    return held


def narratives_final_ids(records: Iterable[dict[str, Any]], share: float) -> set[str]:
    """The ``final`` carve-out: ids outside the old held-back part whose bucket falls in it."""
    records = list(records)
    dev = narratives_dev_ids(records, share)
    return {str(r["id"]) for r in records if str(r["id"]) not in dev and in_final("narratives", str(r["id"]))}


# --- provenance (gold groups; key = group id) -------------------------------------------------

def provenance_halves(groups: Iterable[str], seed: int = 13) -> tuple[set[str], set[str]]:
    """The old two halves of the dev groups (seeded shuffle): both were consulted."""
    ordered = sorted(groups)
    random.Random(seed).shuffle(ordered)
    half = len(ordered) // 2
    return set(ordered[:half]), set(ordered[half:])


def provenance_is_final(group: str) -> bool:
    """Groups of the ``final`` part (provenance has no training; every old group was consulted,
    so this part only means something for data added after 2026-12-06 or for a fresh generated
    corpus, see docs/BENCHMARKS.md)."""
    return in_final("provenance", group)


# Direction parts of the provenance dev sets (a different rule, kept from the direction work of
# issue #13): a third of the gold groups, "held", was not looked at while the direction code was
# written; the rest is "tune". Both are dev parts now (the held third has been reported on).
def provenance_direction_part(group: str) -> str:
    """"held" for a third of the groups (crc32 of the group id % 3 == 0), else "tune"."""
    return "held" if zlib.crc32(group.encode()) % 3 == 0 else "tune"
