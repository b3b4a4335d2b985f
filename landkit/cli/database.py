"""A shared office database: push, pull and the roles of a project in PostgreSQL/PostGIS."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import DataError
from ..store import display
from . import main
from .options import PROJECT, overwrite_option


@main.command("push")
@click.argument("source", type=PROJECT)
@click.argument("url", type=PROJECT)
@overwrite_option("Replace the layers a schema already has (its ledgers only gain events).")
def push(source: Path | str, url: str, overwrite: bool) -> None:
    """Copy a GeoPackage project (or a project in a database) into a PostgreSQL/PostGIS schema, in one transaction."""
    from ..store import push as push_project

    counts = push_project(source, url, overwrite=overwrite)
    click.echo(f"pushed {display(source)} to {display(url)}: " + ", ".join(f"{n} {k}" for k, n in counts.items()))


@main.command("pull")
@click.argument("url", type=PROJECT)
@click.argument("output", type=PROJECT)
@overwrite_option("Replace an existing GeoPackage.")
def pull(url: str, output: Path | str, overwrite: bool) -> None:
    """Write a GeoPackage snapshot of a project in PostgreSQL/PostGIS (for the meeting laptop);
    a postgresql:// URL as OUTPUT copies it into that schema instead."""
    from ..store import pull as pull_project

    counts = pull_project(url, output, overwrite=overwrite)
    click.echo(f"wrote {display(output)} from {display(url)}: " + ", ".join(f"{n} {k}" for k, n in counts.items()))


@main.command("grant")
@click.argument("url")
@click.option("--reader", default=None, help="A role that may read the project.")
@click.option("--recorder", default=None, help="A role that may also record events (and set statuses).")
def grant(url: str, reader: str | None, recorder: str | None) -> None:
    """Set up a read-only role and a recording role on a project in PostgreSQL (GRANT them to people)."""
    from ..store import grant as grant_roles

    if not reader and not recorder:
        raise DataError("name a --reader role, a --recorder role, or both")
    grant_roles(url, reader=reader, recorder=recorder)
    roles = " and ".join(f"{kind} {name}" for kind, name in (("reader", reader), ("recorder", recorder)) if name)
    click.echo(f"granted {roles} on {display(url)}; give them to people with GRANT role TO person")
