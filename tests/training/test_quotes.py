"""The quote taggers' trainer: which articles it learns from, that it is deterministic, and that
runtime code never needs it."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from echolot.eval.splits import quotes_is_inner, quotes_part
from echolot.training import quotes as trainer
from echolot.training.record import read_record, sha256_file


def _ids(part: str, n: int) -> list[str]:
    found = [f"art{k}" for k in range(2000) if quotes_part(f"art{k}") == part]
    return found[:n]


def test_only_the_train_part_is_learnt_from() -> None:
    records = [{"id": i} for part in ("train", "dev", "final") for i in _ids(part, 20)]
    kept = {records[k]["id"] for k in trainer.training_ids(records)}
    assert kept == set(_ids("train", 20))
    inner = {records[k]["id"] for k in trainer.training_ids(records, inner=True)}
    assert inner == {i for i in kept if not quotes_is_inner(i)} and inner < kept


def test_defaults_and_command_describe_the_shipped_run() -> None:
    assert trainer.command("quotes") == "python scripts/train_quotes_crf.py"
    assert trainer.defaults("quotes")["context"] is True and trainer.defaults("quotes")["inner"] is False
    with pytest.raises(ValueError):
        trainer.defaults("cue")
    other = trainer.Options(iterations=7, context=False)
    assert trainer._command_for(other) == "python scripts/train_quotes_crf.py --iterations 7 --no-context"
    args = trainer.parser().parse_args(["--iterations", "7", "--no-context"])
    assert trainer.Options(**{k: getattr(args, k) for k in trainer.defaults("quotes")}) == other


def _article(aid: str, speaker: str, verb: str, claim: str) -> dict:
    text = f"{speaker} {verb} that {claim}. The weather stayed calm all week."
    cue_start = len(speaker) + 1
    content_start = cue_start + len(verb) + len(" that ")
    return {"id": aid, "lang": "en", "text": text,
            "quotes": [{"source": [0, len(speaker)], "cue": [cue_start, cue_start + len(verb)],
                        "content": [content_start, content_start + len(claim)]}]}


def test_a_small_run_is_byte_for_byte_repeatable(tmp_path: Path) -> None:
    ids = _ids("train", 4) + _ids("final", 1)
    claims = [("Maria Lopez", "said", "the bridge would open in May"),
              ("The mayor", "argued", "taxes had to rise"),
              ("Tom Berg", "claimed", "nobody had warned him"),
              ("She", "said", "the vote was fair"),
              ("Ann Lee", "said", "the final part is never learnt from")]
    data = tmp_path / "gold.jsonl"
    data.write_text("".join(json.dumps(_article(i, *c)) + "\n" for i, c in zip(ids, claims)), encoding="utf-8")
    options = trainer.Options(context=False, iterations=5, minfreq=0.0)
    runs = []
    for name in ("a", "b"):
        out = tmp_path / name
        record_path = trainer.train(data, out, options, data_root=tmp_path)
        assert record_path is not None
        runs.append({f: sha256_file(out / f) for f in ("cue.crfsuite", "role.crfsuite", "quotes.record.json")})
    assert runs[0] == runs[1]
    record = read_record(tmp_path / "a" / "quotes.record.json")
    assert record.data == {"gold.jsonl": sha256_file(data)}
    assert record.notes["articles"] == 4  # the final-part article is left out
    assert record.command.endswith("--iterations 5 --minfreq 0.0 --no-context")
    assert set(record.outputs) == {"cue.crfsuite", "role.crfsuite"}


def test_bad_training_data_is_a_clear_error(tmp_path: Path) -> None:
    data = tmp_path / "gold.jsonl"
    data.write_text('{"id": "x", "text": "fine"}\n{not json\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"gold\.jsonl:2: invalid JSON"):
        trainer.read_gold(data)


def test_runtime_modules_do_not_import_training() -> None:
    code = ("import sys, echolot.quotes, echolot.quotes.stage, echolot.quotes.english, echolot.quotes.query, "
            "echolot.eval.quotes, echolot.cli.quotes; print(any(m.startswith('echolot.training') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[2])
    assert out.stdout.strip() == "False"


def test_the_contextual_guesses_are_repeatable_and_the_vector_cache_changes_nothing(tmp_path: Path) -> None:
    """The shipped path (e5 guesses on, cross-fitted): a run without the vector cache, one writing it
    and one reading it make the same bytes, so the documented command rebuilds the shipped files."""
    from echolot.encoders.e5_tokens import shared_or_none

    if shared_or_none() is None:
        pytest.skip("the e5 token encoder is not installed")
    claims = [("Maria Lopez", "said", "the bridge would open in May"), ("The mayor", "argued", "taxes had to rise"),
              ("Tom Berg", "claimed", "nobody had warned him"), ("She", "said", "the vote was fair"),
              ("Ann Lee", "warned", "prices would climb again"), ("Paul Kim", "insisted", "the plan was sound")]
    data = tmp_path / "gold.jsonl"
    data.write_text("".join(json.dumps(_article(i, *c)) + "\n" for i, c in zip(_ids("train", 6), claims)),
                    encoding="utf-8")
    options = trainer.Options(iterations=5, minfreq=0.0, context_folds=2)
    runs = []
    for name, cache in (("a", None), ("b", tmp_path / "vec"), ("c", tmp_path / "vec")):
        trainer.train(data, tmp_path / name, options, vector_dir=cache, data_root=tmp_path)
        runs.append({f: sha256_file(tmp_path / name / f) for f in (*trainer.OUTPUTS, "quotes.record.json")})
    assert runs[0] == runs[1] == runs[2]
