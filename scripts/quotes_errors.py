#!/usr/bin/env python3
"""Bucket the English quote extractor's errors on PolNeAR's **dev** part (never `final`).

    PYTHONPATH=. python scripts/quotes_errors.py [--max N] [--cache DIR] [--examples K]
        [--tuned-model DIR] [--set quotes.KEY=VALUE ...] [--json OUT]

It scores like `../shared/data/quotes/score.py` (content token-overlap F1 >= 0.5, one-to-one
greedy matching; a source is right when it overlaps the gold source, or both are absent) and
sorts every error into a bucket:

* missed gold quotes: the cue was found but the content is wrong (too short / too long on the
  left or right, a discontinuous gold content, another found cue's content), or no found cue
  touches the gold cue (by kind: "according to", a noun cue, a belief/intention verb,
  punctuation, no source annotated, other verbs);
* false positives: a found content that touches a gold content (a boundary miss) or none;
* wrong sources among matched pairs: predicted none / gold none / pronoun / a different
  mention left or right of the gold source.

The spaCy parses and the contextual guesses (the e5 pass, the slow part) are cached under
`--cache`, so that a second run with other post-processing settings takes a minute, not ten.
The dev part only: the split rule is `echolot.eval.splits.quotes_part`.
"""
from __future__ import annotations

import argparse
import collections
import hashlib
import json
import pickle
import re
from pathlib import Path
from typing import Any

from echolot.eval.common import find_data_dir, read_jsonl
from echolot.eval.splits import quotes_part
from echolot.quotes.tuned import CUE_FILE
from echolot.settings import load_settings
from echolot.training.quotes_verify import fragments as _frags
from echolot.training.quotes_verify import match

TOKEN = re.compile(r"\w+")
PRONOUNS = {"he", "she", "they", "it", "i", "we", "you", "him", "her", "them", "his", "their", "its", "who",
            "which", "that", "this", "these", "those", "me", "us", "our", "my"}
BELIEF = {"think", "believe", "want", "hope", "expect", "fear", "know", "feel", "plan", "intend", "seem",
          "appear", "wish", "worry", "consider", "suspect", "assume", "doubt", "see", "view", "like", "love",
          "prefer", "agree", "disagree", "support", "oppose", "back", "favor", "refuse", "decide", "try",
          "promise", "vow", "pledge", "aim", "seek", "need", "hate", "concern", "convinced", "sure", "likely",
          "aware"}


def _overlap(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> bool:
    return any(s1 < e2 and s2 < e1 for s1, e1 in a for s2, e2 in b)


def _words(text: str, frags: list[tuple[int, int]]) -> set[int]:
    return {m.start() + s for s, e in frags for m in TOKEN.finditer(text[s:e])}


def _cue_kind(text: str, gold: dict[str, Any], nlp_doc: Any) -> str:
    """A coarse kind of a gold cue, for the missed-attribution buckets."""
    cue = _frags(gold, "cue")
    if not cue:
        return "no cue"
    words = " ".join(text[s:e] for s, e in cue).lower()
    if "according" in words:
        return "according to"
    if not TOKEN.search(words):
        return "punctuation"
    kind = "no source" if gold.get("source") is None else ""
    toks = [t for t in nlp_doc if t.idx >= cue[0][0] and t.idx < cue[-1][1] and not t.is_punct] if nlp_doc else []
    lemmas = {t.lemma_.lower() for t in toks}
    pos = {t.pos_ for t in toks}
    if lemmas & BELIEF:
        base = "belief/intention/stance"
    elif "VERB" not in pos and (pos & {"NOUN", "PROPN"}):
        base = "noun cue"
    elif lemmas & {"say", "tell", "state", "add", "note", "claim", "argue", "write", "ask", "insist", "explain"}:
        base = "common speech verb"
    else:
        base = "other"
    return f"{base} ({kind})" if kind else base


def _side(text: str, p: list[tuple[int, int]], g: list[tuple[int, int]]) -> str:
    pw, gw = _words(text, p), _words(text, g)
    extra, missing = pw - gw, gw - pw
    parts = []
    gmin, gmax = (min(gw), max(gw)) if gw else (0, 0)
    if extra:
        left = sum(1 for w in extra if w < gmin)
        right = sum(1 for w in extra if w > gmax)
        inner = len(extra) - left - right
        parts.append("long:" + "/".join(k for k, n in (("left", left), ("right", right), ("inside", inner)) if n))
    if missing:
        pmin, pmax = (min(pw), max(pw)) if pw else (0, 0)
        left = sum(1 for w in missing if w < pmin)
        right = sum(1 for w in missing if w > pmax)
        inner = len(missing) - left - right
        parts.append("short:" + "/".join(k for k, n in (("left", left), ("right", right), ("inside", inner)) if n))
    return " ".join(parts) or "same words"


def _source_bucket(text: str, g: dict[str, Any], p: dict[str, Any]) -> str:
    gs, ps = _frags(g, "source"), _frags(p, "source")
    if not gs:
        return "gold has no source, predicted one"
    if not ps:
        return "no source predicted"
    gtext = " ".join(text[s:e] for s, e in gs).lower()
    ptext = " ".join(text[s:e] for s, e in ps).lower()
    if gtext.strip() in PRONOUNS:
        return "gold pronoun, predicted other mention"
    if ptext.strip() in PRONOUNS:
        return "predicted pronoun, gold other mention"
    where = "left of" if ps[-1][1] <= gs[0][0] else "right of"
    cue = _frags(g, "cue")
    same_side = bool(cue) and ((ps[0][0] < cue[0][0]) == (gs[0][0] < cue[0][0]))
    return f"other mention {where} gold ({'same' if same_side else 'other'} side of the cue)"


class GuessCache:
    """Memoises `english.context_guesses` (the e5 pass) by the document's text and the other
    arguments (the tuned tagger's sentence list), plus `tag`: the weights file's digest, so that a
    retrained model never gets another's cached guesses."""

    def __init__(self, path: Path | None, tag: str = "") -> None:
        self.path = path
        self.tag = tag
        self.data: dict[str, Any] = {}
        if path and path.is_file():
            self.data = pickle.loads(path.read_bytes())
        self.dirty = False

    def wrap(self, func: Any) -> Any:
        def cached(doc: Any, info: Any, *args: Any) -> Any:
            key = hashlib.sha1("\x00".join([doc.text, self.tag, repr(args)]).encode("utf-8")).hexdigest()
            if key not in self.data:
                self.data[key] = func(doc, info, *args)
                self.dirty = True
            return self.data[key]
        return cached

    def save(self) -> None:
        if self.path and self.dirty:
            self.path.write_bytes(pickle.dumps(self.data))


def _digest(path: Path) -> str:
    """sha256 of a weights file ("" when it is missing: the extractor then warns and runs without it)."""
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""


def _reading(func: Any, model_dir: Path) -> Any:
    """`english.tuned_guesses` reading the tuned cue tagger of `model_dir` (a retrained candidate)
    instead of the shipped one; the sentence selection is passed on unchanged."""
    def read(doc: Any, info: Any, _shipped: Path | None = None, sentences: list[int] | None = None) -> Any:
        return func(doc, info, model_dir, sentences)
    return read


def parse_all(texts: list[str], cache: Path | None) -> list[Any]:
    """spaCy parses of `texts`, from the cache when it holds them (`english.load_nlp`)."""
    from spacy.tokens import DocBin

    from echolot.quotes.english import load_nlp

    nlp = load_nlp()
    key = hashlib.sha1("\x00".join(texts).encode("utf-8")).hexdigest()[:16]
    path = cache / f"parse-{key}.spacy" if cache else None
    if path and path.is_file():
        return list(DocBin().from_bytes(path.read_bytes()).get_docs(nlp.vocab))
    docs = list(nlp.pipe(texts, batch_size=16))
    if path:
        bin_ = DocBin(attrs=["ORTH", "TAG", "HEAD", "DEP", "ENT_IOB", "ENT_TYPE", "LEMMA", "MORPH", "POS",
                             "SENT_START", "SPACY"])
        for doc in docs:
            bin_.add(doc)
        path.write_bytes(bin_.to_bytes())
    return docs


def run(args: argparse.Namespace) -> dict[str, Any]:
    from echolot.quotes import english
    from echolot.quotes.extract import extract_attributions

    overrides = {}
    for item in args.set or []:
        k, _, v = item.partition("=")
        overrides[k] = v  # strings are cast to the setting's type
    settings = load_settings(overrides)
    data = find_data_dir() / "quotes" / "dev" / "en.polnear.jsonl"
    gold = [r for r in read_jsonl(data) if quotes_part(str(r["id"])) == "dev"][: args.max or None]
    cache = Path(args.cache) if args.cache else None
    if cache:
        cache.mkdir(parents=True, exist_ok=True)
    guesses = GuessCache(cache / "guesses.pkl" if cache else None)
    english.context_guesses = guesses.wrap(english.context_guesses)  # type: ignore[assignment]
    tuned_dir = Path(args.tuned_model) if args.tuned_model else english.MODEL_DIR
    tuned = GuessCache(cache / "tuned.pkl" if cache else None, _digest(tuned_dir / CUE_FILE))  # the tuned pass
    english.tuned_guesses = tuned.wrap(_reading(english.tuned_guesses, tuned_dir))  # type: ignore[assignment]
    docs = parse_all([r["text"] for r in gold], cache)
    buckets: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    examples: dict[str, list[str]] = collections.defaultdict(list)
    n_gold = n_pred = n_match = n_src = n_cue = 0

    def note(group: str, key: str, example: str) -> None:
        buckets[group][key] += 1
        if len(examples[f"{group} | {key}"]) < args.examples:
            examples[f"{group} | {key}"].append(example)

    for record, doc in zip(gold, docs):
        text = record["text"]
        found = extract_attributions(text, "en", settings.quotes, None, doc)
        pred = [a.to_prediction() for a in found]
        gq = [q for q in record["quotes"] if _frags(q, "content")]
        n_gold += len(gq)
        n_pred += len(pred)
        pairs = match(text, gq, pred)
        n_match += len(pairs)
        mp = {i for i, _, _ in pairs}
        mg = {j for _, j, _ in pairs}

        def show(q: dict[str, Any], text: str = text) -> str:
            def t(name: str) -> str:
                return " … ".join(text[s:e] for s, e in _frags(q, name))[:300]
            return f"[S: {t('source')}] [C: {t('cue')}] [Q: {t('content')}]"

        for i, j, _ in pairs:
            g, p = gq[j], pred[i]
            gs, ps = _frags(g, "source"), _frags(p, "source")
            gc, pc = _frags(g, "cue"), _frags(p, "cue")
            if (not gc and not pc) or (gc and pc and _overlap(gc, pc)):
                n_cue += 1
            if (not gs and not ps) or (gs and ps and _overlap(gs, ps)):
                n_src += 1
            else:
                note("wrong source", _source_bucket(text, g, p), f"{record['id']}: gold {show(g)}\n      pred {show(p)}")
        for j, g in enumerate(gq):
            if j in mg:
                continue
            gc = _frags(g, "cue")
            same_cue = [i for i, p in enumerate(pred) if gc and _frags(p, "cue") and _overlap(gc, _frags(p, "cue"))]
            if same_cue:
                p = pred[same_cue[0]]
                taken = "taken by another gold" if same_cue[0] in mp else "unmatched"
                disc = " discontinuous" if len(_frags(g, "content")) > 1 else ""
                note("missed: cue found, content wrong",
                     f"{_side(text, _frags(p, 'content'), _frags(g, 'content'))}{disc} ({taken})",
                     f"{record['id']}: gold {show(g)}\n      pred {show(p)}")
            else:
                touching = any(_overlap(_frags(p, "content"), _frags(g, "content")) for p in pred)
                kind = _cue_kind(text, g, doc)
                note("missed: no cue found", f"{kind}{' (content touched by another)' if touching else ''}",
                     f"{record['id']}: gold {show(g)}")
        for i, p in enumerate(pred):
            if i in mp:
                continue
            pc = _frags(p, "content")
            touched = [j for j, g in enumerate(gq) if _overlap(pc, _frags(g, "content"))]
            cue_is_gold = any(_frags(p, "cue") and _frags(g, "cue") and _overlap(_frags(p, "cue"), _frags(g, "cue"))
                              for g in gq)
            key = ("on a gold cue" if cue_is_gold else "spurious cue") + (
                ", touches a gold content" if touched else ", touches no gold content")
            cue_text = " ".join(text[s:e] for s, e in _frags(p, "cue")).lower()
            note("false positive", key, f"{record['id']}: {cue_text!r} pred {show(p)}")
    guesses.save()
    tuned.save()
    prec = n_match / n_pred if n_pred else 0.0
    rec = n_match / n_gold if n_gold else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return {"articles": len(gold), "gold": n_gold, "pred": n_pred, "matched": n_match,
            "content_precision": round(prec, 4), "content_recall": round(rec, 4), "content_f1": round(f1, 4),
            "source_accuracy": round(n_src / n_match, 4) if n_match else 0.0,
            "end_to_end_f1": round(2 * n_src / (n_pred + n_gold), 4) if n_pred + n_gold else 0.0,
            "cue_accuracy": round(n_cue / n_match, 4) if n_match else 0.0,
            "buckets": {g: dict(c.most_common()) for g, c in buckets.items()}, "examples": dict(examples)}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--max", type=int, default=0, help="first N dev articles (0 = all 189)")
    ap.add_argument("--cache", default="", help="folder for cached parses and e5 guesses")
    ap.add_argument("--examples", type=int, default=3, help="examples printed per bucket")
    ap.add_argument("--tuned-model", default="", help="folder with a candidate cue_tuned.npz (default: shipped)")
    ap.add_argument("--set", action="append", help="setting override, e.g. quotes.min_cue_prob=0.35")
    ap.add_argument("--json", default="", help="also write the full result here")
    args = ap.parse_args(argv)
    result = run(args)
    print(json.dumps({k: v for k, v in result.items() if k not in ("buckets", "examples")}))
    for group, counts in result["buckets"].items():
        print(f"\n== {group} ({sum(counts.values())})")
        for key, n in counts.items():
            print(f"  {n:5d}  {key}")
    if args.examples:
        print("\n== examples")
        for key, items in result["examples"].items():
            print(f"-- {key}")
            for item in items:
                print("   ", item)
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=1, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
