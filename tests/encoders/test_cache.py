"""The one rule of every derived model file: read it, else build it once under the lock, else work in
memory; a file that cannot be read is rebuilt with a warning (issue 12, `echolot.encoders.cache`)."""
from __future__ import annotations

from pathlib import Path

import pytest

from echolot.encoders import cache


class _Builder:
    """Counts builds; writes `data` to the cached file like a real builder (temporary name, rename)."""

    def __init__(self, data: bytes = b"built") -> None:
        self.data, self.calls = data, 0

    def __call__(self, path: Path) -> bytes:
        self.calls += 1
        cache.write_replace(path, self.data)
        return self.data


def _strict(path: Path) -> bytes:
    data = path.read_bytes()
    if not data.startswith(b"built"):
        raise ValueError("not ours")
    return data


def test_model_dir_is_under_the_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ECHOLOT_HOME", str(tmp_path))
    assert cache.model_dir() == tmp_path / "models"


def test_built_once_then_read(tmp_path: Path) -> None:
    path, build = tmp_path / "models" / "thing.bin", _Builder()
    assert cache.cached(path, _strict, build, what="thing") == b"built"
    assert cache.cached(path, _strict, build, what="thing") == b"built"
    assert build.calls == 1 and path.read_bytes() == b"built"
    assert not list(path.parent.glob("*.part"))  # written under a temporary name, then renamed


def test_unreadable_file_is_rebuilt_with_a_warning(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path, build = tmp_path / "thing.bin", _Builder()
    path.write_bytes(b"garbage")
    with caplog.at_level("WARNING"):
        assert cache.cached(path, _strict, build, what="thing") == b"built"
    assert build.calls == 1 and path.read_bytes() == b"built"
    assert "thing: cached file thing.bin is damaged or unreadable" in caplog.text


def test_errors_outside_unreadable_propagate(tmp_path: Path) -> None:
    path = tmp_path / "thing.bin"
    path.write_bytes(b"garbage")

    def broken(path: Path) -> bytes:
        raise KeyError("a bug, not a damaged file")

    with pytest.raises(KeyError):
        cache.cached(path, broken, _Builder(), what="thing")


def test_unwritable_dir_works_in_memory_or_raises(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_bytes(b"")
    path = blocker / "models" / "thing.bin"  # its folder cannot be made: a file is in the way
    build = _Builder()
    assert cache.cached(path, _strict, build, what="thing", in_memory=lambda: b"in memory") == b"in memory"
    assert build.calls == 0
    with pytest.raises(OSError):
        cache.cached(path, _strict, build, what="thing")


def test_a_file_built_while_waiting_is_read_not_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another process finishes the build while this one waits for the lock: read, no second build."""
    path, build = tmp_path / "thing.bin", _Builder()
    real_lock = cache.build_lock

    def lock_after_other(p: Path):  # type: ignore[no-untyped-def]
        cache.write_replace(p, b"built by the other")
        return real_lock(p)

    monkeypatch.setattr(cache, "build_lock", lock_after_other)
    assert cache.cached(path, _strict, build, what="thing") == b"built by the other"
    assert build.calls == 0
