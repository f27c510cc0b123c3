"""Input limits: a huge article is cut at a boundary with a note (or rejected with a reason), never
handed on whole; big inputs are read with bounded memory; decompression bombs are stopped."""
from __future__ import annotations

import gzip
import json
import time
import tracemalloc
import zlib
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from echolot.clean import CleanError, clean
from echolot.cli import main
from echolot.ingest import read_sources
from echolot.model import RawDocument, Rejection
from echolot.pipeline import prepare
from echolot.settings import Settings

WORDS = ["Regierung", "sagte", "Minister", "heute", "und", "der", "die", "Wahl", "Gespräche", "Berlin"]
MB = 1 << 20


def _one_line(size: int, sentence_every: int = 9) -> str:
    """A single line of German-looking words, a full stop every few words (deterministic)."""
    if size > 100_000:  # repeat a block: building megabytes word by word is slow
        block = _one_line(65_536, sentence_every).rsplit(".", 1)[0] + ". "
        return (block * (size // len(block) + 1))[:size]
    out, length, i = [], 0, 0
    while length < size:
        word = WORDS[(i * 7 + i // 3) % len(WORDS)] + ("." if i % sentence_every == sentence_every - 1 else "")
        word = word.capitalize() if i % sentence_every == 0 else word
        out.append(word)
        length += len(word) + 1
        i += 1
    return " ".join(out)[:size]


def _settings(**ingest: int) -> Settings:
    base = Settings()
    return replace(base, ingest=replace(base.ingest, **ingest))


def _peak(fn):  # type: ignore[no-untyped-def]
    """(result, peak traced bytes) of fn()."""
    tracemalloc.start()
    try:
        result = fn()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_ten_megabyte_line_is_cut_at_a_sentence_with_notes_and_bounded_memory(tmp_path: Path) -> None:
    from echolot.text import annotate

    path = tmp_path / "line.txt"
    path.write_text(_one_line(10 * MB), encoding="utf-8")
    settings = Settings()

    def read_and_clean() -> list:
        return [clean(item, settings) for item in read_sources([str(path)], settings)]

    (article,), peak = _peak(read_and_clean)  # everything that ever holds the 10 MB
    # the file is read once (bytes, then text); nothing allocates by the 10 MB after the early cut
    assert peak < 40 * MB, f"peak {peak / MB:.1f} MiB"
    article = annotate(article, settings.text)  # sees the cut text only
    limits = settings.ingest
    assert len(article.text) <= limits.max_article_chars
    assert article.text.endswith(".")  # cut at a sentence end
    assert max(len(p) for p in article.paragraphs) <= limits.max_line_chars
    assert 0 < len(article.sentences) <= limits.max_sentences
    notes = article.meta["notes"]
    assert any("input cut from 10,485,760" in n for n in notes)
    assert any("line(s) longer than" in n for n in notes)


def test_line_without_any_boundary_is_rejected_with_a_reason(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_text("x" * (10 * MB), encoding="ascii")
    (raw,) = list(read_sources([str(path)], Settings()))
    with pytest.raises(CleanError, match="without a sentence end, line break or space"):
        clean(raw, Settings())


def test_sentence_limit_cuts_after_n_sentences() -> None:
    text = " ".join(f"Satz Nummer {i} ist hier zu Ende." for i in range(50))
    article = prepare(RawDocument(origin="t", body="Titel der Meldung\n" + text), _settings(max_sentences=10))
    assert len(article.sentences) == 10
    assert article.text.endswith("Satz Nummer 9 ist hier zu Ende.")
    assert article.meta["notes"] == ["text cut after 10 sentences (ingest.max_sentences)"]


def test_no_note_below_the_limits() -> None:
    article = prepare(RawDocument(origin="t", body="Titel der Meldung\n" + _one_line(3000)), Settings())
    assert "notes" not in article.meta


def test_long_lines_are_split_at_sentences_not_lost() -> None:
    line = _one_line(5000)
    article = prepare(RawDocument(origin="t", body="Titel der Meldung\n" + line), _settings(max_line_chars=1000))
    assert all(len(p) <= 1000 for p in article.paragraphs) and len(article.paragraphs) >= 5
    assert " ".join(article.paragraphs).split() == line.split()  # every word kept
    assert all(p.endswith(".") for p in article.paragraphs[:-1])


def test_article_limit_in_characters() -> None:
    article = prepare(RawDocument(origin="t", body="Titel der Meldung\n" + _one_line(50_000)),
                      _settings(max_article_chars=10_000))
    assert 9_000 <= len(article.text) <= 10_000 and article.text.endswith(".")
    assert any("ingest.max_article_chars 10,000" in n for n in article.meta["notes"])


def test_huge_html_is_cut_before_extraction() -> None:
    para = "<p>" + _one_line(400) + "</p>\n"
    html = "<html><head><title>T</title></head><body><article>" + para * 3000 + "</article></body></html>"
    article = clean(RawDocument(origin="t", body=html, kind="html"), _settings(max_html_chars=100_000))
    assert any("HTML cut from" in n for n in article.meta["notes"])
    assert len(article.text) < 100_000


def test_limits_are_settings_and_show_prints_the_notes(tmp_path: Path) -> None:
    db = tmp_path / "e.db"
    path = tmp_path / "long.txt"
    path.write_text("Titel der Meldung\n" + _one_line(30_000), encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(main, ["ingest", str(path), "--no-analyze", "--json", "--db", str(db),
                                  "--set", "ingest.max_article_chars=5000"])
    assert result.exit_code == 0, result.output
    (new_id,) = json.loads(result.stdout)["new_ids"]
    shown = runner.invoke(main, ["--db", str(db), "show", new_id])
    assert shown.exit_code == 0 and "note:" in shown.stdout and "ingest.max_article_chars 5,000" in shown.stdout
    data = json.loads(runner.invoke(main, ["--db", str(db), "show", new_id, "--json"]).stdout)
    assert len(data["text"]) <= 5000 and data["meta"]["notes"]


# -- 50 MB single lines: one explicit case per reader, with the peak memory measured -------------

def _write_line(path: Path, prefix: bytes, size: int, suffix: bytes) -> None:
    chunk = (_one_line(MB).encode("utf-8") + b" ")[:MB]
    with open(path, "wb") as handle:
        handle.write(prefix)
        for _ in range(size // MB):
            handle.write(chunk)
        handle.write(suffix)


@pytest.mark.parametrize("name,prefix,suffix,reason", [
    ("line.txt", b"", b"", "too large"),
    ("line.jsonl", b'{"id": "1", "text": "', b'"}\n{"id": "2", "text": "short but kept"}\n', "line too long"),
    ("line.csv", b'id,text\n1,"', b'"\n2,short but kept\n', "line too long"),
    ("line.html", b"<html><body><p>", b"</p></body></html>", "too large"),
])
def test_fifty_megabyte_line_is_refused_with_bounded_memory(tmp_path: Path, name: str, prefix: bytes,
                                                           suffix: bytes, reason: str) -> None:
    path = tmp_path / name
    _write_line(path, prefix, 50 * MB, suffix)
    items, peak = _peak(lambda: list(read_sources([str(path)], Settings())))
    rejected = [i for i in items if isinstance(i, Rejection)]
    assert rejected and reason in rejected[0].reason
    if name.endswith(("jsonl", "csv")):  # the next record after the monster line is still read
        assert [i.body for i in items if isinstance(i, RawDocument)] == ["short but kept"]
    # never more than about one ingest.max_bytes (20 MB) buffer of the 50 MB line at a time
    limit = Settings().ingest.max_bytes
    assert peak < 3 * limit, f"{name}: peak {peak / MB:.1f} MiB"


# -- gzip bomb in a WARC -------------------------------------------------------------------------

def _bomb_warc(path: Path, inflated: int) -> None:
    """A gzipped WARC response whose payload of zeros inflates to `inflated` bytes (~1,000:1)."""
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n"
    head = (f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:1>\r\n"
            f"WARC-Target-URI: http://bomb.example/\r\nWARC-Date: 2024-01-01T00:00:00Z\r\n"
            f"Content-Type: application/http; msgtype=response\r\nContent-Length: {len(http) + inflated}\r\n\r\n"
            ).encode() + http
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    start = compressor.compress(head) + compressor.flush(zlib.Z_FULL_FLUSH)
    zeros = b"\0" * MB
    block = zlib.compressobj(9, zlib.DEFLATED, -15)
    block_bytes = block.compress(zeros) + block.flush(zlib.Z_FULL_FLUSH)  # independent, byte-aligned
    crc = zlib.crc32(head)
    for _ in range(inflated // MB):
        crc = zlib.crc32(zeros, crc)
    tail = b"\r\n\r\n"
    crc = zlib.crc32(tail, crc)
    end = zlib.compressobj(9, zlib.DEFLATED, -15)
    with open(path, "wb") as handle:
        handle.write(b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff")  # gzip header
        handle.write(start)
        for _ in range(inflated // MB):
            handle.write(block_bytes)
        handle.write(end.compress(tail) + end.flush())
        handle.write(crc.to_bytes(4, "little") + ((len(head) + inflated + len(tail)) & 0xFFFFFFFF).to_bytes(4, "little"))


def test_gzip_bomb_in_warc_is_stopped(tmp_path: Path) -> None:
    path = tmp_path / "bomb.warc.gz"
    _bomb_warc(path, 2048 * MB)  # 2 GiB of zeros in about 2 MB
    assert path.stat().st_size < 4 * MB
    with gzip.open(path, "rb") as handle:  # a valid gzip member, not a broken file
        assert handle.read(8) == b"WARC/1.0"
    started = time.perf_counter()
    items, peak = _peak(lambda: list(read_sources([str(path)], Settings())))
    elapsed = time.perf_counter() - started
    (rejection,) = items
    assert isinstance(rejection, Rejection) and "decompression bomb" in rejection.reason
    assert peak < 3 * Settings().ingest.max_bytes, f"peak {peak / MB:.1f} MiB"
    assert elapsed < 60  # stopped after ~20 MB inflated, not after 2 GiB (a sanity bound, not a benchmark)


def test_batch_size_bounds_each_store_transaction(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from echolot.pipeline import ingest
    from echolot.store import open_store

    for i in range(7):
        (tmp_path / f"{i}.txt").write_text(f"Titel {i}\n\n" + _one_line(300 + i), encoding="utf-8")
    settings = replace(_settings(batch_size=3), home=tmp_path / "home")
    store = open_store(settings)
    sizes: list[int] = []
    original = store.add_articles
    monkeypatch.setattr(store, "add_articles", lambda batch: sizes.append(len(batch)) or original(batch))
    try:
        summary = ingest([str(tmp_path)], store, settings, progress=False)
    finally:
        store.close()
    assert summary.ingested == 7 and sizes == [3, 3, 1]
