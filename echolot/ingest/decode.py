"""Bytes to text: BOM sniffing, declared charsets, then a plausibility vote.

Scraped files arrive in UTF-8, UTF-8 with BOM, cp1251, latin-1 and worse, and
statistical detectors alone confuse cp1251 with latin-1 on short texts (every
German umlaut decodes to a Cyrillic letter in cp1251). So each candidate decoding
is scored by how *plausible* its words are: real text rarely mixes Latin and
Cyrillic letters inside one word, and rarely has words made mostly of accented
letters. The detector's own guess only breaks ties.
"""
from __future__ import annotations

import codecs
import re

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_FALLBACKS = ("cp1251", "cp1252", "koi8-r", "iso-8859-2")
_ASCII_PROBE = b"The quick brown fox, 0123456789. <a href='x'>!?</a>"
_WORD = re.compile(r"[^\W\d_]{3,}")
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "pdf"), (b"PK\x03\x04", "zip"), (b"\x89PNG", "png"), (b"\xff\xd8\xff", "jpeg"),
    (b"GIF8", "gif"), (b"\x7fELF", "executable"), (b"MZ", "executable"), (b"\x1f\x8b", "gzip"),
    (b"BZh", "bzip2"), (b"\xfd7zXZ", "xz"), (b"OggS", "ogg"), (b"ID3", "mp3"), (b"RIFF", "riff"),
    (b"SQLite format 3", "sqlite"),
)


class DecodeError(ValueError):
    """The bytes are not text (binary data) or cannot be decoded at all."""


def binary_kind(head: bytes) -> str | None:
    """Name of the binary format `head` starts with, or None when it looks like text."""
    for bom, _ in _BOMS:
        if head.startswith(bom):
            return None
    for magic, name in _MAGIC:
        if head.startswith(magic):
            return name
    sample = head[:8192]
    if b"\x00" in sample:
        return "binary data"
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
    if sample and controls / len(sample) > 0.05:
        return "binary data"
    return None


def _implausibility(text: str) -> float:
    """Share of words that look like a wrong decoding (mixed scripts, mostly accented letters)."""
    words = _WORD.findall(text[:20000])
    if not words:
        return 0.0
    bad = 0
    for word in words:
        cyr = sum(1 for ch in word if "\u0400" <= ch <= "\u04ff")
        lat_ascii = sum(1 for ch in word if ch.isascii())
        other = len(word) - cyr - lat_ascii
        if cyr and (lat_ascii or other):
            bad += 1
        elif other and other * 2 >= len(word):
            bad += 1
        elif any(ch.isupper() for ch in word[1:]) and any(ch.islower() for ch in word[1:]) and not word.isascii():
            bad += 1  # "ÐŸÑ€Ð¸" style mojibake mixes cases inside a word
    return bad / len(words)


def _detector_guess(data: bytes) -> str | None:
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - charset_normalizer is a dependency of requests/httpx
        return None
    best = from_bytes(data[:65536]).best()
    return best.encoding if best is not None else None


def _normalise_codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name.strip().strip("\"'")).name
    except LookupError:
        return None


def decode_bytes(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode `data` to text; return (text, encoding used). Raises DecodeError for binary data."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace"), encoding
    kind = binary_kind(data[:8192])
    if kind:
        raise DecodeError(f"binary file ({kind})")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    declared_codec = _normalise_codec(declared)
    if declared_codec and declared_codec not in {"utf-8", "utf_8"}:
        try:
            return data.decode(declared_codec), declared_codec
        except (UnicodeDecodeError, LookupError):
            pass
    return _vote(data)


def _vote(data: bytes) -> tuple[str, str]:
    """Pick the candidate decoding whose words look most like real words."""
    guess = _normalise_codec(_detector_guess(data))
    candidates = [c for c in ([guess] if guess else []) + list(_FALLBACKS)]
    best: tuple[float, int, str, str] | None = None
    for order, encoding in enumerate(dict.fromkeys(candidates)):
        try:
            if _ASCII_PROBE.decode(encoding) != _ASCII_PROBE.decode("ascii"):
                continue  # EBCDIC and friends: never what a web page or scrape uses
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        score = (_implausibility(text), order, encoding, text)
        if best is None or score[:2] < best[:2]:
            best = score
    if best is None:
        return data.decode("utf-8", errors="replace"), "utf-8"
    return best[3], best[2]


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_\-.]+)["']""", re.IGNORECASE)


def declared_charset(head: bytes) -> str | None:
    """The charset an HTML/XML document declares about itself in its first bytes, if any."""
    match = _META_CHARSET.search(head[:8192]) or _XML_ENCODING.search(head[:1024])
    return match.group(1).decode("ascii", errors="ignore") if match else None


def decode_document(data: bytes, header_charset: str | None = None) -> tuple[str, str]:
    """Decode a web document, trusting (in order) BOM, HTTP header, in-document declaration, vote."""
    return decode_bytes(data, header_charset or declared_charset(data))
