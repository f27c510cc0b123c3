"""`read_records` (by suffix) and `pipeline.read_articles`: the one reader every predictor shares with ingest."""
from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from echolot.ingest.records import read_records
from echolot.model import Article, RawDocument, Rejection
from echolot.pipeline import read_articles
from echolot.settings import Settings

TEXT = ("Der Minister sagte am Dienstag in Berlin, die Gespräche mit der Opposition seien konstruktiv verlaufen. "
        "Beobachter hatten mit einem schwierigeren Treffen gerechnet, hieß es aus der Fraktion.")
RECORDS = [{"id": "r1", "lang": "en", "title": "Gespräche", "text": TEXT},
           {"id": "r2", "title": "Kein Text"}]


def _jsonl(tmp_path: Path, name: str = "in.jsonl") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in RECORDS) + "\n{broken\n", encoding="utf-8")
    return path


def test_read_records_by_suffix(tmp_path: Path) -> None:
    items = list(read_records(_jsonl(tmp_path)))
    assert isinstance(items[0], RawDocument) and items[0].external_id == "r1"
    assert items[0].meta["declared_lang"] == "en"
    assert [type(i) for i in items[1:]] == [Rejection, Rejection]
    assert items[2].origin.endswith(":3") and "invalid JSON" in items[2].reason
    csv = tmp_path / "in.csv"
    csv.write_text('id,title,text\nc1,Gespräche,"' + TEXT + '"\n', encoding="utf-8")
    [row] = list(read_records(csv))
    assert isinstance(row, RawDocument) and row.external_id == "c1" and row.title == "Gespräche"
    with pytest.raises(ValueError, match="not a record file"):
        read_records(tmp_path / "page.html")


def test_read_articles_detects_unless_asked(tmp_path: Path) -> None:
    path = _jsonl(tmp_path)
    items = list(read_articles([str(path)], Settings(home=tmp_path)))
    [article] = [i for i in items if isinstance(i, Article)]
    assert article.external_id == "r1" and article.lang == "de" and article.sentences  # declared "en" ignored
    assert sum(isinstance(i, Rejection) for i in items) == 2
    declared = Settings(home=tmp_path)
    declared = replace(declared, text=replace(declared.text, lang="declared"))
    [article] = [i for i in read_articles([str(path)], declared) if isinstance(i, Article)]
    assert article.lang == "en"


def test_a_bad_lang_setting_stops_before_reading(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path)
    settings = replace(settings, text=replace(settings.text, lang="Deutsch"))
    with pytest.raises(ValueError, match="not a language code"):
        next(read_articles([str(_jsonl(tmp_path))], settings))
