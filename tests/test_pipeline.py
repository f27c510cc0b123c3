"""`pipeline.ingest`: read, clean, annotate, store; re-runs add nothing; bad items never stop a batch."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from echolot.model import Article, RawDocument
from echolot.pipeline import IngestSummary, ingest
from echolot.settings import Settings
from echolot.store import SQLiteStore

BODY = ("Der Minister sagte am Dienstag, die Gespräche seien konstruktiv verlaufen und würden fortgesetzt. "
        "Beobachter hatten mit einem schwierigeren Treffen gerechnet.")


def test_ingest_mixed_folder(tmp_path: Path, store: SQLiteStore) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Ein Titel\n\n" + BODY)
    (folder / "b.txt").write_text("Ein Titel\n\n" + BODY)  # same content: a duplicate
    (folder / "c.html").write_text(f"<html><head><title>Seite</title></head><body><article><p>{BODY}</p>"
                                   f"<p>{BODY.replace('Minister', 'Kanzler')}</p><p>Ende des abgeschnittenen")
    (folder / "d.txt").write_bytes(b"\x00\x01" * 50)
    (folder / "e.txt").write_text("Zu kurz.")
    summary = ingest([str(folder)], store, Settings(), source="Testquelle", progress=False)
    assert summary.ingested == 2 and summary.duplicates == 1
    assert {Path(r.origin).name for r in summary.rejected} == {"d.txt", "e.txt"}
    rows = store.list_articles()
    assert {r["source"] for r in rows} == {"Testquelle"}
    article = store.get_article(summary.new_ids[0])
    assert article is not None and article.lang == "de" and article.sentences
    again = ingest([str(folder)], store, Settings(), progress=False)
    assert again.ingested == 0 and again.duplicates == 3
    assert store.count_articles() == 2


def test_jsonl_external_ids_map_back(tmp_path: Path, store: SQLiteStore) -> None:
    path = tmp_path / "corpus.jsonl"
    records = [{"id": f"a{i}", "lang": "en", "title": f"Headline {i}", "text": f"Headline {i}",
                "published": "2021-07-25T03:12:00", "source": None, "url": None} for i in range(300)]
    records.append({"id": "a0dup", "lang": "en", "title": "Headline 0", "text": "Headline 0",
                    "published": None, "source": None, "url": None})
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n{bad\n")
    summary = ingest([str(path)], store, Settings(), progress=False)
    assert summary.ingested == 301 and len(summary.rejected) == 1
    by_external = {a.external_id: a for a in store.iter_articles()}
    assert set(by_external) == {r["id"] for r in records}
    assert by_external["a5"].title == "Headline 5" and by_external["a5"].published == "2021-07-25T03:12:00"
    assert by_external["a5"].meta["declared_lang"] == "en"


def test_an_unstorable_article_costs_only_itself(tmp_path: Path, store: SQLiteStore,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """If storing one article of a batch fails, the others are stored and it is rejected with the reason."""
    import echolot.pipeline as pipeline

    real = pipeline.prepare

    def prepare(raw: RawDocument, settings: Settings, summary: IngestSummary | None = None) -> Article:
        article = real(raw, settings, summary)
        if "Kanzler" in article.text:
            article.meta["unstorable"] = object()  # not JSON: the store's INSERT fails for this one
        return article

    monkeypatch.setattr(pipeline, "prepare", prepare)
    folder = tmp_path / "in"
    folder.mkdir()
    for i, who in enumerate(["Minister", "Kanzler", "Sprecher"]):
        (folder / f"{i}.txt").write_text(f"Titel {i}\n\n" + BODY.replace("Minister", who))
    summary = ingest([str(folder)], store, Settings(), progress=False)
    assert summary.ingested == 2 and store.count_articles() == 2
    [rejected] = summary.rejected
    assert rejected.origin.endswith("1.txt") and rejected.reason.startswith("could not be stored: TypeError")
