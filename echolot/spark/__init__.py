"""echolot on Spark: the same stages, distributed, for corpora one machine cannot link in time.

The job reads, cleans and annotates documents in tasks, finds reuse candidates with
Spark shuffles (LSH bands, rare anchors, nearest lead vectors) and verifies them in
tasks with the reuse stage's own alignment; the driver writes everything into an
ordinary echolot store, so every other command works on the result. pyspark is an
optional dependency (`pip install 'echolot[spark]'`); nothing here imports it at
module level.
"""
from __future__ import annotations

from echolot.spark.job import JobSummary, expand_inputs, run_job
from echolot.spark.session import INSTALL_HINT, SparkOptions, SparkUnavailable, require_pyspark, start_session

__all__ = [
           "INSTALL_HINT",
           "JobSummary",
           "SparkOptions",
           "SparkUnavailable",
           "expand_inputs",
           "require_pyspark",
           "run_job",
           "start_session",
]
