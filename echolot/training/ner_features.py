"""Fitting the German/English/Russian CRF NER models and their feature groups.

The runtime side (`echolot.entities.ner`) only loads and applies what is fitted here:
lexicons (cross-fitted by sentence fold), the name list from other languages, the word
clusters (`ner/clusters.py`), the word-type prior (`ner/wordtype.py`), the genre guesser
(`ner/genre.py`), the contextual tag guesses (`ner/context.py`, `echolot.learn`) and the CRF
itself. Every fit is deterministic (fixed seeds, sorted inputs), so the documented command
rebuilds the shipped bytes (`echolot.training.ner`).
"""
from __future__ import annotations

import hashlib
import json
import logging
import math
import pickle
import shutil
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from echolot.entities.ner.clusters import PieceTable, _latin_piece, _normalise
from echolot.entities.ner.context import CONTEXT_FILE, DEFAULT_LAYERS, ContextTags, context_features
from echolot.entities.ner.crf import (
    CLUSTERS_FILE, LEXICON_FILE, META_FILE, MODEL_FILE, WORDTYPES_FILE, Lexicon, _load_clusters, base_tags,
    sentence_features,
)
from echolot.entities.ner.gazetteer import GAZETTEER_FILE, Gazetteer
from echolot.entities.ner.genre import GENRE_FILE, GenreModel
from echolot.entities.ner.wordtype import CLASSES, WordTypes, WordVectors, fold_of
from echolot.learn import fit_fold_models

log = logging.getLogger(__name__)
TaggedSentence = Sequence[tuple[str, str]]


# --- contextual word vectors and the tag-guess model ----------------------------------------

def _key(tokens: Sequence[str]) -> str:
    return hashlib.sha1("\x1f".join(tokens).encode("utf-8")).hexdigest()


class VectorCache:
    """Word vectors per sentence kept in a pickle between training runs (tuning re-trains the CRF
    many times; the encoder pass over the training files is the slow part). None path: no cache.
    Vectors are kept (and returned) rounded to float16 whether or not a file is used, so a run
    with and without a cache sees the same numbers."""

    def __init__(self, path: Path | None, layers: Sequence[int]) -> None:
        self.path = path
        self.layers = tuple(layers)
        self.data: dict[str, np.ndarray] = {}
        if path is not None and path.is_file():
            with open(path, "rb") as handle:
                stored = pickle.load(handle)
            if tuple(stored.get("layers", ())) == self.layers:
                self.data = stored["vectors"]

    def vectors(self, sentences: Sequence[Sequence[str]]) -> list[np.ndarray]:
        """Per sentence [n_words, len(layers) * 384] float32 (computed for the sentences not cached)."""
        keys = [_key(s) for s in sentences]
        todo = [i for i, k in enumerate(keys) if k not in self.data]
        if todo:
            from echolot.encoders.e5_tokens import training_states

            fresh = training_states().word_vectors([sentences[i] for i in todo], self.layers)
            for i, v in zip(todo, fresh):
                self.data[keys[i]] = v.astype(np.float16)
            self._save()
        return [self.data[k].astype(np.float32) for k in keys]

    def _save(self) -> None:
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        with open(tmp, "wb") as handle:
            pickle.dump({"layers": self.layers, "vectors": self.data}, handle, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(self.path)


def fit_context(sentences: Sequence[TaggedSentence], vectors: Sequence[np.ndarray],
                layers: Sequence[int] = DEFAULT_LAYERS, folds: int = 5, c: float = 0.3) -> ContextTags:
    """Contextual tag guesses fitted on every token of the tagged `sentences` (their `vectors` from
    `VectorCache`): one model per left-out sentence fold (index mod `folds`) and one on all."""
    labels = sorted({tag for s in sentences for _, tag in s})
    index = {label: i for i, label in enumerate(labels)}
    x = np.concatenate(vectors).astype(np.float32)
    y = np.array([index[tag] for s in sentences for _, tag in s])
    fold = np.concatenate([np.full(len(s), i % folds) for i, s in enumerate(sentences)])
    coef, bias = fit_fold_models(x, y, fold, len(labels), folds, c, max_iter=400)
    return ContextTags(coef, bias, labels, layers, folds)


# --- word clusters, word-type prior, genre --------------------------------------------------

def build_clusters(out: Path, fine: int = 1024, coarse: Sequence[int] = (32, 128), seed: int = 0) -> dict[str, int]:
    """k-means the Latin-script piece vectors into `fine` clusters, then group the centroids
    into each `coarse` size; write the centroids and the maps to `out` (npz)."""
    from sklearn.cluster import KMeans, MiniBatchKMeans

    table = PieceTable()
    ids = np.array([i for i, p in enumerate(table.pieces) if _latin_piece(p)], dtype=np.int64)
    raw = table.vectors(ids)
    mean = raw.mean(axis=0)
    data = _normalise(raw - mean)
    km = MiniBatchKMeans(n_clusters=fine, batch_size=4096, n_init=3, max_iter=60, random_state=seed)
    km.fit(data)
    centroids = _normalise(km.cluster_centers_).astype(np.float32)
    arrays: dict[str, np.ndarray] = {"centroids": centroids.astype(np.float16), "mean": mean.astype(np.float32)}
    for k in coarse:
        parent = KMeans(n_clusters=k, n_init=4, random_state=seed).fit(centroids)
        arrays[f"up{k}"] = parent.labels_.astype(np.uint16)
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out, **arrays)  # type: ignore[arg-type]
    return {"pieces_fitted": len(ids), "fine": fine, "bytes": out.stat().st_size}




def _type_counts(sentences: Sequence[Sequence[tuple[str, str]]]) -> dict[str, Counter]:
    counts: dict[str, Counter] = {}
    for sentence in sentences:
        for token, tag in sentence:
            counts.setdefault(token, Counter())[tag[2:] if tag != "O" else "O"] += 1
    return counts


def _rows(counts: dict[str, Counter]) -> tuple[list[str], list[int], list[float]]:
    """One row per (word, label) with a damped count as weight (frequent words must not drown rare names)."""
    words, labels, weights = [], [], []
    for word, ctr in counts.items():
        for label, n in ctr.items():
            if label in CLASSES:
                words.append(word)
                labels.append(CLASSES.index(label))
                weights.append(float(np.sqrt(n)))
    return words, labels, weights


def fit_word_types(target: Sequence[Sequence[tuple[str, str]]], other: Sequence[Sequence[tuple[str, str]]],
        mean: np.ndarray, folds: int = 5, c: float = 1.0) -> WordTypes:
    """Fit on word types of `target` (the language being trained, cross-fitted) and `other`."""
    from sklearn.linear_model import LogisticRegression

    vectors = WordVectors(mean)
    t_words, t_labels, t_weights = _rows(_type_counts(target))
    # of the other language only capitalised words: its lower-case words say nothing about ours
    o_counts = {w: n for w, n in _type_counts(other).items() if w[:1].isupper()}
    o_words, o_labels, o_weights = _rows(o_counts)
    xt, xo = vectors.matrix(t_words), vectors.matrix(o_words)
    t_fold = np.array([fold_of(w, folds) for w in t_words])
    coefs, biases = [], []
    for k in list(range(folds)) + [-1]:
        keep = t_fold != k
        x = np.concatenate([xt[keep], xo])
        y = np.concatenate([np.array(t_labels)[keep], np.array(o_labels, dtype=int)])
        w = np.concatenate([np.array(t_weights)[keep], np.array(o_weights)])
        model = LogisticRegression(C=c, max_iter=200).fit(x, y, sample_weight=w)
        coef = np.zeros((len(CLASSES), x.shape[1]), np.float32)
        bias = np.full(len(CLASSES), -30.0, np.float32)
        coef[model.classes_] = model.coef_
        bias[model.classes_] = model.intercept_
        coefs.append(coef)
        biases.append(bias)
    out = WordTypes(np.stack(coefs), np.stack(biases), mean, folds)
    out.vectors = vectors
    return out


def fit_genre(sentences: Sequence[Sequence[str]], genres: Sequence[str], min_count: int = 2) -> GenreModel:
    """Fit on token lists with their genre labels (words seen fewer than `min_count` times are ignored)."""
    counts: dict[str, Counter] = {}
    docs = Counter(genres)
    total: Counter = Counter()
    for tokens, genre in zip(sentences, genres):
        for tok in tokens:
            counts.setdefault(genre, Counter())[tok.lower()] += 1
    vocab: Counter[str] = Counter()
    for ctr in counts.values():
        vocab.update(ctr)
    words = [w for w, n in vocab.items() if n >= min_count]
    for genre, ctr in counts.items():
        total[genre] = sum(ctr[w] for w in words)
    size = len(words) + 1
    logp = {w: {g: round(math.log((counts[g][w] + 1) / (total[g] + size)), 3) for g in counts} for w in words}
    unseen = {g: math.log(1 / (total[g] + size)) for g in counts}
    prior = {g: math.log(n / len(genres)) for g, n in docs.items()}
    return GenreModel(prior, logp, unseen)


def cross_fitted(sentences: Sequence[Sequence[str]], genres: Sequence[str], folds: int = 5) -> list[str]:
    """Each sentence's genre guess from a model fitted without its fold (sentence index mod `folds`)."""
    out = [""] * len(sentences)
    for k in range(folds):
        model = fit_genre([s for i, s in enumerate(sentences) if i % folds != k],
                               [g for i, g in enumerate(genres) if i % folds != k])
        for i in range(k, len(sentences), folds):
            out[i] = model.predict(sentences[i])
    return out


# --- lexicon and the CRF ----------------------------------------------------------------------

def external_names(sentences: Sequence[Sequence[tuple[str, str]]], min_rate: float = 0.6) -> dict[str, list[str]]:
    """Capitalised words that are mostly inside entities in annotated text of another language.

    Only words that are entity-bound at least `min_rate` of the time are kept, so function
    words and common nouns that happen to start a name ("The", "Bank") stay out.
    """
    seen: dict[str, int] = {}
    typed: dict[str, dict[str, int]] = {}
    for sentence in sentences:
        for token, tag in sentence:
            if not token[:1].isupper() or len(token) < 2:
                continue
            key = token.lower()
            seen[key] = seen.get(key, 0) + 1
            if tag != "O":
                typed.setdefault(key, {})[tag[2:]] = typed.setdefault(key, {}).get(tag[2:], 0) + 1
    out = {}
    for key, counts in typed.items():
        if sum(counts.values()) >= min_rate * seen[key]:
            total = sum(counts.values())
            out[key] = sorted(t for t, c in counts.items() if c >= 0.3 * total)
    return out



def build_lexicon(sentences: Sequence[Sequence[tuple[str, str]]], min_count: int = 1) -> Lexicon:
    """Lexicon from tagged sentences (see `Lexicon`)."""
    types: dict[str, set[str]] = {}
    seen: dict[str, int] = {}
    inside: dict[str, int] = {}
    lower: set[str] = set()
    for sentence in sentences:
        for i, (token, tag) in enumerate(sentence):
            key = token.lower()
            seen[key] = seen.get(key, 0) + 1
            if tag != "O":
                types.setdefault(key, set()).add(tag)
                inside[key] = inside.get(key, 0) + 1
            if i > 0 and token[:1].islower():
                lower.add(key)
    rate = {k: min(4, round(4 * inside.get(k, 0) / n)) for k, n in seen.items() if n >= max(min_count, 2)}
    return Lexicon(types={k: sorted(v) for k, v in types.items() if seen[k] >= min_count},
                   lower=lower, ent_rate={k: v for k, v in rate.items() if v > 0 or k in types})



def _fold_lexicons(sentences: Sequence[Sequence[tuple[str, str]]], folds: int,
                   external: dict[str, list[str]], dictionary_lang: str | None) -> list[Lexicon]:
    """Lexicon for each sentence built WITHOUT that sentence's fold.

    Training on features computed from a lexicon that already contains the very sentence
    would teach the CRF to trust the lexicon blindly; at test time most entities are
    new, so it would over-predict. Cross-fold lexicons keep the feature honest.
    """
    buckets = [[s for i, s in enumerate(sentences) if i % folds != k] for k in range(folds)]
    lexicons = [build_lexicon(b) for b in buckets]
    for lex in lexicons:
        lex.external = external
        lex.dictionary_lang = dictionary_lang
    return [lexicons[i % folds] for i in range(len(sentences))]



def _place_genre(folder: Path, sentences: list[list[str]], genres: Sequence[str] | None) -> list[str | None]:
    """Write the genre guesser (or remove a stale one); return each training sentence's cross-fitted guess."""
    path = folder / GENRE_FILE
    if genres is None or len(set(genres)) < 2:
        if path.is_file():
            path.unlink()
        return [None] * len(sentences)
    fit_genre(sentences, genres).save(path)
    return list(cross_fitted(sentences, genres))



def _place_gazetteer(folder: Path, source: Path | None) -> Any:
    """Copy the gazetteer file into the model folder (unless it is already there) and load it."""
    target = folder / GAZETTEER_FILE
    if source is not None and source.resolve() != target.resolve():
        shutil.copyfile(source, target)
    if not target.is_file():
        raise FileNotFoundError(f"the gazetteer feature group needs {target} (python -m echolot.training.ner_gazetteer)")
    return Gazetteer.load(target)



def _drop_gazetteer(folder: Path) -> None:
    """Remove a stale gazetteer file from a model folder that no longer uses it."""
    if (folder / GAZETTEER_FILE).is_file():
        (folder / GAZETTEER_FILE).unlink()



def _place_context(folder: Path, context: Any, sentences: list[list[str]],
                   vectors: Sequence[Any] | None) -> list[list[dict[str, str]] | None]:
    """Write the contextual tag model (or remove a stale one); return each training sentence's
    cross-fitted guesses (sentence i from the model that did not see fold i % folds)."""
    path = folder / CONTEXT_FILE
    if context is None:
        if path.is_file():
            path.unlink()
        return [None] * len(sentences)
    context.save(path)
    return context_features(context, sentences, vectors, cross_fit=True)



def train(sentences: Sequence[Sequence[tuple[str, str]]], folder: Path, *, c1: float = 0.05,
          c2: float = 0.01, iterations: int = 200, folds: int = 5, base: str | None = None,
          external: dict[str, list[str]] | None = None, dictionary_lang: str | None = None,
          clusters: Path | None = None, word_types: Any = None, genres: Sequence[str] | None = None,
          extras: Sequence[str] = (), gazetteer: Path | None = None, context: Any = None,
          context_vectors: Sequence[Any] | None = None, stacked: Sequence[Any] | None = None,
          verbose: bool = False) -> dict[str, Any]:
    """Train a CRF on tagged sentences; write model.crfsuite, lexicon.json, meta.json into `folder`
    (and a copy of the `clusters` file, whose ids become features; with `genres`, one label per
    sentence such as its file name, a genre guesser whose guess becomes a feature; with `context`, a fitted
    `fit_context` model over `context_vectors` (one array per sentence, same order), written as context.npz;
    with `stacked`, each sentence's cross-fitted tuned-e5 features (`tuned.stack_features`; the folder
    must already hold the `tuned.npz` that tags at run time, and `extras` must name "tuned"))."""
    import pycrfsuite

    folder.mkdir(parents=True, exist_ok=True)
    if clusters is not None:
        if clusters.resolve() != (folder / CLUSTERS_FILE).resolve():
            shutil.copyfile(clusters, folder / CLUSTERS_FILE)
    elif (folder / CLUSTERS_FILE).is_file():
        (folder / CLUSTERS_FILE).unlink()
    word_clusters = _load_clusters(folder)
    if word_types is not None:
        word_types.save(folder / WORDTYPES_FILE)
    elif (folder / WORDTYPES_FILE).is_file():
        (folder / WORDTYPES_FILE).unlink()
    gaz = None
    if "gazetteer" in extras:
        gaz = _place_gazetteer(folder, gazetteer)
    else:
        _drop_gazetteer(folder)
    guesses = _place_genre(folder, [[t for t, _ in s] for s in sentences], genres)
    contexts = _place_context(folder, context, [[t for t, _ in s] for s in sentences], context_vectors)
    trainer = pycrfsuite.Trainer(verbose=verbose)
    bases = base_tags(base, [[t for t, _ in s] for s in sentences])
    lexicons = _fold_lexicons(sentences, folds, external or {}, dictionary_lang)
    stacks = list(stacked) if stacked is not None else [None] * len(sentences)
    for sentence, lex, btags, guess, cx, tx in zip(sentences, lexicons, bases, guesses, contexts, stacks):
        tokens = [t for t, _ in sentence]
        trainer.append(sentence_features(tokens, lex, btags, word_clusters, word_types, True, guess, frozenset(extras),
                                         gaz, cx, tx),
                       [tag for _, tag in sentence])
    trainer.set_params({"c1": c1, "c2": c2, "max_iterations": iterations,
                        "feature.possible_transitions": True})
    trainer.train(str(folder / MODEL_FILE))
    lexicon = build_lexicon(sentences)
    lexicon.external = external or {}
    lexicon.dictionary_lang = dictionary_lang
    (folder / LEXICON_FILE).write_text(json.dumps(lexicon.to_json(), ensure_ascii=False, sort_keys=True),
                                       encoding="utf-8")
    meta: dict[str, Any] = {"base": base, "c1": c1, "c2": c2, "iterations": iterations}
    if extras:
        meta["extra_features"] = sorted(extras)
    (folder / META_FILE).write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    return {"sentences": len(sentences), "c1": c1, "c2": c2, "iterations": iterations,
            "model_bytes": (folder / MODEL_FILE).stat().st_size,
            "lexicon_bytes": (folder / LEXICON_FILE).stat().st_size}
