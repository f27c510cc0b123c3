"""The `echolot` command line: thin wrappers that parse arguments and call the package.

Each group of verbs lives in its own module and registers itself on `main`; every
read command takes `--json`; errors end with one clear line and a non-zero exit code.
The global options (`--db`, `--set`) work before or after the verb (`echolot ls --db X`),
`--json` too (`echolot --json ls`), and a reader that closes the pipe early
(`echolot ls | head -1`) ends the command quietly.
"""
from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from echolot.settings import Settings, load_settings

if TYPE_CHECKING:
    from echolot.store.base import Store

F = TypeVar("F", bound=Callable[..., Any])


@dataclass
class Context:
    settings: Settings

    def store(self) -> Store:
        """The store the settings name (opened now; close it, or use it in a `with` block)."""
        from echolot.store import open_store

        return open_store(self.settings)


pass_ctx = click.make_pass_decorator(Context)


def emit(data: Any, as_json: bool, text: str | None = None) -> None:
    """Print `data` as JSON (for machines) or `text` (for people)."""
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    elif text is not None:
        click.echo(text)


def fail(message: str) -> NoReturn:
    raise click.ClickException(message)


def lang_option(help_text: str) -> Callable[[F], F]:
    """`--lang CODE|declared`: the input's language instead of detection (see `TextSettings.lang`)."""

    def check(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
        from echolot.text import DECLARED, language_code

        if value is None or value.strip().lower() == DECLARED:
            return value and DECLARED
        code = language_code(value)
        if code is None:
            raise click.BadParameter(f"{value!r} is not a language code (de, en, ru, ...) or 'declared'")
        return code

    return click.option("--lang", default=None, metavar="CODE|declared", callback=check, help=help_text)


def with_lang(settings: Settings, lang: str | None) -> Settings:
    """`settings` with `text.lang` set from a `--lang` option (unchanged without one)."""
    from dataclasses import replace

    return settings if lang is None else replace(settings, text=replace(settings.text, lang=lang))


# group options that may also follow the verb, and whether they take a value
GLOBAL_OPTIONS = {"--db": True, "--set": True}
# exit status after the reader closed our stdout (128 + SIGPIPE, what `cat` or `git` give)
PIPE_CLOSED_EXIT = 141


def _own_options(command: click.Command) -> dict[str, bool]:
    """Option names `command` itself defines, with whether each takes a value."""
    names: dict[str, bool] = {}
    for param in command.params:
        if isinstance(param, click.Option):
            for name in param.opts + param.secondary_opts:
                names[name] = not (param.is_flag or param.count)
    return names


def hoist_global_options(group: click.Group, args: list[str]) -> list[str]:
    """`args` with the group's options moved in front of the verb, and `--json` behind it.

    `echolot ls --db X` becomes `echolot --db X ls`; an option the verb (or the
    subcommand it reached) defines itself, like `spark run --db`, stays where it is.
    """
    index = 0
    leading: list[str] = []
    json_before = False
    while index < len(args):
        token = args[index]
        if token == "--json":
            json_before = True
        elif GLOBAL_OPTIONS.get(token):
            leading += args[index:index + 2]
            index += 2
            continue
        elif not token.startswith("-"):
            break
        else:
            leading.append(token)
        index += 1
    if index >= len(args) or args[index] not in group.commands:
        return args
    name, rest = args[index], args[index + 1:]
    current = group.commands[name]
    own = _own_options(current)
    verb_options = own
    hoisted: list[str] = []
    kept: list[str] = []
    position = 0
    while position < len(rest):
        token = rest[position]
        if token == "--":
            kept += rest[position:]
            break
        option = token.split("=", 1)[0]
        if option in GLOBAL_OPTIONS and option not in own:
            width = 1 if "=" in token or not GLOBAL_OPTIONS[option] else 2
            hoisted += rest[position:position + width]
            position += width
            continue
        kept.append(token)
        if own.get(token):  # the verb's own option: its value is never a global option
            kept += rest[position + 1:position + 2]
            position += 1
        elif isinstance(current, click.Group) and token in current.commands:
            current = current.commands[token]  # `spark run`: from here on, run's own options count
            own = _own_options(current)
        position += 1
    if json_before and "--json" in verb_options:
        kept.insert(0, "--json")
    elif json_before:
        leading.append("--json")  # click says the verb has no such option
    return leading + hoisted + [name] + kept


def _pipe_closed() -> None:
    """The reader went away (`| head`): stop without a traceback or an error line."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # the interpreter's last flush must not fail again
    except (OSError, ValueError, AttributeError):
        pass
    sys.exit(PIPE_CLOSED_EXIT)


class _Main(click.Group):
    """Turns unexpected exceptions into one line on stderr and exit code 1."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if any("\x00" in arg for arg in args):
            # a shell cannot pass one; a program that does gets a usage error, not a failed open()
            raise click.UsageError("an argument contains a NUL byte", ctx=ctx)
        return super().parse_args(ctx, hoist_global_options(self, list(args)))

    def invoke(self, ctx: click.Context) -> Any:
        try:
            result = super().invoke(ctx)
            sys.stdout.flush()  # a closed pipe shows here, not in the interpreter's exit
            return result
        except BrokenPipeError:
            _pipe_closed()
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort, SystemExit):
            try:
                sys.stdout.flush()
            except BrokenPipeError:
                _pipe_closed()
            raise
        except KeyboardInterrupt:
            click.echo("echolot: interrupted", err=True)
            sys.exit(130)
        except OSError as exc:  # a file the user named cannot be opened or written: say which and why
            where = f": {exc.filename}" if exc.filename else ""
            click.echo(f"echolot: error: {exc.strerror or exc}{where}", err=True)
            sys.exit(1)
        except Exception as exc:
            if isinstance(exc.__cause__ or exc.__context__, BrokenPipeError):
                _pipe_closed()
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
