"""Training records: what a shipped model was made from, and how to make it again.

A record (``<model folder>/<name>.record.json``) holds the trainer name, the command, the
settings, every input data file with its sha256 (paths relative to ``shared/data``) and every
output file with its sha256. With it a reader can check that the documented command rebuilds
the shipped bytes, and a test can check that nobody changed a default without retraining.
No timestamps or timings go in, so retraining with the same inputs rewrites the same record.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

RECORD_SUFFIX = ".record.json"
PACKAGE_ROOT = Path(__file__).resolve().parents[1]


def module_command(name: str, record: str, module: str, what: str) -> str:
    """`python -m module`: the command of a trainer module that ships one record, `record`;
    any other name is a KeyError (no such record)."""
    if name != record:
        raise KeyError(f"no {what} record named {name!r}")
    return f"python -m {module}"


def json_settings(settings: Mapping[str, Any]) -> dict[str, Any]:
    """A JSON-native deep copy of a trainer's settings (tuples become lists), as its record stores them."""
    return dict(json.loads(json.dumps(settings)))


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file's bytes (read in blocks: some models are tens of MB)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass
class TrainingRecord:
    """How one set of shipped files was made (see the module docstring)."""

    trainer: str
    command: str
    settings: dict[str, Any]
    data: dict[str, str] = field(default_factory=dict)  # path under shared/data -> sha256
    outputs: dict[str, str] = field(default_factory=dict)  # file name beside the record -> sha256
    notes: dict[str, Any] = field(default_factory=dict)  # deterministic facts: counts, split rule

    def to_json(self) -> str:
        """Stable JSON (sorted keys) so a rebuild with the same inputs writes the same bytes."""
        return json.dumps(asdict(self), indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def data_hashes(data_root: Path, files: Iterable[Path]) -> dict[str, str]:
    """{path relative to data_root: sha256} for the training inputs."""
    return {str(Path(f).resolve().relative_to(data_root.resolve())): sha256_file(Path(f)) for f in sorted(files)}


def write_record(folder: Path, name: str, trainer: str, command: str, settings: Mapping[str, Any],
                 data_root: Path, data_files: Iterable[Path], outputs: Iterable[str],
                 notes: Mapping[str, Any] | None = None) -> Path:
    """Hash the inputs and the freshly written outputs and write ``<folder>/<name>.record.json``."""
    record = TrainingRecord(trainer=trainer, command=command, settings=dict(settings),
                            data=data_hashes(data_root, data_files),
                            outputs={o: sha256_file(folder / o) for o in sorted(outputs)},
                            notes=dict(notes or {}))
    path = folder / f"{name}{RECORD_SUFFIX}"
    path.write_text(record.to_json(), encoding="utf-8")
    return path


def read_record(path: Path) -> TrainingRecord:
    """Load a record; a missing key is a clear error naming the file."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    try:
        return TrainingRecord(**raw)
    except TypeError as exc:
        raise ValueError(f"{path}: not a training record ({exc})") from exc


def shipped_records(root: Path = PACKAGE_ROOT) -> list[Path]:
    """Every training record inside the package."""
    return sorted(root.rglob(f"*{RECORD_SUFFIX}"))


def stale_outputs(path: Path) -> list[str]:
    """Output files of a record whose bytes no longer match it (missing files count)."""
    record = read_record(path)
    stale = []
    for name, digest in record.outputs.items():
        target = path.parent / name
        if not target.exists() or sha256_file(target) != digest:
            stale.append(name)
    return stale
