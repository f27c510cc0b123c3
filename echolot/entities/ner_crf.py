"""A linear-chain CRF tagger (python-crfsuite) with hand-made features and a small lexicon.

Why a CRF: it trains in minutes on two CPU cores and ships as a few MB. Its features:
word shape, affixes, capitalisation in context, a lexicon learned from the training data
(which types a word took inside entities, and whether it is also seen in lower case, i.e.
is probably a common word; stored next to the model as JSON), and, per model folder,
optional groups: base-tagger tags (en, ru), word clusters, a word-type prior, a genre guess,
name lists and contextual tag guesses from multilingual-e5 word vectors (de).
"""
from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

MODEL_FILE = "model.crfsuite"
CLUSTERS_FILE = "clusters.npz"  # optional: word clusters (see ner_clusters.py), German only so far
WORDTYPES_FILE = "wordtypes.npz"  # optional: word-type prior over word vectors (ner_wordtype.py)
LEXICON_FILE = "lexicon.json"
META_FILE = "meta.json"
BASES = ("spacy", "natasha")

_NON_ALNUM = re.compile(r"[^\w]", re.UNICODE)


@dataclass
class Lexicon:
    """What the training data says about a word, beyond the word itself.

    `types`: lower-cased word -> entity types (with B/I position) it was seen with;
    `lower`: words seen in lower case (a capitalised form of one is likely a common word);
    `ent_rate`: lower-cased word -> share of its occurrences inside an entity, bucketed;
    `external`: names from annotated data of OTHER languages (word -> types); names travel
    across languages, so English CoNLL teaches a German model that "Toyota" is an ORG.
    """

    types: dict[str, list[str]] = field(default_factory=dict)
    lower: set[str] = field(default_factory=set)
    ent_rate: dict[str, int] = field(default_factory=dict)
    external: dict[str, list[str]] = field(default_factory=dict)
    dictionary_lang: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"types": self.types, "lower": sorted(self.lower), "ent_rate": self.ent_rate,
                "external": self.external, "dictionary_lang": self.dictionary_lang}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Lexicon:
        return cls(types=data.get("types", {}), lower=set(data.get("lower", [])),
                   ent_rate={k: int(v) for k, v in data.get("ent_rate", {}).items()},
                   external=data.get("external", {}), dictionary_lang=data.get("dictionary_lang"))

    def known(self, token: str) -> str:
        """Is the word form in simplemma's word list: 'n' no, 'y' as is, 'i' an inflected form.

        German capitalises every noun, so capitals say little; a capitalised form that a
        general word list does not know (or knows only as an inflection of another lemma)
        is the cheapest outside hint whether it is a name.
        """
        if not self.dictionary_lang:
            return "-"
        lemma = _word_list(self.dictionary_lang).get(token)
        if lemma is None:
            return "n"
        return "y" if lemma == token else "i"


@lru_cache(maxsize=4)
def _word_list(lang: str) -> Any:
    """simplemma's form -> lemma mapping (Wiktionary-derived, ships with the package)."""
    from simplemma.strategies.dictionaries.dictionary_factory import DefaultDictionaryFactory

    return DefaultDictionaryFactory().get_dictionary(lang)


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


def shape(token: str) -> str:
    """Xxxx-style shape with runs collapsed ("Merkel" -> "Xx", "EU-27" -> "X-d")."""
    out = []
    for ch in token:
        c = "X" if ch.isupper() else "x" if ch.isalpha() else "d" if ch.isdigit() else ch
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out)[:6]


def _token_features(token: str, lex: Lexicon) -> dict[str, Any]:
    low = token.lower()
    feats: dict[str, Any] = {
        "w": low,
        "sh": shape(token),
        "p2": low[:2], "p3": low[:3], "p4": low[:4],
        "s2": low[-2:], "s3": low[-3:], "s4": low[-4:],
        "title": token[:1].isupper(),
        "upper": token.isupper() and len(token) > 1,
        "len": min(len(token), 12) // 3,
        "lowseen": low in lex.lower,
        "kn": lex.known(token),
    }
    for tag in lex.types.get(low, ()):
        feats["gz=" + tag] = True
    for typ in lex.external.get(low, ()):
        feats["xg=" + typ] = True
    stem = _genitive_stem(low)
    if stem:
        for tag in lex.types.get(stem, ()):
            feats["gzs=" + tag] = True
        for typ in lex.external.get(stem, ()):
            feats["xgs=" + typ] = True
    feats["er"] = lex.ent_rate.get(low, -1)
    if "-" in token:
        head, tail = token.rsplit("-", 1)
        feats["hy_tail"] = tail.lower()
        feats["hy_head"] = head.lower()
    return feats


def _genitive_stem(low: str) -> str | None:
    """'luthers' -> 'luther', 'griechenlandes' -> 'griechenland': names in the genitive
    (German, also English possessives split off as "'s") should inherit what the lexicon
    knows about the bare name."""
    if len(low) > 4 and low.endswith("es"):
        return low[:-2]
    if len(low) > 3 and low.endswith("s") and not low.endswith("ss"):
        return low[:-1]
    return None


def _context_features(token: str, lex: Lexicon) -> dict[str, Any]:
    low = token.lower()
    feats: dict[str, Any] = {"w": low, "sh": shape(token), "title": token[:1].isupper(),
                             "lowseen": low in lex.lower, "er": lex.ent_rate.get(low, -1), "s3": low[-3:],
                             "kn": lex.known(token)}
    for typ in lex.external.get(low, ()):
        feats["xg=" + typ] = True
    return feats


def base_tags(base: str | None, sentences: Sequence[Sequence[str]]) -> list[list[str] | None]:
    """BIO tags of a pretrained tagger, used as features ("stacking"); None without a base.

    The pretrained models follow other annotation guidelines (OntoNotes, natasha's news
    corpus); the CRF learns where to trust them and where the target guidelines differ.
    """
    if base is None:
        return [None] * len(sentences)
    if base == "spacy":
        from echolot.entities import ner_spacy
        from echolot.entities.ner_tokens import spans_to_bio

        spans = ner_spacy.recognize_token_spans([list(s) for s in sentences], raw_labels=True)
        return [spans_to_bio(len(s), sp) for s, sp in zip(sentences, spans)]
    if base == "natasha":
        from echolot.entities import ner_natasha

        return list(ner_natasha.recognize_bio(sentences))
    raise ValueError(f"unknown base tagger {base!r} (choose from {', '.join(BASES)})")


def _base_features(feats: dict[str, Any], base: Sequence[str], i: int) -> None:
    n = len(base)
    feats["bt"] = base[i]
    feats["bty"] = base[i][2:] if base[i] != "O" else "O"
    for d in (-1, 1):
        if 0 <= i + d < n:
            feats[f"{d}:bt"] = base[i + d]
    if i + 1 < n:
        feats["bt|bt+1"] = base[i] + "|" + base[i + 1]


def _cluster_features(own: list[dict[str, Any]], ctx: list[dict[str, Any]], tokens: Sequence[str],
                      clusters: Any) -> None:
    """Add each word's cluster ids (all levels) to its own features, the coarser ones to the
    window features: a word's neighbours' kind ("a verb of saying", "a month") is a cue too."""
    clusters.prepare(tokens)
    for i, token in enumerate(tokens):
        ids = clusters.ids(token)
        for level, cid in ids.items():
            own[i][level] = cid
            if level != f"c{clusters.fine}":
                ctx[i][level] = cid
        if token[:1].isupper() and ids:
            own[i]["Tc"] = ids.get(f"c{clusters.fine}", "")


def _word_type_features(own: list[dict[str, Any]], ctx: list[dict[str, Any]], tokens: Sequence[str],
                        word_types: Any, cross_fit: bool) -> None:
    """The word-type prior (ner_wordtype.py) of each word; the neighbours' most likely class."""
    for i, feats in enumerate(word_types.features(tokens, cross_fit)):
        own[i].update(feats)
        if "wt" in feats:
            ctx[i]["wt"] = feats["wt"]


_GENRE_KEYS = ("w", "s3", "sh", "title", "kn", "wt", "er")


def _genre_features(own: list[dict[str, Any]], genre: str) -> None:
    """Conjoin a few token features with the sentence's genre guess (ner_genre.py), so the CRF can
    keep apart the annotation conventions of the training files (e.g. "irische": MISC in EuroParl, O in GermEval)."""
    for feats in own:
        feats["g"] = genre
        for key in _GENRE_KEYS:
            if key in feats:
                feats[f"g|{key}"] = f"{genre}|{feats[key]}"
        for key in [k for k in feats if k.startswith("gz=")]:
            feats[f"g|{key}"] = genre


_QUOTES = frozenset('"„“”‚‘’«»‹›')
EXTRAS = ("quotes", "position", "gazetteer")  # optional feature groups a model's meta.json can switch on


def _extra_features(own: list[dict[str, Any]], tokens: Sequence[str], lex: Lexicon, extras: frozenset[str]) -> None:
    """Optional groups. `quotes`: inside a quotation / right after an opening mark (titles of works,
    MISC in both German sets). `position`: capitalised mid-sentence vs. at the start, where a
    capital says nothing, plus whether the lower-cased first word is a known word."""
    inside = False
    for i, token in enumerate(tokens):
        feats = own[i]
        if "quotes" in extras:
            if token in _QUOTES:
                inside = not inside
            elif inside:
                feats["inq"] = True
                if i > 0 and tokens[i - 1] in _QUOTES:
                    feats["qopen"] = True
        if "position" in extras and token[:1].isupper():
            if i == 0:
                feats["kn0"] = lex.known(token.lower())
            else:
                feats["tmid"] = True


def sentence_features(tokens: Sequence[str], lex: Lexicon, base: Sequence[str] | None = None,
                      clusters: Any = None, word_types: Any = None, cross_fit: bool = False,
                      genre: str | None = None, extras: frozenset[str] = frozenset(),
                      gazetteer: Any = None, context: Sequence[dict[str, str]] | None = None) -> list[dict[str, Any]]:
    """crfsuite feature dicts for each token: its own features plus a +-2 window (+ base tags,
    + word clusters and the word-type prior when the model has them; `cross_fit` while training;
    + genre conjunctions when the model has a genre guesser; + name-list features (ner_gazetteer.py)
    when the model has a gazetteer; + contextual tag guesses (ner_context.py), one dict per token)."""
    own = [_token_features(t, lex) for t in tokens]
    ctx = [_context_features(t, lex) for t in tokens]
    if context is not None:
        for i, feats in enumerate(context):
            own[i].update(feats)
            ctx[i]["cx"] = feats["cx"]
    if clusters is not None and tokens:
        _cluster_features(own, ctx, tokens, clusters)
    if word_types is not None and tokens:
        _word_type_features(own, ctx, tokens, word_types, cross_fit)
    if extras:
        _extra_features(own, tokens, lex, extras)
    if gazetteer is not None and tokens:
        from echolot.entities.ner_gazetteer import gazetteer_features

        gazetteer_features(own, ctx, tokens, gazetteer)
    if genre is not None:
        _genre_features(own, genre)
    out = []
    n = len(tokens)
    for i in range(n):
        feats = dict(own[i])
        feats["bias"] = 1.0
        if i == 0:
            feats["BOS"] = True
        if i == n - 1:
            feats["EOS"] = True
        for d in (-2, -1, 1, 2):
            j = i + d
            if 0 <= j < n:
                for k, v in ctx[j].items():
                    feats[f"{d}:{k}"] = v
        if i > 0:
            feats["bi-1"] = ctx[i - 1]["w"] + "|" + own[i]["w"]
        if i + 1 < n:
            feats["bi+1"] = own[i]["w"] + "|" + ctx[i + 1]["w"]
        if base is not None:
            _base_features(feats, base, i)
        out.append(_stringify(feats))
    return out


def _stringify(feats: dict[str, Any]) -> dict[str, Any]:
    """crfsuite takes str -> float or str -> str; booleans become presence features."""
    clean: dict[str, Any] = {}
    for k, v in feats.items():
        if isinstance(v, bool):
            if v:
                clean[k] = 1.0
        elif isinstance(v, int):
            clean[k] = str(v)
        else:
            clean[k] = v
    return clean


class CRFTagger:
    """A trained model folder (model.crfsuite + lexicon.json) ready to tag token lists."""

    def __init__(self, folder: Path) -> None:
        import pycrfsuite

        model = folder / MODEL_FILE
        if not model.is_file():
            raise FileNotFoundError(f"no CRF model at {model}")
        self.lexicon = Lexicon.from_json(json.loads((folder / LEXICON_FILE).read_text(encoding="utf-8")))
        meta_path = folder / META_FILE
        self.meta: dict[str, Any] = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.is_file() else {}
        self.base: str | None = self.meta.get("base")
        self.clusters = _load_clusters(folder)
        self.word_types = _load_word_types(folder)
        self.genre = _load_genre(folder)
        self.extras = frozenset(self.meta.get("extra_features", ()))
        self.gazetteer = _load_gazetteer(folder) if "gazetteer" in self.extras else None
        self.context = _load_context(folder)
        self.vector_source: Any = None  # optional callable(sentences) -> word vectors (a training-time cache)
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(model))

    def tag_many(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        """BIO tags of many sentences (the base tagger and the contextual encoder, if any, run batched)."""
        nonempty = [s for s in sentences if s]
        bases = iter(base_tags(self.base, nonempty))
        vectors = self.vector_source(nonempty) if self.vector_source and self.context else None
        contexts = iter(context_features(self.context, nonempty, vectors))
        return [list(self._tagger.tag(sentence_features(s, self.lexicon, next(bases), self.clusters, self.word_types,
                                                        genre=self.genre.predict(s) if self.genre else None,
                                                        extras=self.extras, gazetteer=self.gazetteer,
                                                        context=next(contexts))))
                if s else [] for s in sentences]

    def tag(self, tokens: Sequence[str]) -> list[str]:
        """BIO tags of one sentence."""
        return self.tag_many([tokens])[0]


def context_features(context: Any, sentences: Sequence[Sequence[str]], vectors: Sequence[Any] | None = None,
                     cross_fit: bool = False) -> list[list[dict[str, str]] | None]:
    """Per sentence the contextual tag-guess features (ner_context.py), or None without a context model.
    `vectors`: precomputed word vectors (training passes cached ones); otherwise the encoder runs."""
    if context is None:
        return [None] * len(sentences)
    if vectors is None:
        from echolot.encoders.e5_tokens import shared_or_none

        encoder = shared_or_none()
        if encoder is None:  # the CRF tags without the contextual features (less accurately)
            return [None] * len(sentences)
        vectors = encoder.word_vectors(sentences, context.layers)
    return [context.features(p) for p in context.sentence_probs(vectors, cross_fit)]


def _load_context(folder: Path) -> Any:
    """The model folder's contextual tag model (ner_context.py), or None."""
    from echolot.entities.ner_context import CONTEXT_FILE, ContextTags

    path = folder / CONTEXT_FILE
    return ContextTags.load(path) if path.is_file() else None


def _load_clusters(folder: Path) -> Any:
    """The model folder's word clusters, or None (models without a clusters file: en, ru)."""
    path = folder / CLUSTERS_FILE
    if not path.is_file():
        return None
    from echolot.entities.ner_clusters import WordClusters

    return WordClusters(path)


def _load_word_types(folder: Path) -> Any:
    """The model folder's word-type prior, or None."""
    path = folder / WORDTYPES_FILE
    if not path.is_file():
        return None
    from echolot.entities.ner_wordtype import WordTypes

    return WordTypes.load(path)


def _load_gazetteer(folder: Path) -> Any:
    """The model folder's name lists (ner_gazetteer.py); a model that asks for them must have the file."""
    from echolot.entities.ner_gazetteer import GAZETTEER_FILE, load_cached

    return load_cached(str(folder / GAZETTEER_FILE))


def _load_genre(folder: Path) -> Any:
    """The model folder's genre guesser (ner_genre.py), or None."""
    from echolot.entities.ner_genre import GENRE_FILE, GenreModel

    path = folder / GENRE_FILE
    return GenreModel.load(path) if path.is_file() else None


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


def _fit_genre(folder: Path, sentences: list[list[str]], genres: Sequence[str] | None) -> list[str | None]:
    """Write the genre guesser (or remove a stale one); return each training sentence's cross-fitted guess."""
    from echolot.entities.ner_genre import GENRE_FILE, GenreModel, cross_fitted

    path = folder / GENRE_FILE
    if genres is None or len(set(genres)) < 2:
        if path.is_file():
            path.unlink()
        return [None] * len(sentences)
    GenreModel.fit(sentences, genres).save(path)
    return list(cross_fitted(sentences, genres))


def _place_gazetteer(folder: Path, source: Path | None) -> Any:
    """Copy the gazetteer file into the model folder (unless it is already there) and load it."""
    import shutil

    from echolot.entities.ner_gazetteer import GAZETTEER_FILE, Gazetteer

    target = folder / GAZETTEER_FILE
    if source is not None and source.resolve() != target.resolve():
        shutil.copyfile(source, target)
    if not target.is_file():
        raise FileNotFoundError(f"the gazetteer feature group needs {target} (scripts/build_gazetteer.py)")
    return Gazetteer.load(target)


def _drop_gazetteer(folder: Path) -> None:
    """Remove a stale gazetteer file from a model folder that no longer uses it."""
    from echolot.entities.ner_gazetteer import GAZETTEER_FILE

    if (folder / GAZETTEER_FILE).is_file():
        (folder / GAZETTEER_FILE).unlink()


def _place_context(folder: Path, context: Any, sentences: list[list[str]],
                   vectors: Sequence[Any] | None) -> list[list[dict[str, str]] | None]:
    """Write the contextual tag model (or remove a stale one); return each training sentence's
    cross-fitted guesses (sentence i from the model that did not see fold i % folds)."""
    from echolot.entities.ner_context import CONTEXT_FILE

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
          context_vectors: Sequence[Any] | None = None, verbose: bool = False) -> dict[str, Any]:
    """Train a CRF on tagged sentences; write model.crfsuite, lexicon.json, meta.json into `folder`
    (and a copy of the `clusters` file, whose ids become features; with `genres`, one label per
    sentence such as its file name, a genre guesser whose guess becomes a feature; with `context`, a fitted
    ner_context.ContextTags over `context_vectors` (one array per sentence, same order), written as context.npz)."""
    import shutil

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
    gaz = _place_gazetteer(folder, gazetteer) if "gazetteer" in extras else _drop_gazetteer(folder)
    guesses = _fit_genre(folder, [[t for t, _ in s] for s in sentences], genres)
    contexts = _place_context(folder, context, [[t for t, _ in s] for s in sentences], context_vectors)
    trainer = pycrfsuite.Trainer(verbose=verbose)
    bases = base_tags(base, [[t for t, _ in s] for s in sentences])
    lexicons = _fold_lexicons(sentences, folds, external or {}, dictionary_lang)
    for sentence, lex, btags, guess, cx in zip(sentences, lexicons, bases, guesses, contexts):
        tokens = [t for t, _ in sentence]
        trainer.append(sentence_features(tokens, lex, btags, word_clusters, word_types, True, guess, frozenset(extras),
                                         gaz, cx),
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
