"""WARC (and ARC) archives, streamed record by record with warcio.

Only HTML and plain-text responses become documents. The capture date is kept in
`meta["crawled"]` and never used as the publication date: a page crawled today
may have been published years ago.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

from echolot.ingest.decode import DecodeError, decode_document
from echolot.model import RawDocument, Rejection

_CHARSET = "charset="


def _header_charset(content_type: str) -> str | None:
    lowered = content_type.lower()
    if _CHARSET not in lowered:
        return None
    return lowered.split(_CHARSET, 1)[1].split(";")[0].strip() or None


def read_warc(path: Path, max_bytes: int) -> Iterator[RawDocument | Rejection]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    with open(path, "rb") as handle:
        try:
            for number, record in enumerate(ArchiveIterator(handle, arc2warc=True), start=1):
                if record.rec_type not in {"response", "resource"}:
                    continue
                url = record.rec_headers.get_header("WARC-Target-URI") or ""
                origin = f"{path}#{number}" + (f" ({url})" if url else "")
                content_type = ""
                if record.http_headers is not None:
                    status = record.http_headers.get_statuscode()
                    if status and not status.startswith("2"):
                        continue  # redirects and errors are not articles
                    content_type = record.http_headers.get_header("Content-Type") or ""
                else:
                    content_type = record.rec_headers.get_header("Content-Type") or ""
                lowered = content_type.lower()
                if lowered and "html" not in lowered and "text/plain" not in lowered:
                    continue  # images, scripts, style sheets
                data = record.content_stream().read(max_bytes + 1)
                if len(data) > max_bytes:
                    yield Rejection(origin, f"record too large (> ingest.max_bytes {max_bytes:,})")
                    continue
                if not data.strip():
                    yield Rejection(origin, "empty record")
                    continue
                try:
                    body, _ = decode_document(data, _header_charset(content_type))
                except DecodeError as exc:
                    yield Rejection(origin, str(exc))
                    continue
                kind = "text" if "text/plain" in lowered else "html"
                yield RawDocument(origin=origin, body=body, kind=kind, url=url or None,
                                  meta={"crawled": record.rec_headers.get_header("WARC-Date")})
        except ArchiveLoadFailed as exc:
            yield Rejection(str(path), f"not a readable WARC file ({str(exc).strip()[:120]})")
        except (OSError, EOFError, ValueError) as exc:
            yield Rejection(str(path), f"truncated or corrupt WARC file ({type(exc).__name__}: {exc})")
