"""WARC (and ARC) archives, streamed record by record with warcio.

Only HTML and plain-text responses become documents. The capture date is kept in
`meta["crawled"]` and never used as the publication date: a page crawled today
may have been published years ago.
"""
from __future__ import annotations

from pathlib import Path
from collections.abc import Iterator

from echolot.ingest.decode import DecodeError, decode_document_text
from echolot.model import RawDocument, Rejection

_CHARSET = "charset="


def _header_charset(content_type: str) -> str | None:
    lowered = content_type.lower()
    if _CHARSET not in lowered:
        return None
    return lowered.split(_CHARSET, 1)[1].split(";")[0].strip() or None


_CHUNK = 1 << 16
_BLOCK = 4096


class _Bomb(Exception):
    """A record inflates far beyond what its compressed bytes suggest: stop reading the file."""


def _read_payload(record, handle, started: int, max_bytes: int, max_ratio: int) -> bytes | None:  # type: ignore[no-untyped-def]
    """The record's payload, or None when it exceeds `max_bytes` (raising _Bomb for a decompression bomb).

    Read in chunks, never past `max_bytes` + one chunk; an oversize record whose
    compressed size is tiny next to that would make warcio inflate gigabytes just to
    skip it, so the whole file stops there instead.
    """
    stream = record.content_stream()
    parts: list[bytes] = []
    size = 0
    while size <= max_bytes:
        chunk = stream.read(min(_CHUNK, max_bytes + 1 - size))
        if not chunk:
            return b"".join(parts)
        parts.append(chunk)
        size += len(chunk)
    del parts
    compressed = max(1, handle.tell() - started)
    if max_ratio > 0 and size > max_ratio * compressed:
        raise _Bomb(f"record inflates past ingest.max_bytes {max_bytes:,} from about {compressed:,} compressed "
                    f"bytes (ratio > {size // compressed}:1, ingest.max_inflate_ratio {max_ratio}): "
                    "a decompression bomb; the rest of the archive is skipped")
    return None


def _skip(record, handle, started: int, max_bytes: int, max_ratio: int) -> None:  # type: ignore[no-untyped-def]
    """Drain a record we do not use, with the same bomb check (warcio would inflate it all)."""
    stream = record.raw_stream
    size = 0
    while True:
        chunk = stream.read(_CHUNK)
        if not chunk:
            return
        size += len(chunk)
        if size > max_bytes:
            compressed = max(1, handle.tell() - started)
            if max_ratio > 0 and size > max_ratio * compressed:
                raise _Bomb(f"record inflates past ingest.max_bytes {max_bytes:,} from about {compressed:,} "
                            f"compressed bytes (ingest.max_inflate_ratio {max_ratio}): a decompression bomb; "
                            "the rest of the archive is skipped")


def read_warc(path: Path, max_bytes: int, max_ratio: int = 200) -> Iterator[RawDocument | Rejection]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    with open(path, "rb") as handle:
        number = 0
        origin = str(path)
        try:
            # small blocks: one block of a bomb inflates ~1,000-fold inside warcio's buffer
            iterator = ArchiveIterator(handle, arc2warc=True, block_size=_BLOCK)
            started = handle.tell()
            for number, record in enumerate(iterator, start=1):
                origin = f"{path}#{number}"
                if record.rec_type not in {"response", "resource"}:
                    _skip(record, handle, started, max_bytes, max_ratio)
                    started = handle.tell()
                    continue
                url = record.rec_headers.get_header("WARC-Target-URI") or ""
                origin = f"{path}#{number}" + (f" ({url})" if url else "")
                content_type = ""
                if record.http_headers is not None:
                    status = record.http_headers.get_statuscode()
                    if status and not status.startswith("2"):
                        _skip(record, handle, started, max_bytes, max_ratio)
                        started = handle.tell()
                        continue  # redirects and errors are not articles
                    content_type = record.http_headers.get_header("Content-Type") or ""
                else:
                    content_type = record.rec_headers.get_header("Content-Type") or ""
                lowered = content_type.lower()
                if lowered and "html" not in lowered and "text/plain" not in lowered:
                    _skip(record, handle, started, max_bytes, max_ratio)
                    started = handle.tell()
                    continue  # images, scripts, style sheets
                data = _read_payload(record, handle, started, max_bytes, max_ratio)
                if data is None:
                    _skip(record, handle, started, max_bytes, max_ratio)
                    started = handle.tell()
                    yield Rejection(origin, f"record too large (> ingest.max_bytes {max_bytes:,})")
                    continue
                started = handle.tell()
                if not data.strip():
                    yield Rejection(origin, "empty record")
                    continue
                try:
                    decoded = decode_document_text(data, _header_charset(content_type))
                except DecodeError as exc:
                    yield Rejection(origin, str(exc))
                    continue
                del data
                kind = "text" if "text/plain" in lowered else "html"
                meta = {"crawled": record.rec_headers.get_header("WARC-Date")}
                if decoded.notes:
                    meta["notes"] = decoded.notes
                yield RawDocument(origin=origin, body=decoded.text, kind=kind, url=url or None, meta=meta)
        except _Bomb as exc:
            yield Rejection(origin, str(exc))
        except ArchiveLoadFailed as exc:
            yield Rejection(str(path), f"not a readable WARC file ({str(exc).strip()[:120]})")
        except (OSError, EOFError, ValueError) as exc:
            yield Rejection(str(path), f"truncated or corrupt WARC file ({type(exc).__name__}: {exc})")
