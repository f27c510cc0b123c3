"""Web UI and REST API over the store: reads for loopback (or everyone with --public), writes behind a token."""
from echolot.server.app import create_app

__all__ = ["create_app"]
