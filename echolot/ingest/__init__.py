"""Reading sources: files, directories, JSONL/CSV, HTML, WARC, feeds, sitemaps and URLs.

`read_sources` streams `RawDocument`s (or a `Rejection` per unusable item) and
never raises for one bad item, so a broken file in a folder of ten thousand costs
one line in the summary, not the run.
"""
from __future__ import annotations

from pathlib import Path
from collections.abc import Iterator

from echolot.ingest.decode import DecodeError, decode_bytes, decode_document, decode_document_text, decode_text
from echolot.ingest.feeds import is_sitemap, is_url, read_feed, read_sitemap, read_url
from echolot.ingest.files import read_bounded, read_head, sniff_kind, walk
from echolot.ingest.records import read_csv, read_jsonl
from echolot.ingest.warc import read_warc
from echolot.model import RawDocument, Rejection
from echolot.settings import Settings

__all__ = [
    "DecodeError",
    "decode_bytes",
    "decode_document",
    "decode_document_text",
    "decode_text",
    "read_file",
    "read_sources",
]


def read_sources(paths: list[str], settings: Settings) -> Iterator[RawDocument | Rejection]:
    """Every document under `paths` (files, directories, URLs), in a stable order."""
    options = settings.ingest
    for path in paths:
        if is_url(path):
            yield from _guard(path, read_url(path, options.follow_feeds, options.max_bytes, options.fetch_timeout))
            continue
        for item in walk([path]):
            if isinstance(item, Rejection):
                yield item
            else:
                yield from _guard(str(item), read_file(item, settings))


def _guard(origin: str, items: Iterator[RawDocument | Rejection]) -> Iterator[RawDocument | Rejection]:
    """Turn an unexpected reader failure into one Rejection instead of ending the run."""
    try:
        yield from items
    except (OSError, ValueError, UnicodeError) as exc:
        yield Rejection(origin, _os_reason(exc))
    except Exception as exc:
        yield Rejection(origin, f"internal error: {type(exc).__name__}: {exc}")


def _os_reason(exc: Exception) -> str:
    if isinstance(exc, PermissionError):
        return "permission denied"
    if isinstance(exc, FileNotFoundError):
        return "no such file or directory"
    if isinstance(exc, OSError):
        return f"unreadable: {exc.strerror or exc}"
    return str(exc)


def read_file(path: Path, settings: Settings) -> Iterator[RawDocument | Rejection]:
    """Documents in one file, dispatched on its kind (name + first bytes)."""
    options = settings.ingest
    origin = str(path)
    head = read_head(path)
    if not head.strip():
        yield Rejection(origin, "empty file")
        return
    kind = sniff_kind(path, head)
    if kind == "binary":
        from echolot.ingest.decode import binary_kind

        yield Rejection(origin, f"binary file ({binary_kind(head)}), not text")
    elif kind == "jsonl":
        yield from read_jsonl(path, min(options.max_bytes, options.max_record_bytes))
    elif kind == "csv":
        yield from read_csv(path, min(options.max_bytes, options.max_record_bytes))
    elif kind == "warc":
        yield from read_warc(path, options.max_bytes, options.max_inflate_ratio)
    else:
        yield from _read_document(path, kind, settings)


def _read_document(path: Path, kind: str, settings: Settings) -> Iterator[RawDocument | Rejection]:
    """A single text, HTML or feed file, read whole but only below ingest.max_bytes."""
    options = settings.ingest
    origin = str(path)
    try:
        data = read_bounded(path, options.max_bytes)
    except ValueError as exc:
        yield Rejection(origin, str(exc))
        return
    if kind == "feed":
        reader = read_sitemap if is_sitemap(data) else read_feed
        yield from reader(data, origin, options.follow_feeds, options.max_bytes, options.fetch_timeout)
        return
    try:
        decoded = decode_document_text(data) if kind == "html" else decode_text(data)
    except DecodeError as exc:
        yield Rejection(origin, str(exc))
        return
    del data  # one copy of a big file at a time
    meta = {"encoding": decoded.encoding, "file": path.name} | ({"notes": decoded.notes} if decoded.notes else {})
    yield RawDocument(origin=origin, body=decoded.text, kind=kind, meta=meta)
