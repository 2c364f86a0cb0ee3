"""The command line: a thin shell over the library (placeholder until the commands land)."""

import click


@click.group()
def main() -> None:
    """sheetbook."""
