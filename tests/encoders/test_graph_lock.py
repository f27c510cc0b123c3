"""The cached ONNX graph is built by one process while the others wait and then read it; a builder that
is killed leaves no half file and no lock that blocks the next one (issue 12: every process of the main
job asked for the int8row states graph at once on a fresh data dir, and each built it)."""
from __future__ import annotations

import multiprocessing
import os
import signal
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from echolot.encoders import e5_tokens, onnx_e5

GRAPH = b"not a real graph, but bytes to cache " * 100


class _Source:
    def __init__(self, path: Path) -> None:
        self.path = path


def _tiny_build(log: Path, seconds: float, die: bool) -> Any:
    """A stand-in for the ~80 CPU-s build: notes each build in `log`, takes `seconds`; `die`: the
    builder is killed halfway (after a first half of the graph would have been written)."""

    def build(src: object, kind: str, last: int = 0, **_: int) -> bytes:
        with open(log, "a") as fh:
            fh.write(f"{os.getpid()}\n")
        time.sleep(seconds)
        if die:
            os.kill(os.getpid(), signal.SIGKILL)
        return GRAPH

    return build


def _ask(src: Path, directory: Path, log: Path, seconds: float, die: bool, start: Any, out: Any) -> None:
    """One process of the job: patch the heavy build (fork keeps the patch), wait for the start, ask."""
    onnx_e5.build_model = _tiny_build(log, seconds, die)  # type: ignore[assignment]
    e5_tokens.E5TokenEncoder = _Source  # type: ignore[assignment,misc]
    start.wait()
    out.put(str(onnx_e5.cached_model(src, "int8row", directory)))


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = tmp_path / "weights.bin"
    path.write_bytes(b"weights")
    return path


def _run(source: Path, directory: Path, log: Path, count: int, seconds: float = 0.5,
         die: bool = False) -> tuple[list[int | None], list[str]]:
    """`count` processes asking for the graph at the same moment: their exit codes and the paths they got."""
    ctx = multiprocessing.get_context("fork")
    start, out = ctx.Barrier(count), ctx.Queue()
    procs = [ctx.Process(target=_ask, args=(source, directory, log, seconds, die, start, out)) for _ in range(count)]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(30)
    codes = [proc.exitcode for proc in procs]
    return codes, [out.get(timeout=5) for code in codes if code == 0]


def test_racing_processes_build_the_graph_once(tmp_path: Path, source: Path) -> None:
    directory, log = tmp_path / "models", tmp_path / "builds.log"
    codes, paths = _run(source, directory, log, 3)
    assert codes == [0, 0, 0]
    assert len(log.read_text().split()) == 1  # one build; the two others waited and read it
    assert len(set(paths)) == 1
    path = Path(paths[0])
    assert path.read_bytes() == GRAPH and onnx_e5._checksum_ok(path, path.with_suffix(".json"))
    assert not list(directory.glob("*.part"))


def test_a_killed_builder_leaves_no_half_file_and_no_blocking_lock(tmp_path: Path, source: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    directory, log = tmp_path / "models", tmp_path / "builds.log"
    codes, _ = _run(source, directory, log, 1, seconds=0.1, die=True)
    assert codes == [-signal.SIGKILL]
    assert list(directory.glob("*.lock"))  # the lock file stays behind ...
    assert not list(directory.glob("*.onnx")) and not list(directory.glob("*.json"))  # ... no graph, no record
    monkeypatch.setattr(onnx_e5, "build_model", _tiny_build(log, 0.0, die=False))
    monkeypatch.setattr(e5_tokens, "E5TokenEncoder", _Source)
    started = time.perf_counter()
    path = onnx_e5.cached_model(source, "int8row", directory)  # ... and does not block the next builder
    assert time.perf_counter() - started < 5
    assert path.read_bytes() == GRAPH and len(log.read_text().split()) == 2
    assert onnx_e5.cached_model(source, "int8row", directory) == path and len(log.read_text().split()) == 2


def test_a_corrupt_cached_graph_is_rebuilt_under_the_lock(tmp_path: Path, source: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    directory, log = tmp_path / "models", tmp_path / "builds.log"
    monkeypatch.setattr(onnx_e5, "build_model", _tiny_build(log, 0.0, die=False))
    monkeypatch.setattr(e5_tokens, "E5TokenEncoder", _Source)
    path = onnx_e5.cached_model(source, "int8row", directory)
    path.write_bytes(GRAPH[:100])  # cut short
    assert onnx_e5.cached_model(source, "int8row", directory) == path
    assert path.read_bytes() == GRAPH and len(log.read_text().split()) == 2


def _layer(seed: int) -> e5_tokens._Layer:
    rng = np.random.default_rng(seed)

    def a(*shape: int) -> np.ndarray:
        return rng.standard_normal(shape).astype(np.float32)

    return e5_tokens._Layer(a(4, 12), a(12), a(4, 4), a(4), (a(4), a(4)), a(4, 8), a(8), a(8, 4), a(4), (a(4), a(4)))


class _Weights:
    """What `build_model(layer_weights=True)` reads of an encoder: sizes, the embeddings' norm, the layers."""

    def __init__(self) -> None:
        self.H, self.heads, self.eps, self.ff = 4, 2, 1e-12, 8
        self._eln = (np.ones(4, np.float32), np.zeros(4, np.float32))
        self._layers = [_layer(1), _layer(2)]


def test_a_taggers_layer_graph_is_built_once_and_read_after(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`layer_session`'s graph of weights loaded in memory is cached by a hash of those weights: read back
    byte for byte the same, and built anew when a weight changes (a retrained tagger)."""
    monkeypatch.setenv("ECHOLOT_HOME", str(tmp_path))
    built: list[bytes] = []

    def build(src: Any, kind: str, last: int = 0, layer_weights: bool = False) -> bytes:
        assert layer_weights
        data = kind.encode() + b"".join(ly.qkv_w.tobytes() for ly in src._layers)
        built.append(data)
        return data

    monkeypatch.setattr(onnx_e5, "build_model", build)
    src = _Weights()
    first = onnx_e5._layer_graph(src, "int8row")
    assert onnx_e5._layer_graph(src, "int8row") == first and len(built) == 1  # read back, not rebuilt
    assert onnx_e5._layer_graph(src, "f32") != first and len(built) == 2  # another kind, another graph
    src._layers[1].fo_b[0] += 1  # any array of any layer counts
    onnx_e5._layer_graph(src, "int8row")
    assert len(built) == 3
    assert len(list((tmp_path / "models").glob("e5layers-*.onnx"))) == 3
