"""What every ``aseankg`` command shares: the ``--store`` option and opening the store it names
with a one-line error. Its own module so that command groups kept in other modules
(``review_cli``) and ``cli`` import it from below, never each other."""

from __future__ import annotations

import click

STORE_HELP = "Store folder, or a SPARQL endpoint's query URL (default: $ASEANKG_STORE or ./aseankg-store)."

store_option = click.option("--store", envvar="ASEANKG_STORE", default=None, help=STORE_HELP)


def open_or_exit(store: str | None, **kwargs):
    """The store ``open_store(store, **kwargs)`` opens, or a ``click.ClickException`` saying why not."""
    from .store import StoreError
    from .stores import open_store

    try:
        return open_store(store, **kwargs)
    except (StoreError, OSError, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc
