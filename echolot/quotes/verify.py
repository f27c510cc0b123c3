"""A learned check of the English path's own attributions: keep or drop each one it found.

Why: on PolNeAR dev the English path finds 4,341 attributions of which 869 match no gold one; had
the 617 that pair with no gold one at all been dropped, content F1 would rise from 0.765 to 0.820
(docs/quotes.md, issue #14). The taggers decide cue by cue and token by token; what they never look at is the whole
attribution they produce: the cue word and how sure the taggers were of it, whether the content is a
clause, a quotation or a bare noun phrase, who the source is, how the attribution was made (taggers,
lexicon, parse fallback, a noun's claim) and whether it overlaps the others. Gradient-boosted trees
over those (`features`), trained on PolNeAR's train part (`echolot.training.quotes_verify`), give
P(the attribution is a true one); `quotes.verify_min_prob` drops those below it (0: off). The trees
ship as plain node arrays (`verify.json`) walked with numpy: no sklearn or pickle at run time.

Only the English taggers' attributions are checked (`english.extract_doc`): the rules of the other
languages, and the English rule quotes added after, were never seen in training.
"""
from __future__ import annotations

import functools
import json
import math
from pathlib import Path
from typing import Any

import numpy as np

from echolot.quotes.features import DocInfo
from echolot.quotes.spans import Attribution, tokens_in

VERIFY_FILE = "verify.json"

_PRONOUNS = {"he", "she", "they", "it", "i", "we", "you", "who", "which", "that", "this", "these", "those"}
_TAGS = ("VBD", "VBZ", "VBP", "VB", "VBG", "VBN", "NN", "NNS", "JJ", "IN")
_DEPS = ("ROOT", "ccomp", "conj", "advcl", "xcomp", "acl", "relcl", "pcomp", "dobj", "pobj", "nsubj")
_QUOTES = "\"“”„«»'‘’"


def cue_token(doc: Any, a: Attribution) -> Any:
    """The cue's head token: the one the tagger found, else the cue span's first word (None without a cue)."""
    cue_i = a.extras.get("cue_token")
    if isinstance(cue_i, int) and 0 <= cue_i < len(doc):
        return doc[cue_i]
    if a.cue is None:
        return None
    toks = [t for t in tokens_in(doc, a.cue) if not t.is_space]
    return toks[0] if toks else None


def checked(a: Attribution) -> bool:
    """Whether the check reads `a`: an attribution of the English taggers (they mark their cue token)."""
    return "cue_token" in a.extras


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _source_features(doc: Any, a: Attribution, cue: Any) -> dict[str, float]:
    """What the source is: none, a pronoun, a name, a role noun; its length and distance from the cue."""
    if a.source is None:
        return {"src_none": 1.0}
    toks = [t for t in tokens_in(doc, a.source) if not t.is_space]
    words = [t for t in toks if not t.is_punct]
    out = {"src_words": math.log1p(len(words))}
    if len(words) == 1 and words[0].lower_ in _PRONOUNS:
        out["src_pronoun"] = 1.0
    elif any(t.ent_type_ == "PERSON" for t in words):
        out["src_person"] = 1.0
    elif any(t.ent_type_ in {"ORG", "NORP", "GPE"} for t in words):
        out["src_org"] = 1.0
    elif any(t.pos_ == "PROPN" for t in words):
        out["src_propn"] = 1.0
    else:
        out["src_noun"] = 1.0
    if cue is not None and toks:
        out["src_after_cue"] = float(toks[0].i > cue.i)
        out["src_dist"] = math.log1p(min(abs(toks[0].i - cue.i), abs(toks[-1].i - cue.i)))
    return out


def _content_features(doc: Any, info: DocInfo, a: Attribution, cue: Any) -> dict[str, float]:
    """Length and shape of the content: quoted share, a clause or a noun phrase, where it lies."""
    toks = [t for s in a.content for t in tokens_in(doc, s) if not t.is_space]
    words = [t for t in toks if not t.is_punct]
    out: dict[str, float] = {"c_words": math.log1p(len(words)), "c_frags": float(len(a.content) - 1),
                             "c_direct": float(a.kind == "direct")}
    if not toks:
        return out
    ids = {t.i for t in toks}
    out["c_quoted"] = sum(1 for t in toks if info.quote_of[t.i] >= 0) / len(toks)
    out["c_quote_mark"] = float(any(ch in _QUOTES for ch in doc.text[max(0, a.content[0][0] - 2):a.content[0][0]]))
    out["c_clause"] = float(any(t.dep_ in {"nsubj", "nsubjpass", "expl"} and t.head.i in ids for t in toks))
    roots = [t for t in toks if t.head.i not in ids or t.head.i == t.i]
    root = roots[0] if roots else toks[0]
    out["c_root_verb"] = float(root.pos_ in {"VERB", "AUX"})
    out["c_root_noun"] = float(root.pos_ in {"NOUN", "PROPN", "PRON"})
    out["c_verbs"] = math.log1p(sum(1 for t in toks if t.pos_ in {"VERB", "AUX"}))
    before = doc[toks[0].i - 1] if toks[0].i > 0 else None
    out["c_after_that"] = float(before is not None and before.lower_ in {"that", "whether", "if"})
    out["c_first_to"] = float(toks[0].lower_ == "to")
    sents = {info.sent_of[t.i] for t in toks}
    out["c_sents"] = math.log1p(len(sents) - 1)
    if cue is not None:
        own = info.sents[info.sent_of[cue.i]]
        sent_words = sum(1 for t in own if not t.is_punct and not t.is_space)
        out["c_share"] = sum(1 for t in words if info.sent_of[t.i] == info.sent_of[cue.i]) / max(1, sent_words)
        out["c_before_cue"] = float(toks[-1].i < cue.i)
        out["c_around_cue"] = float(toks[0].i < cue.i < toks[-1].i)
        gap = toks[0].i - cue.i if toks[0].i > cue.i else cue.i - toks[-1].i
        out["c_gap"] = math.log1p(max(0, gap))
        out["c_other_sent"] = float(info.sent_of[cue.i] not in sents)
    last = toks[-1]
    out["c_ends_sentence"] = float(last.i + 1 >= len(doc) or doc[last.i + 1].is_sent_start or last.text in ".!?")
    return out


def _cue_features(doc: Any, info: DocInfo, a: Attribution, cue: Any, lemmas: dict[str, int]) -> dict[str, float]:
    """The cue word: its lemma (the vocabulary of the model), tag, dependency, negation, place."""
    if cue is None:
        return {"cue_none": 1.0}
    lemma = cue.lemma_.lower()
    out = {f"lemma={lemma}" if lemma in lemmas else "lemma=<other>": 1.0}
    if cue.tag_ in _TAGS:
        out[f"tag={cue.tag_}"] = 1.0
    out[f"dep={cue.dep_}" if cue.dep_ in _DEPS else "dep=<other>"] = 1.0
    out["cue_neg"] = float(any(c.dep_ == "neg" for c in cue.children))
    out["cue_quoted"] = float(info.quote_of[cue.i] >= 0)
    out["cue_sent_pos"] = info.sent_of[cue.i] / max(1, len(info.sents))
    out["cue_first_sent"] = float(info.sent_of[cue.i] == 0)
    out["cue_subject"] = float(any(c.dep_ in {"nsubj", "nsubjpass"} for c in cue.children))
    out["cue_passive"] = float(any(c.dep_ == "auxpass" for c in cue.children))
    return out


def _made_features(a: Attribution) -> dict[str, float]:
    """How the path made the attribution: its cue's mixed probability, lexicon, parse fallback, a noun's
    claim. The CRF's and the tuned tagger's probabilities apart were tried and left out: on their own
    training articles both taggers are surer than on new ones, and the trees learnt that (dev, docs/quotes.md)."""
    return {"conf": float(a.confidence), "lexicon": float(bool(a.extras.get("lexicon"))),
            "fallback": float(bool(a.extras.get("fallback"))), "noun_claim": float(bool(a.extras.get("noun_claim"))),
            "speaker_span": float("speaker_span" in a.extras)}


def _overlap_features(k: int, found: list[Attribution], doc: Any) -> dict[str, float]:
    """How the attribution sits among the others: overlapping contents, a cue inside another's content."""
    a = found[k]
    ext = a.content_extent
    n_overlap = cue_inside = holds_cue = 0
    for j, b in enumerate(found):
        if j == k:
            continue
        if any(_overlap(x, y) for x in a.content for y in b.content):
            n_overlap += 1
        if a.cue is not None and any(_overlap(a.cue, y) for y in b.content):
            cue_inside += 1
        if b.cue is not None and ext[0] <= b.cue[0] < ext[1]:
            holds_cue += 1
    per_100 = 100.0 * len(found) / max(1, len(doc))
    return {"n_overlap": math.log1p(n_overlap), "cue_in_other": float(cue_inside > 0),
            "holds_cue": math.log1p(holds_cue), "density": per_100}


def features(doc: Any, info: DocInfo, found: list[Attribution], lemmas: dict[str, int]) -> list[dict[str, float]]:
    """The named features of each attribution of `found` (one parsed document); `lemmas`: the cue
    lemmas the model knows by name (any other is "<other>")."""
    out = []
    for k, a in enumerate(found):
        cue = cue_token(doc, a)
        row = _made_features(a)
        row.update(_cue_features(doc, info, a, cue, lemmas))
        row.update(_content_features(doc, info, a, cue))
        row.update(_source_features(doc, a, cue))
        row.update(_overlap_features(k, found, doc))
        out.append(row)
    return out


class Verifier:
    """The model of `verify.json`: gradient-boosted trees over named features (sklearn's
    HistGradientBoostingClassifier, exported as plain node arrays, walked here with numpy)."""

    def __init__(self, body: dict[str, Any]) -> None:
        self.names: list[str] = list(body["names"])
        self.index = {n: k for k, n in enumerate(self.names)}
        self.lemmas = {n.split("=", 1)[1]: k for k, n in enumerate(self.names) if n.startswith("lemma=")}
        self.feature = np.asarray(body["feature"], np.int64)
        self.threshold = np.asarray(body["threshold"], np.float64)
        self.left = np.asarray(body["left"], np.int64)
        self.right = np.asarray(body["right"], np.int64)
        self.value = np.asarray(body["value"], np.float64)
        self.roots = np.asarray(body["roots"], np.int64)
        self.bias = float(body["bias"])
        n = len(self.feature)
        if not (len(self.threshold) == len(self.left) == len(self.right) == len(self.value) == n):
            raise ValueError("node arrays differ in length")
        inner = self.left >= 0
        if (self.feature[inner] >= len(self.names)).any() or (self.left >= n).any() or (self.right >= n).any() \
                or (self.roots >= n).any():
            raise ValueError("a node points outside the model")

    def matrix(self, rows: list[dict[str, float]]) -> np.ndarray:
        """The rows as a dense matrix over the model's names (an unknown name is left out)."""
        x = np.zeros((len(rows), len(self.names)), np.float64)
        for r, row in enumerate(rows):
            for name, value in row.items():
                k = self.index.get(name)
                if k is not None:
                    x[r, k] = value
        return x

    def raw(self, x: np.ndarray) -> np.ndarray:
        """The trees' summed leaf values (log-odds) of each row of `x`: all rows descend all trees at once,
        a leaf (left < 0) staying where it is."""
        node = np.broadcast_to(self.roots, (len(x), len(self.roots))).copy()
        rows = np.arange(len(x))[:, None]
        while True:
            inner = self.left[node] >= 0
            if not inner.any():
                break
            go_left = x[rows, np.where(inner, self.feature[node], 0)] <= self.threshold[node]
            node = np.where(inner, np.where(go_left, self.left[node], self.right[node]), node)
        return np.asarray(self.value[node].sum(axis=1) + self.bias)

    def probs(self, doc: Any, info: DocInfo, found: list[Attribution]) -> np.ndarray:
        """P(a true attribution) of each of `found`."""
        if not found:
            return np.zeros(0)
        return 1.0 / (1.0 + np.exp(-self.raw(self.matrix(features(doc, info, found, self.lemmas)))))


@functools.lru_cache(maxsize=2)
def load(model_dir: str) -> Verifier | None:
    """The verifier of `model_dir`, or None when the folder has none."""
    path = Path(model_dir) / VERIFY_FILE
    if not path.is_file():
        return None
    try:
        return Verifier(json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"{path}: not a verify model ({exc})") from exc


def keep(doc: Any, info: DocInfo, found: list[Attribution], model_dir: Path, min_prob: float) -> list[Attribution]:
    """`found` less the attributions the check gives P(true) below `min_prob` (all of them kept when
    `min_prob` is 0 or the folder has no model); each kept one carries its P as extras["verify_prob"]."""
    if min_prob <= 0.0 or not found:
        return found
    model = load(str(model_dir))
    if model is None:
        return found
    probs = model.probs(doc, info, found)
    out = []
    for a, p in zip(found, probs):
        if p >= min_prob:
            a.extras["verify_prob"] = float(p)
            out.append(a)
    return out
