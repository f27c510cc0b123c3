"""Bytes to text: BOM sniffing, declared charsets, then a plausibility vote; garbage is refused.

Scraped files arrive in UTF-8, UTF-8 with BOM, cp1251, latin-1 and worse, and
statistical detectors alone confuse cp1251 with latin-1 on short texts (every
German umlaut decodes to a Cyrillic letter in cp1251). So each candidate decoding
is scored by how *plausible* its words are: real text rarely mixes Latin and
Cyrillic letters inside one word, and rarely has words made mostly of accented
letters. The detector's own guess only breaks ties.

Two rules keep a decoding from ever producing silent garbage:

* bytes that are UTF-8 except a small share of invalid sequences (a scrape with a
  few stray latin-1 bytes) are decoded as UTF-8 with U+FFFD for the bad bytes, and
  a note says so; a vote over legacy code pages would turn every umlaut of such a
  text into a wrong letter ("wõhrend");
* whatever decoding wins is checked once more (`implausible`): mostly replacement
  characters, private-use/unassigned/rare-block characters (UTF-16 read from 8-bit
  bytes), words mixing scripts, or UTF-8 read as cp1252 ("Ã¤") make a DecodeError
  whose message is the reason shown to the user.
"""
from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass, field

# longest first: the UTF-32 LE mark starts with the UTF-16 LE one
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# a text that is UTF-8 but for at most this share of its non-ASCII sequences is decoded as UTF-8
MOSTLY_UTF8_MAX_INVALID = 0.25
_SAMPLE_CHARS = 50_000  # plausibility is judged on the first characters only (bounded work)
_SPACE = re.compile(r"\s")
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


@dataclass
class Decoded:
    """A decoding: the text, the codec that made it, and notes for the user (replaced bytes, ...)."""

    text: str
    encoding: str
    notes: list[str] = field(default_factory=list)


def binary_kind(head: bytes) -> str | None:
    """Name of the binary format `head` starts with, or None when it looks like text."""
    for bom, _ in _BOMS:
        if head.startswith(bom):
            return None
    for magic, name in _MAGIC:
        if head.startswith(magic):
            return name
    sample = head[:8192]
    if b"\x00" in sample and utf16_without_bom(sample) is not None:
        return None  # UTF-16 without a byte-order mark: zero and control bytes are half its letters
    if b"\x00" in sample:
        return "binary data"
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
    if sample and controls / len(sample) > 0.05:
        return "binary data"
    return None


def utf16_without_bom(sample: bytes) -> str | None:
    """"utf-16-le"/"utf-16-be" for UTF-16 written without a byte-order mark, else None.

    In UTF-16 of an alphabetic script one side of each byte pair is the script's
    block (0x00 Latin, 0x04 Cyrillic, 0x03 Greek, ...) plus 0x00 for spaces and
    punctuation: two values fill that side, and the other side is never zero.
    """
    sample = sample[:8192]
    pairs = len(sample) // 2
    if pairs < 8:
        return None
    for encoding, high, low in (("utf-16-le", sample[1:pairs * 2:2], sample[0:pairs * 2:2]),
                                ("utf-16-be", sample[0:pairs * 2:2], sample[1:pairs * 2:2])):
        zeros = high.count(0)
        if zeros < 0.05 * pairs or low.count(0) > 0.02 * pairs:
            continue
        top = max((high.count(value) for value in set(high) if value), default=0)
        if zeros + top >= 0.9 * pairs:
            return encoding
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
        if (cyr and (lat_ascii or other)) or (other and other * 2 >= len(word)):
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
    """Decode `data` to text; return (text, encoding used). Raises DecodeError for binary data or garbage."""
    decoded = decode_text(data, declared)
    return decoded.text, decoded.encoding


def decode_text(data: bytes, declared: str | None = None) -> Decoded:
    """Decode `data`: BOM, strict UTF-8, mostly-UTF-8, declared charset, vote; then refuse garbage."""
    notes: list[str] = []
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = data[len(bom):].decode(encoding, errors="replace")
            if encoding == "utf-8" or (not _looks_8bit(data[len(bom):], encoding)
                                       and implausible(text, wide=True) is None):
                _replacement_note(text, data, notes)
                return _checked(Decoded(text, encoding, notes))
            # a byte-order mark in front of 8-bit bytes (an editor's stray mark): read the bytes instead
            notes.append(f"ignored a {encoding[:6].upper()} byte-order mark: the bytes after it are not {encoding[:6].upper()}")
            data = data[len(bom):]
            break
    kind = binary_kind(data[:8192])
    if kind:
        raise DecodeError(f"binary file ({kind})")
    wide = utf16_without_bom(data[:8192])
    if wide:
        text = data.decode(wide, errors="replace")
        _replacement_note(text, data, notes)
        return _checked(Decoded(text, wide, notes + ["UTF-16 without a byte-order mark"]))
    try:
        return _checked(Decoded(data.decode("utf-8"), "utf-8", notes))
    except UnicodeDecodeError:
        pass
    mostly = _mostly_utf8(data)
    if mostly is not None:
        return _checked(Decoded(mostly[0], "utf-8", notes + [mostly[1]]))
    declared_codec = _normalise_codec(declared)
    if declared_codec and declared_codec not in {"utf-8", "utf_8"}:
        try:
            return _checked(Decoded(data.decode(declared_codec), declared_codec, notes))
        except (UnicodeDecodeError, LookupError, DecodeError):
            pass  # a wrong declaration is common; let the vote decide
    text, encoding = _vote(data)
    return _checked(Decoded(text, encoding, notes))


def _looks_8bit(rest: bytes, encoding: str) -> bool:
    """Whether bytes behind a UTF-16/32 mark are really 8-bit text (ASCII letters in almost every unit).

    UTF-16 of real text has zero bytes (Latin, Cyrillic) or bytes all over the range
    (CJK: about a fifth of the units are two printable ASCII bytes); a stray mark in
    front of UTF-8 or cp1252 text gives units made of two printable ASCII bytes.
    """
    width = 4 if encoding.startswith("utf-32") else 2
    sample = rest[:65536]
    units = len(sample) // width
    if units < 8:
        return False
    printable = sum(1 for i in range(0, units * width, width)
                    if all(32 <= b < 127 or b in (9, 10, 13) for b in sample[i:i + width]))
    return printable > 0.7 * units


def _replacement_note(text: str, data: bytes, notes: list[str]) -> None:
    bad = text.count("\ufffd") - data.count(b"\xef\xbf\xbd")
    if bad > 0:
        notes.append(f"{bad} undecodable byte sequence(s) replaced by U+FFFD")


def _mostly_utf8(data: bytes) -> tuple[str, str] | None:
    """(text, note) when `data` is UTF-8 but for a few invalid sequences, else None.

    Text in a legacy code page almost never forms valid multi-byte UTF-8 sequences
    by accident, so many valid sequences beside a few invalid ones mean UTF-8 with
    stray bytes, not cp1252 or koi8-r.
    """
    text = data.decode("utf-8", errors="replace")
    invalid = text.count("\ufffd") - data.count(b"\xef\xbf\xbd")
    non_ascii = len(text) - len(text.encode("ascii", errors="ignore"))
    valid = non_ascii - invalid
    if invalid <= 0 or valid < 2 or invalid > MOSTLY_UTF8_MAX_INVALID * (valid + invalid):
        return None
    return text, f"decoded as UTF-8 with {invalid} invalid byte sequence(s) replaced by U+FFFD"


def _checked(decoded: Decoded) -> Decoded:
    reason = implausible(decoded.text, wide=decoded.encoding.startswith(("utf-16", "utf-32")))
    if reason is not None:
        raise DecodeError(f"{reason} (decoded as {decoded.encoding})")
    return decoded


def _continuations() -> str:
    out: set[str] = set()
    for byte in range(0x80, 0xC0):
        for encoding in ("cp1252", "latin-1"):
            try:
                out.add(bytes([byte]).decode(encoding))
            except UnicodeDecodeError:
                pass
    return "".join(sorted(out))


# UTF-8 lead bytes C2/C3/D0/D1 read as cp1252 or latin-1, then a continuation byte read the same way
_DOUBLE_ENCODED = re.compile("[\u00c2\u00c3\u00d0\u00d1][" + re.escape(_continuations()) + "]")
# East Asian writing mixes these (and Latin) inside one run of letters; never a sign of mojibake
_EAST_ASIAN = ("CJK", "HIRAGANA", "KATAKANA", "HALFWIDTH", "FULLWIDTH", "IDEOGRAPHIC", "HANGUL", "BOPOMOFO")


def _script(ch: str) -> str:
    head = unicodedata.name(ch, "").split(" ", 1)[0]
    return "CJK" if head.startswith(_EAST_ASIAN) else head


def _symbolic(ch: str) -> bool:
    """Box drawing, block elements and maths operators: what koi8-r or cp437 make of random bytes."""
    return 0x2500 <= ord(ch) <= 0x259F or 0x2200 <= ord(ch) <= 0x22FF or 0x2320 <= ord(ch) <= 0x2321


def _rare(ch: str) -> bool:
    """Characters real text hardly ever has, but UTF-16 read from 8-bit bytes has many of."""
    code = ord(ch)
    if ch == "\ufffd" or 0x3400 <= code <= 0x4DFF or 0xA000 <= code <= 0xA4CF or 0x2100 <= code <= 0x2BFF:
        return True  # CJK extension A, Yi, arrows/maths/box drawing/braille/dingbats
    return unicodedata.category(ch) in {"Co", "Cn", "Cs"}


def implausible(text: str, wide: bool = False) -> str | None:
    """Why `text` cannot be a correct decoding of real text, or None when it looks fine.

    `wide`: the text came from UTF-16/32, the one decoding that turns wrong bytes into
    private-use, unassigned and rare-block characters (web pages use private-use icons
    legitimately, so that test is kept for this case). Judged on the first characters
    only, so a huge document costs a bounded amount of work.
    """
    sample = text[:_SAMPLE_CHARS]
    visible = len(sample) - len(_SPACE.findall(sample))
    if visible < 20:
        return None  # too little to judge; the length rules reject it later if needed
    replacement = sample.count("\ufffd")
    if replacement > 0.1 * visible:
        return f"mostly undecodable bytes ({100 * replacement // visible}% replacement characters)"
    non_ascii = [ch for ch in sample if ord(ch) > 127 and not ch.isspace()]
    if len(non_ascii) >= 20:
        rare = sum(1 for ch in non_ascii if (_rare(ch) if wide else _symbolic(ch)))
        if rare > 0.2 * len(non_ascii):
            kinds = "private-use, unassigned or rare-block" if wide else "box-drawing or maths"
            return f"implausible characters ({100 * rare // len(non_ascii)}% {kinds} characters): wrong encoding"
        doubled = len(_DOUBLE_ENCODED.findall(sample))
        if doubled >= 3 and 2 * doubled > 0.3 * len(non_ascii):
            return "text is double-encoded (UTF-8 read as cp1252/latin-1, like 'Ã¤' for 'ä')"
    words = _WORD.findall(sample)
    if len(words) >= 5:
        bad = sum(1 for word in words if _garbled(word))
        if bad > 0.4 * len(words):
            return f"implausible letters ({100 * bad // len(words)}% of words mix scripts or are mostly accents): wrong encoding"
    return None


def _garbled(word: str) -> bool:
    """A word no language writes: letters of two scripts, or Latin made mostly of accented letters."""
    if word.isascii():
        return False
    scripts = {_script(ch) for ch in word}
    if "CJK" in scripts:
        return False  # Japanese and Chinese runs hold whole clauses, Latin acronyms included
    if len(scripts) > 1:
        return True
    if scripts == {"LATIN"} and len(word) >= 4:
        accented = sum(1 for ch in word if not ch.isascii())
        return accented * 5 >= len(word) * 3
    return False


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


def decode_document_text(data: bytes, header_charset: str | None = None) -> Decoded:
    """`decode_document` with the notes (replaced bytes, ignored BOM) kept."""
    return decode_text(data, header_charset or declared_charset(data))
