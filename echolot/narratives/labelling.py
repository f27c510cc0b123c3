"""Article-level narrative labels: the trained model where it knows the label, the catalog
matcher (zero-shot) where it does not, one label set per translation/copy group.

* `load_model` finds the supervised model (settings.narratives.model, else the shipped
  `models/narratives.npz`; "none" switches it off).
* `label_records` labels raw {id, title, text} records against a catalog: labels the
  model was trained on come from the model, the catalog's other narratives (a user's
  own catalog) from `zeroshot.label_article`, so a catalog without training data still
  works and a catalog that reuses the taxonomy's labels gets the trained model.
* `groups` / `unify`: articles joined by reuse links (translations, copies) share one
  label set, decided once from their averaged probabilities: the same text in two
  languages gets the same narratives, whatever each language's words weigh.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any
from collections.abc import Iterable, Sequence

import numpy as np

from echolot.narratives.supervised import MODEL_PATH, OTHER, NarrativeModel
from echolot.settings import Settings

if TYPE_CHECKING:
    from echolot.narratives.catalog import Catalog
    from echolot.store.base import Store

def load_model(settings: Settings) -> NarrativeModel | None:
    """The configured supervised model; None when switched off ("none") or not trained."""
    name = settings.narratives.model
    if name.strip().lower() == "none":
        return None
    path = Path(name) if name else MODEL_PATH
    if not path.is_file():
        if name:
            raise FileNotFoundError(f"narrative model not found: {path} (train it with scripts/train_narratives.py)")
        return None
    return NarrativeModel.load(path)


def groups(ids: Sequence[str], links: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Article id -> smallest id of its connected component (union-find over the links)."""
    parent = {i: i for i in ids}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in links:
        if a in parent and b in parent:
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    return {i: find(i) for i in ids}


def unify(p: np.ndarray, q: np.ndarray, ids: Sequence[str], component: dict[str, str]) -> tuple[np.ndarray, np.ndarray]:
    """Each article's probabilities replaced by the mean over its link component."""
    p_out, q_out = p.copy(), q.copy()
    members: dict[str, list[int]] = {}
    for i, article_id in enumerate(ids):
        members.setdefault(component.get(article_id, article_id), []).append(i)
    for rows in members.values():
        if len(rows) > 1:
            p_out[rows] = p[rows].mean(axis=0)
            q_out[rows] = q[rows].mean(axis=0)
    return p_out, q_out


def _catalog_labels(catalog: Catalog) -> tuple[set[str], set[str]]:
    roots = {n.display_label for n in catalog.narratives}
    subs = {s.display_label for n in catalog.narratives for s in n.subnarratives}
    return roots, subs


def label_records(records: Sequence[dict[str, Any]], catalog: Catalog, settings: Settings, cache: Store | None = None,
                  links: Iterable[tuple[str, str]] = (), model: NarrativeModel | None = None,
                  use_model: bool = True) -> list[dict[str, Any]]:
    """{"id", "narratives", "subnarratives", "method"} per record (scorer format plus the method)."""
    model = model if model is not None else (load_model(settings) if use_model else None)
    roots, subs = _catalog_labels(catalog)
    known = set(model.labels) & roots if model else set()
    ids = [str(r["id"]) for r in records]
    component = groups(ids, links)
    supervised: list[tuple[list[str], list[str]]] = [([], []) for _ in records]
    if known and model is not None:
        emb, txt = model.features(records, cache)
        p, q = model.probabilities(emb, txt)
        p, q = unify(p, q, ids, component)
        keep = np.array([lab in known for lab in model.labels])
        p = np.where(keep[None, :], p, 0.0)
        sub_keep = np.array([lab in subs for lab in model.sublabels]) if model.sublabels else np.zeros(0, bool)
        q = np.where(sub_keep[None, :], q, 0.0) if model.sublabels else q
        supervised = model.decide(p, q)
    unknown = roots - known
    zero: list[tuple[list[str], list[str]]] = [([], []) for _ in records]
    if unknown:
        zero = _zero_shot(records, catalog, settings, cache, unknown, component, ids)
    out = []
    for record, (sn, ss), (zn, zs) in zip(records, supervised, zero):
        narratives = [n for n in sn if n != OTHER] + [n for n in zn if n != OTHER and n not in sn]
        subnarratives = [s for s in ss if s != OTHER] + [s for s in zs if s != OTHER and s not in ss]
        method = "model" if known and not unknown else ("catalog" if not known else "model+catalog")
        out.append({"id": record["id"], "narratives": narratives or [OTHER],
                    "subnarratives": subnarratives or [OTHER], "method": method})
    return out


def _zero_shot(records: Sequence[dict[str, Any]], catalog: Catalog, settings: Settings, cache: Store | None,
               unknown: set[str], component: dict[str, str], ids: Sequence[str]) -> list[tuple[list[str], list[str]]]:
    """Zero-shot labels restricted to the catalog narratives the model does not know; one set per link group
    (the set most members got; ties: the smallest id's)."""
    from echolot.encoders import encode_cached, get_encoder
    from echolot.narratives.zeroshot import article_texts, build_label_index, label_article

    cfg = settings.narratives
    encoder = get_encoder(cfg.encoder or settings.encoder.backend)
    index = build_label_index(catalog, encoder, cache)
    raw = []
    for record in records:
        vectors = encode_cached(article_texts(record.get("title"), record.get("text") or ""), encoder, cache)
        narratives, subs, _ = label_article(vectors, index, cfg.zero_shot_threshold, cfg.zero_shot_sub_threshold,
                                            cfg.zero_shot_max, cfg.zero_shot_relative)
        kept = [n for n in narratives if n in unknown]
        raw.append((kept, [s for s in subs if any(s.startswith(n + ":") for n in kept)]))
    by_group: dict[str, list[int]] = {}
    for i, article_id in enumerate(ids):
        by_group.setdefault(component.get(article_id, article_id), []).append(i)
    out = list(raw)
    for rows in by_group.values():
        if len(rows) > 1:
            counts = Counter(tuple(raw[i][0]) for i in rows)
            best = max(counts.values())
            pick = next(i for i in sorted(rows, key=lambda i: ids[i]) if counts[tuple(raw[i][0])] == best)
            for i in rows:
                out[i] = raw[pick]
    return out
