"""`echolot serve`: the web UI and REST API on localhost."""
from __future__ import annotations

import click

from echolot.cli import Context, main, pass_ctx


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@pass_ctx
def serve_cmd(ctx: Context, host: str, port: int) -> None:
    """Serve the web UI and REST API (docs at /docs) for the store."""
    import uvicorn

    from echolot.server import create_app

    if not ctx.settings.db_path.exists():
        raise click.ClickException(f"no store at {ctx.settings.db_path}: run `echolot ingest` or `echolot demo` first")
    click.echo(f"echolot: serving {ctx.settings.db_path} on http://{host}:{port}", err=True)
    uvicorn.run(create_app(ctx.settings), host=host, port=port, log_level="warning")
