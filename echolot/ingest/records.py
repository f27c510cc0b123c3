"""JSONL and CSV files in the shared article format, streamed record by record.

`{"id", "lang", "title", "text", "published", "source", "url"}`: the record's id
becomes `external_id` (evaluators map results back with it), its metadata wins
over guesses, and its `lang` is kept as `declared_lang`, used only when the user
asks for it (`--lang declared`; otherwise the language is detected).
A malformed line is one Rejection; the file goes on.

`read_records(path)` picks the reader by the file's suffix; predictors that want
finished articles (cleaned, with language and sentences) call
`echolot.pipeline.read_articles`, which reads through these same functions.
"""
from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path
from typing import Any
from collections.abc import Iterator

from echolot.ingest.decode import implausible
from echolot.model import RawDocument, Rejection

from echolot.settings import IngestSettings

JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jsonlines", ".json")  # .json: one object per line, as ingest reads it
CSV_SUFFIXES = (".csv", ".tsv")
DEFAULT_MAX_RECORD_BYTES = IngestSettings().max_record_bytes

_TEXT_KEYS = ("text", "body", "content", "articleBody", "article")
_HTML_KEYS = ("html", "raw_html")


def _str(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def record_to_raw(record: dict[str, Any], origin: str) -> RawDocument | Rejection:
    """One parsed record to a RawDocument, or a Rejection saying what is missing."""
    kind = "text"
    body = next((record[k] for k in _TEXT_KEYS if isinstance(record.get(k), str)), None)
    if body is None:
        body = next((record[k] for k in _HTML_KEYS if isinstance(record.get(k), str)), None)
        kind = "html"
    if body is None:
        return Rejection(origin, "record has no text field (expected 'text')")
    reason = implausible(body)
    if reason is not None:
        return Rejection(origin, reason)
    meta: dict[str, Any] = {"record": True, "title_declared": "title" in record}
    lang = _str(record.get("lang") or record.get("language"))
    if lang:
        meta["declared_lang"] = lang
    return RawDocument(
        origin=origin, body=body, kind=kind, title=_str(record.get("title")),
        published=_str(record.get("published") or record.get("date")),
        source=_str(record.get("source")), url=_str(record.get("url")), lang=lang,
        external_id=_str(record.get("id")), meta=meta,
    )


def _lines(handle: io.BufferedReader, max_bytes: int) -> Iterator[tuple[int, bytes | None]]:
    """(line number, bytes) with bounded memory; an over-long line yields None and is skipped."""
    number = 0
    while True:
        line = handle.readline(max_bytes + 1)
        if not line:
            return
        number += 1
        if len(line) > max_bytes and not line.endswith(b"\n"):
            while True:  # drain the rest of the monster line in bounded chunks
                rest = handle.readline(1 << 20)
                if not rest or rest.endswith(b"\n"):
                    break
            yield number, None
            continue
        yield number, line


def read_jsonl(path: Path, max_bytes: int) -> Iterator[RawDocument | Rejection]:
    """Stream a JSONL file line by line."""
    with open(path, "rb") as handle:
        for number, line in _lines(handle, max_bytes):  # type: ignore[arg-type]
            origin = f"{path}:{number}"
            if line is None:
                yield Rejection(origin, f"line too long (> ingest.max_record_bytes {max_bytes:,})")
                continue
            if not line.strip():
                continue
            try:
                record = json.loads(line.decode("utf-8-sig" if number == 1 else "utf-8"))
            except UnicodeDecodeError:
                yield Rejection(origin, "line is not valid UTF-8")
                continue
            except json.JSONDecodeError as exc:
                yield Rejection(origin, f"invalid JSON ({exc.msg} at column {exc.colno})")
                continue
            if not isinstance(record, dict):
                yield Rejection(origin, f"expected a JSON object, got {type(record).__name__}")
                continue
            yield record_to_raw(record, origin)


class _LineTooLong(Exception):
    pass


class _BoundedLines:
    """Lines of a text file for csv.reader, none longer than `limit` characters.

    An over-long line is drained in bounded chunks and reported by raising from
    `__next__` (csv.reader passes the exception on and starts its next row afresh),
    so a 50 MB line never exists in memory whole.
    """

    def __init__(self, handle: io.TextIOBase, limit: int) -> None:
        self.handle, self.limit = handle, limit

    def __iter__(self) -> _BoundedLines:
        return self

    def __next__(self) -> str:
        line = self.handle.readline(self.limit + 1)
        if not line:
            raise StopIteration
        if len(line) > self.limit and not line.endswith("\n"):
            while True:
                rest = self.handle.readline(1 << 20)
                if not rest or rest.endswith("\n"):
                    break
            raise _LineTooLong
        return line


def read_csv(path: Path, max_bytes: int) -> Iterator[RawDocument | Rejection]:
    """Stream a CSV/TSV file with a header row naming the article fields."""
    csv.field_size_limit(min(max_bytes, sys.maxsize))
    delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    with open(path, encoding="utf-8-sig", errors="replace", newline="") as handle:
        reader = csv.DictReader(_BoundedLines(handle, max_bytes), delimiter=delimiter)  # type: ignore[arg-type]
        try:
            fieldnames = reader.fieldnames
        except (_LineTooLong, csv.Error):
            fieldnames = None
        if not fieldnames or not any(k in fieldnames for k in _TEXT_KEYS + _HTML_KEYS):
            yield Rejection(str(path), "CSV has no 'text' column in its header row")
            return
        row_number = 1
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                row_number += 1
                yield Rejection(f"{path}:{row_number}", f"malformed CSV row ({exc})")
                continue
            except _LineTooLong:
                row_number += 1
                yield Rejection(f"{path}:{row_number}", f"line too long (> ingest.max_record_bytes {max_bytes:,})")
                continue
            row_number += 1
            origin = f"{path}:{row_number}"
            if None in row:  # more cells than header columns
                row.pop(None)  # type: ignore[call-overload]
            yield record_to_raw(dict(row), origin)


def read_records(path: Path | str, max_bytes: int = DEFAULT_MAX_RECORD_BYTES) -> Iterator[RawDocument | Rejection]:
    """The records of one JSONL (.jsonl, .ndjson, .jsonlines, .json) or CSV/TSV file, chosen by its suffix.

    Raises ValueError for any other suffix (a caller's mistake, not a bad record); records
    that cannot be used are Rejections with their line, as in `echolot ingest`."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        return read_jsonl(path, max_bytes)
    if suffix in CSV_SUFFIXES:
        return read_csv(path, max_bytes)
    raise ValueError(f"{path}: not a record file (expected {', '.join(JSONL_SUFFIXES + CSV_SUFFIXES)})")
