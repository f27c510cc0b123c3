"""`echolot predict TASK ...` and `echolot eval TASK`: the evaluation interfaces.

Each task is one module `echolot.eval.<task>` with two functions:
`predict(inputs, output, settings, **options)` writes predictions in the format the
task's `score.py` reads, and `evaluate(settings, data_dir, **options)` runs predict on
the dev set and returns the scorer's figures as a dict.
"""
from __future__ import annotations

import importlib
import json
from pathlib import Path
from types import ModuleType

import click

from echolot.cli import Context, lang_option, main, pass_ctx, with_lang

TASKS = ("extraction", "provenance", "stories", "ner", "quotes", "narratives", "frames", "demo")


def _task_module(task: str) -> ModuleType:
    if task not in TASKS:
        raise click.BadParameter(f"unknown task {task!r}; choose one of {', '.join(TASKS)}")
    return importlib.import_module(f"echolot.eval.{'narratives' if task == 'frames' else task}")


@main.command("predict")
@click.argument("task")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="Prediction file to write.")
@lang_option("Language of the input (de, en, ...; 'declared': each record's own 'lang' field) instead of"
             " detection; ner: de|en|ru.")
@click.option("--labels", default=None, type=click.Path(exists=True), help="Label taxonomy (narratives).")
@click.option("--model", "narratives_model", default=None,
              help="narratives: trained model .npz, or 'none' for the zero-shot matcher alone (default: shipped).")
@pass_ctx
def predict_cmd(ctx: Context, task: str, inputs: tuple[str, ...], output: str, lang: str | None,
                labels: str | None, narratives_model: str | None) -> None:
    """Write predictions for TASK (extraction, provenance, stories, ner, quotes, narratives, frames)."""
    if narratives_model is not None:
        from dataclasses import replace

        narratives = replace(ctx.settings.narratives, model=narratives_model)
        ctx = Context(replace(ctx.settings, narratives=narratives))
    module = _task_module(task)
    ctx = Context(with_lang(ctx.settings, lang))  # every path through `pipeline.prepare` uses it
    code = lang if lang != "declared" else None  # a task that needs one language (ner) gets it as an option
    options = {k: v for k, v in {"lang": code, "labels": labels}.items() if v is not None}
    fn = module.predict_frames if task == "frames" else module.predict
    fn([Path(p) for p in inputs], Path(output), ctx.settings, **options)
    click.echo(f"wrote {output}", err=True)


@main.command("eval")
@click.argument("task")
@click.option("--data", "data_dir", default=None, type=click.Path(exists=True, file_okay=False),
              help="Data folder (default: ../shared/data next to the repository, or $ECHOLOT_DATA).")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON only.")
@click.option("--reprints", default=0, show_default=True, type=click.IntRange(0, 10),
              help="provenance: add N same-language reprints of each original; report with and without.")
@click.option("--dev-set", "dev_set", default="dev", show_default=True, type=click.Choice(["dev", "dev-languages"]),
              help="provenance: which dev set.")
@click.option("--every", default=1, show_default=True, type=click.IntRange(1, None),
              help="provenance: a fixed 1/N sample of the groups.")
@click.option("--keep-store", default=None, type=click.Path(dir_okay=False),
              help="provenance: keep the linked store here; a rerun only re-orients the groups.")
@pass_ctx
def eval_cmd(ctx: Context, task: str, data_dir: str | None, as_json: bool, reprints: int, dev_set: str,
             every: int, keep_store: str | None) -> None:
    """Run TASK's predictor on its dev set and print the scorer's figures."""
    from echolot.eval.common import find_data_dir

    module = _task_module(task)
    root = Path(data_dir) if data_dir else find_data_dir()
    if task == "provenance":
        figures = module.evaluate(ctx.settings, root, every=every, reprints=reprints, dataset=dev_set,
                                  store=Path(keep_store) if keep_store else None)
    else:
        figures = module.evaluate(ctx.settings, root)
    click.echo(json.dumps(figures, ensure_ascii=False, indent=None if as_json else 2))
