"""Property-based fuzzing of every reader and the cleaner (hypothesis).

Whatever the bytes, `read_sources` yields only RawDocuments and Rejections (each
with a reason), and `clean`/`prepare` either return a bounded Article or raise
CleanError with a reason: no other exception escapes. The examples per test are
shares of ECHOLOT_FUZZ_EXAMPLES (default 1,000 in all, ~10 s, so the fast suite stays
fast; CI's fuzz step runs 5,000); a larger run is documented in docs/RELIABILITY.md:

    ECHOLOT_FUZZ_EXAMPLES=50000 python -m pytest tests/ingest/test_fuzz.py -q
"""
from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from echolot.clean import CleanError, clean
from echolot.ingest import read_sources
from echolot.ingest.decode import DecodeError, decode_text
from echolot.model import Article, RawDocument, Rejection
from echolot.settings import Settings
from echolot.text.sentences import cut_at_boundary, split_paragraphs, split_sentences, wrap_long

TOTAL = int(os.environ.get("ECHOLOT_FUZZ_EXAMPLES", "1000"))
RUN: dict[str, int] = {}  # examples actually run per test (checked by the last test)
# share of the examples per test (cheap byte-level tests get many, trafilatura-bound HTML few)
WEIGHTS = {
    "bytes_any_reader": 0.25, "unicode_text_clean": 0.12, "unicode_html_clean": 0.04, "nested_html": 0.015,
    "jsonl": 0.1, "csv": 0.1, "warc": 0.075, "feed": 0.04, "decode": 0.14, "sentences": 0.08, "cut": 0.05,
}
# small limits so that the limit paths are hit by small examples too
SMALL = replace(Settings(), ingest=replace(Settings().ingest, max_article_chars=3000, max_line_chars=500,
                                           max_sentences=40, max_html_chars=20_000, max_record_bytes=20_000))
ROOT = Path(tempfile.mkdtemp(prefix="echolot-fuzz-"))


def fuzz(name: str):  # type: ignore[no-untyped-def]
    """hypothesis settings for one test: its share of the examples, no deadline, no example database."""
    return settings(max_examples=max(20, round(TOTAL * WEIGHTS[name])), deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.filter_too_much])


def _count(name: str) -> None:
    RUN[name] = RUN.get(name, 0) + 1


# marks that reorder or hide text: right-to-left, zero-width, isolates, BOM, soft hyphen
MARKS = ["\u200f", "\u200e", "\u202e", "\u202d", "\u2066", "\u2067", "\u2069", "\u200b", "\u200c", "\u200d",
         "\u2060", "\ufeff", "\u00ad", "\u061c"]
WORDS = ["Minister", "sagte", "Regierung", "Москва", "заявил", "الوزير", "שלום", "中文", "Gespräche", "the", "said"]
# (kept small: drawing the examples, not running them, is what costs time in hypothesis)
unicode_text = st.text(
    alphabet=st.one_of(st.characters(exclude_categories=("Cs",)),
                       st.sampled_from(MARKS + [" ", "\n", ".", "!", "?", "<", ">"])),
    max_size=60,
)
# odd characters: combining marks, emoji with joiners, surrogate-free astral, NUL and controls, CJK marks
ODD = ["e\u0301", "\U0001F469\u200d\U0001F4BB", "\U00010348", "\x00", "\x07", "\x1b[31m", "。", "！", "…",
       "\u2028", "\u2029", "\r\n", "\t", "&amp;", "&#0;", "<!--", "]]>", "\\", '"', "'", "\ufffd", "\uffff", "Ã¤"]
tokens = st.sampled_from(WORDS + MARKS + ODD + [". ", "\n", " ", "\n\n", "? ", "Dr. ", "5. "])
wordy_text = st.lists(st.one_of(tokens, tokens, tokens, unicode_text), max_size=25).map(" ".join)


def _write(data: bytes, suffix: str) -> Path:
    with tempfile.NamedTemporaryFile(dir=ROOT, suffix=suffix, delete=False) as handle:
        handle.write(data)
    return Path(handle.name)


def _check_items(items: list) -> list[RawDocument]:
    """Every item is a document or a rejection with a reason; documents go through the cleaner."""
    docs = []
    for item in items:
        assert isinstance(item, (RawDocument, Rejection)), type(item)
        if isinstance(item, Rejection):
            assert isinstance(item.reason, str) and item.reason.strip()
        else:
            assert isinstance(item.body, str)
            docs.append(item)
            _check_clean(item)
    return docs


def _check_clean(raw: RawDocument) -> Article | None:
    """`clean` returns an article within the limits, or raises CleanError with a reason.

    (Language detection, the rest of `prepare`, is left out: it is the slow part and
    sees only what the cleaner lets through; test_limits runs `prepare` on the big cases.)
    """
    try:
        article = clean(raw, SMALL)
    except CleanError as exc:
        assert str(exc).strip()
        return None
    limits = SMALL.ingest
    assert len(article.text) <= limits.max_article_chars
    assert len(split_sentences(article.text)) <= limits.max_sentences
    assert all(len(p) <= limits.max_line_chars for p in split_paragraphs(article.text))
    return article


def _read(path: Path) -> list:
    try:
        return list(read_sources([str(path)], SMALL))
    finally:
        path.unlink()


@fuzz("bytes_any_reader")
@given(data=st.binary(max_size=3000), suffix=st.sampled_from([".txt", ".html", ".jsonl", ".csv", ".tsv", ".warc",
                                                              ".warc.gz", ".xml", ".rss", ".md", ""]),
       prefix=st.sampled_from([b"", b"WARC/1.0\r\n", b"\x1f\x8b\x08", b"<html><body>", b'{"text": "',
                               b"id,text\n", b"<?xml version='1.0'?><rss><channel><item>", b"\xff\xfe", b"\xef\xbb\xbf"]))
def test_random_bytes_in_any_reader(data: bytes, suffix: str, prefix: bytes) -> None:
    _count("bytes_any_reader")
    _check_items(_read(_write(prefix + data, suffix)))


@fuzz("unicode_text_clean")
@given(text=wordy_text, record=st.booleans())
def test_random_unicode_text_through_the_cleaner(text: str, record: bool) -> None:
    _count("unicode_text_clean")
    meta = {"record": True, "title_declared": False} if record else {}
    _check_clean(RawDocument(origin="fuzz", body=text, kind="text", meta=meta))


@fuzz("unicode_html_clean")
@given(parts=st.lists(st.tuples(st.sampled_from(["p", "div", "span", "h1", "article", "script", "td", "li", "a"]),
                                wordy_text), max_size=12),
       fragment=st.booleans())
def test_random_html_through_the_cleaner(parts: list[tuple[str, str]], fragment: bool) -> None:
    _count("unicode_html_clean")
    body = "".join(f"<{tag}>{text}</{tag}>" for tag, text in parts)
    html = body if fragment else f"<html><head><title>t</title></head><body>{body}</body></html>"
    _check_clean(RawDocument(origin="fuzz", body=html, kind="html", meta={"fragment": fragment}))


@fuzz("nested_html")
@given(depth=st.integers(0, 1500), tag=st.sampled_from(["div", "span", "b", "table", "p"]), text=wordy_text,
       closed=st.booleans())
def test_deeply_nested_html(depth: int, tag: str, text: str, closed: bool) -> None:
    _count("nested_html")
    html = "<html><body>" + f"<{tag}>" * depth + text + (f"</{tag}>" * depth if closed else "") + "</body></html>"
    _check_items(_read(_write(html.encode("utf-8"), ".html")))


json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | unicode_text,
                           lambda inner: st.lists(inner, max_size=4) | st.dictionaries(unicode_text, inner, max_size=4),
                           max_leaves=8)


@fuzz("jsonl")
@given(records=st.lists(st.one_of(
    st.fixed_dictionaries({"id": st.text(max_size=8), "text": wordy_text},
                          optional={"title": unicode_text, "lang": st.text(max_size=5), "published": unicode_text,
                                    "source": unicode_text, "url": unicode_text, "html": unicode_text}).map(json.dumps),
    json_values.map(json.dumps),
    st.binary(max_size=200).map(lambda b: b.decode("latin-1")),  # invalid JSON and invalid UTF-8 lines
    st.just('{"text": "unterminated'), st.just("[1, 2"), st.just("\x00\x00")), max_size=5))
def test_jsonl_records(records: list[str]) -> None:
    _count("jsonl")
    data = "\n".join(records).encode("utf-8", errors="surrogateescape")
    items = _read(_write(data, ".jsonl"))
    _check_items(items)
    lines = [line for line in data.split(b"\n") if line.strip()]
    assert len(items) <= max(1, len(lines))  # one item (document or rejection) per non-empty line


@fuzz("csv")
@given(rows=st.lists(st.lists(st.one_of(wordy_text, st.sampled_from(['"', '""', ",", "\n", "\r", "\t", "'"])),
                              max_size=5), max_size=5),
       header=st.sampled_from(["id,text,title\n", "text\n", "foo,bar\n", "", '"text\n']), raw=st.booleans(),
       suffix=st.sampled_from([".csv", ".tsv"]))
def test_csv_rows(rows: list[list[str]], header: str, raw: bool, suffix: str) -> None:
    _count("csv")
    if raw:  # rows joined without quoting: unbalanced quotes, ragged rows
        body = "\n".join(",".join(row) for row in rows)
    else:
        out = io.StringIO()
        csv.writer(out).writerows(rows)
        body = out.getvalue()
    _check_items(_read(_write((header + body).encode("utf-8", errors="surrogatepass"), suffix)))


@fuzz("warc")
@given(payload=st.binary(max_size=2000), content_type=st.sampled_from(["text/html", "text/plain; charset=utf-8",
                                                                       "text/html; charset=bogus", "image/png", ""]),
       status=st.sampled_from(["200 OK", "404 Not Found", "301 Moved"]), compress=st.booleans(),
       cut=st.integers(0, 60))
def test_warc_records(payload: bytes, content_type: str, status: str, compress: bool, cut: int) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    _count("warc")
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=compress)
    headers = StatusAndHeaders(status, [("Content-Type", content_type)] if content_type else [],
                               protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record("http://example.com/a", "response", payload=io.BytesIO(payload),
                                                  http_headers=headers))
    data = out.getvalue()
    data = data[:len(data) - cut] if cut else data  # truncated archives too
    _check_items(_read(_write(data, ".warc.gz" if compress else ".warc")))


@fuzz("feed")
@given(entries=st.lists(st.tuples(unicode_text, wordy_text, st.sampled_from(["", "Mon, 06 Dec 2026 10:00:00 GMT",
                                                                             "not a date", "2026-13-45"])), max_size=5),
       atom=st.booleans(), broken=st.booleans())
def test_feeds(entries: list[tuple[str, str, str]], atom: bool, broken: bool) -> None:
    from xml.sax.saxutils import escape

    _count("feed")
    if atom:
        items = "".join(f"<entry><title>{escape(t)}</title><content type='html'>{escape(b)}</content>"
                        f"<updated>{d}</updated></entry>" for t, b, d in entries)
        xml = f"<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom'>{items}</feed>"
    else:
        items = "".join(f"<item><title>{escape(t)}</title><description>{escape(b)}</description>"
                        f"<pubDate>{d}</pubDate></item>" for t, b, d in entries)
        xml = f"<?xml version='1.0' encoding='utf-8'?><rss><channel><title>f</title>{items}</channel></rss>"
    data = xml.encode("utf-8", errors="surrogatepass")
    _check_items(_read(_write(data[: len(data) // 2] if broken else data, ".xml")))


@fuzz("decode")
@given(text=wordy_text, codec=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-32", "cp1251",
                                                "cp1252", "koi8-r", "latin-1"]),
       noise=st.lists(st.tuples(st.integers(0, 10_000), st.binary(min_size=1, max_size=3)), max_size=4))
def test_decoding_never_raises_anything_but_decode_error(text: str, codec: str, noise: list) -> None:
    _count("decode")
    data = bytearray(text.encode(codec, errors="ignore"))
    for position, junk in noise:
        data[position % (len(data) + 1):position % (len(data) + 1)] = junk
    try:
        decoded = decode_text(bytes(data))
    except DecodeError as exc:
        assert str(exc).strip()
        return
    assert isinstance(decoded.text, str) and decoded.encoding
    if not noise and codec.startswith("utf") and decoded.text.strip("\ufeff") and len(text) > 40:
        assert decoded.text.lstrip("\ufeff") == text.lstrip("\ufeff")  # clean Unicode round-trips


@fuzz("sentences")
@given(text=wordy_text, lang=st.sampled_from([None, "de", "en", "ru", "xx"]))
def test_sentence_offsets_point_into_the_text(text: str, lang: str | None) -> None:
    _count("sentences")
    for sentence in split_sentences(text, [lang] * (text.count("\n") + 1)):
        assert 0 <= sentence.start < sentence.end <= len(text)
        assert " ".join(text[sentence.start:sentence.end].split()) == " ".join(sentence.text.split())


@fuzz("cut")
@given(text=wordy_text, limit=st.integers(1, 300))
def test_cuts_respect_the_limit_and_keep_every_word(text: str, limit: int) -> None:
    _count("cut")
    cut, boundary = cut_at_boundary(text, limit)
    assert (len(cut) <= limit and text.startswith(cut.rstrip())) or boundary == "none"
    line = " ".join(text.split())
    pieces = wrap_long(line, limit)
    assert all(len(p) <= limit for p in pieces)
    assert "".join("".join(pieces).split()) == "".join(line.split())


def test_examples_run_in_total() -> None:
    """Runs last in this module: the fuzz tests above ran at least ECHOLOT_FUZZ_EXAMPLES cases together."""
    if set(RUN) != set(WEIGHTS):
        pytest.skip("only part of the fuzz module ran")
    total = sum(RUN.values())
    print(f"\nfuzz examples run: {total} ({', '.join(f'{k} {v}' for k, v in RUN.items())})")
    assert total >= 0.95 * TOTAL
