"""The ``aseankg`` command: a thin shell over the library."""

import click


@click.group()
@click.version_option()
def main() -> None:
    """Build, query and serve the ASEAN knowledge graph."""
