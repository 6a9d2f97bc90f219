"""What every ``aseankg`` command shares: the ``--store`` option and opening the store it names
with a one-line error. Its own module so that command groups kept in other modules
(``review_cli``) and ``cli`` import it from below, never each other."""

from __future__ import annotations

import os

import click

STORE_HELP = "Store folder, or a SPARQL endpoint's query URL (default: $ASEANKG_STORE or ./aseankg-store)."



def _remember(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    """Keep ``--update-url``/``--graph-store-url`` in the environment, where ``open_store`` (in this
    process and in any worker it starts) reads them for a remote store."""
    if value is not None:
        os.environ[param.envvar] = value


_store = click.option("--store", envvar="ASEANKG_STORE", default=None, help=STORE_HELP)
_update_url = click.option(
    "--update-url", envvar="ASEANKG_UPDATE_URL", default=None, expose_value=False, callback=_remember,
    help="A remote store's SPARQL Update URL, used as given (default: from the query URL's layout, "
         "else the query URL itself; $ASEANKG_UPDATE_URL).")
_graph_store_url = click.option(
    "--graph-store-url", envvar="ASEANKG_GRAPH_STORE_URL", default=None, expose_value=False,
    callback=_remember,
    help="A remote store's Graph Store Protocol URL, used as given; 'none' writes graphs with SPARQL "
         "Update (default: from the query URL's layout, else none; $ASEANKG_GRAPH_STORE_URL).")


def store_option(command):
    """``--store``, with ``--update-url`` and ``--graph-store-url`` for a remote store."""
    return _store(_update_url(_graph_store_url(command)))


def open_or_exit(store: str | None, **kwargs):
    """The store ``open_store(store, **kwargs)`` opens, or a ``click.ClickException`` saying why not."""
    from .store import StoreError
    from .stores import open_store

    try:
        return open_store(store, **kwargs)
    except (StoreError, OSError, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc
