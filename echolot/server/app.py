"""FastAPI application: the REST API (/api/v1, plus the old /api routes), its offline docs, and the web UI.

Security defaults: only loopback clients are served unless `public` is set; writes
need the bearer token (none configured: writes refused); request bodies are capped;
every error is JSON with a `detail` message, and an unexpected exception is logged
(method and path only: no headers, so no token, reaches the log) and answered 500.
"""
from __future__ import annotations

import logging
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from echolot.server.api_v1 import build_router
from echolot.server.auth import GuardMiddleware, configured_token
from echolot.server.deps import Backend
from echolot.server.legacy import build_legacy_router
from echolot.settings import Settings
from echolot.store.query import QueryError

STATIC = Path(__file__).parent / "static"
log = logging.getLogger("echolot.server")


def _docs_assets() -> Path | None:
    """Swagger UI and ReDoc bundled by the pinned `fastapi-offline` package (MIT; Swagger UI Apache-2.0,
    ReDoc MIT), served from this process so /docs works offline."""
    try:
        import fastapi_offline
    except ImportError:
        return None
    folder = Path(fastapi_offline.__file__).parent / "static"
    return folder if (folder / "swagger-ui-bundle.js").is_file() else None


def _error(status: int, message: str, **extra: object) -> JSONResponse:
    return JSONResponse({"detail": message, "status": status, **extra}, status_code=status)


def create_app(settings: Settings, public: bool | None = None) -> FastAPI:
    """Build the app for the store named in `settings` (`public`: serve other hosts than loopback)."""
    from echolot.store import open_store
    from echolot.store.query import ensure_indexes

    app = FastAPI(title="echolot", version="0.1.0", docs_url=None, redoc_url=None,
                  description="Where news comes from and how it travels across outlets and languages. "
                              "Reads are open to loopback clients (all clients with `--public`); "
                              "writes need `Authorization: Bearer <ECHOLOT_API_TOKEN>`.")
    app.state.public = settings.api.public if public is None else public
    app.state.api_token = configured_token(settings)
    backend = Backend(settings)
    if Path(settings.db_path).exists():
        store = open_store(settings)
        try:
            ensure_indexes(store)
        finally:
            store.close()

    app.add_middleware(GuardMiddleware, public=app.state.public, max_body=settings.api.max_body_bytes)

    @app.exception_handler(QueryError)
    async def query_error(request: Request, exc: QueryError) -> JSONResponse:
        return _error(exc.status, str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        response = _error(exc.status_code, str(exc.detail))
        for key, value in (exc.headers or {}).items():
            response.headers[key] = value
        return response

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", ""))} for e in exc.errors()]
        message = "; ".join(f"{'.'.join(e['loc'][1:]) or e['loc'][0] if e['loc'] else 'request'}: {e['msg']}"
                            for e in errors[:5])
        return _error(422, f"invalid request: {message}", errors=errors)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.error("unhandled %s on %s %s", type(exc).__name__, request.method, request.url.path, exc_info=exc)
        return _error(500, "internal error (logged on the server)")

    app.include_router(build_router(settings, backend))
    app.include_router(build_legacy_router(settings, backend))

    assets = _docs_assets()
    if assets is not None:
        app.mount("/docs-assets", StaticFiles(directory=assets), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        if assets is None:
            return HTMLResponse("<p>API docs need the fastapi-offline package; the schema is at "
                                "<a href='/openapi.json'>/openapi.json</a>.</p>", status_code=503)
        return get_swagger_ui_html(openapi_url="/openapi.json", title="echolot API",
                                   swagger_js_url="/docs-assets/swagger-ui-bundle.js",
                                   swagger_css_url="/docs-assets/swagger-ui.css",
                                   swagger_favicon_url="/docs-assets/favicon.png")

    @app.get("/redoc", include_in_schema=False)
    def redoc() -> HTMLResponse:
        if assets is None:
            return HTMLResponse("<p>API docs need the fastapi-offline package.</p>", status_code=503)
        return get_redoc_html(openapi_url="/openapi.json", title="echolot API",
                              redoc_js_url="/docs-assets/redoc.standalone.js",
                              redoc_favicon_url="/docs-assets/favicon.png", with_google_fonts=False)

    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(STATIC / "index.html")

    return app
