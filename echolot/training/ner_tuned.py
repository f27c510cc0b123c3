"""Fine-tune multilingual-e5-small for NER with LoRA adapters (`echolot.entities.ner.tuned`, `tuned-e5`).

    /work/venv-torch/bin/python -m echolot.training.ner_tuned          # the shipped models/xx/tuned.npz + record
    ... -m echolot.training.ner_tuned --holdout ru --out DIR            # train without Russian (proxy)
    ... -m echolot.training.ner_tuned --measure 200                     # throughput on 200 sentences, nothing written
    ... -m echolot.training.ner_tuned --stack-de K --out DIR            # German only, EuroParl proxy block left
                                                                        # out, without fold K (-1: all folds)
    ... -m echolot.training.ner_tuned --en-sentences 14041 --out DIR    # all of the train compartment's English
    ... -m echolot.training.ner_tuned --english                         # the same: models/en/tuned-en.npz + record
    python -m echolot.training.ner_tuned --score --out DIR               # its figures on the dev parts and proxies
    python -m echolot.training.ner_tuned --record-from REPORT            # record for a scratch run copied to xx
                                                                        # (or, for an --english run, to en)

**Needs torch** (training only: `pip install -e .[train]`); the runtime tagger is numpy.

What trains: e5's dequantised weights (the very arrays `E5TokenEncoder` loads) stay frozen; LoRA
adapters (rank `rank`, alpha `alpha`) on q/k/v/o and both feed-forward matrices of layers
`frozen_layers`+1 .. 12, plus a linear head on the last layer's state of each word's first
sub-word. Layers 1..`frozen_layers` are not adapted, so their output is computed once (numpy,
`E5TokenEncoder.forward`) and cached: each step then runs only the upper layers.

Data: the training parts (`echolot.eval.splits.ner_is_dev` false) of de.germeval + de.europarl
(all), ru.factrueval (all; MISC is not annotated there, so the MISC logits are masked out of the
loss of Russian sentences: the model is never taught "not MISC" from them) and a fixed sample of
English CoNLL-2003 drawn only from its original *train* compartment (the first 14,041 sentences),
so the original dev compartment (the last 3,250, other documents) stays an independence proxy.
Deterministic: fixed seeds, `torch.use_deterministic_algorithms(True)`, `threads` torch threads (one).

Two shipped files come from this trainer, each with its record: `tuned-e5` (models/xx/tuned.npz, 3,000
English sentences; serves ru, hi and the languages without training data) and `tuned-e5-en`
(models/en/tuned-en.npz, `--english`: every training-part sentence of CoNLL's train compartment;
serves English only, `echolot.entities.ner.OWN_TUNED`).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from echolot.entities.ner.data import Sentence, read_conll
from echolot.entities.ner.tuned import MODEL_FILE, NAME, PROJECTIONS, Window, windows
from echolot.eval.common import find_data_dir
from echolot.eval.splits import NER_STACK_FOLDS, ner_fold, ner_in_proxy_block, ner_is_dev
from echolot.training.ner import (
    COMPARTMENT_DEV, COMPARTMENT_WHOLE, EN_TRAIN_COMPARTMENT, MODELS_DIR, sample, sample_rank)
from echolot.training.record import json_settings, write_record

TRAINER = "ner_tuned"
FOLDER = MODELS_DIR / "xx"
LABELS = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC"]
FILES = {"de": ["de.germeval.conll", "de.europarl.conll"], "en": ["en.conll2003.conll"], "ru": ["ru.factrueval.conll"]}
NO_MISC = ("ru",)
DEFAULTS: dict[str, Any] = {
    "files": FILES, "labels": LABELS, "en_sentences": 3000, "en_compartment": EN_TRAIN_COMPARTMENT,
    "no_misc": list(NO_MISC), "frozen_layers": 4, "rank": 8, "alpha": 16, "epochs": 3, "lr": 1e-3,
    "head_lr": 2e-3, "warmup": 0.06, "weight_decay": 0.0, "batch_tokens": 1024, "max_positions": 512,
    "seed": 0, "threads": 1, "bf16": False,
}


EN_NAME = "tuned-e5-en"
EN_FOLDER = MODELS_DIR / "en"
EN_MODEL_FILE = "tuned-en.npz"
#: record name -> (shipped folder, file name, command-line option, settings that differ from DEFAULTS)
RECORDS: dict[str, tuple[Path, str, str, dict[str, Any]]] = {
    NAME: (FOLDER, MODEL_FILE, "", {}),
    EN_NAME: (EN_FOLDER, EN_MODEL_FILE, " --english", {"en_sentences": EN_TRAIN_COMPARTMENT}),
}


def command(name: str) -> str:
    """The documented command that rebuilds the shipped tuned tagger `name` (`RECORDS`)."""
    if name not in RECORDS:
        raise KeyError(f"no tuned NER record named {name!r}")
    return "python -m echolot.training.ner_tuned" + RECORDS[name][2]


def defaults(name: str) -> dict[str, Any]:
    """The settings `command(name)` trains with."""
    command(name)
    return json_settings({**DEFAULTS, **RECORDS[name][3]})


def record_name(settings: dict[str, Any]) -> str | None:
    """The shipped record whose defaults `settings` are, or None (a scratch run's own settings)."""
    return next((name for name in RECORDS if settings == defaults(name)), None)


def training_sentences(data_root: Path, settings: dict[str, Any], holdout: str | None = None
                       ) -> list[tuple[str, Sentence]]:
    """(language, sentence) pairs of the training parts, English sampled from its train compartment."""
    out: list[tuple[str, Sentence]] = []
    for lang, names in sorted(settings["files"].items()):
        if lang == holdout:
            continue
        for name in names:
            sentences = read_conll(data_root / "ner" / "dev" / name)
            if lang == "en":
                sentences = sentences[:settings["en_compartment"]]
            fit = [s for s in sentences if not ner_is_dev([t for t, _ in s])]
            if settings.get("proxy_blocks") or settings.get("fold") is not None:
                fit = stack_part(fit, sentences, name, settings)
            if lang == "en":
                fit = sample(fit, settings["en_sentences"], "tuned:")
            out += [(lang, s) for s in fit]
    return out


def stack_part(fit: list[Sentence], sentences: list[Sentence], name: str, settings: dict[str, Any]
               ) -> list[Sentence]:
    """The German stacking models: drop the file's proxy block (`splits.ner_in_proxy_block`) and,
    for a cross-fitting model, the sentences of its own fold (it will tag those)."""
    stem, total = name.removesuffix(".conll"), len(sentences)
    position = {id(s): i for i, s in enumerate(sentences)}
    out = [s for s in fit if not (settings.get("proxy_blocks") and ner_in_proxy_block(stem, position[id(s)], total))]
    fold = settings.get("fold")
    if fold is not None:
        out = [s for s in out if ner_fold([t for t, _ in s], settings["folds"]) != fold]
    return out


def _encode(encoder: Any, data: Sequence[tuple[str, Sentence]], settings: dict[str, Any]
            ) -> list[tuple[Window, list[int], bool]]:
    """Windows with the label id of each word and whether MISC is unannotated in its language."""
    index = {lab: i for i, lab in enumerate(settings["labels"])}
    sentences = [[t for t, _ in s] for _, s in data]
    out = []
    for w in windows(encoder.vocab.word_ids, sentences, encoder.bos, encoder.eos, encoder.vocab.unk,
                     settings["max_positions"]):
        lang, sentence = data[w.sentence]
        tags = [index[tag] for _, tag in sentence[w.start:w.start + len(w.first)]]
        out.append((w, tags, lang in settings["no_misc"]))
    return out


def stack_settings(fold: int, base: dict[str, Any] | None = None) -> dict[str, Any]:
    """Settings of a German stacking model (`--stack-de FOLD`): fold -1 trains on every fold."""
    settings = dict(base or defaults(NAME))
    settings.update({"files": {"de": FILES["de"]}, "proxy_blocks": True, "folds": NER_STACK_FOLDS,
                     "fold": None if fold < 0 else fold})
    return settings


def _lower_states(encoder: Any, items: list[tuple[Window, list[int], bool]], depth: int) -> list[np.ndarray]:
    """Output of the frozen layers 1..depth for each window ([len, H] float32), computed once."""
    from threadpoolctl import threadpool_limits

    out: list[np.ndarray] = [np.zeros(0)] * len(items)
    order = sorted(range(len(items)), key=lambda i: len(items[i][0].ids))
    with threadpool_limits(limits=1, user_api="blas"):  # 2 threads spin-wait on a busy box
        for k in range(0, len(order), 32):
            chunk = order[k:k + 32]
            lengths = np.array([len(items[i][0].ids) for i in chunk])
            ids = np.zeros((len(chunk), lengths.max()), dtype=np.int64)
            for r, i in enumerate(chunk):
                ids[r, :lengths[r]] = items[i][0].ids
            states = encoder.forward(ids, lengths, [depth])[0]
            for r, i in enumerate(chunk):
                out[i] = np.ascontiguousarray(states[r, :lengths[r]])
    return out


def build_model(encoder: Any, settings: dict[str, Any]) -> Any:
    """The torch module: frozen upper layers of e5 with LoRA adapters, and the tagging head."""
    import torch
    from torch import nn

    H, heads, eps = encoder.H, encoder.heads, float(encoder.eps)
    rank, scale = settings["rank"], settings["alpha"] / settings["rank"]

    class Adapted(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.layer_ids = list(range(settings["frozen_layers"] + 1, encoder.layers_n + 1))
            self.frozen: list[dict[str, torch.Tensor]] = []
            self.lora = nn.ParameterDict()
            for i in self.layer_ids:
                ly = encoder._layers[i - 1]
                w = {"q": ly.qkv_w[:, :H], "k": ly.qkv_w[:, H:2 * H], "v": ly.qkv_w[:, 2 * H:],
                     "qkv_b": ly.qkv_b, "o": ly.ao_w, "o_b": ly.ao_b, "aln_w": ly.aln[0], "aln_b": ly.aln[1],
                     "fi": ly.fi_w, "fi_b": ly.fi_b, "fo": ly.fo_w, "fo_b": ly.fo_b,
                     "oln_w": ly.oln[0], "oln_b": ly.oln[1]}
                self.frozen.append({k: torch.from_numpy(np.ascontiguousarray(v, dtype=np.float32)) for k, v in w.items()})
                for p in PROJECTIONS:
                    fan_in, fan_out = w[p].shape
                    a = torch.empty(fan_in, rank)
                    nn.init.kaiming_uniform_(a.T, a=5 ** 0.5)  # as nn.Linear / the LoRA paper: A random, B zero
                    self.lora[f"l{i}_{p}_a"] = nn.Parameter(a)
                    self.lora[f"l{i}_{p}_b"] = nn.Parameter(torch.zeros(rank, fan_out))
            self.head = nn.Linear(H, len(settings["labels"]))
            self.dropout = nn.Dropout(0.1)

        def proj(self, x: torch.Tensor, i: int, p: str, w: torch.Tensor) -> torch.Tensor:
            return x @ w + ((x @ self.lora[f"l{i}_{p}_a"]) @ self.lora[f"l{i}_{p}_b"]) * scale

        def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
            B, L, _ = x.shape
            hd = H // heads
            for i, f in zip(self.layer_ids, self.frozen):
                qkv = torch.cat([self.proj(x, i, p, f[p]) for p in ("q", "k", "v")], dim=-1) + f["qkv_b"]
                q, k, v = (qkv[..., j * H:(j + 1) * H].reshape(B, L, heads, hd).transpose(1, 2) for j in range(3))
                att = (q @ k.transpose(-1, -2)) * (1.0 / hd ** 0.5) + mask[:, None, None, :]
                ctx = (att.softmax(-1) @ v).transpose(1, 2).reshape(B, L, H)
                x = nn.functional.layer_norm(x + self.proj(ctx, i, "o", f["o"]) + f["o_b"], (H,), f["aln_w"],
                                             f["aln_b"], eps)
                mid = nn.functional.gelu(self.proj(x, i, "fi", f["fi"]) + f["fi_b"])
                x = nn.functional.layer_norm(x + self.proj(mid, i, "fo", f["fo"]) + f["fo_b"], (H,), f["oln_w"],
                                             f["oln_b"], eps)
            return self.head(self.dropout(x))

    return Adapted(), scale


def _batches(lengths: Sequence[int], budget: int, rng: np.random.Generator) -> list[list[int]]:
    """Index batches of similar length (padded size <= budget), in a seeded random order."""
    order = sorted(range(len(lengths)), key=lambda i: (lengths[i], i))
    batches: list[list[int]] = []
    cur: list[int] = []
    for i in order:
        if cur and lengths[i] * (len(cur) + 1) > budget:
            batches.append(cur)
            cur = []
        cur.append(i)
    if cur:
        batches.append(cur)
    return [batches[j] for j in rng.permutation(len(batches))]


def _tensors(items: list[tuple[Window, list[int], bool]], states: list[np.ndarray], batch: list[int],
             n_labels: int, misc: list[int]) -> tuple[Any, Any, Any, Any]:
    import torch

    L = max(len(states[i]) for i in batch)
    H = states[batch[0]].shape[1]
    x = np.zeros((len(batch), L, H), np.float32)
    mask = np.full((len(batch), L), -1e9, np.float32)
    pos_b, pos_t, labels, bans = [], [], [], []
    for r, i in enumerate(batch):
        w, tags, no_misc = items[i]
        x[r, :len(states[i])] = states[i]
        mask[r, :len(states[i])] = 0.0
        for p, t in zip(w.first, tags):
            pos_b.append(r)
            pos_t.append(p)
            labels.append(t)
            ban = np.zeros(n_labels, np.float32)
            if no_misc:
                ban[misc] = -1e4
            bans.append(ban)
    return (torch.from_numpy(x), torch.from_numpy(mask), (torch.tensor(pos_b), torch.tensor(pos_t)),
            (torch.tensor(labels), torch.from_numpy(np.stack(bans))))


def train(encoder: Any, data: Sequence[tuple[str, Sentence]], settings: dict[str, Any], log: Any,
          measure: bool = False, items: list[tuple[Window, list[int], bool]] | None = None
          ) -> tuple[Any, dict[str, Any]]:
    """Fit the adapters and head; returns (model, notes). `items`: windows already labelled
    (another task's tagger, `echolot.training.quotes_tuned`); else `data` is encoded as NER."""
    import torch

    torch.manual_seed(settings["seed"])
    torch.set_num_threads(settings["threads"])
    torch.use_deterministic_algorithms(True)
    t0 = time.time()
    items = items if items is not None else _encode(encoder, data, settings)
    states = _lower_states(encoder, items, settings["frozen_layers"])
    print(f"lower states of {len(items)} windows: {time.time() - t0:.0f}s", file=log, flush=True)
    model, _scale = build_model(encoder, settings)
    lora = list(model.lora.parameters())
    head = list(model.head.parameters())
    opt = torch.optim.AdamW([{"params": lora, "lr": settings["lr"]}, {"params": head, "lr": settings["head_lr"]}],
                            weight_decay=settings["weight_decay"])
    rng = np.random.default_rng(settings["seed"])
    lengths = [len(s) for s in states]
    epochs = [_batches(lengths, settings["batch_tokens"], rng) for _ in range(settings["epochs"])]
    total = sum(len(e) for e in epochs)
    warm = max(1, int(total * settings["warmup"]))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (total - s) / max(1, total - warm))))
    misc = [i for i, lab in enumerate(settings["labels"]) if lab.endswith("MISC")]
    step, losses = 0, []
    model.train()
    for e, batches in enumerate(epochs):
        run_loss, run_n = 0.0, 0
        for batch in batches:
            x, mask, (pb, pt), (y, ban) = _tensors(items, states, batch, len(settings["labels"]), misc)
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=settings.get("bf16", False)):
                out = model(x, mask)
            logits = out.float()[pb, pt] + ban
            loss = torch.nn.functional.cross_entropy(logits, y)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(lora + head, 1.0)
            opt.step()
            sched.step()
            step += 1
            run_loss += float(loss.detach()) * len(y)
            run_n += len(y)
            if step % 25 == 0 or measure:
                print(f"epoch {e} step {step}/{total} loss {run_loss / run_n:.4f} {time.time() - t0:.0f}s",
                      file=log, flush=True)
        losses.append(round(run_loss / max(1, run_n), 4))
    notes = {"windows": len(items), "words": sum(len(t) for _, t, _ in items), "steps": total,
             "epoch_loss": losses}
    return model, notes


def export(model: Any, settings: dict[str, Any], scale: float, path: Path) -> None:
    """Adapters and head as float16 arrays (the runtime merges them into e5's weights)."""
    arrays: dict[str, Any] = {}
    for i in model.layer_ids:
        for p in PROJECTIONS:
            arrays[f"l{i}.{p}.a"] = model.lora[f"l{i}_{p}_a"].detach().numpy().astype(np.float16)
            arrays[f"l{i}.{p}.b"] = model.lora[f"l{i}_{p}_b"].detach().numpy().astype(np.float16)
    arrays["head_w"] = model.head.weight.detach().numpy().T.astype(np.float16)
    arrays["head_b"] = model.head.bias.detach().numpy().astype(np.float16)
    arrays["labels"] = np.array(settings["labels"])
    arrays["layers"] = np.array(model.layer_ids, dtype=np.int64)
    arrays["scale"] = np.array(scale, dtype=np.float32)
    write_npz(path, arrays)


def write_npz(path: Path, arrays: dict[str, Any]) -> None:
    """An .npz (np.load reads it) whose bytes depend only on the arrays: np.savez stamps each zip
    member with the current time, so a rerun would not reproduce the shipped bytes."""
    import zipfile

    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        for name in sorted(arrays):
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            with zf.open(info, "w", force_zip64=True) as handle:
                np.lib.format.write_array(handle, np.asarray(arrays[name]), allow_pickle=False)


def _check_runtime(model: Any, encoder: Any, data: Sequence[tuple[str, Sentence]], folder: Path) -> None:
    """The numpy tagger (merged weights) must give the torch model's logits (fp16 export aside)."""
    import torch

    from echolot.encoders.e5_tokens import E5TokenEncoder
    from echolot.entities.ner.tuned import TunedTagger

    settings = defaults(NAME)
    items = _encode(encoder, data, settings)
    states = _lower_states(encoder, items, model.layer_ids[0] - 1)
    model.eval()
    tagger = TunedTagger(folder, E5TokenEncoder(blas_threads=1))
    ours = tagger.logits([[t for t, _ in s] for _, s in data])
    with torch.no_grad():
        for k, (w, _tags, _m) in enumerate(items):
            ref = model(torch.from_numpy(states[k][None]), torch.zeros(1, len(states[k])))[0, w.first].numpy()
            print("max |torch - numpy| logit:", float(np.abs(ref - ours[k]).max()), file=sys.stderr)


def run(args: argparse.Namespace) -> dict[str, Any]:
    from echolot.encoders.e5_tokens import E5TokenEncoder

    settings = defaults(EN_NAME if getattr(args, "english", False) else NAME)
    for key in ("epochs", "en_sentences", "frozen_layers", "rank", "threads", "bf16"):
        if getattr(args, key, None) is not None:
            settings[key] = getattr(args, key)
    if getattr(args, "stack_de", None) is not None:
        if args.out is None:
            raise SystemExit("--stack-de needs --out DIR (it must not replace the shipped models/xx)")
        settings = stack_settings(args.stack_de, settings)
    data_root = args.data or find_data_dir()
    data = training_sentences(data_root, settings, args.holdout)
    if args.measure:
        data = sorted(data, key=lambda p: sample_rank(p[1], "measure:"))[:args.measure]
        settings["epochs"] = 1
    encoder = E5TokenEncoder(blas_threads=1)
    t0 = time.time()
    model, notes = train(encoder, data, settings, sys.stderr, measure=bool(args.measure))
    if args.measure:
        if args.out:  # a small model to check the numpy runtime against torch
            export(model, settings, settings["alpha"] / settings["rank"], args.out / MODEL_FILE)
            _check_runtime(model, encoder, data[:8], args.out)
        return {"sentences": len(data), "seconds": round(time.time() - t0, 1), **notes}
    name = None if args.holdout or args.out is not None else record_name(settings)
    out, file = (RECORDS[name][0], RECORDS[name][1]) if name else (args.out or FOLDER, MODEL_FILE)
    export(model, settings, settings["alpha"] / settings["rank"], out / file)
    notes["sentences"] = {lang: sum(1 for la, _ in data if la == lang) for lang in sorted(settings["files"])}
    notes["needs"] = "torch (pip install -e .[train]) to retrain; the runtime tagger is numpy"
    if name:
        _write_record(out, name, settings, data_root, notes)
    return {"out": str(out), "settings": settings, **notes}


def _write_record(folder: Path, name: str, settings: dict[str, Any], data_root: Path, notes: dict[str, Any]) -> Path:
    files = [data_root / "ner" / "dev" / f for names in settings["files"].values() for f in names]
    return write_record(folder, name, TRAINER, command(name), settings, data_root, files, [RECORDS[name][1]],
                        notes=notes)


def record_from(report_path: Path, folder: Path | None, data_root: Path) -> dict[str, Any]:
    """Write the shipped record for a model trained into a scratch folder and then copied to `folder`
    (None: the shipped folder of the record its settings match, models/xx or models/en).

    A run with `--out DIR` writes no record; when its settings are one shipped record's defaults (its
    command rebuilds it: `tuned-e5`, or `tuned-e5-en` for all of CoNLL's train compartment) and `folder`
    holds the very bytes that run wrote under that record's file name, the record is the one the plain
    command would have written. Anything else is refused: no record for a model it does not describe."""
    report = json.loads(report_path.read_text(encoding="utf-8"))
    trained = Path(report["out"]) / MODEL_FILE
    name = record_name(report.get("settings") or {})
    if name is None:
        raise SystemExit(f"{report_path}: trained with other settings than a shipped record's; retrain instead")
    folder = folder or RECORDS[name][0]
    shipped = folder / RECORDS[name][1]
    if not trained.is_file() or not shipped.is_file() or trained.read_bytes() != shipped.read_bytes():
        raise SystemExit(f"{shipped} is not the file that run wrote ({trained})")
    notes = {k: v for k, v in report.items() if k not in ("out", "settings")}
    return {"record": str(_write_record(folder, name, report["settings"], data_root, notes))}


def proxy_sets(data_root: Path, settings: dict[str, Any]) -> dict[str, tuple[str, list[Sentence]]]:
    """{name: (lang, gold sentences)}: each file's dev part, and the independence proxies.

    English: CoNLL's original dev compartment (the file's last 3,250 sentences, other documents than
    the train compartment the tuned model samples from). Its dev part is the fair comparison with the
    CRF (which trained on the compartment's other sentences); the whole compartment is unseen by the
    tuned model only. German: the GermEval dev part (the independent German set looks GermEval-like)."""
    out: dict[str, tuple[str, list[Sentence]]] = {}
    for lang, names in sorted(settings["files"].items()):
        for name in names:
            sentences = read_conll(data_root / "ner" / "dev" / name)
            out[f"{name.removesuffix('.conll')} dev"] = (lang, [s for s in sentences if ner_is_dev([t for t, _ in s])])
            stem = name.removesuffix(".conll")
            block = [s for i, s in enumerate(sentences) if ner_in_proxy_block(stem, i, len(sentences))]
            if block:  # honest only for models trained without it (--stack-de, ner --proxy-blocks)
                out[f"{stem} proxy block"] = (lang, block)
            if lang == "en":
                held = sentences[settings["en_compartment"]:]
                out[COMPARTMENT_DEV] = (lang, [s for s in held if ner_is_dev([t for t, _ in s])])
                out[COMPARTMENT_WHOLE] = (lang, held)
        parts = [out[f"{name.removesuffix('.conll')} dev"][1] for name in names]
        if len(parts) > 1:  # German: both dev parts scored together, as `echolot eval ner` does
            out[f"{lang} dev parts combined"] = (lang, [s for part in parts for s in part])
    from echolot.training import ner_fallback  # the fallback's 300-sentence dev samples (its --holdout figures)

    _, samples = ner_fallback.load_parts(data_root, ner_fallback.defaults(ner_fallback.NAME))
    for lang, sentences in samples.items():
        out[f"{lang} fallback-e5 sample"] = (lang, sentences)
    return out


def _crf_languages(folder: Path) -> set[str]:
    """The languages a CRF model folder trained on (its meta.json's `trained_on` file stems)."""
    from echolot.entities.ner.crf import META_FILE

    meta = json.loads((folder / META_FILE).read_text(encoding="utf-8"))
    return {stem.split(".", 1)[0] for stem in meta.get("trained_on", [])}


def score(args: argparse.Namespace) -> dict[str, Any]:
    """Exact-span figures of the current taggers and the tuned one on `proxy_sets` (no training)."""
    import tempfile

    from echolot.entities import ner
    from echolot.entities.ner.data import write_conll
    from echolot.entities.ner.tuned import TunedTagger
    from echolot.eval.common import run_scorer

    settings = defaults(NAME)
    data_root = args.data or find_data_dir()
    sets = proxy_sets(data_root, settings)
    if args.sets:
        sets = {k: v for k, v in sets.items() if any(part in k for part in args.sets.split(","))}
    tuned = TunedTagger(args.out or FOLDER) if "tuned" in args.backends.split(",") else None
    folders: dict[str, Any] = {}  # "crf=DIR" / "tuned=DIR": a model folder trained elsewhere (proxy runs)
    for backend in args.backends.split(","):
        kind, _, folder = backend.partition("=")
        if folder:
            from echolot.entities.ner.crf import CRFTagger

            folders[backend] = CRFTagger(Path(folder)) if kind == "crf" else TunedTagger(Path(folder))
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for key, (lang, gold) in sets.items():
            for backend in args.backends.split(","):
                if backend == "current" and "whole" in key:
                    continue  # the CRF trained on most of it: not a fair figure
                if backend.startswith("crf=") and lang not in _crf_languages(Path(backend[4:])):
                    continue  # a CRF folder tags only the language it trained on
                tagger = (folders[backend] if backend in folders else tuned if backend == "tuned" and tuned
                          else ner._fallback() if backend == "fallback" else ner._crf(lang))
                tagger.tag_many([[t for t, _ in gold[0]]])  # loading (models, encoder) stays out of the timing
                t0 = time.time()
                tags = tagger.tag_many([[t for t, _ in s] for s in gold])
                seconds = time.time() - t0
                g, p = Path(tmp) / "gold.conll", Path(tmp) / "pred.conll"
                write_conll(g, gold)
                write_conll(p, ([(t, tag) for (t, _), tag in zip(s, ts)] for s, ts in zip(gold, tags)))
                extra = ["--ignore-types", "MISC"] if lang in NO_MISC or "fallback" in key else []
                fig = run_scorer(data_root / "ner" / "score.py", g, p, *extra)
                words = sum(len(s) for s in gold)
                results[f"{key} [{backend}]"] = {
                    "f1": round(fig["overall"]["f1"], 4), "precision": round(fig["overall"]["precision"], 4),
                    "recall": round(fig["overall"]["recall"], 4), "n_gold": fig["overall"]["n_gold"],
                    "per_type": {t: round(v["f1"], 4) for t, v in fig["per_type"].items()},
                    "sentences": len(gold), "wall_s_per_1000_words": round(1000 * seconds / max(1, words), 2)}
                print(key, backend, results[f"{key} [{backend}]"], file=sys.stderr, flush=True)
    return results


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=None, help="shared data folder (default: ../shared/data)")
    ap.add_argument("--out", type=Path, default=None, help="model folder (default: echolot/entities/models/xx)")
    ap.add_argument("--holdout", choices=sorted(FILES), default=None, help="leave this language out of training")
    ap.add_argument("--measure", type=int, default=0, help="time one epoch on N training sentences; write nothing")
    ap.add_argument("--epochs", type=int, default=None)
    ap.add_argument("--en-sentences", type=int, default=None)
    ap.add_argument("--english", action="store_true",
                    help="the English-only file: all of CoNLL's train compartment, written to "
                         "models/en/tuned-en.npz with its record (or to --out DIR as tuned.npz, no record)")
    ap.add_argument("--frozen-layers", type=int, default=None)
    ap.add_argument("--rank", type=int, default=None)
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--bf16", action="store_true", default=None)
    ap.add_argument("--stack-de", type=int, default=None, metavar="FOLD",
                    help="a German stacking model: de files only, proxy blocks left out, trained without "
                         f"fold FOLD (0..{NER_STACK_FOLDS - 1}; -1: all folds) -> --out DIR")
    ap.add_argument("--score", action="store_true",
                    help="score the current taggers and the tuned model (--out or the shipped one) on the "
                         "dev parts and proxies; no torch needed, nothing written")
    ap.add_argument("--backends", default="current,tuned",
                    help="with --score: current (the language's CRF path), tuned, fallback (fallback-e5), "
                         "crf=DIR or tuned=DIR (a model folder, e.g. a proxy-block run)")
    ap.add_argument("--sets", default="", help="with --score: only sets whose name contains one of these (a,b)")
    ap.add_argument("--record-from", type=Path, default=None, metavar="REPORT",
                    help="write the training record into --out (default the shipped folder of the record "
                         "its settings match: models/xx, or models/en for --english's) for the model a "
                         "shipped-settings run wrote elsewhere; REPORT is that run's printed JSON")
    args = ap.parse_args(argv)
    if args.record_from:
        result = record_from(args.record_from, args.out, args.data or find_data_dir())
    else:
        result = score(args) if args.score else run(args)
    json.dump(result, sys.stdout, indent=1)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
