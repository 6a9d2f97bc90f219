"""``aseankg review``: analysts' corrections from the command line (see :mod:`aseankg.corrections`).

``reject``/``assert`` record a correction and re-consolidate its entity; ``list`` shows them;
``undo`` withdraws one; ``conflicts`` lists the open conflicts; ``export``/``import`` share them
as a Turtle file.
"""

from __future__ import annotations

import getpass

import click

from .cli_options import open_or_exit as _open
from .cli_options import store_option


def _analyst() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in this environment
        return "analyst"


@click.group()
def review() -> None:
    """Correct the graph: reject or assert values, list, undo, export and import corrections."""


def _record(action: str, store, entity, prop, value, reason, by) -> None:
    from .corrections import CorrectionError, record

    kg = _open(store)
    try:
        k = record(kg, action, entity, prop, value, reason=reason, analyst=by or _analyst())
    except CorrectionError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        kg.close()
    click.echo(str(k))


_by = click.option("--by", default=None, help="Who makes the correction (default: the user name).")
_reason = click.option("--reason", required=True, help="Why: kept with the correction.")


@review.command("reject")
@click.argument("entity")
@click.argument("prop", metavar="PROPERTY")
@click.argument("value")
@_reason
@_by
@store_option
def reject(entity, prop, value, reason, by, store) -> None:
    """Reject VALUE of ENTITY's PROPERTY (e.g. id:meeting/amm-58 schema:startDate 2025-07-08)."""
    _record("reject", store, entity, prop, value, reason, by)


@review.command("assert")
@click.argument("entity")
@click.argument("prop", metavar="PROPERTY")
@click.argument("value")
@_reason
@_by
@store_option
def assert_(entity, prop, value, reason, by, store) -> None:
    """Assert VALUE as ENTITY's PROPERTY: it beats every article."""
    _record("assert", store, entity, prop, value, reason, by)


@review.command("list")
@click.option("--all", "everything", is_flag=True, help="Undone corrections too.")
@store_option
def list_(everything, store) -> None:
    """List the corrections, oldest first."""
    from .corrections import corrections

    kg = _open(store, read_only=True)
    try:
        for k in corrections(kg):
            if everything or not k.undone:
                click.echo(str(k))
    finally:
        kg.close()


@review.command("undo")
@click.argument("correction")
@_by
@store_option
def undo(correction, by, store) -> None:
    """Withdraw CORRECTION (its id, from `review list`): the consolidated value comes back."""
    from .corrections import CorrectionError
    from .corrections import undo as undo_correction

    kg = _open(store)
    try:
        k = undo_correction(kg, correction, analyst=by or _analyst())
    except CorrectionError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        kg.close()
    click.echo(str(k))


@review.command("conflicts")
@store_option
def conflicts(store) -> None:
    """List the open conflicts: claims that disagree and no correction decides, most-reported first."""
    from .consolidation import open_conflicts
    from .corrections import short

    kg = _open(store, read_only=True)
    try:
        for row in open_conflicts(kg):
            click.echo(f"{short_text(row['entity'], short)}  {short_text(row['property'], short)}  "
                       f"preferred {short_text(row['preferred'], short)} ({row['rule']}), "
                       f"{row['alternatives']} values, {row['reports']} reports")
    finally:
        kg.close()


def short_text(value, short) -> str:
    from rdflib import URIRef

    text = str(value)
    return short(URIRef(text)) if text.startswith("http") else text


@review.command("export")
@click.argument("path", type=click.Path(dir_okay=False))
@store_option
def export(path, store) -> None:
    """Write every correction to PATH (Turtle), to share with a team."""
    from .corrections import export_corrections

    kg = _open(store, read_only=True)
    try:
        click.echo(f"{export_corrections(kg, path)} corrections written to {path}")
    finally:
        kg.close()


@review.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@store_option
def import_(path, store) -> None:
    """Add the corrections of PATH (from `review export`) and apply them."""
    from .corrections import import_corrections

    kg = _open(store)
    try:
        click.echo(f"{import_corrections(kg, path)} corrections read from {path}")
    finally:
        kg.close()
