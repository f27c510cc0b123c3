"""Named entities: per-article mentions merged into one canonical entity per real-world thing.

The stage itself lives in `echolot.entities.stage` (`process(articles, store, settings)`);
this package re-exports its entry point and annotation names lazily, so that importing
a submodule (the NER taggers, `canonical`, `places`) does not load the whole stage.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from echolot.entities.stage import MENTIONS, NER_STATUS, process

__all__ = ["MENTIONS", "NER_STATUS", "process"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from echolot.entities import stage

        return getattr(stage, name)
    raise AttributeError(f"module 'echolot.entities' has no attribute {name!r}")
