"""Web UI and REST API over the store (read-only; ingest stays a CLI job with one writer)."""
from echolot.server.app import create_app

__all__ = ["create_app"]
