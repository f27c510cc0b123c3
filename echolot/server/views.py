"""Response builders the routes need beyond the shared query modules (narratives: echolot.narratives.query)."""
from __future__ import annotations

from typing import Any

from echolot.store.query import resolve_article


def trace(store: Any, prefix: str) -> dict[str, Any]:
    """The article's provenance group (echolot.reuse.query.trace) for an id or unique prefix."""
    from echolot.reuse.query import trace as group_trace

    return group_trace(store, resolve_article(store, prefix))
