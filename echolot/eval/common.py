"""Shared helpers of the evaluators: where the data is, and how to run a task's scorer."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any
from collections.abc import Iterator

REPO_ROOT = Path(__file__).resolve().parents[2]


def find_data_dir() -> Path:
    """The shared data folder: $ECHOLOT_DATA, else ../shared/data beside the repo or the cwd."""
    candidates = []
    if os.environ.get("ECHOLOT_DATA"):
        candidates.append(Path(os.environ["ECHOLOT_DATA"]))
    candidates += [REPO_ROOT.parent / "shared" / "data", Path.cwd().parent / "shared" / "data",
                   Path.cwd() / "shared" / "data"]
    for path in candidates:
        if path.is_dir():
            return path
    raise FileNotFoundError("evaluation data not found: set ECHOLOT_DATA or pass --data (looked for ../shared/data)")


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def write_jsonl(path: Path, records: list[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")


def run_scorer(script: Path, *args: str | Path) -> dict[str, Any]:
    """Run a task's own `score.py` and return its JSON figures (the scorer is the reference)."""
    result = subprocess.run([sys.executable, str(script), *map(str, args)], capture_output=True,
                            text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"{script} failed: {result.stderr.strip()[-500:]}")
    out = result.stdout.strip()
    start = out.find("{")
    return json.loads(out[start:]) if start >= 0 else {"output": out}
