"""`pipeline` finds each stage in `<area>/stage.py` when the area has one, else in the area package,
and a stage that cannot be loaded stops the run before any work (issue 18)."""
from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from echolot import pipeline
from echolot.pipeline import StageUnavailable, _stage_function, analyse
from echolot.settings import Settings
from echolot.store import SQLiteStore

PROCESS = "def process(articles, store, settings):\n    return {!r}\n"


@pytest.fixture
def areas(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A folder on sys.path to write throwaway area packages into; they are forgotten afterwards."""
    monkeypatch.syspath_prepend(str(tmp_path))
    before = set(sys.modules)
    yield tmp_path
    for name in set(sys.modules) - before:
        if name.startswith("area_"):
            del sys.modules[name]


def _package(root: Path, name: str, init: str, stage: str | None = None) -> None:
    (root / name).mkdir()
    (root / name / "__init__.py").write_text(init)
    if stage is not None:
        (root / name / "stage.py").write_text(stage)


def test_stage_module_is_preferred(areas: Path) -> None:
    # a light __init__ that does not re-export the stage: process comes from stage.py
    _package(areas, "area_split", '"""light"""\n', PROCESS.format("from stage.py"))
    assert _stage_function("area_split", "process")([], None, None) == "from stage.py"


def test_stage_module_wins_over_a_re_export(areas: Path) -> None:
    _package(areas, "area_both", PROCESS.format("from __init__"), PROCESS.format("from stage.py"))
    assert _stage_function("area_both", "process")([], None, None) == "from stage.py"


def test_package_without_stage_module(areas: Path) -> None:
    _package(areas, "area_whole", PROCESS.format("from __init__"))
    assert _stage_function("area_whole", "process")([], None, None) == "from __init__"


def test_plain_module_and_explicit_stage_module(areas: Path) -> None:
    (areas / "area_flat.py").write_text(PROCESS.format("flat"))
    assert _stage_function("area_flat", "process")([], None, None) == "flat"
    _package(areas, "area_named", '"""light"""\n', PROCESS.format("named"))
    assert _stage_function("area_named.stage", "process")([], None, None) == "named"


def test_a_broken_stage_module_is_loud_not_skipped(areas: Path) -> None:
    # the package itself would offer a process(): falling back to it would hide the broken stage.py
    _package(areas, "area_broken", PROCESS.format("stale"), "import no_such_module_anywhere\n")
    with pytest.raises(StageUnavailable, match=r"area_broken\.process cannot be loaded: ModuleNotFoundError"):
        _stage_function("area_broken", "process")


def test_missing_function_names_the_module_searched(areas: Path) -> None:
    _package(areas, "area_empty", '"""light"""\n', '"""no process here"""\n')
    with pytest.raises(StageUnavailable, match=r"area_empty\.stage has no function 'process'"):
        _stage_function("area_empty", "process")


def test_a_failing_stage_stops_analyse_before_any_work(areas: Path, store: SQLiteStore,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    _package(areas, "area_ok", '"""light"""\n', "def process(articles, store, settings):\n    raise AssertionError\n")
    _package(areas, "area_bad", "raise RuntimeError('cannot start')\n")
    monkeypatch.setattr(pipeline, "STAGES", [("ok", "area_ok", "process"), ("bad", "area_bad", "process")])
    from tests.test_pipeline_stages import _article

    store.add_articles([_article(1)])
    with pytest.raises(StageUnavailable, match="RuntimeError: cannot start"):
        analyse(store, Settings(), progress=False)
    assert store.pending("ok") == [_article(1).id]  # the stage before it did not run either


@pytest.mark.parametrize("stage, package, _", pipeline.STAGES)
def test_every_shipped_stage_loads(stage: str, package: str, _: str) -> None:
    assert callable(_stage_function(package, "process"))
