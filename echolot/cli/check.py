"""`echolot check`: verify the store (and `--repair` what can be fixed); non-zero exit when not ok."""
from __future__ import annotations

import click

from echolot.cli import Context, emit, main, pass_ctx


@main.command("check")
@click.option("--repair", is_flag=True,
              help="Drop orphan rows, rebuild the full-text index, reset stage marks without results.")
@click.option("--strict", is_flag=True, help="Also fail when a stage has failed articles.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@pass_ctx
def check_cmd(ctx: Context, repair: bool, strict: bool, as_json: bool) -> None:
    """Verify the store: integrity, full-text index, orphans, every article done or failed by every stage.

    Exit code 0 when all is well, 1 with the list of problems otherwise. Articles a
    stage failed on are listed with their errors (a problem only with --strict)."""
    from echolot.store import check as checks
    from echolot.store.postgres import is_url

    if not is_url(ctx.settings.db) and not ctx.settings.db_path.exists():
        raise click.ClickException(f"no store at {ctx.settings.db_path}")
    with ctx.store() as store:
        report = checks.repair(store, strict=strict) if repair else checks.check(store, strict=strict)
    emit(report.to_dict(), as_json, report.text())
    if not report.ok:
        raise SystemExit(1)
