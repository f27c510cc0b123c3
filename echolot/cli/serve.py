"""`echolot serve`: the web UI and REST API, on loopback unless --public says otherwise."""
from __future__ import annotations

import click

from echolot.cli import Context, main, pass_ctx


@main.command("serve")
@click.option("--host", default=None, help="Address to bind [default: 127.0.0.1; 0.0.0.0 with --public].")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--public", is_flag=True,
              help="Serve reads to other hosts too (binds 0.0.0.0 unless --host). Writes still need the token.")
@pass_ctx
def serve_cmd(ctx: Context, host: str | None, port: int, public: bool) -> None:
    """Serve the web UI and REST API (docs at /docs, schema at /openapi.json) for the store.

    Writes (POST /api/v1/ingest) need a bearer token from $ECHOLOT_API_TOKEN or api.token
    in config.toml; without one they are refused.
    """
    import uvicorn

    from echolot.server import create_app
    from echolot.server.auth import configured_token, is_loopback
    from echolot.store import store_url

    public = public or ctx.settings.api.public
    host = host or ("0.0.0.0" if public else "127.0.0.1")
    if not public and not is_loopback(host) and host != "localhost":
        raise click.ClickException(f"binding {host} serves other hosts: add --public to allow that explicitly")
    if store_url(ctx.settings) is None and not ctx.settings.db_path.exists():
        raise click.ClickException(f"no store at {ctx.settings.db_path}: run `echolot ingest` or `echolot demo` first")
    writes = "writes need the bearer token" if configured_token(ctx.settings) else \
        "writes disabled (set ECHOLOT_API_TOKEN to enable)"
    click.echo(f"echolot: serving {ctx.settings.db_path} on http://{host}:{port} "
               f"({'public' if public else 'loopback only'}; {writes})", err=True)
    # proxy_headers off: the client address the loopback check sees is the socket's, never a header's
    uvicorn.run(create_app(ctx.settings, public=public), host=host, port=port, log_level="warning",
                proxy_headers=False, server_header=False)
