"""CLI polish: global options after the verb for every verb, and a closed pipe ends quietly."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from echolot.cli import PIPE_CLOSED_EXIT, hoist_global_options, main

ROOT = Path(__file__).resolve().parents[2]


def _leaf_commands(command: click.Command, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    if isinstance(command, click.Group):
        out = [path] if path else []
        for name, sub in command.commands.items():
            out += _leaf_commands(sub, path + (name,))
        return out
    return [path]


@pytest.mark.parametrize("path", _leaf_commands(main), ids=" ".join)
def test_every_verb_accepts_the_global_options_after_it(path: tuple[str, ...], tmp_path: Path) -> None:
    db = str(tmp_path / "x.db")
    result = CliRunner().invoke(main, [*path, "--db", db, "--set", "ingest.min_chars=5", "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output
    again = CliRunner().invoke(main, [*path, f"--db={db}", "--help"])
    assert again.exit_code == 0, again.output


def test_options_after_the_verb_take_effect(cli_store: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    before = json.loads(runner.invoke(main, ["--db", str(cli_store), "ls", "--json"]).stdout)
    after = runner.invoke(main, ["ls", "--json", "--db", str(cli_store)])
    assert after.exit_code == 0 and json.loads(after.stdout) == before and len(before) == 3
    json_first = runner.invoke(main, ["--json", "ls", f"--db={cli_store}", "--limit", "1"])
    assert json_first.exit_code == 0 and len(json.loads(json_first.stdout)) == 1
    text = tmp_path / "t.txt"
    text.write_text("Titel\n\nEin kurzer, aber echter Satz steht hier im Text.", encoding="utf-8")
    rejected = runner.invoke(main, ["ingest", str(text), "--no-analyze", "--json", "--db", str(tmp_path / "n.db"),
                                    "--set", "ingest.min_chars=1000"])
    assert rejected.exit_code == 2 and "too short" in rejected.stdout  # the --set after the verb was applied
    no_json = runner.invoke(main, ["--json", "serve"])
    assert no_json.exit_code == 2 and "--json" in no_json.output  # a verb without --json says so


def test_hoisting_leaves_a_verbs_own_option_and_values_alone() -> None:
    assert hoist_global_options(main, ["spark", "run", "in.jsonl", "--db", "out.db"]) == \
        ["spark", "run", "in.jsonl", "--db", "out.db"]  # spark run has its own --db
    assert hoist_global_options(main, ["quotes", "--speaker", "--db", "ls"]) == ["quotes", "--speaker", "--db", "ls"]
    assert hoist_global_options(main, ["search", "--", "--db"]) == ["search", "--", "--db"]
    assert hoist_global_options(main, ["ls", "--db", "a.db", "--set", "x.y=1"]) == \
        ["--db", "a.db", "--set", "x.y=1", "ls"]


def _env() -> dict[str, str]:
    return os.environ | {"PYTHONPATH": str(ROOT)}


@pytest.mark.parametrize("verb", [["stories", "--json"], ["ls"], ["ls", "--json"], ["search", "Minister"],
                                  ["entities", "--json"]])
def test_closed_pipe_ends_quietly(cli_store: Path, verb: list[str]) -> None:
    process = subprocess.Popen([sys.executable, "-m", "echolot", *verb, "--db", str(cli_store)], cwd=ROOT,
                               env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # the reader is gone before the first write, like `| true`
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=120) == PIPE_CLOSED_EXIT
    assert stderr == ""  # no traceback, no "echolot: error: BrokenPipeError"


def test_ls_into_head_prints_one_line_and_no_error(cli_store: Path) -> None:
    command = f"{sys.executable} -m echolot ls --db {cli_store} | head -1"
    result = subprocess.run(["bash", "-c", command], cwd=ROOT, env=_env(), capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0 and len(result.stdout.splitlines()) == 1
    assert result.stderr == ""
