"""The tuned NER trainer's two shipped records: the shared file (models/xx) and English's own (models/en)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from echolot.training import ner_tuned
from echolot.training.record import read_record


def test_each_record_has_its_command_settings_and_file() -> None:
    assert ner_tuned.command(ner_tuned.NAME) == "python -m echolot.training.ner_tuned"
    assert ner_tuned.command(ner_tuned.EN_NAME) == "python -m echolot.training.ner_tuned --english"
    shared, english = ner_tuned.defaults(ner_tuned.NAME), ner_tuned.defaults(ner_tuned.EN_NAME)
    assert english == {**shared, "en_sentences": ner_tuned.EN_TRAIN_COMPARTMENT}  # the only difference
    assert ner_tuned.record_name(shared) == ner_tuned.NAME and ner_tuned.record_name(english) == ner_tuned.EN_NAME
    assert ner_tuned.record_name({**shared, "epochs": 9}) is None
    with pytest.raises(KeyError):
        ner_tuned.command("tuned-e5-de")


def test_english_record_for_the_bytes_its_run_wrote(tmp_path: Path) -> None:
    """A scratch run with English's settings gets English's record, beside models/en's file name, only
    when that file holds the bytes the run wrote; a shared-file name in the folder is not enough."""
    data = tmp_path / "data"
    (data / "ner" / "dev").mkdir(parents=True)
    for names in ner_tuned.FILES.values():
        for name in names:
            (data / "ner" / "dev" / name).write_text("Paris B-LOC\n", encoding="utf-8")
    scratch, shipped = tmp_path / "scratch", tmp_path / "en"
    scratch.mkdir()
    shipped.mkdir()
    (scratch / ner_tuned.MODEL_FILE).write_bytes(b"english weights")
    (shipped / ner_tuned.MODEL_FILE).write_bytes(b"english weights")  # the wrong name: refused
    report = tmp_path / "report.json"
    settings = ner_tuned.defaults(ner_tuned.EN_NAME)
    report.write_text(json.dumps({"out": str(scratch), "settings": settings, "steps": 3}), encoding="utf-8")
    with pytest.raises(SystemExit):
        ner_tuned.record_from(report, shipped, data)
    (shipped / ner_tuned.EN_MODEL_FILE).write_bytes(b"english weights")
    path = Path(ner_tuned.record_from(report, shipped, data)["record"])
    assert path.name == f"{ner_tuned.EN_NAME}.record.json"
    record = read_record(path)
    assert record.command == ner_tuned.command(ner_tuned.EN_NAME) and record.settings == settings
    assert set(record.outputs) == {ner_tuned.EN_MODEL_FILE} and record.notes == {"steps": 3}
    (shipped / ner_tuned.EN_MODEL_FILE).write_bytes(b"other weights")
    with pytest.raises(SystemExit):
        ner_tuned.record_from(report, shipped, data)
