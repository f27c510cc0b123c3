"""The `echolot` command line: thin wrappers that parse arguments and call the package.

Each group of verbs lives in its own module and registers itself on `main`; every
read command takes `--json`; errors end with one clear line and a non-zero exit code.
"""
from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from typing import Any

import click

from echolot.settings import Settings, load_settings


@dataclass
class Context:
    settings: Settings

    def store(self):  # type: ignore[no-untyped-def]
        from echolot.store import open_store

        return open_store(self.settings)


pass_ctx = click.make_pass_decorator(Context)


def emit(data: Any, as_json: bool, text: str | None = None) -> None:
    """Print `data` as JSON (for machines) or `text` (for people)."""
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    elif text is not None:
        click.echo(text)


def fail(message: str) -> None:
    raise click.ClickException(message)


class _Main(click.Group):
    """Turns unexpected exceptions into one line on stderr and exit code 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            click.echo("echolot: interrupted", err=True)
            sys.exit(130)
        except Exception as exc:  # noqa: BLE001
            click.echo(f"echolot: error: {type(exc).__name__}: {exc}", err=True)
            sys.exit(1)


@click.group(cls=_Main, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", type=click.Path(dir_okay=False), default=None,
              help="Store file (default: $ECHOLOT_HOME/echolot.db, ECHOLOT_HOME defaults to ~/.echolot).")
@click.option("--set", "overrides", multiple=True, metavar="SECTION.KEY=VALUE",
              help="Override one setting, e.g. --set reuse.min_share=0.4 (repeatable).")
@click.version_option(package_name="echolot")
@click.pass_context
def main(ctx: click.Context, db: str | None, overrides: tuple[str, ...]) -> None:
    """echolot: where news comes from and how it travels across outlets and languages."""
    parsed: dict[str, str] = {}
    for item in overrides:
        if "=" not in item:
            raise click.BadParameter(f"expected SECTION.KEY=VALUE, got {item!r}", param_hint="--set")
        key, value = item.split("=", 1)
        parsed[key.strip()] = value.strip()
    try:
        settings = load_settings(parsed, db=db)
    except KeyError as exc:
        raise click.BadParameter(str(exc), param_hint="--set") from None
    ctx.obj = Context(settings)


def _register() -> None:
    """Import the command modules; each adds its verbs to `main`."""
    import importlib

    for name in ("core", "reuse", "stories", "entities", "quotes", "narratives", "evaluate", "demo", "serve", "spark", "check"):
        try:
            importlib.import_module(f"echolot.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"echolot.cli.{name}":
                raise


_register()
