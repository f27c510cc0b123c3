"""echolot: where news comes from and how it travels across outlets and languages.

The public surface is small: the records (`echolot.model`), settings, the store and
the pipeline. Everything else is reached through the stage packages.
"""
from __future__ import annotations

from echolot.model import (AlignedPair, Article, Entity, Mention, NarrativeHit, Quote, RawDocument,
                           Rejection, ReuseLink, Sentence, StoryAssignment)
from echolot.settings import Settings, load_settings

__version__ = "0.1.0"
__all__ = [
                           "AlignedPair",
                           "Article",
                           "Entity",
                           "Mention",
                           "NarrativeHit",
                           "Quote",
                           "RawDocument",
                           "Rejection",
                           "ReuseLink",
                           "Sentence",
                           "Settings",
                           "StoryAssignment",
                           "__version__",
                           "load_settings",
]
