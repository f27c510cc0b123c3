"""Every input kind, and every kind of bad input: one clear Rejection each, never a crash."""
from __future__ import annotations

import io
import json
import os
from dataclasses import replace
from pathlib import Path

import pytest

from echolot.ingest import read_sources
from echolot.model import RawDocument, Rejection
from echolot.settings import Settings

BODY = ("Der Minister sagte am Dienstag, die Gespräche seien konstruktiv verlaufen und würden fortgesetzt. "
        "Beobachter hatten mit einem schwierigeren Treffen gerechnet.")
RU = "Министр заявил во вторник, что переговоры прошли конструктивно и будут продолжены на следующей неделе."


def _read(paths: list[Path | str], settings: Settings | None = None) -> list[RawDocument | Rejection]:
    return list(read_sources([str(p) for p in paths], settings or Settings()))


def _docs(items: list[RawDocument | Rejection]) -> list[RawDocument]:
    return [i for i in items if isinstance(i, RawDocument)]


def _rejections(items: list[RawDocument | Rejection]) -> dict[str, str]:
    return {Path(i.origin).name: i.reason for i in items if isinstance(i, Rejection)}


def test_text_directory_and_html_file(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.txt").write_text("Titel\n\n" + BODY, encoding="utf-8")
    (tmp_path / "sub" / "b.html").write_text(f"<html><body><p>{BODY}</p></body></html>", encoding="utf-8")
    (tmp_path / "scrape.txt").write_text(f"<!DOCTYPE html><html><body><p>{BODY}</p></body></html>")
    (tmp_path / ".hidden").write_text("ignored")
    docs = _docs(_read([tmp_path]))
    kinds = {Path(d.origin).name: d.kind for d in docs}
    assert kinds == {"a.txt": "text", "b.html": "html", "scrape.txt": "html"}


@pytest.mark.parametrize("encoding,text", [("cp1251", RU), ("latin-1", BODY), ("utf-8-sig", BODY), ("koi8-r", RU),
                                           ("utf-16", RU)])
def test_encodings(tmp_path: Path, encoding: str, text: str) -> None:
    path = tmp_path / "x.txt"
    path.write_bytes(text.encode(encoding))
    (doc,) = _docs(_read([path]))
    assert doc.body == text


def test_html_declared_charset(tmp_path: Path) -> None:
    html = f"<html><head><meta charset='windows-1251'></head><body><p>{RU}</p></body></html>"
    path = tmp_path / "ru.html"
    path.write_bytes(html.encode("cp1251"))
    (doc,) = _docs(_read([path]))
    assert RU in doc.body


def test_jsonl_records_and_malformed_lines(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    good = {"id": "a1", "lang": "de", "title": "T", "text": BODY, "published": None, "source": "S", "url": None}
    path.write_text("\n".join([json.dumps(good), "{broken", "[1, 2]", json.dumps({"id": "x"}), "",
                               json.dumps(good | {"id": "a2"})]) + "\n", encoding="utf-8")
    items = _read([path])
    docs = _docs(items)
    assert [d.external_id for d in docs] == ["a1", "a2"]
    assert docs[0].meta["declared_lang"] == "de" and docs[0].source == "S" and docs[0].title == "T"
    reasons = {i.origin.rsplit(":", 1)[1]: i.reason for i in items if isinstance(i, Rejection)}
    assert set(reasons) == {"2", "3", "4"}
    assert "invalid JSON" in reasons["2"] and "JSON object" in reasons["3"] and "no text" in reasons["4"]


def test_jsonl_overlong_line_is_skipped_with_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(json.dumps({"id": "huge", "text": "x" * 50_000}) + "\n")
        handle.write(json.dumps({"id": "ok", "text": BODY}) + "\n")
    settings = replace(Settings(), ingest=replace(Settings().ingest, max_bytes=10_000))
    items = _read([path], settings)
    assert [d.external_id for d in _docs(items)] == ["ok"]
    assert any("too long" in i.reason for i in items if isinstance(i, Rejection))


def test_csv(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text('id,title,text,url\nr1,Ein Titel,"' + BODY + '",https://example.org/1\n', encoding="utf-8")
    (doc,) = _docs(_read([path]))
    assert doc.external_id == "r1" and doc.url == "https://example.org/1" and doc.body == BODY
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n")
    assert "no 'text' column" in _rejections(_read([bad]))["bad.csv"]


def test_warc(tmp_path: Path) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path = tmp_path / "crawl.warc.gz"
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for url, ctype, payload in [
            ("https://example.org/a", "text/html; charset=utf-8", f"<html><body><p>{BODY}</p></body></html>"),
            ("https://example.org/logo.png", "image/png", "PNG"),
        ]:
            headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            record = writer.create_warc_record(url, "response", payload=io.BytesIO(payload.encode()),
                                               http_headers=headers)
            writer.write_record(record)
    docs = _docs(_read([path]))
    assert [d.url for d in docs] == ["https://example.org/a"]
    assert docs[0].kind == "html" and BODY in docs[0].body and docs[0].published is None


def test_rss_feed_file_and_sitemap(tmp_path: Path) -> None:
    feed = tmp_path / "feed.xml"
    feed.write_text(f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Testblatt</title>
      <item><title>Erste Meldung</title><link>https://example.org/1</link>
      <pubDate>Wed, 05 Jan 2022 22:10:00 GMT</pubDate><description><![CDATA[<p>{BODY}</p>]]></description></item>
      </channel></rss>""", encoding="utf-8")
    (doc,) = _docs(_read([feed]))
    assert doc.title == "Erste Meldung" and doc.source == "Testblatt" and doc.url == "https://example.org/1"
    assert doc.published == "2022-01-05T22:10:00" and doc.meta["fragment"]
    sitemap = tmp_path / "sitemap.xml"
    sitemap.write_text('<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                       "<url><loc>https://example.org/1</loc></url></urlset>")
    assert "--follow" in _rejections(_read([sitemap]))["sitemap.xml"]


def test_bad_inputs_each_get_one_line(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_text("   \n\n")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02binary\x00" * 100)
    (tmp_path / "doc.pdf").write_bytes(b"%PDF-1.4\n" + b"x" * 100)
    (tmp_path / "huge.txt").write_text("Wort " * 5000)
    (tmp_path / "ok.txt").write_text(BODY)
    settings = replace(Settings(), ingest=replace(Settings().ingest, max_bytes=10_000))
    items = _read([tmp_path, tmp_path / "missing.txt"], settings)
    reasons = _rejections(items)
    assert reasons["empty.txt"] == "empty file" and reasons["blank.txt"] == "empty file"
    assert "binary" in reasons["binary.txt"] and "pdf" in reasons["doc.pdf"]
    assert "too large" in reasons["huge.txt"]
    assert reasons["missing.txt"] == "no such file or directory"
    assert [Path(d.origin).name for d in _docs(items)] == ["ok.txt"]


def test_directory_loop_and_broken_link(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.txt").write_text(BODY)
    os.symlink(tmp_path, tmp_path / "a" / "loop")
    os.symlink(tmp_path / "nowhere", tmp_path / "dangling.txt")
    items = _read([tmp_path])
    assert [Path(d.origin).name for d in _docs(items)] == ["x.txt"]
    reasons = [i.reason for i in items if isinstance(i, Rejection)]
    assert any("loop" in r for r in reasons) and any("broken symbolic link" in r for r in reasons)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads everything")
def test_permission_denied(tmp_path: Path) -> None:
    path = tmp_path / "secret.txt"
    path.write_text(BODY)
    path.chmod(0)
    try:
        assert "permission denied" in _rejections(_read([path]))["secret.txt"]
    finally:
        path.chmod(0o644)


def test_permission_denied_simulated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Same as above for root, who can read everything: the OS error becomes one line."""
    import echolot.ingest as ingest

    def deny(path: Path, size: int = 8192) -> bytes:
        raise PermissionError(13, "Permission denied", str(path))

    (tmp_path / "secret.txt").write_text(BODY)
    monkeypatch.setattr(ingest, "read_head", deny)
    assert _rejections(_read([tmp_path]))["secret.txt"] == "permission denied"
