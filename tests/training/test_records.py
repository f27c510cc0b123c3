"""Every shipped model carries a training record that agrees with its trainer and its files."""
from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from echolot.training.record import read_record, sha256_file, shipped_records, stale_outputs, write_record

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"


def test_record_round_trip(tmp_path: Path) -> None:
    (tmp_path / "data.txt").write_text("a\n", encoding="utf-8")
    (tmp_path / "model.bin").write_bytes(b"\x00\x01")
    first = write_record(tmp_path, "m", "demo", "python -m x", {"c": 1}, tmp_path, [tmp_path / "data.txt"],
                         ["model.bin"]).read_bytes()
    again = write_record(tmp_path, "m", "demo", "python -m x", {"c": 1}, tmp_path, [tmp_path / "data.txt"],
                         ["model.bin"]).read_bytes()
    assert first == again  # no timestamps: same inputs, same record
    record = read_record(tmp_path / "m.record.json")
    assert record.data == {"data.txt": sha256_file(tmp_path / "data.txt")}
    assert stale_outputs(tmp_path / "m.record.json") == []
    (tmp_path / "model.bin").write_bytes(b"changed")
    assert stale_outputs(tmp_path / "m.record.json") == ["model.bin"]


@pytest.mark.parametrize("path", shipped_records(), ids=lambda p: str(p.relative_to(p.parents[3])))
def test_shipped_record_agrees(path: Path) -> None:
    record = read_record(path)
    trainer = importlib.import_module(f"echolot.training.{record.trainer}")
    name = path.name.removesuffix(".record.json")
    assert record.command == trainer.command(name)
    assert record.settings == trainer.defaults(name)
    assert stale_outputs(path) == [], "shipped files differ from their training record: retrain"
    for rel, digest in record.data.items():
        if (DATA / rel).exists():
            assert sha256_file(DATA / rel) == digest, f"{rel} changed since the model was trained"


def test_tuned_ner_trainer_imports_without_torch() -> None:
    """CI has no torch: the record check must still import the trainer (torch is imported inside)."""
    import subprocess
    import sys

    code = "import sys; sys.modules['torch'] = None; import echolot.training.ner_tuned as t; print(t.command('tuned-e5'))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "python -m echolot.training.ner_tuned"
