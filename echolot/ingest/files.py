"""Walking the paths a user gives: files, directories (with loops), and what each file is.

A file's kind comes from its name first and its first bytes second, so a scrape
saved as `.txt` that is really HTML still goes through the HTML extractor, and a
PDF renamed to `.txt` is rejected with a clear reason instead of becoming garbage.
"""
from __future__ import annotations

import os
from pathlib import Path
from collections.abc import Iterator

from echolot.ingest.decode import binary_kind
from echolot.model import Rejection

_BY_SUFFIX = {
    ".txt": "text", ".text": "text", ".md": "text",
    ".html": "html", ".htm": "html", ".xhtml": "html", ".shtml": "html", ".php": "html", ".asp": "html",
    ".aspx": "html",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl",
    ".csv": "csv", ".tsv": "csv",
    ".warc": "warc", ".arc": "warc",
    ".rss": "feed", ".atom": "feed", ".xml": "feed",
}


def sniff_kind(path: Path, head: bytes) -> str:
    """One of text | html | jsonl | csv | warc | feed | binary, from name and first bytes."""
    name = path.name.lower()
    if name.endswith((".warc.gz", ".arc.gz")):
        return "warc"
    if head.startswith(b"WARC/"):
        return "warc"
    if binary_kind(head):
        return "binary"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    suffix_kind = _BY_SUFFIX.get(path.suffix.lower())
    if suffix_kind in {"jsonl", "csv", "warc"}:
        return suffix_kind
    if stripped.startswith((b"<?xml", b"<rss", b"<feed", b"<rdf", b"<urlset", b"<sitemapindex")) and (
        b"<rss" in head[:2048].lower() or b"<feed" in head[:2048].lower() or b"<urlset" in head[:2048].lower()
        or b"<sitemapindex" in head[:2048].lower() or b"<rdf" in head[:2048].lower()
    ):
        return "feed"
    if stripped.startswith((b"<!doctype html", b"<html", b"<head", b"<body")) or (
        suffix_kind in {None, "text"} and b"<html" in head[:4096].lower()
    ):
        return "html"
    if suffix_kind == "feed":
        return "html" if b"<html" in head[:4096].lower() else "feed"
    return suffix_kind or "text"


def walk(paths: list[str]) -> Iterator[Path | Rejection]:
    """Every file under `paths` in a stable order; unreadable paths and loops become Rejections."""
    for raw in paths:
        if not raw.strip():
            yield Rejection(raw, "empty path")  # Path("") would mean the current directory
            continue
        if "\x00" in raw:
            yield Rejection(raw.replace("\x00", "\\0"), "path contains a NUL byte")
            continue
        path = Path(raw)
        try:
            if path.is_dir():
                yield from _walk_dir(path)
            elif path.exists():
                yield path
            elif path.is_symlink():
                yield Rejection(str(path), "broken symbolic link")
            else:
                yield Rejection(str(path), "no such file or directory")
        except OSError as exc:
            yield Rejection(str(path), f"unreadable: {exc.strerror or exc}")


def _walk_dir(root: Path) -> Iterator[Path | Rejection]:
    """Depth-first, sorted, following links but visiting each real directory once."""
    seen: set[tuple[int, int]] = set()
    stack = [root]
    while stack:
        directory = stack.pop()
        try:
            info = directory.stat()
        except OSError as exc:
            yield Rejection(str(directory), f"unreadable directory: {exc.strerror or exc}")
            continue
        key = (info.st_dev, info.st_ino)
        if key in seen:
            yield Rejection(str(directory), "directory loop (already visited through another path)")
            continue
        seen.add(key)
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError as exc:
            yield Rejection(str(directory), f"unreadable directory: {exc.strerror or exc}")
            continue
        subdirs: list[Path] = []
        for entry in entries:
            if entry.name.startswith("."):
                continue  # hidden files (.DS_Store, .git) are not input
            try:
                if entry.is_dir():
                    subdirs.append(Path(entry.path))
                elif entry.is_file():
                    yield Path(entry.path)
                elif entry.is_symlink():
                    yield Rejection(entry.path, "broken symbolic link")
            except OSError as exc:
                yield Rejection(entry.path, f"unreadable: {exc.strerror or exc}")
        stack.extend(reversed(subdirs))


def read_head(path: Path, size: int = 8192) -> bytes:
    with open(path, "rb") as handle:
        return handle.read(size)


def read_bounded(path: Path, max_bytes: int) -> bytes:
    """The whole file, refusing (without reading it) anything larger than `max_bytes`."""
    size = os.stat(path).st_size
    if size > max_bytes:
        raise ValueError(f"too large ({size:,} bytes > ingest.max_bytes {max_bytes:,})")
    with open(path, "rb") as handle:
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:  # grew while we read it (a pipe, a file being written)
        raise ValueError(f"too large (> ingest.max_bytes {max_bytes:,})")
    return data
