"""A cue lexicon learned from PolNeAR's training part: which word, in which syntactic frame, is a cue.

Why: the limit of the English extractor is cue recall (issue #14: about 970 dev attributions with no
cue found, most of them stance and light verbs such as "took a shot at", "made the case that", and
noun cues such as "his claim that"). Both taggers give such a word a low probability because its
lemma is mostly a plain use; in its frame it is often not. The training part says how often: for
every (lemma, frame) key, how many of its occurrences are annotated cue heads and how many there
are (`echolot.training.quotes_lexicon` counts them into `models/cue_lexicon.json`).

A frame is what the word governs (`frame_keys`): a clause ("X warned that ...", "X's claim that
..."), an infinitive ("X vowed to ..."), an object with a preposition ("took a shot at ...", light
verbs: the object's lemma is part of the key), an object, or a preposition's object ("X lashed out
at ..."). Keys go from the most specific to the most general; a lookup takes the most specific one
with enough occurrences. The extractor (`english.extract_doc`) adds a cue for a word the taggers
did not take when its precision in train reaches `quotes.lexicon_min_precision` and its frame holds
a content (`frame_content`); the role tagger then labels its source and content as for any cue.
"""
from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

LEXICON_FILE = "cue_lexicon.json"
_CLAUSE_NOUN_DEPS = {"acl", "ccomp", "relcl", "appos"}
_POS = {"VERB": "V", "AUX": "V", "NOUN": "N", "ADJ": "A"}


def _prep(tok: Any) -> Any:
    """The first preposition the word governs to its right (its object present), or None."""
    return next((c for c in tok.children if c.dep_ == "prep" and c.i > tok.i
                 and any(g.dep_ in {"pobj", "pcomp"} for g in c.children)), None)


def _clause(tok: Any) -> Any:
    """The clause the word governs: a verb's clausal complement; a noun's or adjective's
    "that"-clause (a complementiser, never a relative pronoun)."""
    if tok.pos_ in {"VERB", "AUX"}:
        return next((c for c in tok.children if c.dep_ == "ccomp"), None)
    return next((c for c in tok.children if c.dep_ in _CLAUSE_NOUN_DEPS | {"ccomp"} and c.i > tok.i
                 and any(g.dep_ == "mark" and g.lower_ in {"that", "whether", "if"} for g in c.children)), None)


def frame_keys(tok: Any) -> list[str]:
    """Lexicon keys of a word in its frame, the most specific first ("take|V:obj=shot+at",
    "take|V:obj=shot", "take|V:obj"); empty for a word that governs no content (or has no
    part of speech a cue can have)."""
    if tok.lower_ == "according" and any(c.lower_ == "to" for c in tok.children):
        return ["according|to"]
    pos = _POS.get(tok.pos_)
    if pos is None:
        return []
    lemma = tok.lemma_.lower()
    base = f"{lemma}|{pos}"
    if _clause(tok) is not None:
        return [f"{base}:that"]
    if pos == "V" and any(c.dep_ == "xcomp" for c in tok.children):
        return [f"{base}:to"]
    obj = next((c for c in tok.children if c.dep_ == "dobj"), None) if pos == "V" else None
    if obj is not None:
        prep = _prep(obj) or _prep(tok)
        obj_key = f"{base}:obj={obj.lemma_.lower()}"
        out = [f"{obj_key}+{prep.lower_}"] if prep is not None else []
        return out + [obj_key, f"{base}:obj"]
    prep = _prep(tok)
    if prep is not None:
        return [f"{base}:prep={prep.lower_}"]
    if pos == "N" and any(c.dep_ == "poss" for c in tok.children):
        return [f"{base}:poss"]
    return []


def frame_content(tok: Any) -> list[int]:
    """Token indices of what the word's frame says (the clause, the infinitive, the preposition's or
    the object's phrase); empty when there is none of at least two words, or a quotation's one."""
    if tok.lower_ == "according":
        own = {s.i for s in tok.subtree}  # once, not once per token of the head's subtree
        content = [t.i for t in tok.head.subtree if t.i not in own] if tok.head.i != tok.i else []
    else:
        clause = _clause(tok)
        if clause is None and tok.pos_ in {"VERB", "AUX"}:
            clause = next((c for c in tok.children if c.dep_ == "xcomp"), None)
        if clause is not None:
            content = [t.i for t in clause.subtree]
        else:
            obj = next((c for c in tok.children if c.dep_ == "dobj"), None)
            prep = (_prep(obj) if obj is not None else None) or _prep(tok)
            arg = None if prep is None else next(g for g in prep.children if g.dep_ in {"pobj", "pcomp"})
            arg = arg if arg is not None else obj
            content = [] if arg is None else [t.i for t in arg.subtree]
    words = [i for i in content if tok.doc[i].is_alpha]
    return sorted(content) if len(words) >= 2 else []


class CueLexicon:
    """(cue count, occurrences) per frame key, as counted on the training part."""

    def __init__(self, counts: Mapping[str, tuple[int, int]]) -> None:
        self.counts = dict(counts)

    @classmethod
    def load(cls, path: Path) -> CueLexicon:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return cls({k: (int(v[0]), int(v[1])) for k, v in raw["counts"].items()})

    def precision(self, tok: Any, min_count: int) -> tuple[float, str | None]:
        """(share of cue heads, key) of the most specific key of `tok` seen at least `min_count` times
        in train; (0.0, None) when none is."""
        for key in frame_keys(tok):
            cue, total = self.counts.get(key, (0, 0))
            if total >= min_count:
                return cue / total, key
        return 0.0, None


@functools.lru_cache(maxsize=2)
def load(model_dir: str) -> CueLexicon | None:
    """The lexicon of the model folder, or None (weights without one: no extra cues)."""
    path = Path(model_dir) / LEXICON_FILE
    return CueLexicon.load(path) if path.is_file() else None


def lexicon_cues(doc: Any, info: Any, lexicon: CueLexicon, taken: set[int], min_precision: float,
                 min_count: int) -> list[tuple[int, float, str]]:
    """(token, precision, frame key) of every word the lexicon makes a cue where the taggers took none: not in
    `taken` (the found cues' heads and contents) nor inside a quotation (a quoted speaker's own words are the content of the
    cue outside), its key's train precision >= `min_precision`, and its frame holding a content."""
    out: list[tuple[int, float, str]] = []
    for tok in doc:
        if tok.i in taken or info.quote_of[tok.i] >= 0 or tok.pos_ not in _POS:
            continue
        p, key = lexicon.precision(tok, min_count)
        if key is None or p < min_precision or not frame_content(tok):
            continue
        out.append((tok.i, p, key))
    return out
