"""Distil the map of `echolot.encoders.e5_student`: pooled layer-k e5 vectors -> the 12-layer e5 vector.

    /work/venv-torch/bin/python -m echolot.training.e5_student [--layers 6] [--hidden 1024]

Training time only (torch, CPU). Teacher = the int8 e5 graph reuse's wide space runs (each text
alone); student input = the mean-pooled states after layer k of the same pass (the cut graph of
`e5_student` computes exactly these). Data: unlabelled sentences only, no labels of any set are
read: the project's own generated articles (bench/provenance_corpus.py, another seed than the
bench's), titles of the stories dev set, EUvsDisinfo claim texts, sentences of the NER dev files
(their tags are dropped) and the demo corpus. No Yakut text, and no text of the provenance dev
sets (WMT test data), is used: figures on those are not on distillation data.

The map is a residual MLP on the standardised pooled vector (`e5_student.StudentMap`), trained
with a cosine loss to the teacher's unit vector plus a term that keeps the cosines between texts
of a batch (what alignment reads) close to the teacher's. A tenth of the sentences is held out and
the held-out cosine to the teacher is written into the record.
"""
from __future__ import annotations

import argparse
import functools
import json
import random
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from echolot.training.record import json_settings, module_command, write_record

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT.parent / "shared" / "data"
SEED = 11
CAPS = {"generated": 4000, "stories": 3000, "claims": 2500, "ner": 3000, "demo": 1000}
# LoRA student (`tune_student`): layers left as they are (their states computed once), adapters' rank /
# alpha, AdamW's peak rates (one cycle; adapters, head), passes over the texts, anchors per batch (each
# with its teacher neighbour), tokens kept per text, loss weights
TUNE: dict[str, Any] = {"first": 2, "rank": 32, "alpha": 32, "lr": 1e-3, "head_lr": 1e-4, "epochs": 0.6, "anchors": 32,
                        "max_tokens": 128, "pair_weight": 1.0, "rank_weight": 1.0, "temperature": 0.05, "threads": 2}
SHIPPED = "e5_student_L4"  # the shipped map (`--tune` with every default)
HEAD_EPOCHS = 40
NER_FILES = ("de.europarl.conll", "de.germeval.conll", "en.conll2003.conll", "ru.factrueval.conll")


def command(name: str) -> str:
    """The documented command that rebuilds the shipped student (torch: /work/venv-torch/bin/python)."""
    return module_command(name, SHIPPED, "echolot.training.e5_student", "e5 student") + " --tune"


def defaults(name: str) -> dict[str, Any]:
    """The settings the shipped student's record holds."""
    if name != SHIPPED:
        raise KeyError(f"no e5 student record named {name!r}")
    return json_settings({"layers": 4, "head_epochs": HEAD_EPOCHS, "seed": SEED, "caps": CAPS, **TUNE})


def _sentences(text: str) -> list[str]:
    from echolot.text.sentences import split_sentences

    return [s.text for s in split_sentences(text or "")]


def generated_texts(n_articles: int = 1500, seed: int = 101) -> Iterator[str]:
    """Titles and sentences of the project's generated articles (own templates, six languages)."""
    sys.path.insert(0, str(ROOT / "bench"))
    from provenance_corpus import generate  # type: ignore[import-not-found]

    for record in generate(n_articles, seed=seed):
        yield str(record.get("title") or "")
        yield from _sentences(str(record["text"]))


def stories_texts(data: Path) -> Iterator[str]:
    """Titles of the stories dev corpus (the gold clusters are not read)."""
    with open(data / "stories" / "dev" / "corpus.jsonl", encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)["title"] or ""


def claims_texts(data: Path) -> Iterator[str]:
    """EUvsDisinfo claim titles, summaries and disproofs, by sentence."""
    with open(data / "narratives" / "dev" / "claims.jsonl", encoding="utf-8") as fh:
        for line in fh:
            claim = json.loads(line)
            yield claim.get("title") or ""
            for key in ("summary", "disproof"):
                yield from _sentences(claim.get(key) or "")


def ner_texts(data: Path) -> Iterator[str]:
    """Sentences of the NER dev files, tokens joined by spaces (tags dropped)."""
    for name in NER_FILES:
        words: list[str] = []
        with open(data / "ner" / "dev" / name, encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    words.append(line.split("\t")[0])
                elif words:
                    yield " ".join(words)
                    words = []
        if words:
            yield " ".join(words)


def demo_texts() -> Iterator[str]:
    for path in sorted((ROOT / "examples" / "demo").glob("*.txt")):
        yield from _sentences(path.read_bytes().decode("utf-8", errors="replace"))  # some files are deliberately mis-encoded


def training_texts(data: Path = DATA, caps: dict[str, int] | None = None, seed: int = SEED) -> list[tuple[str, str]]:
    """(source, text) pairs: distinct texts of 3+ characters, at most `caps[source]` per source, shuffled."""
    caps = caps or CAPS
    rng = random.Random(seed)
    sources = {"generated": generated_texts(), "stories": stories_texts(data), "claims": claims_texts(data),
               "ner": ner_texts(data), "demo": demo_texts()}
    seen: set[str] = set()
    out: list[tuple[str, str]] = []
    for name, texts in sources.items():
        distinct = [t for t in dict.fromkeys(t.strip() for t in texts) if len(t) >= 3 and t not in seen]
        rng.shuffle(distinct)
        picked = distinct[:caps[name]]
        seen.update(picked)
        out.extend((name, t) for t in picked)
    rng.shuffle(out)
    return out


def data_files(data: Path = DATA) -> list[Path]:
    return [data / "stories" / "dev" / "corpus.jsonl", data / "narratives" / "dev" / "claims.jsonl",
            *(data / "ner" / "dev" / n for n in NER_FILES)]


# -- teacher pass ------------------------------------------------------------------------------


def teacher_features(texts: list[str], layers: tuple[int, ...] = (4, 6, 8)) -> dict[str, np.ndarray]:
    """For each text (its first window): the teacher's unit vector ("t") and the mean-pooled states
    after each of `layers` ("p{k}"), from one pass of the int8 graph with those extra outputs."""
    import onnxruntime as ort

    from echolot.encoders.e5_student import cut_graph
    from echolot.encoders.e5_tokens import E5TokenEncoder, model_path
    from echolot.encoders.onnx_e5 import Tokenizer, _session_options, embed_raw

    src = E5TokenEncoder(model_path())
    session = ort.InferenceSession(cut_graph(src, layers[0], tuple(layers[1:]), keep_pooled=True),
                                   _session_options(), providers=["CPUExecutionProvider"])
    tok = Tokenizer(src.vocab, src.bos, src.eos)
    names = ["pooled", *(f"h{k}" for k in layers)]
    out = {n: np.zeros((len(texts), src.H), dtype=np.float32) for n in ["t", *(f"p{k}" for k in layers)]}
    for i, text in enumerate(texts):
        row = np.asarray([[src.bos, *tok.content_ids(text)[:src.max_pos - 2], src.eos]], dtype=np.int64)
        res = session.run(names, {"x": embed_raw(src, row), "mask": np.ones(row.shape, dtype=np.float32)})
        out["t"][i] = res[0][0] / max(float(np.linalg.norm(res[0][0])), 1e-12)
        for k, states in zip(layers, res[1:]):
            out[f"p{k}"][i] = states[0].mean(axis=0)
        if i % 1000 == 0:
            print(f"teacher pass {i}/{len(texts)}", file=sys.stderr, flush=True)
    return out


# -- map ---------------------------------------------------------------------------------------


def teacher_neighbours(t: np.ndarray, block: int = 2048) -> np.ndarray:
    """Each text's nearest other text by the teacher's cosine (the pairs alignment has to tell apart)."""
    out = np.zeros(len(t), dtype=np.int64)
    for a in range(0, len(t), block):
        sims = t[a:a + block] @ t.T
        sims[np.arange(len(sims)), np.arange(a, a + len(sims))] = -2.0
        out[a:a + block] = sims.argmax(axis=1)
    return out


def fit_map(x: np.ndarray, t: np.ndarray, hidden: int, epochs: int, seed: int = SEED,
            pair_weight: float = 1.0, rank_weight: float = 0.0, temperature: float = 0.05) -> dict[str, np.ndarray]:
    """Train the residual MLP (hidden 0: linear only) from pooled vectors x to teacher unit vectors t.

    A batch is 128 texts and each one's nearest neighbour by the teacher, so the near pairs (where
    alignment decides) are in every batch. Loss: 1 - cosine to the teacher, plus `pair_weight` x the
    squared error of the cosines between the batch's texts, plus `rank_weight` x the KL divergence of
    each text's softmax over its batchmates (at `temperature`) from the teacher's: who is nearest."""
    import torch

    torch.manual_seed(seed)
    torch.set_num_threads(1)  # tiny matrices: more threads only wait on each other on a shared machine
    mean = x.mean(axis=0)
    scale = x.std(axis=0) + 1e-6
    z = torch.tensor((x - mean) / scale, dtype=torch.float32)
    target = torch.tensor(t, dtype=torch.float32)
    dim = x.shape[1]
    w0 = torch.nn.Linear(dim, dim)
    mods = [w0]
    if hidden:
        w1, w2 = torch.nn.Linear(dim, hidden), torch.nn.Linear(hidden, dim)
        torch.nn.init.zeros_(w2.weight)
        torch.nn.init.zeros_(w2.bias)
        mods += [w1, w2]
    params = [p for m in mods for p in m.parameters()]
    opt = torch.optim.AdamW(params, lr=2e-3, weight_decay=1e-4)
    steps_per_epoch = max(1, len(z) // 128)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, epochs * steps_per_epoch)
    gen = torch.Generator().manual_seed(seed)
    near = torch.tensor(teacher_neighbours(t))
    eye = torch.eye(256, dtype=torch.bool)

    def forward(zb: torch.Tensor) -> torch.Tensor:
        y = w0(zb)
        if hidden:
            y = y + w2(torch.nn.functional.gelu(w1(zb), approximate="tanh"))
        return torch.nn.functional.normalize(y, dim=-1)

    for _ in range(epochs):
        order = torch.randperm(len(z), generator=gen)
        for s in range(steps_per_epoch):
            anchors = order[s * 128:(s + 1) * 128]
            idx = torch.cat([anchors, near[anchors]])
            y, tb = forward(z[idx]), target[idx]
            sy, st = y @ y.T, tb @ tb.T
            loss = (1 - (y * tb).sum(-1)).mean() + pair_weight * ((sy - st) ** 2).mean()
            if rank_weight:
                mask = eye[:len(idx), :len(idx)]
                log_p = torch.log_softmax(sy.masked_fill(mask, -1e4) / temperature, dim=-1)
                q = torch.softmax(st.masked_fill(mask, -1e4) / temperature, dim=-1)
                loss = loss + rank_weight * torch.nn.functional.kl_div(log_p, q, reduction="batchmean")
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
    arrays = {"mean": mean, "scale": scale, "w0": w0.weight.detach().numpy().T, "b0": w0.bias.detach().numpy()}
    if hidden:
        arrays.update(w1=w1.weight.detach().numpy().T, b1=w1.bias.detach().numpy(),
                      w2=w2.weight.detach().numpy().T, b2=w2.bias.detach().numpy())
    return {k: np.ascontiguousarray(v, dtype=np.float32) for k, v in arrays.items()}


def apply_map(arrays: dict[str, np.ndarray], x: np.ndarray) -> np.ndarray:
    """The map as `e5_student.StudentMap` runs it (float16-rounded weights, as shipped)."""
    from echolot.encoders.e5_student import StudentMap

    m = StudentMap.__new__(StudentMap)
    m.arrays = {k: v.astype(np.float16).astype(np.float32) for k, v in arrays.items()}
    return m(x)


def report(x: np.ndarray, t: np.ndarray, y: np.ndarray) -> dict[str, float]:
    """Held-out agreement with the teacher: cosine to its vector, and how well the student keeps the
    teacher's cosines between texts (mean absolute error over pairs, and the rank of each text's
    nearest neighbour)."""
    raw = x / np.linalg.norm(x, axis=1, keepdims=True)
    sims_t, sims_y = t @ t.T, y @ y.T
    np.fill_diagonal(sims_t, -2)
    np.fill_diagonal(sims_y, -2)
    nn_same = float(np.mean(sims_t.argmax(1) == sims_y.argmax(1)))
    off = ~np.eye(len(t), dtype=bool)
    return {"cos_to_teacher_mean": float(np.mean(np.sum(y * t, 1))),
            "cos_to_teacher_p05": float(np.percentile(np.sum(y * t, 1), 5)),
            "raw_pooled_cos_to_teacher_mean": float(np.mean(np.sum(raw * t, 1))),
            "pair_cos_abs_err": float(np.mean(np.abs(sims_t - sims_y)[off])),
            "nearest_neighbour_agrees": nn_same}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--layers", type=int, default=4)
    parser.add_argument("--hidden", type=int, default=1024)
    parser.add_argument("--epochs", type=int, default=HEAD_EPOCHS)
    parser.add_argument("--pair-weight", type=float, default=1.0)
    parser.add_argument("--rank-weight", type=float, default=0.0)
    parser.add_argument("--features", type=Path, help="cache of the teacher pass (npz; computed when missing)")
    parser.add_argument("--tune", action="store_true", help="LoRA adapters on the layers too (`tune_student`)")
    parser.add_argument("--tune-epochs", type=float, default=TUNE["epochs"])
    parser.add_argument("--tune-first", type=int, help="layers left without adapters (default: TUNE's)")
    parser.add_argument("--tune-weights", help="PAIR,RANK loss weights of `--tune` (default: TUNE's)")
    parser.add_argument("--limit", type=int, default=0, help="train on the first N texts only (a timing run)")
    parser.add_argument("--compare", action="store_true", help="print held-out figures of several maps, write nothing")
    parser.add_argument("--out", type=Path, help="where to write the map (default: the shipped file)")
    args = parser.parse_args(argv)
    pairs = training_texts()
    texts = [t for _, t in pairs]
    if args.features and args.features.is_file():
        feats: dict[str, Any] = dict(np.load(args.features))
    else:
        feats = teacher_features(texts)
        if args.features:
            np.savez(str(args.features), **feats)  # type: ignore[arg-type]
    n_test = len(texts) // 10
    t = feats["t"]
    if args.tune:
        tune(args, texts, feats, pairs, n_test)
        return
    if args.compare:
        for k in (4, 6, 8):
            x = feats[f"p{k}"]
            for hidden in (0, 1024):
                arrays = fit_map(x[n_test:], t[n_test:], hidden, args.epochs)
                print(json.dumps({"layers": k, "hidden": hidden,
                                  **report(x[:n_test], t[:n_test], apply_map(arrays, x[:n_test]))}), flush=True)
        return
    from echolot.encoders.e5_student import weights_path
    from echolot.training.ner_tuned import write_npz

    x = feats[f"p{args.layers}"]
    weights = {"pair_weight": args.pair_weight, "rank_weight": args.rank_weight}
    held = fit_map(x[n_test:], t[n_test:], args.hidden, args.epochs, **weights)
    figures = report(x[:n_test], t[:n_test], apply_map(held, x[:n_test]))
    print(json.dumps(figures), flush=True)
    arrays = fit_map(x, t, args.hidden, args.epochs, **weights)  # the shipped map sees every sentence
    path = args.out or weights_path(args.layers)
    write_npz(path, {**{k: v.astype(np.float16) for k, v in arrays.items()},
                     "layers": np.array(args.layers, dtype=np.int64)})
    settings = {"layers": args.layers, "hidden": args.hidden, "epochs": args.epochs, "seed": SEED, "caps": CAPS,
                **weights}
    notes = {"texts": len(texts), "by_source": {s: sum(1 for p, _ in pairs if p == s) for s in CAPS},
             "held_out": n_test, "held_out_figures": {k: round(v, 4) for k, v in figures.items()}}
    write_record(path.parent, path.stem, "e5_student", f"/work/venv-torch/bin/python -m echolot.training.e5_student "
                 f"--layers {args.layers} --hidden {args.hidden} --epochs {args.epochs} "
                 f"--pair-weight {args.pair_weight} --rank-weight {args.rank_weight}", json_settings(settings),
                 DATA, data_files(), [path.name], notes)
    print(json.dumps(notes, indent=1))


def tune(args: argparse.Namespace, texts: list[str], feats: dict[str, Any], pairs: list[tuple[str, str]],
         n_test: int) -> None:
    """`--tune`: head fitted on the pooled layer, then adapters and head trained through the layers on
    all but the first tenth of the texts; held-out figures on that tenth; the map file and its record."""
    from echolot.encoders.e5_student import weights_path
    from echolot.encoders.e5_tokens import E5TokenEncoder, model_path
    from echolot.training.ner_tuned import write_npz

    settings = {**TUNE, "epochs": args.tune_epochs}
    if args.tune_first is not None:  # adapt layers from another one on (a comparison run)
        settings["first"] = args.tune_first
    if args.tune_weights:  # "pair,rank": other loss weights (a comparison run)
        settings["pair_weight"], settings["rank_weight"] = (float(v) for v in args.tune_weights.split(","))
    x, t = feats[f"p{args.layers}"], feats["t"]
    end = n_test + args.limit if args.limit else len(texts)
    head = fit_map(x[n_test:end], t[n_test:end], 0, args.epochs)
    src = E5TokenEncoder(model_path())
    model = tune_student(src, texts[n_test:end], t[n_test:end], args.layers, head, settings, log=sys.stderr)
    y = student_vectors(model, src, texts[:n_test], settings["max_tokens"])
    figures = report(x[:n_test], t[:n_test], y)
    print(json.dumps(figures), flush=True)
    path = args.out or weights_path(args.layers)
    write_npz(path, student_arrays(model, args.layers, settings))
    notes = {"texts": end - n_test, "by_source": {s: sum(1 for p, _ in pairs[n_test:end] if p == s) for s in CAPS},
             "held_out": n_test, "held_out_figures": {k: round(v, 4) for k, v in figures.items()}}
    cmd = "python -m echolot.training.e5_student --tune"
    if (args.layers, args.tune_epochs, args.epochs, args.tune_weights, args.tune_first) != (
            4, TUNE["epochs"], HEAD_EPOCHS, None, None):
        cmd += f" --layers {args.layers} --tune-epochs {args.tune_epochs} --epochs {args.epochs}"
        cmd += f" --tune-first {args.tune_first}" if args.tune_first is not None else ""
        cmd += f" --tune-weights {args.tune_weights}" if args.tune_weights else ""
    write_record(path.parent, path.stem, "e5_student", cmd,
                 json_settings({"layers": args.layers, "head_epochs": args.epochs, "seed": SEED, "caps": CAPS,
                                **settings}), DATA, data_files(), [path.name], notes)
    print(json.dumps(notes, indent=1))



# -- tuned student: LoRA adapters on e5's first k layers, distilled through the layers -----------------


PROJ = ("q", "k", "v", "o", "fi", "fo")


def _shapes(ly: Any) -> dict[str, tuple[int, int]]:
    """(fan in, fan out) of each adapted projection of a `_Layer` (q, k, v: thirds of the fused matrix)."""
    H = ly.ao_w.shape[0]
    return {"q": (H, H), "k": (H, H), "v": (H, H), "o": ly.ao_w.shape, "fi": ly.fi_w.shape, "fo": ly.fo_w.shape}


def build_student(src: Any, layers: int, rank: int, alpha: float, head: dict[str, np.ndarray], first: int = 0) -> Any:
    """torch module: e5's layers `first`+1 .. `layers` (frozen, dequantised as `E5TokenEncoder` loads
    them) with LoRA adapters on every projection, on the states after layer `first` (computed once,
    `lower_states`), mean pooling over the text's tokens, and a linear head (initialised from the
    fitted linear map `head`), unit output."""
    import torch
    from torch import nn

    H, heads, eps = src.H, src.heads, float(src.eps)
    scale = alpha / rank

    hd = H // heads

    class Student(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.first = first
            self.run = [src._layers[i - 1] for i in range(first + 1, layers + 1)]  # frozen `_Layer`s
            self.lora = nn.ParameterDict()
            for i, ly in enumerate(self.run, start=first + 1):
                for p, (fan_in, fan_out) in _shapes(ly).items():
                    a = torch.empty(fan_in, rank)
                    nn.init.kaiming_uniform_(a.T, a=5 ** 0.5)  # LoRA's start: A random, B zero (no change)
                    self.lora[f"l{i}_{p}_a"] = nn.Parameter(a)
                    self.lora[f"l{i}_{p}_b"] = nn.Parameter(torch.zeros(rank, fan_out))
            # the head works on the standardised pooled vector, as `StudentMap` runs it
            self.mean = torch.from_numpy(head["mean"])
            self.scale = torch.from_numpy(head["scale"])
            self.head = nn.Linear(H, H)
            with torch.no_grad():
                self.head.weight.copy_(torch.from_numpy(head["w0"].T))
                self.head.bias.copy_(torch.from_numpy(head["b0"]))
            t = functools.partial(torch.as_tensor, dtype=torch.float32)
            self.tensors = [{"qkv": t(ly.qkv_w), "qkv_b": t(ly.qkv_b), "o": t(ly.ao_w), "o_b": t(ly.ao_b),
                             "aln": (t(ly.aln[0]), t(ly.aln[1])), "fi": t(ly.fi_w), "fi_b": t(ly.fi_b),
                             "fo": t(ly.fo_w), "fo_b": t(ly.fo_b), "oln": (t(ly.oln[0]), t(ly.oln[1]))}
                            for ly in self.run]

        def delta(self, x: torch.Tensor, i: int, p: str) -> torch.Tensor:
            """The adapter's contribution to projection `p` of layer i: x A B * scale."""
            return (x @ self.lora[f"l{i}_{p}_a"]) @ self.lora[f"l{i}_{p}_b"] * scale

        def layer(self, x: torch.Tensor, i: int, w: dict[str, Any], allowed: torch.Tensor) -> torch.Tensor:
            B, L, _ = x.shape
            qkv = x @ w["qkv"] + w["qkv_b"] + torch.cat([self.delta(x, i, p) for p in ("q", "k", "v")], dim=-1)
            q, k, v = (part.reshape(B, L, heads, hd).transpose(1, 2) for part in qkv.split(H, dim=-1))
            ctx = nn.functional.scaled_dot_product_attention(q, k, v, attn_mask=allowed[:, None, None, :])
            ctx = ctx.transpose(1, 2).reshape(B, L, H)
            x = nn.functional.layer_norm(x + ctx @ w["o"] + w["o_b"] + self.delta(ctx, i, "o"), (H,), *w["aln"], eps)
            mid = nn.functional.gelu(x @ w["fi"] + w["fi_b"] + self.delta(x, i, "fi"))
            return nn.functional.layer_norm(x + mid @ w["fo"] + w["fo_b"] + self.delta(mid, i, "fo"), (H,), *w["oln"], eps)

        def forward(self, x: torch.Tensor, keep: torch.Tensor) -> torch.Tensor:
            allowed = keep > 0
            for i, w in enumerate(self.tensors, start=self.first + 1):
                x = self.layer(x, i, w, allowed)
            pooled = (x * keep[..., None]).sum(1) / keep.sum(1, keepdim=True)
            y = self.head((pooled - self.mean) / self.scale)
            return nn.functional.normalize(y, dim=-1)

    return Student()


def tune_student(src: Any, texts: list[str], t: np.ndarray, layers: int, head: dict[str, np.ndarray],
                 settings: dict[str, Any], log: Any = None) -> Any:
    """Train the LoRA adapters and head of `build_student` on `texts` against the teacher vectors `t`
    (batches of `anchors` texts plus each one's teacher nearest neighbour; loss as `fit_map`'s)."""
    import time

    import torch

    from echolot.encoders.onnx_e5 import Tokenizer

    torch.manual_seed(SEED)
    torch.set_num_threads(settings["threads"])
    model = build_student(src, layers, settings["rank"], settings["alpha"], head, settings["first"])
    tok = Tokenizer(src.vocab, src.bos, src.eos)
    ids = [[src.bos, *tok.content_ids(x)[:settings["max_tokens"] - 2], src.eos] for x in texts]
    lower = lower_states(src, ids, settings["first"])
    near = teacher_neighbours(t)
    target = torch.tensor(t, dtype=torch.float32)
    groups = [{"params": list(model.lora.parameters()), "lr": settings["lr"]},
              {"params": list(model.head.parameters()), "lr": settings["head_lr"]}]
    opt = torch.optim.AdamW(groups, weight_decay=0.0)
    n_anchor = settings["anchors"]
    per_epoch = len(texts) // n_anchor
    steps = max(1, int(settings["epochs"] * per_epoch))
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, [settings["lr"], settings["head_lr"]], total_steps=steps,
                                                pct_start=0.06)
    rng = np.random.default_rng(SEED)
    start = time.time()
    order = rng.permutation(len(texts))
    for step in range(steps):
        if step and step % per_epoch == 0:
            order = rng.permutation(len(texts))
        if True:
            s = step % per_epoch
            anchors = order[s * n_anchor:(s + 1) * n_anchor]
            batch = np.concatenate([anchors, near[anchors]])
            L = max(len(ids[i]) for i in batch)
            xs = np.zeros((len(batch), L, src.H), dtype=np.float32)
            keep = np.zeros((len(batch), L), dtype=np.float32)
            for r, i in enumerate(batch):
                xs[r, :len(ids[i])] = lower[i]
                keep[r, :len(ids[i])] = 1.0
            x = torch.from_numpy(xs)
            y, tb = model(x, torch.from_numpy(keep)), target[batch]
            sy, st = y @ y.T, tb @ tb.T
            loss = (1 - (y * tb).sum(-1)).mean() + settings["pair_weight"] * ((sy - st) ** 2).mean()
            mask = torch.eye(len(batch), dtype=torch.bool)
            log_p = torch.log_softmax(sy.masked_fill(mask, -1e4) / settings["temperature"], dim=-1)
            q = torch.softmax(st.masked_fill(mask, -1e4) / settings["temperature"], dim=-1)
            loss = loss + settings["rank_weight"] * torch.nn.functional.kl_div(log_p, q, reduction="batchmean")
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            if log is not None and (step + 1) % 20 == 0:
                print(f"step {step + 1}/{steps} loss {loss.item():.4f} {time.time() - start:.0f}s", file=log, flush=True)
    return model


def lower_states(src: Any, ids: list[list[int]], first: int) -> list[np.ndarray]:
    """Each text's states after layer `first` (0: the normalised embeddings), float16: the frozen
    lower layers run once (float32 ONNX graph), not at every training step."""
    import onnxruntime as ort

    from echolot.encoders.e5_student import cut_graph
    from echolot.encoders.onnx_e5 import _session_options, embed_raw

    if not first:
        return [src._embed(np.asarray([row]))[0].astype(np.float16) for row in ids]
    session = ort.InferenceSession(cut_graph(src, first, quantize=False), _session_options(),
                                   providers=["CPUExecutionProvider"])
    out = []
    for row in ids:
        arr = np.asarray([row], dtype=np.int64)
        out.append(session.run([f"h{first}"], {"x": embed_raw(src, arr),
                                               "mask": np.ones(arr.shape, dtype=np.float32)})[0][0].astype(np.float16))
    return out


def student_vectors(model: Any, src: Any, texts: list[str], max_tokens: int) -> np.ndarray:
    """The torch student's unit vectors (one text at a time, as the run-time encoder runs them)."""
    import torch

    from echolot.encoders.onnx_e5 import Tokenizer

    tok = Tokenizer(src.vocab, src.bos, src.eos)
    ids = [[src.bos, *tok.content_ids(text)[:max_tokens - 2], src.eos] for text in texts]
    out = np.zeros((len(texts), src.H), dtype=np.float32)
    with torch.no_grad():
        for n, lower in enumerate(lower_states(src, ids, model.first)):
            out[n] = model(torch.from_numpy(lower[None].astype(np.float32)),
                           torch.ones((1, len(lower)), dtype=torch.float32))[0].numpy()
    return out


def student_arrays(model: Any, layers: int, settings: dict[str, Any]) -> dict[str, np.ndarray]:
    """What ships: the head as `StudentMap` reads it, the adapters and their scale, float16."""
    arrays = {"mean": model.mean.numpy(), "scale": model.scale.numpy(),
              "w0": model.head.weight.detach().numpy().T, "b0": model.head.bias.detach().numpy(),
              "lora_scale": np.array(settings["alpha"] / settings["rank"], dtype=np.float32)}
    for name, p in model.lora.items():
        arrays[f"lora_{name}"] = p.detach().numpy()
    return {k: np.ascontiguousarray(v).astype(np.float16) for k, v in arrays.items()} | {
        "layers": np.array(layers, dtype=np.int64)}


if __name__ == "__main__":
    main()
