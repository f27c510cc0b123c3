"""Who may call the API: loopback-only reads unless `--public`, writes behind a bearer token, body limits.

The host check and the body limit are one ASGI middleware, so they hold for every
route (static files and docs included) and a too-large body is refused while it
streams in, before any route reads it. Tokens are compared in constant time and
never logged or echoed.
"""
from __future__ import annotations

import hmac
import ipaddress
import json
import os
from typing import Any
from collections.abc import Awaitable, Callable

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from echolot.settings import Settings

ENV_TOKEN = "ECHOLOT_API_TOKEN"


def configured_token(settings: Settings) -> str:
    """The write token: settings `api.token` (config/ECHOLOT_API__TOKEN) or else $ECHOLOT_API_TOKEN."""
    return settings.api.token or os.environ.get(ENV_TOKEN, "")


def is_loopback(host: str | None) -> bool:
    """True for 127.0.0.0/8 and ::1 (and IPv4-mapped loopback); names and junk are not loopback."""
    if not host:
        return False
    try:
        address = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    return bool(address.is_loopback or (mapped is not None and mapped.is_loopback))


def token_matches(given: str, expected: str) -> bool:
    """Constant-time comparison (hmac.compare_digest) of the presented and the configured token."""
    return bool(expected) and hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


_BEARER = HTTPBearer(auto_error=False, description="The write token ($ECHOLOT_API_TOKEN).")


def require_token(request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(_BEARER)) -> None:
    """Dependency of every write route: 403 when writes are off, 401 without the right bearer token."""
    expected: str = request.app.state.api_token
    if not expected:
        raise HTTPException(403, f"writes are disabled: set {ENV_TOKEN} (or api.token in config.toml) "
                                 "and send it as 'Authorization: Bearer <token>'")
    if credentials is None or not token_matches(credentials.credentials.strip(), expected):
        raise HTTPException(401, "missing or wrong bearer token (send 'Authorization: Bearer <token>')",
                            headers={"WWW-Authenticate": "Bearer"})


class _TooLarge(Exception):
    pass


Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]


async def _json(send: Send, status: int, message: str) -> None:
    body = json.dumps({"detail": message, "status": status}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


class GuardMiddleware:
    """403 for non-loopback clients unless public; 413 for bodies over `max_body` bytes."""

    def __init__(self, app: Any, public: bool, max_body: int) -> None:
        self.app = app
        self.public = public
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        client = scope.get("client") or (None, None)
        if not self.public and not is_loopback(client[0]):
            await _json(send, 403, "this server answers loopback clients only; start it with "
                                   "`echolot serve --public` to serve other hosts")
            return
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        if length is not None:
            try:
                declared = int(length)
            except ValueError:
                await _json(send, 400, "invalid Content-Length")
                return
            if declared > self.max_body:
                await _json(send, 413, f"request body over the limit of {self.max_body} bytes")
                return
        seen = 0
        started = False

        async def limited_receive() -> dict[str, Any]:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body:
                    raise _TooLarge()
            return message

        async def tracking_send(message: dict[str, Any]) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _TooLarge:
            if not started:
                await _json(send, 413, f"request body over the limit of {self.max_body} bytes")
