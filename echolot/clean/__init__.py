"""Cleaning: from a RawDocument to a clean Article (body text, title, date, outlet, declared sources).

The stage itself is `echolot/clean/stage.py` (its docstring lists the steps); each step
has its own module here (html, limits, boilerplate, sources, dates, outlet). This package
re-exports the stage's public names, so `from echolot.clean import clean` keeps working.
"""
from __future__ import annotations

from echolot.clean.stage import CleanedText, CleanError, clean, clean_text, normalise_text

__all__ = ["CleanError", "CleanedText", "clean", "clean_text", "normalise_text"]
