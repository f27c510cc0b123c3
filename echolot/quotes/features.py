"""Token features for the two English sequence taggers (shared by training and prediction).

Attribution in news is a relation between three spans: the cue ("said",
"according to", "believes"), the source (who) and the content (what). We find
cue heads first (one tagger over sentences), then label source and content
tokens *relative to one cue* (a second tagger over a window around it). The
relative features are what make the second step work: the dependency path from
the cue to a token (its subject branch, its clausal complement, the clause that
"according to" hangs from) and whether the token lies in a quotation that
touches the cue's sentence.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from echolot.quotes.context import add_features as add_context_features
from echolot.quotes.context import ROLE_LABELS, add_role_features, prob_bucket
from echolot.quotes.lexicon import EN_CUE_LEMMAS
from echolot.quotes.marks import find_quote_regions, top_level

Features = dict[str, Any]


@dataclass
class DocInfo:
    """Per-document lookups computed once: quote region and paragraph of every token."""

    quote_of: list[int]  # index of the top-level quote region holding the token, -1 if none
    region_sents: list[set[int]]  # sentence indices each quote region overlaps
    paragraph_of: list[int]
    sent_of: list[int]
    sents: list[Any]


def doc_info(doc: Any) -> DocInfo:
    """Precompute token -> quote region / paragraph / sentence for a parsed document."""
    text = doc.text
    regions = top_level(find_quote_regions(text))
    quote_of = [-1] * len(doc)
    r = 0
    for tok in doc:
        while r < len(regions) and regions[r].end <= tok.idx:
            r += 1
        if r < len(regions) and regions[r].start <= tok.idx < regions[r].end:
            quote_of[tok.i] = r
    paragraph_of, para = [], 0
    for tok in doc:
        paragraph_of.append(para)
        if "\n" in tok.text or "\n" in tok.whitespace_:
            para += 1
    sents = list(doc.sents)
    sent_of = [0] * len(doc)
    for k, sent in enumerate(sents):
        for i in range(sent.start, sent.end):
            sent_of[i] = k
    region_sents: list[set[int]] = [set() for _ in regions]
    for i, q in enumerate(quote_of):
        if q >= 0:
            region_sents[q].add(sent_of[i])
    return DocInfo(quote_of, region_sents, paragraph_of, sent_of, sents)


def _shape(tok: Any) -> str:
    if tok.is_punct:
        return "P"
    if tok.is_title:
        return "Xx"
    if tok.is_upper:
        return "XX"
    return "x" if tok.is_lower else "o"


def _child_deps(tok: Any) -> set[str]:
    return {c.dep_ for c in tok.children}


_SHAPE_DEPS = {"ccomp", "xcomp", "dobj", "nsubj", "nsubjpass", "prep", "advcl", "attr", "agent", "pobj"}


def cue_features(doc: Any, info: DocInfo, start: int, end: int, context: np.ndarray | None = None,
                 role_context: np.ndarray | None = None) -> list[Features]:
    """Features of tokens start..end-1 (one sentence) for the cue-head tagger; `context`: per doc
    token the contextual guesses of `quotes.context` (label probabilities), when available;
    `role_context`: its role guesses (`ROLE_LABELS`), read on the candidate's arguments."""
    out: list[Features] = []
    for i in range(start, end):
        tok = doc[i]
        deps = _child_deps(tok)
        f: Features = {
            "b": 1.0,
            "w": tok.lower_,
            "l": tok.lemma_.lower(),
            "p": tok.tag_,
            "d": tok.dep_,
            "lp": f"{tok.lemma_.lower()}|{tok.pos_}",
            "hl": tok.head.lemma_.lower(),
            "hp": tok.head.pos_,
            "dh": f"{tok.dep_}|{tok.head.pos_}",
            "sh": _shape(tok),
            "inq": info.quote_of[i] >= 0,
            "suf": tok.lower_[-3:],
        }
        _add_class_features(f, tok, deps)
        _add_argument_features(f, doc, tok, start, end)
        for dep in sorted(deps & _SHAPE_DEPS):  # sorted: the model file is the same on every run
            f["c:" + dep] = 1.0
            f["lc:" + tok.lemma_.lower() + "|" + dep] = 1.0
        for child in tok.children:
            if child.dep_ == "ccomp" and any(g.dep_ == "mark" and g.lower_ in {"that", "whether", "if"} for g in child.children):
                f["that"] = 1.0
            if child.dep_ == "prep":
                f["prep"] = child.lower_
        for off in (-2, -1, 1, 2):
            j = i + off
            if start <= j < end:
                nb = doc[j]
                f[f"{off}:w"] = nb.lower_
                f[f"{off}:p"] = nb.tag_
                f[f"{off}:q"] = info.quote_of[j] >= 0
            else:
                f[f"{off}:w"] = "<s>"
        if i + 1 < len(doc) and doc[i + 1].text in {":", "\"", "“", "”", "«", "»", "„"}:
            f["next_mark"] = doc[i + 1].text
        if context is not None and not tok.is_space:
            add_context_features(f, context[i])
        if role_context is not None and not tok.is_space:
            _add_argument_guesses(f, tok, role_context)
        out.append(f)
    return out


_CONTENT_ARGS = {"ccomp", "xcomp", "dobj", "prep", "attr", "pcomp", "advcl"}
_SOURCE_ARGS = {"nsubj", "nsubjpass", "poss", "agent"}


def _argument_guess(tok: Any, deps: set[str], role_context: np.ndarray, column: int) -> float:
    """The highest mean role guess (`column` of `ROLE_LABELS`) over the subtrees of the token's
    dependents with a label in `deps`."""
    best = 0.0
    for child in tok.children:
        if child.dep_ in deps:
            best = max(best, float(role_context[child.left_edge.i:child.right_edge.i + 1, column].mean()))
    return best


def _add_argument_guesses(f: Features, tok: Any, role_context: np.ndarray) -> None:
    """Does the candidate govern a statement and a speaker? A stance cue ("backs X", "support for
    X") differs from a plain use of the same word by what hangs from it; the role guesses say
    whether that looks like the content and the source of an attribution."""
    content = _argument_guess(tok, _CONTENT_ARGS, role_context, 0)
    source = _argument_guess(tok, _SOURCE_ARGS, role_context, 2)
    f["axc"] = prob_bucket(content)
    f["axs"] = prob_bucket(source)
    f["axcs"] = f["axc"] + "|" + f["axs"]
    f["axcp"] = content


def _add_class_features(f: Features, tok: Any, deps: set[str]) -> None:
    """Unlexicalised cue evidence (lexicon membership x clause shape): these carry over to
    verbs the tagger saw rarely, where the lemma weight alone overfits or is missing."""
    lemma = tok.lemma_.lower()
    lex = "L" if lemma in EN_CUE_LEMMAS else ("H" if tok.head.lemma_.lower() in EN_CUE_LEMMAS else "N")
    clause = "cc" if "ccomp" in deps else ("xc" if "xcomp" in deps else ("do" if "dobj" in deps else "-"))
    subj = "s" if deps & {"nsubj", "nsubjpass"} else "-"
    f["lex"] = lex
    f["lex_pos"] = f"{lex}|{tok.pos_}"
    f["lex_shape"] = f"{lex}|{tok.pos_}|{clause}|{subj}"
    f["lex_dep"] = f"{lex}|{tok.dep_}"


_PERSON_PRONOUNS = {"he", "she", "they", "i", "we", "you", "him", "her", "them", "his", "their", "my", "our"}
_ARG_DEPS = {"nsubj": "S", "nsubjpass": "S", "poss": "S", "agent": "A", "dobj": "O", "pobj": "O"}


def _argument_kind(tok: Any) -> str:
    """What kind of thing a dependent is: a person/organisation (a likely source), a pronoun
    for people, or a plain noun; attribution needs someone to attribute to."""
    if tok.dep_ == "agent":
        tok = next((c for c in tok.children if c.dep_ == "pobj"), tok)
    if tok.lower_ in _PERSON_PRONOUNS:
        return "PRP"
    if tok.ent_type_:
        return tok.ent_type_
    return "N" if tok.pos_ in {"NOUN", "PROPN"} else tok.pos_


def _add_argument_features(f: Features, doc: Any, tok: Any, start: int, end: int) -> None:
    """Who/what the candidate cue relates: the kind of its subject, possessor, agent and object,
    its prepositions ("support for", "opposition to"), and the cue verb that governs it ("wants
    to support"). Rare cue words (nouns, light verbs) are told apart from plain uses by these."""
    lemma = tok.lemma_.lower()
    for child in tok.children:
        role = _ARG_DEPS.get(child.dep_)
        if role:
            kind = _argument_kind(child)
            f[f"arg:{role}:{kind}"] = 1.0
            f[f"argp:{role}:{kind}|{tok.pos_}"] = 1.0
        if child.dep_ == "prep":
            f["lprep"] = f"{lemma}|{child.lower_}"
            pobj = next((g for g in child.children if g.dep_ == "pobj"), None)
            if pobj is not None:
                f["prep_obj"] = f"{child.lower_}|{_argument_kind(pobj)}"
        if child.dep_ == "auxpass":
            f["pass"] = lemma
    head = tok.head
    if head.i != tok.i:
        f["hd"] = f"{tok.dep_}|{head.lemma_.lower()}"
        if head.lemma_.lower() in EN_CUE_LEMMAS:
            f["h_cue_dep"] = tok.dep_
    prev = doc[tok.i - 1].lower_ if tok.i > start else "<s>"
    nxt = doc[tok.i + 1].lower_ if tok.i + 1 < end else "</s>"
    f["bi-"] = f"{prev}|{tok.lower_}"
    f["bi+"] = f"{tok.lower_}|{nxt}"


def _ancestors_path(tok: Any) -> list[Any]:
    """tok, its head, its head's head ... up to the sentence root."""
    path = [tok]
    while path[-1].head.i != path[-1].i and len(path) < 40:
        path.append(path[-1].head)
    return path


def _relation(cue: Any, tok: Any, cue_path: list[Any], cue_index: dict[int, int]) -> tuple[int, str, str]:
    """(steps up from cue to the common ancestor, label on the cue side, label on the token side)."""
    tok_path = _ancestors_path(tok)
    for k, node in enumerate(tok_path):
        up = cue_index.get(node.i)
        if up is None:
            continue
        tok_side = tok_path[k - 1].dep_ if k > 0 else "SELF"
        cue_side = cue_path[up - 1].dep_ if up > 0 else "SELF"
        return up, cue_side, tok_side
    return -1, "NONE", "NONE"


def _bucket(n: int) -> str:
    for limit, name in ((0, "0"), (1, "1"), (2, "2"), (5, "3-5"), (10, "6-10"), (20, "11-20")):
        if n <= limit:
            return name
    return "20+"


def role_window(doc: Any, info: DocInfo, cue_i: int, before: int = 1, after: int = 1) -> tuple[int, int]:
    """Token range around a cue: its sentence, neighbours in the same paragraph, and any
    quotation that touches its sentence (multi-sentence quotes run beyond it)."""
    k = info.sent_of[cue_i]
    para = info.paragraph_of[cue_i]
    lo, hi = k, k
    while lo > 0 and k - lo < before and info.paragraph_of[info.sents[lo - 1].end - 1] == para:
        lo -= 1
    while hi + 1 < len(info.sents) and hi - k < after and info.paragraph_of[info.sents[hi + 1].start] == para:
        hi += 1
    touching = {q for q, sents in enumerate(info.region_sents) if k in sents}
    for q in touching:
        lo = min(lo, min(info.region_sents[q]))
        hi = max(hi, max(info.region_sents[q]))
    return info.sents[lo].start, info.sents[hi].end


SAY_LEMMAS = frozenset([
    "say", "tell", "add", "write", "note", "explain", "argue", "insist", "warn", "continue", "ask",
    "respond", "reply", "tweet", "state", "claim", "acknowledge", "declare",
])


def _own_cue_sentences(doc: Any, info: DocInfo, start: int, end: int, cue_i: int) -> set[int]:
    """Sentences of the window, other than the cue's, with an unquoted verb of saying of their
    own: a quotation there belongs to that verb ("He added, ..."), not to the cue."""
    out: set[int] = set()
    for i in range(start, end):
        tok = doc[i]
        if (i != cue_i and info.quote_of[i] < 0 and tok.pos_ == "VERB"
                and tok.lemma_.lower() in SAY_LEMMAS and info.sent_of[i] != info.sent_of[cue_i]):
            out.add(info.sent_of[i])
    return out


def role_features(doc: Any, info: DocInfo, cue_i: int, start: int, end: int,
                  context: np.ndarray | None = None) -> list[Features]:
    """Features of tokens start..end-1 relative to the cue head `cue_i`; `context`: per doc token
    the role guesses of `quotes.context` (`ROLE_LABELS` probabilities), when available."""
    own_cue = _own_cue_sentences(doc, info, start, end, cue_i)
    cue = doc[cue_i]
    cue_path = _ancestors_path(cue)
    cue_index = {node.i: k for k, node in enumerate(cue_path)}
    cue_sent = info.sent_of[cue_i]
    cue_q = info.quote_of[cue_i]
    touching = {q for q, sents in enumerate(info.region_sents) if cue_sent in sents}
    cl = cue.lemma_.lower()
    subj_idx = {t.i for c in cue.children if c.dep_ in {"nsubj", "nsubjpass"} for t in c.subtree}
    out: list[Features] = []
    for i in range(start, end):
        tok = doc[i]
        side = "L" if i < cue_i else ("R" if i > cue_i else "C")
        soff = info.sent_of[i] - cue_sent
        f: Features = {
            "b": 1.0,
            "w": tok.lower_,
            "p": tok.tag_,
            "d": tok.dep_,
            "sh": _shape(tok),
            "side": side,
            "dist": side + _bucket(abs(i - cue_i)),
            "soff": str(max(-2, min(2, soff))),
            "cl": cl,
            "cls": cl + "|" + side,
            "cd": cue.dep_,
            "ent": tok.ent_type_ or "-",
            "subj": i in subj_idx,
        }
        if info.sent_of[i] in own_cue:
            f["own_cue"] = str(max(-2, min(2, soff)))
        if soff == 0:
            up, cue_side, tok_side = _relation(cue, tok, cue_path, cue_index)
            f["rel"] = f"{min(up, 3)}|{cue_side}|{tok_side}"
            f["rel_t"] = f"{min(up, 3)}|{tok_side}"
            f["rel_cl"] = f"{cl}|{min(up, 2)}|{tok_side}"
        q = info.quote_of[i]
        if q >= 0:
            f["q"] = "cue" if q == cue_q else ("touch" if q in touching else "other")
            f["q_side"] = f["q"] + "|" + side
        for off in (-1, 1):
            j = i + off
            if start <= j < end:
                f[f"{off}:w"] = doc[j].lower_
                f[f"{off}:cue"] = j == cue_i
        if context is not None and not tok.is_space:
            add_role_features(f, context[i])
            for off in (-1, 1):
                if start <= i + off < end:
                    f[f"{off}:rx"] = ROLE_LABELS[int(np.argmax(context[i + off]))]
        out.append(f)
    return out
