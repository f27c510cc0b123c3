"""simplemma's word lists read from an index on disk instead of decoded in every process (issue 12).

Why: the entities stage asks simplemma whether a word is known and what its lemma is (spans.py,
places.py, translated.py; the German CRF's `Lexicon.known`). simplemma answers from a dict it decodes
from its shipped, front-coded and lzma-compressed list on first use: ~7 CPU-s for the eight languages
of the main job (Polish alone 3.7 M forms, ~3.4 s), paid again by every process that looks a word up
(the main process and each analysis worker), while a run looks up a few ten thousand distinct forms.

`install()` makes simplemma's process-wide dictionary factory (the one `simplemma.is_known`,
`simplemma.lemmatize` and `crf._word_list` use) hand out `IndexedWords`: the same form -> lemma pairs,
decoded once per data dir into a read-only SQLite table under `$ECHOLOT_HOME/models/lexicon/` (keyed
by a hash of simplemma's data file, so another simplemma release gets another index), looked up
form by form and remembered. Every answer is the one simplemma's own dict gives (same pairs, same
`get`); only iteration order differs (key order). If the index cannot be built or read (read-only
data dir, a simplemma without the private loader), simplemma's own dict is used, as before.
"""
from __future__ import annotations

import logging
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

__all__ = ["IndexedWords", "index_path", "install", "installed"]

SCHEMA = 1  # bump when the table layout changes: another file name, the old one is left alone
_INSERT_ROWS = 50_000


def _factory_module() -> Any:
    from simplemma.strategies.dictionaries import dictionary_factory

    return dictionary_factory


def _source(lang: str) -> Path:
    """simplemma's shipped data file of `lang` (ValueError for a language it has no data for, as simplemma)."""
    module = _factory_module()
    if lang not in module.SUPPORTED_LANGUAGES:
        raise ValueError(f"Unsupported language: {lang}")
    return Path(module.DATA_FOLDER) / f"{lang}.plzma"


def index_path(lang: str) -> Path:
    """Where the index of `lang` lives: its name carries a hash of simplemma's data file."""
    import xxhash

    from echolot.encoders.cache import model_dir

    digest = xxhash.xxh3_64_hexdigest(_source(lang).read_bytes())[:12]
    return model_dir() / "lexicon" / f"simplemma-{lang}-{digest}-v{SCHEMA}.sqlite"


class IndexedWords(Mapping[str, str]):
    """simplemma's form -> lemma mapping of one language, read from its SQLite index.

    `get` and `[]` answer as simplemma's `MappingStrToByteString` does; each distinct form is read
    from disk once and remembered (a run asks the same forms over and over)."""

    def __init__(self, path: Path) -> None:
        # immutable: the file is never written after its rename, so SQLite takes no locks to read it
        uri = f"{Path(path).resolve().as_uri()}?mode=ro&immutable=1"  # percent-encoded: any folder name
        self._db = sqlite3.connect(uri, uri=True, check_same_thread=False)
        self._lock = threading.Lock()
        self._memo: dict[str, str | None] = {}
        self._size = int(self._one("SELECT v FROM meta WHERE k = 'rows'", ()) or 0)

    def close(self) -> None:
        """Release the SQLite connection (a driver that only built the index keeps no reader open)."""
        self._db.close()

    def _one(self, sql: str, args: tuple[Any, ...]) -> Any:
        with self._lock:
            row = self._db.execute(sql, args).fetchone()
        return None if row is None else row[0]

    def _lookup(self, key: str) -> str | None:
        try:
            return self._memo[key]
        except KeyError:
            pass
        raw = self._one("SELECT v FROM words WHERE k = ?", (key.encode(),))
        value = None if raw is None else bytes(raw).decode()
        self._memo[key] = value
        return value

    def __getitem__(self, key: str) -> str:
        value = self._lookup(key)
        if value is None:
            raise KeyError(key)
        return value

    def get(self, key: str, default: Any = None) -> Any:  # type: ignore[override]
        value = self._lookup(key)
        return value if value is not None else default

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self._lookup(key) is not None

    def __iter__(self) -> Iterator[str]:
        with self._lock:
            keys = [bytes(k).decode() for (k,) in self._db.execute("SELECT k FROM words")]
        return iter(keys)

    def __len__(self) -> int:
        return self._size


def _build(lang: str, path: Path) -> None:
    """Decode simplemma's list of `lang` once and write it as the index at `path` (temporary name, then
    renamed: a reader never sees half a table)."""
    pairs = _factory_module()._load_dictionary_from_disk(lang)
    part = path.with_suffix(f".{os.getpid()}.part")
    part.unlink(missing_ok=True)
    db = sqlite3.connect(part)
    try:
        db.execute("PRAGMA journal_mode = OFF")
        db.execute("PRAGMA synchronous = OFF")
        db.execute("CREATE TABLE words (k BLOB PRIMARY KEY, v BLOB NOT NULL) WITHOUT ROWID")
        db.execute("CREATE TABLE meta (k TEXT PRIMARY KEY, v TEXT NOT NULL)")
        items = sorted(pairs.items())  # key order: each insert appends to the B-tree
        for start in range(0, len(items), _INSERT_ROWS):
            db.executemany("INSERT INTO words VALUES (?, ?)", items[start:start + _INSERT_ROWS])
        db.execute("INSERT INTO meta VALUES ('rows', ?)", (str(len(items)),))
        db.commit()
    finally:
        db.close()
    os.chmod(part, 0o644)
    os.replace(part, path)


def _open_index(lang: str) -> IndexedWords:
    """The index of `lang`, built under a lock when missing (one process builds, the others wait); one
    that SQLite cannot read (a truncated or damaged file) is built again, with a warning (`cache.cached`)."""
    from echolot.encoders.cache import cached

    def build(path: Path) -> IndexedWords:
        log.info("simplemma: building the word index of %s (once per data dir)", lang)
        _build(lang, path)
        return IndexedWords(path)

    return cached(index_path(lang), IndexedWords, build, what=f"simplemma word index of {lang}",
                  unreadable=(sqlite3.DatabaseError,))


def build_index(lang: str) -> Path:
    """The index of `lang`, built now when missing: for drivers that prepare a data dir before the
    worker processes start (`bench/pipeline.py`), so no timed process pays the build. Raises ValueError
    for a language simplemma has no word list for."""
    _source(lang)
    _open_index(lang).close()
    return index_path(lang)


def _indexed_or_own(lang: str, own: Callable[[str], Mapping[str, str]]) -> Mapping[str, str]:
    """`IndexedWords` of `lang`, or simplemma's own dict when the index cannot be had."""
    _source(lang)  # an unsupported language raises ValueError here, as simplemma does
    try:
        return _open_index(lang)
    except (OSError, sqlite3.Error, AttributeError, ValueError) as exc:
        log.warning("simplemma: word index of %s unavailable (%s); decoding the word list", lang, exc)
        return own(lang)


_INSTALLED = False


def install() -> bool:
    """Make simplemma's shared factory read the indexes (idempotent). False when this simplemma has
    no shared factory to plug into (everything then stays as simplemma does it)."""
    global _INSTALLED
    if _INSTALLED:
        return True
    try:
        factory = _factory_module().DEFAULT_DICTIONARY_FACTORY
        own = factory._get_dictionary_uncached
    except (ImportError, AttributeError):
        return False
    # every language stays open: an index holds no dict in memory (simplemma's LRU of 8 dicts thrashes
    # on a ninth language)
    factory._get_dictionary = lru_cache(maxsize=None)(lambda lang: _indexed_or_own(lang, own))
    _INSTALLED = True
    return True


def installed() -> bool:
    """Whether `install()` has plugged the indexes in in this process."""
    return _INSTALLED
